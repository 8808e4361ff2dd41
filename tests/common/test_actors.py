"""The actor of a service and the permission seam of the apps below accounts."""

import pytest
from django.core.exceptions import PermissionDenied

from trienkhai.accounts import policy
from trienkhai.common import actors
from trienkhai.common.actors import SystemActor
from trienkhai.orgs import services


def test_it_names_system_actors():
    assert str(actors.CLI) == "system:cli"
    assert SystemActor("demo") == actors.DEMO
    assert actors.is_system(actors.DEMO)
    assert not actors.is_system(None)


def test_it_records_no_user_for_a_system_actor(personas):
    assert actors.user_of(actors.DEMO) is None
    assert actors.user_of(personas.manager) == personas.manager


def test_it_answers_with_the_policy_installed_by_accounts(org, personas):
    assert actors.can(personas.manager, "change", org.c1)
    assert not actors.can(personas.outsider, "change", org.c1)
    assert actors.can(actors.CLI, "change", org.c1)
    assert not actors.can(None, "change", org.c1)
    with pytest.raises(PermissionDenied):
        actors.require(None, "change")


def test_it_fails_closed_without_a_checker(org, personas, monkeypatch):
    monkeypatch.setattr(actors, "_checker", None)
    assert not actors.can(personas.admin, "change", org.c1)
    assert not actors.can(actors.CLI, "change", org.c1)


def test_it_refuses_a_system_actor_what_only_a_person_does(personas):
    actors.require_person(personas.viewer)
    for actor in (None, actors.CLI):
        with pytest.raises(PermissionDenied):
            actors.require_person(actor)


def test_the_orgs_actions_are_the_policy_s():
    assert policy.Action(services.CHANGE) == policy.Action.CHANGE
    assert policy.Action(services.MANAGE_KINDS) in policy.GLOBAL_ACTIONS
