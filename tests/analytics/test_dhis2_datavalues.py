"""POST and GET /dhis2/api/dataValueSets: DHIS2's JSON shape, through reporting's rules.

Form HK (tests/reporting/conftest.py) is half-yearly, owned by D1, reported by C1 and C2;
the reporter and manager personas hold their roles at D1, the outsider at D2.
"""

import base64
import json
from decimal import Decimal

import pytest
from django.test import Client

from tests import factories
from tests.factories import SYSTEM
from tests.reporting import conftest as reporting
from trienkhai.accounts.services import issue_token
from trienkhai.analytics.dhis2 import datavalues
from trienkhai.analytics.dhis2.responses import ImportSummary
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, DataValueChange, Submission

URL = "/dhis2/api/dataValueSets"
audience, form = reporting.audience, reporting.form  # fixtures: form HK


def basic(user) -> dict:
    raw = base64.b64encode(f"{user.username}:{factories.PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def post(user, payload, query: str = "", **headers):
    auth = basic(user) if user is not None else {}
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return Client().post(URL + query, body, content_type="application/json", **auth, **headers)


def stored(unit, period="2020S1") -> dict:
    return {
        (v.indicator.code, v.option): v.value_number if v.value_number is not None else v.value_text
        for v in DataValue.objects.filter(unit=unit, period=period).select_related("indicator")
    }


def submitted(form, unit, period="2020S1"):
    """``unit``'s report of ``form`` with two values, submitted: its values are locked."""
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id=period,
        cells=[services.CellInput("lop_ke_hoach", 3), services.CellInput("lop_da_mo", 3)],
    )
    services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id=period)


def payload(org, *values, period="2020S1", unit=None):
    return {
        "dataSet": "HK",
        "period": period,
        "orgUnit": (unit or org.c1).code,
        "dataValues": list(values),
    }


def test_it_imports_values_and_answers_with_the_import_summary(org, personas, form):
    response = post(
        personas.reporter,
        payload(
            org,
            {"dataElement": "lop_ke_hoach", "categoryOptionCombo": "default", "value": "12"},
            {"dataElement": "lop_da_mo", "value": 10},
            {
                "dataElement": "luot_nguoi_doi_tuong",
                "categoryOptionCombo": "dang_vien",
                "value": "250",
            },
            {"dataElement": "ghi_chu", "value": "Đã tổ chức", "comment": "theo biên bản"},
        ),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "OK" and body["httpStatusCode"] == 200
    summary = body["response"]
    assert summary["status"] == "SUCCESS"
    assert summary["importCount"] == {"imported": 4, "updated": 0, "ignored": 0, "deleted": 0}
    assert stored(org.c1) == {
        ("lop_ke_hoach", ""): Decimal(12),
        ("lop_da_mo", ""): Decimal(10),
        ("luot_nguoi_doi_tuong", "dang_vien"): Decimal(250),
        ("ghi_chu", ""): "Đã tổ chức",
    }
    # Written through reporting: each change is in the cell history, by the caller.
    change = DataValueChange.objects.get(indicator__code="lop_ke_hoach", unit=org.c1)
    assert change.changed_by == personas.reporter and change.new == "12"


def test_it_reads_numbers_with_a_decimal_point_as_dhis2_writes_them(org, personas, form):
    services.create_indicator(acting_user=SYSTEM, code="ty_le", name="Tỷ lệ", value_type="decimal")
    services.add_indicator_to_form(
        acting_user=SYSTEM,
        form=form,
        indicator=services.Indicator.objects.get(code="ty_le"),
        valid_from=form.items.first().valid_from,
    )
    response = post(personas.reporter, payload(org, {"dataElement": "ty_le", "value": "12.5"}))
    assert response.status_code == 200, response.content
    assert stored(org.c1)[("ty_le", "")] == Decimal("12.5")  # not 125, the Vietnamese reading


def test_it_counts_updates_unchanged_values_and_deletions(org, personas, form):
    post(
        personas.reporter,
        payload(
            org,
            {"dataElement": "lop_ke_hoach", "value": "12"},
            {"dataElement": "lop_da_mo", "value": "5"},
        ),
    )
    response = post(
        personas.reporter,
        payload(
            org,
            {"dataElement": "lop_ke_hoach", "value": "14"},
            {"dataElement": "lop_da_mo", "value": "5"},
            {"dataElement": "luot_nguoi", "value": ""},
        ),
    )
    assert response.json()["response"]["importCount"] == {
        "imported": 0,
        "updated": 1,
        "ignored": 2,
        "deleted": 0,
    }
    response = post(
        personas.reporter,
        payload(org, {"dataElement": "lop_da_mo", "value": "5"}),
        "?importStrategy=DELETE",
    )
    assert response.json()["response"]["importCount"]["deleted"] == 1
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(14)}


