"""The administration pages under /bao-cao/quan-tri/: indicators, disaggregations, forms.

Indicators and disaggregations are shared by the whole installation: admins held at the
country only (MANAGE_INDICATORS, one of ``policy.GLOBAL_ACTIONS``). A form belongs to the
unit that issues it: its managers create and change it (CHANGE on the owner). Each view: decorators → access → form → service →
render or redirect; a refused change shows on the form with a 4xx status.

The views are thin over a few shapes: ``_saved`` (valid → service → message, or the
refusal on the form) under every write; ``_list``, ``_edit`` and ``delete`` for
indicators and breakdowns, told apart by a ``_Shared``; ``_add_part`` and
``_change_part`` for a form's rules and sections, told apart by a ``_Part``, through
``_form_change`` like every change on a form's page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    SubmissionRulesForm,
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
from trienkhai.web.forms import ServiceForm, posted, render_form


def _saved(request, form: ServiceForm, act: Callable[[dict], Any], done) -> bool:
    """Valid → ``act(cleaned_data)`` → the message ``done`` (text, or a function of what
    ``act`` returned): True. Invalid or refused by the service (on the form): False."""
    if not form.is_valid():
        return False
    try:
        result = act(form.cleaned_data)
    except BadInput as exc:
        form.add_service_error(exc)
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True


# Indicators and breakdowns -------------------------------------------------------------


@dataclass(frozen=True)
class _Shared:
    """Indicators or breakdowns: what tells their pages apart. ``name`` is the keyword of
    one in the services and on its page; the pages are reporting/manage/<name>.html and
    <name>s.html, the list's URL reporting:<name>s."""

    name: str
    model: type[Indicator] | type[Disaggregation]
    new_form: type[ServiceForm]
    edit_form: type[ServiceForm]
    rows: Callable[[], Any]
    initial: Callable[[Any], dict]
    create: Callable[..., Any]
    update: Callable[..., Any]
    remove: Callable[..., Any]
    added: Promise
    changed: Promise

    @property
    def back(self) -> str:
        return f"reporting:{self.name}s"

    def template(self, suffix: str = "") -> str:
        return f"reporting/manage/{self.name}{suffix}.html"


_INDICATOR_FIELDS = (
    "name name_en value_type aggregation unit_of_measure formula disaggregation allow_negative"
    " min_value max_value parent_figure"
)
_INDICATORS = _Shared(
    name="indicator",
    model=Indicator,
    new_form=IndicatorForm,
    edit_form=IndicatorEditForm,
    rows=lambda: Indicator.objects.select_related("disaggregation"),
    initial=lambda found: {f: getattr(found, f) for f in _INDICATOR_FIELDS.split()},
    create=services.create_indicator,
    update=editing.update_indicator,
    remove=editing.delete_indicator,
    added=gettext_lazy("Đã thêm chỉ tiêu %(code)s."),
    changed=gettext_lazy("Đã sửa chỉ tiêu %(code)s."),
)
_DISAGGREGATIONS = _Shared(
    name="disaggregation",
    model=Disaggregation,
    new_form=DisaggregationForm,
    edit_form=DisaggregationEditForm,
    rows=lambda: Disaggregation.objects.prefetch_related("options").order_by("code"),
    initial=lambda found: {
        "name": found.name,
        "name_en": found.name_en,
        "options": "\n".join(f"{o.code}: {o.name}" for o in found.options.all()),
    },
    create=services.create_disaggregation,
    update=editing.update_disaggregation,
    remove=editing.delete_disaggregation,
    added=gettext_lazy("Đã thêm cách phân tổ %(code)s."),
    changed=gettext_lazy("Đã sửa cách phân tổ %(code)s."),
)
_SHARED = {spec.name: spec for spec in (_INDICATORS, _DISAGGREGATIONS)}


def _list(request, spec: _Shared):
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    form = spec.new_form(posted(request))
    if _saved(
        request,
        form,
        lambda data: spec.create(acting_user=request.user, **data),
        lambda created: spec.added % {"code": created.code},
    ):
        return redirect(spec.back)
    return render_form(request, spec.template("s"), {"form": form, "rows": spec.rows()})


def _edit(request, spec: _Shared, code: str):
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    found: Any = get_object_or_404(spec.model, code=code)
    form = spec.edit_form(posted(request), initial=spec.initial(found))
    if _saved(
        request,
        form,
        lambda data: spec.update(acting_user=request.user, **{spec.name: found}, **data),
        spec.changed % {"code": found.code},
    ):
        return redirect(spec.back)
    context = {"form": form, spec.name: found, "history": found.history.all()[:20]}
    return render_form(request, spec.template(), context)


@login_required
@require_http_methods(["GET", "POST"])
def indicators(request):
    """The list of indicators, and a new one."""
    return _list(request, _INDICATORS)


