"""organisationUnits, dataElements, dataSets, completeDataSetRegistrations, system/info, me."""

import json

import pytest
from django.test import Client

from tests.analytics.test_dhis2_datavalues import basic
from tests.factories import SYSTEM
from tests.reporting import conftest as reporting
from trienkhai.reporting import services
from trienkhai.reporting.models import Submission
from trienkhai.reporting.services import CellInput

audience, form = reporting.audience, reporting.form  # fixtures: form HK, C1 and C2 report
API = "/dhis2/api"


def get(user, path, **params):
    return Client().get(f"{API}/{path}", params, **basic(user))


def test_org_units_page_with_dhis2s_pager_and_default_fields(org, personas):
    body = get(personas.admin, "organisationUnits", pageSize=2).json()
    pager = body["pager"]
    assert pager["page"] == 1 and pager["pageSize"] == 2 and pager["total"] == 7
    assert pager["pageCount"] == 4 and "page=2" in pager["nextPage"]
    assert set(body["organisationUnits"][0]) == {"id", "displayName"}
    last = get(personas.admin, "organisationUnits", pageSize=2, page=4).json()
    assert len(last["organisationUnits"]) == 1 and "nextPage" not in last["pager"]
    everything = get(personas.admin, "organisationUnits", paging="false").json()
    assert "pager" not in everything and len(everything["organisationUnits"]) == 7


def test_org_units_fields_filters_and_levels(org, personas):
    body = get(
        personas.admin,
        "organisationUnits.json",
        fields="id,code,name,level,parent[id],path",
        level="4",
    ).json()
    by_id = {u["id"]: u for u in body["organisationUnits"]}
    assert set(by_id) == {"C1", "C2"}
    assert by_id["C1"] == {
        "id": "C1",
        "code": "C1",
        "name": "Thị trấn Vĩnh Thuận",
        "level": 4,
        "path": "/VN/P1/D1/C1",
        "parent": {"id": "D1"},
    }
    found = get(personas.admin, "organisationUnits", filter="code:eq:D2", fields="id").json()
    assert found["organisationUnits"] == [{"id": "D2"}]
    liked = get(
        personas.admin, "organisationUnits", filter="name:ilike:vĩnh", paging="false"
    ).json()
    assert {u["id"] for u in liked["organisationUnits"]} == {"D1", "C1", "C2"}


def test_one_org_unit_with_its_children(org, personas):
    body = get(
        personas.viewer, "organisationUnits/D1", fields="id,name,children[id],ancestors"
    ).json()
    assert body["id"] == "D1" and sorted(c["id"] for c in body["children"]) == ["C1", "C2"]
    assert [a["id"] for a in body["ancestors"]] == ["VN", "P1"]
    assert get(personas.viewer, "organisationUnits/NOPE").status_code == 404


def test_a_user_lists_only_the_units_they_may_view(org, personas):
    body = get(personas.outsider, "organisationUnits", paging="false").json()
    assert {u["id"] for u in body["organisationUnits"]} == {"D2"}
    assert get(personas.outsider, "organisationUnits/D1").status_code == 404
    assert get(personas.nobody, "organisationUnits").json()["organisationUnits"] == []


def test_data_elements_in_dhis2s_types(org, personas, form):
    body = get(
        personas.viewer,
        "dataElements",
        fields="id,name,valueType,aggregationType,categoryCombo[id,categoryOptionCombos[id]],dataSetElements[dataSet[id,periodType]]",
        paging="false",
    ).json()
    by_id = {d["id"]: d for d in body["dataElements"]}
    assert by_id["lop_ke_hoach"]["valueType"] == "INTEGER_ZERO_OR_POSITIVE"
    assert by_id["ghi_chu"]["aggregationType"] == "NONE"
    assert by_id["binh_quan_lop"]["valueType"] == "NUMBER"
    assert by_id["lop_ke_hoach"]["categoryCombo"] == {
        "id": "default",
        "categoryOptionCombos": [{"id": "default"}],
    }
    combos = by_id["luot_nguoi_doi_tuong"]["categoryCombo"]
    assert combos["id"] == "doi_tuong" and {"id": "dang_vien"} in combos["categoryOptionCombos"]
    assert by_id["lop_ke_hoach"]["dataSetElements"] == [
        {"dataSet": {"id": "HK", "periodType": "SixMonthly"}}
    ]
    one = get(personas.viewer, "dataElements/lop_da_mo.json", fields="id,code").json()
    assert one == {"id": "lop_da_mo", "code": "lop_da_mo"}


