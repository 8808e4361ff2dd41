"""Exports keep typed text as text: no formula reaches the reader's spreadsheet."""

import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from trienkhai.common.spreadsheets import csv_cell, csv_uncell, defuse, xlsx_row

HOSTILE = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


def test_it_quotes_formula_texts_and_leaves_numbers_alone():
    for text in HOSTILE:
        assert csv_cell(text) == "'" + text
    for plain in ["-3", "20.673", "-20,5", "+7", "Xã A", "", 12, -3, None]:
        assert csv_cell(plain) == plain


@given(st.text() | st.sampled_from(["'=1", "''=1", "'-x", "'", "'a"]).map(lambda s: s + "x"))
def test_it_reads_back_every_text_it_quoted(text):
    assert csv_uncell(csv_cell(text)) == text


def test_it_writes_formula_texts_as_text_cells_in_both_kinds_of_sheet():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("a")
    sheet.append(xlsx_row(sheet, [*HOSTILE, 5]))
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert [c.value for c in read[1]] == [*HOSTILE, 5]
    assert all(c.data_type != "f" for c in read[1])

    book = Workbook()
    sheet = book.active
    sheet.append(HOSTILE)
    sheet["A2"] = "=SUM(B1:C1)"
    defuse(sheet, keep=["A2"])
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in read[1]] == HOSTILE
    assert all(c.data_type != "f" for c in read[1])
    assert read["A2"].data_type == "f"
