"""The data-entry pages: the list of reports, the entry grid, many units at once, decisions.

Each view: decorators → access (which asks accounts.policy) → form → service → render
or redirect. Values are written only by ``services.save_values`` (one cell, or a pasted
block, per call, from ``static/reporting/grid.js``); decisions only by the submission
services. The private helpers below only read, in a fixed number of queries per page,
so that a 60-indicator × 6-option form costs what a 3-indicator one does.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import access, derived, formulas, outlier_views, review, services, sources
from trienkhai.reporting import cells as rules
from trienkhai.reporting.forms import CommentForm, ListPeriodsForm, parse_cells
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    DataValueChange,
    DisaggregationOption,
    Form,
    FormIndicator,
    Indicator,
    Submission,
)
from trienkhai.reporting.periods import Calendar, Period, PeriodType, containing
from trienkhai.reporting.periods import parse as periods_parse
from trienkhai.reporting.review_views import CONFIRM
from trienkhai.vn import format_number, sort_key
from trienkhai.web.labels import local_name, unit_name

HISTORY_LIMIT = 200
KEEP_MARKED = "giu_nguyen"
"""The field of the send form: why cells marked to fix are sent again as they were."""


# The list of reports -------------------------------------------------------------------


@login_required
@require_GET
def form_list(request):
    """The reports the user may enter or review: per form and period one summary line
    ("40/42 đã gửi"), the units that wait for the user first, each with the action that
    fits its status; the periods of the picker (``ky``, in words) or the recent ones."""
    if not policy.can(request.user, policy.Action.VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    picker = ListPeriodsForm(request.GET or None)
    asked = picker.cleaned_data["ky"] if picker.is_bound and picker.is_valid() else None
    forms = list(Form.objects.select_related("owner").order_by("code"))
    groups = [
        _list_group(request.user, form, period)
        for form in forms
        for period in (
            _recent_periods(form, today) if asked is None else _periods_within(asked, form)
        )
    ]
    # What waits for the user first, then the latest periods, then the forms by name
    # (by code, a new form "bao-cao-thang" came after Vĩnh Thuận's 2020 reports).
    groups = sorted(
        (g for g in groups if g.rows),
        key=lambda g: (not g.waiting, -g.period.end.toordinal(), sort_key(local_name(g.form))),
    )
    names = queries.latest_versions(row.unit.pk for g in groups for row in g.rows)
    for group in groups:
        group.link_progress(request.user, names)
    context = {
        "groups": groups,
        "names": names,
        "picker": picker,
        "asked": asked,
        **_manage_links(request.user, forms),
    }
    status = 400 if picker.is_bound and picker.errors else 200
    return render(request, "reporting/list.html", context, status=status)


def _of_calendar(period: Period, form: Form) -> Period:
    return Period(period.year, period.type, period.number, Calendar(form.calendar))


MAX_LISTED_PERIODS = 40
"""Of one form, for one period asked: three years of months at most."""


def _periods_within(asked: list[Period], form: Form) -> list[Period]:
    """The form's periods that overlap the periods asked, in order: "Năm 2019–2021" or
    "2020" give a six-monthly form's halves, "quý III/2021" the half that holds it."""
    found: list[Period] = []
    for wanted in asked:
        if wanted.type == form.period_type:
            candidates = [_of_calendar(wanted, form)]
        else:
            period = containing(wanted.start, PeriodType(form.period_type), form.calendar)
            candidates = []
            while period.start <= wanted.end and len(candidates) < MAX_LISTED_PERIODS:
                candidates.append(period)
                period = period.next()
        found.extend(p for p in candidates if p not in found)
    return found


# The entry grid ------------------------------------------------------------------------


@login_required
@require_GET
def grid(request, form_code: str, unit_code: str, period_id: str):
    """A unit's report for a period: one row per indicator, one column per option."""
    form = access.get_form(request.user, form_code)
    unit = access.get_unit(request.user, unit_code)
    period = form.period(period_id)
    return render(request, "reporting/grid.html", _grid_page(request.user, form, unit, period))


