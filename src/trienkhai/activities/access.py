"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

An event belongs to its organiser unit: VIEW on it to read, CHANGE to write."""

from trienkhai.accounts import policy
from trienkhai.activities.models import Event
from trienkhai.common.errors import NotFound
from trienkhai.orgs import access as org_access
from trienkhai.orgs.models import Unit


def get_unit(user, code: str, action: policy.Action = policy.Action.VIEW) -> Unit:
    return org_access.get_unit(user, code, action)


def get_event(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Event:
    """The event ``pk`` if ``user`` may do ``action`` on its organiser."""
    event = Event.objects.select_related("organiser").filter(pk=pk).first()
    if event is None:
        if not policy.can(user, policy.Action.VIEW):
            raise policy.PermissionDenied
        raise NotFound("hoạt động / event", str(pk))
    policy.require(user, action, event.organiser)
    return event
