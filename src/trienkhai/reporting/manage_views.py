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

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.forms import ChoiceField, IntegerField
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import access, designer, editing, services
from trienkhai.reporting.forms import (
    PERIOD_TYPE_CHOICES,
    DisaggregationEditForm,
    DisaggregationForm,
    FormSettingsForm,
    IndicatorEditForm,
    IndicatorForm,
    MembershipForm,
    MoveForm,
    NewSectionForm,
    ReportFormForm,
    ReportingUnitsForm,
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
from trienkhai.reporting.periods import Calendar, PeriodType, cadence, containing
from trienkhai.reporting.services import expected_codes
from trienkhai.reporting.views import entry_blocks
from trienkhai.vn import fold, sort_key
from trienkhai.web import labels
from trienkhai.web.forms import ServiceForm, UnitField, for_user, posted, render_form


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


def _confirm(request, *, question: str, consequence: str, button: str, back: str, carry: dict):
    """The page that asks before an act that cannot be undone (issue 14 item 7): the same
    post again with ``xac_nhan=1``, or back. Nothing has changed yet."""
    context = {
        "question": question,
        "consequence": consequence,
        "button": button,
        "back": back,
        "action": request.path,
        "carry": carry,
    }
    return render(request, "reporting/manage/confirm.html", context)


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
    added=gettext_lazy("Đã thêm chỉ tiêu “%(name)s”."),
    changed=gettext_lazy("Đã sửa chỉ tiêu “%(name)s”."),
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
    added=gettext_lazy("Đã thêm cách phân tổ “%(name)s”."),
    changed=gettext_lazy("Đã sửa cách phân tổ “%(name)s”."),
)
_SHARED = {spec.name: spec for spec in (_INDICATORS, _DISAGGREGATIONS)}


