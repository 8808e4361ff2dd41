"""The pivot layout and its downloads (the .xlsx opened back with openpyxl)."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from trienkhai.analytics import pivot
from trienkhai.analytics.pivot import Member

U1, U2, D = Member("C1", "Xã A"), Member("C2", "Xã B"), Member("D1", "Tổng: Huyện")
P1, P2, SPAN = (
    Member("2020S1", "6 tháng đầu"),
    Member("2020S2", "6 tháng cuối"),
    Member("2020S1..2020S2", "Cả kỳ"),
)
LOP, NGUOI = Member("lop", "Số lớp"), Member("nguoi", "Lượt người")
ALL = Member("", "Tổng")

# Totals deliberately unlike the sum of the cells: the layout must look them up, not add.
VALUES = {
    ("lop", "", "2020S1", "C1"): Decimal(1),
    ("lop", "", "2020S2", "C1"): Decimal(2),
    ("lop", "", "2020S1", "C2"): Decimal(3),
    ("lop", "", "2020S2", "C2"): None,
    ("lop", "", "2020S1..2020S2", "C1"): Decimal(30),
    ("lop", "", "2020S1..2020S2", "C2"): Decimal(31),
    ("lop", "", "2020S1", "D1"): Decimal(40),
    ("lop", "", "2020S2", "D1"): Decimal(41),
    ("lop", "", "2020S1..2020S2", "D1"): Decimal(99),
}
MEMBERS = {"unit": [U1, U2], "period": [P1, P2], "indicator": [LOP], "option": [ALL]}
TOTALS = {"unit": D, "period": SPAN, "indicator": None, "option": None}


def test_it_lays_out_units_by_periods_with_the_engines_totals():
    table = pivot.layout(
        rows=["unit"], columns=["period"], members=MEMBERS, totals=TOTALS, values=VALUES
    )
    assert [r.headers for r in table.rows] == [(U1,), (U2,)]
    assert [r.cells for r in table.rows] == [[1, 2], [3, None]]
    assert [r.total for r in table.rows] == [30, 31]
    assert table.total_row is not None
    assert (table.total_row.cells, table.total_row.total) == ([40, 41], 99)
    assert table.fixed == {"indicator": LOP, "option": ALL}


def test_it_transposes_when_rows_and_columns_swap():
    table = pivot.layout(
        rows=["period"], columns=["unit"], members=MEMBERS, totals=TOTALS, values=VALUES
    )
    assert [r.cells for r in table.rows] == [[1, 3], [2, None]]
    assert [r.total for r in table.rows] == [40, 41]
    assert table.total_row.cells == [30, 31]


def test_it_has_no_total_across_indicators():
    members = {**MEMBERS, "indicator": [LOP, NGUOI], "unit": [U1]}
    table = pivot.layout(
        rows=["period"], columns=["indicator"], members=members, totals=TOTALS, values=VALUES
    )
    assert not table.has_total_column
    assert table.total_row is not None  # periods do have one: the span
    assert table.total_row.cells == [30, None]


def test_it_nests_two_row_dimensions_and_spans_the_column_headers():
    members = {**MEMBERS, "indicator": [LOP, NGUOI]}
    table = pivot.layout(
        rows=["indicator", "unit"],
        columns=["period"],
        members=members,
        totals=TOTALS,
        values=VALUES,
    )
    assert [tuple(m.key for m in r.headers) for r in table.rows] == [
        ("lop", "C1"),
        ("lop", "C2"),
        ("nguoi", "C1"),
        ("nguoi", "C2"),
    ]
    assert table.total_row is None  # indicators have no total member
    wide = pivot.layout(
        rows=["indicator"],
        columns=["unit", "period"],
        members={**MEMBERS, "unit": [U1, U2]},
        totals=TOTALS,
        values=VALUES,
    )
    assert wide.header_rows() == [
        [("Xã A", 2), ("Xã B", 2)],
        [("6 tháng đầu", 1), ("6 tháng cuối", 1)] * 2,
    ]


def test_it_refuses_a_dimension_on_no_axis_with_several_members():
    with pytest.raises(ValueError, match="period"):
        pivot.layout(
            rows=["unit"], columns=["indicator"], members=MEMBERS, totals=TOTALS, values=VALUES
        )
    with pytest.raises(ValueError):
        pivot.layout(rows=["unit"], columns=["unit"], members=MEMBERS, totals=TOTALS, values=VALUES)


def test_it_writes_the_same_table_to_csv_and_xlsx():
    table = pivot.layout(
        rows=["unit"], columns=["period"], members=MEMBERS, totals=TOTALS, values=VALUES
    )
    text = pivot.to_csv(table)
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines == [
        ["Đơn vị", "6 tháng đầu", "6 tháng cuối", "Tổng"],
        ["Xã A", "1", "2", "30"],
        ["Xã B", "3", "", "31"],
        ["Tổng: Huyện", "40", "41", "99"],
    ]
    book = load_workbook(
        io.BytesIO(pivot.to_xlsx(table, title="Bảng thử", notes=["Kỳ: 2020S1, 2020S2"]))
    )
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][0] == "Bảng thử" and rows[1][0] == "Kỳ: 2020S1, 2020S2"
    body = [r for r in rows if r and r[0] in {"Đơn vị", "Xã A", "Xã B", "Tổng: Huyện"}]
    assert body == [
        ["Đơn vị", "6 tháng đầu", "6 tháng cuối", "Tổng"],
        ["Xã A", 1, 2, 30],
        ["Xã B", 3, None, 31],
        ["Tổng: Huyện", 40, 41, 99],
    ]
    last = book.active[book.active.max_row]
    assert last[0].font.bold


def test_it_writes_names_typed_as_formulas_as_text():
    """A unit named "=HYPERLINK(...)" stays text in both downloads (formula injection)."""
    hostile = Member("C1", '=HYPERLINK("http://example.invalid","A")')
    members = {**MEMBERS, "unit": [hostile, U2]}
    table = pivot.layout(
        rows=["unit"], columns=["period"], members=members, totals=TOTALS, values=VALUES
    )
    lines = list(csv.reader(io.StringIO(pivot.to_csv(table).lstrip("\ufeff"))))
    assert lines[1][0] == "'" + hostile.label
    sheet = load_workbook(io.BytesIO(pivot.to_xlsx(table, title="=1+1"))).active
    found = [c for row in sheet.iter_rows() for c in row if c.value in {hostile.label, "=1+1"}]
    assert len(found) == 2 and all(c.data_type == "s" for c in found)
