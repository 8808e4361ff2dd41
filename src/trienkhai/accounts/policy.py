"""The one permission policy: may this user do this action on this object?

Every view and API call asks here (through ``require`` or ``can``); none decides access
on its own.

- A role is held at a unit and reaches that unit's subtree.
- The subtree is the one of the day the object is looked at: today for a unit that
  lives, its last day for a unit that has ended.
- A successor reads its predecessors' records, and does nothing else with them
  (decision 0004): a role lets its holder *view* the units that went into its unit
  (a committee formed in the 2025 reorganisation sees the history of the bodies it
  replaced): the subtree of a unit that went wholly into it, and a unit that went
  only partly into it alone, without the units under that one (a district split
  between several communes: each new commune reads the district's own records, not
  the cells that went to its neighbours). Entering, approving, unlocking, changing and
  granting roles over a predecessor stay with the roles over the predecessor itself.
- A Django superuser may do everything.
- Who asks is an actor (``common.actors``): a user, judged by the rules here, or a
  ``SystemActor`` (a command, a migration, the demo, a service acting inside another
  one's checked write), which may do everything. None, an anonymous or an inactive user
  may do nothing: a service never skips the question (decision 0022).
- Definitions the whole installation shares are global: ``GLOBAL_ACTIONS`` lists the
  actions on them, which only a role held at the country (or a superuser) allows. This
  is the one place that says which they are:

  ====================================================  ===================================
  definitions                                            who may change them
  ====================================================  ===================================
  indicators, breakdowns (disaggregations) and their     MANAGE_INDICATORS: admins at the
  options, indicators' shared rules (formula, bounds,    country (reporting.services,
  parent figure, aggregation)                            reporting.editing)
  unit kinds, units without a parent (roots)             MANAGE_KINDS: admins at the country
                                                         (orgs.services, orgs.imports,
                                                         orgs.divisions)
  document types, report templates, layout profiles     the Django admin: superusers and
                                                         staff only; no service writes them
  ====================================================  ===================================

  Everything else belongs to a unit and follows its subtree: forms and their validation
  rules and sections to their owner unit (CHANGE), values to the reporting unit
  (ENTER_DATA), approval to the unit above (APPROVE), documents to their issuer.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from trienkhai.accounts.models import Role, RoleAssignment, User
from trienkhai.common import rows
from trienkhai.common.actors import SystemActor
from trienkhai.common.errors import NotFound
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
    """Edit indicators, disaggregations and their shared rules: data of the whole installation."""
    MANAGE_KINDS = "manage_kinds"
    """Edit the list of unit kinds: data shared by the whole installation."""


GLOBAL_ACTIONS = frozenset({Action.MANAGE_INDICATORS, Action.MANAGE_KINDS})
"""Actions on the definitions the whole installation shares, which only a role held at
the country (or a superuser) may do: indicators, disaggregations and their options, the
rules and parent figures of indicators (MANAGE_INDICATORS), unit kinds (MANAGE_KINDS).
An admin held at a province or a commune manages its subtree, not these: a change there
changes every unit's reports. Document types, report templates and layout profiles are
edited in the Django admin, which only superusers and staff reach. Forms are not global:
they belong to their owner unit (CHANGE on the owner)."""


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.MANAGER: frozenset(
        {Action.VIEW, Action.CHANGE, Action.MANAGE_ROLES, Action.ENTER_DATA, Action.APPROVE}
    ),
    Role.REPORTER: frozenset({Action.VIEW, Action.ENTER_DATA}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

ROLE_RANK = {Role.VIEWER: 0, Role.REPORTER: 1, Role.MANAGER: 2, Role.ADMIN: 3}

UP_WALK = 1000
"""Up to this many units of one day, ``allowed`` walks up from each of them (a few
levels each) rather than down the whole subtree of the user's roots."""
"""A user may grant only roles up to their own rank."""


def _cache(user) -> dict:
    """Per-request memo on the user object: roles and reach do not change within a request."""
    return user.__dict__.setdefault("_policy_cache", {})


def _held(user) -> list[tuple[int, Role]]:
    cache = _cache(user)
    if "held" not in cache:
        remember_roles(user, rows.fetch(_role_sql(), [user.pk]))
    return cache["held"]


