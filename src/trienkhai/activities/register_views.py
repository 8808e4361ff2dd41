"""The registers' pages under /hoat-dong/, beside the events: members' pledge lists
(/tu-duong/), the organisation's official channels (/kenh/) and inspection and
supervision (/kiem-tra/) (issue 16 items 3–5; decisions 0040, 0041).

Each view: decorators → access (which asks accounts.policy) → form → service → render
or redirect. Names of people (members on a pledge list, an inspection team) need
CHANGE on their unit; who may only VIEW sees counts. A file is read and parsed before
the service opens its transaction; a bad row refuses the whole file, nothing saved.
Nothing here opens a channel's address (decision 0041).
"""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai import vn
from trienkhai.accounts import policy
from trienkhai.activities import access, channels, inspections, pledges, tables
from trienkhai.activities.models import InspectionPlan, PledgeList
from trienkhai.activities.register_forms import (
    ChannelForm,
    ConclusionForm,
    FollowUpForm,
    InspectionForm,
    PlanForm,
    PledgeUploadForm,
    PostCountForm,
    PostCountUploadForm,
    UnitYearFilter,
)
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.access import default_unit, read_upload, require_some
from trienkhai.orgs.models import Unit
from trienkhai.reporting import periods
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.forms import for_user, posted, render_form
from trienkhai.web.labels import is_english
from trienkhai.web.templatetags.vn import period_words

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLEDGE_COLUMNS = {
    "name": gettext_lazy("Họ và tên"),
    "position": gettext_lazy("Chức vụ"),
    "unit": gettext_lazy("Đơn vị"),
    "person": gettext_lazy("Mã người"),
    "submitted": gettext_lazy("Ngày nộp"),
}
COUNT_COLUMNS = {"period": gettext_lazy("Kỳ"), "posts": gettext_lazy("Số tin, bài")}
"""A file's columns by the template's headings, for the problems' table."""
PLAN_CHOICES = 200
"""Plans an inspection form offers (the latest years first)."""


# Shared pieces -----------------------------------------------------------------------


def _filters(request, years_of) -> tuple[UnitYearFilter, Unit, int]:
    """The page's unit (the chosen one, VIEW; else the user's own) and year (the chosen
    one; else the latest ``years_of(unit)`` has, or this year), and the filter form
    showing them: the years offered are those the register holds, and the chosen one."""
    form = for_user(UnitYearFilter(request.GET), request.user)
    form.is_valid()
    chosen = form.cleaned_data.get("don-vi")
    unit = access.get_unit(request.user, chosen.code) if chosen else default_unit(request.user)
    held = years_of(unit)
    year = form.cleaned_data.get("nam") or (held[0] if held else timezone.localdate().year)
    form.fields["nam"].widget.choices = [(y, y) for y in sorted({*held, year}, reverse=True)]
    data = dict(form.data.items())
    shown = {"don-vi": unit.code, "nam": year}
    form.data = {**data, **{k: v for k, v in shown.items() if not data.get(k)}}
    return form, unit, year


def _names(unit_ids) -> dict[int, str]:
    """Unit id → its latest name (one query)."""
    return {pk: v.name for pk, v in queries.latest_versions(unit_ids).items()}


def _at(name: str, unit: Unit, year: int | None = None) -> str:
    """The address of a register page for ``unit`` (and ``year``)."""
    query: dict[str, str | int] = {"don-vi": unit.code, **({"nam": year} if year else {})}
    return f"{reverse(name)}?{urlencode(query)}"


def _chosen(request, form, field: str, refusal: str, action=policy.Action.CHANGE) -> Unit | None:
    """The unit picked in ``form``'s ``field`` if the user may do ``action`` on it; else
    None, and ``refusal`` beside the field (the form stays as typed, nothing is saved)."""
    try:
        return access.get_unit(request.user, form.cleaned_data[field].code, action)
    except PermissionDenied:
        form.add_error(field, refusal)
        return None


def _problems(exc: BadInput, columns: dict) -> list[dict]:
    """A refusal's rows for the problems' table, columns named as the template heads them."""
    return [
        {**p, "column": columns.get(p.get("column", ""), p.get("column", ""))}
        for p in exc.shown_details
        if isinstance(p, dict)
    ]


