"""Attendance lists from the Excel or CSV files offices keep: rows, not yet checked.

The first row names the columns (English codes or the Vietnamese headings offices use);
``session`` and ``name`` and ``unit`` are needed (or ``person`` for a known person).
Read outside any transaction; the service checks each row, and names a problem by its
row in the file (the heading is row 1, blank rows count).
"""

import datetime as dt
from typing import Any

from trienkhai.activities.services import AttendanceRow
from trienkhai.common.errors import BadInput
from trienkhai.common.uploads import table_rows
from trienkhai.vn.text import fold

HEADINGS = {
    "session": "session",
    "buoi": "session",
    "ngay": "session",
    "name": "name",
    "ho va ten": "name",
    "ho ten": "name",
    "unit": "unit",
    "don vi": "unit",
    "ma don vi": "unit",
    "position": "position",
    "chuc vu": "position",
    "audience": "audience",
    "doi tuong": "audience",
    "person": "person",
    "ma nguoi": "person",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def attendance_rows(name: str, data: bytes) -> list[AttendanceRow]:
    rows = iter(table_rows(name, data))
    header = next(rows, None)
    columns = [HEADINGS.get(fold(_text(cell))) for cell in header or []]
    if "session" not in columns or not ({"name", "unit"} <= set(columns) or "person" in columns):
        raise BadInput(
            "missing_columns",
            "Dòng đầu cần các cột buổi (session), họ và tên (name), đơn vị (unit) / "
            "the first row must name the columns session, name and unit",
        )
    found = []
    for line, row in enumerate(rows, start=2):
        texts = [_text(cell) for cell in row]
        if not any(texts):
            continue
        fields = {col: texts[i] for i, col in enumerate(columns) if col and i < len(texts)}
        found.append(AttendanceRow(**fields, line=line))
    return found
