"""Reads: a user sees their own notifications and nobody else's (404 for another's:
that it exists is not said)."""

from django.http import Http404

from trienkhai.notifications.models import Notification


def mine(user):
    return Notification.objects.filter(user=user).order_by("-created", "-pk")


def get_mine(user, pk: int) -> Notification:
    found = Notification.objects.filter(user=user, pk=pk).select_related("user").first()
    if found is None:
        raise Http404("no such notification")
    return found
