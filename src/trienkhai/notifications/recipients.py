"""Who is told: people of their own work only, each list ending with ``accounts.policy``.

- **Enterers** of a unit's reports (returned, approved, due soon, overdue): the desk's
  rule (decision 0036): reporters at the unit or above it, managers and admins at the
  unit itself.
- **Approvers** of a unit's report (submitted): managers and admins of the nearest unit
  above that has any, whom the policy lets approve for the unit's parent. Those higher
  up see it on their desk, not in their mailbox.
- **Managers above** (escalation): the same people as the approvers.
- **Staff** of a unit (a task, a document received): its reporters, managers and admins.
"""

import datetime as dt
from collections.abc import Iterable

from trienkhai.accounts import policy
from trienkhai.accounts.models import Role, RoleAssignment, User
from trienkhai.common.models import valid_on
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitVersion

DECIDING = (Role.MANAGER, Role.ADMIN)
WORKING = (Role.REPORTER, Role.MANAGER, Role.ADMIN)


def _active(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=set(ids), is_active=True).order_by("pk"))


class Roles:
    """The role holders of the whole installation and the tree of one day, read once:
    a reminder run asks about thousands of units."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.parent: dict[int, int | None] = dict(
            UnitVersion.objects.filter(valid_on(day)).values_list("unit_id", "parent_id")
        )
        self.at: dict[int, list[tuple[int, str]]] = {}
        for user_id, unit_id, role in RoleAssignment.objects.filter(
            user__is_active=True
        ).values_list("user_id", "unit_id", "role"):
            self.at.setdefault(unit_id, []).append((user_id, role))

    def _up(self, unit_id: int) -> list[int]:
        found, seen = [], set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            found.append(current)
            current = self.parent.get(current)
        return found

    def enterers(self, unit_id: int) -> set[int]:
        ids = {u for u, role in self.at.get(unit_id, []) if role in DECIDING}
        for above in self._up(unit_id):
            ids |= {u for u, role in self.at.get(above, []) if role == Role.REPORTER}
        return ids

    def deciders_above(self, unit_id: int) -> tuple[int | None, set[int]]:
        """(the unit's parent, the managers and admins of the nearest unit above it
        that has any)."""
        chain = self._up(unit_id)[1:]
        for above in chain:
            ids = {u for u, role in self.at.get(above, []) if role in DECIDING}
            if ids:
                return chain[0], ids
        return (chain[0] if chain else None), set()


def enterers(unit: Unit, day: dt.date) -> list[User]:
    """Who enters ``unit``'s reports: the roles that give ENTER_DATA on it by the
    policy's rule (a reporter's role reaches the subtree; a manager's or admin's too, but
    only the unit's own are told, as on the desk). Two queries."""
    # The tree of the unit's reference day: today while it lives, its last day once it
    # ended (the demo's Vĩnh Thuận, reorganised in 2025, still has reports in review).
    up = [uid for uid, _ in queries.ancestor_ids(unit.pk, unit.reference_date(day))]
    up = up or [unit.pk]
    rows = RoleAssignment.objects.filter(unit_id__in=up, user__is_active=True).select_related(
        "user"
    )
    found = {
        row.user_id: row.user
        for row in rows
        if row.role == Role.REPORTER or (row.role in DECIDING and row.unit_id == unit.pk)
    }
    return [found[pk] for pk in sorted(found)]


def approvers(unit: Unit, day: dt.date) -> list[User]:
    """Who is told that ``unit``'s report waits for approval."""
    found = queries.ancestor_ids(unit.pk, unit.reference_date(day))
    up = [uid for uid, _ in sorted(found, key=lambda r: r[1])]
    if len(up) < 2:
        return []
    parent = Unit.objects.get(pk=up[1])
    rows = list(
        RoleAssignment.objects.filter(
            unit_id__in=up[1:], role__in=DECIDING, user__is_active=True
        ).values_list("user_id", "unit_id")
    )
    for above in up[1:]:
        ids = {user_id for user_id, unit_id in rows if unit_id == above}
        if ids:
            return [u for u in _active(ids) if policy.can(u, policy.Action.APPROVE, parent)]
    return []


def staff(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """{unit id: its reporters, managers and admins} (not viewers: they act on nothing)."""
    rows = RoleAssignment.objects.filter(
        unit_id__in=set(unit_ids), role__in=WORKING, user__is_active=True
    ).values_list("unit_id", "user_id")
    by_unit: dict[int, set[int]] = {}
    for unit_id, user_id in rows:
        by_unit.setdefault(unit_id, set()).add(user_id)
    users = {u.pk: u for u in _active({uid for ids in by_unit.values() for uid in ids})}
    return {unit: [users[uid] for uid in sorted(ids)] for unit, ids in by_unit.items()}
