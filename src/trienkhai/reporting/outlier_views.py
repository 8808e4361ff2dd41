"""The entry grid's outlier pieces: the yardsticks sent with the page, the check of one
typed value, and keeping an outlier with an explanation (JSON in, JSON out)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import access, outliers, services, structure
from trienkhai.reporting.cells import parse_value
from trienkhai.reporting.models import DisaggregationOption, Form, OutlierComment
from trienkhai.reporting.periods import Period
from trienkhai.web.labels import local_name


def _choices(wanted: set[tuple[int | None, str]]) -> dict[tuple[int | None, str], str]:
    """(disaggregation, option code) → the option's name in the reader's language (its
    code if it has gone); one query, none without a disaggregated finding."""
    if not wanted:
        return {}
    rows = DisaggregationOption.objects.filter(
        disaggregation_id__in={d for d, _ in wanted}, code__in={o for _, o in wanted}
    )
    names: dict[tuple[int | None, str], str] = {k: k[1] for k in wanted}
    names.update({(r.disaggregation_id, r.code): local_name(r) for r in rows})
    return names


def grid_context(form: Form, unit: Unit, period: Period) -> dict:
    """What the grid page adds for outliers: each cell's yardsticks and the explanations
    already given, as JSON for static/reporting/outliers.js, and the list of the report's
    outliers with their explanations (two queries)."""
    hints, findings = outliers.grid_review(form, unit, period)
    comments = {
        (c.indicator.code, c.option): c
        for c in OutlierComment.objects.filter(unit=unit, period=period.id).select_related(
            "indicator", "created_by"
        )
    }
    choices = _choices({(f.indicator.disaggregation_id, f.option) for f in findings if f.option})
    listed, seen, methods = [], set(), set()
    for finding in findings:
        key = (finding.indicator.code, finding.option)
        if key in seen:
            continue  # one line per cell: its first finding
        seen.add(key)
        methods.add(finding.method)
        comment = comments.get(key)
        explained = comment is not None and float(comment.value) == finding.value
        listed.append(
            {
                "label": local_name(finding.indicator)
                + (
                    f" – {choices.get((finding.indicator.disaggregation_id, finding.option))}"
                    if finding.option
                    else ""
                ),
                "value": outliers.format_value(finding.value),
                "message": outliers.message(finding),
                "comment": comment.text if explained and comment else "",
                "by": str(comment.created_by or "") if explained and comment else "",
                "is_explained": explained,
            }
        )
    return {
        "outlier_list": listed,
        "outlier_heading": _heading(methods),
        "outlier_hints": {
            "cells": hints,
            "explained": {
                f"{code}|{option}": float(c.value) for (code, option), c in comments.items()
            },
            "text": outliers.texts(),
            "explain_url": reverse(
                "reporting:explain_outlier", args=[form.code, unit.code, period.id]
            ),
        },
    }


def _heading(methods: set[outliers.Method]) -> str:
    """The outlier card's title: what the values were compared with (every finding's
    own message says it again)."""
    if methods == {outliers.Method.SIBLINGS}:
        return _("Số liệu khác xa các đơn vị cùng cấp")
    if methods == {outliers.Method.MINMAX}:
        return _("Số liệu ngoài mức tối thiểu – tối đa")
    if methods and methods <= {outliers.Method.MODIFIED_Z, outliers.Method.Z}:
        return _("Số liệu bất thường so với các kỳ trước")
    return _("Số liệu bất thường")


def _json_error(exc: Exception) -> JsonResponse:
    if isinstance(exc, BadInput):
        return JsonResponse(exc.to_dict(), status=exc.status)
    message = str(exc) or _("Bạn không có quyền với báo cáo này.")
    return JsonResponse({"error": {"code": "forbidden", "message": message}}, status=403)


@login_required
@require_GET
def check(request, form_code: str, unit_code: str, period_id: str):
    """Is this value of one cell an outlier? ``?chi_tieu=&lua_chon=&gia_tri=`` →
    ``{"warning": "...", "outliers": [...]}`` (the grid's script usually knows already)."""
    try:
        form = access.get_form(request.user, form_code)
        unit = access.get_unit(request.user, unit_code)
        period = form.period(period_id)
        code, option = request.GET.get("chi_tieu", ""), request.GET.get("lua_chon", "")
        items = {i.indicator.code: i.indicator for i in structure.of(form).items_during(period)}
        indicator = items.get(code)
        if indicator is None:
            raise BadInput(
                "invalid_indicator",
                _("Biểu không có chỉ tiêu %(code)s.") % {"code": code},
            )
        if option not in structure.of(form).option_codes(indicator):
            raise BadInput("invalid_option", _("Lựa chọn không hợp lệ: %(o)s") % {"o": option})
        number, _text = parse_value(indicator, request.GET.get("gia_tri", ""))
    except (BadInput, PermissionDenied) as exc:
        return _json_error(exc)
    found = (
        outliers.check_value(form, unit, period, indicator, option, number)
        if number is not None and indicator.is_numeric and not indicator.is_derived
        else []
    )
    return JsonResponse({"warning": found[0]["message"] if found else "", "outliers": found})


@login_required
@require_POST
def explain(request, form_code: str, unit_code: str, period_id: str):
    """Keep an outlier, saying why: ``{"indicator", "option", "value", "comment"}``."""
    try:
        form = access.get_form(request.user, form_code)
        unit = access.get_unit(request.user, unit_code, policy.Action.ENTER_DATA)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise BadInput("invalid_input", _("Dữ liệu không hợp lệ."))
        comment = services.explain_outlier(
            acting_user=request.user,
            form=form,
            unit=unit,
            period_id=period_id,
            indicator_code=str(body.get("indicator", "")),
            option=str(body.get("option", "") or ""),
            value=body.get("value"),
            text=str(body.get("comment", "") or ""),
        )
    except (BadInput, PermissionDenied) as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "indicator": comment.indicator.code,
            "option": comment.option,
            "value": float(comment.value),
            "comment": comment.text,
        }
    )
