"""The desk's count in every page's header: how many things wait for the user.

Computed only when a page shows it (lazily), and kept a minute per user in the cache:
a page view does not pay for the desk each time. The desk page itself always computes
afresh and refreshes the count.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from trienkhai.desk.work import desk_of

SECONDS = 60


def key(user) -> str:
    return f"desk-count:{user.pk}"


def remember(user, total: int) -> None:
    cache.set(key(user), total, SECONDS)


def _count(user) -> int:
    found = cache.get(key(user))
    if found is None:
        found = desk_of(user, timezone.localdate()).total
        remember(user, found)
    return int(found)


def desk_count(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"desk_count": SimpleLazyObject(lambda: _count(user))}
