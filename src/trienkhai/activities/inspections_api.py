"""/api/v1/activities/inspections: plans, inspections and supervisions of subordinate
units, their conclusions and the follow-up of recommendations (issue 16 item 5).

Thin: parse, access, service (activities/inspections.py)."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.activities import access, inspections
from trienkhai.activities.models import InspectionPlan
from trienkhai.common.errors import BadInput

router = Router(tags=["activities"])


class PlanIn(Schema):
    unit: str
    year: int
    title: str
    reference: str = Field("", description="the plan's number as issued, e.g. 05-KH/HU")


class CreatedOut(Schema):
    id: int


@router.post("/activities/inspection-plans", response={201: CreatedOut})
def create_plan(request, payload: PlanIn):
    unit = access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    plan = inspections.create_plan(
        acting_user=request.auth,
        unit=unit,
        year=payload.year,
        title=payload.title,
        reference=payload.reference,
    )
    return Status(201, {"id": plan.pk})


class InspectionIn(Schema):
    unit: str = Field(description="the inspecting unit")
    inspected: str = Field(description="a unit below it")
    kind: str = Field(description="inspection (kiểm tra) or supervision (giám sát)")
    title: str
    start: dt.date
    end: dt.date
    team: str = ""
    plan: int | None = None


class InspectionOut(Schema):
    id: int
    unit: str
    inspected: str
    kind: str
    title: str
    start: dt.date
    end: dt.date
    plan: int | None
    concluded: dt.date | None


class RecommendationOut(Schema):
    id: int
    text: str
    deadline: dt.date
    resolved: dt.date | None
    follow_up: str


class InspectionDetailOut(InspectionOut):
    team: str
    findings: str
    recommendations: list[RecommendationOut]


@router.post("/activities/inspections", response={201: InspectionOut})
def create_inspection(request, payload: InspectionIn):
    unit = access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    inspected = access.get_unit(request.auth, payload.inspected)
    plan = None
    if payload.plan is not None:
        plan = InspectionPlan.objects.filter(pk=payload.plan, unit=unit).first()
        if plan is None:
            raise BadInput("unknown_plan", f"Không có kế hoạch / no such plan: {payload.plan}")
    inspection = inspections.create_inspection(
        acting_user=request.auth,
        unit=unit,
        inspected=inspected,
        kind=payload.kind,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        team=payload.team,
        plan=plan,
    )
    return Status(201, inspections.as_dict(inspection))


class InspectionsQuery(Schema):
    unit: str
    year: int = Field(ge=1945, le=2200)


@router.get("/activities/inspections", response=list[InspectionOut])
def list_inspections(request, query: Query[InspectionsQuery]):
    """The inspections by the units of the unit's subtree that start in the year (those
    of units the caller reaches: decision 0004)."""
    unit = access.get_unit(request.auth, query.unit)
    found = inspections.of_subtree(unit, query.year)
    shown = access.reached(request.auth, unit, {i.unit_id for i in found})
    return [inspections.as_dict(i) for i in found if i.unit_id in shown]


@router.get("/activities/inspections/{int:inspection_id}", response=InspectionDetailOut)
def inspection_detail(request, inspection_id: int):
    inspection = access.get_inspection(request.auth, inspection_id)
    return inspections.as_dict(inspection, with_recommendations=True)


class RecommendationIn(Schema):
    text: str
    deadline: dt.date


class ConclusionIn(Schema):
    concluded: dt.date
    findings: str
    recommendations: list[RecommendationIn] = []


@router.post("/activities/inspections/{int:inspection_id}/conclusion", response=InspectionDetailOut)
def conclude(request, inspection_id: int, payload: ConclusionIn):
    """The conclusion of an inspection: its day, findings and recommendations."""
    inspection = access.get_inspection(request.auth, inspection_id, policy.Action.CHANGE)
    inspections.conclude(
        acting_user=request.auth,
        inspection=inspection,
        concluded=payload.concluded,
        findings=payload.findings,
        recommendations=[
            inspections.RecommendationInput(r.text, r.deadline) for r in payload.recommendations
        ],
    )
    return inspections.as_dict(inspection, with_recommendations=True)


class FollowUpIn(Schema):
    note: str = ""
    resolved: dt.date | None = Field(None, description="the day it was carried out; null: not yet")


@router.post(
    "/activities/recommendations/{int:recommendation_id}/follow-up", response=RecommendationOut
)
def follow_up(request, recommendation_id: int, payload: FollowUpIn):
    """What the inspected unit did about a recommendation."""
    found = access.get_recommendation(request.auth, recommendation_id)
    done = inspections.follow_up(
        acting_user=request.auth, recommendation=found, note=payload.note, resolved=payload.resolved
    )
    return {
        "id": done.pk,
        "text": done.text,
        "deadline": done.deadline,
        "resolved": done.resolved,
        "follow_up": done.follow_up,
    }
