"""Notifications for the demo users, from the demo's own history (decision 0038).

Loading the reports already told each event to its people (the reports submitted, the
one returned, the tasks, the documents received) and wrote the e-mails as files under
``$TRIENKHAI_DATA_DIR/mail/`` (or sent them, when ``TRIENKHAI_EMAIL_URL`` says so). The
managers acted on the reports submitted (the demo approved them): those are read. Then
the reminders run as they would have ten days after each form's last deadline, so the
reporters whose report is not in see it overdue and the district's managers the
escalation. The quarterly forms of today (demo/current.py) are reminded of today, as
the scheduler would. Idempotent: a second load writes nothing new.
"""

import datetime as dt

from django.utils import timezone

from trienkhai.accounts.models import User
from trienkhai.demo import current
from trienkhai.notifications import outbox, reminders, services
from trienkhai.notifications.models import Kind
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
    for user in User.objects.filter(username__in=MANAGERS):
        services.mark_all_read(acting_user=user, kind=Kind.SUBMITTED)
    for code, day in days():
        reminders.remind(day, forms=[code])
    reminders.remind(timezone.localdate(), forms=list(current.FORMS))
    outbox.flush(digests=True)
