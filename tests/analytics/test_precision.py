"""Averages and formulas' divisions come back with at most 4 decimals (the stored values'),
in the JSON, CSV and XLSX of /api/v1/analytics; sums keep their exact value."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.analytics.conftest import submit_all
from tests.factories import SYSTEM
from trienkhai.analytics import engine
from trienkhai.reporting import services


@pytest.fixture
def data(org, put, figures):
    # C1 over 2019..2023: diem 1, 1, 2 → average 4/3; lop 1 of ke_hoach 3 per half-year.
    put(org.c1, "2019S1", diem=1, lop=1, ke_hoach=3)
    put(org.c1, "2021S2", diem=1)
    put(org.c1, "2023S1", diem=2)
    put(org.c2, "2020S1", lop=20673, ke_hoach=7)
    submit_all(figures)


def _decimals(value) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def test_a_percent_and_an_average_over_a_span_have_at_most_4_decimals(api, personas, data):
    client = api(personas.viewer)
    params = {"indicator": ["diem", "ty_le", "lop"], "period": "2019..2023", "unit": ["C1", "D1"]}
    answer = client.get("analytics", **params)
    assert answer.status_code == 200, answer.content
    rows = {(r["indicator"], r["unit"]): r["value"] for r in answer.json()["rows"]}
    # GIVEN 3 stored values, an average 4/3 and a ratio 1 × 100 / 3 (and 20674 × 100 / 10)
    # THEN rounded to 4 decimals (half to even, as a value is stored), a sum as it was.
    assert rows == {
        ("diem", "C1"): 1.3333,
        ("diem", "D1"): 1.3333,
        ("ty_le", "C1"): 33.3333,
        ("ty_le", "D1"): 206740,
        ("lop", "C1"): 1,
        ("lop", "D1"): 20674,
    }
    assert all(_decimals(value) <= 4 for value in rows.values())

    table = list(csv.reader(io.StringIO(client.get("analytics.csv", **params).text)))
    assert [row[4] for row in table[1:]] == ["1.3333", "1.3333", "33.3333", "206740", "1", "20674"]
    sheet = load_workbook(io.BytesIO(client.get("analytics.xlsx", **params).content)).active
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        1.3333,
        1.3333,
        33.3333,
        206740,
        1,
        20674,
    ]


def test_a_formula_reading_a_formula_rounds_only_its_answer(api, personas, data):
    """The 4 decimals are the answer's: a derived input is read unrounded by the formula
    that uses it (ty_le × 3 = 100, not 33.3333 × 3 = 99.9999)."""
    services.create_indicator(
        acting_user=SYSTEM,
        code="gap_ba",
        name="Gấp ba tỷ lệ",
        value_type="decimal",
        formula="ty_le * 3",
    )
    answer = api(personas.viewer).get(
        "analytics", indicator=["ty_le", "gap_ba"], period="2019S1", unit="C1"
    )
    assert [r["value"] for r in answer.json()["rows"]] == [33.3333, 100]
    # 20673 × 100 / 7 = 295328.571428…
    answer = api(personas.viewer).get("analytics", indicator="ty_le", period="2020S1", unit="C2")
    assert answer.json()["rows"][0]["value"] == 295328.5714


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(4) / 3, "1.3333"),
        (Decimal("20673"), "20673"),  # as it was, not 20673.0000
        (Decimal("2.5"), "2.5"),
        (Decimal("1.00005"), "1.0000"),  # half to even
        (Decimal("1.00015"), "1.0002"),
        (Decimal("-2") / 3, "-0.6667"),
        (Decimal("1E+30"), "1E+30"),  # past the 28 digits a quantize may hold: as it is
    ],
)
def test_bounded_rounds_only_what_has_more_than_4_decimals(value, expected):
    assert str(engine.bounded(value)) == expected
