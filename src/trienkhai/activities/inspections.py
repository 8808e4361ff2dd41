"""Inspection and supervision (kiểm tra, giám sát) of subordinate units: annual plans,
inspections with their team, dates and findings, recommendations with deadlines and
their follow-up, and the figures they make (issue 16 item 5).

Writes (keyword-only ``acting_user``, one transaction): plans, inspections and their
conclusions need CHANGE on the inspecting unit, and the inspected unit must be below it
on the inspection's first day; a recommendation's follow-up needs CHANGE on the
inspected unit (which carries it out) or on the inspecting one. Reads: VIEW on the
inspecting unit. Plans and inspections are corrected (``change_plan``,
``change_inspection``) and deleted with their history (``remove_plan``,
``remove_inspection``; not while a sent report reads them: ``locks``). The figures are a ``FigureSource`` named "inspections", counted for the
inspecting units of a subtree:

- ``act_inspections_planned``: inspections of plans that start within the span;
- ``act_inspections_held``: inspections concluded within the span;
- ``act_recommendations``: recommendations of those concluded within the span;
- ``act_recommendations_resolved``: recommendations carried out within the span;
- ``act_recommendations_overdue``: recommendations not carried out by their deadline,
  as the span's last day stands.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from trienkhai.accounts import policy
from trienkhai.activities.locks import deleting
from trienkhai.activities.models import Inspection, InspectionPlan, Recommendation
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.register_sources import RegisterSource, zeroes
from trienkhai.reporting.sources import Figure, Values
from trienkhai.vn.text import nfc

PLANNED = "act_inspections_planned"
HELD = "act_inspections_held"
MADE = "act_recommendations"
RESOLVED = "act_recommendations_resolved"
OVERDUE = "act_recommendations_overdue"

FIGURES = (
    Figure(PLANNED, "Số cuộc kiểm tra, giám sát theo kế hoạch", "Inspections planned", "cuộc"),
    Figure(HELD, "Số cuộc kiểm tra, giám sát đã kết luận", "Inspections concluded", "cuộc"),
    Figure(MADE, "Số kiến nghị sau kiểm tra, giám sát", "Recommendations made", "kiến nghị"),
    Figure(RESOLVED, "Số kiến nghị đã thực hiện xong", "Recommendations carried out", "kiến nghị"),
    Figure(OVERDUE, "Số kiến nghị quá hạn chưa thực hiện", "Recommendations overdue", "kiến nghị"),
)


def _audited(instance, acting_user: Actor):
    user = user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _text(value: str, field: str, vi: str, limit: int = 300, required: bool = True) -> str:
    value = nfc(value).strip()
    if required and not value:
        raise BadInput(f"missing_{field}", f"Cần {vi.lower()} / a {field} is required")
    if len(value) > limit:
        raise BadInput(
            "too_long", f"{vi} dài quá {limit} ký tự / the {field} is at most {limit} characters"
        )
    return value


def create_plan(
    *, acting_user: Actor, unit: Unit, year: int, title: str, reference: str = ""
) -> InspectionPlan:
    """A unit's plan of inspection and supervision for ``year``."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    if not 1945 <= year <= 2200:
        raise BadInput("invalid_year", f"Năm không hợp lệ / invalid year: {year}")
    plan = InspectionPlan(
        unit=unit,
        year=year,
        title=_text(title, "title", "Tên"),
        reference=_text(reference, "reference", "Số hiệu", limit=60, required=False),
    )
    with transaction.atomic():
        _audited(plan, acting_user).save()
    return plan


def _check_inspection(
    unit: Unit,
    inspected: Unit,
    kind: str,
    start: dt.date,
    end: dt.date,
    plan: InspectionPlan | None,
) -> None:
    if kind not in Inspection.Kind.values:
        raise BadInput(
            "invalid_kind",
            f"Loại không hợp lệ / invalid kind: {kind!r} ({', '.join(Inspection.Kind.values)})",
        )
    if end < start:
        raise BadInput(
            "invalid_dates", "Ngày kết thúc trước ngày bắt đầu / the end is before the start"
        )
    below = {pk for pk, depth in queries.descendant_ids(unit.pk, start) if depth > 0}
    if inspected.pk not in below:
        raise BadInput(
            "not_subordinate",
            f"{inspected.code} không trực thuộc {unit.code} ngày {start:%d/%m/%Y} / "
            f"{inspected.code} is not below {unit.code} on {start.isoformat()}",
        )
    if plan is not None and (plan.unit_id != unit.pk or plan.year != start.year):
        raise BadInput(
            "wrong_plan",
            "Kế hoạch của đơn vị khác hoặc năm khác / the plan is another unit's or year's",
        )


