"""Units from a spreadsheet (CSV or XLSX): every row, or none.

The first row holds the column headers, in Vietnamese or English; accents, case and the
"Vietnamese / English" form of the template are all accepted:

=============  ========================  ========
field          headers                   required
=============  ========================  ========
code           mã, code                  yes
name           tên, name                 yes
kind           loại, kind                yes — a kind's code (commune) or name (Xã)
parent         cấp trên, parent          yes — an existing unit's code, or one on an earlier row
valid_from     từ ngày, valid_from       yes — dd/mm/yyyy or yyyy-mm-dd
abbreviation   viết tắt, abbreviation    no
official_code  mã chính thức, official   no — stored in the "gso" scheme
=============  ========================  ========

Other columns are ignored (a "ghi chú" column does no harm). A file is checked whole
before anything is written; any problem raises ``BadInput`` and nothing is saved.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai import vn
from trienkhai.common import actors, uploads
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, one_language
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.vn import fold, format_date, nfc, parse_date
from trienkhai.web.labels import local_name, unit_name

COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    # field: (template header, accepted headers once folded)
    "code": ("Mã / code", ("ma", "ma don vi", "code", "unit code")),
    "name": ("Tên / name", ("ten", "ten don vi", "name")),
    "kind": ("Loại / kind", ("loai", "loai don vi", "kind")),
    "parent": ("Cấp trên / parent", ("cap tren", "ma cap tren", "don vi cap tren", "parent")),
    "valid_from": ("Từ ngày / valid_from", ("tu ngay", "hieu luc tu", "valid from")),
    "abbreviation": ("Viết tắt / abbreviation", ("viet tat", "ten viet tat", "abbreviation")),
    "official_code": (
        "Mã chính thức / official_code",
        ("ma chinh thuc", "ma hanh chinh", "official code"),
    ),
}
REQUIRED = ("code", "name", "kind", "parent", "valid_from")
OFFICIAL_SCHEME = "gso"

MAX_ROWS = 50_000
"""More rows than the whole country has units (14,165): beyond that it is not a unit list."""

_LIMITS = {"name": 200, "abbreviation": 30, "official_code": 20}
_SEPARATORS = re.compile(r"[_\-.:*]+")


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    problems: list[dict] = field(default_factory=list)
    valid_from: dt.date | None = None
    kind: UnitKind | None = None

    def fail(self, column: str, problem: str, shown: str | None = None) -> None:
        """A problem in ``column``: ``problem`` bilingual (the API's), ``shown`` in the
        reader's language with names for the import page (else the reader's half)."""
        self.problems.append(
            {"row": self.number, "column": column, "problem": problem, "shown": shown}
        )

    def text(self, column: str) -> str:
        return _text(self.values.get(column))


def import_units_file(
    *,
    acting_user: Actor,
    name: str,
    data: bytes,
) -> list[Unit]:
    """Create one unit per row of the CSV or XLSX file ``name`` with content ``data``.

    All rows or none, in one transaction, through ``services.create_unit`` (so the
    audit records ``acting_user``). Raises PermissionDenied unless the actor may change
    some unit; then whether they may add units under each existing parent (CHANGE), or
    a row without a parent (MANAGE_KINDS, a new root), is a row error.

    Raises ``BadInput``: "invalid_file" with ``details`` = one entry per problem
    ({"row", "column", "problem"}) for every bad row; for a file that cannot be read as
    a unit list "file_too_large" (also an .xlsx that would unpack past
    ``uploads.XLSX_EXPANSION`` times the upload limit: a zip bomb), "unsupported_file",
    "wrong_content" (content that does not match the extension), "unreadable_file",
    "not_utf8", "empty_file", "no_header", "missing_columns" or "too_many_rows".
    """
    actors.require(acting_user, services.CHANGE)
    table = _read_table(name, data)
    rows = _rows(table)
    _check(rows, acting_user)
    bad = [problem for row in rows for problem in row.problems]
    if bad:
        count = len({problem["row"] for problem in bad})
        raise BadInput(
            "invalid_file",
            f"{count} dòng có lỗi; chưa nhập dòng nào / "
            f"{count} row(s) have errors; nothing was imported",
            details=[{k: v for k, v in p.items() if k != "shown"} for p in bad],
            shown_details=[
                {
                    "row": p["row"],
                    "column": one_language(COLUMNS[p["column"]][0]),
                    "problem": p["shown"] or one_language(p["problem"]),
                }
                for p in bad
            ],
        )
    return _create(rows, acting_user)


def units_template_xlsx() -> bytes:
    """An empty workbook with the headers ``import_units_file`` reads, and a help sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đơn vị - Units"
    sheet.append([label for label, _ in COLUMNS.values()])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=column in REQUIRED)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 34 if column == "name" else 22
        # Text cells: Excel keeps "00004" and "05/08/2021" as typed, instead of dropping
        # the zeros or reading the date month-first in an English locale.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet("Hướng dẫn - Help")
    help_sheet.append(["Cột / column", "Bắt buộc / required", "Ghi chú / notes"])
    notes = {
        "code": "Mã riêng của đơn vị, không trùng / the unit's own code, unique",
        "kind": "Mã hoặc tên loại (xem dưới) / a kind's code or name (below)",
        "parent": "Mã đơn vị đã có, hoặc ở dòng trên / an existing code, or one on an earlier row",
        "valid_from": "dd/mm/yyyy",
        "official_code": "Mã của Cục Thống kê / the statistics office's code",
    }
    for column, (label, _folded) in COLUMNS.items():
        required = "có / yes" if column in REQUIRED else "không / no"
        help_sheet.append([label, required, notes.get(column, "")])
    help_sheet.append([])
    help_sheet.append(["Loại / kind", "Tên / name", "English"])
    for code, kind_name, name_en in UnitKind.objects.values_list("code", "name", "name_en"):
        help_sheet.append([code, kind_name, name_en])
    for letter, width in (("A", 30), ("B", 40), ("C", 70)):
        help_sheet.column_dimensions[letter].width = width

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reading -------------------------------------------------------------------------------