@login_required
@require_POST
def save(request, form_code: str, unit_code: str, period_id: str):
    """Save one cell, or a pasted block (all or none): JSON in, JSON out."""
    try:
        form = access.get_form(request.user, form_code)
        unit = access.get_unit(request.user, unit_code, policy.Action.ENTER_DATA)
        cells = parse_cells(request.body)
        result = services.save_values(
            acting_user=request.user, form=form, unit=unit, period_id=period_id, cells=cells
        )
    except BadInput as exc:
        return JsonResponse(exc.to_screen_dict(), status=exc.status)
    except PermissionDenied as exc:
        message = str(exc) or _("Bạn không có quyền nhập số liệu cho đơn vị này.")
        return JsonResponse({"error": {"code": "forbidden", "message": message}}, status=403)
    return JsonResponse(_saved(form, unit, period_id, result))


@login_required
@require_GET
def history(request, form_code: str, unit_code: str, period_id: str):
    """Every change of one cell: who, when, old → new."""
    form = access.get_form(request.user, form_code)
    unit = access.get_unit(request.user, unit_code)
    period = form.period(period_id)
    item = _form_item(form, request.GET.get("chi_tieu", ""))
    option = request.GET.get("lua_chon", "")
    changes = DataValueChange.objects.filter(
        unit=unit, period=period.id, indicator=item.indicator, option=option
    ).select_related("changed_by")[:HISTORY_LIMIT]
    context = {
        "form": form,
        "unit": unit,
        "unit_name": unit.latest_version().name,
        "period": period,
        "indicator": item.indicator,
        "option": _option_name(item.indicator, option),
        "changes": changes,
    }
    return render(request, "reporting/history.html", context)


# Submission and approval ---------------------------------------------------------------


@login_required
@require_POST
def submit(request, form_code: str, unit_code: str, period_id: str):
    form = access.get_form(request.user, form_code)
    unit = access.get_unit(request.user, unit_code, policy.Action.ENTER_DATA)
    refused = _nothing_entered(form, unit, period_id) or _unconfirmed(request)
    if refused is not None:
        return _refused(request, form, unit, period_id, refused)
    try:
        services.submit(
            acting_user=request.user,
            form=form,
            unit=unit,
            period_id=period_id,
            comment=request.POST.get("giai_trinh", "")[:2000],
            keep_marked=request.POST.get(KEEP_MARKED, ""),
        )
    except BadInput as exc:
        return _refused(request, form, unit, period_id, exc)
    reviewer = review.reviewing_unit(unit)
    if reviewer is not None:
        shown = unit_name(reviewer, unit.reference_date())
        messages.success(request, _("Đã gửi báo cáo, chờ %(unit)s duyệt.") % {"unit": shown})
    else:
        messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
    return redirect("reporting:grid", form.code, unit.code, period_id)


def _unconfirmed(request: HttpRequest) -> BadInput | None:
    """Sending locks the report until the unit above decides: the screen asks a ticked
    confirmation that names the report, as approving and returning do (the browser
    checks the box, the server again). The API sends as asked."""
    if request.POST.get(CONFIRM):
        return None
    return BadInput("confirmation_required", _("Hãy đánh dấu ô xác nhận trước khi gửi báo cáo."))


def _nothing_entered(form: Form, unit: Unit, period_id: str) -> BadInput | None:
    """Sending locks the report: the screen refuses one with nothing entered at all (a
    click by mistake would lock an empty report). The API sends as asked."""
    if services.form_values(form, unit, form.period(period_id).id):
        return None
    return BadInput(
        "empty_report",
        "Báo cáo chưa có số liệu nào: hãy nhập rồi mới gửi / "
        "the report has no figures yet: enter them before sending it",
    )


@login_required
@require_POST
def unlock(request, form_code: str, unit_code: str, period_id: str):
    return _decide_with_comment(
        request,
        form_code,
        unit_code,
        period_id,
        services.unlock,
        "mo_khoa",
        "unlock_form",
        _("Đã mở khóa báo cáo: đơn vị có thể sửa và gửi lại."),
    )


