"""Reads that return the object or raise: 404 if unknown (403 to a user with no role at
all, ``policy.unknown``), 403 if the policy says no.

A committee is read by whoever may VIEW its unit (the Party committee that set it up,
or a successor of that unit) and changed by whoever may CHANGE it. The names and
positions of its people are part of what viewers read: the committee's work is who
sits on it (decision 0058); erasing one takes CHANGE.
"""

from django.db.models import F, Prefetch, QuerySet

from trienkhai.accounts import policy
from trienkhai.committees.models import Attendance, Committee, Meeting, Membership, Person
from trienkhai.orgs.models import Unit


def get_committee(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Committee:
    found = (
        Committee.objects.select_related("unit", "founding_decision")
        .prefetch_related("unit__versions")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise policy.unknown(user, "ban chỉ đạo / committee", pk)
    policy.require(user, action, found.unit)
    return found


def get_meeting(
    user, committee: Committee, pk: int, action: policy.Action = policy.Action.VIEW
) -> Meeting:
    """A meeting of ``committee`` (already read with its rights)."""
    found = Meeting.objects.select_related("committee__unit", "minutes").filter(pk=pk).first()
    if found is None or found.committee_id != committee.pk:
        raise policy.unknown(user, "cuộc họp / meeting", pk)
    policy.require(user, action, committee.unit)
    return found


def get_membership(user, committee: Committee, pk: int) -> Membership:
    """A seat on ``committee``, for a change (CHANGE on its unit)."""
    found = Membership.objects.select_related("person__committee__unit").filter(pk=pk).first()
    if found is None or found.person.committee_id != committee.pk:
        raise policy.unknown(user, "thành viên / member", pk)
    policy.require(user, policy.Action.CHANGE, committee.unit)
    return found


def get_person(user, pk: int) -> Person:
    """A person of a committee, to whoever may CHANGE the committee's unit (their export
    and erasure, decision 0040)."""
    found = Person.objects.select_related("committee__unit", "unit").filter(pk=pk).first()
    if found is None:
        raise policy.unknown(user, "người / person", pk)
    policy.require(user, policy.Action.CHANGE, found.committee.unit)
    return found


def committees_under(unit_ids: list[int]) -> QuerySet[Committee]:
    """The committees set up by any of ``unit_ids`` (``org_access.visible_subtree_ids``:
    ended units under it too), those still working first, then the newest."""
    return (
        Committee.objects.filter(unit_id__among=unit_ids)
        .select_related("unit", "founding_decision")
        .prefetch_related("unit__versions")
        .order_by(F("valid_to").desc(nulls_first=True), "-valid_from", "id")
    )


def committees_of(unit: Unit) -> QuerySet[Committee]:
    """The committees ``unit`` set up; the caller has checked VIEW on it."""
    return Committee.objects.filter(unit=unit).order_by("-valid_from", "id")


def meetings_of(committee: Committee) -> QuerySet[Meeting]:
    """The committee's meetings, newest first, with who attended and what they concluded."""
    return (
        Meeting.objects.filter(committee=committee)
        .select_related("minutes")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person").order_by(
                    "is_invited", "-is_chair", "id"
                ),
            ),
            "conclusions__assignment__rows__unit__versions",
            "conclusions__assignment__document",
        )
        .order_by("-date", "-id")
    )