def _percent(value: Decimal | None) -> str:
    """100.0 → "100%", 97.5 → "97,5%"; nothing of nothing."""
    if value is None:
        return ""
    decimals = 0 if value == value.to_integral_value() else 1
    return f"{vn.format_number(value, decimals)}%"


def _download(data: bytes, *parts: str) -> HttpResponse:
    """An .xlsx named in words, unaccented ("Danh-sach-dang-vien-Chi-bo-khom-1-2020.xlsx")."""
    return attachment(data, XLSX, file_name(*parts, ext="xlsx"))


# Members' pledges --------------------------------------------------------------------


@login_required
@require_GET
def pledge_page(request):
    """The pledge lists of a unit's subtree in a year: counts per list and in total ("2.073
    bản, 100%"); the unit's own list by name for whoever may change it."""
    form, unit, year = _filters(request, pledges.years)
    found = pledges.counts(unit, year, shown=lambda ids: access.reached(request.user, unit, ids))
    own = PledgeList.objects.filter(unit=unit, year=year).first()
    may_change = policy.can(request.user, policy.Action.CHANGE, unit)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "tab": "pledges",
        "counts": found,
        "percent_submitted": _percent(found["percent_submitted"]),
        "percent_on_time": _percent(found["percent_on_time"]),
        "own": own,
        "own_counts": pledges.list_counts(own) if own else None,
        "members": pledges.members(own) if own and may_change else None,
        "may_change": may_change,
        "predecessors": access.predecessors(request.user, unit),
    }
    return render_form(request, "activities/registers/pledges.html", context)


def _pledge_initial(request) -> dict:
    """The upload form as a link opens it (?don-vi=&nam=): that unit and year, and the
    deadline its list already has."""
    code, year = request.GET.get("don-vi", ""), request.GET.get("nam", "")
    initial: dict = {"unit": code, "year": year or timezone.localdate().year}
    if code and year.isdigit():
        found = PledgeList.objects.select_related("unit").filter(unit__code=code, year=int(year))
        kept = found.first()
        if kept is not None and policy.can(request.user, policy.Action.VIEW, kept.unit):
            initial["deadline"] = kept.deadline
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def upload_pledges(request):
    """A cell's list of members for a year from a file: every row or none; the problems
    by row."""
    require_some(request.user, policy.Action.CHANGE)
    initial = _pledge_initial(request)
    form = for_user(
        PledgeUploadForm(posted(request), request.FILES or None, initial=initial), request.user
    )
    problems: list[dict] = []
    if form.is_valid():
        data = form.cleaned_data
        unit = _chosen(request, form, "unit", _("Bạn không có quyền ghi danh sách của đơn vị này."))
        if unit is not None:
            upload = data["file"]
            try:
                rows = tables.pledge_rows(upload.name or "", read_upload(upload))
                done = pledges.record_pledges(
                    acting_user=request.user,
                    unit=unit,
                    year=data["year"],
                    deadline=data["deadline"],
                    replace=data["replace"],
                    rows=rows,
                )
            except BadInput as exc:
                form.add_service_error(exc)
                problems = _problems(exc, PLEDGE_COLUMNS)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lưu danh sách: %(added)s người mới, %(changed)s người đổi ngày nộp, "
                        "%(removed)s người bỏ khỏi danh sách."
                    )
                    % {"added": done.added, "changed": done.changed, "removed": done.removed},
                )
                return redirect(_at("activities:pledges", unit, data["year"]))
    template = reverse("activities:pledge_template")
    if initial["unit"]:
        template += "?" + urlencode({"don-vi": initial["unit"], "nam": initial["year"]})
    context = {"form": form, "problems": problems, "template_url": template}
    return render_form(request, "activities/registers/pledge_upload.html", context)


