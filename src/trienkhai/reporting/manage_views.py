"""The administration pages under /bao-cao/quan-tri/: indicators, disaggregations, forms.

Indicators and disaggregations are shared by the whole installation: admins only
(MANAGE_INDICATORS). A form belongs to the unit that issues it: its managers create and
change it (CHANGE on the owner). Each view: decorators → access → form → service →
render or redirect; a refused change shows on the form with a 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs.access import get_kind
from trienkhai.reporting import access, editing, services
from trienkhai.reporting.forms import (
    DisaggregationEditForm,
    DisaggregationForm,
    IndicatorEditForm,
    IndicatorForm,
    MembershipForm,
    MoveForm,
    ReportFormForm,
    RuleForm,
    SectionForm,
    UnitsForm,
)
from trienkhai.reporting.models import (
    Disaggregation,
    Form,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
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
def indicator(request, code: str):
    """One indicator: change it, or delete it while nothing uses it."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    found = get_object_or_404(Indicator, code=code)
    initial = {
        **{f: getattr(found, f) for f in ("name", "name_en", "value_type", "aggregation")},
        **{f: getattr(found, f) for f in ("unit_of_measure", "formula", "disaggregation")},
    }
    form = IndicatorEditForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            editing.update_indicator(acting_user=request.user, indicator=found, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã sửa chỉ tiêu %(code)s.") % {"code": found.code})
            return redirect("reporting:indicators")
    context = {"form": form, "indicator": found, "history": found.history.all()[:20]}
    return render_form(request, "reporting/manage/indicator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def disaggregation(request, code: str):
    """One breakdown: rename it, set its options, or delete it while no indicator uses it."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    found = get_object_or_404(Disaggregation, code=code)
    lines = "\n".join(f"{o.code}: {o.name}" for o in found.options.all())
    initial = {"name": found.name, "name_en": found.name_en, "options": lines}
    form = DisaggregationEditForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            editing.update_disaggregation(
                acting_user=request.user, disaggregation=found, **form.cleaned_data
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã sửa cách phân tổ %(code)s.") % {"code": found.code})
            return redirect("reporting:disaggregations")
    context = {"form": form, "disaggregation": found, "history": found.history.all()[:20]}
    return render_form(request, "reporting/manage/disaggregation.html", context)


@login_required
@require_POST
def delete(request, kind: str, code: str):
    """Delete an indicator or a breakdown that nothing uses; otherwise its page says what
    uses it (409) and nothing changes."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    found: Indicator | Disaggregation
    if kind == "indicator":
        found = get_object_or_404(Indicator, code=code)
        back, template = "reporting:indicators", "reporting/manage/indicator.html"
    else:
        found = get_object_or_404(Disaggregation, code=code)
        back, template = "reporting:disaggregations", "reporting/manage/disaggregation.html"
    try:
        if isinstance(found, Indicator):
            editing.delete_indicator(acting_user=request.user, indicator=found)
        else:
            editing.delete_disaggregation(acting_user=request.user, disaggregation=found)
    except BadInput as exc:
        edit_form = IndicatorEditForm if isinstance(found, Indicator) else DisaggregationEditForm
        context = {"form": edit_form(), kind: found, "refusal": exc.message}
        return render(request, template, context, status=exc.status)
    messages.success(request, _("Đã xóa %(code)s.") % {"code": code})
    return redirect(back)


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


def _form_change(request, found: Form, form, key: str, act, done: str):
    """The shape of every change on a form's page: valid → service → message and back
    to the page; refused → the page again, the form with its errors, 400."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, done)
            return redirect("reporting:form", found.code)
    context = _form_page(found, **{key: form})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reporting/manage/form.html", context, status=status)


def _indicator(code: str) -> Indicator:
    [indicator] = access.get_indicators([code])
    return indicator


@login_required
@require_POST
def add_indicator(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        MembershipForm(request.POST, prefix="them"),
        "add_form",
        lambda data: services.add_indicator_to_form(
            acting_user=request.user,
            form=found,
            indicator=_indicator(data["indicator"]),
            valid_from=data["on"],
        ),
        _("Đã thêm chỉ tiêu vào biểu."),
    )


@login_required
@require_POST
def remove_indicator(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        MembershipForm(request.POST, prefix="bo"),
        "remove_form",
        lambda data: services.remove_indicator_from_form(
            acting_user=request.user,
            form=found,
            indicator=_indicator(data["indicator"]),
            on=data["on"],
        ),
        _("Đã bỏ chỉ tiêu khỏi biểu từ ngày đã chọn."),
    )


@login_required
@require_POST
def add_rule(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        RuleForm(request.POST, prefix="quy_tac"),
        "rule_form",
        lambda data: services.add_rule(acting_user=request.user, form=found, **data),
        _("Đã thêm quy tắc kiểm tra."),
    )


@login_required
@require_POST
def change_rule(request, form_code: str, rule_id: int):
    """Edit a rule (button "lưu") or delete it (button "xoa")."""
    found = access.get_form_to_change(request.user, form_code)
    rule = get_object_or_404(ValidationRule, pk=rule_id, form=found)
    if "xoa" in request.POST:
        editing.delete_rule(acting_user=request.user, rule=rule)
        messages.success(request, _("Đã xóa quy tắc kiểm tra."))
        return redirect("reporting:form", found.code)
    return _form_change(
        request,
        found,
        RuleForm(request.POST, prefix=f"quy_tac_{rule.pk}"),
        f"rule_form_{rule.pk}",
        lambda data: editing.update_rule(acting_user=request.user, rule=rule, **data),
        _("Đã sửa quy tắc kiểm tra."),
    )


@login_required
@require_POST
def add_section(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        SectionForm(request.POST, prefix="phan"),
        "section_form",
        lambda data: editing.add_section(acting_user=request.user, form=found, title=data["title"]),
        _("Đã thêm phần."),
    )


@login_required
@require_POST
def change_section(request, form_code: str, section_id: int):
    """Rename or reorder a section (button "lưu"), or delete it (button "xoa")."""
    found = access.get_form_to_change(request.user, form_code)
    section = get_object_or_404(FormSection, pk=section_id, form=found)
    if "xoa" in request.POST:
        editing.delete_section(acting_user=request.user, section=section)
        messages.success(request, _("Đã xóa phần; các chỉ tiêu của nó vẫn ở trong biểu."))
        return redirect("reporting:form", found.code)
    return _form_change(
        request,
        found,
        SectionForm(request.POST, prefix=f"phan_{section.pk}"),
        f"section_form_{section.pk}",
        lambda data: editing.update_section(
            acting_user=request.user,
            section=section,
            title=data["title"],
            order=data["order"] or section.order + 1,
        ),
        _("Đã sửa phần."),
    )


@login_required
@require_POST
def move_indicator(request, form_code: str):
    found = access.get_form_to_change(request.user, form_code)
    sections = list(found.sections.all())

    def move(data):
        section = next((s for s in sections if s.pk == data["section"]), None)
        if data["section"] is not None and section is None:
            raise BadInput(
                "unknown_section", "Phần này không thuộc biểu / not a section of this form"
            )
        moved = editing.move_to_section(
            acting_user=request.user,
            form=found,
            indicator=_indicator(data["indicator"]),
            section=section,
        )
        return moved

    return _form_change(
        request,
        found,
        MoveForm(request.POST, prefix="xep", sections=sections),
        "move_form",
        move,
        _("Đã chuyển chỉ tiêu sang phần đã chọn."),
    )


@login_required
@require_POST
def change_units(request, form_code: str):
    """Who reports the form from a day on; earlier periods keep their units."""
    found = access.get_form_to_change(request.user, form_code)

    def change(data):
        editing.set_units(
            acting_user=request.user,
            form=found,
            units=[access.get_unit(request.user, code) for code in data["units"]],
            kind=get_kind(data["kind"]) if data["kind"] else None,
            level=data["level"],
            valid_from=data["valid_from"],
        )

    return _form_change(
        request,
        found,
        UnitsForm(request.POST, prefix="don_vi"),
        "units_form",
        change,
        _("Đã đổi đơn vị báo cáo từ ngày đã chọn; các kỳ trước giữ đơn vị cũ."),
    )


def _form_page(form: Form, **forms) -> dict:
    items = (
        FormIndicator.objects.filter(form=form)
        .select_related("indicator", "section")
        .order_by("section__order", "order", "valid_from")
    )
    sections = list(form.sections.order_by("order", "id"))
    rules = list(form.rules.order_by("id"))
    # Each section and rule with the form that edits it (the bound one after a refusal).
    section_rows = [
        (
            section,
            forms.pop(f"section_form_{section.pk}", None)
            or SectionForm(
                prefix=f"phan_{section.pk}", initial={"title": section.title, "order": number}
            ),
        )
        for number, section in enumerate(sections, start=1)
    ]
    rule_rows = [
        (
            rule,
            forms.pop(f"rule_form_{rule.pk}", None)
            or RuleForm(
                prefix=f"quy_tac_{rule.pk}",
                initial={f: getattr(rule, f) for f in ("left", "operator", "right", "message")},
            ),
        )
        for rule in rules
    ]
    assignments = form.assignments.select_related("unit", "kind").order_by("valid_from", "id")
    return {
        "report": form,
        "items": items,
        "rule_rows": rule_rows,
        "section_rows": section_rows,
        "assignments": assignments,
        "add_form": MembershipForm(prefix="them"),
        "remove_form": MembershipForm(prefix="bo"),
        "rule_form": RuleForm(prefix="quy_tac"),
        "section_form": SectionForm(prefix="phan"),
        "move_form": MoveForm(prefix="xep", sections=sections),
        "units_form": UnitsForm(prefix="don_vi"),
        **forms,
    }
