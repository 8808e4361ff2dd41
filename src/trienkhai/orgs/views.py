"""The unit tree browser and the unit page. Thin: access → queries → render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trienkhai.orgs import access, queries


@login_required
@require_GET
def tree(request):
    """Browse the units you may see on a date, or search them ignoring accents."""
    day = access.day_or_today(request.GET.get("ngay"))
    q = request.GET.get("q", "").strip()
    if q:
        rows = access.visible(request.user, queries.search(q, limit=100))
    else:
        rows = access.visible_tree(request.user, day)
    return render(request, "orgs/tree.html", {"rows": rows, "q": q, "day": day})


@login_required
@require_GET
def unit_detail(request, code: str):
    """A unit: its name and place on a date, its children, its history and lineage."""
    unit = access.get_unit(request.user, code)
    day = (
        access.day_or_today(request.GET.get("ngay"))
        if request.GET.get("ngay")
        else unit.reference_date()
    )
    version = unit.version_on(day)
    before, after = queries.direct_links(unit)
    context = {
        "unit": unit,
        "day": day,
        "version": version or unit.latest_version(),
        "alive": version is not None,
        "ancestors": queries.ancestors(unit, day) if version else [],
        "children": queries.children(unit, day) if version else [],
        "versions": sorted(unit.versions.all(), key=lambda v: v.valid_from),
        "events": queries.events_of(unit),
        "predecessor_links": before,
        "successor_links": after,
        "successors_today": queries.successors(unit, access.day_or_today(None)),
        "official_codes": list(unit.official_codes.all()),
    }
    return render(request, "orgs/unit.html", context)