@login_required
@require_GET
def pledge_template(request):
    """The .xlsx the upload reads: with ?don-vi=&nam=, the cell's list as it stands (names:
    CHANGE on the cell) to complete; without, empty."""
    code = request.GET.get("don-vi", "")
    text = request.GET.get("nam", "")
    year = int(text) if text.isdigit() and len(text) == 4 else timezone.localdate().year
    if not code:
        require_some(request.user, policy.Action.CHANGE)
        return _download(tables.pledge_template(), _("Danh sách đảng viên"), str(year))
    unit = access.get_unit(request.user, code, policy.Action.CHANGE)
    kept = PledgeList.objects.filter(unit=unit, year=year).first()
    data = tables.pledge_template(
        pledges.members(kept) if kept else (), deadline=kept.deadline if kept else None
    )
    return _download(data, _("Danh sách đảng viên"), _names([unit.pk])[unit.pk], str(year))


# Official channels -------------------------------------------------------------------


@login_required
@require_GET
def channel_list(request):
    """The official channels managed in a unit's subtree, with the items each published
    in a year (as its managing unit counted them)."""
    form, unit, year = _filters(request, channels.count_years)
    every = channels.of_subtree(unit)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posts = channels.posts_within([c.pk for c in every], start, end)
    today = timezone.localdate()
    # The totals are the subtree's; the rows, those of units the user reaches (a
    # successor that took part of a district: not the cells that went elsewhere).
    shown = access.reached(request.user, unit, {c.unit_id for c in every})
    found = [c for c in every if c.unit_id in shown]
    names = _names(c.unit_id for c in found)
    found.sort(key=lambda c: (vn.sort_key(names.get(c.unit_id, "")), vn.sort_key(c.name)))
    rows = [
        {
            "channel": c,
            "unit_name": names.get(c.unit_id, c.unit.code),
            "posts": posts.get(c.pk),
            "active": c.is_active_on(today),
        }
        for c in found
    ]
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "tab": "channels",
        "rows": rows,
        "active": sum(1 for c in every if c.is_active_on(min(end, today))),
        "posts": sum(posts.values()),
        "hidden": len(every) - len(found),
        "may_change": policy.can(request.user, policy.Action.CHANGE, unit),
        "predecessors": access.predecessors(request.user, unit),
    }
    return render_form(request, "activities/registers/channels.html", context)


