"""/api/v1/units: the contract other checks rely on, and its forbidden cases."""

import datetime as dt

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def merged(org):
    """C1 and C2 merged into N (a new commune of P1) on 01/07/2025; D1 dissolved into N."""
    n = f.make_unit(
        "N", name="Xã Vĩnh Thuận", kind_code="commune", parent=org.p1, valid_from=REFORM
    )
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=n, on=REFORM)
    services.split_unit(acting_user=SYSTEM, unit=org.d1, into=[n], on=REFORM)
    return n


def test_it_lists_units_matching_text_ignoring_accents(org, personas, api):
    response = api(personas.admin).get("units", q="vinh thuan")
    assert response.status_code == 200
    rows = response.json()
    assert [r["code"] for r in rows] == ["D1", "C1"]
    assert rows[0] == {
        "code": "D1",
        "name": "Huyện Vĩnh Thuận",
        "kind": "district",
        "parent": "P1",
        "valid_from": "2008-08-01",
        "valid_to": None,
        "agency_code": "",
        "context": "Tỉnh Kiên Giang",
        "when": "",
    }


def test_it_filters_by_parent_kind_and_date(org, personas, merged, api):
    client = api(personas.admin)
    before = client.get("units", parent="D1", as_of="2020-01-01").json()
    assert [r["code"] for r in before] == ["C1", "C2"]
    assert client.get("units", parent="D1", as_of="2026-01-01").json() == []
    # Without a day, an ended unit's children as they stood on its last day (a picker
    # browsing the 2020 district).
    assert [r["code"] for r in client.get("units", parent="D1").json()] == ["C1", "C2"]
    after = client.get("units", parent="P1", as_of="2026-01-01", kind="commune").json()
    assert [r["code"] for r in after] == ["N"]
    assert after[0]["valid_from"] == "2025-07-01"


def test_it_shows_a_unit_with_its_lineage(org, personas, merged, api):
    response = api(personas.admin).get("units/C1")
    body = response.json()
    assert response.status_code == 200
    assert body["valid_to"] == "2025-07-01"
    assert body["successors"] == ["N"]
    assert body["predecessors"] == []
    assert [e["kind"] for e in body["events"]] == ["create", "merge"]
    n = api(personas.admin).get("units/N").json()
    assert n["predecessors"] == ["C1", "C2", "D1"]
    assert n["abbreviation"] == ""


def test_it_follows_successors_at_a_date(org, personas, merged, api):
    client = api(personas.admin)
    assert client.get("units/C2/successors", on="2020-01-01").json() == [
        {"code": "C2", "is_partial": False}
    ]
    assert client.get("units/C2/successors", on="2026-01-01").json() == [
        {"code": "N", "is_partial": False}
    ]


def test_it_lists_descendants_at_a_level(org, personas, api):
    rows = api(personas.admin).get("units/VN/descendants", as_of="2020-01-01", level=2).json()
    assert sorted(r["code"] for r in rows) == ["D1", "D2"]


def test_it_lets_an_admin_create_anywhere_and_a_manager_inside_only(org, personas, api):
    payload = {
        "code": "C3",
        "name": "Xã Vĩnh Phong",
        "kind": "commune",
        "parent": "D1",
        "valid_from": "2020-01-01",
    }
    assert api(personas.manager).post("units", payload).status_code == 201
    outside = {**payload, "code": "C4", "parent": "D2"}
    assert api(personas.manager).post("units", outside).status_code == 403
    assert api(personas.admin).post("units", outside).status_code == 201
    assert (
        api(personas.manager).post("units", {**payload, "code": "R1", "parent": None}).status_code
        == 403
    )
    assert set(Unit.objects.filter(code__in=["C3", "C4", "R1"]).values_list("code", flat=True)) == {
        "C3",
        "C4",
    }


def test_it_returns_the_created_unit(org, personas, api):
    payload = {
        "code": "BTG",
        "name": "Ban Tuyên giáo",
        "kind": "board",
        "parent": "D1",
        "valid_from": "2020-01-01",
        "abbreviation": "BTGHU",
    }
    response = api(personas.manager).post("units", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["abbreviation"], body["parent"], body["kind"]) == (
        "BTG",
        "BTGHU",
        "D1",
        "board",
    )
    assert [e["kind"] for e in body["events"]] == ["create"]


@pytest.mark.parametrize("persona", ["reporter", "viewer", "outsider", "nobody"])
def test_it_refuses_unit_changes_to_others(org, personas, api, persona):
    client = api(getattr(personas, persona))
    payload = {
        "code": "C9",
        "name": "X",
        "kind": "commune",
        "parent": "D1",
        "valid_from": "2020-01-01",
    }
    assert client.post("units", payload).status_code == 403
    assert client.post("units/C1/changes", {"on": "2022-01-01", "name": "Y"}).status_code == 403
    assert not Unit.objects.filter(code="C9").exists()
    assert org.c1.latest_version().name == "Thị trấn Vĩnh Thuận"


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_it_refuses_to_show_units_outside_scope(org, personas, api, persona):
    client = api(getattr(personas, persona))
    assert client.get("units/C1").status_code == 403
    assert client.get("units", q="vinh thuan").json() == []