def create_inspection(
    *,
    acting_user: Actor,
    unit: Unit,
    inspected: Unit,
    kind: str,
    title: str,
    start: dt.date,
    end: dt.date,
    team: str = "",
    plan: InspectionPlan | None = None,
) -> Inspection:
    """An inspection or supervision of ``inspected`` (a unit below ``unit``) by ``unit``."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    _check_inspection(unit, inspected, kind, start, end, plan)
    inspection = Inspection(
        plan=plan,
        unit=unit,
        inspected=inspected,
        kind=kind,
        title=_text(title, "title", "Tên"),
        start=start,
        end=end,
        team=_text(team, "team", "Đoàn", limit=4000, required=False),
        created_by=user_of(acting_user),
    )
    with transaction.atomic():
        _audited(inspection, acting_user).save()
    return inspection


@dataclass(frozen=True)
class RecommendationInput:
    text: str
    deadline: dt.date


def conclude(
    *,
    acting_user: Actor,
    inspection: Inspection,
    concluded: dt.date,
    findings: str,
    recommendations: Sequence[RecommendationInput] = (),
) -> Inspection:
    """Record the conclusion: its day, findings and the recommendations it makes (added
    to any already recorded)."""
    policy.require(acting_user, policy.Action.CHANGE, inspection.unit)
    if concluded < inspection.start:
        raise BadInput(
            "invalid_dates",
            "Ngày kết luận trước ngày bắt đầu / the conclusion is before the start",
        )
    if concluded > timezone.localdate():
        raise BadInput("future_date", "Ngày kết luận chưa đến / the conclusion is in the future")
    findings = _text(findings, "findings", "Kết luận", limit=20000)
    rows = []
    for n, item in enumerate(recommendations, start=1):
        text = _text(item.text, "text", f"Kiến nghị {n}", limit=4000)
        if item.deadline < concluded:
            raise BadInput(
                "invalid_deadline",
                f"Hạn của kiến nghị {n} trước ngày kết luận / recommendation {n}'s deadline "
                "is before the conclusion",
            )
        rows.append(Recommendation(inspection=inspection, text=text, deadline=item.deadline))
    inspection.concluded, inspection.findings = concluded, findings
    inspection.modified = timezone.now()
    with transaction.atomic():
        _audited(inspection, acting_user).save(update_fields=["concluded", "findings", "modified"])
        for row in rows:
            _audited(row, acting_user).save()
    return inspection


def follow_up(
    *, acting_user: Actor, recommendation: Recommendation, note: str, resolved: dt.date | None
) -> Recommendation:
    """What the inspected unit did about a recommendation, and the day it was carried out
    (None: not yet)."""
    inspection = recommendation.inspection
    if not policy.allowed(
        acting_user, policy.Action.CHANGE, [inspection.inspected, inspection.unit]
    ):
        raise policy.PermissionDenied(
            "Bạn không có quyền thực hiện thao tác này / you may not do this"
        )
    if resolved is not None and inspection.concluded and resolved < inspection.concluded:
        raise BadInput(
            "invalid_dates",
            "Ngày thực hiện trước ngày kết luận / carried out before the conclusion",
        )
    if resolved is not None and resolved > timezone.localdate():
        raise BadInput("future_date", "Ngày thực hiện chưa đến / the day is in the future")
    recommendation.follow_up = _text(note, "note", "Kết quả", limit=4000, required=False)
    recommendation.resolved = resolved
    recommendation.modified = timezone.now()
    with transaction.atomic():
        _audited(recommendation, acting_user).save(
            update_fields=["follow_up", "resolved", "modified"]
        )
    return recommendation


def change_plan(
    *,
    acting_user: Actor,
    plan: InspectionPlan,
    title: str | None = None,
    reference: str | None = None,
) -> InspectionPlan:
    """Correct a plan's title or number (its unit and year stay: its inspections are
    the unit's of that year)."""
    policy.require(acting_user, policy.Action.CHANGE, plan.unit)
    if title is not None:
        plan.title = _text(title, "title", "Tên")
    if reference is not None:
        plan.reference = _text(reference, "reference", "Số hiệu", limit=60, required=False)
    plan.modified = timezone.now()
    with transaction.atomic():
        _audited(plan, acting_user).save(update_fields=["title", "reference", "modified"])
    return plan


