"""Errors that mean "the input was wrong": the API answers them with a 4xx and changes nothing."""


class BadInput(Exception):
    """Input that cannot be accepted. ``message`` is bilingual: "Vietnamese / English"."""

    status = 400

    def __init__(self, code: str, message: str, *, details: list | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []

    def to_dict(self) -> dict:
        error: dict = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class Conflict(BadInput):
    status = 409


class NotFound(BadInput):
    status = 404

    def __init__(self, what: str, key: str):
        super().__init__("not_found", f"Không tìm thấy {what} / {what} not found: {key}")
