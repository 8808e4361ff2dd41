"""DHIS2's relative periods as the periods they stand for on a day (property-based)."""

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from trienkhai.analytics.dhis2.relative import RELATIVE, resolve
from trienkhai.reporting.periods import containing

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))


@given(day=days)
def test_every_relative_period_is_a_run_of_one_type_placed_as_dhis2_places_it(day):
    for name, rule in RELATIVE.items():
        periods = resolve(name, day)
        assert periods, name
        assert all(p.type is rule.kind for p in periods), name
        assert all(a.next() == b for a, b in itertools.pairwise(periods)), name
        current = containing(day, rule.kind)
        if name.startswith("THIS_"):
            assert periods == [current], name
        elif name.startswith("LAST_"):
            # The n periods just before the current one, the current one not included.
            assert periods[-1].next() == current, name
            assert len(periods) == rule.length, name
        else:  # MONTHS_THIS_YEAR, QUARTERS_LAST_YEAR: the whole year
            year = day.year - rule.back
            assert {p.year for p in periods} == {year}, name
            assert periods[0].start == dt.date(year, 1, 1), name
            assert periods[-1].end == dt.date(year, 12, 31), name


def test_it_knows_only_dhis2s_names():
    assert resolve("LAST_7_DAYS", dt.date(2021, 3, 15)) is None
    assert [p.id for p in resolve("LAST_12_MONTHS", dt.date(2021, 1, 1))][::11] == [
        "202001",
        "202012",
    ]