def role_columns(user_alias: str) -> tuple[str, str]:
    """(select list, joins) that add the roles of the user row ``user_alias`` to a query:
    unit id, role, unit code, whether a unit merged into it; one row per role, NULLs for
    a user without any. Read back with ``remember_roles``. Asked on every request (the
    API's token lookup joins them): written by hand (common.rows), not three compiled
    querysets (roles, their units, lineage)."""
    held, link = RoleAssignment, LineageLink
    unit = rows.column(held, "unit")
    select = (
        f"r.{unit}, r.{rows.column(held, 'role')}, ru.{rows.column(Unit, 'code')},"
        f" EXISTS (SELECT 1 FROM {rows.table(link)} l"
        f" WHERE l.{rows.column(link, 'successor')} = r.{unit})"
    )
    joins = (
        f" LEFT JOIN {rows.table(held)} r"
        f" ON r.{rows.column(held, 'user')} = {user_alias}.{rows.column(User, 'id')}"
        f" LEFT JOIN {rows.table(Unit)} ru ON ru.{rows.column(Unit, 'id')} = r.{unit}"
    )
    return select, joins


ROLE_WIDTH = 4
"""How many columns ``role_columns`` selects."""


def remember_roles(user, found: Iterable[Sequence]) -> None:
    """Keep for the request the roles of ``user`` read with ``role_columns``."""
    held = [row for row in found if row[0] is not None]
    cache = _cache(user)
    cache["held"] = [(uid, Role(role)) for uid, role, _, _ in held]
    # Roles at the country reach everything (_is_global), and the role units that
    # others went into (_absorbed): known from the same rows.
    cache["at_root"] = {uid for uid, _, code, _ in held if code == ROOT_CODE}
    cache["merged_into"] = {uid for uid, _, _, merged in held if merged}


@rows.statement
def _role_sql() -> str:
    select, joins = role_columns("u")
    return (
        f"SELECT {select} FROM {rows.table(User)} u{joins} WHERE u.{rows.column(User, 'id')} = %s"
    )


LINEAGE_ACTIONS = frozenset({Action.VIEW})
"""What a role lets its holder do with the units that went into its unit: read them."""


def _absorbed(user, units: frozenset[int]) -> tuple[set[int], set[int]]:
    """(wholly, partly) absorbed predecessors of ``units``, memoised for the request.

    The lineage is not asked about units known to have no predecessors (``_held``)."""
    cache = _cache(user)
    key = ("absorbed", units)
    if key not in cache:
        if units & cache["merged_into"]:
            cache[key] = queries.absorbed_ids(units)
        else:
            cache[key] = (set(), set())
    return cache[key]


def _role_units(user, action: Action) -> frozenset[int]:
    return frozenset(uid for uid, role in _held(user) if action in ROLE_ACTIONS[role])


def _roots(user, action: Action) -> set[int]:
    """The units (ids) from which the user's roles that allow ``action`` reach down:
    the roles' units, and for reading, the units that went wholly into them."""
    cache = _cache(user)
    key = ("roots", action)
    if key not in cache:
        units = _role_units(user, action)
        roots = set(units)
        if action in LINEAGE_ACTIONS:
            roots |= _absorbed(user, units)[0]
        cache[key] = roots
    return cache[key]


