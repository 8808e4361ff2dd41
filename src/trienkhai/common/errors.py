"""Errors that mean "the input was wrong": the API answers them with a 4xx and changes nothing.

``message`` is what the API sends: bilingual, "Vietnamese / English", so that a client
in either language reads it. Screens show ``shown`` instead: the reader's language only
(decision 0034). A raiser that knows the words of both languages passes ``shown``
(usually a ``gettext`` string); otherwise ``shown`` is the reader's half of ``message``.
"""

from trienkhai.common.language import is_english

SEPARATOR = " / "


def one_language(message: str, english: bool | None = None) -> str:
    """The reader's half of a bilingual "Vietnamese / English" message.

    "Cần ghi lý do trả lại / say why it is returned" → "Cần ghi lý do trả lại" or
    "Say why it is returned". A key the English half ends with (": HK") is kept in
    the Vietnamese half too. A message that does not split into exactly two halves
    (one language only, or a slash in a value) is returned whole.
    """
    halves = message.split(SEPARATOR)
    if len(halves) != 2:
        return message
    vi, en = halves
    if ": " in en and ":" not in vi:
        vi = f"{vi}: {en.split(': ', 1)[1]}"
    if english is None:
        english = is_english()
    chosen = en if english else vi
    return chosen[:1].upper() + chosen[1:]


class BadInput(Exception):
    """Input that cannot be accepted. ``message`` is bilingual: "Vietnamese / English";
    ``shown`` is the message in the reader's language, for screens; ``shown_details``
    likewise for ``details`` (the API's entries, each "problem" bilingual)."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        details: list | None = None,
        shown: str | None = None,
        shown_details: list | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []
        self._shown = shown
        self._shown_details = shown_details

    @property
    def shown(self) -> str:
        if self._shown is not None:
            return str(self._shown)
        return one_language(self.message)

    @property
    def shown_details(self) -> list:
        """``details`` for a screen: the raiser's ``shown_details`` if given, else each
        entry with its "problem" in the reader's language."""
        if self._shown_details is not None:
            return self._shown_details
        return [
            {**d, "problem": one_language(str(d["problem"]))}
            if isinstance(d, dict) and "problem" in d
            else d
            for d in self.details
        ]

    def to_dict(self) -> dict:
        error: dict = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def to_screen_dict(self) -> dict:
        """``to_dict`` for a page's own script (the entry grid): the reader's language."""
        error: dict = {"code": self.code, "message": self.shown}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class Conflict(BadInput):
    status = 409


class NotFound(BadInput):
    status = 404

    def __init__(self, what: str, key: str):
        vi, _, en = what.partition(SEPARATOR)
        en = en or vi
        super().__init__("not_found", f"Không tìm thấy {what} / {what} not found: {key}")
        self.vi_what, self.en_what, self.key = vi, en, key

    @property
    def shown(self) -> str:
        if is_english():
            return f"{self.en_what[:1].upper()}{self.en_what[1:]} not found: {self.key}"
        return f"Không tìm thấy {self.vi_what}: {self.key}"
