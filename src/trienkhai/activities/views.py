"""The activity pages under /hoat-dong/: the list with the figures, a new event, an
event with its attendance list, and a person's data (seen, exported, erased).

Each view: decorators → access (which asks accounts.policy) → form → service → render
or redirect. Names of people need CHANGE on their unit (decision 0040); the others see
counts. A file is read and parsed before the service opens its transaction.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.activities import access, figures, lists, people, services, sites, tables
from trienkhai.activities.forms import (
    AttendanceUploadForm,
    EventFilter,
    EventForm,
    PeopleFilter,
    SiteForm,
)
from trienkhai.activities.models import Audience, Event
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.access import default_unit, read_upload, require_some, visible_subtree_ids
from trienkhai.orgs.models import Unit
from trienkhai.reporting.periods import parse_span
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.forms import for_user, posted, render_form
from trienkhai.web.labels import is_english

COLUMNS = {
    "session": gettext_lazy("Buổi"),
    "name": gettext_lazy("Họ và tên"),
    "unit": gettext_lazy("Đơn vị"),
    "position": gettext_lazy("Chức vụ"),
    "audience": gettext_lazy("Đối tượng"),
    "person": gettext_lazy("Mã người"),
    "site": gettext_lazy("Điểm cầu"),
}
"""An attendance list's columns by the template's headings, for the problems' table."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_PER_PAGE = 100
PEOPLE_FOUND = 50
TEMPLATE_UNITS = 500
"""Units listed in the attendance template's help sheet (the organiser's, nearest first)."""


def _name(unit: Unit) -> str:
    return queries.latest_versions([unit.pk])[unit.pk].name


def _fill(form, **shown) -> None:
    """Show the filters left empty with what the page chose (the user's own unit, the
    latest year); what was typed stays, with its error beside it."""
    data = dict(form.data.items())
    form.data = {**data, **{k: v for k, v in shown.items() if not data.get(k)}}