def _list(request, spec: _Shared):
    policy.require(request.user, policy.Action.MANAGE_INDICATORS)
    form = spec.new_form(posted(request))
    if _saved(
        request,
        form,
        lambda data: spec.create(acting_user=request.user, **data),
        lambda created: spec.added % {"name": created.name},
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
        spec.changed % {"name": found.name},
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
    found: Any = get_object_or_404(spec.model, code=code)
    if not request.POST.get("xac_nhan"):
        return _confirm(
            request,
            question=_("Xóa “%(name)s”?") % {"name": found.name},
            consequence=_(
                "Chỉ xóa được khi không biểu, số liệu, công thức hay quy tắc nào dùng nó; "
                "đã xóa thì không khôi phục được."
            ),
            button=_("Xóa"),
            back=reverse(f"reporting:{spec.name}", args=[code]),
            carry={},
        )
    try:
        spec.remove(acting_user=request.user, **{spec.name: found})
    except BadInput as exc:
        context = {"form": spec.edit_form(), spec.name: found, "refusal": exc.shown}
        return render(request, spec.template(), context, status=exc.status)
    messages.success(request, _("Đã xóa “%(name)s”.") % {"name": found.name})
    return redirect(spec.back)


# The index of the administration pages ------------------------------------------------


@login_required
@require_GET
def index(request):
    """/bao-cao/quan-tri/: the administration pages in words, each with what it holds,
    for whoever may manage forms (CHANGE somewhere) or the shared definitions."""
    may_indicators = policy.can(request.user, policy.Action.MANAGE_INDICATORS)
    if not (may_indicators or policy.can(request.user, policy.Action.CHANGE)):
        raise PermissionDenied
    forms = list(Form.objects.select_related("owner").order_by("name"))
    owners = {
        u.pk for u in policy.allowed(request.user, policy.Action.CHANGE, {f.owner for f in forms})
    }
    managed = [f for f in forms if f.owner_id in owners]
    names = queries.latest_versions(f.owner_id for f in managed)
    context = {
        "forms": [
            (
                f,
                names[f.owner_id].name if f.owner_id in names else f.owner.code,
                cadence(f.period_type),
            )
            for f in managed
        ],
        "may_manage_indicators": may_indicators,
        "indicator_count": Indicator.objects.count(),
        "disaggregation_count": Disaggregation.objects.count(),
        "rule_count": ValidationRule.objects.filter(form__in=managed).count(),
    }
    return render(request, "reporting/manage/index.html", context)


# Forms -----------------------------------------------------------------------------------


def _reporting_units(request, form: ReportingUnitsForm) -> tuple[list[Unit], list[UnitKind]]:
    """The units chosen one by one (each one the user may view: 403 otherwise) and the
    kinds chosen, from a valid ``form``."""
    units = [access.get_unit(request.user, u.code) for u in form.chosen]
    return units, list(form.cleaned_data["kind"])


@login_required
@require_http_methods(["GET", "POST"])
def create_form(request):
    """A new form, issued by a unit the user manages, set up by names: the owner from the
    unit picker, indicators from a list, reporting units by kind, level or one by one.
    An owner that has ended, or no reporting unit, is said before anything is made, and
    made only once the person confirms."""
    policy.require(request.user, policy.Action.CHANGE)
    rows = designer.indicator_rows()
    initial = {"valid_from": timezone.localdate(), "deadline_days": 10}
    form = for_user(ReportFormForm(posted(request), indicators=rows, initial=initial), request.user)
    created: list[Form] = []
    said: list[str] = []
    count: int | None = None

    def create(data: dict) -> Form:
        nonlocal count
        owner = access.get_unit(request.user, data["owner"].code, policy.Action.CHANGE)
        units, kinds = _reporting_units(request, form)
        day = designer.counting_day(owner, data["valid_from"])
        count = len(
            designer.reporting_unit_ids(
                owner, units=units, kinds=kinds, level=data["level"], day=day
            )
        )
        said.extend(designer.warnings(owner, count))
        said.extend(_past_due(data, count, owner))
        if said and not data["confirm"]:
            raise BadInput(
                "unconfirmed",
                _("Đọc các cảnh báo trên; nếu vẫn muốn tạo biểu, đánh dấu ô xác nhận rồi gửi lại."),
            )
        created.append(
            services.create_form(
                acting_user=request.user,
                code=data["code"],
                name=data["name"],
                owner=owner,
                period_type=data["period_type"],
                calendar=data["calendar"],
                deadline_days=data["deadline_days"],
                indicators=access.get_indicators(data["indicators"]),
                units=units,
                kinds=kinds,
                level=data["level"],
                valid_from=data["valid_from"],
                complete_only_if_valid=data["rules"] != "confirm",
            )
        )
        return created[0]

    if _saved(
        request,
        form,
        create,
        lambda made: (
            _("Đã tạo biểu “%(name)s”, mã %(code)s.") % {"name": made.name, "code": made.code}
        ),
    ):
        return redirect("reporting:form", created[0].code)
    chosen = set(request.POST.getlist("indicators")) if form.is_bound else set()
    ordered = _ordered(rows, request.POST.getlist("indicators") if form.is_bound else [])
    context = {
        "form": form,
        # Typed (or computed) indicators, then those counted from the registers apart.
        "indicator_rows": [r for r in ordered if not r.is_counted],
        "counted_rows": [r for r in ordered if r.is_counted],
        "chosen": chosen,
        "warnings": said,
        "count_text": designer.count_text(count or 0),
        "live_warnings": [],
    }
    return render_form(request, "reporting/manage/form_create.html", context)


def _ordered(rows: list, chosen: list[str]) -> list:
    """The chosen indicators first, in the order chosen, then the others by name."""
    by_code = {r.code: r for r in rows}
    first = [by_code[c] for c in dict.fromkeys(chosen) if c in by_code]
    return first + [r for r in rows if r.code not in set(chosen)]


def _past_due(data: dict, count: int, owner: Unit) -> list[str]:
    """The warning that a start day in the past makes its periods overdue at once (the
    desk then lists every unit late for them), when a unit reports and the period type,
    calendar, deadline and start day are known."""
    fields = ("period_type", "calendar", "deadline_days", "valid_from")
    if not count or any(data.get(name) in (None, "") for name in fields):
        return []
    return designer.past_warning(
        designer.past_periods(
            data["period_type"],
            data["calendar"],
            data["deadline_days"],
            data["valid_from"],
            owner.valid_to,
        )
    )


class _CountForm(ReportingUnitsForm):
    owner = UnitField(label=gettext_lazy("Đơn vị ban hành"))
    # For the warning of periods overdue at once, as the create page is filled in.
    period_type = ChoiceField(choices=PERIOD_TYPE_CHOICES, required=False)
    calendar = ChoiceField(choices=[(c.value, c.value) for c in Calendar], required=False)
    deadline_days = IntegerField(min_value=0, max_value=366, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].required = False


@login_required
@require_GET
def count_units(request):
    """JSON for the designer's "n đơn vị báo cáo": how many units a choice of units, kind
    and level under an owner the user manages makes report, and the warnings the page
    would give. ?owner=&units=&unit=&kind=&level=&valid_from= as the page's fields."""
    form = for_user(_CountForm(request.GET), request.user)
    if not form.is_valid():
        message = next(iter(e for errors in form.errors.values() for e in errors))
        return JsonResponse({"error": {"code": "invalid_input", "message": message}}, status=400)
    try:
        owner = access.get_unit(request.user, form.cleaned_data["owner"].code, policy.Action.CHANGE)
        units, kinds = _reporting_units(request, form)
    except PermissionDenied:
        message = _("Bạn không có quyền thực hiện thao tác này.")
        return JsonResponse({"error": {"code": "forbidden", "message": message}}, status=403)
    day = designer.counting_day(owner, form.cleaned_data["valid_from"])
    ids = designer.reporting_unit_ids(
        owner, units=units, kinds=kinds, level=form.cleaned_data["level"], day=day
    )
    said = designer.warnings(owner, len(ids)) + _past_due(form.cleaned_data, len(ids), owner)
    if not ids and kinds:
        # "Xã" under a provincial committee finds none: its communes' bodies are "Cấp
        # ủy, đảng ủy". Say what is there.
        present = designer.kinds_present(owner, form.cleaned_data["level"], day)
        said.insert(
            0,
            _("Không có đơn vị loại “%(kind)s” ở đây. Các loại có: %(present)s.")
            % {
                "kind": "; ".join(labels.local_name(k) for k in kinds),
                "present": present or "—",
            },
        )
    return JsonResponse(
        {
            "count": len(ids),
            "text": designer.count_text(len(ids)),
            "names": designer.unit_names(ids),
            "warnings": said,
        }
    )


@login_required
@require_http_methods(["GET"])
def form_detail(request, form_code: str):
    """A form's indicators with their dates and its rules, with the forms that change them."""
    found = access.get_form_to_change(request.user, form_code)
    return render(request, "reporting/manage/form.html", _form_page(found, user=request.user))


@login_required
@require_GET
def preview(request, form_code: str):
    """The entry grid of the form as a reporting unit will see it for a period, read-only,
    with nothing in it: to look at before the units start. The period is ``?ky=2027Q1``,
    else the one containing today, or the form's first while it is still to start; the
    page links the periods before and after, back to the form's first."""
    found = access.get_form_to_change(request.user, form_code)
    if request.GET.get("ky"):
        period = found.period(request.GET["ky"])  # BadInput (400) if not one of the form's
    else:
        period = containing(
            designer.showing_day(found), PeriodType(found.period_type), found.calendar
        )
    first = designer.first_day(found)
    context = {
        "report": found,
        "period": period,
        "previous": period.previous() if first is None or period.start > first else None,
        "next": period.next(),
        "blocks": entry_blocks(found, period, {}, {}),
    }
    return render(request, "reporting/manage/preview.html", context)


@login_required
@require_POST
def reorder(request, form_code: str):
    """Save the order of the form's sections and indicators set on its page (with the
    mouse or the buttons "lên"/"xuống"); a button pressed without the page's script
    (``di=len:<row>``) moves one row and saves at once."""
    found = access.get_form_to_change(request.user, form_code)
    tokens = request.POST.getlist("thu_tu")
    move = request.POST.get("di", "")
    if move:
        tokens = designer.moved(tokens, move)
    try:
        layout = designer.read_layout(found, tokens)
        editing.reorder_form(acting_user=request.user, form=found, layout=layout)
    except BadInput as exc:
        context = _form_page(found, user=request.user, layout_error=exc.shown)
        return render(request, "reporting/manage/form.html", context, status=exc.status)
    messages.success(request, _("Đã lưu thứ tự các phần và chỉ tiêu."))
    return redirect(reverse("reporting:form", args=[found.code]) + "#thu-tu")


def _form_change(request, found: Form, form, key: str, act, done):
    """The shape of every change on a form's page: valid → service → message and back
    to the page; refused → the page again, the form with its errors, 400."""
    if _saved(request, form, act, done):
        return redirect("reporting:form", found.code)
    context = _form_page(found, user=request.user, **{key: form})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reporting/manage/form.html", context, status=status)


def _items(form: Form) -> list[FormIndicator]:
    """The form's indicators as its page shows them: today's, or those of its first day
    while the form is still to start (``designer.showing_day``)."""
    return services.current_items(form, designer.showing_day(form))


def _current(form: Form) -> list[Indicator]:
    return [i.indicator for i in _items(form)]


def _placed(form: Form) -> list[tuple[Indicator, FormSection | None]]:
    """The form's indicators on its page's day in the grid's order, each with its section."""
    return [
        (item.indicator, section)
        for section, items in services.current_layout(form, designer.showing_day(form))
        for item in items
    ]


def _addable(form: Form) -> list[Indicator]:
    """The indicators not in the form on its page's day, by name."""
    current = {i.pk for i in _current(form)}
    return sorted(
        (i for i in Indicator.objects.all() if i.pk not in current),
        key=lambda i: sort_key(i.name),
    )


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
        MembershipForm(request.POST, prefix="them", indicators=_addable(found)),
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
        MembershipForm(request.POST, prefix="bo", indicators=_current(found)),
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

    A new one's form (``new_form``) has ``prefix`` and is ``key`` in the page's
    context; part 7's form has ``<prefix>_7`` and is ``<key>_7``."""

    model: type[ValidationRule] | type[FormSection]
    form_class: type[RuleForm] | type[SectionForm]
    new_form: Callable[[Form, Any], ServiceForm]  # (the form, the post or None)
    prefix: str
    key: str
    initial: Callable[[Any, int], dict]  # (the part, its place on the page) → its form's
    add: Callable[[Any, Form, dict], Any]  # (user, form, data)
    update: Callable[[Any, Any, dict], Any]  # (user, part, data)
    remove: Callable[[Any, Any], Any]  # (user, part)
    added: Promise
    changed: Promise
    removed: Promise
    confirm: Promise  # "Xóa … “%(what)s”?"
    consequence: Promise
    delete_button: Promise

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


def _named_sides(form: Form, data: dict) -> dict:
    """A rule's sides as the formula language writes them: a side typed as the name of
    one of the form's indicators ("Số lớp đã mở", accents optional) is its code."""
    by_name: dict[str, str] = {}
    for item in FormIndicator.objects.filter(form=form).select_related("indicator"):
        for name in (item.indicator.name, item.indicator.name_en):
            if name:
                by_name.setdefault(fold(name), item.indicator.code)
    return {
        **data,
        **{
            side: by_name.get(fold(data[side]), data[side])
            for side in ("left", "right")
            if side in data
        },
    }


_RULES = _Part(
    model=ValidationRule,
    form_class=RuleForm,
    new_form=lambda _form, data: RuleForm(data, prefix="quy_tac"),
    prefix="quy_tac",
    key="rule_form",
    initial=lambda rule, _n: {f: getattr(rule, f) for f in _RULE_FIELDS},
    add=lambda user, form, data: services.add_rule(
        acting_user=user, form=form, **_named_sides(form, data)
    ),
    update=lambda user, rule, data: editing.update_rule(
        acting_user=user, rule=rule, **_named_sides(rule.form, data)
    ),
    remove=lambda user, rule: editing.delete_rule(acting_user=user, rule=rule),
    added=gettext_lazy("Đã thêm quy tắc kiểm tra."),
    changed=gettext_lazy("Đã sửa quy tắc kiểm tra."),
    removed=gettext_lazy("Đã xóa quy tắc kiểm tra."),
    confirm=gettext_lazy("Xóa quy tắc kiểm tra “%(what)s”?"),
    consequence=gettext_lazy(
        "Quy tắc bị xóa không khôi phục được; các báo cáo sau đó không được kiểm tra theo quy tắc này."
    ),
    delete_button=gettext_lazy("Xóa quy tắc"),
)
_SECTIONS = _Part(
    model=FormSection,
    form_class=SectionForm,
    new_form=lambda form, data: NewSectionForm(data, prefix="phan", placed=_placed(form)),
    prefix="phan",
    key="section_form",
    initial=lambda section, n: {"title": section.title, "title_en": section.title_en, "order": n},
    add=lambda user, form, data: editing.add_section(
        acting_user=user,
        form=form,
        title=data["title"],
        title_en=data["title_en"],
        before=_indicator(data["before"]) if data["before"] else None,
        on=designer.showing_day(form),
    ),
    update=lambda user, section, data: editing.update_section(
        acting_user=user,
        section=section,
        title=data["title"],
        title_en=data["title_en"],
        order=data["order"] or section.order + 1,
    ),
    remove=lambda user, section: editing.delete_section(acting_user=user, section=section),
    added=gettext_lazy("Đã thêm phần."),
    changed=gettext_lazy("Đã sửa phần."),
    removed=gettext_lazy("Đã xóa phần; các chỉ tiêu của nó vẫn ở trong biểu."),
    confirm=gettext_lazy("Xóa phần “%(what)s”?"),
    consequence=gettext_lazy(
        "Phần bị xóa không khôi phục được; các chỉ tiêu của nó vẫn ở trong biểu, ngoài các phần."
    ),
    delete_button=gettext_lazy("Xóa phần"),
)


def _add_part(request, form_code: str, spec: _Part):
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        spec.new_form(found, request.POST),
        spec.key,
        lambda data: spec.add(request.user, found, data),
        str(spec.added),
    )


