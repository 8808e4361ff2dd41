"""Directives (issue 5 §4): assignments that cascade, answers, progress, and their refusals."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tests import factories
from tests.factories import SIGNED, SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import directives, services
from trienkhai.documents.models import AssignedUnit, Assignment, Document, DocumentLink
from trienkhai.orgs import services as org_services
from trienkhai.orgs.models import UnitVersion
from trienkhai.reporting.models import Form, Submission

DUE = "2020-06-30"


def assign(client, directive, **body):
    return client.post(
        f"documents/{directive.pk}/assignments", {"due": DUE, "expects": "KH", **body}
    )


def plan(unit, day, *, type_code="KH", issue=True):
    draft = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=unit,
        type=type_code,
        date=day,
        summary=f"Kế hoạch {unit.code}",
    )
    return services.issue(acting_user=SYSTEM, document=draft) if issue else draft


def progress(client, directive, **params):
    response = client.get(f"documents/{directive.pk}/assignments", **params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def cell_manager(district):
    return factories.make_user("ql.cb1", unit=district.CB1, role="manager")


def test_it_assigns_units_and_counts_answers_on_time_late_and_missing(
    district, directive, personas, api, cell_manager
):
    client = api(personas.manager)
    made = assign(client, directive, units=["CB1", "CB2", "CB3"], task="Xây dựng kế hoạch")
    assert made.status_code == 201, made.content
    assert made.json()["units"] == ["CB1", "CB2", "CB3"]
    assert made.json()["expects"] == "KH"
    # CB1 answers through the API with a new plan, on time; CB2's plan is late.
    answered = api(cell_manager).post(
        f"documents/{directive.pk}/answers",
        {
            "unit": "CB1",
            "new": {"type": "KH", "date": "2020-06-20", "summary": "Kế hoạch", **SIGNED},
        },
    )
    assert answered.status_code == 201, answered.content
    assert answered.json()["document"]["symbol"] == "01-KH/CB"
    late = plan(district.CB2, dt.date(2020, 7, 3))
    directives.answer(acting_user=SYSTEM, directive=directive, unit=district.CB2, document=late)
    body = progress(client, directive)
    assert {k: body[k] for k in ("expected", "answered", "on_time", "late", "missing")} == {
        "expected": 3,
        "answered": 2,
        "on_time": 1,
        "late": 1,
        "missing": ["CB3"],
    }
    by_unit = {row["unit"]: row for row in body["units"]}
    assert by_unit["CB2"]["days_late"] == 3
    assert by_unit["CB1"]["answer"]["symbol"] == "01-KH/CB"
    overdue = (timezone.localdate() - dt.date(2020, 6, 30)).days
    assert body["reminders"] == [
        {"unit": "CB3", "name": "Đơn vị CB3", "due": DUE, "days_late": overdue}
    ]


def test_a_plan_linked_by_hand_counts_as_the_answer(district, directive, personas, api):
    client = api(personas.manager)
    assign(client, directive, units=["CB1"])
    own = plan(district.CB1, dt.date(2020, 6, 10))
    linked = client.post(
        f"documents/{own.pk}/links", {"target": directive.pk, "kind": "implements"}
    )
    assert linked.status_code == 201, linked.content
    assert progress(client, directive)["on_time"] == 1


def test_a_draft_or_a_plan_of_another_type_is_not_an_answer(district, directive, personas, api):
    client = api(personas.manager)
    assign(client, directive, units=["CB1"])
    report = plan(district.CB1, dt.date(2020, 6, 10), type_code="BC")
    services.link(acting_user=SYSTEM, source=report, target=directive, kind="implements")
    draft = plan(district.CB1, dt.date(2020, 6, 10), issue=False)
    services.link(acting_user=SYSTEM, source=draft, target=directive, kind="implements")
    assert progress(client, directive)["missing"] == ["CB1"]


def test_it_expands_a_kind_under_the_issuer_and_freezes_the_list(
    district, directive, personas, api
):
    client = api(personas.manager)
    made = assign(client, directive, kind="party_cell")
    assert made.status_code == 201, made.content
    assert made.json()["units"] == ["CB1", "CB11", "CB2", "CB3"]
    assert made.json()["selection"] == "kind=party_cell"
    # A cell created later, even dated before the directive, and a cell dissolved after
    # it, do not change who was expected.
    factories.make_unit(
        "CB4", kind_code="party_cell", parent=district.hu, valid_from=dt.date(2019, 1, 1)
    )
    org_services.dissolve_unit(acting_user=SYSTEM, unit=district.CB3, on=dt.date(2021, 1, 1))
    body = progress(client, directive)
    assert body["expected"] == 4
    assert body["missing"] == ["CB1", "CB11", "CB2", "CB3"]


def test_it_expands_levels_under_the_issuer(district, directive, personas, api):
    client = api(personas.manager)
    assert assign(client, directive, level=1).json()["units"] == ["CB1", "CB2", "CB3", "DU1"]
    second = assign(client, directive, level=2, expects="BC")
    assert second.json()["units"] == ["CB11"]
    third = assign(client, directive, kind="party_committee", level=1, expects="BC")
    assert third.json()["units"] == ["DU1"]


def test_a_unit_cascades_its_task_and_the_issuer_sees_the_tree(district, directive, personas, api):
    du1_manager = factories.make_user("ql.du1", unit=district.du1, role="manager")
    assign(api(personas.manager), directive, units=["DU1", "CB1"])
    down = assign(api(du1_manager), directive, units=["CB11"], by="DU1", due="2020-06-25")
    assert down.status_code == 201, down.content
    assert down.json()["parent"] is not None
    directives.answer(
        acting_user=SYSTEM,
        directive=directive,
        unit=district.cb11,
        document=plan(district.cb11, dt.date(2020, 6, 24)),
    )
    body = progress(api(personas.manager), directive)
    assert body["expected"] == 2  # the issuer's own assignees; the cascade is the tree
    tree = {node["unit"]: node for node in body["tree"]}
    assert [c["unit"] for c in tree["DU1"]["children"]] == ["CB11"]
    assert tree["DU1"]["children"][0]["on_time"] is True
    assert tree["CB1"]["children"] == []
    # DU1 sees its own cascade as the assigner.
    own = progress(api(du1_manager), directive, by="DU1")
    assert (own["expected"], own["answered"], own["assignments"][0]["parent"]) == (1, 1, "DU1")


def test_a_unit_not_assigned_cannot_pass_the_task_down(district, directive, personas, api):
    assign(api(personas.manager), directive, units=["CB1"])
    refused = assign(api(personas.manager), directive, units=["CB11"], by="DU1")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "not_assigned"
    # Assigned, DU1 still may pass it only to its own subtree.
    assign(api(personas.manager), directive, units=["DU1"])
    outside = assign(api(personas.manager), directive, units=["CB2"], by="DU1")
    assert outside.json()["error"]["code"] == "outside_subtree"
    assert Assignment.objects.count() == 2


def test_a_form_expectation_is_answered_by_the_units_submitted_report(
    district, directive, personas, api
):
    form = Form.objects.create(
        code="HK", name="Báo cáo 6 tháng", owner=district.hu, period_type="sixmonthly"
    )
    made = assign(
        api(personas.manager),
        directive,
        units=["CB1", "CB2", "CB3"],
        expects={"form": "HK", "period": "2020S1"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["expects"] == "HK 2020S1"

    def report(unit, status, day):
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        Submission.objects.create(
            form=form, unit=unit, period="2020S1", status=status, first_submitted=when
        )

    report(district.CB1, Submission.Status.APPROVED, dt.date(2020, 6, 29))
    report(district.CB2, Submission.Status.SUBMITTED, dt.date(2020, 7, 2))
    report(district.CB3, Submission.Status.RETURNED, dt.date(2020, 6, 1))
    body = progress(api(personas.manager), directive)
    assert (body["answered"], body["on_time"], body["late"], body["missing"]) == (2, 1, 1, ["CB3"])


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"expects": "XX"}, "unknown_type"),
        ({"expects": {"form": "NOPE", "period": "2020S1"}}, "unknown_form"),
        ({"expects": {"form": "HK", "period": "2020Q1"}}, "wrong_period_type"),
        ({"expects": {"form": "HK", "period": "abc"}}, "invalid_period"),
        ({"expects": {"form": "HK"}}, "invalid_expects"),
        ({"due": "2020-06-01"}, "due_before_document"),
        ({"units": ["C1"]}, "outside_subtree"),
        ({"units": ["D2"]}, "outside_subtree"),
        ({"units": ["HU"]}, "outside_subtree"),
        ({"units": ["CB1", "NOPE"]}, "unknown_unit"),
        ({"units": None, "kind": "nope"}, "unknown_kind"),
        ({"units": None, "kind": "province"}, "no_units"),
        ({"units": None}, "no_units"),
        ({"units": None, "level": 0}, "invalid_level"),
        ({"by": "NOPE"}, "unknown_unit"),
        ({"due": "30/06/2020"}, "invalid_input"),
    ],
)
def test_it_refuses_bad_assignments_and_changes_nothing(
    district, directive, personas, api, change, code
):
    Form.objects.create(code="HK", name="HK", owner=district.hu, period_type="sixmonthly")
    response = assign(api(personas.manager), directive, **{"units": ["CB1"], **change})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert "/" in response.json()["error"]["message"]
    assert not Assignment.objects.exists() and not AssignedUnit.objects.exists()


def test_it_refuses_to_assign_a_draft_or_the_same_task_twice(district, personas, api, directive):
    client = api(personas.manager)
    draft = plan(district.hu, dt.date(2020, 6, 2), type_code="CV", issue=False)
    refused = assign(client, draft, units=["CB1"])
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_issued")
    assert assign(client, directive, units=["CB1"]).status_code == 201
    again = assign(client, directive, units=["CB2", "CB1"])
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_assigned")
    assert AssignedUnit.objects.count() == 1
    # The same units with another expectation are another task.
    assert assign(client, directive, units=["CB1"], expects="BC").status_code == 201


def test_a_received_document_is_assigned_down_by_the_unit_that_received_it(district, personas, api):
    client = api(personas.manager)
    received = client.post(
        "documents/incoming",
        {
            "unit": "HU",
            "issuer_name": "Bộ Chính trị",
            "profile": "party",
            "type": "NQ",
            "symbol": "35-NQ/TW",
            "date": "2018-10-22",
            "received_date": "2018-11-01",
            "summary": "Tăng cường bảo vệ nền tảng tư tưởng của Đảng",
        },
    )
    assert received.status_code == 201, received.content
    document = Document.objects.get(pk=received.json()["id"])
    assert assign(client, document, level=1, due="2018-12-31").status_code == 201


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        # A cell's manager answering another cell's assignment.
        ("cell", {"unit": "CB2", "document": "cb2-plan"}, 403, None),
        # ... or its own with another cell's plan (which it may not even see).
        ("cell", {"unit": "CB1", "document": "cb2-plan"}, 403, None),
        # The district manager sees both, and is still refused the mix-up.
        ("manager", {"unit": "CB1", "document": "cb2-plan"}, 400, "not_own_document"),
        ("manager", {"unit": "CB3", "document": "cb3-report"}, 400, "wrong_type"),
        ("manager", {"unit": "CB3", "document": "cb3-draft"}, 409, "not_issued"),
        ("manager", {"unit": "CB3", "document": "cb3-early"}, 400, "answer_before_directive"),
        ("manager", {"unit": "CB11", "document": "cb11-plan"}, 400, "not_assigned"),
        ("manager", {"unit": "CB3"}, 400, "invalid_answer"),
        (
            "manager",
            {"unit": "CB3", "document": "cb3-plan", "kind": "replaces"},
            400,
            "invalid_link_kind",
        ),
        ("viewer", {"unit": "CB3", "document": "cb3-plan"}, 403, None),
        ("outsider", {"unit": "CB3", "document": "cb3-plan"}, 403, None),
    ],
)
def test_it_refuses_wrong_answers_and_changes_nothing(
    district, directive, personas, api, cell_manager, who, body, status, code
):
    assign(api(personas.manager), directive, units=["CB1", "CB2", "CB3"])
    docs = {
        "cb2-plan": plan(district.CB2, dt.date(2020, 6, 10)),
        "cb3-report": plan(district.CB3, dt.date(2020, 6, 10), type_code="BC"),
        "cb3-draft": plan(district.CB3, dt.date(2020, 6, 10), issue=False),
        "cb3-early": plan(district.CB3, dt.date(2020, 5, 1)),
        "cb3-plan": plan(district.CB3, dt.date(2020, 6, 10)),
        "cb11-plan": plan(district.cb11, dt.date(2020, 6, 10)),
    }
    if "document" in body:
        body = {**body, "document": docs[body["document"]].pk}
    user = cell_manager if who == "cell" else getattr(personas, who)
    response = api(user).post(f"documents/{directive.pk}/answers", body)
    assert response.status_code == status, response.content
    if code:
        assert response.json()["error"]["code"] == code
    assert not DocumentLink.objects.exists()


def test_a_new_answer_with_bad_input_leaves_no_document(district, directive, personas, api):
    assign(api(personas.manager), directive, units=["CB1"])
    response = api(personas.manager).post(
        f"documents/{directive.pk}/answers",
        {
            "unit": "CB1",
            "new": {"type": "BC", "date": "2020-06-10", "summary": "Báo cáo", **SIGNED},
        },
    )
    assert response.json()["error"]["code"] == "wrong_type"
    assert not Document.objects.filter(unit=district.CB1).exists()


def test_it_refuses_outsiders_anonymous_and_wrong_methods(district, directive, personas, api):
    assert assign(api(personas.outsider), directive, units=["CB1"]).status_code == 403
    assert assign(api(personas.viewer), directive, units=["CB1"]).status_code == 403
    assert assign(api(personas.reporter), directive, units=["CB1"]).status_code == 403
    assert assign(api(None), directive, units=["CB1"]).status_code == 401
    assert not Assignment.objects.exists()
    assign(api(personas.manager), directive, units=["CB1"])
    url = f"documents/{directive.pk}/assignments"
    assert api(personas.outsider).get(url).status_code == 403
    assert api(None).get(url).status_code == 401
    assert api(personas.viewer).get(url).status_code == 200
    assert api(personas.manager).delete(url).status_code == 405
    assert api(personas.outsider).get("documents/tasks", unit="CB1").status_code == 403
    assert api(personas.manager).get("documents/404404/assignments").status_code == 404


def test_an_assigned_cell_reads_the_directive_and_only_its_own_row(
    district, directive, personas, api, cell_manager
):
    assign(api(personas.manager), directive, units=["CB1", "CB2"])
    client = api(cell_manager)
    assert client.get(f"documents/{directive.pk}").status_code == 200
    body = progress(client, directive)
    assert [row["unit"] for row in body["units"]] == ["CB1"]
    assert body["expected"] == 1
    tasks = client.get("documents/tasks", unit="CB1")
    assert tasks.status_code == 200
    assert [(t["directive"]["symbol"], t["answered"]) for t in tasks.json()] == [
        ("01-CV/HU", False)
    ]
    # A cell not assigned sees neither the directive nor its assignments.
    other = factories.make_user("ql.cb3", unit=district.CB3, role="manager")
    directives.assign(
        acting_user=SYSTEM,
        document=directive,
        due=dt.date(2020, 7, 1),
        expects="BC",
        units=["CB11"],
    )
    assert api(other).get(f"documents/{directive.pk}").status_code == 403
    assert api(other).get(f"documents/{directive.pk}/assignments").status_code == 403


def test_progress_costs_the_same_queries_for_3_or_30_units(
    district, directive, django_assert_max_num_queries
):
    cells = [
        factories.make_unit(
            f"X{i}",
            kind_code="party_cell",
            parent=district.hu,
            valid_from=dt.date(2010, 1, 1),
            abbreviation="CB",
        )
        for i in range(30)
    ]

    def measure(units):
        Document.objects.exclude(pk=directive.pk).delete()
        AssignedUnit.objects.all().delete()
        Assignment.objects.all().delete()
        directives.assign(
            acting_user=SYSTEM,
            document=directive,
            due=dt.date(2020, 7, 1),
            expects="KH",
            units=[u.code for u in units],
        )
        for unit in units[::2]:
            directives.answer(
                acting_user=SYSTEM,
                directive=directive,
                unit=unit,
                document=plan(unit, dt.date(2020, 6, 10)),
            )

    measure(cells[:3])
    with django_assert_max_num_queries(8) as few:
        assert directives.progress(directive).expected == 3
    measure(cells)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert directives.progress(directive).answered == 15


# The incoming register ------------------------------------------------------------------

INCOMING = {
    "unit": "HU",
    "issuer_name": "Tỉnh ủy Kiên Giang",
    "profile": "party",
    "type": "CV",
    "date": "2020-05-20",
    "received_date": "2020-05-22",
    "summary": "Về việc triển khai Nghị quyết 35",
}


def test_incoming_documents_get_consecutive_received_numbers_per_year(district, personas, api):
    client = api(personas.manager)
    numbers = [
        client.post("documents/incoming", {**INCOMING, "symbol": f"{n}-CV/TU"}).json()
        for n in (1, 2)
    ]
    assert [(d["received_number"], d["received_date"]) for d in numbers] == [
        (1, "2020-05-22"),
        (2, "2020-05-22"),
    ]
    typed = client.post(
        "documents/incoming", {**INCOMING, "symbol": "9-CV/TU", "received_number": 7}
    )
    assert typed.json()["received_number"] == 7
    after = client.post("documents/incoming", {**INCOMING, "symbol": "10-CV/TU"})
    assert after.json()["received_number"] == 8
    next_year = {
        **INCOMING,
        "symbol": "1-CV/TU",
        "date": "2021-01-02",
        "received_date": "2021-01-04",
    }
    assert client.post("documents/incoming", next_year).json()["received_number"] == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"symbol": "5-CV/TU", "received_number": 1}, 409, "duplicate_received_number"),
        ({"symbol": "1-CV/TU"}, 409, "duplicate_incoming"),
        ({"symbol": "6-CV/TU", "received_date": "2020-05-01"}, 400, "received_before_date"),
        ({"symbol": "7-CV/TU", "received_number": 0}, 400, "invalid_received_number"),
        (
            {
                "symbol": "8-CV/HU",
                "issuer": "HU",
                "issuer_name": "",
                "date": "2001-01-01",
                "received_date": "2001-01-02",
            },
            400,
            "issuer_not_existing",
        ),
    ],
)
def test_it_refuses_a_duplicate_or_impossible_incoming_entry(
    district, personas, api, change, status, code
):
    client = api(personas.manager)
    assert client.post("documents/incoming", {**INCOMING, "symbol": "1-CV/TU"}).status_code == 201
    response = client.post("documents/incoming", {**INCOMING, **change})
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert Document.objects.count() == 1


def test_its_refusals_name_the_units_in_words(district, directive, org):
    """GIVEN HU's directive assigned to its cells, the units bearing names (not codes)
    WHEN it is assigned again, to a unit outside HU, or answered by a unit not assigned
    THEN the screen's words name the units in the reader's language; the API's message
    keeps the codes it always had."""
    names = {"HU": "Huyện ủy Vĩnh Thuận", "CB1": "Chi bộ Ấp Một", "CB2": "Chi bộ Ấp Hai"}
    for code, name in names.items():
        UnitVersion.objects.filter(unit__code=code).update(name=name)
    day = dt.date(2020, 6, 30)
    directives.assign(acting_user=SYSTEM, document=directive, due=day, expects="KH", units=["CB1"])
    with pytest.raises(Conflict) as twice:
        directives.assign(
            acting_user=SYSTEM, document=directive, due=day, expects="KH", units=["CB1"]
        )
    assert twice.value.shown == "Đã giao cùng nhiệm vụ này cho: Chi bộ Ấp Một."
    with translation.override("en"), pytest.raises(BadInput) as outside:
        directives.assign(
            acting_user=SYSTEM, document=directive, due=day, expects="KH", units=["D2"]
        )
    assert outside.value.code == "outside_subtree" and "HU" in outside.value.message
    assert outside.value.shown == (
        "These units are not under Huyện ủy Vĩnh Thuận on 02/06/2020: Huyện Cầu Kè."
    )
    answer = plan(district.CB2, dt.date(2020, 6, 10))
    with pytest.raises(BadInput) as stranger:
        directives.answer(
            acting_user=SYSTEM, directive=directive, unit=district.CB2, document=answer
        )
    assert stranger.value.message.startswith("CB2 không được giao văn bản này")
    assert stranger.value.shown == "Chi bộ Ấp Hai không được giao văn bản này."
    assert Assignment.objects.count() == 1 and not DocumentLink.objects.exists()
