"""Cells of files that Excel opens: what people typed stays text, never a formula.

A unit name, a document's summary or a text value typed as ``=HYPERLINK(...)`` or
``+cmd|...`` would run as a formula in the reader's spreadsheet (CSV or formula
injection, OWASP). Every CSV and .xlsx export writes its cells through here:

- CSV: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe, which spreadsheets show as text and do not evaluate (OWASP's
  advice). Numbers, and texts that are only a number (``-3``, ``-20,5``), are left as
  they are. ``uploads.csv_rows`` takes the apostrophe off again, so an exported file
  imports back to the same texts.
- .xlsx: such a text is written as a text cell (openpyxl would store a text starting
  with ``=`` as a formula); the reader sees exactly what was typed.
"""

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV row: a text a spreadsheet would read as a formula is quoted."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if value[:1] == "'" and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value  # typed with apostrophes already: csv_uncell takes one off
    return value


def csv_uncell(value: str) -> str:
    """The text ``csv_cell`` quoted, as it was."""
    if value[:1] == "'" and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def xlsx_row(sheet, values: Iterable[Any]) -> list[Any]:
    """``values`` for ``sheet.append`` on a write-only sheet: formula-like texts as text cells."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row


def defuse(sheet, *, keep: Iterable[str] = ()) -> None:
    """Turn every formula cell of ``sheet`` (a normal, not write-only, sheet) into text,
    but those at the coordinates ``keep``: the formulas the export wrote on purpose."""
    kept = set(keep)
    for row in sheet.iter_rows():
        for cell in row:
            if (
                cell.data_type == "f"
                and isinstance(cell.value, str)
                and cell.coordinate not in kept
            ):
                cell.data_type = "s"