def _change_part(request, form_code: str, pk: int, spec: _Part):
    """Edit a part (button "lưu") or delete it (button "xoa")."""
    found = access.get_form_to_change(request.user, form_code)
    part = get_object_or_404(spec.model, pk=pk, form=found)
    if "xoa" in request.POST:
        if not request.POST.get("xac_nhan"):
            return _confirm(
                request,
                question=spec.confirm % {"what": str(part)},
                consequence=str(spec.consequence),
                button=str(spec.delete_button),
                back=reverse("reporting:form", args=[found.code]),
                carry={"xoa": "1"},
            )
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
    """Several indicators, ticked, into one section (or out of the sections) at once."""
    found = access.get_form_to_change(request.user, form_code)
    sections = list(found.sections.all())

    def move(data):
        section = next((s for s in sections if s.pk == data["section"]), None)
        if data["section"] is not None and section is None:
            raise BadInput(
                "unknown_section", "Phần này không thuộc biểu / not a section of this form"
            )
        editing.move_to_section(
            acting_user=request.user,
            form=found,
            indicators=access.get_indicators(data["indicators"]),
            section=section,
        )
        return len(data["indicators"])

    return _form_change(
        request,
        found,
        MoveForm(request.POST, prefix="xep", sections=sections, placed=_placed(found)),
        "move_form",
        move,
        lambda moved: (
            ngettext(
                "Đã chuyển %(n)d chỉ tiêu sang phần đã chọn.",
                "Đã chuyển %(n)d chỉ tiêu sang phần đã chọn.",
                moved,
            )
            % {"n": moved}
        ),
    )


