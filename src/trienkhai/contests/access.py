"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

A contest belongs to its organising unit: VIEW on it to read, CHANGE to write."""

from trienkhai.accounts import policy
from trienkhai.accounts.models import User
from trienkhai.common.errors import NotFound
from trienkhai.contests.models import Contest, Round


def get_contest(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Contest:
    """The contest ``pk`` if ``user`` may do ``action`` on its organiser."""
    contest = Contest.objects.select_related("unit").filter(pk=pk).first()
    if contest is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("cuộc thi / contest", str(pk))
    policy.require(user, action, contest.unit)
    return contest


def get_round(contest: Contest, number: int) -> Round:
    """The round ``number`` of a contest already read through ``get_contest``."""
    found = Round.objects.filter(contest=contest, number=number).first()
    if found is None:
        raise NotFound("vòng thi / round", str(number))
    return found


def get_user(username: str) -> User:
    """The user an organiser names a judge: any active user (their unit comes from their
    roles)."""
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise NotFound("người dùng / user", username)
    return found
