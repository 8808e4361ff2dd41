"""DHIS2's answer shapes: the web message, the import summary and its conflicts."""

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django.http import JsonResponse


def web_message(
    status_code: int,
    message: str,
    *,
    status: str | None = None,
    error_code: str | None = None,
    response: dict | None = None,
) -> JsonResponse:
    """DHIS2's WebMessage: {"httpStatus", "httpStatusCode", "status", "message", ...}."""
    body: dict[str, Any] = {
        "httpStatus": HTTPStatus(status_code).phrase,
        "httpStatusCode": status_code,
        "status": status or ("OK" if status_code < 400 else "ERROR"),
        "message": message,
    }
    if error_code:
        body["errorCode"] = error_code
    if response is not None:
        body["response"] = response
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})


class Dhis2Error(Exception):
    """A request DHIS2 would refuse as a whole: answered with a web message."""

    def __init__(self, status_code: int, error_code: str, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.error_code = error_code
        self.message = message

    def response(self) -> JsonResponse:
        return web_message(self.status_code, self.message, error_code=self.error_code)


@dataclass
class ImportSummary:
    """What an import did: DHIS2's ImportSummary, with a conflict per bad row."""

    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict] = field(default_factory=list)
    aborted: bool = False
    options: dict = field(default_factory=dict)

    def conflict(
        self, index: int | None, code: str, message: str, *, prop: str = "", obj: str = ""
    ) -> None:
        """A bad row (its 0-based position in the payload), as DHIS2 names it."""
        entry: dict[str, Any] = {"object": obj, "value": message, "errorCode": code}
        if prop:
            entry["property"] = prop
            entry["objects"] = {prop: obj}
        if index is not None:
            entry["indexes"] = [index]
        self.conflicts.append(entry)

    @property
    def status(self) -> str:
        if self.aborted:
            return "ERROR"
        return "WARNING" if self.conflicts else "SUCCESS"

    def to_dict(self) -> dict:
        description = {
            "ERROR": "Import process was aborted / Đã hủy nhập: không lưu gì",
            "WARNING": "Import process completed with conflicts / Đã nhập, có dòng lỗi",
            "SUCCESS": "Import process completed successfully / Đã nhập xong",
        }[self.status]
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "importOptions": self.options,
            "description": description,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": self.conflicts,
        }

    def response(self) -> JsonResponse:
        """200 when clean; 409 when any row was refused, as DHIS2 (2.36 and later) answers."""
        if self.status == "SUCCESS":
            return web_message(200, "Import was successful.", response=self.to_dict())
        message = (
            "An error occurred, please check import summary."
            if self.aborted
            else "One more conflicts encountered, please check import summary."
        )
        return web_message(409, message, status=self.status, response=self.to_dict())


def json_body(body: bytes, default: bytes = b"{}") -> Any:
    """A request's JSON, or a 400 E7602 that says why: not JSON, not UTF-8, nested too deep
    for the parser (RecursionError), or holding a lone surrogate ("\\ud800"), which no
    database can store."""
    import json

    try:
        payload = json.loads(body or default)
        json.dumps(payload, ensure_ascii=False).encode("utf-8")  # refuses lone surrogates
    except (ValueError, UnicodeError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise Dhis2Error(400, "E7602", f"JSON không hợp lệ / JSON parse error: {reason}") from None
    return payload
