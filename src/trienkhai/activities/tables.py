"""Attendance lists, members' pledge lists and channels' counts from the Excel or CSV
files offices keep: rows, not yet checked.

The first row names the columns (English codes or the Vietnamese headings offices use);
``session`` and ``name`` and ``unit`` are needed (or ``person`` for a known person).
Read outside any transaction; the service checks each row, and names a problem by its
row in the file (the heading is row 1, blank rows count).
"""

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.utils import translation

from trienkhai.activities.channels import PostCountRow
from trienkhai.activities.models import Audience, Event
from trienkhai.activities.pledges import PledgeRow
from trienkhai.activities.services import AttendanceRow
from trienkhai.common.errors import BadInput
from trienkhai.common.uploads import table_rows
from trienkhai.vn import format_date, parse_date
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
    "site": "site",
    "diem cau": "site",
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


def _session(text: str) -> str:
    """A session written as a day the way offices type it ("05/08/2021") is its ISO date;
    anything else (an id, an ISO date, a mistake) is left for the service to judge."""
    if not text or text.isdigit():
        return text
    try:
        return parse_date(text).isoformat()
    except ValueError:
        return text


def _audience(text: str) -> str:
    """An audience group in words ("Đảng viên", "dang vien") is its code ("dang_vien"):
    the codes are the Vietnamese words folded. Anything else is left for the service."""
    code = fold(text).replace(" ", "_")
    return code if code in Audience.values else text


def attendance_rows(name: str, data: bytes) -> list[AttendanceRow]:
    """An attendance list's rows. A session may be a day as dd/mm/yyyy, an audience group
    its words: both are read as the service's codes."""
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
        if "session" in fields:
            fields["session"] = _session(fields["session"])
        if "audience" in fields:
            fields["audience"] = _audience(fields["audience"])
        found.append(AttendanceRow(**fields, line=line))
    return found


ATTENDANCE_COLUMNS = (
    ("Buổi", "Ngày của buổi, dd/mm/yyyy / the session's day", 14),
    ("Họ và tên", "Bắt buộc / required", 30),
    (
        "Đơn vị",
        "Tên đơn vị của người tham gia, như trong danh sách dưới (hoặc mã đơn vị) / "
        "the person's unit by name, as listed below (or its code)",
        30,
    ),
    ("Chức vụ", "Không bắt buộc / optional", 24),
    ("Đối tượng", "Không bắt buộc; một trong các nhóm dưới / optional; a group below", 20),
)
"""The template's headings (what ``HEADINGS`` reads), what each takes, its width."""
SITE_COLUMN = (
    "Điểm cầu",
    "Không bắt buộc: đơn vị có điểm cầu nơi người đó dự, như trong danh sách dưới; để "
    "trống là điểm cầu chính / optional: the connected site they followed from, as listed "
    "below; empty: the main site",
    30,
)
"""The column an online conference's template adds when it has connected sites."""