@login_required
@require_GET
def event_list(request):
    """The events of a unit's subtree in a year, with the registers' figures for it. It
    opens on this year if the events the user may see there hold one in it, else on the
    latest year before that does; without any event, on the latest year of the other
    registers (``figures.opening_year``)."""
    form = for_user(EventFilter(request.GET), request.user)
    form.is_valid()
    chosen = form.cleaned_data.get("don-vi")
    unit = access.get_unit(request.user, chosen.code) if chosen else default_unit(request.user)
    units = visible_subtree_ids(request.user, unit)
    held = lists.years(units)
    today = timezone.localdate()
    year = (
        form.cleaned_data.get("nam")
        or figures.opening_year(held, today)
        # No event in reach: the year the other registers counted above hold something.
        or figures.opening_year(figures.register_years(unit), today)
        or today.year
    )
    kind = form.cleaned_data.get("loai", "")
    offered = sorted({*held, year, today.year}, reverse=True)
    form.fields["nam"].widget.choices = [(y, y) for y in offered]
    _fill(form, **{"don-vi": unit.code, "nam": year})
    found, more = lists.events(units, year=year, kind=kind)
    periods = parse_span(str(year))
    counted = figures.every_subtree_figure(unit, periods[0].start, periods[-1].end)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "events": found,
        "more": more,
        "figures": [(f.name_en if is_english() else f.name, value) for f, value in counted],
        "may_create": policy.can(request.user, policy.Action.CHANGE, unit),
        "may_see_people": policy.can(request.user, policy.Action.CHANGE, unit),
        "predecessors": access.predecessors(request.user, unit),
    }
    return render_form(request, "activities/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_event(request):
    """A new event with its sessions, organised by a unit the user may change."""
    require_some(request.user, policy.Action.CHANGE)
    initial = {"organiser": request.GET.get("don-vi", ""), "start": timezone.localdate()}
    form = for_user(EventForm(posted(request), initial=initial), request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            organiser = access.get_unit(request.user, data["organiser"].code, policy.Action.CHANGE)
        except PermissionDenied:
            form.add_error("organiser", _("Bạn không có quyền tổ chức hoạt động cho đơn vị này."))
        else:
            try:
                event = services.create_event(
                    acting_user=request.user,
                    organiser=organiser,
                    kind=data["kind"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    session_dates=data["sessions"],
                    place=data["place"],
                    link=data["link"],
                    audience=data["audience"],
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã tạo hoạt động: %(title)s.") % {"title": event})
                return redirect("activities:event", event.pk)
    return render_form(request, "activities/create.html", {"form": form})


def _event_page(request, event, *, upload=None, problems=(), site_form=None, status=200):
    """The event's page: its sessions and counts, an online conference's connected sites;
    for whoever may change the organiser, the attendance list (names only of the people
    whose unit they may change), the upload form and the form adding a site."""
    may_change = policy.can(request.user, policy.Action.CHANGE, event.organiser)
    sessions = lists.sessions(event)
    online = event.kind == Event.Kind.ONLINE_CONFERENCE
    context = {
        "event": event,
        "organiser_name": _name(event.organiser),
        "audience": [Audience(c).label for c in event.audience if c in Audience.values],
        "sessions": sessions,
        "totals": lists.totals(event),
        "may_change": may_change,
        "upload": upload or AttendanceUploadForm(),
        "problems": problems,
        "online": online,
        "sites": [(row, row.cells(sessions)) for row in sites.rows(event)] if online else [],
        "site_form": site_form or for_user(SiteForm(), request.user),
    }
    if may_change:
        page = Paginator(lists.attendance(event), PEOPLE_PER_PAGE).get_page(
            request.GET.get("trang")
        )
        context["page"] = page
        context["named"] = access.named_people(request.user, list(page.object_list))
    return render(request, "activities/event.html", context, status=status)


def event_page_again(request, event, *, site_form, status: int):
    """The event's page shown again with a refused site (site_views.py)."""
    return _event_page(request, event, site_form=site_form, status=status)


@login_required
@require_GET
def event_page(request, pk: int):
    return _event_page(request, access.get_event(request.user, pk))


@login_required
@require_POST
def upload_attendance(request, pk: int):
    """An attendance list from a file: every row or none; the problems by row."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    form = AttendanceUploadForm(request.POST, request.FILES)
    problems: list[dict] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = tables.attendance_rows(upload.name or "", read_upload(upload))
            saved = services.record_attendance(acting_user=request.user, event=event, rows=rows)
        except (BadInput, Conflict) as exc:
            form.add_error("file", exc.shown)
            problems = [
                {**p, "column": COLUMNS.get(p.get("column", ""), p.get("column", ""))}
                for p in exc.shown_details
            ]
        else:
            messages.success(request, _("Đã lưu %(n)s lượt điểm danh mới.") % {"n": saved})
            return redirect("activities:event", event.pk)
    return _event_page(request, event, upload=form, problems=problems, status=400)


@login_required
@require_GET
def attendance_template(request, pk: int):
    """The event's empty attendance list (.xlsx) with the headings the upload reads."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    organiser = event.organiser
    below = queries.subtree(organiser, organiser.reference_date())[:TEMPLATE_UNITS]
    units = [(organiser.code, _name(organiser)), *((n.code, n.name) for n in below)]
    hosts = [(row.name, row.site.unit.code) for row in sites.rows(event)]
    name = file_name(_("Danh sách điểm danh"), event.title, ext="xlsx")
    return attachment(tables.attendance_template(event, units, hosts), XLSX, name)


@login_required
@require_GET
def people_page(request):
    """The people of a unit's subtree, found by name (a manager's: decision 0040)."""
    form = for_user(PeopleFilter(request.GET), request.user)
    form.is_valid()
    chosen = form.cleaned_data.get("don-vi") or default_unit(request.user)
    unit = access.get_unit(request.user, chosen.code, policy.Action.CHANGE)
    _fill(form, **{"don-vi": unit.code})
    found = people.find(unit, form.cleaned_data.get("q", ""), limit=PEOPLE_FOUND)
    context = {"form": form, "unit": unit, "found": found, "limit": PEOPLE_FOUND}
    return render_form(request, "activities/people.html", context)


@login_required
@require_GET
def person_page(request, pk: int):
    """Everything kept about a person, with the export and the erasure."""
    person = access.get_person(request.user, pk)
    found = people.shown(people.record(person))
    codes = {a["organiser"] for a in found["attendances"]}
    names = {u.code: u for u in Unit.objects.filter(code__in=codes).prefetch_related("versions")}
    context = {"person": person, "record": found, "organisers": names}
    return render(request, "activities/person.html", context)


@login_required
@require_GET
def person_json(request, pk: int):
    found = people.record(access.get_person(request.user, pk))
    data = json.dumps(found, ensure_ascii=False, indent=2)
    return attachment(data, "application/json", _record_file(found, "json"))


@login_required
@require_GET
def person_xlsx(request, pk: int):
    found = people.record(access.get_person(request.user, pk))
    return attachment(people.record_xlsx(found), XLSX, _record_file(found, "xlsx"))


def _record_file(found: dict, ext: str) -> str:
    """'Du-lieu-ca-nhan-Nguyen-Van-An.xlsx': the file is handed to that person."""
    return file_name(_("Dữ liệu cá nhân"), found["name"], ext=ext)


@login_required
@require_POST
def erase_person(request, pk: int):
    """Erase a person's name, position and group, after a page that asks (the same POST
    again with ``xac_nhan=1``); the figures stay."""
    person = access.get_person(request.user, pk)
    context = {"person": person, "error": None}
    if request.POST.get("xac_nhan") != "1":
        return render(request, "activities/erase.html", context)
    try:
        people.erase(acting_user=request.user, person=person)
    except Conflict as exc:  # erased meanwhile
        return render(request, "activities/erase.html", {**context, "error": exc}, status=409)
    messages.success(request, _("Đã xóa dữ liệu cá nhân; số liệu vẫn giữ nguyên."))
    return redirect("activities:person", person.pk)
