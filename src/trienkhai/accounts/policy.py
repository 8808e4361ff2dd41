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
from collections.abc import Iterable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q

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
    MANAGE_INDICATORS = "manage_indicators"
    """Edit indicators and disaggregations: shared data, for admins."""
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


def _cache(user) -> dict:
    """Per-request memo on the user object: roles and reach do not change within a request."""
    return user.__dict__.setdefault("_policy_cache", {})


def _held(user) -> list[tuple[int, Role]]:
    cache = _cache(user)
    if "held" not in cache:
        rows = list(user.roles.values_list("unit_id", "role", "unit__code"))
        cache["held"] = [(uid, Role(role)) for uid, role, _ in rows]
        # Roles at the country reach everything (_is_global): known from the same query.
        cache["at_root"] = {uid for uid, _, code in rows if code == ROOT_CODE}
    return cache["held"]


def _reach(unit_ids: set[int]) -> set[int]:
    """The units themselves and every unit that merged into them (their history)."""
    return unit_ids | queries.all_predecessor_ids(unit_ids) if unit_ids else set()


def _roots(user, action: Action) -> set[int]:
    """The units (ids) from which the user's roles that allow ``action`` reach down."""
    cache = _cache(user)
    key = ("roots", action)
    if key not in cache:
        units = frozenset(uid for uid, role in _held(user) if action in ROLE_ACTIONS[role])
        # Actions allowed by the same roles reach the same units: one query, not one each.
        reach_key = ("reach", units)
        if reach_key not in cache:
            cache[reach_key] = _reach(set(units))
        cache[key] = cache[reach_key]
    return cache[key]


def _is_global(user, action: Action) -> bool:
    """Superusers, and roles held at the country (the root unit, code VN), reach everything."""
    if user.is_superuser:
        return True
    cache = _cache(user)
    _held(user)  # fills cache["at_root"]
    return any(
        uid in cache["at_root"] and action in ROLE_ACTIONS[role] for uid, role in _held(user)
    )


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _unit_of(obj) -> Unit:
    return obj if isinstance(obj, Unit) else obj.unit


def can(user, action: Action | str, obj=None, *, today: dt.date | None = None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a Unit, or an object with a ``unit``)?

    Without ``obj``: does the user hold any role that allows the action at all?
    """
    if not _active(user):
        return False
    action = Action(action)
    if _is_global(user, action):
        return True
    roots = _roots(user, action)
    if action is Action.MANAGE_KINDS or not roots:
        return False
    if obj is None:
        return True
    unit = _unit_of(obj)
    day = unit.reference_date(today)
    # A request often asks twice about one unit (the view, then the service it calls).
    key = ("ancestors", unit.pk, day)
    cache = _cache(user)
    if key not in cache:
        cache[key] = {uid for uid, _ in queries.ancestor_ids(unit.pk, day)}
    return bool(cache[key] & roots)


def allowed(user, action: Action | str, objects: Iterable, *, today: dt.date | None = None) -> list:
    """The objects of ``objects`` on which ``user`` may do ``action``, in their order.

    The same answer as ``can`` for each, in one query per distinct reference date
    (today for living units, the last day of ended ones) instead of one per object.
    """
    objects = list(objects)
    if not _active(user):
        return []
    action = Action(action)
    if _is_global(user, action):
        return objects
    roots = _roots(user, action)
    if action is Action.MANAGE_KINDS or not roots:
        return []
    by_day: dict[dt.date, set[int]] = {}
    keep = []
    for obj in objects:
        unit = _unit_of(obj)
        day = unit.reference_date(today)
        if day not in by_day:
            by_day[day] = queries.subtree_ids(roots, day)
        if unit.pk in by_day[day]:
            keep.append(obj)
    return keep


def require(user, action: Action | str, obj=None) -> None:
    """Raise PermissionDenied unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này / you may not do this")


def can_grant(user, role: str, unit: Unit) -> bool:
    """May ``user`` give ``role`` at ``unit``?

    They must manage roles there, and ``role`` may not rank above the best role they hold
    *over that unit* (an admin elsewhere does not make a manager here an admin).
    """
    if not can(user, Action.MANAGE_ROLES, unit):
        return False
    if user.is_superuser:
        return True
    day = unit.reference_date()
    above = {uid for uid, _ in queries.ancestor_ids(unit.pk, day)}
    best = max(
        (ROLE_RANK[held] for uid, held in _held(user) if _reach({uid}) & above),
        default=-1,
    )
    return ROLE_RANK[Role(role)] <= best


def can_revoke(user, assignment) -> bool:
    """A role may be taken away by whoever may grant it."""
    return can_grant(user, assignment.role, assignment.unit)


def role_unit_ids(user) -> set[int]:
    """The units at which the user holds a role."""
    return {uid for uid, _ in _held(user)} if _active(user) else set()


def visible_root_ids(user, day: dt.date) -> set[int] | None:
    """The units whose subtrees the user may view on ``day``; None means everything."""
    if _is_global(user, Action.VIEW):
        return None
    return set(_roots(user, Action.VIEW))


def visible_unit_ids(
    user, action: Action | str = Action.VIEW, *, today: dt.date | None = None
) -> set[int] | None:
    """The units whose objects ``allowed`` keeps for ``action``; None means every unit.

    For lists filtered in SQL (``unit_id IN ...``): the same answer as ``allowed``, one
    subtree walk per distinct reference date (today for living units, the last day of
    ended ones, the first day of units not yet started), memoised for the request.
    """
    if not _active(user):
        return set()
    action = Action(action)
    if _is_global(user, action):
        return None
    roots = _roots(user, action)
    if action is Action.MANAGE_KINDS or not roots:
        return set()
    today = today or dt.date.today()
    cache = _cache(user)
    key = ("visible", action, today)
    if key not in cache:
        visible = queries.subtree_ids(roots, today)
        ended: dict[dt.date, set[int]] = {}
        for pk, valid_from, valid_to in Unit.objects.filter(
            Q(valid_to__lte=today) | Q(valid_from__gt=today)
        ).values_list("pk", "valid_from", "valid_to"):
            day = valid_to - dt.timedelta(days=1) if valid_to and valid_to <= today else valid_from
            ended.setdefault(day, set()).add(pk)
        for day, units in ended.items():
            visible |= queries.subtree_ids(roots, day) & units
        cache[key] = visible
    return cache[key]
