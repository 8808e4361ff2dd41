"""Notifications for the demo users, from the demo's own history (decision 0038).

Loading the reports already told each event to its people (the reports submitted, the
one returned, the tasks, the documents received) and wrote the e-mails as files under
``$TRIENKHAI_DATA_DIR/mail/`` (or sent them, when ``TRIENKHAI_EMAIL_URL`` says so). The
managers acted on the reports submitted (the demo approved them): those are read. Then
the reminders run as they would have ten days after each form's last deadline, so the
reporters whose report is not in see it overdue and the district's managers the
escalation. The quarterly forms of today (demo/current.py) are reminded of today, as
the scheduler would. A report's notification is dated when its report was sent, returned
or approved in the replayed history, not on the day the demo was loaded. Idempotent: a
second load writes nothing new.
"""

import datetime as dt

from django.utils import timezone

from trienkhai.accounts.models import User
from trienkhai.demo import current
from trienkhai.notifications import outbox, reminders, services
from trienkhai.notifications.models import Kind, Notification
from trienkhai.reporting.models import Form, Submission

FORMS = ("BC35-VT-6T", "BC35-CD-NAM")
DAYS_LATE = 10
MANAGERS = ("quanly", "ql.chodon", "admin")


def days() -> list[tuple[str, dt.date]]:
    """(form code, ten days after the deadline of its last period reported)."""
    found = []
    for form in Form.objects.filter(code__in=FORMS).order_by("code"):
        periods = Submission.objects.filter(form=form).values_list("period", flat=True)
        latest = max(periods, default=None)
        if latest is not None:
            day = form.deadline(form.period(latest)) + dt.timedelta(days=DAYS_LATE)
            found.append((form.code, day))
    return found


def load() -> None:
    _dated_as_the_history()
    for user in User.objects.filter(username__in=MANAGERS):
        services.mark_all_read(acting_user=user, kind=Kind.SUBMITTED)
    for code, day in days():
        reminders.remind(day, forms=[code])
    reminders.remind(timezone.localdate(), forms=list(current.FORMS))
    outbox.flush(digests=True)


def _dated_as_the_history() -> None:
    """Each report's notification takes the moment of its event (``kind:pk:moment``)."""
    acts: dict[str, str] = {
        Kind.SUBMITTED.value: "submitted",
        Kind.RETURNED.value: "decided",
        Kind.APPROVED.value: "decided",
    }
    found = list(Notification.objects.filter(kind__in=list(acts)).values_list("pk", "kind", "key"))
    wanted = {int(key.split(":")[1]) for _, _, key in found}
    reports = Submission.objects.filter(pk__in=wanted).values("pk", "submitted", "decided")
    moments = {row["pk"]: dict(row) for row in reports}
    for pk, kind, key in found:
        moment = moments.get(int(key.split(":")[1]), {}).get(acts[kind])
        if moment is not None:
            Notification.objects.filter(pk=pk).update(created=moment)