def _decide_with_comment(request, form_code, unit_code, period_id, decide, prefix, form_key, done):
    """Unlock: a decision that needs a reason, then back to the grid. (Approve and return
    are on the approval screen: review_views.)"""
    form = access.get_form(request.user, form_code)
    unit = access.get_unit(request.user, unit_code)
    submission = _submission(form, unit, period_id)
    comment_form = CommentForm(request.POST, prefix=prefix)
    if comment_form.is_valid():
        try:
            decide(
                acting_user=request.user,
                submission=submission,
                comment=comment_form.cleaned_data["comment"],
            )
        except BadInput as exc:
            return _refused(request, form, unit, period_id, exc)
        messages.success(request, done)
        return redirect("reporting:grid", form.code, unit.code, period_id)
    return _refused(request, form, unit, period_id, None, **{form_key: comment_form})


# Many units at once --------------------------------------------------------------------


@login_required
@require_GET
def multi(request, form_code: str, period_id: str):
    """A manager enters one form for many units: rows = units, columns = cells."""
    form = access.get_form(request.user, form_code)
    period = form.period(period_id)
    units = policy.allowed(
        request.user, policy.Action.ENTER_DATA, services.expected_units(form, period)
    )
    if not units:
        raise PermissionDenied
    return render(request, "reporting/multi.html", _multi_page(form, units, period))


# Reads behind the pages ----------------------------------------------------------------


@dataclass
class ListRow:
    unit: Unit
    status: str
    status_label: str
    can_enter: bool
    can_decide: bool = False

    @property
    def action(self) -> str:
        """What the user does with the report: enter (or fix) it, review it, or read it."""
        if self.can_enter and self.status in ("draft", "returned"):
            return "fix" if self.status == "returned" else "enter"
        if self.can_decide and self.status == "submitted":
            return "review"
        return "view"

    @property
    def waits(self) -> bool:
        return self.action != "view"


@dataclass
class ListGroup:
    form: Form
    period: Period
    deadline: dt.date
    rows: list[ListRow]
    can_enter_many: bool = False
    progress_url: str = ""
    expected: int = 0
    """The units that report the form for the period, whether the user sees them or not:
    more than ``rows`` for a user who sees some of them only."""

    @property
    def sees_some(self) -> bool:
        return len(self.rows) < self.expected

    @property
    def sent(self) -> int:
        return sum(1 for r in self.rows if r.status in ("submitted", "approved"))

    @property
    def approved(self) -> int:
        return sum(1 for r in self.rows if r.status == "approved")

    @property
    def waiting(self) -> list[ListRow]:
        return [r for r in self.rows if r.waits]

    @property
    def others(self) -> list[ListRow]:
        return [r for r in self.rows if not r.waits]

    def link_progress(self, user, names: dict) -> None:
        """The completeness page of the unit the rows are under, if the user may see it."""
        parents = {
            names[r.unit.pk].parent_id
            for r in self.rows
            if r.unit.pk in names and names[r.unit.pk].parent_id
        }
        if len(parents) == 1:
            parent = Unit.objects.filter(pk=parents.pop()).first()
            if parent is not None and policy.can(user, policy.Action.VIEW, parent):
                self.progress_url = _optional_url(
                    "completeness:page", self.form.code, parent.code, self.period.id
                )


