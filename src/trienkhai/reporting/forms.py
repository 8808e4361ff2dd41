"""Forms of the reporting pages: the decisions on a report, and the one-cell JSON save."""

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

from trienkhai.common.errors import BadInput
from trienkhai.reporting import services
from trienkhai.web.forms import ServiceForm


class CommentForm(ServiceForm):
    """Return or unlock: the reason is required, and the reporter reads it."""

    comment = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    error_fields = {"comment_required": "comment"}


class _Cell(BaseModel):
    indicator: str
    option: str = ""
    value: str | int | float | None = None
    comment: str | None = None
    version: int | None = None


class _Cells(BaseModel):
    cells: list[_Cell]


MAX_CELLS = 5000
"""A pasted block larger than this is refused: no form has that many cells."""


def parse_cells(body: bytes) -> list[services.CellInput]:
    """The cells of a save request ``{"cells": [{"indicator", "option", "value", ...}]}``."""
    try:
        parsed = _Cells.model_validate_json(body or b"{}")
    except ValidationError as exc:
        raise BadInput(
            "invalid_input",
            f"Dữ liệu không hợp lệ / invalid input: {exc.errors()[0].get('msg', '')}",
        ) from None
    if not parsed.cells or len(parsed.cells) > MAX_CELLS:
        raise BadInput("invalid_input", "Không có ô nào để lưu / no cells to save")
    return [services.CellInput(**cell.model_dump()) for cell in parsed.cells]