@login_required
@require_http_methods(["GET", "POST"])
def disaggregations(request):
    """The list of disaggregations with their options, and a new one."""
    return _list(request, _DISAGGREGATIONS)


@login_required
@require_http_methods(["GET", "POST"])
def indicator(request, code: str):
    """One indicator: change it, or delete it while nothing uses it."""
    return _edit(request, _INDICATORS, code)


@login_required
@require_http_methods(["GET", "POST"])
def disaggregation(request, code: str):
    """One breakdown: rename it, set its options, or delete it while no indicator uses it."""
    return _edit(request, _DISAGGREGATIONS, code)


@login_required
@require_POST
def delete(request, kind: str, code: str):
    """Delete an indicator or a breakdown that nothing uses; otherwise its page says what
    uses it (409) and nothing changes."""
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    spec = _SHARED[kind]
    found = get_object_or_404(spec.model, code=code)
    try:
        spec.remove(acting_user=request.user, **{spec.name: found})
    except BadInput as exc:
        context = {"form": spec.edit_form(), spec.name: found, "refusal": exc.message}
        return render(request, spec.template(), context, status=exc.status)
    messages.success(request, _("Đã xóa %(code)s.") % {"code": code})
    return redirect(spec.back)


# Forms -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create_form(request):
    """A new form, issued by a unit the user manages."""
    policy.require(request.user, policy.Action.CHANGE)
    form = ReportFormForm(posted(request))
    created: list[Form] = []

    def create(data: dict) -> Form:
        created.append(
            services.create_form(
                acting_user=request.user,
                code=data["code"],
                name=data["name"],
                owner=access.get_unit(request.user, data["owner"], policy.Action.CHANGE),
                period_type=data["period_type"],
                calendar=data["calendar"],
                deadline_days=data["deadline_days"],
                indicators=access.get_indicators(data["indicators"]),
                units=[access.get_unit(request.user, code) for code in data["units"]],
                kind=get_kind(data["kind"]) if data["kind"] else None,
                level=data["level"],
                valid_from=data["valid_from"],
                complete_only_if_valid=data["rules"] != "confirm",
            )
        )
        return created[0]

    if _saved(request, form, create, lambda made: _("Đã tạo biểu %(code)s.") % {"code": made.code}):
        return redirect("reporting:form", created[0].code)
    return render_form(request, "reporting/manage/form_create.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def form_detail(request, form_code: str):
    """A form's indicators with their dates and its rules, with the forms that change them."""
    found = access.get_form_to_change(request.user, form_code)
    return render(request, "reporting/manage/form.html", _form_page(found))


def _form_change(request, found: Form, form, key: str, act, done):
    """The shape of every change on a form's page: valid → service → message and back
    to the page; refused → the page again, the form with its errors, 400."""
    if _saved(request, form, act, done):
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


# A form's rules and sections -------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """A rule or a section, edited on its form's page: what tells the two apart.

    A new one's form has ``prefix`` and is ``key`` in the page's context; part 7's
    form has ``<prefix>_7`` and is ``<key>_7``."""

    model: type[ValidationRule] | type[FormSection]
    form_class: type[RuleForm] | type[SectionForm]
    prefix: str
    key: str
    initial: Callable[[Any, int], dict]  # (the part, its place on the page) → its form's
    add: Callable[[Any, Form, dict], Any]  # (user, form, data)
    update: Callable[[Any, Any, dict], Any]  # (user, part, data)
    remove: Callable[[Any, Any], Any]  # (user, part)
    added: Promise
    changed: Promise
    removed: Promise

    def rows(self, parts: list, forms: dict) -> list[tuple[Any, ServiceForm]]:
        """Each part with the form that edits it (the bound one after a refusal)."""
        return [
            (
                part,
                forms.pop(f"{self.key}_{part.pk}", None)
                or self.form_class(
                    prefix=f"{self.prefix}_{part.pk}", initial=self.initial(part, n)
                ),
            )
            for n, part in enumerate(parts, start=1)
        ]


_RULE_FIELDS = ("left", "operator", "right", "message")
_RULES = _Part(
    model=ValidationRule,
    form_class=RuleForm,
    prefix="quy_tac",
    key="rule_form",
    initial=lambda rule, _n: {f: getattr(rule, f) for f in _RULE_FIELDS},
    add=lambda user, form, data: services.add_rule(acting_user=user, form=form, **data),
    update=lambda user, rule, data: editing.update_rule(acting_user=user, rule=rule, **data),
    remove=lambda user, rule: editing.delete_rule(acting_user=user, rule=rule),
    added=gettext_lazy("Đã thêm quy tắc kiểm tra."),
    changed=gettext_lazy("Đã sửa quy tắc kiểm tra."),
    removed=gettext_lazy("Đã xóa quy tắc kiểm tra."),
)
_SECTIONS = _Part(
    model=FormSection,
    form_class=SectionForm,
    prefix="phan",
    key="section_form",
    initial=lambda section, n: {"title": section.title, "order": n},
    add=lambda user, form, data: editing.add_section(
        acting_user=user, form=form, title=data["title"]
    ),
    update=lambda user, section, data: editing.update_section(
        acting_user=user,
        section=section,
        title=data["title"],
        order=data["order"] or section.order + 1,
    ),
    remove=lambda user, section: editing.delete_section(acting_user=user, section=section),
    added=gettext_lazy("Đã thêm phần."),
    changed=gettext_lazy("Đã sửa phần."),
    removed=gettext_lazy("Đã xóa phần; các chỉ tiêu của nó vẫn ở trong biểu."),
)


def _add_part(request, form_code: str, spec: _Part):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        spec.form_class(request.POST, prefix=spec.prefix),
        spec.key,
        lambda data: spec.add(request.user, found, data),
        str(spec.added),
    )


def _change_part(request, form_code: str, pk: int, spec: _Part):
    """Edit a part (button "lưu") or delete it (button "xoa")."""
    found = access.get_form_to_change(request.user, form_code)
    part = get_object_or_404(spec.model, pk=pk, form=found)
    if "xoa" in request.POST:
        spec.remove(request.user, part)
        messages.success(request, str(spec.removed))
        return redirect("reporting:form", found.code)
    return _form_change(
        request,
        found,
        spec.form_class(request.POST, prefix=f"{spec.prefix}_{part.pk}"),
        f"{spec.key}_{part.pk}",
        lambda data: spec.update(request.user, part, data),
        str(spec.changed),
    )


@login_required
@require_POST
def add_rule(request, form_code: str):
    return _add_part(request, form_code, _RULES)


@login_required
@require_POST
def change_rule(request, form_code: str, rule_id: int):
    """Edit a rule (button "lưu") or delete it (button "xoa")."""
    return _change_part(request, form_code, rule_id, _RULES)


@login_required
@require_POST
def add_section(request, form_code: str):
    return _add_part(request, form_code, _SECTIONS)


@login_required
@require_POST
def change_section(request, form_code: str, section_id: int):
    """Rename or reorder a section (button "lưu"), or delete it (button "xoa")."""
    return _change_part(request, form_code, section_id, _SECTIONS)


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
        return editing.move_to_section(
            acting_user=request.user,
            form=found,
            indicator=_indicator(data["indicator"]),
            section=section,
        )

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


@login_required
@require_POST
def change_submission_rules(request, form_code: str):
    """Which indicators are compulsory, and whether failed rules refuse a submission."""
    found = access.get_form_to_change(request.user, form_code)
    current = [i.indicator for i in services.current_items(found) if not i.indicator.is_derived]
    return _form_change(
        request,
        found,
        SubmissionRulesForm(request.POST, prefix="dieu_kien", indicators=current),
        "rules_form",
        lambda data: services.set_submission_rules(
            acting_user=request.user,
            form=found,
            compulsory=[i for i in current if i.code in set(data["compulsory"])],
            complete_only_if_valid=data["rules"] == "block",
        ),
        _("Đã lưu điều kiện gửi báo cáo."),
    )


def _rules_form(form: Form) -> SubmissionRulesForm:
    current = [i for i in services.current_items(form) if not i.indicator.is_derived]
    return SubmissionRulesForm(
        prefix="dieu_kien",
        indicators=[i.indicator for i in current],
        initial={
            "compulsory": [i.indicator.code for i in current if i.is_compulsory],
            "rules": "block" if form.complete_only_if_valid else "confirm",
        },
    )


def _form_page(form: Form, **forms) -> dict:
    items = (
        FormIndicator.objects.filter(form=form)
        .select_related("indicator", "section")
        .order_by(F("section__order").asc(nulls_first=True), "order", "valid_from")
    )
    sections = list(form.sections.order_by("order", "id"))
    assignments = form.assignments.select_related("unit", "kind").order_by("valid_from", "id")
    return {
        "report": form,
        "items": items,
        "rule_rows": _RULES.rows(list(form.rules.order_by("id")), forms),
        "section_rows": _SECTIONS.rows(sections, forms),
        "assignments": assignments,
        "add_form": MembershipForm(prefix="them"),
        "remove_form": MembershipForm(prefix="bo"),
        "rule_form": RuleForm(prefix="quy_tac"),
        "section_form": SectionForm(prefix="phan"),
        "move_form": MoveForm(prefix="xep", sections=sections),
        "units_form": UnitsForm(prefix="don_vi"),
        "rules_form": _rules_form(form),
        **forms,
    }
