"""The one permission policy: roles reach their unit's subtree, in time."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts import policy
from trienkhai.accounts.policy import Action
from trienkhai.common.actors import SystemActor
from trienkhai.orgs import services

REFORM = dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("persona", "action", "unit", "allowed"),
    [
        ("admin", "change", "p2", True),
        ("admin", "manage_kinds", None, True),
        ("admin", "manage_indicators", None, True),
        ("admin_d1", "change", "c1", True),
        ("admin_d1", "manage_roles", "d1", True),
        ("admin_d1", "manage_indicators", None, False),
        ("admin_d1", "manage_kinds", None, False),
        ("manager", "view", "c1", True),
        ("manager", "change", "c1", True),
        ("manager", "change", "d1", True),
        ("manager", "view", "p1", False),
        ("manager", "change", "d2", False),
        ("manager", "manage_kinds", None, False),
        ("reporter", "view", "c2", True),
        ("reporter", "enter_data", "c2", True),
        ("reporter", "change", "c2", False),
        ("reporter", "manage_roles", "d1", False),
        ("viewer", "view", "c1", True),
        ("viewer", "enter_data", "c1", False),
        ("outsider", "view", "c1", False),
        ("outsider", "change", "d2", True),
        ("nobody", "view", "c1", False),
    ],
)
def test_it_lets_roles_reach_their_subtree_only(org, personas, persona, action, unit, allowed):
    target = getattr(org, unit) if unit else None
    if persona == "admin_d1":
        user = f.make_user("admin_d1", unit=org.d1, role="admin")
    else:
        user = getattr(personas, persona)
    assert policy.can(user, action, target) is allowed


def test_it_refuses_anonymous_and_inactive_users(org, personas):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.can(AnonymousUser(), Action.VIEW, org.c1)
    personas.manager.is_active = False
    assert not policy.can(personas.manager, Action.VIEW, org.c1)


def test_it_follows_a_unit_that_moved_out_of_the_subtree(org, personas):
    """GIVEN C2 moved from D1 to D2 in 2022, THEN D1's manager no longer reaches it."""
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    assert not policy.can(personas.manager, Action.CHANGE, org.c2)
    assert policy.can(personas.outsider, Action.CHANGE, org.c2)


def test_it_lets_a_successor_body_see_the_history_it_inherited(org, personas):
    """GIVEN D1 and its communes merged into a new commune N in 2025,
    WHEN a manager of N looks at the old units,
    THEN N's role reaches them (N carries their history) but not D2's."""
    n = f.make_unit("N", kind_code="commune", parent=org.p1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=n, on=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.d1], into=n, on=REFORM)
    new_manager = f.make_user("moi", unit=n, role="manager")
    org.c1.refresh_from_db()
    assert policy.can(new_manager, Action.VIEW, org.c1)
    assert policy.can(new_manager, Action.VIEW, org.d1)
    assert not policy.can(new_manager, Action.VIEW, org.d2)
    # The old district's manager still sees the units as they stood.
    assert policy.can(personas.manager, Action.VIEW, org.c1)
    assert not policy.can(personas.manager, Action.VIEW, n)


def test_it_lets_managers_grant_only_up_to_their_own_role(org, personas):
    assert policy.can_grant(personas.manager, "reporter", org.c1)
    assert policy.can_grant(personas.manager, "manager", org.c1)
    assert not policy.can_grant(personas.manager, "admin", org.c1)
    assert not policy.can_grant(personas.manager, "viewer", org.d2)
    assert not policy.can_grant(personas.reporter, "viewer", org.c1)
    assert policy.can_grant(personas.admin, "admin", org.d2)