def test_data_sets_with_their_elements_and_units(org, personas, form):
    body = get(
        personas.viewer,
        "dataSets/HK",
        fields="id,name,periodType,dataSetElements[dataElement[id]],organisationUnits[id]",
    ).json()
    assert body["periodType"] == "SixMonthly"
    assert [e["dataElement"]["id"] for e in body["dataSetElements"]][:2] == [
        "lop_ke_hoach",
        "lop_da_mo",
    ]
    assert body["organisationUnits"] == [{"id": "C1"}, {"id": "C2"}]
    listed = get(personas.viewer, "dataSets", filter="periodType:eq:SixMonthly").json()
    assert listed["dataSets"] == [{"id": "HK", "displayName": "Báo cáo 6 tháng"}]


def test_metadata_needs_a_role_somewhere(org, personas, form):
    for path in ("dataElements", "dataSets", "categoryCombos", "categoryOptionCombos"):
        assert get(personas.nobody, path).status_code == 403
        assert Client().get(f"{API}/{path}").status_code == 401


def test_category_combos_are_the_disaggregations_and_the_default(org, personas, form):
    body = get(personas.viewer, "categoryCombos", fields="id,name,isDefault", paging="false")
    assert body.json()["categoryCombos"] == [
        {"id": "default", "name": "default", "isDefault": True},
        {"id": "doi_tuong", "name": "Đối tượng", "isDefault": False},
    ]
    one = get(
        personas.viewer, "categoryCombos/doi_tuong", fields="id,categoryOptionCombos[id,name]"
    ).json()
    assert one["categoryOptionCombos"][:2] == [
        {"id": "bao_cao_vien", "name": "Báo cáo viên"},
        {"id": "can_bo", "name": "Cán bộ"},
    ]
    assert len(one["categoryOptionCombos"]) == 6
    assert get(personas.viewer, "categoryCombos/khong_co").status_code == 404


def test_category_option_combos_resolve_every_co_a_value_carries(org, personas, form):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S1",
        cells=[CellInput("lop_ke_hoach", 3), CellInput("luot_nguoi_doi_tuong", 5, "dang_vien")],
    )
    values = get(
        personas.viewer, "dataValueSets", dataSet="HK", period="2020S1", orgUnit="C1"
    ).json()["dataValues"]
    listed = get(
        personas.viewer, "categoryOptionCombos", fields="id,categoryCombo[id]", paging="false"
    ).json()["categoryOptionCombos"]
    combo_of = {o["id"]: o["categoryCombo"]["id"] for o in listed}
    assert len(combo_of) == 7 and combo_of["default"] == "default"
    elements = get(
        personas.viewer, "dataElements", fields="id,categoryCombo[id]", paging="false"
    ).json()["dataElements"]
    element_combo = {e["id"]: e["categoryCombo"]["id"] for e in elements}
    for value in values:
        # Each value's option combo exists, in the category combo of its data element.
        assert combo_of[value["categoryOptionCombo"]] == element_combo[value["dataElement"]]
    party = get(personas.viewer, "categoryOptionCombos/dang_vien", fields="id,name,categoryCombo")
    assert party.json() == {
        "id": "dang_vien",
        "name": "Đảng viên",
        "categoryCombo": {"id": "doi_tuong", "code": "doi_tuong"},
    }
    filtered = get(
        personas.viewer, "categoryOptionCombos", filter="categoryCombo.id:eq:default"
    ).json()
    assert filtered["categoryOptionCombos"] == [{"id": "default", "displayName": "default"}]


@pytest.mark.parametrize(
    "params,code",
    [
        ({"fields": "id,children[id"}, 400),
        ({"filter": "level"}, 400),
        ({"filter": "colour:eq:red"}, 400),
        ({"filter": "name:near:x"}, 400),
        ({"pageSize": "many"}, 400),
    ],
)
def test_bad_list_parameters_are_refused(org, personas, params, code):
    response = get(personas.admin, "organisationUnits", **params)
    assert response.status_code == code
    assert " / " in response.json()["message"]


def test_system_info_and_me(org, personas):
    assert get(personas.viewer, "system/info").json()["calendar"] == "iso8601"
    me = get(personas.viewer, "me").json()
    assert me["username"] == "viewer" and me["organisationUnits"] == [{"id": "D1"}]
    assert Client().get(f"{API}/me").status_code == 401
    assert get(personas.viewer, "40/me").status_code == 200  # a versioned path


# Registrations ---------------------------------------------------------------------------


def register(user, *items, query=""):
    body = json.dumps({"completeDataSetRegistrations": list(items)})
    return Client().post(
        f"{API}/completeDataSetRegistrations{query}",
        body,
        content_type="application/json",
        **basic(user),
    )


def _filled(form, unit):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id="2020S1",
        cells=[CellInput("lop_ke_hoach", 5), CellInput("lop_da_mo", 3)],
    )


