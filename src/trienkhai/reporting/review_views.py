"""The approval screen: what changed, what is missing, what fails; approve or return it.

/bao-cao/<form>/<unit>/<period>/xem-xet/ (GET) shows ``review.review`` to a manager
above the unit; its forms post to duyet/ (approve), tra-lai/ (return, with the cells to
fix) and theo-doi/ (values for follow-up). Approve and return both ask for a ticked
confirmation that names the unit, form and period: a required checkbox the browser
checks and the server checks again, so it works without JavaScript. A refused action
shows the screen again with why, and a 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.common.errors import BadInput, NotFound
from trienkhai.reporting import access, review, services
from trienkhai.reporting.cells import shown as shown_value
from trienkhai.reporting.forms import CommentForm
from trienkhai.reporting.models import Form, Submission
from trienkhai.reporting.services import MarkInput

CONFIRM = "xac_nhan"
"""The name of the confirmation checkbox of approve, return and submit (the grid)."""


def _reviewed(request, form_code: str, unit_code: str, period_id: str) -> Submission:
    """The report, if the user is a manager above its unit (403 otherwise; 404 if none)."""
    form = access.get_form(request.user, form_code)
    unit = access.get_unit(request.user, unit_code)
    if not review.may_decide(request.user, unit):
        raise PermissionDenied
    period = form.period(period_id)
    submission = (
        Submission.objects.filter(form=form, unit=unit, period=period.id)
        .select_related("submitted_by", "decided_by")
        .first()
    )
    if submission is None:
        raise NotFound("báo cáo / report", f"{form.code} {unit.code} {period.id}")
    submission.form, submission.unit = form, unit
    return submission


def _page(request, submission: Submission, *, status: int = 200, **extra) -> HttpResponse:
    found = review.review(submission)
    form: Form = submission.form
    period = form.period(submission.period)
    version = submission.unit.version_on(submission.unit.reference_date())
    unit_name = version.name if version else submission.unit.latest_version().name
    # After a refused return, the cells ticked and their notes stay as they were.
    ticked = set(request.POST.getlist("sua"))
    cells = []
    for cell in found.cells:
        key = f"{cell.indicator.code}|{cell.option}"
        stored = found.values.get((cell.indicator.code, cell.option))
        shown = (
            shown_value(stored.value_number, stored.value_text, cell.indicator) if stored else ""
        )
        cells.append((cell, shown, key, key in ticked, request.POST.get(f"ghi_chu:{key}", "")))
    context = {
        "submission": submission,
        "form": form,
        "unit": submission.unit,
        "unit_name": unit_name,
        "period": period,
        "review": found,
        "cells": cells,
        "open_fix": {(m.indicator.code, m.option) for m in found.marks if not m.resolved},
        "confirm_name": CONFIRM,
        "return_form": extra.pop("return_form", None) or CommentForm(prefix="tra_lai"),
        **extra,
    }
    return render(request, "reporting/review.html", context, status=status)


@login_required
@require_GET
def page(request, form_code: str, unit_code: str, period_id: str):
    """The approval screen of one report."""
    return _page(request, _reviewed(request, form_code, unit_code, period_id))


def _unconfirmed(request, submission: Submission, **extra) -> HttpResponse | None:
    if request.POST.get(CONFIRM):
        return None
    error = BadInput(
        "confirmation_required",
        _("Hãy đánh dấu ô xác nhận trước khi duyệt hoặc trả lại."),
    )
    return _page(request, submission, status=400, action_error=error, **extra)


@login_required
@require_POST
def approve(request, form_code: str, unit_code: str, period_id: str):
    submission = _reviewed(request, form_code, unit_code, period_id)
    refused = _unconfirmed(request, submission)
    if refused is not None:
        return refused
    try:
        services.approve(acting_user=request.user, submission=submission)
    except BadInput as exc:
        return _page(request, submission, status=exc.status, action_error=exc)
    messages.success(request, _("Đã duyệt báo cáo."))
    return redirect("reporting:grid", form_code, unit_code, submission.period)


def _marked(post, name: str, note_prefix: str) -> list[MarkInput]:
    """The cells ticked in ``name`` ("code|option"), each with its note field."""
    cells = []
    for key in post.getlist(name):
        code, _sep, option = key.partition("|")
        cells.append(MarkInput(code, option, post.get(f"{note_prefix}{key}", "")))
    return cells


@login_required
@require_POST
def return_submission(request, form_code: str, unit_code: str, period_id: str):
    """Return with a reason, the ticked cells marked to fix (each with an optional note)."""
    submission = _reviewed(request, form_code, unit_code, period_id)
    comment_form = CommentForm(request.POST, prefix="tra_lai")
    refused = _unconfirmed(request, submission, return_form=comment_form)
    if refused is not None:
        return refused
    if not comment_form.is_valid():
        return _page(request, submission, status=400, return_form=comment_form)
    try:
        services.return_submission(
            acting_user=request.user,
            submission=submission,
            comment=comment_form.cleaned_data["comment"],
            cells=_marked(request.POST, "sua", "ghi_chu:"),
        )
    except BadInput as exc:
        return _page(request, submission, status=exc.status, action_error=exc)
    messages.success(request, _("Đã trả lại báo cáo để đơn vị sửa."))
    return redirect("reporting:grid", form_code, unit_code, submission.period)


@login_required
@require_POST
def follow_up(request, form_code: str, unit_code: str, period_id: str):
    """Mark one value for follow-up, with a note."""
    submission = _reviewed(request, form_code, unit_code, period_id)
    code, _sep, option = request.POST.get("o", "").partition("|")
    try:
        services.mark_for_follow_up(
            acting_user=request.user,
            submission=submission,
            cells=[MarkInput(code, option, request.POST.get("ghi_chu", ""))],
        )
    except BadInput as exc:
        return _page(request, submission, status=exc.status, action_error=exc)
    messages.success(request, _("Đã đánh dấu giá trị cần theo dõi."))
    return redirect("reporting:review", form_code, unit_code, submission.period)
