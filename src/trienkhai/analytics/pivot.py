"""Lay figures out as a pivot table: rows and columns chosen among four dimensions.

Pure layout, no arithmetic: every number, totals included, comes from the rollup engine.
A total is the engine's figure for the dimension's *total member* — the chosen unit
itself for its subordinates (its rollup, not a sum of the rows shown: averages, "last
in period" and a reported total that stands are right), the span for its periods, the
indicator without disaggregation for its options. Indicators have no total member
(adding documents to attendances means nothing), so a table with indicators across its
columns has no total column.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.common.spreadsheets import csv_cell, defuse

DIMENSIONS = ("unit", "period", "indicator", "option")
DIMENSION_LABELS = {
    "unit": gettext_lazy("Đơn vị"),
    "period": gettext_lazy("Kỳ"),
    "indicator": gettext_lazy("Chỉ tiêu"),
    "option": gettext_lazy("Đối tượng (phân tổ)"),
}

Key = tuple[str, str, str, str]
"""(indicator code, option code, period id or span, unit code): the engine's cell."""


@dataclass(frozen=True)
class Member:
    """One value of a dimension: its key in the engine's cells and what the table shows."""

    key: str
    label: str


@dataclass
class Row:
    headers: tuple[Member, ...]
    cells: list[Decimal | None]
    total: Decimal | None = None


@dataclass
class Pivot:
    row_dims: list[str]
    col_dims: list[str]
    columns: list[tuple[Member, ...]]
    rows: list[Row]
    has_total_column: bool = False
    total_row: Row | None = None
    fixed: dict[str, Member] = field(default_factory=dict)
    """The dimensions on neither axis, each with its one member."""

    def header_rows(self) -> list[list[tuple[str, int]]]:
        """Column headers, one line per column dimension, as (label, colspan) runs."""
        lines = []
        for depth in range(len(self.col_dims)):
            runs: list[tuple[str, int]] = []
            previous: tuple[Member, ...] | None = None
            for column in self.columns:
                prefix = column[: depth + 1]
                if runs and prefix == previous:
                    label, span = runs[-1]
                    runs[-1] = (label, span + 1)
                else:
                    runs.append((column[depth].label, 1))
                previous = prefix
            lines.append(runs)
        return lines

    def table(self) -> list[list[object]]:
        """The table as plain rows (headers first) for CSV and Excel; numbers stay numbers."""
        head: list[object] = [str(DIMENSION_LABELS[d]) for d in self.row_dims]
        head += [" · ".join(m.label for m in column) for column in self.columns]
        if self.has_total_column:
            head.append(_("Tổng"))
        lines: list[list[object]] = [head]
        for row in [*self.rows, *([self.total_row] if self.total_row else [])]:
            line: list[object] = [m.label for m in row.headers]
            line += list(row.cells)
            if self.has_total_column:
                line.append(row.total)
            lines.append(line)
        return lines


def layout(
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    members: Mapping[str, Sequence[Member]],
    totals: Mapping[str, Member | None],
    values: Mapping[Key, Decimal | None],
) -> Pivot:
    """The pivot of ``values`` with ``rows`` × ``columns`` dimensions.

    ``members`` lists each dimension's members in display order; a dimension on neither
    axis must have exactly one. ``totals`` gives each dimension's total member (None:
    no total). The total column exists when every column dimension has a total member,
    the total row when every row dimension does; their cells are looked up in
    ``values`` like any other.
    """
    placed = [*rows, *columns]
    if len(set(placed)) != len(placed) or not set(placed) <= set(DIMENSIONS):
        raise ValueError(f"rows {rows} and columns {columns} must be distinct dimensions")
    fixed = {}
    for dim in DIMENSIONS:
        if dim not in placed:
            if len(members[dim]) != 1:
                raise ValueError(f"{dim} is on no axis and has {len(members[dim])} members")
            fixed[dim] = members[dim][0]

    def key(coords: dict[str, Member]) -> Key:
        every = {**fixed, **coords}
        return (every["indicator"].key, every["option"].key, every["period"].key, every["unit"].key)

    col_list: list[tuple[Member, ...]] = list(product(*(members[d] for d in columns)))
    col_total = tuple(totals.get(d) for d in columns)
    has_total_column = bool(columns) and all(m is not None for m in col_total)
    row_total = tuple(totals.get(d) for d in rows)
    has_total_row = bool(rows) and all(m is not None for m in row_total)

    def make_row(headers: tuple[Member, ...]) -> Row:
        base = dict(zip(rows, headers, strict=True))
        cells = [values.get(key({**base, **dict(zip(columns, c, strict=True))})) for c in col_list]
        total = None
        if has_total_column:
            total = values.get(key({**base, **dict(zip(columns, col_total, strict=True))}))  # type: ignore[arg-type]
        return Row(headers, cells, total)

    body = [make_row(h) for h in product(*(members[d] for d in rows))]
    total_row = make_row(row_total) if has_total_row else None  # type: ignore[arg-type]
    return Pivot(list(rows), list(columns), col_list, body, has_total_column, total_row, fixed)


def to_csv(pivot: Pivot) -> str:
    """CSV with a BOM (Excel opens UTF-8 Vietnamese correctly); numbers with a decimal point."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for line in pivot.table():
        writer.writerow([_plain(csv_cell(v)) for v in line])
    return buffer.getvalue()


def _plain(value: object) -> object:
    """A number as CSV readers take it: '7', '12.5' (no trailing zeros, no exponent)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def to_xlsx(pivot: Pivot, *, title: str, notes: Sequence[str] = ()) -> bytes:
    """The same table as an .xlsx sheet: a title, the notes (filters), then the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Bảng tổng hợp")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in notes:
        sheet.append([note])
    sheet.append([])
    header_row = sheet.max_row + 1
    lines = pivot.table()
    for line in lines:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in line])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
    if pivot.total_row is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=len(pivot.row_dims) + 1):
        for cell in row:
            cell.number_format = "#,##0.##"
    defuse(sheet)
    for n, dim in enumerate(pivot.row_dims, start=1):
        sheet.column_dimensions[sheet.cell(row=header_row, column=n).column_letter].width = (
            40 if dim in {"unit", "indicator"} else 16
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