def test_a_registration_submits_the_report(org, personas, form):
    _filled(form, org.c1)
    item = {"dataSet": "HK", "period": "2020S1", "organisationUnit": "C1", "completed": True}
    response = register(personas.reporter, item)
    assert response.status_code == 200, response.content
    assert response.json()["response"]["importCount"]["imported"] == 1
    submission = Submission.objects.get(unit=org.c1, period="2020S1")
    assert submission.status == "submitted" and submission.submitted_by == personas.reporter
    again = register(personas.reporter, item).json()["response"]["importCount"]
    assert again == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    listed = get(
        personas.viewer,
        "completeDataSetRegistrations",
        dataSet="HK",
        period="2020S1",
        orgUnit="D1",
        children="true",
    )
    assert [
        (r["organisationUnit"], r["completed"])
        for r in listed.json()["completeDataSetRegistrations"]
    ] == [("C1", True)]


def test_registrations_follow_the_rules_and_atomic_mode(org, personas, form):
    _filled(form, org.c1)
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c2,
        period_id="2020S1",
        cells=[CellInput("lop_ke_hoach", 1), CellInput("lop_da_mo", 3)],  # fails held <= planned
    )
    good = {"dataSet": "HK", "period": "2020S1", "organisationUnit": "C1"}
    bad = {"dataSet": "HK", "period": "2020S1", "organisationUnit": "C2"}
    response = register(personas.reporter, good, bad)
    assert response.status_code == 409
    summary = response.json()["response"]
    assert summary["status"] == "ERROR" and summary["conflicts"][0]["indexes"] == [1]
    assert not Submission.objects.filter(status="submitted").exists()
    response = register(personas.reporter, good, bad, query="?atomicMode=NONE")
    assert response.json()["response"]["importCount"]["imported"] == 1
    assert Submission.objects.get(unit=org.c1).status == "submitted"
    assert Submission.objects.get(unit=org.c2).status == "draft"


def test_another_units_report_cannot_be_registered(org, personas, form):
    _filled(form, org.c1)
    response = register(
        personas.outsider, {"dataSet": "HK", "period": "2020S1", "organisationUnit": "C1"}
    )
    assert response.json()["response"]["conflicts"][0]["errorCode"] == "E7617"
    assert Submission.objects.get(unit=org.c1).status == "draft"
    assert (
        get(
            personas.outsider,
            "completeDataSetRegistrations",
            dataSet="HK",
            period="2020S1",
            orgUnit="C1",
        ).status_code
        == 403
    )


def test_a_remembered_basic_login_ends_when_the_password_changes(org, personas):
    assert get(personas.viewer, "me").status_code == 200
    assert get(personas.viewer, "me").status_code == 200  # remembered
    personas.viewer.set_password("another-password-1")
    personas.viewer.save()
    assert get(personas.viewer, "me").status_code == 401
    personas.manager.is_active = False
    personas.manager.save()
    assert get(personas.manager, "me").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "organisationUnits",
        "organisationUnits/D1",
        "dataElements",
        "dataElements/x",
        "dataSets",
        "dataSets/HK",
        "dataValueSets",
        "dataValues",
        "categoryCombos",
        "categoryOptionCombos/default",
        "completeDataSetRegistrations",
        "analytics",
        "system/info",
        "me",
    ],
)
def test_every_dhis2_path_answers_anonymous_with_401_json(org, path):
    response = Client().get(f"{API}/{path}")
    assert response.status_code == 401
    assert response.json()["httpStatusCode"] == 401


def test_fields_nested_too_deep_is_a_400(org, personas):
    deep = "id," + "children[" * 5000 + "id" + "]" * 5000
    response = get(personas.viewer, "organisationUnits", fields=deep)
    assert response.status_code == 400, response.content[:300]
    assert (
        get(personas.viewer, "organisationUnits", fields="id,children[id,children[id]]").status_code
        == 200
    )


def test_a_returned_report_with_marks_untouched_is_registered_with_a_reason(org, personas, form):
    """GIVEN C1's report returned with "lop_da_mo" marked to fix WHEN a DHIS2 client
    registers it untouched THEN it is refused, naming keepMarked; with keepMarked (and a
    comment) it is submitted and the approver reads the reason (walk 4: no way to say
    why from DHIS2)."""
    _filled(form, org.c1)
    submission = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    services.return_submission(
        acting_user=personas.manager,
        submission=submission,
        comment="Kiểm tra lại",
        cells=[services.MarkInput("lop_da_mo", note="Lệch sổ")],
    )
    item = {"dataSet": "HK", "period": "2020S1", "organisationUnit": "C1", "completed": True}
    refused = register(personas.reporter, item).json()["response"]
    assert "keepMarked" in refused["conflicts"][0]["value"]
    assert Submission.objects.get(unit=org.c1).status == "returned"
    kept = register(personas.reporter, {**item, "keepMarked": "Đúng theo sổ điểm danh"})
    assert kept.json()["response"]["importCount"]["imported"] == 1, kept.content
    again = Submission.objects.get(unit=org.c1)
    assert again.status == "submitted" and "Đúng theo sổ điểm danh" in again.submit_comment