def remove_plan(*, acting_user: Actor, plan: InspectionPlan) -> None:
    """Delete a plan made by mistake; its inspections stay, outside any plan (each change
    in its history). They no longer count as planned, so it is refused (409
    ``read_by_report``, ``locks``) while a sent report reads the unit's planned
    inspections of the plan's year."""
    policy.require(acting_user, policy.Action.CHANGE, plan.unit)
    year = (dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31))
    codes = (PLANNED,) if plan.inspections.exists() else ()
    with deleting("kế hoạch", codes, plan.unit, *year):
        for inspection in plan.inspections.all():
            inspection.plan = None
            _audited(inspection, acting_user).save(update_fields=["plan"])
        _audited(plan, acting_user).delete()


CHANGEABLE = {"kind", "title", "start", "end", "team", "plan", "inspected"}


def change_inspection(*, acting_user: Actor, inspection: Inspection, **changes) -> Inspection:
    """Correct an inspection's ``kind``, ``title``, ``start``, ``end``, ``team``, ``plan``
    (None: outside any plan) or ``inspected``, checked as when it was created. A
    correction, audited, as decision 0039 mends a counted figure: the figures read it."""
    policy.require(acting_user, policy.Action.CHANGE, inspection.unit)
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise BadInput("invalid_fields", f"Không sửa được / cannot change: {sorted(unknown)}")
    kind = changes.get("kind", inspection.kind)
    start, end = changes.get("start", inspection.start), changes.get("end", inspection.end)
    inspected = changes.get("inspected", inspection.inspected)
    plan = changes.get("plan", inspection.plan)
    _check_inspection(inspection.unit, inspected, kind, start, end, plan)
    if inspection.concluded and inspection.concluded < start:
        raise BadInput(
            "invalid_dates",
            "Ngày kết luận trước ngày bắt đầu / the conclusion is before the start",
        )
    inspection.kind, inspection.start, inspection.end = kind, start, end
    inspection.inspected, inspection.plan = inspected, plan
    if "title" in changes:
        inspection.title = _text(changes["title"], "title", "Tên")
    if "team" in changes:
        inspection.team = _text(changes["team"], "team", "Đoàn", limit=4000, required=False)
    inspection.modified = timezone.now()
    with transaction.atomic():
        _audited(inspection, acting_user).save()
    return inspection


def remove_inspection(*, acting_user: Actor, inspection: Inspection) -> None:
    """Delete an inspection recorded by mistake, with its recommendations, each deletion
    in its history. Refused (409 ``read_by_report``, ``locks``) while a sent report reads
    the inspecting unit's inspection figures from its start on (the overdue
    recommendations count in every later period)."""
    policy.require(acting_user, policy.Action.CHANGE, inspection.unit)
    codes = (PLANNED, HELD, MADE, RESOLVED, OVERDUE)
    with deleting("cuộc kiểm tra", codes, inspection.unit, inspection.start, dt.date.max):
        for recommendation in inspection.recommendations.all():
            _audited(recommendation, acting_user).delete()
        _audited(inspection, acting_user).delete()


def of_subtree(unit: Unit, year: int) -> list[Inspection]:
    """The inspections by the units of ``unit``'s subtree that start in ``year``."""
    day = unit.reference_date(dt.date(year, 12, 31))
    ids = [pk for pk, _ in queries.descendant_ids(unit.pk, day)]
    return list(
        Inspection.objects.filter(unit_id__among=ids, start__year=year)
        .select_related("unit", "inspected")
        .prefetch_related("recommendations")
    )


def of_inspected(unit: Unit, year: int) -> list[Inspection]:
    """The inspections of the units of ``unit``'s subtree by units outside it (the
    committees above) that start in ``year``: those whose recommendations it carries out."""
    day = unit.reference_date(dt.date(year, 12, 31))
    ids = [pk for pk, _ in queries.descendant_ids(unit.pk, day)]
    return list(
        Inspection.objects.filter(inspected_id__among=ids, start__year=year)
        .exclude(unit_id__among=ids)
        .select_related("unit", "inspected")
        .prefetch_related("recommendations")
    )