def _singles(user, action: Action) -> set[int]:
    """Units the user's roles reach alone, without their subtrees: for reading, the units
    that went partly into the roles' units."""
    if action not in LINEAGE_ACTIONS:
        return set()
    return _absorbed(user, _role_units(user, action))[1]


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
    A system actor may do everything; None and anonymous users nothing.
    """
    if isinstance(user, SystemActor):
        return True
    if not _active(user):
        return False
    action = Action(action)
    if _is_global(user, action):
        return True
    roots = _roots(user, action)
    if action in GLOBAL_ACTIONS or not roots:
        return False
    if obj is None:
        return True
    unit = _unit_of(obj)
    if unit.pk in _singles(user, action):
        return True
    day = unit.reference_date(today)
    if _reached_in_memory(unit, day, roots):
        return True
    # A request often asks twice about one unit (the view, then the service it calls).
    key = ("ancestors", unit.pk, day)
    cache = _cache(user)
    if key not in cache:
        cache[key] = {uid for uid, _ in queries.ancestor_ids(unit.pk, day)}
    return bool(cache[key] & roots)


def views_subtree(user, unit: Unit) -> bool:
    """Whether ``user`` views ``unit`` with the units under it: through a role held over it
    (or over a unit that went wholly into one they hold), not as a unit a role reaches
    alone (a predecessor that went only partly into the role's unit, decision 0004).
    When false, the rows of the units under ``unit`` are filtered one by one
    (``visible_unit_ids``). No query once ``can`` has judged the unit."""
    if isinstance(user, SystemActor):
        return True
    if not _active(user):
        return False
    if _is_global(user, Action.VIEW):
        return True
    roots = _roots(user, Action.VIEW)
    if not roots:
        return False
    day = unit.reference_date()
    if _reached_in_memory(unit, day, roots):
        return True
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
    if isinstance(user, SystemActor):
        return objects
    if not _active(user):
        return []
    action = Action(action)
    if _is_global(user, action):
        return objects
    roots = _roots(user, action)
    if action in GLOBAL_ACTIONS or not roots:
        return []
    singles = _singles(user, action)
    days: dict[int, dt.date] = {}
    for obj in objects:
        unit = _unit_of(obj)
        if unit.pk not in singles:
            days[unit.pk] = unit.reference_date(today)
    by_day: dict[dt.date, set[int]] = {}
    for unit_id, day in days.items():
        by_day.setdefault(day, set()).add(unit_id)
    reached = set(singles)
    for day, ids in by_day.items():
        # Up from a few units (a district's twenty parents), or down the roots once for
        # many: whichever walks fewer rows.
        if len(ids) <= UP_WALK:
            reached |= queries.reached_ids(ids, roots, day)
        else:
            reached |= ids & queries.subtree_ids(roots, day)
    return [obj for obj in objects if _unit_of(obj).pk in reached]


def require(user, action: Action | str, obj=None) -> None:
    """Raise PermissionDenied unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này / you may not do this")


def unknown(user, what: str, key: object) -> NotFound:
    """The error for an object that does not exist (decision 0004): 403 to a user with no
    role at all, as if it existed (no probing for codes), the 404 to raise otherwise."""
    if not can(user, Action.VIEW):
        raise PermissionDenied
    return NotFound(what, str(key))


def can_grant(user, role: str, unit: Unit) -> bool:
    """May ``user`` give ``role`` at ``unit``?

    They must manage roles there, and ``role`` may not rank above the best role they hold
    *over that unit* (an admin elsewhere does not make a manager here an admin).
    """
    if not can(user, Action.MANAGE_ROLES, unit):
        return False
    if isinstance(user, SystemActor) or user.is_superuser:
        return True
    day = unit.reference_date()
    above = {uid for uid, _ in queries.ancestor_ids(unit.pk, day)}
    best = max((ROLE_RANK[held] for uid, held in _held(user) if uid in above), default=-1)
    return ROLE_RANK[Role(role)] <= best


def can_revoke(user, assignment) -> bool:
    """A role may be taken away by whoever may grant it."""
    return can_grant(user, assignment.role, assignment.unit)


def holds_admin_role(user) -> bool:
    """Whether ``user`` holds the admin role at any unit (read with the request's roles,
    so asking costs no query once the policy has read them)."""
    if isinstance(user, SystemActor):
        return False
    return any(role == Role.ADMIN for _, role in _held(user))


def roles_held(user) -> list[tuple[int, Role]]:
    """(unit id, role) of each role the user holds; none for a system actor or an inactive
    user. Read with the request's roles: no query once the policy has read them."""
    if isinstance(user, SystemActor) or not _active(user):
        return []
    return list(_held(user))


def role_unit_ids(user) -> set[int]:
    """The units at which the user holds a role."""
    if isinstance(user, SystemActor):
        return set()
    return {uid for uid, _ in _held(user)} if _active(user) else set()


def visible_root_ids(user, day: dt.date) -> set[int] | None:
    """The units at the top of what the user may view on ``day`` (whole subtrees, and the
    units reached alone); None means everything."""
    if isinstance(user, SystemActor) or _is_global(user, Action.VIEW):
        return None
    return _roots(user, Action.VIEW) | _singles(user, Action.VIEW)


def visible_unit_ids(
    user, action: Action | str = Action.VIEW, *, today: dt.date | None = None
) -> set[int] | None:
    """The units whose objects ``allowed`` keeps for ``action``; None means every unit.

    For lists filtered in SQL (``unit_id IN ...``): the same answer as ``allowed``, one
    subtree walk per distinct reference date (today for living units, the last day of
    ended ones, the first day of units not yet started), memoised for the request.
    """
    if isinstance(user, SystemActor):
        return None
    if not _active(user):
        return set()
    action = Action(action)
    if _is_global(user, action):
        return None
    roots = _roots(user, action)
    if action in GLOBAL_ACTIONS or not roots:
        return set()
    today = today or timezone.localdate()
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
        cache[key] = visible | _singles(user, action)
    return cache[key]
