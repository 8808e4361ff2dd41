"""What a successor may do with its predecessors' records (decision 0004): read them, nothing else.

The 2025 reform as the demo replays it, in small:

    P1 ─ D1 (district, ends 2025-07-01, split between N1 and N2)
         ├── C1  → wholly into N1
         ├── C2  → wholly into N2
         └── X   (an agency cell) → wholly into N2
    P1 ─ N1, N2 (communes formed 2025-07-01)
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts import policy
from trienkhai.accounts.policy import Action
from trienkhai.orgs import services

REFORM = dt.date(2025, 7, 1)
WRITES = [a for a in Action if a not in {Action.VIEW, Action.MANAGE_KINDS}]


@dataclass
class Reform:
    x: object
    n1: object
    n2: object


@pytest.fixture
def reform(org) -> Reform:
    x = f.make_unit("X", kind_code="party_cell", parent=org.d1, valid_from=dt.date(2010, 1, 1))
    n1 = f.make_unit("N1", kind_code="commune", parent=org.p1, valid_from=REFORM)
    n2 = f.make_unit("N2", kind_code="commune", parent=org.p1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n1, on=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c2, x], into=n2, on=REFORM)
    services.split_unit(acting_user=SYSTEM, unit=org.d1, into=[n1, n2], on=REFORM)
    for unit in (org.c1, org.c2, org.d1, x):
        unit.refresh_from_db()
    return Reform(x, n1, n2)


@pytest.fixture
def successors(reform):
    """A user per role held at N1, the commune that took C1 and part of D1."""
    return {role: f.make_user(f"n1_{role}", unit=reform.n1, role=role) for role in policy.ROLE_RANK}


def _unit(org, reform, name):
    return getattr(reform, name, None) or getattr(org, name)


@pytest.mark.parametrize("role", ["viewer", "reporter", "manager", "admin"])
def test_it_lets_a_successor_read_what_went_into_it(org, reform, successors, role):
    """GIVEN N1 took all of C1 and part of D1,
    THEN any role at N1 reads C1 and D1's own records, but not C2 or X,
    which went wholly into N2, nor N2 itself."""
    user = successors[role]
    assert policy.can(user, Action.VIEW, org.c1)
    assert policy.can(user, Action.VIEW, org.d1)
    for other in (org.c2, reform.x, reform.n2, org.p1):
        assert not policy.can(user, Action.VIEW, other), other.code


@pytest.mark.parametrize("role", ["reporter", "manager", "admin"])
@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("target", ["c1", "d1", "c2", "x"])
def test_it_refuses_a_successor_every_other_action_on_its_predecessors(
    org, reform, successors, role, action, target
):
    """GIVEN a role at N1, WHEN it would change, enter, approve or grant roles
    over a unit that went (wholly or partly) into N1, or into its neighbour,
    THEN the policy refuses."""
    unit = _unit(org, reform, target)
    assert not policy.can(successors[role], action, unit)


@pytest.mark.parametrize("role", ["reporter", "manager", "admin"])
def test_it_keeps_a_successors_own_subtree_writable(reform, successors, role):
    user = successors[role]
    allowed = policy.ROLE_ACTIONS[role] - policy.GLOBAL_ACTIONS
    for action in allowed:
        assert policy.can(user, action, reform.n1), action


@pytest.mark.parametrize("target", ["c1", "d1", "x"])
def test_it_refuses_a_successor_granting_roles_over_the_old_tree(org, reform, successors, target):
    unit = _unit(org, reform, target)
    for role in policy.ROLE_RANK:
        assert not policy.can_grant(successors["manager"], role, unit)
        assert not policy.can_grant(successors["admin"], role, unit)


def test_it_leaves_the_old_tree_to_the_roles_held_over_it(org, reform, personas):
    """The district's own manager keeps every action over the units as they stood."""
    for unit in (org.d1, org.c1, org.c2, reform.x):
        for action in (Action.VIEW, Action.CHANGE, Action.ENTER_DATA, Action.APPROVE):
            assert policy.can(personas.manager, action, unit), (unit.code, action)
        assert policy.can_grant(personas.manager, "reporter", unit)
    assert not policy.can(personas.manager, Action.VIEW, reform.n1)


def test_it_reads_the_whole_subtree_of_what_went_wholly_in(org, reform, successors):
    """GIVEN D1 had merged wholly into N1 (no split), THEN N1 reads D1's whole subtree."""
    from trienkhai.orgs.models import LineageLink

    LineageLink.objects.filter(predecessor=org.d1).update(is_partial=False)
    LineageLink.objects.filter(predecessor=org.d1, successor=reform.n2).delete()
    fresh = type(successors["viewer"]).objects.get(pk=successors["viewer"].pk)
    for unit in (org.d1, org.c1, org.c2, reform.x):
        assert policy.can(fresh, Action.VIEW, unit), unit.code
    assert not policy.can(fresh, Action.ENTER_DATA, org.c2)


def test_it_follows_a_partial_link_anywhere_on_the_way_as_partial(org, reform):
    """GIVEN N1 later merged wholly into M, THEN M reads D1 (partly in, through N1) alone,
    and C1 (wholly in, through N1) with its subtree."""
    later = dt.date(2026, 1, 1)
    m = f.make_unit("M", kind_code="commune", parent=org.p1, valid_from=later)
    services.merge_units(acting_user=SYSTEM, predecessors=[reform.n1], into=m, on=later)
    viewer = f.make_user("m_viewer", unit=m, role="viewer")
    assert policy.can(viewer, Action.VIEW, reform.n1)
    assert policy.can(viewer, Action.VIEW, org.c1)
    assert policy.can(viewer, Action.VIEW, org.d1)
    assert not policy.can(viewer, Action.VIEW, reform.x)
    assert not policy.can(viewer, Action.VIEW, org.c2)


@pytest.mark.parametrize("up_walk", [policy.UP_WALK, 0], ids=["walked-up", "walked-down"])
def test_it_answers_in_batch_across_the_reform_what_it_answers_one_by_one(
    org, reform, successors, personas, monkeypatch, up_walk
):
    monkeypatch.setattr(policy, "UP_WALK", up_walk)
    from trienkhai.orgs.models import Unit

    units = list(Unit.objects.order_by("code"))
    users = [*successors.values(), personas.manager, personas.outsider]
    for user in users:
        for action in Action:
            one_by_one = [u for u in units if policy.can(user, action, u)]
            assert policy.allowed(user, action, units) == one_by_one, (user.username, action)
            visible = policy.visible_unit_ids(user, action)
            if visible is not None:
                assert {u.pk for u in one_by_one} == visible & {u.pk for u in units}


def test_the_account_page_says_which_predecessors_a_role_lets_one_read(
    org, reform, successors, web
):
    """GIVEN a reporter at N1 (which took all of C1 and part of D1)
    THEN their account page names the role, its unit, and both predecessors, D1 as partial."""
    page = web(successors["reporter"]).get("/tai-khoan/").content.decode()
    section = page[page.index('id="roles"') : page.index('id="two-factor"')]
    c1, d1, n1 = (u.latest_version().name for u in (org.c1, org.d1, reform.n1))
    assert "Báo cáo viên" in section and n1 in section
    assert "hồ sơ của 2 đơn vị tiền thân</summary>" in section  # folded: a commune's list is long
    wholly, partly = section.split("(cả các đơn vị trực thuộc khi đó)")
    assert c1 in wholly and d1 not in wholly
    assert d1 in partly and "nhập một phần" in partly