def test_it_refuses_anonymous_requests(org, api):
    client = api()
    assert client.get("units").status_code == 401
    assert client.get("units/C1").status_code == 401
    assert client.post("units", {"code": "X"}).status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (
            {
                "code": "C1",
                "name": "Trùng",
                "kind": "commune",
                "parent": "D1",
                "valid_from": "2020-01-01",
            },
            409,
            "duplicate_code",
        ),
        (
            {
                "code": "C5",
                "name": "X",
                "kind": "galaxy",
                "parent": "D1",
                "valid_from": "2020-01-01",
            },
            400,
            "unknown_kind",
        ),
        (
            {
                "code": "C5",
                "name": "X",
                "kind": "commune",
                "parent": "NOPE",
                "valid_from": "2020-01-01",
            },
            400,
            "unknown_parent",
        ),
        (
            {
                "code": "C5",
                "name": "X",
                "kind": "commune",
                "parent": "D1",
                "valid_from": "2001-01-01",
            },
            400,
            "parent_not_alive",
        ),
        (
            {
                "code": "bad code!",
                "name": "X",
                "kind": "commune",
                "parent": "D1",
                "valid_from": "2020-01-01",
            },
            400,
            "invalid_code",
        ),
        (
            {
                "code": "C5",
                "name": "X",
                "kind": "commune",
                "parent": "D1",
                "valid_from": "31/02/2020",
            },
            400,
            "invalid_input",
        ),
        ({"name": "X"}, 400, "invalid_input"),
    ],
)
def test_it_refuses_bad_units_with_a_clear_error(org, personas, api, payload, status, code):
    before = Unit.objects.count()
    response = api(personas.admin).post("units", payload)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert " / " in response.json()["error"]["message"]  # Vietnamese / English
    assert Unit.objects.count() == before


def test_it_records_a_rename_and_a_move(org, personas, api):
    client = api(personas.admin)
    renamed = client.post("units/C1/changes", {"on": "2022-01-01", "name": "Thị trấn Mới"})
    assert renamed.status_code == 201
    moved = client.post("units/C1/changes", {"on": "2023-01-01", "parent": "D2"})
    assert moved.status_code == 201
    assert [e["kind"] for e in moved.json()["events"]] == ["create", "rename", "move"]
    assert client.get("units/C1", as_of="2021-01-01").json()["name"] == "Thị trấn Vĩnh Thuận"


def test_it_refuses_a_cycle_through_the_api(org, personas, api):
    response = api(personas.admin).post("units/D1/changes", {"on": "2022-01-01", "parent": "C1"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "cycle"


def test_it_merges_splits_and_dissolves_through_the_api(org, personas, api):
    client = api(personas.admin)
    f.make_unit("N1", parent=org.p1, valid_from=REFORM)
    f.make_unit("N2", parent=org.p1, valid_from=REFORM)
    assert (
        client.post("units/N1/merge", {"predecessors": ["C1"], "on": "2025-07-01"}).status_code
        == 201
    )
    assert (
        client.post("units/C2/split", {"into": ["N1", "N2"], "on": "2025-07-01"}).status_code == 201
    )
    assert client.post("units/D1/dissolve", {"on": "2025-07-01"}).status_code == 201
    assert client.get("units/C2/successors", on="2026-01-01").json() == [
        {"code": "N1", "is_partial": True},
        {"code": "N2", "is_partial": True},
    ]


def test_it_serves_the_openapi_spec(db, api):
    response = api().client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/units" in response.json()["paths"]


def test_the_spec_documents_the_errors_and_their_shape(org, personas, api):
    """Every operation lists 400, 401, 403 and 404 (writes also 409), as the Error schema,
    and a real refusal matches it."""
    import jsonschema_rs

    spec = api().client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404"} | ({"409"} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)
    error = spec["components"]["schemas"]["Error"]
    refused = api(personas.outsider).post("units/C1/changes", {"on": "2022-01-01", "name": "X"})
    assert refused.status_code == 403
    jsonschema_rs.validate(error, refused.json())
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validate(error, {"detail": "Forbidden"})


def test_it_shows_who_changed_a_unit_and_its_roles(org, personas, api):
    client = api(personas.manager)
    client.post("units/C1/changes", {"on": "2022-01-01", "name": "Thị trấn Mới"})
    client.post("roles", {"user": "nobody", "unit": "C1", "role": "viewer"})
    rows = client.get("units/C1/history").json()
    by_manager = [r for r in rows if r["who"] == "manager"]
    assert {r["what"] for r in by_manager} == {
        "phiên bản từ ngày 01/08/2008",
        "phiên bản từ ngày 01/01/2022",
        "vai trò",
    }
    closed = next(r for r in by_manager if r["what"] == "phiên bản từ ngày 01/08/2008")
    assert closed["action"] == "changed"
    assert closed["changes"] == [{"field": "valid_to", "before": "", "after": "01/01/2022"}]
    opened = next(r for r in by_manager if r["what"] == "phiên bản từ ngày 01/01/2022")
    assert opened["action"] == "created"
    assert {"field": "name", "before": "", "after": "Thị trấn Mới"} in opened["changes"]
    role = next(r for r in by_manager if r["what"] == "vai trò")
    assert {"field": "user", "before": "", "after": "nobody"} in role["changes"]
    assert api(personas.outsider).get("units/C1/history").status_code == 403


@pytest.mark.parametrize("level", [10**20, 2**63, 31, -1])
def test_it_refuses_a_level_out_of_range_with_400(org, personas, api, level):
    response = api(personas.manager).get("units/D1/descendants", level=level)
    assert response.status_code == 400, response.content
    assert "error" in response.json()


def test_today_is_the_sites_day_not_the_servers(org, personas, api, monkeypatch):
    """GIVEN a server clock on UTC at 20:00 on 31/12/2026, it is already 01/01/2027 in
    Vietnam: a unit founded on 01/01/2027 is listed among today's units."""
    import datetime as dt

    from django.utils import timezone

    f.make_unit("NEW", kind_code="commune", parent=org.d1, valid_from=dt.date(2027, 1, 1))
    late_evening = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening)
    listed = api(personas.manager).get("units", parent="D1").json()
    assert "NEW" in [u["code"] for u in listed]
