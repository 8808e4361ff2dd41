"""Completeness and timeliness of a form for a period under a unit."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import (
    Form,
    Submission,
)
from trienkhai.reporting.services.forms import expected_codes


@dataclass
class Completeness:
    form: str
    period: str
    unit: str
    deadline: dt.date
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: list[str]
    returned: list[str]
    late_units: list[str]


def completeness(
    form: Form,
    period_id: str,
    parent: Unit,
    *,
    owner_subtree: list[queries.Node] | None = None,
) -> Completeness:
    """Who of the units under ``parent`` reported ``form`` for the period, on time or late, and who did not.

    Three queries whatever the number of units: the owner's subtree, the parent's (the
    same one when the parent is the owner), and the form's submissions for the period.
    ``owner_subtree``: the owner's subtree on the period's last day, when the caller has
    walked it already.
    """
    period = form.period(period_id)
    owner_nodes = (
        owner_subtree if owner_subtree is not None else queries.subtree(form.owner, period.end)
    )
    parent_nodes = (
        owner_nodes if parent.pk == form.owner_id else queries.subtree(parent, period.end)
    )
    inside = {n.unit_id for n in parent_nodes} | {parent.pk}
    codes = expected_codes(form, period, owner_subtree=owner_nodes)
    expected = sorted(
        ((uid, code) for uid, code in codes.items() if uid in inside),
        key=lambda p: p[1],
    )
    deadline = form.deadline(period)
    # On time: first sent before the day after the deadline begins, Vietnam time, asked
    # of the database (one instant to compare with, not a conversion of each of a
    # province's reports).
    limit = timezone.make_aware(dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time()))
    by_unit = {
        unit_id: (status, in_time)
        for unit_id, status, in_time in Submission.objects.filter(form=form, period=period.id)
        .annotate(in_time=ExpressionWrapper(Q(first_submitted__lt=limit), BooleanField()))
        .values_list("unit_id", "status", "in_time")
    }
    done = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}
    on_time: list[str] = []
    late: list[str] = []
    missing: list[str] = []
    returned: list[str] = []
    for unit_id, code in expected:
        status, in_time = by_unit.get(unit_id, (None, False))
        if status not in done:
            missing.append(code)
            if status == Submission.Status.RETURNED:
                returned.append(code)
            continue
        (on_time if in_time else late).append(code)
    return Completeness(
        form=form.code,
        period=period.id,
        unit=parent.code,
        deadline=deadline,
        expected=len(expected),
        submitted=len(on_time) + len(late),
        on_time=len(on_time),
        late=len(late),
        missing=missing,
        returned=returned,
        late_units=late,
    )
