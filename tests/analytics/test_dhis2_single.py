"""GET, POST and DELETE /dhis2/api/dataValues: one value, DHIS2's status codes.

Form HK (tests/reporting/conftest.py) is half-yearly, reported by C1 and C2; reporter,
manager and viewer hold their roles at D1, the outsider (a manager) at D2.
"""

import json
from decimal import Decimal

import pytest
from django.test import Client

from tests.analytics.test_dhis2_datavalues import basic, stored, submitted
from tests.reporting import conftest as reporting
from trienkhai.reporting.models import DataValue, DataValueChange

URL = "/dhis2/api/dataValues"
audience, form = reporting.audience, reporting.form  # fixtures: form HK


def one(**params) -> dict:
    return {"de": "lop_ke_hoach", "pe": "2020S1", "ou": "C1", "co": "default", **params}


def query(params: dict) -> str:
    from urllib.parse import urlencode

    return f"{URL}?{urlencode(params)}"


def test_it_saves_a_value_from_query_params_and_reads_it_back(org, personas, form):
    response = Client().post(query(one(value="12")), **basic(personas.reporter))
    assert response.status_code == 201, response.content
    assert response.content == b""
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(12)}
    change = DataValueChange.objects.get(indicator__code="lop_ke_hoach", unit=org.c1)
    assert change.changed_by == personas.reporter and change.new == "12"
    read = Client().get(URL, one(), **basic(personas.viewer))
    assert read.status_code == 200 and read.json() == ["12"]
    assert read["Cache-Control"] == "no-store"


def test_it_saves_from_a_form_body_and_from_json_with_an_option(org, personas, form):
    response = Client().post(
        URL,
        {**one(de="luot_nguoi_doi_tuong", co="dang_vien"), "value": "40", "comment": "ghi"},
        **basic(personas.reporter),
    )
    assert response.status_code == 201, response.content
    body = {
        "dataElement": "lop_da_mo",
        "period": "2020S1",
        "orgUnit": "C1",
        "categoryOptionCombo": "default",
        "value": "7",
    }
    response = Client().post(
        URL, json.dumps(body), content_type="application/json", **basic(personas.reporter)
    )
    assert response.status_code == 201, response.content
    assert stored(org.c1) == {
        ("luot_nguoi_doi_tuong", "dang_vien"): Decimal(40),
        ("lop_da_mo", ""): Decimal(7),
    }
    assert DataValue.objects.get(option="dang_vien").comment == "ghi"
    # Updating the same cell changes it in place.
    Client().post(URL, {**one(de="lop_da_mo"), "value": "8"}, **basic(personas.reporter))
    assert stored(org.c1)[("lop_da_mo", "")] == Decimal(8)


def test_it_deletes_a_value_and_says_when_there_is_none(org, personas, form):
    Client().post(query(one(value="12")), **basic(personas.reporter))
    response = Client().delete(query(one()), **basic(personas.reporter))
    assert response.status_code == 204
    assert not DataValue.objects.exists()
    again = Client().delete(query(one()), **basic(personas.reporter))
    assert again.status_code == 409
    assert again.json()["errorCode"] == "E2032" and " / " in again.json()["message"]
    missing = Client().get(URL, one(), **basic(personas.reporter))
    assert missing.status_code == 409 and missing.json()["errorCode"] == "E2032"


@pytest.mark.parametrize(
    "params,code",
    [
        (one(de="khong_co", value="1"), "E1100"),
        (one(pe="2020X9", value="1"), "E1101"),
        (one(ou="KHONG", value="1"), "E1102"),
        (one(de="luot_nguoi_doi_tuong", co="tre_em", value="1"), "E1103"),
        (one(ao="khac", value="1"), "E1104"),
        (one(value="mười"), "E2030"),
        (one(ds="KHONG", value="1"), "E1105"),
    ],
)
def test_bad_input_is_a_409_with_dhis2s_code_and_changes_nothing(org, personas, form, params, code):
    response = Client().post(query(params), **basic(personas.reporter))
    assert response.status_code == 409
    body = response.json()
    assert body["httpStatusCode"] == 409 and body["status"] == "ERROR"
    assert body["errorCode"] == code
    # A bad value in the reader's language, naming the indicator; the rest bilingual.
    assert "Số lớp kế hoạch" in body["message"] if code == "E2030" else " / " in body["message"]
    assert not DataValue.objects.exists()


def test_missing_parameters_are_a_400(org, personas, form):
    response = Client().post(f"{URL}?de=lop_ke_hoach&value=1", **basic(personas.reporter))
    assert response.status_code == 400
    assert "pe, ou" in response.json()["message"]


def test_a_locked_report_refuses_the_value(org, personas, form):
    submitted(form, org.c1)
    response = Client().post(query(one(value="12")), **basic(personas.reporter))
    assert response.status_code == 409 and response.json()["errorCode"] == "E2017"
    deleted = Client().delete(query(one()), **basic(personas.reporter))
    assert deleted.status_code == 409 and deleted.json()["errorCode"] == "E2017"
    assert stored(org.c1)[("lop_ke_hoach", "")] == Decimal(3)


def test_a_user_of_another_unit_is_refused(org, personas, form):
    Client().post(query(one(value="12")), **basic(personas.reporter))
    for method in ("post", "delete"):
        response = getattr(Client(), method)(query(one(value="99")), **basic(personas.outsider))
        assert response.status_code == 409, method
        assert response.json()["errorCode"] == "E2020"
    read = Client().get(URL, one(), **basic(personas.outsider))
    assert read.status_code == 409 and read.json()["errorCode"] == "E2020"
    assert "12" not in read.content.decode()
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(12)}


def test_a_viewer_may_read_but_not_write(org, personas, form):
    response = Client().post(query(one(value="12")), **basic(personas.viewer))
    assert response.status_code == 403
    assert Client().delete(query(one()), **basic(personas.viewer)).status_code == 403
    assert not DataValue.objects.exists()


def test_anonymous_is_401_and_wrong_method_is_405(org, personas, form):
    assert Client().get(URL, one()).status_code == 401
    assert Client().post(query(one(value="1"))).status_code == 401
    response = Client().put(query(one(value="1")), **basic(personas.reporter))
    assert response.status_code == 405
    assert not DataValue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_save_without_ds_costs_what_a_save_with_ds_costs(org, personas, form):
    """GIVEN a form whose structure is in memory (committed) WHEN a value is saved
    without naming the data set THEN the unit's assignment is asked about as any save
    asks it (over that structure), not by listing every unit of the form: on a form of
    5,000 units that list made the save 113–212 ms instead of 5–8 ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auth = basic(personas.reporter)
    assert Client().post(query(one(value="1", ds="HK")), **auth).status_code == 201
    assert Client().post(query(one(value="2")), **auth).status_code == 201
    counts = {}
    for name, params in {"ds": one(value="3", ds="HK"), "no ds": one(value="4")}.items():
        with CaptureQueriesContext(connection) as captured:
            response = Client().post(query(params), **auth)
        assert response.status_code == 201, response.content
        sql = [q["sql"] for q in captured.captured_queries]
        assert not [s for s in sql if "reporting_formassignment" in s], name
        counts[name] = len(sql)
    assert counts["no ds"] <= counts["ds"], counts
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(4)}
