"""The steering committees' pages: a unit's committees, and one committee on a chosen day
(its members then, the days its composition changed, its meetings and conclusions); and
for the managers of its unit the pages that change it (decision 0063): found a committee,
seat, change and end a member, end the committee, record a meeting, its minutes and
conclusions, erase a person.

Each view: decorators → access (which asks accounts.policy) → form → service → render or
redirect. A refused form answers 400 with the error beside its field; nothing is saved.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts import policy
from trienkhai.committees import access, services
from trienkhai.committees.forms import (
    CommitteeForm,
    ConclusionForm,
    EndForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    SeatChangeForm,
    UnitFilter,
    offer,
    register_of,
    registered,
)
from trienkhai.committees.models import Committee, Membership, Person
from trienkhai.common.errors import BadInput
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import require_some
from trienkhai.orgs.forms import DayForm
from trienkhai.web.forms import for_user, posted, render_form
from trienkhai.web.labels import unit_name


@login_required
@require_GET
def committee_list(request):
    """The committees set up by a unit (``?don-vi=``, picked by name; blank, the user's
    first) and the units under it that the user views."""
    form = for_user(UnitFilter(request.GET), request.user)
    form.is_valid()
    chosen = form.cleaned_data.get("don-vi")
    if chosen is None:
        unit = org_access.default_unit(request.user)
    else:
        unit = org_access.get_unit(request.user, chosen.code, policy.Action.VIEW)
    form.data = {**dict(form.data.items()), "don-vi": form.data.get("don-vi") or unit.code}
    context = {
        "form": form,
        "unit": unit,
        "committees": access.committees_under(org_access.visible_subtree_ids(request.user, unit)),
        "may_change": policy.can(request.user, policy.Action.CHANGE, unit),
    }
    return render_form(request, "committees/list.html", context)


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


# Writes (decision 0063) ------------------------------------------------------------------


def _page(committee: Committee, anchor: str = "") -> str:
    return f"/ban-chi-dao/{committee.pk}/" + (f"#{anchor}" if anchor else "")


def _form_page(request, form, *, committee: Committee | None, title: str, **extra):
    context = {"form": form, "committee": committee, "title": title, **extra}
    return render_form(request, "committees/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_committee(request):
    """Found a committee (a unit the user may change, ``?don-vi=CODE`` chosen first); its
    decision is a QĐ of that unit's register."""
    require_some(request.user, policy.Action.CHANGE)
    code = request.GET.get("don-vi", "").strip()
    initial = {"unit": code, "founded": timezone.localdate()}
    form = for_user(CommitteeForm(posted(request), initial=initial), request.user)
    shown_unit = org_access.get_unit(request.user, code, policy.Action.VIEW) if code else None
    if shown_unit is not None:
        offer(form, "decision", register_of(shown_unit, decisions=True))
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        if not policy.can(request.user, policy.Action.CHANGE, unit):
            form.add_error("unit", _("Bạn không có quyền thành lập ban chỉ đạo cho đơn vị này."))
        else:
            decision = registered(
                form, "decision", register_of(unit, decisions=True), unit_name(unit)
            )
            if not form.errors:
                try:
                    committee = services.create_committee(
                        acting_user=request.user,
                        unit=unit,
                        name=form.cleaned_data["name"],
                        valid_from=form.cleaned_data["founded"],
                        founding_decision=decision,
                    )
                except BadInput as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(request, _("Đã thành lập %(name)s.") % {"name": committee})
                    return redirect("committees:committee", committee.pk)
    return _form_page(request, form, committee=None, title=_("Thành lập ban chỉ đạo"))


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request, pk: int):
    """Seat a person on the committee: name, their own unit and position, seat, from."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    initial = {"role": Membership.Role.MEMBER, "valid_from": _opening_day(committee)}
    form = for_user(MemberForm(posted(request), initial=initial), request.user)
    if form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if unit is not None and not policy.can(request.user, policy.Action.VIEW, unit):
            form.add_error("unit", _("Bạn không xem được đơn vị này."))
        else:
            try:
                seat = services.add_member(
                    acting_user=request.user,
                    committee=committee,
                    name=data["name"],
                    role=data["role"],
                    position=data["position"],
                    unit=unit,
                    valid_from=data["valid_from"],
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                done = _("Đã thêm %(name)s vào ban chỉ đạo.") % {"name": seat.person.name}
                messages.success(request, done)
                return redirect(_page(committee, "members"))
    return _form_page(request, form, committee=committee, title=_("Thêm thành viên"))


@login_required
@require_http_methods(["GET", "POST"])
def change_seat(request, pk: int, seat: int):
    """From a day the member sits in another role or with another position."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    membership = access.get_membership(request.user, committee, seat)
    initial = {"role": membership.role, "position": membership.position}
    form = SeatChangeForm(posted(request), initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_seat(
                acting_user=request.user,
                membership=membership,
                on=data["on"],
                role=data["role"],
                position=data["position"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã ghi thay đổi của %(name)s.") % {"name": membership.person}
            )
            return redirect(_page(committee, "members"))
    title = _("Đổi nhiệm vụ, chức vụ: %(name)s") % {"name": membership.person}
    return _form_page(request, form, committee=committee, title=title, seat=membership)


@login_required
@require_http_methods(["GET", "POST"])
def end_seat(request, pk: int, seat: int):
    """The member's seat ends on a day (their first day off)."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    membership = access.get_membership(request.user, committee, seat)
    form = EndForm(posted(request))
    if form.is_valid():
        try:
            services.end_membership(
                acting_user=request.user, membership=membership, on=form.cleaned_data["on"]
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(name)s đã thôi nhiệm vụ.") % {"name": membership.person})
            return redirect(_page(committee, "members"))
    title = _("Thôi nhiệm vụ: %(name)s") % {"name": membership.person}
    return _form_page(request, form, committee=committee, title=title, seat=membership)


@login_required
@require_http_methods(["GET", "POST"])
def end_committee(request, pk: int):
    """The committee ends on a day (its first day without it); open seats end with it."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    form = EndForm(posted(request))
    form.fields["on"].label = _("Ngày kết thúc")
    if form.is_valid():
        try:
            services.end_committee(
                acting_user=request.user, committee=committee, on=form.cleaned_data["on"]
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã ghi ban chỉ đạo kết thúc."))
            return redirect(_page(committee))
    title = _("Kết thúc ban chỉ đạo: %(name)s") % {"name": committee}
    return _form_page(request, form, committee=committee, title=title, ending=True)


def _seated_people(committee: Committee) -> list[Person]:
    """The committee's people who have had a seat, head first, then by name's order."""
    found = (
        Person.objects.filter(committee=committee, memberships__isnull=False, erased__isnull=True)
        .annotate(first_role=Min("memberships__role_order"))
        .order_by("first_role", "id")
    )
    return list(found)


@login_required
@require_http_methods(["GET", "POST"])
def hold_meeting(request, pk: int):
    """Record a meeting or review conference: who of the members attended, guests, and
    the minutes from the register."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    people = _seated_people(committee)
    initial = {"date": _opening_day(committee), "kind": "regular"}
    form = MeetingForm(posted(request), initial=initial, people=people)
    register = register_of(committee.unit)
    offer(form, "minutes", register)
    if form.is_valid():
        data = form.cleaned_data
        minutes = registered(form, "minutes", register, unit_name(committee.unit))
        if not form.errors:
            try:
                meeting = services.hold_meeting(
                    acting_user=request.user,
                    committee=committee,
                    date=data["date"],
                    kind=data["kind"],
                    title=data["title"],
                    agenda=data["agenda"],
                    place=data["place"],
                    attendees=data["attendees"],
                    guests=form.guest_list(),
                    chair=data["chair"],
                    minutes=minutes,
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã ghi cuộc họp: %(title)s.") % {"title": meeting})
                return redirect(_page(committee, f"meeting-{meeting.pk}"))
    return _form_page(request, form, committee=committee, title=_("Ghi cuộc họp, hội nghị"))


@login_required
@require_http_methods(["GET", "POST"])
def set_minutes(request, pk: int, meeting: int):
    """Name a meeting's minutes from the register (often issued days later)."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    held = access.get_meeting(request.user, committee, meeting, policy.Action.CHANGE)
    initial = {"minutes": held.minutes.symbol if held.minutes else ""}
    form = MinutesForm(posted(request), initial=initial)
    register = register_of(committee.unit)
    offer(form, "minutes", register)
    if form.is_valid():
        document = registered(form, "minutes", register, unit_name(committee.unit))
        if document is not None:
            try:
                services.set_minutes(acting_user=request.user, meeting=held, document=document)
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã ghi biên bản của cuộc họp."))
                return redirect(_page(committee, f"meeting-{held.pk}"))
    title = _("Biên bản: %(title)s") % {"title": held}
    return _form_page(request, form, committee=committee, title=title, meeting=held)


@login_required
@require_http_methods(["GET", "POST"])
def conclude(request, pk: int, meeting: int):
    """A conclusion of the meeting becomes a task of the directives (``conclude``): a unit
    must report on it by a day, by the notice of conclusions or the minutes."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    held = access.get_meeting(request.user, committee, meeting, policy.Action.CHANGE)
    form = for_user(ConclusionForm(posted(request)), request.user)
    register = register_of(committee.unit)
    offer(form, "document", register)
    if form.is_valid():
        data = form.cleaned_data
        document = registered(form, "document", register, unit_name(committee.unit))
        document = document or held.minutes
        if document is None and not form.errors:
            form.add_error(
                "document",
                _("Cần văn bản kết luận, hoặc ghi biên bản của cuộc họp trước."),
            )
        if document is not None and not form.errors:
            try:
                services.conclude(
                    acting_user=request.user,
                    meeting=held,
                    document=document,
                    task=data["task"],
                    due=data["due"],
                    expects=data["expects"],
                    units=[data["unit"].code],
                )
            except PermissionDenied:
                form.add_error("unit", _("Bạn không giao nhiệm vụ được cho đơn vị này."))
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã giao nhiệm vụ theo kết luận."))
                return redirect(_page(committee, f"meeting-{held.pk}"))
    title = _("Kết luận, giao nhiệm vụ: %(title)s") % {"title": held}
    return _form_page(request, form, committee=committee, title=title, meeting=held)


@login_required
@require_http_methods(["GET", "POST"])
def erase_person(request, pk: int, person: int):
    """Asks, then erases a person's name and positions (``erase_person``); their seats
    and attendances stay, as "—"."""
    committee = access.get_committee(request.user, pk, policy.Action.CHANGE)
    found = access.get_person(request.user, person)
    if found.committee_id != committee.pk:
        raise policy.unknown(request.user, "người / person", person)
    context: dict = {"committee": committee, "person": found, "error": None}
    if request.method == "POST":
        try:
            services.erase_person(acting_user=request.user, person=found)
        except BadInput as exc:
            context["error"] = exc
            return render(request, "committees/erase.html", context, status=409)
        messages.success(request, _("Đã xóa dữ liệu cá nhân."))
        return redirect(_page(committee, "members"))
    context["seats"] = found.memberships.count()
    context["attended"] = found.attendances.count()
    return render(request, "committees/erase.html", context)
