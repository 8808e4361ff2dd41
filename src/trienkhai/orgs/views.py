"""The unit tree browser, the unit page and the managers' forms.

Each view: decorators → access (which asks accounts.policy) → form → service →
render or redirect. The private helpers below only read, in a fixed number of queries
per page, so that a province with a hundred communes costs what a district does.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.orgs import access, queries, services
from trienkhai.orgs.audit import unit_audit
from trienkhai.orgs.forms import (
    DayForm,
    DissolveForm,
    TreeForm,
    UnitChangeForm,
    UnitCreateForm,
    UnitImportForm,
)
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.vn import format_date
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.forms import posted, render_form

SEARCH_LIMIT = 100
MAX_TREE_DEPTH = 8


@login_required
@require_GET
def tree(request):
    """Browse what you may see level by level on a date, or search it ignoring accents."""
    form = TreeForm(request.GET)
    today = timezone.localdate()
    ended = _ended_units(request.user, today)
    # A user whose units have all ended (a 2020 district, gone in 2025) opens on the
    # last day they lived, where their work is, and is told so.
    opening = max(u.reference_date(today) for u in ended) if ended else today
    day = form.day(default=opening)
    text = form.text()
    context: dict = {
        "form": form,
        "day": day,
        "today": today,
        "ended": ended,
        "q": text,
        "open_codes": form.open_codes,
        "can_import": policy.can(request.user, policy.Action.CHANGE),
    }
    if text:
        results = access.find_units(request.user, text, living_on=day, limit=SEARCH_LIMIT)
        context["results"] = results
        context["truncated"] = len(results) >= SEARCH_LIMIT
        context["parents"] = queries.latest_versions(v.parent_id for v in results)
    else:
        context["rows"] = _tree_rows(request, day, form.open_codes)
        context["has_roles"] = policy.can(request.user, policy.Action.VIEW)
    return render(request, "orgs/tree.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def unit_detail(request, code: str):
    """A unit on a date: its place, its children, its history, and who changed what."""
    unit = access.get_unit(request.user, code)
    form = DayForm(request.GET)
    day = form.day(default=unit.reference_date())
    context = {"form": form, **_unit_page(request.user, unit, day)}
    return render(request, "orgs/unit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def create_child(request, code: str):
    """Create a unit under this one, from a date."""
    parent = access.get_unit(request.user, code, policy.Action.CHANGE)
    form = UnitCreateForm(posted(request), initial={"valid_from": timezone.localdate()})
    if form.is_valid():
        try:
            unit = services.create_unit(
                acting_user=request.user, parent=parent, **form.cleaned_data
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % form.cleaned_data)
            return redirect("orgs:unit", unit.code)
    return render_form(
        request, "orgs/unit_form.html", {"form": form, **_form_page(parent, "create")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def change(request, code: str):
    """Record a rename, a change of kind or a move to another parent, from a date."""
    unit = access.get_unit(request.user, code, policy.Action.CHANGE)
    current = unit.latest_version()
    initial = {"on": timezone.localdate(), "name": current.name, "kind": current.kind}
    form = UnitChangeForm(
        posted(request), initial={**initial, "abbreviation": current.abbreviation}
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            move = {}
            if data["parent"]:
                move["parent"] = access.get_parent_for_new_unit(request.user, data["parent"])
            services.change_unit(
                acting_user=request.user,
                unit=unit,
                on=data["on"],
                name=data["name"],
                abbreviation=data["abbreviation"],
                kind=data["kind"],
                note=data["note"],
                **move,
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã ghi nhận thay đổi từ ngày %s.") % format_date(data["on"])
            )
            return redirect("orgs:unit", unit.code)
    return render_form(request, "orgs/unit_form.html", {"form": form, **_form_page(unit, "change")})


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, code: str):
    """Dissolve this unit from a date: it ends with no successor."""
    unit = access.get_unit(request.user, code, policy.Action.CHANGE)
    form = DissolveForm(posted(request), initial={"on": timezone.localdate()})
    if form.is_valid():
        try:
            services.dissolve_unit(acting_user=request.user, unit=unit, **form.cleaned_for_service)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận giải thể từ ngày %s.") % format_date(form.cleaned_data["on"]),
            )
            return redirect("orgs:unit", unit.code)
    return render_form(
        request, "orgs/unit_form.html", {"form": form, **_form_page(unit, "dissolve")}
    )


# Reads behind the pages ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_units(request):
    """Create many units from a CSV or Excel file: every row or none, each bad row named."""
    from trienkhai.orgs.imports import import_units_file

    access.require_some(request.user, policy.Action.CHANGE)
    form = UnitImportForm(posted(request), request.FILES or None)
    problems: list[dict] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = import_units_file(
                acting_user=request.user,
                name=upload.name,
                data=access.read_upload(upload),
            )
        except BadInput as exc:
            form.add_error("file", exc.shown)
            problems = exc.shown_details
        else:
            messages.success(request, _("Đã nhập %(n)d đơn vị.") % {"n": len(created)})
            return redirect("orgs:tree")
    return render_form(request, "orgs/import.html", {"form": form, "problems": problems})


@login_required
@require_GET
def import_template(request):
    """The empty .xlsx template for the import."""
    from trienkhai.orgs.imports import units_template_xlsx

    access.require_some(request.user, policy.Action.CHANGE)
    return attachment(
        units_template_xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name(_("Mẫu nhập đơn vị"), ext="xlsx"),
    )


@dataclass
class TreeRow:
    version: UnitVersion
    depth: int
    has_children: bool = False
    is_open: bool = False
    toggle_url: str = ""


def _ended_units(user, today: dt.date) -> list[Unit]:
    """The units of the user's roles when every one of them has ended before ``today``
    (else none: a user with one living unit opens on today). Their successors are not
    named: a role over a predecessor reaches nothing of the units formed from it
    (decision 0004), and no page names a unit outside the user's reach."""
    held = list(Unit.objects.filter(pk__in=policy.role_unit_ids(user)).prefetch_related("versions"))
    if not held or any(u.is_valid_on(today) for u in held):
        return []
    return sorted(held, key=lambda u: u.code)


