"""/api/v1/outliers, /api/v1/outliers/bounds[/generate], /api/v1/outliers/comments."""

from urllib.parse import urlencode

import pytest

from tests import factories as f
from tests.reporting.test_outliers import HISTORY, NOW, put, steady
from trienkhai.reporting.models import OutlierComment, ValueBounds


def query(form="HK", unit="D1", period=NOW, **more):
    return {"form": form, "unit": unit, "period": period, **more}


def outliers_path(**params) -> str:
    # In the path: ``method`` is also the name of the test client's own argument.
    return f"outliers?{urlencode(query(**params))}"


@pytest.fixture
def wild(form, org):
    steady(form, org.c1)
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    return form


def test_it_lists_the_outliers_of_a_subtree(wild, personas, api):
    for who in (personas.manager, personas.viewer, personas.admin):
        response = api(who).get(outliers_path())
        assert response.status_code == 200
        assert response.json() == [
            {
                "unit": "C1",
                "indicator": "luot_nguoi",
                "option": "",
                "period": NOW,
                "value": 20673,
                "low": 165,
                "high": 235,
                "method": "modified_z",
                "score": 2047.3,
            }
        ]
    assert api(personas.manager).get(outliers_path(unit="C2")).json() == []
    assert api(personas.manager).get(outliers_path(method="z")).json()[0]["method"] == "z"


def test_it_refuses_outsiders_and_anonymous_callers(wild, personas, api):
    assert api(personas.outsider).get(outliers_path()).status_code == 403
    assert api(personas.nobody).get(outliers_path()).status_code == 403
    assert api(None).get(outliers_path()).status_code == 401
    assert api(personas.manager).post("outliers", query()).status_code == 405


@pytest.mark.parametrize(
    "params, status, code",
    [
        (query(form="NOPE"), 404, "not_found"),
        (query(unit="NOPE"), 404, "not_found"),
        (query(period="2022Q1"), 400, "wrong_period_type"),
        (query(period="soon"), 400, "invalid_period"),
        (query(method="mean"), 400, "invalid_method"),
    ],
)
def test_it_answers_unknown_codes_with_a_4xx_in_both_languages(
    wild, personas, api, params, status, code
):
    response = api(personas.manager).get(f"outliers?{urlencode(params)}")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert " / " in error["message"]  # Vietnamese / English


def test_it_reads_a_subtree_in_a_fixed_number_of_queries(
    wild, org, personas, api, django_assert_max_num_queries
):
    client = api(personas.manager)
    client.get(outliers_path())  # warm the token, the roles and the form's structure
    # token and roles, form, unit and versions, subtree, structure (3: not cached inside
    # a test's transaction), values with bounds and siblings
    with django_assert_max_num_queries(9):
        assert len(client.get(outliers_path()).json()) == 1
    for n in range(10):
        unit = f.make_unit(f"X{n}", parent=org.d1, valid_from=org.c1.valid_from)
        steady(wild, unit, value=100 + n)
        put(wild, unit, NOW, "draft", luot_nguoi=5000)
    client.get(outliers_path())
    with django_assert_max_num_queries(9):  # the same with 12 units
        assert len(client.get(outliers_path()).json()) == 11


def test_it_lets_a_manager_generate_a_subtrees_bounds(form, org, personas, api):
    steady(form, org.c1)
    payload = {"form": "HK", "unit": "D1", "period": HISTORY[-1]}
    response = api(personas.manager).post("outliers/bounds/generate", payload)
    assert response.status_code == 200
    assert response.json() == {"units": 3, "created": 1, "updated": 0, "kept": 0}
    listed = api(personas.viewer).get("outliers/bounds", unit="C1").json()
    assert [(b["indicator"], b["low"], b["high"], b["is_generated"]) for b in listed] == [
        ("luot_nguoi", 165, 235, True)
    ]
    assert listed[0]["modified_by"] == "manager"


def test_it_refuses_generating_bounds_to_others(form, org, personas, api):
    steady(form, org.c1)
    payload = {"form": "HK", "unit": "D1", "period": HISTORY[-1]}
    assert api(personas.reporter).post("outliers/bounds/generate", payload).status_code == 403
    assert api(personas.outsider).post("outliers/bounds/generate", payload).status_code == 403
    assert api(None).post("outliers/bounds/generate", payload).status_code == 401
    assert api(personas.manager).get("outliers/bounds/generate").status_code == 405
    bad = {**payload, "periods": 0}
    assert api(personas.manager).post("outliers/bounds/generate", bad).status_code == 400
    assert not ValueBounds.objects.exists()


def test_it_lets_a_manager_set_one_cells_bounds(form, org, personas, api):
    payload = {"unit": "C1", "indicator": "lop_da_mo", "low": "2", "high": "1.000"}
    response = api(personas.manager).post("outliers/bounds", payload)
    assert response.status_code == 200
    body = response.json()
    assert (body["low"], body["high"], body["is_generated"]) == (2, 1000, False)
    assert api(personas.reporter).post("outliers/bounds", payload).status_code == 403
    assert api(personas.outsider).post("outliers/bounds", payload).status_code == 403
    assert api(personas.outsider).get("outliers/bounds", unit="C1").status_code == 403
    inverted = {**payload, "low": "5", "high": "4"}
    assert api(personas.manager).post("outliers/bounds", inverted).status_code == 400
    unknown = {**payload, "indicator": "khong_co"}
    assert api(personas.manager).post("outliers/bounds", unknown).status_code == 400
    assert ValueBounds.objects.get().high == 1000


def test_it_keeps_an_explanation_of_an_outlier(wild, org, cell_reporter, personas, api):
    payload = {**query(unit="C1"), "indicator": "luot_nguoi", "comment": "Sáp nhập hai xã"}
    response = api(cell_reporter).post("outliers/comments", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["value"], body["comment"], body["by"]) == (20673, "Sáp nhập hai xã", "bcv")
    assert api(personas.outsider).post("outliers/comments", payload).status_code == 403
    assert api(None).post("outliers/comments", payload).status_code == 401
    assert api(cell_reporter).get("outliers/comments").status_code == 405
    empty = {**payload, "comment": ""}
    assert api(cell_reporter).post("outliers/comments", empty).status_code == 400
    assert OutlierComment.objects.get().text == "Sáp nhập hai xã"
