"""completeDataSetRegistrations: DHIS2's "this report is complete" is trienkhai's submit.

A registration for (data set, period, org unit) submits that unit's report of the form
through ``reporting.services.submit``: the same scope, assignment, entry window and
validation rules as the Gửi button. A report already submitted or approved is left as
it is (ignored). Un-registering has no DHIS2 twin here: returning a report is a
manager's decision with a reason (``POST /api/v1/submissions/{id}/return``).

Two keys of trienkhai's own, which DHIS2 clients leave out: ``comment``, the
submitter's confirmation of failed validation rules (the Gửi button's box), and
``keepMarked``, why the cells an approver marked to fix stay as they are (without it
a returned report whose marks nobody touched is refused, E7643 ``marks_untouched``,
as ``keep_marked`` of ``POST /api/v1/submissions``).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from trienkhai.analytics.dhis2.datavalues import Options
from trienkhai.analytics.dhis2.exports import Export
from trienkhai.analytics.dhis2.metadata import DEFAULT_COMBO
from trienkhai.analytics.dhis2.responses import Dhis2Error, ImportSummary
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
from trienkhai.reporting.models import Form, Submission


class _Rollback(Exception):
    pass


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def register(*, acting_user: Actor, payload: Any, options: Options) -> ImportSummary:
    """Submit each registered report; conflicts name the registrations refused."""
    summary = ImportSummary(options=options.to_dict())
    if not isinstance(payload, dict) or not isinstance(
        payload.get("completeDataSetRegistrations", []), list
    ):
        raise Dhis2Error(
            400,
            "E7602",
            'Cần {"completeDataSetRegistrations": [...]} / a completeDataSetRegistrations list is required',
        )
    items = payload.get("completeDataSetRegistrations", [])
    forms = {f.code: f for f in Form.objects.all()}
    try:
        with transaction.atomic():
            for index, item in enumerate(items):
                _one(acting_user, index, item, forms, options, summary)
            if options.dry_run or (options.atomic and summary.conflicts):
                raise _Rollback
    except _Rollback:
        if options.atomic and summary.conflicts:
            summary.aborted = True
            summary.imported = summary.updated = summary.deleted = 0
            summary.ignored = len(items)
    return summary


def _one(acting_user: Actor, index: int, item: Any, forms: dict, options: Options, summary) -> None:
    if not isinstance(item, dict):
        summary.conflict(index, "E7602", f"Dòng {index} không phải một đối tượng / not an object")
        return
    code, unit_code = _text(item.get("dataSet")), _text(item.get("organisationUnit"))
    period_id = _text(item.get("period"))
    form = forms.get(code)
    if form is None:
        summary.conflict(
            index,
            "E7600",
            f"Không có biểu / data set not found: `{code}`",
            prop="dataSet",
            obj=code,
        )
        return
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        summary.conflict(
            index,
            "E7603",
            f"Không có đơn vị / org unit not found or not accessible: `{unit_code}`",
            prop="organisationUnit",
            obj=unit_code,
        )
        return
    if _text(item.get("attributeOptionCombo")) not in ("", DEFAULT_COMBO):
        summary.conflict(
            index, "E7604", "Chỉ có tổ hợp mặc định / attribute option combo not found"
        )
        return
    if item.get("completed") in (False, "false") or options.strategy == "DELETE":
        summary.ignored += 1
        return
    current = Submission.objects.filter(form=form, unit=unit, period=period_id).first()
    if current is not None and current.is_locked:
        summary.ignored += 1
        return
    try:
        with transaction.atomic():
            services.submit(
                acting_user=acting_user,
                form=form,
                unit=unit,
                period_id=period_id,
                comment=_text(item.get("comment")),
                keep_marked=_text(item.get("keepMarked")),
            )
    except PermissionDenied as exc:
        summary.conflict(
            index,
            "E7617",
            str(exc) or "Không có quyền / not allowed",
            prop="organisationUnit",
            obj=unit.code,
        )
        return
    except BadInput as exc:
        details = "; ".join(str(d.get("message", d)) for d in exc.details) if exc.details else ""
        error = {"invalid_period": "E7611", "wrong_period_type": "E7611", "not_assigned": "E7636"}
        summary.conflict(
            index,
            error.get(exc.code, "E7643"),
            f"{exc.message}{': ' + details if details else ''}",
            prop="organisationUnit",
            obj=unit.code,
        )
        return
    summary.imported += 1


def listed(query: Export) -> list[dict]:
    """Registrations (submitted or approved reports) of the query's forms, units, periods."""
    found = Submission.objects.filter(
        form__in=query.forms,
        unit__in=query.units,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
    ).select_related("form", "unit", "submitted_by")
    if query.periods is not None:
        found = found.filter(period__in=sorted(query.periods))
    rows = []
    for submission in found.order_by("form__code", "unit__code", "period"):
        if query.periods is None and not _within(submission, query):
            continue
        rows.append(
            {
                "dataSet": submission.form.code,
                "period": submission.period,
                "organisationUnit": submission.unit.code,
                "attributeOptionCombo": DEFAULT_COMBO,
                "date": submission.submitted.isoformat(timespec="milliseconds")
                if submission.submitted
                else None,
                "storedBy": submission.submitted_by.username if submission.submitted_by else "",
                "completed": True,
            }
        )
    return rows


def _within(submission: Submission, query: Export) -> bool:
    period = submission.form.period(submission.period)
    return bool(
        query.start and query.end and query.start <= period.start and period.end <= query.end
    )
