"""GET /api/v1/quality and POST /api/v1/quality/notes."""

from urllib.parse import urlencode

import pytest

from tests.reporting.test_quality import NOW, troubled  # noqa: F401
from trienkhai.reporting.models import QualityNote


def quality_path(**more) -> str:
    params = {"unit": "D1", "form": "HK", "from": "2021S1", "to": NOW, **more}
    return f"quality?{urlencode(params)}"


def body(**more) -> dict:
    return {
        "form": "HK",
        "unit": "C2",
        "period": "2021S2",
        "kind": "missing",
        "note": "Xã mất điện",
        "resolve": True,
        **more,
    }


def test_it_answers_the_sections_with_counts(troubled, personas, api):  # noqa: F811
    response = api(personas.viewer).get(quality_path())
    assert response.status_code == 200
    found = response.json()
    assert (found["from"], found["to"], found["state"]) == ("2021S1", NOW, "open")
    assert found["counts"] == {"outliers": 1, "rules": 1, "follow_ups": 0, "gaps": 3}
    (outlier,) = found["outliers"]
    assert {k: outlier[k] for k in ("unit", "indicator", "value", "low", "high", "method")} == {
        "unit": "C1",
        "indicator": "luot_nguoi",
        "value": 20673,
        "low": 165,
        "high": 235,
        "method": "modified_z",
    }
    assert outlier["name"] == "Lượt người tham gia"
    assert outlier["explanation"] == "Có hội nghị toàn huyện"
    assert [g["state"] for g in found["gaps"]] == ["empty", "missing", "draft"]


def test_it_resolves_an_item_for_the_units_approver(troubled, personas, api):  # noqa: F811
    client = api(personas.manager)
    response = client.post("quality/notes", body())
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["kind"], answer["note"], answer["resolved_by"]) == (
        "missing",
        "Xã mất điện",
        "manager",
    )
    assert client.get(quality_path()).json()["counts"]["gaps"] == 2
    resolved = client.get(quality_path(state="resolved")).json()["gaps"]
    assert [(g["unit"], g["note"]) for g in resolved] == [("C2", "Xã mất điện")]
    assert client.post("quality/notes", body(resolve=False, note=None)).json()["resolved"] is None
    assert client.get(quality_path()).json()["counts"]["gaps"] == 3


def test_it_refuses_outsiders_and_those_who_may_not_resolve(troubled, personas, api):  # noqa: F811
    assert api(personas.outsider).get(quality_path()).status_code == 403
    assert api(None).get(quality_path()).status_code == 401
    assert api(personas.outsider).post("quality/notes", body()).status_code == 403
    assert api(personas.reporter).post("quality/notes", body()).status_code == 403
    assert api(personas.viewer).post("quality/notes", body()).status_code == 403
    assert api(None).post("quality/notes", body()).status_code == 401
    assert not QualityNote.objects.exists()
    assert api(personas.manager).delete("quality/notes").status_code == 405


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({"form": "NOPE"}, 404, "not_found"),
        ({"unit": "NOPE"}, 404, "not_found"),
        ({"from": NOW, "to": "2021S1"}, 400, "invalid_span"),
        ({"from": "2010S1"}, 400, "span_too_long"),
        ({"to": "2022Q1"}, 400, "wrong_period_type"),
        ({"state": "closed"}, 400, "invalid_state"),
        ({"method": "mean"}, 400, "invalid_method"),
    ],
)
def test_it_answers_bad_queries_with_a_4xx(troubled, personas, api, params, status, code):  # noqa: F811
    response = api(personas.manager).get(quality_path(**params))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "more, code",
    [
        ({"kind": "nonsense"}, "invalid_kind"),
        ({"kind": "rule", "rule": 0}, "invalid_rule"),
        ({"note": None, "resolve": None}, "nothing_to_do"),
        ({"note": "x" * 2001}, "note_too_long"),
        ({"period": "soon"}, "invalid_period"),
    ],
)
def test_it_refuses_bad_notes_with_a_400(troubled, personas, api, more, code):  # noqa: F811
    response = api(personas.manager).post("quality/notes", body(**more))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not QualityNote.objects.exists()


def test_it_documents_both_endpoints(api):
    spec = api(None).get("openapi.json").json()
    assert "/api/v1/quality" in spec["paths"] and "/api/v1/quality/notes" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/v1/quality"]["get"]["parameters"]}
    assert {"unit", "form", "from", "to", "method", "state"} <= params


def test_it_reads_a_subtree_in_queries_that_do_not_grow_with_its_units(
    troubled,  # noqa: F811
    org,
    personas,
    api,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f
    from tests.reporting.test_outliers import put, steady
    from trienkhai.reporting.models import FormAssignment

    client = api(personas.manager)

    def count() -> tuple[int, dict]:
        client.get(quality_path())  # warm the token, the roles and the form's structure
        with CaptureQueriesContext(connection) as queries:
            found = client.get(quality_path(state="all")).json()
        return len(queries), found["counts"]

    few, counts = count()
    for n in range(10):
        unit = f.make_unit(f"X{n}", parent=org.d1, valid_from=org.c1.valid_from)
        FormAssignment.objects.create(form=troubled, unit=unit, valid_from=org.c1.valid_from)
        steady(troubled, unit, value=100 + n)
        put(troubled, unit, NOW, "submitted", luot_nguoi=5000, lop_ke_hoach=1, lop_da_mo=2)
    many, more = count()
    assert more["outliers"] == counts["outliers"] + 10 and more["rules"] == counts["rules"] + 10
    assert many == few