def test_create_and_update_strategies_leave_the_other_kind_alone(org, personas, form):
    post(personas.reporter, payload(org, {"dataElement": "lop_ke_hoach", "value": "12"}))
    both = payload(
        org,
        {"dataElement": "lop_ke_hoach", "value": "20"},
        {"dataElement": "lop_da_mo", "value": "3"},
    )
    created = post(personas.reporter, both, "?importStrategy=CREATE").json()["response"]
    assert created["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    both["dataValues"][1]["value"] = "4"
    both["dataValues"].append({"dataElement": "luot_nguoi", "value": "7"})
    updated = post(personas.reporter, both, "?importStrategy=UPDATE").json()["response"]
    assert updated["importCount"] == {"imported": 0, "updated": 2, "ignored": 1, "deleted": 0}
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(20), ("lop_da_mo", ""): Decimal(4)}


BAD_ROWS = [
    {"dataElement": "lop_ke_hoach", "value": "12"},  # 0: good
    {"dataElement": "khong_co", "value": "1"},  # 1: unknown data element
    {"dataElement": "lop_da_mo", "value": "mười"},  # 2: not a number
    {"dataElement": "luot_nguoi_doi_tuong", "categoryOptionCombo": "tre_em", "value": "3"},  # 3
    {"dataElement": "lop_da_mo", "period": "2020X9", "value": "3"},  # 4: bad period
    {"dataElement": "lop_da_mo", "orgUnit": "KHONG", "value": "3"},  # 5: unknown unit
    {"dataElement": "binh_quan_lop", "value": "3"},  # 6: derived
    "not an object",  # 7
    {"dataElement": "lop_da_mo", "value": "2.5"},  # 8: not a whole number
]


def test_it_names_each_bad_row_and_applies_nothing_by_default(org, personas, form):
    response = post(personas.reporter, payload(org, *BAD_ROWS))
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR"
    summary = body["response"]
    assert summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 9, "deleted": 0}
    by_row = {c["indexes"][0]: c["errorCode"] for c in summary["conflicts"]}
    assert by_row == {
        1: "E7610",
        2: "E7619",
        3: "E7634",
        4: "E7611",
        5: "E7612",
        6: "E7610",
        7: "E7618",
        8: "E7619",
    }
    # A bad value is named in the reader's language by its indicator's name
    # (reporting.cells); the rest is bilingual, DHIS2's English after the Vietnamese.
    values = [c["value"] for c in summary["conflicts"] if c["errorCode"] == "E7619"]
    assert all(v.startswith("Số lớp đã mở: ") and " / " not in v for v in values)
    assert all(" / " in c["value"] for c in summary["conflicts"] if c["errorCode"] != "E7619")
    assert not DataValue.objects.exists()


def test_atomic_mode_none_applies_the_good_rows(org, personas, form):
    response = post(personas.reporter, payload(org, *BAD_ROWS), "?atomicMode=NONE")
    assert response.status_code == 409
    summary = response.json()["response"]
    assert summary["status"] == "WARNING"
    assert summary["importCount"]["imported"] == 1
    assert len(summary["conflicts"]) == 8
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(12)}


def test_dry_run_counts_and_keeps_nothing(org, personas, form):
    response = post(
        personas.reporter,
        payload(org, {"dataElement": "lop_ke_hoach", "value": "12"}),
        "?dryRun=true",
    )
    assert response.status_code == 200
    assert response.json()["response"]["importCount"]["imported"] == 1
    assert not DataValue.objects.exists()


