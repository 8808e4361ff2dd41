"""Submission and approval: draft → submitted → approved or returned, unlocking."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs.models import Unit
from trienkhai.reporting import review
from trienkhai.reporting.models import (
    Form,
    Submission,
)
from trienkhai.reporting.services.acting import _audited, _user
from trienkhai.reporting.services.values import (
    check_can_enter,
    failed_rules,
    form_values,
)


def _submission_for_update(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update().select_related("form", "unit").get(pk=submission.pk)
    )


@transaction.atomic
def submit(
    *, acting_user, form: Form, unit: Unit, period_id: str, today: dt.date | None = None
) -> Submission:
    """Draft or returned → submitted; refused while validation rules fail."""
    period = form.period(period_id)
    submission = check_can_enter(acting_user, form, unit, period, today=today)
    submission = _submission_for_update(submission)
    failed = failed_rules(form, form_values(form, unit, period.id))
    if failed:
        raise BadInput(
            "validation_failed",
            f"{len(failed)} quy tắc kiểm tra chưa đạt / "
            f"{len(failed)} validation {'rule fails' if len(failed) == 1 else 'rules fail'}",
            details=failed,
        )
    now = timezone.now()
    submission.status = Submission.Status.SUBMITTED
    submission.submitted, submission.submitted_by = now, _user(acting_user)
    submission.first_submitted = submission.first_submitted or now
    # The reason for a return is answered by resubmitting; it stays in the history.
    submission.comment = ""
    submission.modified = now
    _audited(submission, acting_user).save()
    review.follow(submission)  # its values count as submitted (totals per status)
    return submission


def _require_approver(acting_user, submission: Submission) -> None:
    """Approval belongs to a manager of an ancestor of the reporting unit, not of the unit itself."""
    if acting_user is None:
        return
    day = submission.unit.reference_date()
    parent = submission.unit.version_on(day)
    parent_unit = parent.parent if parent is not None else None
    if parent_unit is None or not policy.can(acting_user, policy.Action.APPROVE, parent_unit):
        raise policy.PermissionDenied(
            "Chỉ quản lý đơn vị cấp trên được duyệt / only a manager above the unit may approve"
        )


def _decide(
    acting_user,
    submission: Submission,
    *,
    expect: set[str],
    status: str,
    comment: str = "",
) -> Submission:
    submission = _submission_for_update(submission)
    _require_approver(acting_user, submission)
    if submission.status not in expect:
        raise Conflict(
            "wrong_status",
            f"Báo cáo đang ở trạng thái {submission.status} / the report is {submission.status}",
        )
    submission.status = status
    submission.decided, submission.decided_by = timezone.now(), _user(acting_user)
    submission.comment = comment
    submission.modified = timezone.now()
    _audited(submission, acting_user).save()
    review.follow(submission)  # its values count as approved, or drafts again
    return submission


@transaction.atomic
def approve(*, acting_user, submission: Submission) -> Submission:
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.APPROVED,
    )


@transaction.atomic
def return_submission(*, acting_user, submission: Submission, comment: str) -> Submission:
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do trả lại / say why it is returned")
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.SUBMITTED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )


@transaction.atomic
def unlock(*, acting_user, submission: Submission, comment: str) -> Submission:
    """Approved → returned, so that values can be corrected: a manager's audited act."""
    if not comment.strip():
        raise BadInput("comment_required", "Cần ghi lý do mở khóa / say why it is unlocked")
    return _decide(
        acting_user,
        submission,
        expect={Submission.Status.APPROVED},
        status=Submission.Status.RETURNED,
        comment=comment,
    )