def attendance_template(
    event: Event,
    units: Sequence[tuple[str, str]] = (),
    sites: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An empty attendance list of ``event`` with the Vietnamese headings ``attendance_rows``
    reads, and a help sheet: the columns, the event's sessions, the audience groups and
    ``units`` (code, name) whose people usually attend; with an online conference's
    ``sites`` (host name, code), a column for the site and their list."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    columns = (*ATTENDANCE_COLUMNS, SITE_COLUMN) if sites else ATTENDANCE_COLUMNS
    help_sheet = _list_sheets(book, "Điểm danh", columns)
    help_sheet.append([])
    help_sheet.append(["Buổi / sessions", event.title])
    for number, session in enumerate(event.sessions.all(), start=1):
        help_sheet.append([format_date(session.date), f"Buổi {number}"])
    help_sheet.append([])
    help_sheet.append(["Đối tượng / audience groups", ""])
    for code in Audience.values:
        label = Audience(code).label
        with translation.override("vi"):
            vietnamese = str(label)
        with translation.override("en"):
            english = str(label)
        help_sheet.append([vietnamese, english])
    if sites:
        help_sheet.append([])
        help_sheet.append(["Điểm cầu / connected sites", "Mã đơn vị / unit code"])
        for site_name, code in sites:
            help_sheet.append([site_name, code])
    if units:
        help_sheet.append([])
        help_sheet.append(["Đơn vị / units", "Mã đơn vị / unit code"])
        for code, unit_name in units:
            help_sheet.append([unit_name, code])
    for cell in help_sheet["A"]:
        if cell.value and str(cell.value).endswith(
            ("column", "sessions", "groups", "units", "sites")
        ):
            cell.font = Font(bold=True)
    return _saved(book)


def _list_sheets(book, title: str, columns: Sequence[tuple[str, str, int]], rows=()):
    """The list's sheet ``title`` in ``book``: bold headings, widths, text cells, the
    given ``rows``; and its help sheet, which says what each column takes (returned, for
    more lines)."""
    from openpyxl.styles import Font

    sheet = book.active
    sheet.title = title
    sheet.append([heading for heading, _note, _width in columns])
    for row in rows:
        sheet.append(list(row))
    for index, (_heading, _note, width) in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
        # Text cells: Excel keeps "05/08/2021" and "00004" as typed, instead of reading the
        # day month-first in an English locale or dropping the zeros.
        for row_number in range(2, len(rows) + 1002):
            sheet.cell(row=row_number, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("Hướng dẫn")
    help_sheet.append(["Cột / column", "Ghi chú / notes"])
    for heading, note, _width in columns:
        help_sheet.append([heading, note])
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 60
    return help_sheet


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


PLEDGE_COLUMNS = (
    ("Họ và tên", "Bắt buộc / required", 30),
    ("Chức vụ", "Không bắt buộc / optional", 24),
    (
        "Ngày nộp",
        "Ngày nộp bản đăng ký, dd/mm/yyyy; để trống nếu chưa nộp / "
        "the day the pledge was handed in; empty: not yet",
        16,
    ),
)
"""The pledge template's headings (what ``PLEDGE_HEADINGS`` reads), notes and widths."""


def pledge_template(members: Sequence[dict] = (), *, deadline: dt.date | None = None) -> bytes:
    """A cell's list of members for ``pledge_rows``: the ``members`` already on it (name,
    position, day handed in; ``pledges.members``) to complete, or empty; the help sheet
    says the deadline. Only what the list keeps: no column for what a pledge says."""
    from openpyxl import Workbook

    book = Workbook()
    rows = [
        (m["name"], m["position"], format_date(m["submitted"]) if m["submitted"] else "")
        for m in members
    ]
    help_sheet = _list_sheets(book, "Đảng viên", PLEDGE_COLUMNS, rows)
    if deadline is not None:
        help_sheet.append([])
        help_sheet.append(["Hạn nộp / deadline", format_date(deadline)])
    return _saved(book)


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


COUNT_COLUMNS = (
    (
        "Kỳ",
        "Tháng mm/yyyy (01/2020), quý (2020Q1), 6 tháng (2020S1) hoặc năm (2020) / "
        "a month mm/yyyy, a quarter, a half-year or a year",
        14,
    ),
    ("Số tin, bài", "Số nguyên từ 0 / a whole number from 0", 14),
)


def post_count_template(year: int, counted: dict[str, int] | None = None) -> bytes:
    """A channel's counts of ``year`` for ``post_count_rows``: one row a month ("01/2020"),
    with the numbers already ``counted`` (period id → items) filled in."""
    from openpyxl import Workbook

    counted = counted or {}
    rows = [
        (f"{month:02d}/{year}", str(counted[f"{year}{month:02d}"]))
        if f"{year}{month:02d}" in counted
        else (f"{month:02d}/{year}", "")
        for month in range(1, 13)
    ]
    book = Workbook()
    _list_sheets(book, "Số tin, bài", COUNT_COLUMNS, rows)
    return _saved(book)
