"""The events of reporting and documents (their signals), told to the people concerned.

Each receiver runs inside the transaction of the change (the signal is sent there): the
notifications commit or roll back with it, and their e-mails leave after the commit.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from trienkhai.documents import signals as documents
from trienkhai.documents.models import Document
from trienkhai.notifications import recipients, services, texts
from trienkhai.notifications.models import Kind
from trienkhai.notifications.services import Event, tell_many
from trienkhai.orgs.models import Unit
from trienkhai.reporting import signals as reporting
from trienkhai.reporting.models import Submission


def _who(actor) -> str:
    """Who acted, by name; "" for the system (an import, the demo): nobody to name."""
    return str(actor) if getattr(actor, "is_authenticated", False) else ""


def _report_events(
    submission: Submission, kind: str, users, params, page: str, acting_user
) -> list[Event]:
    """The event told to ``users``, but not to the one who did it (a manager who
    submits a unit's report is not told it waits for their own approval)."""
    form, unit = submission.form, submission.unit
    period = form.period(submission.period)
    url = reverse(f"reporting:{page}", args=[form.code, unit.code, period.id])
    told = params(form, period, texts.unit_name(unit))
    # The same event is the same change: a report returned twice is told twice.
    moment = (submission.decided if kind != Kind.SUBMITTED else submission.submitted) or (
        timezone.now()
    )
    key = f"{kind}:{submission.pk}:{moment.isoformat()}"
    return [
        Event(
            user=user,
            kind=kind,
            key=key,
            url=url,
            params=told,
        )
        for user in users
        if user != acting_user
    ]


@receiver(reporting.report_returned)
def report_returned(sender, submission: Submission, acting_user, **kwargs) -> None:
    users = recipients.enterers(submission.unit, timezone.localdate())
    by = _who(acting_user)
    reason = submission.comment

    def params(form, period, label):
        return texts.returned(form, period, label, reason, by)

    tell_many(_report_events(submission, Kind.RETURNED, users, params, "grid", acting_user))
    services.settle_submitted(submission.pk)


@receiver(reporting.report_approved)
def report_approved(sender, submission: Submission, acting_user, **kwargs) -> None:
    users = recipients.enterers(submission.unit, timezone.localdate())
    by = _who(acting_user)

    def params(form, period, label):
        return texts.approved(form, period, label, by)

    tell_many(_report_events(submission, Kind.APPROVED, users, params, "grid", acting_user))
    services.settle_submitted(submission.pk)


@receiver(reporting.report_submitted)
def report_submitted(sender, submission: Submission, acting_user, **kwargs) -> None:
    users = recipients.approvers(submission.unit, timezone.localdate())
    by = _who(acting_user)

    def params(form, period, label):
        return texts.submitted(form, period, label, by)

    tell_many(_report_events(submission, Kind.SUBMITTED, users, params, "review", acting_user))
    services.settle_reminders(submission.form_id, submission.unit_id, submission.period)


def _label(document: Document) -> str:
    return f"{document.symbol} – {document.summary}"[:200]


@receiver(documents.task_assigned)
def task_assigned(sender, assignment, unit_ids, acting_user, **kwargs) -> None:
    document = assignment.document
    staff = recipients.staff(unit_ids)
    names = Unit.objects.in_bulk(list(staff))
    events = []
    for unit_id, users in staff.items():
        unit = names[unit_id]
        url = reverse("documents:tasks", args=[unit.code])
        params = texts.task(
            _label(document), texts.unit_name(unit), assignment.due, assignment.task
        )
        for user in users:
            if user == acting_user:
                continue
            events.append(
                Event(
                    user=user,
                    kind=Kind.TASK,
                    key=f"task:{assignment.pk}:{unit_id}",
                    url=url,
                    params=params,
                )
            )
    tell_many(events)


@receiver(documents.document_received)
def document_received(sender, document: Document, acting_user, **kwargs) -> None:
    users = recipients.staff([document.unit_id]).get(document.unit_id, [])
    label = texts.unit_name(document.unit)
    issuer = texts.unit_name(document.issuer) if document.issuer else document.issuer_name
    url = reverse("documents:document", args=[document.pk])
    params = texts.document(_label(document), label, issuer)
    tell_many(
        Event(
            user=user,
            kind=Kind.DOCUMENT,
            key=f"document:{document.pk}",
            url=url,
            params=params,
        )
        for user in users
        if user != acting_user
    )