def _recent_periods(form: Form, today: dt.date) -> list[Period]:
    """This period and the one before, then the two latest with reports: a form whose
    units were reorganised away (Vĩnh Thuận's cells, gone with the district in 2025)
    still shows its last reports instead of an empty list."""
    # PeriodType(...): containing() compares the type by identity, so a plain str would
    # give a period whose id is written as a month's.
    current = containing(today, PeriodType(form.period_type), form.calendar)
    periods = [current, current.previous()]
    reported = (
        Submission.objects.filter(form=form, period__lte=current.id)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    for period_id in reported[:2]:
        if period_id not in {p.id for p in periods}:
            periods.append(periods_parse(period_id, form.calendar))
    return periods


def _list_group(user, form: Form, period: Period) -> ListGroup:
    expected = services.expected_units(form, period)
    visible = policy.allowed(user, policy.Action.VIEW, expected)
    entering = {u.pk for u in policy.allowed(user, policy.Action.ENTER_DATA, visible)}
    statuses = dict(
        Submission.objects.filter(form=form, period=period.id, unit__in=visible).values_list(
            "unit_id", "status"
        )
    )
    labels = dict(Submission.Status.choices)
    rows = []
    parents = {pk: v.parent_id for pk, v in queries.latest_versions(u.pk for u in visible).items()}
    above = Unit.objects.filter(pk__in={p for p in parents.values() if p})
    approving = {u.pk for u in policy.allowed(user, policy.Action.APPROVE, list(above))}
    deciding = {pk for pk, parent in parents.items() if parent in approving}
    for unit in visible:
        status = statuses.get(unit.pk, Submission.Status.DRAFT)
        label = _short(labels[status]) if unit.pk in statuses else _("Chưa nhập")
        rows.append(ListRow(unit, status, label, unit.pk in entering, unit.pk in deciding))
    return ListGroup(
        form, period, form.deadline(period), rows, len(entering) > 1, expected=len(expected)
    )


def _manage_links(user, forms: list[Form]) -> dict:
    """Which administration pages the list links to: only those the user may use."""
    owners = {u.pk for u in policy.allowed(user, policy.Action.CHANGE, {f.owner for f in forms})}
    return {
        "may_manage_indicators": policy.can(user, policy.Action.MANAGE_INDICATORS),
        "may_create_forms": policy.can(user, policy.Action.CHANGE),
        "managed_forms": [f for f in forms if f.owner_id in owners],
    }


def _short(label) -> str:
    """'Đã gửi / submitted' → 'Đã gửi': the status choices carry both languages."""
    return str(label).split(" / ")[0]


@dataclass
class GridCell:
    indicator: str
    option: str
    value: str = ""
    version: int = 0
    comment: str = ""
    previous: str = ""
    label: str = ""
    compulsory: bool = False
    mark: CellMark | None = None
    """The approver's open mark on the cell (to fix, or for follow-up), with its note."""
    option_name: str = ""
    """The option's name, shown above the input when the grid is one column (a phone)."""
    choices: list[tuple[str, str]] = field(default_factory=list)
    """A yes/no cell's choices (value as written, label), the empty one first: a select."""
    source: str = ""
    """A counted cell's note of where its figure comes from (no input: decision 0039)."""
    untouched: bool = False
    """Marked to fix at the last return and not changed since: asked about at sending."""
    fixed: bool = False
    """Marked to fix and its value changed since: "Đã sửa, chờ gửi lại" until it is sent."""


@dataclass
class GridRow:
    indicator: Indicator
    cells: list[GridCell]
    derived: str = ""
    derived_why: str = ""
    """Why a derived row has no value: the inputs to fill, or a division by zero."""
    derived_previous: str = ""
    formula: str = ""
    """A derived row's formula with the indicators' names (``formulas.spoken``)."""


@dataclass
class Block:
    """Consecutive rows of one section that share their columns (one disaggregation)."""

    section: str
    columns: list[tuple[str, str]]
    rows: list[GridRow] = field(default_factory=list)


def _form_items(
    form: Form, period: Period
) -> tuple[list[FormIndicator], dict[int, list[DisaggregationOption]]]:
    """The form's indicators during ``period``, in order, and the options of their
    disaggregations: two queries."""
    items = services.form_items(form, period)
    ids = {i.indicator.disaggregation_id for i in items if i.indicator.disaggregation_id}
    options: dict[int, list[DisaggregationOption]] = {}
    for option in DisaggregationOption.objects.filter(disaggregation_id__in=ids):
        options.setdefault(option.disaggregation_id, []).append(option)
    return items, options


def _form_item(form: Form, code: str) -> FormIndicator:
    # Any version of the form: a cell's history stays readable after the form changes.
    item = (
        FormIndicator.objects.filter(form=form, indicator__code=code)
        .select_related("indicator__disaggregation")
        .order_by("-valid_from")
        .first()
    )
    if item is None:
        raise NotFound("chỉ tiêu / indicator", code)
    return item


def _option_name(indicator: Indicator, code: str) -> str:
    if not code or indicator.disaggregation is None:
        return ""
    option = indicator.disaggregation.options.filter(code=code).first()
    return local_name(option) if option else code


def _formula_namer(
    items: list[FormIndicator], options: dict[int, list[DisaggregationOption]]
) -> formulas.Namer:
    """Names for the codes of the form's formulas, in the reader's language: the form's
    own indicators and options as read, any other indicator a formula names in one
    query (with its options in one more); an unknown code stays a code."""
    known = {i.indicator.code: i.indicator for i in items}
    wanted = {
        code
        for i in items
        if i.indicator.is_derived
        for code in _codes(i.indicator.formula)
        if code not in known
    }
    if wanted:
        others = list(Indicator.objects.filter(code__in=wanted))
        known.update((i.code, i) for i in others)
        ids = {i.disaggregation_id for i in others if i.disaggregation_id} - set(options)
        options = {**options}
        for option in DisaggregationOption.objects.filter(disaggregation_id__in=ids):
            options.setdefault(option.disaggregation_id, []).append(option)

    def name_of(code: str, option: str | None) -> str:
        indicator = known.get(code)
        if indicator is None:
            return code
        own = local_name(indicator)
        if option is None:
            return own
        chosen = next(
            (o for o in options.get(indicator.disaggregation_id or 0, []) if o.code == option),
            None,
        )
        return f"{own} – {local_name(chosen) if chosen else option}"

    return name_of


def _codes(formula: str) -> set[str]:
    try:
        return formulas.names(formula)
    except BadInput:
        return set()


def _shown(value: DataValue | None) -> str:
    return rules.shown(value.value_number, value.value_text, value.indicator) if value else ""


def _blocks(
    form: Form,
    period: Period,
    values: dict,
    previous: dict,
    marks: dict | None = None,
    counted: Callable[[list[FormIndicator], dict], dict] | None = None,
) -> list[Block]:
    """The grid's rows and columns; ``counted(items, options)`` gives the figures of the
    sourced indicators ((code, option) → number); without it their cells have none."""
    items, options = _form_items(form, period)
    marks = marks or {}
    figures = counted(items, options) if counted else {}
    blocks: list[Block] = []
    name_of: formulas.Namer | None = None
    others = derived.reachable(i.indicator for i in items)
    for item in items:
        indicator = item.indicator
        own = options.get(indicator.disaggregation_id or 0, [])
        columns = (
            [(o.code, local_name(o)) for o in own]
            if own and not indicator.is_derived
            else [("", _("Giá trị"))]
        )
        section = local_name(item.section) if item.section else ""
        if not blocks or blocks[-1].section != section or blocks[-1].columns != columns:
            blocks.append(Block(section, columns))
        row = GridRow(indicator, [])
        if indicator.is_derived:
            name_of = name_of or _formula_namer(items, options)
            now = derived.compute(indicator, values, others, figures)
            row.derived, row.derived_why = now.shown(indicator), now.why(name_of)
            row.derived_previous = derived.compute(indicator, previous, others).shown(indicator)
            row.formula = formulas.spoken(indicator.formula, name_of)
        else:
            for code, name in columns:
                value = values.get((indicator.code, code))
                cell = GridCell(
                    indicator.code,
                    code,
                    _shown(value),
                    value.version if value else 0,
                    value.comment if value else "",
                    _shown(previous.get((indicator.code, code))),
                    f"{local_name(indicator)} – {name}" if code else local_name(indicator),
                    item.is_compulsory,
                    marks.get((indicator.code, code)),
                    name if code else "",
                )
                row.cells.append(_kind_of(cell, indicator, figures))
        blocks[-1].rows.append(row)
    return blocks


def _kind_of(cell: GridCell, indicator: Indicator, figures: dict) -> GridCell:
    """A yes/no cell offers its two answers; a sourced cell shows the figure its source
    counts (if given) and where it comes from, and takes no input."""
    if indicator.source:
        figure = figures.get((cell.indicator, cell.option))
        cell.value = rules.shown(figure, "", indicator) if figure is not None else ""
        cell.source = sources.note(indicator.source)
    elif indicator.value_type == Indicator.ValueType.BOOLEAN:
        cell.choices = rules.yes_no_choices(indicator, cell.value)
    return cell


entry_blocks = _blocks
"""The rows and columns of a form's entry grid: the designer's preview draws them too."""


def _optional_url(name: str, *args) -> str:
    """The URL of a page another part of trienkhai may not provide yet; "" if it does not."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _grid_page(user, form: Form, unit: Unit, period: Period, **extra) -> dict:
    values = services.form_values(form, unit, period.id)
    previous = services.form_values(form, unit, period.previous().id)
    submission = (
        Submission.objects.filter(form=form, unit=unit, period=period.id)
        .select_related("submitted_by", "decided_by")
        .first()
    )
    version = unit.version_on(unit.reference_date())
    reviewer = review.reviewing_unit(unit)
    # Named only where the page says it waits for it (one query for its versions).
    waits = submission is not None and submission.status == Submission.Status.SUBMITTED
    reviewer_name = unit_name(reviewer, unit.reference_date()) if reviewer and waits else ""
    refusal = rules.grid_refusal(user, form, unit, period, submission, reviewer_name)
    status = submission.status if submission else Submission.Status.DRAFT
    download = _optional_url("reporting_files:download", form.code, unit.code, period.id)
    upload = _optional_url("reporting_files:upload", form.code, unit.code, period.id)
    ready = review.readiness(form, period, values)
    open_marks = review.open_marks(submission)
    marks = {(m.indicator.code, m.option): m for m in open_marks}
    blocks = _blocks(form, period, values, previous, marks, _counter(unit, period))
    states = review.fix_states(submission, open_marks)
    returned = submission is not None and submission.status == Submission.Status.RETURNED
    for cell in (c for b in blocks for r in b.rows for c in r.cells if c.mark):
        state = states.get(cell.mark.pk) if cell.mark else None
        cell.untouched = not refusal and returned and state == review.UNTOUCHED
        cell.fixed = state == review.FIXED
    # The progress page of the unit above, only to whom may see it (its view asks the
    # same): a reporter of a commune is not offered a link that answers 403.
    completeness = ""
    if reviewer is not None and policy.can(user, policy.Action.VIEW, reviewer):
        completeness = _optional_url("completeness:page", form.code, reviewer.code, period.id)
    return {
        "form": form,
        "unit": unit,
        "unit_name": version.name if version else unit.latest_version().name,
        "period": period,
        "previous_period": period.previous(),
        "deadline": form.deadline(period),
        # Late, as the desk says it: not sent and the deadline gone (only where the unit
        # enters this report: a read-only page states no duty).
        "overdue": not refusal
        and status in (Submission.Status.DRAFT, Submission.Status.RETURNED)
        and form.deadline(period) < timezone.localdate(),
        **_sent_on(submission, form.deadline(period)),
        "blocks": blocks,
        "failed": _rules(ready.failed_rules),
        "missing": ready.blocking,
        "marked": [c for b in blocks for r in b.rows for c in r.cells if c.mark],
        "has_untouched": any(c.untouched for b in blocks for r in b.rows for c in r.cells),
        "keep_name": KEEP_MARKED,
        "confirm_rules": not form.complete_only_if_valid,
        "has_compulsory": any(cell.compulsory for b in blocks for r in b.rows for cell in r.cells),
        "submission": submission,
        "js_text": _js_text(),
        "status": status,
        "status_label": _short(Submission.Status(status).label),
        "editable": not refusal,
        "read_only": bool(refusal),
        "refusal": refusal,
        "can_submit": not refusal,
        "confirm_name": CONFIRM,
        "can_decide": review.may_decide(user, unit),
        "reviewer_name": reviewer_name,
        "review_url": reverse("reporting:review", args=[form.code, unit.code, period.id])
        if submission is not None
        else "",
        "files_ready": bool(download and upload),
        "download_url": download,
        "upload_url": upload,
        "completeness_url": completeness,
        "unlock_form": CommentForm(prefix="mo_khoa"),
        **outlier_views.grid_context(form, unit, period),
        **extra,
    }


def _sent_on(submission: Submission | None, deadline: dt.date) -> dict:
    """When a sent report was first sent and how many days after its deadline (0: on
    time), as the progress page counts it (``first_submitted``); nothing for a report
    not sent, or sent back."""
    sent = Submission.Status.SUBMITTED, Submission.Status.APPROVED
    if submission is None or submission.first_submitted is None or submission.status not in sent:
        return {}
    day = timezone.localtime(submission.first_submitted).date()
    return {"sent_on": day, "days_late": max((day - deadline).days, 0)}


def _counter(unit: Unit, period: Period) -> Callable[[list[FormIndicator], dict], dict]:
    """The figures of a form's sourced indicators for the unit and period, as the engine
    counts them (analytics.engine._split_sourced): a few queries per source, none if
    the form has none."""

    def count(items: list[FormIndicator], options: dict) -> dict:
        indicators = [i.indicator for i in items if i.indicator.source]
        wanted = {
            i.code: [o.code for o in options.get(i.disaggregation_id or 0, [])] for i in indicators
        }
        return sources.count_one(indicators, unit.pk, period.start, period.end, wanted)

    return count


def _refused(
    request: HttpRequest, form: Form, unit: Unit, period_id: str, exc: BadInput | None, **forms
) -> HttpResponse:
    """The grid page again, with why the action was refused, and a 4xx status."""
    period = form.period(period_id)
    context = _grid_page(request.user, form, unit, period, action_error=exc, **forms)
    return render(request, "reporting/grid.html", context, status=exc.status if exc else 400)


def _submission(form: Form, unit: Unit, period_id: str) -> Submission:
    period = form.period(period_id)
    submission = Submission.objects.filter(form=form, unit=unit, period=period.id).first()
    if submission is None:
        raise NotFound("báo cáo / report", f"{form.code} {unit.code} {period.id}")
    return submission


def _saved(form: Form, unit: Unit, period_id: str, result: services.SaveResult) -> dict:
    """What the grid needs after a save: the cells as stored, the rules, the derived values."""
    values = services.form_values(form, unit, period_id)
    cells = []
    for (code, option), version in result.versions.items():
        value = values.get((code, option))
        cells.append(
            {
                "indicator": code,
                "option": option,
                "version": version,
                "value": _shown(value),
                "comment": value.comment if value else "",
            }
        )
    period = form.period(period_id)
    items, options = _form_items(form, period)
    rows = [i.indicator for i in items if i.indicator.is_derived]
    others = derived.reachable(i.indicator for i in items) if rows else {}
    figures = _counter(unit, period)(items, options) if rows else {}
    now = {i.code: derived.compute(i, values, others, figures) for i in rows}
    name_of = _formula_namer(items, options) if any(d.value is None for d in now.values()) else None
    # The saved cells marked to fix: fixed, or back to the value they were marked at.
    marks = list(
        CellMark.objects.filter(
            submission__form=form,
            submission__unit=unit,
            submission__period=period.id,
            kind=CellMark.Kind.FIX,
            resolved__isnull=True,
            indicator__code__in={code for code, _option in result.versions},
        ).select_related("indicator", "submission")
    )
    states = review.fix_states(marks[0].submission, marks) if marks else {}
    return {
        "saved": result.saved,
        "cells": cells,
        "marks": [
            {
                "indicator": m.indicator.code,
                "option": m.option,
                "fixed": states.get(m.pk) == review.FIXED,
            }
            for m in marks
            if (m.indicator.code, m.option) in result.versions
        ],
        "warnings": result.warnings,
        "failed": _rules(services.failed_rules(form, values)),
        "derived": {code: d.shown(others[code]) for code, d in now.items()},
        "derived_why": {code: d.why(name_of) for code, d in now.items() if name_of},
    }


@dataclass
class MultiRow:
    unit: Unit
    name: str
    status: str
    status_label: str
    editable: bool
    cells: list[GridCell]


def _multi_page(form: Form, units: list[Unit], period: Period) -> dict:
    items, options = _form_items(form, period)
    columns = []
    for item in items:
        indicator = item.indicator
        if indicator.is_derived:
            continue
        own = options.get(indicator.disaggregation_id or 0, [])
        for code, name in [(o.code, local_name(o)) for o in own] or [("", "")]:
            columns.append((indicator, code, name))
    values = {
        (v.unit_id, v.indicator.code, v.option): v
        for v in DataValue.objects.filter(
            unit__in=units, period=period.id, indicator__in=[c[0] for c in columns]
        ).select_related("indicator")
    }
    statuses = dict(
        Submission.objects.filter(form=form, period=period.id, unit__in=units).values_list(
            "unit_id", "status"
        )
    )
    names = queries.latest_versions(u.pk for u in units)
    open_now = rules.is_open(form, period)
    rows = []
    for unit in units:
        status = statuses.get(unit.pk, Submission.Status.DRAFT)
        cells = []
        for indicator, code, option_name in columns:
            value = values.get((unit.pk, indicator.code, code))
            label = f"{unit.code} – {local_name(indicator)}" + (f" – {option_name}" if code else "")
            cell = GridCell(
                indicator.code,
                code,
                _shown(value),
                value.version if value else 0,
                value.comment if value else "",
                label=label,
            )
            # Counted cells show their note only: a count per unit would cost queries per row.
            cells.append(_kind_of(cell, indicator, {}))
        locked = rules.is_locked(status)
        name = names[unit.pk].name if unit.pk in names else unit.code
        label = _short(Submission.Status(status).label)
        rows.append(MultiRow(unit, name, status, label, open_now and not locked, cells))
    return {
        "form": form,
        "period": period,
        "deadline": form.deadline(period),
        "columns": columns,
        "rows": rows,
        "open_now": open_now,
        "js_text": _js_text(),
    }


def _rules(failed: list[dict]) -> list[dict]:
    """The failing rules with their two sides written as Vietnamese numbers."""

    def number(text: str) -> str:
        value = Decimal(text).quantize(Decimal("0.01")).normalize()
        decimals = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
        return format_number(value, decimals)

    return [{**f, "left": number(f["left"]), "right": number(f["right"])} for f in failed]


def _js_text() -> dict[str, str]:
    """The words grid.js shows, translated here so that the script has none of its own."""
    return {
        "saving": _("Đang lưu…"),
        "saved": _("Đã lưu"),
        "stale": _("Người khác vừa sửa ô này: hãy tải lại trang."),
        "failed": _("Chưa lưu được"),
        "offline": _("Không kết nối được máy chủ: chưa lưu."),
        "comment_for": _("Ghi chú cho ô"),
        "history_for": _("Lịch sử ô"),
        "rules": _("Quy tắc kiểm tra chưa đạt"),
        # A failing rule's two sides; "%(left)s", "%(right)s" are the script's to fill.
        "versus": _("%(left)s so với %(right)s"),
        "compulsory_empty": _("ô bắt buộc chưa nhập"),
        "refused": _("giá trị chưa lưu được, hãy sửa"),
        "to_fix": _("ô cần nhập hoặc sửa"),
        # The count is the script's: both forms, "%(n)s" left for it to fill.
        "to_fix_one": ngettext("%(n)s ô cần nhập hoặc sửa:", "%(n)s ô cần nhập hoặc sửa:", 1),
        "to_fix_many": ngettext("%(n)s ô cần nhập hoặc sửa:", "%(n)s ô cần nhập hoặc sửa:", 2),
        # Asked before sending; "%(cell)s", "%(value)s", "%(why)s" are the script's to fill.
        "mark_untouched": _("Ô “%(cell)s” được đánh dấu khi trả lại chưa được sửa."),
        "mark_open": _("Cần sửa"),
        "mark_fixed": _("Đã sửa, chờ gửi lại"),
        "outlier_unexplained": _("“%(cell)s” = %(value)s: %(why)s, chưa giải trình."),
    }