def test_a_locked_report_refuses_its_rows_and_nothing_else_lands(org, personas, form):
    submitted(form, org.c2)
    body = {
        "dataSet": "HK",
        "period": "2020S1",
        "dataValues": [
            {"dataElement": "lop_ke_hoach", "orgUnit": "C1", "value": "12"},
            {"dataElement": "lop_ke_hoach", "orgUnit": "C2", "value": "9"},
        ],
    }
    response = post(personas.reporter, body)
    summary = response.json()["response"]
    assert response.status_code == 409 and summary["status"] == "ERROR"
    assert [(c["indexes"], c["errorCode"]) for c in summary["conflicts"]] == [([1], "E7642")]
    assert not DataValue.objects.filter(unit=org.c1).exists()
    assert stored(org.c2)[("lop_ke_hoach", "")] == Decimal(3)
    assert Submission.objects.get(unit=org.c2).status == "submitted"


def test_atomic_mode_none_writes_the_open_reports_and_refuses_the_locked_one(org, personas, form):
    """GIVEN C2's report submitted WHEN values of C1 and C2 come in one set with
    atomicMode=NONE THEN C1's land with their history and a draft report, C2's are
    conflicts and its stored value stays."""
    submitted(form, org.c2)
    body = {
        "dataSet": "HK",
        "period": "2020S1",
        "dataValues": [
            {"dataElement": "lop_ke_hoach", "orgUnit": "C2", "value": "9"},
            {"dataElement": "lop_ke_hoach", "orgUnit": "C1", "value": "12"},
            {"dataElement": "lop_da_mo", "orgUnit": "C1", "value": "4"},
            {"dataElement": "lop_da_mo", "orgUnit": "C2", "value": "3"},  # unchanged
        ],
    }
    response = post(personas.reporter, body, "?atomicMode=NONE")
    summary = response.json()["response"]
    assert response.status_code == 409 and summary["status"] == "WARNING"
    assert summary["importCount"] == {"imported": 2, "updated": 0, "ignored": 1, "deleted": 0}
    assert [(c["indexes"], c["errorCode"]) for c in summary["conflicts"]] == [([0], "E7642")]
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(12), ("lop_da_mo", ""): Decimal(4)}
    assert stored(org.c2)[("lop_ke_hoach", "")] == Decimal(3)
    assert Submission.objects.get(unit=org.c1).status == "draft"
    changes = DataValueChange.objects.filter(unit=org.c1).order_by("indicator__code")
    assert [(c.indicator.code, c.old, c.new, c.changed_by) for c in changes] == [
        ("lop_da_mo", "", "4", personas.reporter),
        ("lop_ke_hoach", "", "12", personas.reporter),
    ]


def test_a_comment_alone_keeps_the_value_and_a_later_row_wins(org, personas, form):
    post(personas.reporter, payload(org, {"dataElement": "lop_ke_hoach", "value": "12"}))
    response = post(
        personas.reporter,
        payload(
            org,
            {"dataElement": "lop_ke_hoach", "comment": "theo biên bản"},
            {"dataElement": "lop_da_mo", "value": "3"},
            {"dataElement": "lop_da_mo", "value": "5"},
        ),
    )
    assert response.json()["response"]["importCount"] == {
        "imported": 1,
        "updated": 1,
        "ignored": 1,
        "deleted": 0,
    }
    value = DataValue.objects.get(unit=org.c1, indicator__code="lop_ke_hoach")
    assert value.value_number == Decimal(12) and value.comment == "theo biên bản"
    assert stored(org.c1)[("lop_da_mo", "")] == Decimal(5)


def test_a_unit_outside_the_callers_scope_is_refused(org, personas, form):
    response = post(personas.outsider, payload(org, {"dataElement": "lop_ke_hoach", "value": "12"}))
    assert response.status_code == 409
    (conflict,) = response.json()["response"]["conflicts"]
    assert conflict["errorCode"] == "E7617" and conflict["object"] == "C1"
    assert not DataValue.objects.exists()


def test_a_viewer_may_not_write(org, personas, form):
    response = post(personas.viewer, payload(org, {"dataElement": "lop_ke_hoach", "value": "12"}))
    assert response.status_code == 409
    assert response.json()["response"]["conflicts"][0]["errorCode"] == "E7617"


