"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no."""

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import access as org_access
from trienkhai.reporting.models import Disaggregation, Form, Indicator, Submission


def get_form(user, code: str) -> Form:
    """A form, visible to whoever may view its owner or any unit that reports it."""
    form = Form.objects.select_related("owner").filter(code=code).first()
    if form is None:
        raise NotFound("biểu báo cáo / form", code)
    if not policy.can(user, policy.Action.VIEW):
        raise policy.PermissionDenied
    return form


def get_form_to_change(user, code: str) -> Form:
    """A form whose indicators and rules ``user`` may change: a manager of its owner."""
    form = Form.objects.select_related("owner").filter(code=code).first()
    if form is None:
        if not policy.can(user, policy.Action.CHANGE):
            raise policy.PermissionDenied
        raise NotFound("biểu báo cáo / form", code)
    policy.require(user, policy.Action.CHANGE, form.owner)
    return form


def get_indicators(codes: list[str]) -> list[Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise BadInput(
            "unknown_indicator", f"Không có chỉ tiêu / unknown indicators: {', '.join(unknown)}"
        )
    return [found[c] for c in codes]


def get_disaggregation(code: str | None) -> Disaggregation | None:
    if not code:
        return None
    found = Disaggregation.objects.filter(code=code).first()
    if found is None:
        raise BadInput(
            "unknown_disaggregation", f"Không có cách phân tổ / unknown disaggregation: {code}"
        )
    return found


def get_submission(
    user, submission_id: int, action: policy.Action = policy.Action.VIEW
) -> Submission:
    submission = Submission.objects.select_related("form", "unit").filter(pk=submission_id).first()
    if submission is None:
        raise NotFound("báo cáo / submission", str(submission_id))
    policy.require(user, action, submission.unit)
    return submission


get_unit = org_access.get_unit
