"""The administration pages under /bao-cao/quan-tri/: indicators, disaggregations, forms.

Indicators and disaggregations are shared by the whole installation: admins only
(MANAGE_INDICATORS). A form belongs to the unit that issues it: its managers create and
change it (CHANGE on the owner). Each view: decorators → access → form → service →
render or redirect; a refused change shows on the form with a 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.access import get_kind
from trienkhai.reporting import access, services
from trienkhai.reporting.forms import (
    DisaggregationForm,
    IndicatorForm,
    MembershipForm,
    ReportFormForm,
    RuleForm,
)
from trienkhai.reporting.models import Disaggregation, Form, FormIndicator, Indicator
from trienkhai.web.forms import posted, render_form


@login_required
@require_http_methods(["GET", "POST"])
def indicators(request):
    """The list of indicators, and a new one."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    form = IndicatorForm(posted(request))
    if form.is_valid():
        try:
            indicator = services.create_indicator(acting_user=request.user, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu %(code)s.") % {"code": indicator.code})
            return redirect("reporting:indicators")
    rows = Indicator.objects.select_related("disaggregation")
    return render_form(request, "reporting/manage/indicators.html", {"form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def disaggregations(request):
    """The list of disaggregations with their options, and a new one."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    form = DisaggregationForm(posted(request))
    if form.is_valid():
        try:
            services.create_disaggregation(acting_user=request.user, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm cách phân tổ %(code)s.") % form.cleaned_data)
            return redirect("reporting:disaggregations")
    rows = Disaggregation.objects.prefetch_related("options").order_by("code")
    context = {"form": form, "rows": rows}
    return render_form(request, "reporting/manage/disaggregations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_form(request):
    """A new form, issued by a unit the user manages."""
    policy.require(request.user, policy.Action.CHANGE)
    form = ReportFormForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            owner = access.get_unit(request.user, data["owner"], policy.Action.CHANGE)
            created = services.create_form(
                acting_user=request.user,
                code=data["code"],
                name=data["name"],
                owner=owner,
                period_type=data["period_type"],
                calendar=data["calendar"],
                deadline_days=data["deadline_days"],
                indicators=access.get_indicators(data["indicators"]),
                units=[access.get_unit(request.user, code) for code in data["units"]],
                kind=get_kind(data["kind"]) if data["kind"] else None,
                level=data["level"],
                valid_from=data["valid_from"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã tạo biểu %(code)s.") % {"code": created.code})
            return redirect("reporting:form", created.code)
    return render_form(request, "reporting/manage/form_create.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def form_detail(request, form_code: str):
    """A form's indicators with their dates and its rules, with the forms that change them."""
    found = access.get_form_to_change(request.user, form_code)
    return render(request, "reporting/manage/form.html", _form_page(found))


@login_required
@require_POST
def add_indicator(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    form = MembershipForm(request.POST, prefix="them")
    if form.is_valid():
        try:
            [indicator] = access.get_indicators([form.cleaned_data["indicator"]])
            services.add_indicator_to_form(
                acting_user=request.user,
                form=found,
                indicator=indicator,
                valid_from=form.cleaned_data["on"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu vào biểu."))
            return redirect("reporting:form", found.code)
    return render_form(
        request, "reporting/manage/form.html", _form_page(found, add_form=form), form_key="add_form"
    )


@login_required
@require_POST
def remove_indicator(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    form = MembershipForm(request.POST, prefix="bo")
    if form.is_valid():
        try:
            [indicator] = access.get_indicators([form.cleaned_data["indicator"]])
            services.remove_indicator_from_form(
                acting_user=request.user,
                form=found,
                indicator=indicator,
                on=form.cleaned_data["on"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã bỏ chỉ tiêu khỏi biểu từ ngày đã chọn."))
            return redirect("reporting:form", found.code)
    context = _form_page(found, remove_form=form)
    return render_form(request, "reporting/manage/form.html", context, form_key="remove_form")


@login_required
@require_POST
def add_rule(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    form = RuleForm(request.POST, prefix="quy_tac")
    if form.is_valid():
        try:
            services.add_rule(acting_user=request.user, form=found, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm quy tắc kiểm tra."))
            return redirect("reporting:form", found.code)
    context = _form_page(found, rule_form=form)
    return render_form(request, "reporting/manage/form.html", context, form_key="rule_form")


def _form_page(form: Form, **forms) -> dict:
    items = (
        FormIndicator.objects.filter(form=form)
        .select_related("indicator", "section")
        .order_by("order", "valid_from")
    )
    return {
        "report": form,
        "items": items,
        "rules": form.rules.order_by("id"),
        "add_form": MembershipForm(prefix="them"),
        "remove_form": MembershipForm(prefix="bo"),
        "rule_form": RuleForm(prefix="quy_tac"),
        **forms,
    }
