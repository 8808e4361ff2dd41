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

from trienkhai.accounts.models import Role, RoleAssignment
from trienkhai.common import rows
from trienkhai.orgs import queries
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import LineageLink, Unit


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
        found = _role_rows(user.pk)
        cache["held"] = [(uid, Role(role)) for uid, role, _, _ in found]
        # Roles at the country reach everything (_is_global), and the role units that
        # others merged into (_reach): known from the same query.
        cache["at_root"] = {uid for uid, _, code, _ in found if code == ROOT_CODE}
        cache["merged_into"] = {uid for uid, _, _, merged in found if merged}
    return cache["held"]


def _role_rows(user_id: int) -> list[tuple[int, str, str, bool]]:
    """(unit id, role, unit code, whether a unit went into it) of each role of the user.

    Asked on every request: one statement written by hand (common.rows), not three
    compiled querysets (roles, their units, lineage)."""
    found = rows.fetch(_role_sql(), [user_id])
    return [(uid, role, code, bool(merged)) for uid, role, code, merged in found]


@rows.statement
def _role_sql() -> str:
    held, link = RoleAssignment, LineageLink
    return (
        f"SELECT r.{rows.column(held, 'unit')}, r.{rows.column(held, 'role')},"
        f" u.{rows.column(Unit, 'code')},"
        f" EXISTS (SELECT 1 FROM {rows.table(link)} l"
        f"  WHERE l.{rows.column(link, 'successor')} = r.{rows.column(held, 'unit')})"
        f" FROM {rows.table(held)} r JOIN {rows.table(Unit)} u"
        f" ON u.{rows.column(Unit, 'id')} = r.{rows.column(held, 'unit')}"
        f" WHERE r.{rows.column(held, 'user')} = %s"
    )


def _reach(unit_ids: set[int], merged_into: set[int] | None = None) -> set[int]:
    """The units themselves and every unit that merged into them (their history).

    ``merged_into``: the units known to have predecessors, when known (``_held``); the
    lineage is not asked about units without any."""
    if not unit_ids:
        return set()
    if merged_into is not None and not unit_ids & merged_into:
        return set(unit_ids)
    return unit_ids | queries.all_predecessor_ids(unit_ids)


def _roots(user, action: Action) -> set[int]:
    """The units (ids) from which the user's roles that allow ``action`` reach down."""
    cache = _cache(user)
    key = ("roots", action)
    if key not in cache:
        units = frozenset(uid for uid, role in _held(user) if action in ROLE_ACTIONS[role])
        # Actions allowed by the same roles reach the same units: one query, not one each.
        reach_key = ("reach", units)
        if reach_key not in cache:
            cache[reach_key] = _reach(set(units), cache["merged_into"])
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
    if _reached_in_memory(unit, day, roots):
        return True
    # A request often asks twice about one unit (the view, then the service it calls).
    key = ("ancestors", unit.pk, day)
    cache = _cache(user)
    if key not in cache:
        cache[key] = {uid for uid, _ in queries.ancestor_ids(unit.pk, day)}
    return bool(cache[key] & roots)


def _reached_in_memory(unit: Unit, day: dt.date, roots: set[int]) -> bool:
    """Whether ``roots`` reach ``unit`` on ``day`` by what is known without a query: the
    unit is a root, or its versions are loaded (prefetched) and its parent on ``day`` is
    one. True only where the walk up (``queries.ancestor_ids``) would say so too; False
    means "ask the walk". Most saves of a value come from the unit itself or its parent."""
    if unit.pk in roots:
        return True
    if "versions" not in getattr(unit, "_prefetched_objects_cache", {}):
        return False
    version = unit.version_on(day)
    return version is not None and version.parent_id in roots


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
