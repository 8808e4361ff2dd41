"""The one permission policy: may this user do this action on this object?

Every view and API call asks here (through ``require`` or ``can``); none decides access
on its own.

- A role is held at a unit and reaches that unit's subtree.
- The subtree is the one of the day the object is looked at: today for a unit that
  lives, its last day for a unit that has ended. A role also reaches the units that
  became (merged into) its unit, so that a committee formed in the 2025 reorganisation
  sees the history of the bodies it replaced.
- A Django superuser may do everything.
"""

import datetime as dt
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from trienkhai.accounts.models import Role
from trienkhai.orgs import queries
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import Unit


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    """Edit a unit, create units under it, record its events."""
    MANAGE_ROLES = "manage_roles"
    ENTER_DATA = "enter_data"
    APPROVE = "approve"
    MANAGE_KINDS = "manage_kinds"
    """Edit the list of unit kinds: data shared by the whole installation."""


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.MANAGER: frozenset(
        {Action.VIEW, Action.CHANGE, Action.MANAGE_ROLES, Action.ENTER_DATA, Action.APPROVE}
    ),
    Role.REPORTER: frozenset({Action.VIEW, Action.ENTER_DATA}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

ROLE_RANK = {Role.VIEWER: 0, Role.REPORTER: 1, Role.MANAGER: 2, Role.ADMIN: 3}
"""A user may grant only roles up to their own rank."""


def _roots(user, action: Action) -> set[int]:
    """The units (ids) from which the user's roles that allow ``action`` reach down."""
    cache = user.__dict__.setdefault("_policy_roots", {})
    if action not in cache:
        held = {
            unit_id
            for unit_id, role in user.roles.values_list("unit_id", "role")
            if action in ROLE_ACTIONS[Role(role)]
        }
        cache[action] = held | queries.all_predecessor_ids(held) if held else set()
    return cache[action]


def _is_global(user, action: Action) -> bool:
    """Superusers, and roles held at the country (the root unit, code VN), reach everything."""
    if user.is_superuser:
        return True
    roots = _roots(user, action)
    return bool(roots) and Unit.objects.filter(pk__in=roots, code=ROOT_CODE).exists()


def can(user, action: Action | str, obj=None, *, today: dt.date | None = None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a Unit, or an object with a ``unit``)?

    Without ``obj``: does the user hold any role that allows the action at all?
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    action = Action(action)
    if _is_global(user, action):
        return True
    roots = _roots(user, action)
    if action is Action.MANAGE_KINDS or not roots:
        return False
    if obj is None:
        return True
    unit = obj if isinstance(obj, Unit) else obj.unit
    day = unit.reference_date(today)
    return queries.is_descendant_or_self(unit.pk, roots, day)


def require(user, action: Action | str, obj=None) -> None:
    """Raise PermissionDenied unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này / you may not do this")


def can_grant(user, role: str, unit: Unit) -> bool:
    """May ``user`` give ``role`` at ``unit``: manage roles there, and not above their own rank."""
    if not can(user, Action.MANAGE_ROLES, unit):
        return False
    if user.is_superuser:
        return True
    best = max((ROLE_RANK[Role(r)] for r in user.roles.values_list("role", flat=True)), default=-1)
    return ROLE_RANK[Role(role)] <= best


def visible_root_ids(user, day: dt.date) -> set[int] | None:
    """The units whose subtrees the user may view on ``day``; None means everything."""
    if _is_global(user, Action.VIEW):
        return None
    return {uid for uid in _roots(user, Action.VIEW)}