def _tree_rows(request, day: dt.date, open_codes: list[str]) -> list[TreeRow]:
    """The visible top units on ``day``, with the children of the open ones under them.

    Queries: one per level shown (which units have children) and one per open node;
    the policy is asked about every row through ``access``.
    """
    rows: list[TreeRow] = []

    def add(versions: list[UnitVersion], depth: int) -> None:
        with_children = queries.with_children([v.unit_id for v in versions], day)
        for version in versions:
            code = version.unit.code
            row = TreeRow(version, depth, has_children=version.unit_id in with_children)
            row.is_open = row.has_children and code in open_codes and depth < MAX_TREE_DEPTH
            row.toggle_url = _toggle_url(request, code, open_codes)
            rows.append(row)
            if row.is_open:
                add(access.visible(request.user, queries.children(version.unit, day)), depth + 1)

    add(access.visible_tree(request.user, day), 0)
    return rows


def _toggle_url(request, code: str, open_codes: list[str]) -> str:
    params = request.GET.copy()
    opened = [c for c in open_codes if c != code] if code in open_codes else [*open_codes, code]
    params.setlist("mo", opened)
    params.pop("q", None)
    return f"?{params.urlencode()}#u-{code}"


def _unit_page(user, unit: Unit, day: dt.date) -> dict:
    version = unit.version_on(day)
    today = timezone.localdate()
    ancestors = queries.ancestors(unit, day) if version else []
    before, after = queries.direct_links(unit)
    events = queries.events_of(unit)
    successors_today = queries.successors(unit, today) if unit.valid_to else []
    linked = [link.predecessor_id for e in events for link in e.links.all()]
    linked += [link.successor_id for e in events for link in e.links.all()]
    linked += [s.unit.pk for s in successors_today]
    linked += [v.parent_id for v in unit.versions.all() if v.parent_id]
    return {
        "unit": unit,
        "day": day,
        "today": today,
        "version": version or unit.latest_version(),
        "alive": version is not None,
        "ancestors": ancestors,
        "visible_ancestors": {v.unit_id for v in access.visible(user, ancestors)},
        "children": access.visible(user, queries.children(unit, day)) if version else [],
        "change_days": queries.change_days(unit),
        "versions": sorted(unit.versions.all(), key=lambda v: v.valid_from),
        "events": events,
        "predecessor_links": before,
        "successor_links": after,
        "successors_today": successors_today,
        "names": queries.latest_versions(linked),
        "official_codes": list(unit.official_codes.all()),
        "audit": unit_audit(unit),
        "can_change": unit.valid_to is None and policy.can(user, policy.Action.CHANGE, unit),
        "can_manage_roles": policy.can(user, policy.Action.MANAGE_ROLES, unit),
    }


FORM_PAGES: dict[str, dict[str, Any]] = {
    "create": {
        "title": gettext_lazy("Thêm đơn vị trực thuộc"),
        "intro": gettext_lazy(
            "Đơn vị mới sẽ trực thuộc đơn vị này từ ngày thành lập. Mã đơn vị không đổi về sau."
        ),
        "submit": gettext_lazy("Thêm đơn vị"),
    },
    "change": {
        "title": gettext_lazy("Ghi nhận thay đổi"),
        "intro": gettext_lazy(
            "Đổi tên, đổi loại hoặc chuyển sang trực thuộc đơn vị khác từ một ngày. "
            "Tên và trực thuộc trước ngày đó được giữ nguyên trong lịch sử."
        ),
        "submit": gettext_lazy("Ghi nhận thay đổi"),
    },
    "dissolve": {
        "title": gettext_lazy("Giải thể đơn vị"),
        "intro": gettext_lazy(
            "Đơn vị chấm dứt từ ngày giải thể và không có đơn vị kế thừa. Đơn vị được hợp "
            "nhất hoặc chia tách thì không giải thể: việc đó được ghi nhận riêng để giữ liên "
            "kết với đơn vị kế thừa. Đơn vị còn đơn vị trực thuộc thì chưa giải thể được."
        ),
        "submit": gettext_lazy("Giải thể"),
        "danger": True,
    },
}


def _form_page(unit: Unit, which: str) -> dict:
    return {"unit": unit, "version": unit.latest_version(), "which": which, **FORM_PAGES[which]}