@pytest.mark.parametrize("who", ["nobody", "outsider"])
def test_the_import_service_refuses_every_row_to_nobody_and_outsiders(org, personas, form, who):
    """The service itself fails closed (decision 0022): None, or a user of another
    district, gets each row as a conflict and writes nothing; a system actor writes."""
    actor = None if who == "nobody" else personas.outsider
    values = [
        {"dataElement": "lop_ke_hoach", "value": "12"},
        {"dataElement": "lop_da_mo", "value": "5"},
    ]

    def imported(acting_user):
        summary = ImportSummary()
        rows = datavalues.rows_from_json(payload(org, *values), summary)
        return datavalues.import_rows(
            acting_user=acting_user, rows=rows, options=datavalues.Options(), summary=summary
        )

    refused = imported(actor)
    assert [c["errorCode"] for c in refused.conflicts] == ["E7617", "E7617"]
    assert not DataValue.objects.exists() and not DataValueChange.objects.exists()
    imported(SYSTEM)
    assert stored(org.c1) == {("lop_ke_hoach", ""): Decimal(12), ("lop_da_mo", ""): Decimal(5)}


def test_a_unit_that_does_not_report_the_form_is_refused(org, personas, form):
    response = post(
        personas.manager, payload(org, {"dataElement": "lop_ke_hoach", "value": "1"}, unit=org.d1)
    )
    conflict = response.json()["response"]["conflicts"][0]
    assert conflict["errorCode"] == "E7636"


def test_the_form_is_found_from_the_data_element_when_no_data_set_is_named(org, personas, form):
    body = {
        "dataValues": [
            {"dataElement": "lop_ke_hoach", "period": "2020S2", "orgUnit": "C2", "value": "6"}
        ]
    }
    response = post(personas.reporter, body)
    assert response.status_code == 200, response.content
    assert stored(org.c2, "2020S2") == {("lop_ke_hoach", ""): Decimal(6)}


@pytest.mark.parametrize(
    "body,status",
    [
        (b"{not json", 400),
        (json.dumps([1, 2]), 400),
        (json.dumps({"dataValues": "x"}), 400),
    ],
)
def test_an_unreadable_payload_is_a_400(org, personas, form, body, status):
    response = post(personas.reporter, body)
    assert response.status_code == status
    assert response.json()["httpStatusCode"] == status
    assert not DataValue.objects.exists()


def test_it_authenticates_with_tokens_and_refuses_anonymous_and_wrong_passwords(
    org, personas, form
):
    token = issue_token(user=personas.reporter)
    body = json.dumps(payload(org, {"dataElement": "lop_ke_hoach", "value": "1"}))
    for header in (f"ApiToken {token}", f"Bearer {token}"):
        response = Client().post(
            URL, body, content_type="application/json", HTTP_AUTHORIZATION=header
        )
        assert response.status_code == 200, header
    assert Client().post(URL, body, content_type="application/json").status_code == 401
    wrong = base64.b64encode(b"reporter:wrong-password").decode()
    response = Client().post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Basic {wrong}"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    bad_token = Client().get(URL, HTTP_AUTHORIZATION="ApiToken nope")
    assert bad_token.status_code == 401


def test_a_logged_in_browser_may_read_but_not_write_without_credentials(org, personas, form, web):
    client = web(personas.reporter)
    body = json.dumps(payload(org, {"dataElement": "lop_ke_hoach", "value": "1"}))
    assert client.post(URL, body, content_type="application/json").status_code == 401
    assert (
        client.get(URL, {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1"}).status_code == 200
    )


def test_wrong_method_is_405(org, personas):
    response = Client().delete(URL, **basic(personas.reporter))
    assert response.status_code == 405


# Export --------------------------------------------------------------------------------


def _seed(form, org):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S1",
        cells=[
            services.CellInput("lop_ke_hoach", 12),
            services.CellInput("luot_nguoi_doi_tuong", 40, option="dang_vien"),
            services.CellInput("ghi_chu", "Tốt", comment="ghi"),
        ],
    )
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c2,
        period_id="2020S1",
        cells=[services.CellInput("lop_ke_hoach", 2)],
    )