@login_required
@require_POST
def change_units(request, form_code: str):
    """Who reports the form from a day on; earlier periods keep their units."""
    found = access.get_form_to_change(request.user, form_code)
    form = for_user(UnitsForm(request.POST, prefix="don_vi"), request.user)

    def change(data):
        units, kinds = _reporting_units(request, form)
        editing.set_units(
            acting_user=request.user,
            form=found,
            units=units,
            kinds=kinds,
            level=data["level"],
            valid_from=data["valid_from"],
        )

    return _form_change(
        request,
        found,
        form,
        "units_form",
        change,
        _("Đã đổi đơn vị báo cáo từ ngày đã chọn; các kỳ trước giữ đơn vị cũ."),
    )


@login_required
@require_POST
def change_submission_rules(request, form_code: str):
    """Which indicators are compulsory, and whether failed rules refuse a submission."""
    found = access.get_form_to_change(request.user, form_code)
    current = [i.indicator for i in _items(found) if i.indicator.is_entered]
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


@login_required
@require_POST
def change_form(request, form_code: str):
    """A form's name, period, calendar and deadline."""
    found = access.get_form_to_change(request.user, form_code)
    return _form_change(
        request,
        found,
        FormSettingsForm(request.POST, prefix="bieu"),
        "settings_form",
        lambda data: services.change_form(acting_user=request.user, form=found, **data),
        _("Đã lưu tên, kỳ và hạn gửi của biểu."),
    )


