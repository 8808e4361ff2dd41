"""A brake on guessing codes from one address: the certificates' verification page
(decision 0044) and the check-in codes (decision 0045).

An address that looked up ``misses`` codes found nowhere within ``window`` seconds waits
until that window is over, whatever it asks. The counts live in Django's cache (per
process with the local-memory cache): a brake, not the protection; the codes' random
bits are that.
"""

import math
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import JsonResponse

T = TypeVar("T")

MISSES = 20
WINDOW = 600
"""Seconds: the window the misses are counted in, and the wait once there were too many."""


def look_up(
    kind: str,
    address: str | None,
    find: Callable[[], T | None],
    *,
    misses: int = MISSES,
    window: int = WINDOW,
) -> tuple[T | None, int]:
    """(what ``find`` found, 0); (None, 0) when it found nothing, counted as a miss of
    ``address`` for ``kind``; (None, seconds to wait) without looking, while the address
    has had ``misses`` misses of that kind within ``window`` seconds."""
    key = f"{kind}-misses:{address or '-'}"
    counted, since = cache.get(key) or (0, time.time())
    left = math.ceil(since + window - time.time())
    if counted >= misses:
        return None, max(1, left)
    found = find()
    if found is None:
        cache.set(key, (counted + 1, since), timeout=max(1, left))
    return found, 0


def too_many(wait: int) -> JsonResponse:
    """The API's answer to a braked address: 429 ``too_many_attempts`` with
    ``Retry-After``."""
    minutes = -(-wait // 60)
    message = (
        f"Quá nhiều mã không đúng: thử lại sau {minutes} phút / too many codes not "
        f"found: try again in {minutes} minutes"
    )
    response = JsonResponse(
        {"error": {"code": "too_many_attempts", "message": message}}, status=429
    )
    response["Retry-After"] = str(wait)
    return response
