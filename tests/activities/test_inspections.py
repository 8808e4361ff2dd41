"""Inspection and supervision of subordinate units: plans, inspections, conclusions,
the follow-up of recommendations, and the figures they make (activities/inspections.py).

The organisation of tests/conftest.py: D1 with C1 and C2 (personas at D1, the outsider at
D2).
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.activities import figures, inspections
from trienkhai.activities.inspections import RecommendationInput
from trienkhai.activities.models import Inspection, Recommendation
from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import Indicator

YEAR = dt.date(2021, 1, 1), dt.date(2021, 12, 31)


def inspect(org, inspected=None, start=dt.date(2021, 3, 1), plan=None, kind="inspection"):
    return inspections.create_inspection(
        acting_user=SYSTEM,
        unit=org.d1,
        inspected=inspected or org.c1,
        kind=kind,
        title="Kiểm tra việc thực hiện Nghị quyết 35",
        start=start,
        end=start + dt.timedelta(days=3),
        team="Nguyễn Văn A, trưởng đoàn\nLê Thị B",
        plan=plan,
    )


@pytest.fixture
def year_2021(org):
    """D1's plan of 2021: C1 inspected and concluded in March with two recommendations
    (one carried out in May, one overdue at the year's end); C2 supervised, not concluded."""
    plan = inspections.create_plan(
        acting_user=SYSTEM, unit=org.d1, year=2021, title="Kế hoạch kiểm tra, giám sát năm 2021"
    )
    first = inspect(org, plan=plan)
    inspections.conclude(
        acting_user=SYSTEM,
        inspection=first,
        concluded=dt.date(2021, 3, 20),
        findings="Đã triển khai đầy đủ; còn chậm báo cáo.",
        recommendations=[
            RecommendationInput("Báo cáo đúng hạn", dt.date(2021, 4, 30)),
            RecommendationInput("Lập kế hoạch năm 2022", dt.date(2021, 11, 30)),
        ],
    )
    done = first.recommendations.get(text="Báo cáo đúng hạn")
    inspections.follow_up(
        acting_user=SYSTEM, recommendation=done, note="Đã khắc phục", resolved=dt.date(2021, 5, 2)
    )
    inspect(org, inspected=org.c2, start=dt.date(2021, 9, 6), plan=plan, kind="supervision")
    return plan


def test_it_counts_the_figures_of_a_subtree(org, year_2021):
    values = inspections.subtrees_figures(
        [fig.code for fig in inspections.FIGURES], {"d1": [org.d1.pk, org.c1.pk]}, *YEAR
    )
    got = {code: int(v) for (code, _, _), v in values.items()}
    assert got == {
        "act_inspections_planned": 2,
        "act_inspections_held": 1,
        "act_recommendations": 2,
        "act_recommendations_resolved": 1,
        "act_recommendations_overdue": 1,
    }
    # As 30/04/2021 stood: nothing overdue yet (the first was due that day).
    spring = inspections.subtrees_figures(
        ["act_recommendations_overdue"],
        {"d1": [org.d1.pk]},
        dt.date(2021, 1, 1),
        YEAR[0].replace(month=4, day=30),
    )
    assert spring[("act_recommendations_overdue", "", "d1")] == 0


def test_the_engine_reads_them_like_any_indicator(org, year_2021):
    figures.ensure_indicators()
    assert Indicator.objects.get(code="act_inspections_held").source == "inspections"
    found = dict(
        (fig.code, int(value)) for fig, value in figures.every_subtree_figure(org.d1, *YEAR)
    )
    assert found["act_inspections_held"] == 1 and found["act_recommendations"] == 2


def test_it_inspects_only_a_unit_below(org, personas):
    with pytest.raises(BadInput) as refused:
        inspect(org, inspected=org.d1)
    assert refused.value.code == "not_subordinate"
    with pytest.raises(BadInput):
        inspect(org, inspected=org.d2)
    with pytest.raises(PermissionDenied):
        inspections.create_inspection(
            acting_user=personas.outsider,
            unit=org.d1,
            inspected=org.c1,
            kind="inspection",
            title="Kiểm tra",
            start=dt.date(2021, 3, 1),
            end=dt.date(2021, 3, 2),
        )
    assert not Inspection.objects.exists()


def test_a_conclusion_with_a_bad_deadline_saves_nothing(org):
    inspection = inspect(org)
    with pytest.raises(BadInput) as refused:
        inspections.conclude(
            acting_user=SYSTEM,
            inspection=inspection,
            concluded=dt.date(2021, 3, 20),
            findings="Kết luận",
            recommendations=[
                RecommendationInput("Một", dt.date(2021, 4, 30)),
                RecommendationInput("Hai", dt.date(2021, 3, 1)),
            ],
        )
    assert refused.value.code == "invalid_deadline"
    inspection.refresh_from_db()
    assert inspection.concluded is None and not Recommendation.objects.exists()


def test_the_inspected_unit_follows_up_its_recommendations(org, personas, year_2021):
    """The reporter cannot; a manager of C1 (the inspected) can; one of C2 cannot."""
    open_one = Recommendation.objects.get(resolved__isnull=True)
    with pytest.raises(PermissionDenied):
        inspections.follow_up(
            acting_user=personas.reporter, recommendation=open_one, note="x", resolved=None
        )
    other = f.make_user("ql.c2", unit=org.c2, role="manager")
    with pytest.raises(PermissionDenied):
        inspections.follow_up(acting_user=other, recommendation=open_one, note="x", resolved=None)
    manager = f.make_user("ql.c1", unit=org.c1, role="manager")
    inspections.follow_up(
        acting_user=manager, recommendation=open_one, note="Đã lập", resolved=dt.date(2021, 12, 1)
    )
    open_one.refresh_from_db()
    assert open_one.resolved == dt.date(2021, 12, 1) and open_one.follow_up == "Đã lập"


def test_the_api_records_and_answers_with_its_forbidden_cases(org, personas, api):
    manager = api(personas.manager)
    plan = manager.post(
        "activities/inspection-plans", {"unit": "D1", "year": 2021, "title": "Kế hoạch 2021"}
    )
    assert plan.status_code == 201, plan.content
    body = {
        "unit": "D1",
        "inspected": "C1",
        "kind": "inspection",
        "title": "Kiểm tra Nghị quyết 35",
        "start": "2021-03-01",
        "end": "2021-03-04",
        "plan": plan.json()["id"],
    }
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert api(user).post("activities/inspections", body).status_code == 403
    assert api().post("activities/inspections", body).status_code == 401
    assert not Inspection.objects.exists()
    created = manager.post("activities/inspections", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    concluded = manager.post(
        f"activities/inspections/{pk}/conclusion",
        {
            "concluded": "2021-03-20",
            "findings": "Đã triển khai",
            "recommendations": [{"text": "Báo cáo đúng hạn", "deadline": "2021-04-30"}],
        },
    )
    assert concluded.status_code == 200, concluded.content
    (recommendation,) = concluded.json()["recommendations"]
    assert api(personas.viewer).get(f"activities/inspections/{pk}").status_code == 200
    assert api(personas.outsider).get(f"activities/inspections/{pk}").status_code == 403
    assert manager.get("activities/inspections/999999").status_code == 404
    assert manager.get(f"activities/inspections/{pk}/conclusion").status_code == 405
    listed = api(personas.viewer).get("activities/inspections", unit="D1", year=2021)
    assert [i["inspected"] for i in listed.json()] == ["C1"]
    path = f"activities/recommendations/{recommendation['id']}/follow-up"
    assert api(personas.outsider).post(path, {"note": "x"}).status_code == 403
    followed = manager.post(path, {"note": "Đã khắc phục", "resolved": "2021-05-02"})
    assert followed.status_code == 200 and followed.json()["resolved"] == "2021-05-02"
    figures_of = api(personas.viewer).get("activities/figures", unit="D1", period="2021")
    got = {row["code"]: row["value"] for row in figures_of.json()}
    assert got["act_inspections_held"] == 1 and got["act_recommendations_resolved"] == 1
