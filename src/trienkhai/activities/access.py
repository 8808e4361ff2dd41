"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

An event belongs to its organiser unit: VIEW on it to read, CHANGE to write. A person's
data is seen, exported and erased with CHANGE on their unit (people.py). A channel
belongs to its managing unit; a cell's pledge list to the cell (CHANGE to read its
names, VIEW for its counts). A certificate is issued and revoked with CHANGE on the
event's organiser; its name is read with CHANGE on the person's unit too. An inspection
belongs to the inspecting unit; a recommendation is followed up by the inspected unit
too (inspections.py)."""

from trienkhai.accounts import policy
from trienkhai.activities.models import (
    Certificate,
    Channel,
    Event,
    Inspection,
    Person,
    Recommendation,
)
from trienkhai.common.errors import Conflict, NotFound
from trienkhai.orgs import access as org_access
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit


def get_unit(user, code: str, action: policy.Action = policy.Action.VIEW) -> Unit:
    return org_access.get_unit(user, code, action)


def get_event(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Event:
    """The event ``pk`` if ``user`` may do ``action`` on its organiser."""
    event = Event.objects.select_related("organiser").filter(pk=pk).first()
    if event is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("hoạt động / event", str(pk))
    policy.require(user, action, event.organiser)
    return event


def get_person(user, pk: int, action: policy.Action = policy.Action.CHANGE) -> Person:
    """The person ``pk`` if ``user`` may do ``action`` (CHANGE: see their data) on their unit."""
    person = Person.objects.select_related("unit").filter(pk=pk).first()
    if person is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("người tham gia / person", str(pk))
    policy.require(user, action, person.unit)
    return person


def get_certificate(user, pk: int) -> Certificate:
    """The certificate ``pk`` if ``user`` may CHANGE its organiser (who issues and revokes
    it). Its name and PDF need CHANGE on the person's unit too (``may_name``)."""
    found = Certificate.objects.select_related("organiser", "person__unit").filter(pk=pk).first()
    if found is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("giấy chứng nhận / certificate", str(pk))
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
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("kênh thông tin / channel", str(pk))
    policy.require(user, action, channel.unit)
    return channel


def get_inspection(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Inspection:
    """The inspection ``pk`` if ``user`` may do ``action`` on the inspecting unit."""
    inspection = (
        Inspection.objects.select_related("unit", "inspected", "plan").filter(pk=pk).first()
    )
    if inspection is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("cuộc kiểm tra / inspection", str(pk))
    policy.require(user, action, inspection.unit)
    return inspection


def get_inspection_followed(user, pk: int) -> Inspection:
    """The inspection ``pk`` if ``user`` may VIEW the inspecting unit or the inspected
    one, which reads its conclusion and follows up its recommendations."""
    inspection = (
        Inspection.objects.select_related("unit", "inspected", "plan").filter(pk=pk).first()
    )
    if inspection is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("cuộc kiểm tra / inspection", str(pk))
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
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("kiến nghị / recommendation", str(pk))
    units = [found.inspection.unit, found.inspection.inspected]
    if not policy.allowed(user, policy.Action.VIEW, units):
        raise policy.PermissionDenied
    return found


def default_unit(user) -> Unit:
    """The unit a page opens on: the first unit (by code) the user holds a role at; 403
    for a user without any role."""
    unit = Unit.objects.filter(pk__in=policy.role_unit_ids(user)).order_by("code").first()
    if unit is None:
        raise policy.PermissionDenied
    return unit


def visible_subtree_ids(user, unit: Unit) -> list[int]:
    """The units of ``unit``'s subtree (on its reference day) whose events ``user`` may
    view: all of it, except below a unit the user reaches alone (decision 0004)."""
    ids = queries.subtree_ids([unit.pk], unit.reference_date())
    visible = policy.visible_unit_ids(user)
    return sorted(ids if visible is None else ids & visible)


def named_people(user, people: list[Person]) -> set[int]:
    """The ids of ``people`` whose names ``user`` may read: CHANGE on their unit (decision
    0040); one walk of the tree per reference day, not one per person."""
    return {p.pk for p in policy.allowed(user, policy.Action.CHANGE, people)}
