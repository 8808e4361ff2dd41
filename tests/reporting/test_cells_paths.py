"""Every path that writes a value, given anything: never a 500, and a refusal changes
nothing (reporting.cells is what they all ask).

Form HK (tests/reporting/conftest.py) is half-yearly, reported by C1 and C2; the
reporter persona holds the role at D1.
"""

import csv
import io
import json
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from tests.analytics.test_dhis2_datavalues import basic
from trienkhai.reporting import excel
from trienkhai.reporting.models import DataValue, DataValueChange

PERIOD = "2020S1"
# (indicator, option): an integer, a text, an option of a breakdown
CELLS = [("lop_ke_hoach", ""), ("ghi_chu", ""), ("luot_nguoi_doi_tuong", "dang_vien")]
SPECIAL = [
    "1e3",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-3",
    "0x10",
    "1_000",
    "9" * 30,
    "20.673",
    "6,93",
    "١٢",
    "a\x00b",
    "",
    " ",
]
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(SPECIAL))
ANY = st.one_of(
    TEXT,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
HARD = [
    ("Infinity", 0),
    ("-Infinity", 2),
    ("NaN", 0),
    ("sNaN", 0),
    ("1e3", 0),
    ("-3", 2),
    ("9" * 30, 0),
    ("a\x00b", 1),
]
"""Values that were a 500 or a wrong save somewhere, tried on every path every time."""
HARD_JSON = [
    *HARD,
    (float("inf"), 0),
    (float("nan"), 2),
    (10**30, 0),
    (1e300, 0),
    ([1], 1),
    ("x\ud800", 0),  # a lone surrogate, as JSON's "\ud800" sends it
    ("x\ud800", 1),
]


def hard(cases=HARD, **fixed):
    """``@example`` of each of ``cases`` (value, index), with the other arguments ``fixed``."""

    def wrap(test):
        for value, index in cases:
            test = example(value=value, index=index, **fixed)(test)
        return test

    return wrap


CHECKS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def snapshot() -> tuple:
    values = DataValue.objects.order_by("pk").values_list(
        "indicator_id", "option", "unit_id", "period", "value_number", "value_text", "comment"
    )
    return tuple(values), DataValueChange.objects.count()


def settled(response, before: tuple) -> None:
    """Never a 500; anything but a success leaves the values as they were."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 300:
        assert snapshot() == before, response.content[:500]


def cell(index: int) -> tuple[str, str]:
    return CELLS[index % len(CELLS)]


@pytest.fixture
def reporter(personas):
    return personas.reporter


@given(value=ANY, index=st.integers(0, 2), comment=st.one_of(st.none(), TEXT))
@hard(HARD_JSON, comment=None)
@example(value="1", index=0, comment="a\x00b")
@CHECKS
def test_the_single_save_api(form, reporter, api, value, index, comment):
    indicator, option = cell(index)
    before = snapshot()
    one = {"indicator": indicator, "option": option, "value": value, "comment": comment}
    body = json.dumps({"form": "HK", "unit": "C1", "period": PERIOD, "values": [one]})
    client = api(reporter)
    response = client.client.post(
        "/api/v1/datavalues", body, content_type="application/json", headers=client.headers
    )
    settled(response, before)


@given(value=ANY, index=st.integers(0, 2))
@hard(HARD_JSON)
@CHECKS
def test_the_grid(form, reporter, web, value, index):
    indicator, option = cell(index)
    before = snapshot()
    body = json.dumps({"cells": [{"indicator": indicator, "option": option, "value": value}]})
    response = web(reporter).post(
        f"/bao-cao/HK/C1/{PERIOD}/luu/", body, content_type="application/json"
    )
    settled(response, before)


@given(value=st.one_of(TEXT, st.integers(), st.floats(), st.booleans()), index=st.integers(0, 2))
@hard([(v, i) for v, i in HARD if "\x00" not in v] + [(1e300, 0), (-3, 0), (0.123456, 2)])
@CHECKS
def test_the_excel_upload(form, org, reporter, api, value, index):
    indicator, option = cell(index)
    made = excel.form_workbook(form, org.c1, PERIOD)
    _cells, token = excel._read_book(made)
    layout = signing.loads(token, salt=excel.SIGNING_SALT)["layout"]
    [where] = [c for c, code, opt in layout if (code, opt) == (indicator, option)]
    book = openpyxl.load_workbook(io.BytesIO(made))
    try:
        book[excel.DATA_SHEET][where].value = value
    except (IllegalCharacterError, ValueError):
        assume(False)  # Excel itself cannot hold it
    out = io.BytesIO()
    book.save(out)
    before = snapshot()
    client = api(reporter)
    response = client.client.post(
        f"/api/v1/forms/HK/xlsx?unit=C1&period={PERIOD}",
        {"file": _file("HK.xlsx", out.getvalue())},
        headers=client.headers,
    )
    settled(response, before)


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@given(value=TEXT, index=st.integers(0, 2), comment=TEXT)
@hard(comment="")
@example(value="1", index=0, comment="a\x00b")
@CHECKS
def test_the_bulk_import(form, reporter, api, value, index, comment):
    indicator, option = cell(index)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["form", "unit", "period", "indicator", "option", "value", "comment"])
    writer.writerow(["HK", "C1", PERIOD, indicator, option, value, comment])
    before = snapshot()
    client = api(reporter)
    response = client.client.post(
        "/api/v1/datavalues/import",
        {"file": _file("values.csv", out.getvalue().encode("utf-8", "surrogatepass"))},
        headers=client.headers,
    )
    settled(response, before)


@given(value=ANY, index=st.integers(0, 2), comment=st.one_of(st.none(), TEXT))
@hard(HARD_JSON, comment=None)
@example(value="1", index=0, comment="a\x00b")
@CHECKS
def test_dhis2_data_value_sets(form, reporter, value, index, comment):
    indicator, option = cell(index)
    row = {"dataElement": indicator, "categoryOptionCombo": option or "default", "value": value}
    if comment is not None:
        row["comment"] = comment
    body = {"dataSet": "HK", "period": PERIOD, "orgUnit": "C1", "dataValues": [row]}
    before = snapshot()
    response = Client().post(
        "/dhis2/api/dataValueSets",
        json.dumps(body),
        content_type="application/json",
        **basic(reporter),
    )
    settled(response, before)


@given(value=TEXT, index=st.integers(0, 2))
@hard()
@CHECKS
def test_dhis2_data_value_sets_as_csv_and_adx(form, reporter, value, index):
    indicator, option = cell(index)
    category = f' doi_tuong="{option}"' if option else ""
    quoted = (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    )  # what XML cannot hold makes the document unreadable: a 400 too
    adx = (
        '<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="HK" orgUnit="C1" '
        f'period="2020-01-01/P6M"><dataValue dataElement="{indicator}"{category} '
        f'value="{quoted}"/></group></adx>'
    )
    table = f"dataelement,period,orgunit,value\r\n{indicator},{PERIOD},C1,{value}\r\n"
    for kind, data in (("application/adx+xml", adx), ("application/csv", table)):
        before = snapshot()
        response = Client().post(
            "/dhis2/api/dataValueSets",
            data.encode("utf-8", "surrogatepass"),
            content_type=kind,
            **basic(reporter),
        )
        settled(response, before)


@given(value=TEXT, index=st.integers(0, 2), as_json=st.booleans())
@hard(as_json=True)
@hard(as_json=False)
@CHECKS
def test_dhis2_data_values(form, reporter, value, index, as_json):
    indicator, option = cell(index)
    params = {"de": indicator, "pe": PERIOD, "ou": "C1", "co": option or "default"}
    before = snapshot()
    if as_json:
        body = {
            "dataElement": indicator,
            "period": PERIOD,
            "orgUnit": "C1",
            "categoryOptionCombo": option or "default",
            "value": value,
        }
        response = Client().post(
            "/dhis2/api/dataValues",
            json.dumps(body),
            content_type="application/json",
            **basic(reporter),
        )
    else:
        response = Client().post(
            "/dhis2/api/dataValues?" + urlencode({**params, "value": value}),
            **basic(reporter),
        )
    settled(response, before)