def _read_table(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    """(row number, cell values) for every non-blank row, the header first."""
    rows = _non_blank(enumerate(uploads.table_rows(name, data), start=1))
    if not rows:
        raise BadInput("empty_file", "Tệp không có dữ liệu / the file has no data")
    return rows


def _non_blank(rows: Iterable[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The rows with something in them, numbered as in the file; at most MAX_ROWS + header.

    Blank rows do not count: Excel sheets often carry thousands of empty formatted rows.
    """
    found: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        if any(_text(value) for value in values):
            if len(found) > MAX_ROWS:
                raise BadInput(
                    "too_many_rows",
                    f"Tệp có hơn {MAX_ROWS:,} dòng / the file has more than {MAX_ROWS:,} rows",
                )
            found.append((number, values))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 91 as 91.0
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return nfc(str(value))


def _header_key(text: str) -> str:
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


_ALIASES = {
    _header_key(alias): column for column, (_, aliases) in COLUMNS.items() for alias in aliases
}


def _columns(number: int, header: list[Any]) -> dict[int, str]:
    """Position → field, from the header row; raises if it cannot be understood."""
    found: dict[int, str] = {}
    problems = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header):
        text = _text(cell)
        parts = [text, *re.split(r"[/()]", text)]
        column = next((_ALIASES[k] for k in map(_header_key, parts) if k in _ALIASES), None)
        if column is None:
            continue
        if column in seen:
            problems.append(
                {
                    "row": number,
                    "column": column,
                    "problem": f"Cột {text!r} lặp lại / column {text!r} appears twice",
                }
            )
        seen[column] = position
        found[position] = column
    if not found:
        raise BadInput(
            "no_header",
            "Dòng đầu phải là tiêu đề cột: mã, tên, loại, cấp trên, từ ngày / "
            "the first row must hold the column headers: code, name, kind, parent, valid_from",
        )
    for column in REQUIRED:
        if column not in seen:
            label = COLUMNS[column][0]
            problems.append(
                {"row": number, "column": column, "problem": f"Thiếu cột / missing column: {label}"}
            )
    if problems:
        raise BadInput(
            "missing_columns",
            "Tiêu đề cột chưa đúng / the column headers are wrong",
            details=problems,
        )
    return found


def _rows(table: list[tuple[int, list[Any]]]) -> list[_Row]:
    (header_number, header), *body = table
    if header_number != 1:
        raise BadInput(
            "no_header",
            "Dòng 1 phải là tiêu đề cột / row 1 must hold the column headers",
        )
    columns = _columns(header_number, header)
    if not body:
        raise BadInput(
            "empty_file", "Tệp chỉ có tiêu đề, không có dòng nào / no rows below the header"
        )
    return [
        _Row(
            number=number,
            values={columns[i]: value for i, value in enumerate(values) if i in columns},
        )
        for number, values in body
    ]


# Checking ------------------------------------------------------------------------------


def _kinds() -> dict[str, UnitKind]:
    """Kinds by folded code, name and English name ("xa", "commune" → the commune kind)."""
    found: dict[str, UnitKind] = {}
    for kind in UnitKind.objects.all():
        for label in (kind.name_en, kind.name, kind.code):
            if label:
                found[fold(label)] = kind
    return found


def _existing(codes: set[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), 500):  # within SQLite's limit on parameters
        chunk = ordered[start : start + 500]
        # Versions too: a row's problem names the unit it meets ("Mã … đã là mã của …").
        units = Unit.objects.filter(code__in=chunk).prefetch_related("versions")
        found.update((unit.code, unit) for unit in units)
    return found


def _check(rows: list[_Row], acting_user: Actor) -> None:
    """Record every problem of every row in ``row.problems``; write nothing."""
    kinds = _kinds()
    codes = {row.text("code") for row in rows} | {row.text("parent") for row in rows}
    existing = _existing(codes - {""})
    first_row: dict[str, _Row] = {}
    for row in rows:
        for column in REQUIRED:
            if not row.text(column):
                label = COLUMNS[column][0]
                row.fail(column, f"Thiếu giá trị / missing value: {label}", _("Thiếu giá trị."))
        for column, limit in _LIMITS.items():
            if len(row.text(column)) > limit:
                row.fail(column, f"Dài quá {limit} ký tự / longer than {limit} characters")
        _check_code(row, first_row, existing)
        _check_kind(row, kinds)
        _check_date(row)
        first_row.setdefault(row.text("code"), row)
    for row in rows:
        _check_parent(row, first_row, existing, acting_user)


def _check_code(row: _Row, first_row: dict[str, _Row], existing: dict[str, Unit]) -> None:
    code = row.text("code")
    if not code:
        return
    try:
        services.check_code(code)
    except BadInput as exc:
        row.fail("code", exc.message)
        return
    if code in first_row:
        earlier = first_row[code].number
        row.fail("code", f"Mã {code} trùng với dòng {earlier} / code {code} repeats row {earlier}")
    elif code in existing:
        row.fail(
            "code",
            f"Mã {code} đã có trong hệ thống / code {code} already exists",
            _("Mã %(code)s đã là mã của %(unit)s.")
            % {"code": code, "unit": unit_name(existing[code])},
        )


def _check_kind(row: _Row, kinds: dict[str, UnitKind]) -> None:
    text = row.text("kind")
    if not text:
        return
    row.kind = kinds.get(fold(text))
    if row.kind is None:
        known = ", ".join(sorted({kind.code for kind in kinds.values()}))
        names = sorted({local_name(kind) for kind in kinds.values()}, key=vn.sort_key)
        row.fail(
            "kind",
            f"Không có loại {text!r} (dùng: {known}) / unknown kind {text!r} ({known})",
            _("Không có loại đơn vị “%(text)s”; các loại có: %(names)s.")
            % {"text": text, "names": ", ".join(names)},
        )


def _check_date(row: _Row) -> None:
    value = row.values.get("valid_from")
    if isinstance(value, dt.datetime):
        row.valid_from = value.date()
    elif isinstance(value, dt.date):
        row.valid_from = value
    elif row.text("valid_from"):
        try:
            row.valid_from = parse_date(row.text("valid_from"))
        except ValueError as exc:
            row.fail("valid_from", str(exc))


def _check_parent(
    row: _Row,
    first_row: dict[str, _Row],
    existing: dict[str, Unit],
    acting_user: Actor,
) -> None:
    code, parent = row.text("code"), row.text("parent")
    if not parent:
        # A unit without a parent is a new root: asked of the policy as "under nothing".
        if not actors.can(acting_user, services.MANAGE_KINDS):
            row.fail(
                "parent",
                "Chỉ quản trị toàn quốc thêm đơn vị gốc; hãy ghi đơn vị cấp trên / "
                "only national admins add root units; give a parent",
            )
        return
    if parent == code:
        row.fail(
            "parent", f"{code} không thể là cấp trên của chính nó / {code} cannot be its own parent"
        )
        return
    in_file = first_row.get(parent)
    day = row.valid_from
    if in_file is not None and in_file.number < row.number and parent not in existing:
        if in_file.problems:
            row.fail(
                "parent",
                f"Đơn vị cấp trên {parent} (dòng {in_file.number}) có lỗi / "
                f"parent {parent} (row {in_file.number}) has errors",
            )
        elif day is not None and in_file.valid_from is not None and in_file.valid_from > day:
            row.fail(
                "parent",
                f"Đơn vị cấp trên {parent} chỉ có từ ngày {format_date(in_file.valid_from)} / "
                f"parent {parent} exists only from {in_file.valid_from.isoformat()}",
                _("Đơn vị cấp trên %(name)s (%(code)s, dòng %(row)s) chỉ có từ ngày %(day)s.")
                % {
                    "name": in_file.text("name"),
                    "code": parent,
                    "row": in_file.number,
                    "day": format_date(in_file.valid_from),
                },
            )
        return
    unit = existing.get(parent)
    if unit is None:
        where = (
            f" (ở dòng {in_file.number}, phải ở trên / on row {in_file.number}, it must come first)"
            if in_file is not None
            else ""
        )
        row.fail("parent", f"Không có đơn vị cấp trên / unknown parent: {parent}{where}")
    elif day is not None and not unit.is_valid_on(day):
        row.fail(
            "parent",
            f"Đơn vị cấp trên {parent} không tồn tại vào ngày {format_date(day)} / "
            f"parent {parent} does not exist on {day.isoformat()}",
            _("Đơn vị cấp trên %(name)s (%(code)s) không tồn tại vào ngày %(day)s.")
            % {"name": unit_name(unit, day), "code": parent, "day": format_date(day)},
        )
    elif not actors.can(acting_user, services.CHANGE, unit):
        row.fail(
            "parent",
            f"Bạn không được thêm đơn vị dưới {parent} / you may not add units under {parent}",
            _("Bạn không được thêm đơn vị dưới %(name)s (%(code)s).")
            % {"name": unit_name(unit, day), "code": parent},
        )


# Writing -------------------------------------------------------------------------------


@transaction.atomic
def _create(rows: list[_Row], acting_user: Actor) -> list[Unit]:
    created: dict[str, Unit] = {}
    parents = _existing({row.text("parent") for row in rows})
    for row in rows:
        assert row.kind is not None and row.valid_from is not None
        official = row.text("official_code")
        try:
            unit = services.create_unit(
                acting_user=acting_user,
                code=row.text("code"),
                name=row.text("name"),
                kind=row.kind,
                valid_from=row.valid_from,
                parent=created.get(row.text("parent")) or parents[row.text("parent")],
                abbreviation=row.text("abbreviation"),
                official_codes={OFFICIAL_SCHEME: official} if official else None,
            )
        except BadInput as exc:  # e.g. a unit added by someone else since the check
            raise BadInput(
                "invalid_file",
                f"Dòng {row.number} không nhập được; chưa nhập dòng nào / "
                f"row {row.number} could not be imported; nothing was imported",
                details=[{"row": row.number, "column": "code", "problem": exc.message}],
            ) from exc
        created[unit.code] = unit
    return list(created.values())
