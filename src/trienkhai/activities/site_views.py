"""The connected sites (điểm cầu) of an online conference, on its page: add one, change
its place and head counts, remove it (decision 0046). Whoever may change the
organiser writes them; the event's page shows them to whoever may view it.

Each view: decorators → access (which asks accounts.policy) → form → service → redirect,
or the page again with the problems beside their fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.activities import access, sites, views
from trienkhai.activities.forms import SiteCountsForm, SiteForm
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.web.forms import for_user


def _at_sites(event_id: int) -> str:
    return reverse("activities:event", args=[event_id]) + "#sites"


def _on_fields(form, exc: BadInput, columns: dict[str, str]) -> None:
    """Each problem of a refused write beside the field it is about (``columns``: the
    service's column → the form's field); the others above the form."""
    for problem in exc.shown_details or [{"problem": exc.shown}]:
        field = columns.get(problem.get("column", ""))
        form.add_error(field if field in form.fields else None, problem["problem"])


@login_required
@require_POST
def add_site(request, pk: int):
    """A connected site of the conference ``pk``, hosted by a unit under its organiser."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    form = for_user(SiteForm(request.POST), request.user)
    if form.is_valid():
        unit, place = form.cleaned_data["unit"], form.cleaned_data["place"]
        try:
            sites.add_sites(
                acting_user=request.user,
                event=event,
                sites=[sites.SiteInput(unit=unit.code, place=place)],
            )
        except BadInput as exc:
            _on_fields(form, exc, {"unit": "unit", "place": "place"})
        else:
            name = queries.latest_versions([unit.pk])[unit.pk].name
            messages.success(request, _("Đã thêm điểm cầu: %(name)s.") % {"name": name})
            return redirect(_at_sites(event.pk))
    return views.event_page_again(request, event, site_form=form, status=400)


def _form(site, data=None) -> SiteCountsForm:
    """The site's form: its place and kept head counts, or ``data`` as posted."""
    sessions = list(site.event.sessions.order_by("date", "id"))
    kept = dict(site.counts.values_list("session_id", "people"))
    initial = {"place": site.place, **{SiteCountsForm.key(s): kept.get(s.pk) for s in sessions}}
    return SiteCountsForm(data, sessions=sessions, initial=initial)


def _site_page(request, site, form, *, refused: str = "", status=200):
    event = site.event
    (row,) = [r for r in sites.rows(event) if r.site.pk == site.pk]
    context = {
        "event": event,
        "site": site,
        "row": row,
        "form": form,
        "refused": refused,
    }
    return render(request, "activities/site.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_page(request, pk: int):
    """A site's place and head count of each session (blank: counted by name only)."""
    site = access.get_site(request.user, pk)
    if request.method == "GET":
        return _site_page(request, site, _form(site))
    form = _form(site, request.POST)
    if form.is_valid():
        try:
            sites.change_site(
                acting_user=request.user,
                site=site,
                place=form.cleaned_data["place"],
                counts=form.counts(),
            )
        except BadInput as exc:
            for problem in exc.shown_details:
                field = "place" if problem["column"] == "place" else None
                if problem["column"] == "people":
                    field = form.key(form.sessions[problem["row"] - 1])
                form.add_error(field, problem["problem"])
        else:
            messages.success(request, _("Đã lưu điểm cầu."))
            return redirect(_at_sites(site.event_id))
    return _site_page(request, site, form, status=400)


@login_required
@require_POST
def remove_site(request, pk: int):
    """Remove a site and its head counts; refused while people are named there."""
    site = access.get_site(request.user, pk)
    event_id = site.event_id
    try:
        sites.remove_site(acting_user=request.user, site=site)
    except Conflict as exc:
        return _site_page(request, site, _form(site), refused=exc.shown, status=409)
    messages.success(request, _("Đã xóa điểm cầu."))
    return redirect(_at_sites(event_id))
