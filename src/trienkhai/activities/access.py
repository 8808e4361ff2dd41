"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

An event belongs to its organiser unit: VIEW on it to read, CHANGE to write; so do
the connected sites of an online conference (decision 0046). A person's
data is seen, exported and erased with CHANGE on their unit (people.py). A channel
belongs to its managing unit; a cell's pledge list to the cell (CHANGE to read its
names, VIEW for its counts). A certificate is issued and revoked with CHANGE on the
event's organiser; its name is read with CHANGE on the person's unit too. An inspection
belongs to the inspecting unit; a recommendation is followed up by the inspected unit
too (inspections.py)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from trienkhai.accounts import policy
from trienkhai.activities.models import (
    Certificate,
    Channel,
    Event,
    Inspection,
    InspectionPlan,
    Person,
    Recommendation,
    Session,
    Site,
)
from trienkhai.common.errors import Conflict
from trienkhai.orgs import access as org_access
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn import sort_key


def get_unit(user, code: str, action: policy.Action = policy.Action.VIEW) -> Unit:
    return org_access.get_unit(user, code, action)


def get_event(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Event:
    """The event ``pk`` if ``user`` may do ``action`` on its organiser."""
    event = Event.objects.select_related("organiser").filter(pk=pk).first()
    if event is None:
        raise policy.unknown(user, "hoạt động / event", pk)
    policy.require(user, action, event.organiser)
    return event


def get_site(user, pk: int, action: policy.Action = policy.Action.CHANGE) -> Site:
    """The connected site ``pk`` if ``user`` may do ``action`` on its event's organiser,
    which holds the conference and writes its sites (decision 0046)."""
    site = Site.objects.select_related("event__organiser", "unit").filter(pk=pk).first()
    if site is None:
        raise policy.unknown(user, "điểm cầu / site", pk)
    policy.require(user, action, site.event.organiser)
    return site


def get_session(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Session:
    """The session ``pk`` (with its event and organiser) if ``user`` may do ``action`` on
    the organiser: CHANGE to open its check-in and check people in (decision 0045)."""
    session = Session.objects.select_related("event__organiser").filter(pk=pk).first()
    if session is None:
        raise policy.unknown(user, "buổi / session", pk)
    policy.require(user, action, session.event.organiser)
    return session


def get_person(user, pk: int, action: policy.Action = policy.Action.CHANGE) -> Person:
    """The person ``pk`` if ``user`` may do ``action`` (CHANGE: see their data) on their unit."""
    person = Person.objects.select_related("unit").filter(pk=pk).first()
    if person is None:
        raise policy.unknown(user, "người tham gia / person", pk)
    policy.require(user, action, person.unit)
    return person


def get_certificate(user, pk: int) -> Certificate:
    """The certificate ``pk`` if ``user`` may CHANGE its organiser (who issues and revokes
    it). Its name and PDF need CHANGE on the person's unit too (``may_name``)."""
    found = Certificate.objects.select_related("organiser", "person__unit").filter(pk=pk).first()
    if found is None:
        raise policy.unknown(user, "giấy chứng nhận / certificate", pk)
    policy.require(user, policy.Action.CHANGE, found.organiser)
    return found


def may_name(user, certificate: Certificate) -> bool:
    """Whether ``user`` may read the certificate's name and print it: CHANGE on the
    person's unit, as for the attendance list (decision 0040)."""
    return policy.can(user, policy.Action.CHANGE, certificate.person.unit)


def get_printable_certificate(user, pk: int) -> Certificate:
    """The certificate ``pk`` to print: ``get_certificate``, 403 unless ``may_name``,
    409 once revoked (a revoked paper is not printed again)."""
    found = get_certificate(user, pk)
    if not may_name(user, found):
        raise policy.PermissionDenied
    if not found.is_valid:
        raise Conflict(
            "revoked", "Giấy chứng nhận đã bị thu hồi / the certificate has been revoked"
        )
    return found


def get_channel(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Channel:
    """The channel ``pk`` if ``user`` may do ``action`` on its managing unit."""
    channel = Channel.objects.select_related("unit").filter(pk=pk).first()
    if channel is None:
        raise policy.unknown(user, "kênh thông tin / channel", pk)
    policy.require(user, action, channel.unit)
    return channel


def get_plan(user, pk: int, action: policy.Action = policy.Action.VIEW) -> InspectionPlan:
    """The inspection plan ``pk`` if ``user`` may do ``action`` on its unit."""
    plan = InspectionPlan.objects.select_related("unit").filter(pk=pk).first()
    if plan is None:
        raise policy.unknown(user, "kế hoạch kiểm tra / inspection plan", pk)
    policy.require(user, action, plan.unit)
    return plan


def get_inspection(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Inspection:
    """The inspection ``pk`` if ``user`` may do ``action`` on the inspecting unit."""
    inspection = (
        Inspection.objects.select_related("unit", "inspected", "plan").filter(pk=pk).first()
    )
    if inspection is None:
        raise policy.unknown(user, "cuộc kiểm tra / inspection", pk)
    policy.require(user, action, inspection.unit)
    return inspection


def get_inspection_followed(user, pk: int) -> Inspection:
    """The inspection ``pk`` if ``user`` may VIEW the inspecting unit or the inspected
    one, which reads its conclusion and follows up its recommendations."""
    inspection = (
        Inspection.objects.select_related("unit", "inspected", "plan").filter(pk=pk).first()
    )
    if inspection is None:
        raise policy.unknown(user, "cuộc kiểm tra / inspection", pk)
    if not policy.allowed(user, policy.Action.VIEW, [inspection.unit, inspection.inspected]):
        raise policy.PermissionDenied
    return inspection


def get_recommendation(user, pk: int) -> Recommendation:
    """The recommendation ``pk`` if ``user`` may see its inspection or the inspected unit
    (the service asks for CHANGE on one of them)."""
    found = (
        Recommendation.objects.select_related("inspection__unit", "inspection__inspected")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise policy.unknown(user, "kiến nghị / recommendation", pk)
    units = [found.inspection.unit, found.inspection.inspected]
    if not policy.allowed(user, policy.Action.VIEW, units):
        raise policy.PermissionDenied
    return found


def reached(user, unit: Unit, unit_ids: Iterable[int]) -> set[int]:
    """Of ``unit_ids`` (units of ``unit``'s subtree), those whose rows ``user`` reads in
    ``unit``'s registers: all of them for whoever views ``unit`` with its subtree (a role
    over it); for a successor that took only part of a district (it reaches ``unit``
    alone), the district's own rows, not those of the cells that went to its neighbours
    (decision 0004). The totals stay the subtree's."""
    found = set(unit_ids)
    if policy.views_subtree(user, unit):
        return found
    visible = policy.visible_unit_ids(user)
    return found if visible is None else found & visible


@dataclass(frozen=True)
class Predecessor:
    """A unit that went into another in a merge or split (the 2025 reform), as a
    successor's register pages link to it."""

    code: str
    name: str
    last_day: dt.date
    is_partial: bool
    """It went only partly into the successor: its own records, not those of the units
    under it that went elsewhere (decision 0004)."""


def predecessors(user, unit: Unit) -> list[Predecessor]:
    """The units that went into ``unit`` (wholly or partly, transitively) whose registers
    ``user`` may read, latest ended first: a successor's users read them through the
    policy (VIEW carries across lineage, decision 0004) and change nothing. A few queries;
    one for a unit nobody went into."""
    whole, part = queries.absorbed_ids([unit.pk])
    if not whole and not part:
        return []
    found = policy.allowed(user, policy.Action.VIEW, Unit.objects.filter(pk__in=whole | part))
    names = queries.latest_versions(u.pk for u in found)
    shown = [
        Predecessor(
            u.code,
            names[u.pk].name if u.pk in names else u.code,
            u.reference_date(),
            u.pk not in whole,
        )
        for u in found
    ]
    return sorted(shown, key=lambda p: (-p.last_day.toordinal(), sort_key(p.name)))


def named_people(user, people: list[Person]) -> set[int]:
    """The ids of ``people`` whose names ``user`` may read: CHANGE on their unit (decision
    0040); one walk of the tree per reference day, not one per person."""
    return {p.pk for p in policy.allowed(user, policy.Action.CHANGE, people)}
