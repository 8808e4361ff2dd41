"""Rollup rows as files: CSV (UTF-8 with BOM, so Excel shows the Vietnamese letters) and XLSX.

Both have the columns of the JSON rows: indicator, option, period, unit, value. Values
are plain numbers (a point for decimals in CSV, as machines read it; number cells in
XLSX, which Excel shows in the reader's locale); an empty cell is a missing value.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from trienkhai.analytics.engine import Cell
from trienkhai.common.spreadsheets import csv_row, xlsx_row

COLUMNS = ("indicator", "option", "period", "unit", "value")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def number(value: Decimal | None) -> int | float | None:
    """A JSON-friendly number: integral values as int, others as float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def to_csv(cells: Iterable[Cell]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in cells:
        value = number(c.value)
        writer.writerow(
            csv_row([c.indicator, c.option, c.period, c.unit, "" if value is None else value])
        )
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(cells: Iterable[Cell]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tổng hợp - analytics")
    sheet.append(list(COLUMNS))
    for c in cells:
        sheet.append(xlsx_row(sheet, [c.indicator, c.option, c.period, c.unit, number(c.value)]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
