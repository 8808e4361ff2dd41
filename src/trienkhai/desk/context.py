"""The desk's count in every page's header: how many things wait for the user.

Read from the cache only, where the desk page and ``GET /api/v1/me/desk`` put it when
they compute the desk: other pages never compute it, so that their cost (and their
query count) stays what it is. Users land on the desk when they log in, and come back
to it from the menu; the count then says what the desk said at most ``SECONDS`` ago.
"""

from django.core.cache import cache

SECONDS = 15 * 60


def key(user) -> str:
    return f"desk-count:{user.pk}"


def remember(user, total: int) -> None:
    cache.set(key(user), total, SECONDS)


def desk_count(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"desk_count": cache.get(key(user))}
