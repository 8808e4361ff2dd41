"""The reminders of a day (``trienkhai remind``): deadlines near, reports late, and the
late ones escalated; idempotent, since each reminder's key names its day or its event.

- **Due soon**: a report not in whose deadline is at most ``REMIND_DAYS`` days away
  (default 3), once (key without a day), to the people who enter it.
- **Overdue**: a report not in after its deadline, once a day (the key names the day)
  for ``desk.work.LOOK_BACK`` days, to the same people.
- **Escalated**: once a report is ``ESCALATE_DAYS`` days late (default 7), once, to the
  managers and admins of the nearest unit above that has any.

A run reads the tree and the roles once, each form's expected units and its reports in
one query per period: plain rows, no model object per unit.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trienkhai.accounts.models import User
from trienkhai.desk.work import LOOK_BACK
from trienkhai.notifications import texts
from trienkhai.notifications.models import Kind
from trienkhai.notifications.recipients import Roles
from trienkhai.notifications.services import Event, tell_many
from trienkhai.orgs.models import UnitVersion
from trienkhai.reporting.models import Form, Submission
from trienkhai.reporting.periods import Period, PeriodType, containing
from trienkhai.reporting.services import expected_codes

DONE = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


@dataclass
class Reminded:
    day: dt.date
    created: int = 0


def _periods(form: Form, day: dt.date, ahead: int) -> list[Period]:
    """The periods of ``form`` whose deadline is between LOOK_BACK days ago and ``ahead``
    days from ``day``."""
    period = containing(day + dt.timedelta(days=ahead), PeriodType(form.period_type), form.calendar)
    found = []
    while form.deadline(period) >= day - dt.timedelta(days=LOOK_BACK):
        if form.deadline(period) <= day + dt.timedelta(days=ahead):
            found.append(period)
        period = period.previous()
    return found


def remind(day: dt.date | None = None, *, forms: list[str] | None = None) -> Reminded:
    """Write the reminders of ``day`` (default today) not written before, for every form
    (or the ``forms`` of these codes); send nothing (the caller flushes the outbox)."""
    day = day or timezone.localdate()
    ahead, late = settings.REMIND_DAYS, settings.ESCALATE_DAYS
    done = Reminded(day)
    roles = Roles(day)
    users = {u.pk: u for u in User.objects.filter(is_active=True, roles__isnull=False).distinct()}
    names = dict(
        UnitVersion.objects.filter(valid_from__lte=day)
        .order_by("valid_from")
        .values_list("unit_id", "name")
    )
    chosen = Form.objects.order_by("code")
    if forms is not None:
        chosen = chosen.filter(code__in=forms)
    for form in chosen:
        for period in _periods(form, day, ahead):
            deadline = form.deadline(period)
            expected = expected_codes(form, period)
            if not expected:
                continue
            sent = set(
                Submission.objects.filter(form=form, period=period.id, status__in=DONE).values_list(
                    "unit_id", flat=True
                )
            )
            missing = sorted(uid for uid in expected if uid not in sent)
            events = _events(
                form, period, deadline, day, late, missing, expected, names, roles, users
            )
            with transaction.atomic():
                done.created += tell_many(events, send=False)
    return done


def _events(form, period, deadline, day, late, missing, codes, names, roles, users) -> list[Event]:
    days = (deadline - day).days
    events: list[Event] = []
    grid = reverse("reporting:grid", args=["__f__", "__u__", "__p__"])
    for uid in missing:
        code = codes[uid]
        label = names.get(uid, code)
        url = grid.replace("__f__", form.code).replace("__u__", code).replace("__p__", period.id)
        where = f"{form.pk}:{uid}:{period.id}"
        if days >= 0:
            kind, key, left = Kind.DUE_SOON, f"due_soon:{where}", days
        else:
            kind, key, left = Kind.OVERDUE, f"overdue:{where}:{day.isoformat()}", -days
        params = texts.deadline(form, period, label, deadline, left)
        for user_id in sorted(roles.enterers(uid)):
            if user_id in users:
                events.append(Event(users[user_id], kind, key, url, params))
        if -days >= late:
            _parent, above = roles.deciders_above(uid)
            for user_id in sorted(above):
                if user_id in users:
                    events.append(
                        Event(users[user_id], Kind.ESCALATED, f"escalated:{where}", url, params)
                    )
    return events
