"""What the daily ``trienkhai erase-expired-people`` shares across registers: the day
before which a period of years has run out, and erasing each person found."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from trienkhai.common.errors import Conflict

T = TypeVar("T")


def cutoff(today: dt.date, years: int) -> dt.date | None:
    """``today`` ``years`` years back (28 February for a 29 February); None for a
    period of 0 or less: kept until erased by hand."""
    if years <= 0:
        return None
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def erase_each(found: Iterable[T], erase: Callable[[T], object]) -> int:
    """``erase`` each of ``found``; how many were erased (one erased on request
    meanwhile, a 409, is skipped)."""
    erased = 0
    for one in found:
        try:
            erase(one)
        except Conflict:
            continue
        erased += 1
    return erased