def _settings_form(form: Form) -> FormSettingsForm:
    fields = ("name", "name_en", "period_type", "calendar", "deadline_days")
    return FormSettingsForm(prefix="bieu", initial={f: getattr(form, f) for f in fields})


def _rules_form(form: Form) -> SubmissionRulesForm:
    current = [i for i in _items(form) if i.indicator.is_entered]
    return SubmissionRulesForm(
        prefix="dieu_kien",
        indicators=[i.indicator for i in current],
        initial={
            "compulsory": [i.indicator.code for i in current if i.is_compulsory],
            "rules": "block" if form.complete_only_if_valid else "confirm",
        },
    )


def _units_now(assignments, day: dt.date, valid_from: dt.date) -> dict:
    """The units form's fields as the form's assignments stand on ``day``."""
    now = [a for a in assignments if a.is_valid_on(day)]
    rules = [a for a in now if a.unit_id is None]
    return {
        "valid_from": valid_from,
        "units": [a.unit.code for a in now if a.unit_id is not None],
        "kind": [a.kind.code for a in rules if a.kind is not None],
        # Rows made together share their level; of rows made otherwise, the first's.
        "level": rules[0].level if rules else None,
    }


def _form_page(form: Form, *, user, layout_error: str = "", **forms) -> dict:
    items = (
        FormIndicator.objects.filter(form=form)
        .select_related("indicator", "section")
        .order_by(F("section__order").asc(nulls_first=True), "order", "valid_from")
    )
    sections = list(form.sections.order_by("order", "id"))
    assignments = list(form.assignments.select_related("unit", "kind").order_by("valid_from", "id"))
    names = queries.latest_versions([form.owner_id, *(a.unit_id for a in assignments if a.unit_id)])
    # A form still to start is counted as of its first period, not today's (when nobody
    # reports it yet): what it will be, with the day it starts said beside the count.
    shown = designer.showing_day(form)
    day = designer.counting_day(form.owner, shown)
    period = containing(day, PeriodType(form.period_type), form.calendar)
    current = expected_codes(form, period)
    return {
        "report": form,
        "owner_name": names[form.owner_id].name if form.owner_id in names else form.owner.code,
        "cadence": cadence(form.period_type),
        "items": items,
        "layout": designer.layout_rows(form),
        "layout_error": layout_error,
        "rule_rows": _RULES.rows(list(form.rules.order_by("id")), forms),
        "section_rows": _SECTIONS.rows(sections, forms),
        "assignments": [
            (a, designer.who_reports(a, names[a.unit_id].name if a.unit_id in names else ""))
            for a in assignments
        ],
        "count_text": designer.count_text(len(current)),
        "starts": shown if shown > timezone.localdate() else None,
        # The period counted: today's, the form's first while it is to start, or the
        # owner's last once it has ended (said by name: "trong kỳ này" was then wrong).
        "counted_period": period,
        "is_this_period": period.contains(timezone.localdate()),
        "warnings": designer.warnings(form.owner, len(current)),
        "add_form": MembershipForm(prefix="them", indicators=_addable(form)),
        "remove_form": MembershipForm(prefix="bo", indicators=_current(form)),
        "rule_form": _RULES.new_form(form, None),
        "section_form": _SECTIONS.new_form(form, None),
        "move_form": MoveForm(prefix="xep", sections=sections, placed=_placed(form)),
        # Starts from who reports today, so that its count says what changes.
        "units_form": for_user(
            UnitsForm(prefix="don_vi", initial=_units_now(assignments, day, shown)), user
        ),
        "rules_form": _rules_form(form),
        "settings_form": _settings_form(form),
        **forms,
    }
