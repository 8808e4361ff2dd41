"""The steering committees' pages: a unit's committees, and one committee on a chosen day
(its members then, the days its composition changed, its meetings and conclusions).

Each view: decorators → access (which asks accounts.policy) → read → render. The pages
only read; writes go through the API (api.py) and its services.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trienkhai.accounts import policy
from trienkhai.committees import access
from trienkhai.committees.models import Committee, Membership
from trienkhai.common.errors import BadInput
from trienkhai.orgs import access as org_access
from trienkhai.orgs.forms import DayForm


@login_required
@require_GET
def committee_list(request):
    """The committees a unit set up (``?don-vi=CODE``), for its viewers."""
    code = request.GET.get("don-vi", "").strip()
    if not code:
        raise BadInput("missing_unit", "Cần chọn đơn vị (don-vi) / choose a unit (don-vi)")
    unit = org_access.get_unit(request.user, code, policy.Action.VIEW)
    context = {"unit": unit, "committees": access.committees_of(unit)}
    return render(request, "committees/list.html", context)


def _opening_day(committee: Committee) -> dt.date:
    """Today while the committee works; its last day once it has ended."""
    today = timezone.localdate()
    if committee.valid_to is not None and committee.valid_to <= today:
        return committee.valid_to - dt.timedelta(days=1)
    return max(today, committee.valid_from)


def _change_days(committee: Committee) -> list[dt.date]:
    """The days its composition changed (a seat began or ended), in order."""
    seats = Membership.objects.filter(person__committee=committee)
    days = set(seats.values_list("valid_from", flat=True))
    days |= {d for d in seats.values_list("valid_to", flat=True) if d is not None}
    return sorted(d for d in days if committee.is_valid_on(d))


@login_required
@require_GET
def committee_page(request, pk: int):
    """A committee on a day (``?ngay=dd/mm/yyyy``): who sat on it, and its meetings."""
    committee = access.get_committee(request.user, pk)
    form = DayForm(request.GET)
    day = form.day(default=_opening_day(committee))
    context = {
        "committee": committee,
        "form": form,
        "day": day,
        "alive": committee.is_valid_on(day),
        "seats": list(committee.members_on(day)),
        "change_days": _change_days(committee),
        "meetings": list(access.meetings_of(committee)),
        "may_change": policy.can(request.user, policy.Action.CHANGE, committee.unit),
    }
    return render(request, "committees/committee.html", context, status=400 if form.errors else 200)
