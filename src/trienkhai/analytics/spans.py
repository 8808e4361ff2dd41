"""Which stored periods lie within an asked period or span.

Periods are compared by their months: 2020S1 covers months 1–6 of 2020, so it lies
within ``2020`` and within ``2019..2021``, but not within ``2020Q1``. The comparison is
by identifier, so it holds for both calendars (an nd09 2020S1 shifts with its year).
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from trienkhai.reporting.periods import Period, PeriodType, parse, parse_span

_KINDS = [
    (PeriodType.YEARLY, 1),
    (PeriodType.SIXMONTHLY, 2),
    (PeriodType.QUARTERLY, 4),
    (PeriodType.MONTHLY, 12),
]


@dataclass(frozen=True, slots=True)
class Asked:
    """A period or span as asked, with the stored period ids that lie within it."""

    text: str
    first: int  # month index (year * 12 + month - 1) of its first month
    last: int
    within: tuple[str, ...]
    single: str | None  # the period id when one period was asked, None for a span

    @property
    def first_day(self) -> dt.date:
        year, month = divmod(self.first, 12)
        return dt.date(year, month + 1, 1)

    @property
    def last_day(self) -> dt.date:
        year, month = divmod(self.last + 1, 12)
        return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _months(period: Period) -> tuple[int, int]:
    base = period.year * 12 - 1
    return base + period.first_month, base + period.last_month


@lru_cache(maxsize=4096)
def asked(text: str) -> Asked:
    """The asked period or span ``text``; BadInput (naming it) if it is not one."""
    periods = parse_span(text)
    first, last = _months(periods[0])[0], _months(periods[-1])[1]
    within = []
    for year in range(periods[0].year, periods[-1].year + 1):
        for kind, count in _KINDS:
            for number in range(1, count + 1):
                candidate = Period(year, kind, number)
                start, end = _months(candidate)
                if first <= start and end <= last:
                    within.append(candidate.id)
    return Asked(text, first, last, tuple(within), periods[0].id if len(periods) == 1 else None)


@lru_cache(maxsize=4096)
def months(period_id: str) -> tuple[int, int]:
    """(first, last) month index of a stored period id."""
    return _months(parse(period_id))


@lru_cache(maxsize=4096)
def end(period_id: str) -> dt.date:
    """The last day of a stored period (gregorian): the day whose structure it totals into."""
    return parse(period_id).end


def containing(period_id: str) -> list[str]:
    """Every period id that ``period_id`` lies within, itself included (2020Q1 → 2020Q1, 2020S1, 2020)."""
    start, stop = months(period_id)
    year = parse(period_id).year
    found = []
    for kind, count in _KINDS:
        for number in range(1, count + 1):
            candidate = Period(year, kind, number)
            first, last = _months(candidate)
            if first <= start and stop <= last:
                found.append(candidate.id)
    return found
