"""A unit's agency identifier code (mã định danh, QĐ 20/2020/QĐ-TTg): set, shown, refused."""

import json

import pytest

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit


def put(api_client, code: str, value):
    return api_client.client.put(
        f"/api/v1/units/{code}/agency-code",
        data=json.dumps({"agency_code": value}),
        content_type="application/json",
        headers=api_client.headers,
    )


def test_it_sets_shows_and_clears_the_code(org, personas, api):
    response = put(api(personas.manager), "C1", " 000.12.31.h29 ")
    assert response.status_code == 200, response.content
    assert response.json()["agency_code"] == "000.12.31.H29"
    listed = api(personas.viewer).get("units", parent="D1").json()
    assert {r["code"]: r["agency_code"] for r in listed}["C1"] == "000.12.31.H29"
    assert put(api(personas.manager), "C1", "").json()["agency_code"] == ""
    assert Unit.objects.get(code="C1").agency_code == ""


@pytest.mark.parametrize("value", ["000.00.00", "00.000.00.G22", "000-00-00-G22", "000.00.00.G2Ä"])
def test_it_refuses_a_malformed_code(org, value):
    with pytest.raises(BadInput) as refused:
        services.set_agency_code(acting_user=SYSTEM, unit=org.c1, agency_code=value)
    assert refused.value.code == "invalid_agency_code" and " / " in refused.value.message


def test_it_refuses_another_units_code(org, personas, api):
    services.set_agency_code(acting_user=SYSTEM, unit=org.c1, agency_code="000.00.01.H29")
    with pytest.raises(Conflict):
        services.set_agency_code(acting_user=SYSTEM, unit=org.c2, agency_code="000.00.01.H29")
    response = put(api(personas.manager), "C2", "000.00.01.H29")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_agency_code"
    assert Unit.objects.get(code="C2").agency_code == ""


def test_who_may_set_it(org, personas, api):
    assert put(api(personas.viewer), "C1", "000.00.02.H29").status_code == 403
    assert put(api(personas.outsider), "C1", "000.00.02.H29").status_code == 403
    assert put(api(), "C1", "000.00.02.H29").status_code == 401
    assert api(personas.manager).get("units/C1/agency-code").status_code == 405
    assert put(api(personas.manager), "C1", "bad").status_code == 400
    assert Unit.objects.get(code="C1").agency_code == ""