def _channel_form_page(request, form, channel=None):
    context = {"form": form, "channel": channel}
    return render_form(request, "activities/registers/channel_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_channel(request):
    """A new official channel managed by a unit the user may change."""
    require_some(request.user, policy.Action.CHANGE)
    initial = {"unit": request.GET.get("don-vi", ""), "active_from": timezone.localdate()}
    form = for_user(ChannelForm(posted(request), initial=initial), request.user)
    if form.is_valid():
        data = form.cleaned_data
        unit = _chosen(request, form, "unit", _("Bạn không có quyền ghi kênh của đơn vị này."))
        if unit is not None:
            try:
                channel = channels.register_channel(
                    acting_user=request.user,
                    unit=unit,
                    kind=data["kind"],
                    name=data["name"],
                    address=data["address"],
                    active_from=data["active_from"],
                    active_to=data["active_to"],
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã thêm kênh: %(name)s.") % {"name": channel.name})
                return redirect("activities:channel", channel.pk)
    return _channel_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit_channel(request, pk: int):
    """A channel's kind, name, address and active days (its managing unit stays)."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    initial = {
        "kind": channel.kind,
        "name": channel.name,
        "address": channel.address,
        "active_from": channel.active_from,
        "active_to": channel.active_to,
    }
    form = ChannelForm(posted(request), initial=initial, editing=True)
    if form.is_valid():
        changes = {key: form.cleaned_data[key] for key in initial}
        try:
            channels.change_channel(acting_user=request.user, channel=channel, **changes)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu kênh: %(name)s.") % {"name": channel.name})
            return redirect("activities:channel", channel.pk)
    return _channel_form_page(request, form, channel)


def _channel_page(
    request, channel, *, typed=None, upload=None, problems=(), refused="", status=200
):
    """A channel and its counts; for whoever may change its managing unit, the forms
    that enter them."""
    counts = list(channel.post_counts.order_by("start", "id"))
    context = {
        "channel": channel,
        "unit_name": _names([channel.unit_id]).get(channel.unit_id, channel.unit.code),
        "counts": counts,
        "total": sum(c.posts for c in counts),
        "may_change": policy.can(request.user, policy.Action.CHANGE, channel.unit),
        "typed": typed or PostCountForm(),
        "upload": upload or PostCountUploadForm(),
        "problems": problems,
        "year": counts[-1].start.year if counts else timezone.localdate().year,
        "refused": refused,
    }
    return render(request, "activities/registers/channel.html", context, status=status)


@login_required
@require_POST
def remove_channel(request, pk: int):
    """Delete a channel registered by mistake, with its counts; refused (the page again,
    409) while a sent report reads its figures."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    unit = channel.unit.code
    try:
        channels.remove_channel(acting_user=request.user, channel=channel)
    except BadInput as exc:
        return _channel_page(request, channel, refused=exc.shown, status=exc.status)
    messages.success(request, _("Đã xóa kênh: %(name)s.") % {"name": channel.name})
    return redirect(f"{reverse('activities:channels')}?{urlencode({'don-vi': unit})}")


@login_required
@require_POST
def remove_post_count(request, pk: int):
    """Delete the channel's count of one period (``ky``); refused while a sent report
    reads it."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    period = request.POST.get("ky", "")[:20]
    try:
        channels.remove_post_count(acting_user=request.user, channel=channel, period=period)
    except BadInput as exc:
        return _channel_page(request, channel, refused=exc.shown, status=exc.status)
    done = _("Đã xóa số tin, bài của %(period)s.") % {"period": period_words(period)}
    messages.success(request, done)
    return redirect(reverse("activities:channel", args=[channel.pk]) + "#counts")


@login_required
@require_GET
def channel_page(request, pk: int):
    return _channel_page(request, access.get_channel(request.user, pk))


@login_required
@require_POST
def record_post_count(request, pk: int):
    """One period's count, typed; the period's earlier number is replaced."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    form = PostCountForm(request.POST)
    if form.is_valid():
        row = channels.PostCountRow(
            period=form.cleaned_data["period"], posts=str(form.cleaned_data["posts"])
        )
        try:
            channels.record_post_counts(acting_user=request.user, channel=channel, rows=[row])
        except BadInput as exc:
            form.add_error(
                "period", "; ".join(p["problem"] for p in exc.shown_details) or exc.shown
            )
        else:
            messages.success(
                request,
                _("Đã lưu số tin, bài của %(period)s.")
                % {"period": periods.span_label(periods.parse_span(row.period), inline=True)},
            )
            return redirect("activities:channel", channel.pk)
    return _channel_page(request, channel, typed=form, status=400)


@login_required
@require_POST
def upload_post_counts(request, pk: int):
    """A channel's counts from a file: every row or none; the problems by row."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    form = PostCountUploadForm(request.POST, request.FILES)
    problems: list[dict] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = tables.post_count_rows(upload.name or "", read_upload(upload))
            saved = channels.record_post_counts(
                acting_user=request.user, channel=channel, rows=rows
            )
        except BadInput as exc:
            form.add_error("file", exc.shown)
            problems = _problems(exc, COUNT_COLUMNS)
        else:
            messages.success(request, _("Đã lưu số tin, bài của %(n)s kỳ.") % {"n": saved})
            return redirect("activities:channel", channel.pk)
    return _channel_page(request, channel, upload=form, problems=problems, status=400)


@login_required
@require_GET
def post_count_template(request, pk: int):
    """The channel's counts of a year (?nam=) as the upload reads them, one row a month."""
    channel = access.get_channel(request.user, pk, policy.Action.CHANGE)
    text = request.GET.get("nam", "")
    year = int(text) if text.isdigit() and len(text) == 4 else timezone.localdate().year
    counted = dict(channel.post_counts.values_list("period", "posts"))
    data = tables.post_count_template(year, counted)
    return _download(data, _("Số tin, bài"), channel.name, str(year))


# Inspection and supervision ----------------------------------------------------------


@login_required
@require_GET
def inspection_list(request):
    """A unit's plans of a year, the inspections by its subtree's units, those of its
    units by the committees above, and the figures the reports read."""
    form, unit, year = _filters(request, inspections.years)
    # The figures are the subtree's; the rows, those of units the user reaches.
    all_by, all_of = inspections.of_subtree(unit, year), inspections.of_inspected(unit, year)
    shown = access.reached(
        request.user, unit, {*(i.unit_id for i in all_by), *(i.inspected_id for i in all_of)}
    )
    by = [i for i in all_by if i.unit_id in shown]
    of = [i for i in all_of if i.inspected_id in shown]
    today = timezone.localdate()
    names = _names({u for i in (*by, *of) for u in (i.unit_id, i.inspected_id)})
    for inspection in (*by, *of):
        inspection.unit_name = names.get(inspection.unit_id, "")  # type: ignore[attr-defined]
        inspection.inspected_name = names.get(inspection.inspected_id, "")  # type: ignore[attr-defined]
        inspection.followed = inspections.followed(inspection, today)  # type: ignore[attr-defined]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    codes = [f.code for f in inspections.FIGURES]
    values = inspections.SOURCE.values(codes, [unit.pk], start, end, unit.reference_date(end), {})
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "tab": "inspections",
        "plans": inspections.plans_of(unit, year),
        "by": sorted(by, key=lambda i: (i.start, i.pk)),
        "of": sorted(of, key=lambda i: (i.start, i.pk)),
        "figures": [
            (f.name_en if is_english() else f.name, values[(f.code, "", unit.pk)])
            for f in inspections.FIGURES
        ],
        "hidden": len(all_by) + len(all_of) - len(by) - len(of),
        "may_change": policy.can(request.user, policy.Action.CHANGE, unit),
        "predecessors": access.predecessors(request.user, unit),
    }
    return render_form(request, "activities/registers/inspections.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_plan(request):
    """A unit's plan of inspection and supervision for a year."""
    require_some(request.user, policy.Action.CHANGE)
    initial = {
        "unit": request.GET.get("don-vi", ""),
        "year": request.GET.get("nam") or timezone.localdate().year,
    }
    form = for_user(PlanForm(posted(request), initial=initial), request.user)
    if form.is_valid():
        data = form.cleaned_data
        unit = _chosen(request, form, "unit", _("Bạn không có quyền lập kế hoạch cho đơn vị này."))
        if unit is not None:
            try:
                plan = inspections.create_plan(
                    acting_user=request.user,
                    unit=unit,
                    year=data["year"],
                    title=data["title"],
                    reference=data["reference"],
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã lập kế hoạch: %(title)s.") % {"title": plan})
                return redirect(_at("activities:inspections", unit, plan.year))
    context = {"form": form, "title": _("Lập kế hoạch kiểm tra, giám sát")}
    return render_form(request, "activities/registers/inspection_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_plan(request, pk: int):
    """A plan's title and number (its unit and year stay)."""
    plan = access.get_plan(request.user, pk, policy.Action.CHANGE)
    initial = {"title": plan.title, "reference": plan.reference}
    form = PlanForm(posted(request), initial=initial, editing=True)
    back = _at("activities:inspections", plan.unit, plan.year)
    if form.is_valid():
        try:
            inspections.change_plan(acting_user=request.user, plan=plan, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch: %(title)s.") % {"title": plan.title})
            return redirect(f"{back}#plans-title")
    title = _("Sửa kế hoạch kiểm tra, giám sát năm %(year)s của %(unit)s") % {
        "year": plan.year,
        "unit": _names([plan.unit_id]).get(plan.unit_id, ""),
    }
    context = {"form": form, "title": title, "back": back}
    return render_form(request, "activities/registers/inspection_form.html", context)


def _plan_choices(user) -> list[tuple[int, str]]:
    """The plans of the units ``user`` may change, latest years first, in words."""
    found = InspectionPlan.objects.select_related("unit").order_by("-year", "-id")
    plans = policy.allowed(user, policy.Action.CHANGE, found[:PLAN_CHOICES])
    names = _names(p.unit_id for p in plans)
    return [(p.pk, f"{p.title} — {names.get(p.unit_id, '')}, {p.year}") for p in plans]


@login_required
@require_http_methods(["GET", "POST"])
def create_inspection(request):
    """An inspection or supervision of a unit below one the user may change."""
    require_some(request.user, policy.Action.CHANGE)
    initial: dict = {"unit": request.GET.get("don-vi", ""), "start": timezone.localdate()}
    planned = request.GET.get("ke-hoach", "")
    if planned.isdigit():
        plan = InspectionPlan.objects.select_related("unit").filter(pk=int(planned)).first()
        if plan is not None:
            initial |= {"plan": plan.pk, "unit": plan.unit.code}
    form = for_user(
        InspectionForm(posted(request), initial=initial, plans=_plan_choices(request.user)),
        request.user,
    )
    if form.is_valid():
        data = form.cleaned_data
        refused = _("Bạn không có quyền kiểm tra, giám sát cho đơn vị này.")
        unit = _chosen(request, form, "unit", refused)
        unseen = _("Bạn không xem được đơn vị này.")
        inspected = _chosen(request, form, "inspected", unseen, policy.Action.VIEW)
        plan = None
        if unit is not None and data["plan"] is not None:
            plan = InspectionPlan.objects.filter(pk=data["plan"], unit=unit).first()
            if plan is None:
                form.add_error("plan", _("Kế hoạch này không phải của đơn vị kiểm tra."))
        if unit is not None and inspected is not None and not form.errors:
            try:
                inspection = inspections.create_inspection(
                    acting_user=request.user,
                    unit=unit,
                    inspected=inspected,
                    kind=data["kind"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    team=data["team"],
                    plan=plan,
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                done = _("Đã thêm cuộc kiểm tra, giám sát: %(title)s.") % {"title": inspection}
                messages.success(request, done)
                return redirect("activities:inspection", inspection.pk)
    context = {"form": form, "title": _("Thêm cuộc kiểm tra, giám sát")}
    return render_form(request, "activities/registers/inspection_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_inspection(request, pk: int):
    """An inspection's kind, title, dates, team, plan and inspected unit, checked as when
    it was created (the inspecting unit stays): a correction, in its history."""
    inspection = access.get_inspection(request.user, pk, policy.Action.CHANGE)
    initial = {
        "inspected": inspection.inspected.code,
        "kind": inspection.kind,
        "title": inspection.title,
        "plan": inspection.plan_id,
        "start": inspection.start,
        "end": inspection.end,
        "team": inspection.team,
    }
    plans = InspectionPlan.objects.filter(unit=inspection.unit).order_by("-year", "-id")
    choices = [(p.pk, f"{p.title}, {p.year}") for p in plans[:PLAN_CHOICES]]
    form = for_user(
        InspectionForm(posted(request), initial=initial, plans=choices, editing=True),
        request.user,
    )
    if form.is_valid():
        data = form.cleaned_data
        unseen = _("Bạn không xem được đơn vị này.")
        inspected = _chosen(request, form, "inspected", unseen, policy.Action.VIEW)
        plan = None
        if data["plan"] is not None:
            plan = plans.filter(pk=data["plan"]).first()
            if plan is None:
                form.add_error("plan", _("Kế hoạch này không phải của đơn vị kiểm tra."))
        if inspected is not None and not form.errors:
            changes = {key: data[key] for key in ("kind", "title", "start", "end", "team")}
            try:
                inspections.change_inspection(
                    acting_user=request.user,
                    inspection=inspection,
                    inspected=inspected,
                    plan=plan,
                    **changes,
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                done = _("Đã lưu cuộc kiểm tra, giám sát: %(title)s.") % {"title": inspection}
                messages.success(request, done)
                return redirect("activities:inspection", inspection.pk)
    context = {
        "form": form,
        "title": _("Sửa cuộc kiểm tra, giám sát"),
        "back": reverse("activities:inspection", args=[inspection.pk]),
    }
    return render_form(request, "activities/registers/inspection_form.html", context)


def _inspection_page(request, inspection, *, conclusion=None, follow=None, refused="", status=200):
    """An inspection: its dates, team (CHANGE on the inspecting unit: they are names),
    conclusion and recommendations, overdue ones marked; the forms for who may use them."""
    user = request.user
    may_change = policy.can(user, policy.Action.CHANGE, inspection.unit)
    may_follow = bool(
        policy.allowed(user, policy.Action.CHANGE, [inspection.unit, inspection.inspected])
    )
    today = timezone.localdate()
    recommendations = list(inspection.recommendations.all())
    forms = {
        r.pk: FollowUpForm(initial={"note": r.follow_up, "resolved": r.resolved}, prefix_id=r.pk)
        for r in recommendations
    }
    if follow is not None:
        forms[follow[0]] = follow[1]
    names = _names([inspection.unit_id, inspection.inspected_id])
    initial = {"concluded": inspection.concluded or today, "findings": inspection.findings}
    context = {
        "inspection": inspection,
        "unit_name": names.get(inspection.unit_id, ""),
        "inspected_name": names.get(inspection.inspected_id, ""),
        "recommendations": [
            (r, inspections.is_overdue(r, today), forms[r.pk]) for r in recommendations
        ],
        "followed": inspections.followed(inspection, today),
        "may_change": may_change,
        "may_follow": may_follow,
        "conclusion": conclusion or ConclusionForm(initial=initial),
        "refused": refused,
    }
    return render(request, "activities/registers/inspection.html", context, status=status)


@login_required
@require_POST
def remove_plan(request, pk: int):
    """Delete a plan made by mistake (its inspections stay, outside any plan); refused,
    said on the list, while a sent report reads the unit's planned inspections."""
    plan = access.get_plan(request.user, pk, policy.Action.CHANGE)
    back = f"{reverse('activities:inspections')}?{urlencode({'don-vi': plan.unit.code, 'nam': str(plan.year)})}"
    try:
        inspections.remove_plan(acting_user=request.user, plan=plan)
    except BadInput as exc:
        messages.error(request, exc.shown)
    else:
        messages.success(request, _("Đã xóa kế hoạch: %(title)s.") % {"title": plan.title})
    return redirect(f"{back}#plans-title")


@login_required
@require_POST
def remove_inspection(request, pk: int):
    """Delete an inspection recorded by mistake, with its recommendations; refused (the
    page again, 409) while a sent report reads its figures."""
    inspection = access.get_inspection(request.user, pk, policy.Action.CHANGE)
    unit, year = inspection.unit.code, str(inspection.start.year)
    try:
        inspections.remove_inspection(acting_user=request.user, inspection=inspection)
    except BadInput as exc:
        return _inspection_page(request, inspection, refused=exc.shown, status=exc.status)
    messages.success(
        request, _("Đã xóa cuộc kiểm tra, giám sát: %(title)s.") % {"title": inspection.title}
    )
    return redirect(
        f"{reverse('activities:inspections')}?{urlencode({'don-vi': unit, 'nam': year})}"
    )


@login_required
@require_GET
def inspection_page(request, pk: int):
    return _inspection_page(request, access.get_inspection_followed(request.user, pk))


@login_required
@require_POST
def conclude_inspection(request, pk: int):
    """The conclusion: its day, findings and the recommendations it makes (added)."""
    inspection = access.get_inspection(request.user, pk, policy.Action.CHANGE)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            inspections.conclude(
                acting_user=request.user,
                inspection=inspection,
                concluded=data["concluded"],
                findings=data["findings"],
                recommendations=[
                    inspections.RecommendationInput(text, deadline)
                    for text, deadline in data["recommendations"]
                ],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu kết luận."))
            return redirect("activities:inspection", inspection.pk)
    return _inspection_page(request, inspection, conclusion=form, status=400)


@login_required
@require_POST
def follow_up(request, pk: int):
    """What was done about a recommendation, and the day it was carried out: the
    inspected unit's managers or the inspecting unit's."""
    found = access.get_recommendation(request.user, pk)
    form = FollowUpForm(request.POST, prefix_id=found.pk)
    if form.is_valid():
        try:
            inspections.follow_up(
                acting_user=request.user,
                recommendation=found,
                note=form.cleaned_data["note"],
                resolved=form.cleaned_data["resolved"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu kết quả thực hiện kiến nghị."))
            return redirect("activities:inspection", found.inspection_id)
    inspection = access.get_inspection_followed(request.user, found.inspection_id)
    return _inspection_page(request, inspection, follow=(found.pk, form), status=400)
