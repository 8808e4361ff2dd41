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


class PlanChangeIn(Schema):
    title: str | None = None
    reference: str | None = None


@router.patch("/activities/inspection-plans/{int:plan_id}", response=CreatedOut)
def change_plan(request, plan_id: int, payload: PlanChangeIn):
    """Correct a plan's title or number (its unit and year stay)."""
    plan = access.get_plan(request.auth, plan_id, policy.Action.CHANGE)
    inspections.change_plan(
        acting_user=request.auth, plan=plan, title=payload.title, reference=payload.reference
    )
    return {"id": plan.pk}


@router.delete("/activities/inspection-plans/{int:plan_id}", response={204: None})
def remove_plan(request, plan_id: int):
    """Delete a plan; its inspections stay outside any plan. 409 ``read_by_report``
    while a submitted or approved report reads the unit's planned inspections."""
    plan = access.get_plan(request.auth, plan_id, policy.Action.CHANGE)
    inspections.remove_plan(acting_user=request.auth, plan=plan)
    return Status(204, None)


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


class InspectionChangeIn(Schema):
    kind: str | None = None
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    team: str | None = None
    inspected: str | None = Field(None, description="a unit below the inspecting one")
    plan: int | None = Field(None, description="a plan of the unit and year; null: none")


@router.patch("/activities/inspections/{int:inspection_id}", response=InspectionDetailOut)
def change_inspection(request, inspection_id: int, payload: InspectionChangeIn):
    """Correct an inspection, checked as when it was created; audited."""
    inspection = access.get_inspection(request.auth, inspection_id, policy.Action.CHANGE)
    changes = payload.model_dump(exclude_unset=True)
    empty = [k for k, v in changes.items() if v is None and k != "plan"]
    if empty:
        raise BadInput("invalid_fields", f"Không để trống được / cannot be empty: {empty}")
    if "inspected" in changes:
        changes["inspected"] = access.get_unit(request.auth, changes["inspected"])
    if changes.get("plan") is not None:
        plan = InspectionPlan.objects.filter(pk=changes["plan"], unit=inspection.unit).first()
        if plan is None:
            raise BadInput("unknown_plan", f"Không có kế hoạch / no such plan: {changes['plan']}")
        changes["plan"] = plan
    inspection = inspections.change_inspection(
        acting_user=request.auth, inspection=inspection, **changes
    )
    return inspections.as_dict(inspection, with_recommendations=True)


@router.delete("/activities/inspections/{int:inspection_id}", response={204: None})
def remove_inspection(request, inspection_id: int):
    """Delete an inspection recorded by mistake, with its recommendations; 409
    ``read_by_report`` while a submitted or approved report reads its figures."""
    inspection = access.get_inspection(request.auth, inspection_id, policy.Action.CHANGE)
    inspections.remove_inspection(acting_user=request.auth, inspection=inspection)
    return Status(204, None)


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