def test_it_ranks_grants_by_the_role_held_over_the_unit_not_elsewhere(org, personas):
    """GIVEN a user who is admin at D2 and manager at D1,
    THEN at D1 they may grant up to manager, and at D2 up to admin."""
    both = f.make_user("both", unit=org.d2, role="admin")
    from trienkhai.accounts.services import grant_role

    grant_role(acting_user=SYSTEM, user=both, unit=org.d1, role="manager")
    assert policy.can_grant(both, "manager", org.c1)
    assert not policy.can_grant(both, "admin", org.c1)
    assert policy.can_grant(both, "admin", org.d2)


def test_it_refuses_a_manager_revoking_an_admins_role(org, personas):
    from django.core.exceptions import PermissionDenied

    from trienkhai.accounts.models import RoleAssignment
    from trienkhai.accounts.services import grant_role, revoke_role

    boss = grant_role(acting_user=SYSTEM, user=personas.nobody, unit=org.c1, role="admin")
    with pytest.raises(PermissionDenied):
        revoke_role(acting_user=personas.manager, assignment=boss)
    assert RoleAssignment.objects.filter(pk=boss.pk).exists()
    helper = grant_role(acting_user=SYSTEM, user=personas.nobody, unit=org.c1, role="reporter")
    revoke_role(acting_user=personas.manager, assignment=helper)
    assert not RoleAssignment.objects.filter(pk=helper.pk).exists()


@pytest.mark.parametrize("up_walk", [policy.UP_WALK, 0], ids=["walked-up", "walked-down"])
def test_it_answers_in_batch_what_it_answers_one_by_one(
    org, personas, django_assert_max_num_queries, monkeypatch, up_walk
):
    """allowed() is the batch form of can(): same answers, a query per reference date,
    walking up from the units asked or down from the user's roots."""
    monkeypatch.setattr(policy, "UP_WALK", up_walk)
    n = f.make_unit("N", kind_code="commune", parent=org.p1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n, on=REFORM)
    from trienkhai.orgs.models import Unit

    units = list(Unit.objects.order_by("code"))
    for persona in ("admin", "manager", "reporter", "viewer", "outsider", "nobody"):
        for action in Action:
            user = getattr(personas, persona)
            one_by_one = [u for u in units if policy.can(user, action, u)]
            assert policy.allowed(user, action, units) == one_by_one, (persona, action)
    fresh = type(personas.manager).objects.get(pk=personas.manager.pk)
    with django_assert_max_num_queries(6):
        policy.allowed(fresh, Action.VIEW, units)


@pytest.mark.parametrize("action", list(policy.Action))
def test_it_lets_a_system_actor_do_everything_and_nobody_nothing(org, action):
    system = SystemActor("tests")
    assert policy.can(system, action, org.c1)
    assert policy.can(system, action)
    assert policy.allowed(system, action, [org.c1, org.d2]) == [org.c1, org.d2]
    assert policy.visible_unit_ids(system, action) is None
    assert not policy.can(None, action, org.c1)
    assert not policy.can(AnonymousUser(), action, org.c1)
    assert policy.allowed(None, action, [org.c1]) == []
    with pytest.raises(PermissionDenied):
        policy.require(None, action, org.c1)


def test_it_lets_a_system_actor_grant_any_role_it_holds_none_of(org):
    system = SystemActor("tests")
    assert policy.can_grant(system, "admin", org.root)
    assert policy.role_unit_ids(system) == set()
    assert not policy.holds_admin_role(system)
    assert policy.visible_root_ids(system, dt.date(2024, 1, 1)) is None


def test_an_unknown_object_is_a_403_to_someone_with_no_role_and_a_404_otherwise(personas):
    """Decision 0004: no probing for codes by users with no role at all."""
    from trienkhai.common.errors import NotFound

    nobody = f.make_user("khong_vai_tro")
    with pytest.raises(PermissionDenied):
        policy.unknown(nobody, "văn bản / document", 424242)
    with pytest.raises(PermissionDenied):
        policy.unknown(AnonymousUser(), "văn bản / document", 424242)
    found = policy.unknown(personas.reporter, "văn bản / document", 424242)
    assert isinstance(found, NotFound) and "424242" in str(found)