def test_it_exports_a_data_value_set(org, personas, form):
    _seed(form, org)
    response = Client().get(
        URL,
        {"dataSet": "HK", "period": "2020S1", "orgUnit": "D1", "children": "true"},
        **basic(personas.viewer),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dataSet"] == "HK" and body["period"] == "2020S1"
    got = [
        (v["orgUnit"], v["dataElement"], v["categoryOptionCombo"], v["value"])
        for v in body["dataValues"]
    ]
    assert got == [
        ("C1", "ghi_chu", "default", "Tốt"),
        ("C1", "lop_ke_hoach", "default", "12"),
        ("C1", "luot_nguoi_doi_tuong", "dang_vien", "40"),
        ("C2", "lop_ke_hoach", "default", "2"),
    ]
    assert body["dataValues"][0]["comment"] == "ghi"


def test_export_by_dates_and_data_element(org, personas, form):
    _seed(form, org)
    response = Client().get(
        URL,
        {
            "dataElement": "lop_ke_hoach",
            "startDate": "2020-01-01",
            "endDate": "2020-12-31",
            "orgUnit": "C1",
        },
        **basic(personas.viewer),
    )
    assert [v["value"] for v in response.json()["dataValues"]] == ["12"]
    outside = Client().get(
        URL,
        {
            "dataElement": "lop_ke_hoach",
            "startDate": "2021-01-01",
            "endDate": "2021-12-31",
            "orgUnit": "C1",
        },
        **basic(personas.viewer),
    )
    assert outside.json()["dataValues"] == []


@pytest.mark.parametrize(
    "params,code",
    [
        ({"period": "2020S1", "orgUnit": "C1"}, "E2001"),
        ({"dataSet": "HK", "orgUnit": "C1"}, "E2002"),
        ({"dataSet": "HK", "period": "2020S1"}, "E2006"),
        (
            {
                "dataSet": "HK",
                "period": "2020S1",
                "startDate": "2020-01-01",
                "endDate": "2020-02-01",
                "orgUnit": "C1",
            },
            "E2003",
        ),
        ({"dataSet": "NOPE", "period": "2020S1", "orgUnit": "C1"}, "E1105"),
        ({"dataSet": "HK", "period": "2020S1", "orgUnit": "NOPE"}, "E1102"),
    ],
)
def test_export_refuses_incomplete_queries(org, personas, form, params, code):
    response = Client().get(URL, params, **basic(personas.viewer))
    assert response.status_code == 409
    assert response.json()["errorCode"] == code


def test_export_refuses_another_units_data(org, personas, form):
    _seed(form, org)
    response = Client().get(
        URL, {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1"}, **basic(personas.outsider)
    )
    assert response.status_code == 403
    assert response.json()["errorCode"] == "E2012"
    assert "dataValues" not in response.json()


def test_an_export_posts_back_unchanged(org, personas, form):
    _seed(form, org)
    exported = (
        Client()
        .get(
            URL, {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1"}, **basic(personas.reporter)
        )
        .json()
    )
    response = post(personas.reporter, exported)
    assert response.status_code == 200
    assert response.json()["response"]["importCount"]["ignored"] == 3  # nothing changed


@pytest.mark.parametrize(
    "query,status",
    [
        ("?importStrategy=MERGE", 400),
        ("?atomicMode=SOME", 400),
        ("?idScheme=NAME", 409),
    ],
)
def test_unknown_import_options_are_refused_before_reading(org, personas, form, query, status):
    response = post(
        personas.reporter, payload(org, {"dataElement": "lop_ke_hoach", "value": "1"}), query
    )
    assert response.status_code == status
    assert " / " in response.json()["message"]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # the parser's recursion
        b'{"dataValues": [{"dataElement": "lop_da_mo", "period": "2020S1", "orgUnit": "C\\ud800", "value": "3"}]}',
        b'{"dataSet": "\\udfff", "dataValues": []}',
    ],
)
def test_json_nested_too_deep_or_with_a_lone_surrogate_is_a_400(org, personas, form, body):
    """Found from outside: both were 500s (RecursionError; a string no database stores)."""
    from django.test import Client

    response = Client().post(URL, body, content_type="application/json", **basic(personas.reporter))
    assert response.status_code == 400, response.content[:300]
    assert not DataValue.objects.exists()


def test_a_body_over_the_limit_gets_413_naming_the_limit(personas, form, org):
    big = b'{"dataValues": [' + b" " * (10 * 1024 * 1024 + 1) + b"]}"
    response = post(personas.reporter, big)
    assert response.status_code == 413
    assert "10 MiB" in response.json()["message"]
    assert not DataValue.objects.exists()
