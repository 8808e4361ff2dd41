"""Attendance lists, members' pledge lists and channels' counts from the Excel or CSV
files offices keep: rows, not yet checked.

The first row names the columns (English codes or the Vietnamese headings offices use);
``session`` and ``name`` and ``unit`` are needed (or ``person`` for a known person).
Read outside any transaction; the service checks each row, and names a problem by its
row in the file (the heading is row 1, blank rows count).
"""

import datetime as dt
from typing import Any

from trienkhai.activities.channels import PostCountRow
from trienkhai.activities.pledges import PledgeRow
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


PLEDGE_HEADINGS = {
    "name": "name",
    "ho va ten": "name",
    "ho ten": "name",
    "position": "position",
    "chuc vu": "position",
    "unit": "unit",
    "don vi": "unit",
    "ma don vi": "unit",
    "chi bo": "unit",
    "person": "person",
    "ma nguoi": "person",
    "submitted": "submitted",
    "ngay nop": "submitted",
    "ngay nop ban dang ky": "submitted",
}


def _columns(header, headings: dict[str, str]) -> list[str | None]:
    # "Số tin, bài" and "Số tin bài" alike: folded, punctuation as spaces.
    def key(cell: Any) -> str:
        text = "".join(c if c.isalnum() else " " for c in fold(_text(cell)))
        return " ".join(text.split())

    return [headings.get(key(cell)) for cell in header or []]


def pledge_rows(name: str, data: bytes) -> list[PledgeRow]:
    """A cell's list of members: name (or person), and the day each handed in a pledge."""
    rows = iter(table_rows(name, data))
    columns = _columns(next(rows, None), PLEDGE_HEADINGS)
    if "name" not in columns and "person" not in columns:
        raise BadInput(
            "missing_columns",
            "Dòng đầu cần cột họ và tên (name) và ngày nộp (submitted) / "
            "the first row must name the columns name and submitted",
        )
    found = []
    for line, row in enumerate(rows, start=2):
        texts = [_text(cell) for cell in row]
        if not any(texts):
            continue
        fields = {col: texts[i] for i, col in enumerate(columns) if col and i < len(texts)}
        found.append(PledgeRow(**fields, line=line))
    return found


COUNT_HEADINGS = {
    "period": "period",
    "ky": "period",
    "thang": "period",
    "posts": "posts",
    "so tin bai": "posts",
    "tin bai": "posts",
    "so tin": "posts",
}


def post_count_rows(name: str, data: bytes) -> list[PostCountRow]:
    """A channel's counts: period (202001, 01/2020, 2020Q1 …) and the number of items.

    A date in the period column (Excel turns "01/2020" into 1 January 2020) is its month."""
    rows = iter(table_rows(name, data))
    columns = _columns(next(rows, None), COUNT_HEADINGS)
    if not {"period", "posts"} <= set(columns):
        raise BadInput(
            "missing_columns",
            "Dòng đầu cần các cột kỳ (period) và số tin, bài (posts) / "
            "the first row must name the columns period and posts",
        )
    found = []
    for line, row in enumerate(rows, start=2):
        cells = list(row)
        texts = [_text(cell) for cell in cells]
        if not any(texts):
            continue
        fields = {}
        for i, col in enumerate(columns):
            if col and i < len(cells):
                cell = cells[i]
                if col == "period" and isinstance(cell, dt.date):
                    fields[col] = f"{cell.year}{cell.month:02d}"
                else:
                    fields[col] = texts[i]
        found.append(
            PostCountRow(period=fields.get("period", ""), posts=fields.get("posts", ""), line=line)
        )
    return found
