"""DHIS2's relative periods (``pe:LAST_12_MONTHS``), as the periods they stand for on a day.

As DHIS2 defines them (``RelativePeriodEnum``), in the ISO calendar, on today or on the
request's ``relativePeriodDate``:

- ``THIS_…``: the period of that type containing the day; ``LAST_…``: the one before;
- ``LAST_n_…``: the n periods before the current one, oldest first, the current one
  not included (``LAST_5_YEARS`` on 15/03/2021: 2016 to 2020);
- ``MONTHS_THIS_YEAR``, ``QUARTERS_LAST_YEAR`` …: every period of that type in the year.

Periods come from ``reporting.periods``; only the types trienkhai reports (months,
quarters, half-years, years) are here: DHIS2's days, weeks and bi-months have no data.
"""

import datetime as dt
from typing import NamedTuple

from trienkhai.reporting.periods import Period, PeriodType, containing


class _Rule(NamedTuple):
    kind: PeriodType
    back: int
    """How many periods before the current one the first is (0: the current one)."""
    length: int
    """How many periods; 0 for every period of the year ``back`` years ago."""
    name: str


_M, _Q, _S, _Y = (
    PeriodType.MONTHLY,
    PeriodType.QUARTERLY,
    PeriodType.SIXMONTHLY,
    PeriodType.YEARLY,
)
RELATIVE: dict[str, _Rule] = {
    "THIS_MONTH": _Rule(_M, 0, 1, "Tháng này / This month"),
    "LAST_MONTH": _Rule(_M, 1, 1, "Tháng trước / Last month"),
    "LAST_3_MONTHS": _Rule(_M, 3, 3, "3 tháng qua / Last 3 months"),
    "LAST_6_MONTHS": _Rule(_M, 6, 6, "6 tháng qua / Last 6 months"),
    "LAST_12_MONTHS": _Rule(_M, 12, 12, "12 tháng qua / Last 12 months"),
    "MONTHS_THIS_YEAR": _Rule(_M, 0, 0, "Các tháng năm nay / Months this year"),
    "MONTHS_LAST_YEAR": _Rule(_M, 1, 0, "Các tháng năm trước / Months last year"),
    "THIS_QUARTER": _Rule(_Q, 0, 1, "Quý này / This quarter"),
    "LAST_QUARTER": _Rule(_Q, 1, 1, "Quý trước / Last quarter"),
    "LAST_4_QUARTERS": _Rule(_Q, 4, 4, "4 quý qua / Last 4 quarters"),
    "QUARTERS_THIS_YEAR": _Rule(_Q, 0, 0, "Các quý năm nay / Quarters this year"),
    "QUARTERS_LAST_YEAR": _Rule(_Q, 1, 0, "Các quý năm trước / Quarters last year"),
    "THIS_SIX_MONTH": _Rule(_S, 0, 1, "6 tháng này / This six-month"),
    "LAST_SIX_MONTH": _Rule(_S, 1, 1, "6 tháng trước / Last six-month"),
    "LAST_2_SIXMONTHS": _Rule(_S, 2, 2, "Hai kỳ 6 tháng qua / Last 2 six-months"),
    "THIS_YEAR": _Rule(_Y, 0, 1, "Năm nay / This year"),
    "LAST_YEAR": _Rule(_Y, 1, 1, "Năm trước / Last year"),
    "LAST_5_YEARS": _Rule(_Y, 5, 5, "5 năm qua / Last 5 years"),
    "LAST_10_YEARS": _Rule(_Y, 10, 10, "10 năm qua / Last 10 years"),
}


def looks_relative(item: str) -> bool:
    """A name in DHIS2's style (``LAST_7_DAYS``) rather than a period id or a span."""
    return item[:1].isalpha() and item.upper() == item and "_" in item


def resolve(item: str, day: dt.date) -> list[Period] | None:
    """The periods ``item`` stands for on ``day``, oldest first; None if it is not one of
    ``RELATIVE``."""
    rule = RELATIVE.get(item)
    if rule is None:
        return None
    if rule.length == 0:
        first = Period(day.year - rule.back, rule.kind, 1)
        periods = [first]
        while periods[-1].next().year == first.year:
            periods.append(periods[-1].next())
        return periods
    first = containing(day, rule.kind)
    for _ in range(rule.back):
        first = first.previous()
    periods = [first]
    for _ in range(rule.length - 1):
        periods.append(periods[-1].next())
    return periods