def plans_of(unit: Unit, year: int) -> list[InspectionPlan]:
    """``unit``'s own plans of ``year``, each with ``n_inspections`` (one query)."""
    return list(
        InspectionPlan.objects.filter(unit=unit, year=year)
        .annotate(n_inspections=Count("inspections"))
        .order_by("id")
    )


def years(unit: Unit) -> list[int]:
    """The years of ``unit``'s plans and of the inspections by or of its subtree's units,
    latest first: the years a page offers."""
    ids = [pk for pk, _ in queries.descendant_ids(unit.pk, unit.reference_date())]
    planned = InspectionPlan.objects.filter(unit=unit).values_list("year", flat=True)
    held = Inspection.objects.filter(Q(unit_id__among=ids) | Q(inspected_id__among=ids)).dates(
        "start", "year"
    )
    return sorted({*planned, *(day.year for day in held)}, reverse=True)


def is_overdue(recommendation: Recommendation, day: dt.date) -> bool:
    """Not carried out, and its deadline passed before ``day``."""
    return recommendation.resolved is None and recommendation.deadline < day


@dataclass(frozen=True)
class Followed:
    """An inspection's recommendations: made, carried out, overdue on a day."""

    made: int
    resolved: int
    overdue: int


def followed(inspection: Inspection, day: dt.date) -> Followed:
    """The counts of ``inspection``'s recommendations on ``day`` (prefetched: no query)."""
    found = list(inspection.recommendations.all())
    return Followed(
        made=len(found),
        resolved=sum(1 for r in found if r.resolved is not None),
        overdue=sum(1 for r in found if is_overdue(r, day)),
    )


def as_dict(inspection: Inspection, *, with_recommendations: bool = False) -> dict:
    found = {
        "id": inspection.pk,
        "unit": inspection.unit.code,
        "inspected": inspection.inspected.code,
        "kind": inspection.kind,
        "title": inspection.title,
        "start": inspection.start,
        "end": inspection.end,
        "plan": inspection.plan_id,
        "concluded": inspection.concluded,
    }
    if with_recommendations:
        found["team"] = inspection.team
        found["findings"] = inspection.findings
        found["recommendations"] = [
            {
                "id": r.pk,
                "text": r.text,
                "deadline": r.deadline,
                "resolved": r.resolved,
                "follow_up": r.follow_up,
            }
            for r in inspection.recommendations.all()
        ]
    return found


def subtrees_figures(
    codes: Sequence[str],
    subtrees: Mapping[int, Sequence[int]],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> Values:
    """(code, option, key) → the figure over the inspections by each subtree's units;
    every asked key is answered (an option: 0)."""
    options = options or {}
    result = zeroes(codes, subtrees, options)
    everyone = sorted({u for units in subtrees.values() for u in units})
    inspections = Inspection.objects.filter(unit_id__among=everyone)
    recommendations = Recommendation.objects.filter(inspection__unit_id__among=everyone)
    asked = {
        PLANNED: inspections.filter(plan__isnull=False, start__range=(start, end)),
        HELD: inspections.filter(concluded__range=(start, end)),
    }
    per_unit: dict[str, dict[int, int]] = {}
    for code, rows in asked.items():
        if code in codes:
            counted = rows.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
            per_unit[code] = dict(counted)
    asked_recommendations = {
        MADE: recommendations.filter(inspection__concluded__range=(start, end)),
        RESOLVED: recommendations.filter(resolved__range=(start, end)),
        OVERDUE: recommendations.filter(deadline__lt=end, inspection__concluded__lte=end).filter(
            Q(resolved__isnull=True) | Q(resolved__gt=end)
        ),
    }
    for code, made in asked_recommendations.items():
        if code in codes:
            by_unit = (
                made.values("inspection__unit_id")
                .annotate(n=Count("id"))
                .values_list("inspection__unit_id", "n")
            )
            per_unit[code] = dict(by_unit)
    for key, units in subtrees.items():
        for code, found in per_unit.items():
            result[(code, "", key)] = Decimal(sum(found.get(u, 0) for u in units))
    return result


SOURCE = RegisterSource(
    name="inspections",
    figures=FIGURES,
    note=gettext_lazy("Đếm từ sổ kiểm tra, giám sát"),
    count=subtrees_figures,
)
"""The figures of inspection and supervision for the inspecting units of a subtree."""
