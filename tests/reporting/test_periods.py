import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.translation import PERIODS, english
from trienkhai.common.errors import BadInput
from trienkhai.reporting import periods
from trienkhai.reporting.periods import Calendar, PeriodType

D = dt.date


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        ("2021", D(2021, 1, 1), D(2021, 12, 31)),
        ("2021S1", D(2021, 1, 1), D(2021, 6, 30)),
        ("2021S2", D(2021, 7, 1), D(2021, 12, 31)),
        ("2021Q3", D(2021, 7, 1), D(2021, 9, 30)),
        ("202102", D(2021, 2, 1), D(2021, 2, 28)),
        ("202012", D(2020, 12, 1), D(2020, 12, 31)),
    ],
)
def test_it_reads_dhis2_ids_on_the_calendar(pid, start, end):
    period = periods.parse(pid)
    assert (period.start, period.end, period.id) == (start, end, pid)


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        ("2020S1", D(2019, 12, 15), D(2020, 6, 14)),
        ("2020S2", D(2020, 6, 15), D(2020, 12, 14)),
        ("2020", D(2019, 12, 15), D(2020, 12, 14)),
        ("2020Q1", D(2019, 12, 15), D(2020, 3, 14)),
        ("2020Q4", D(2020, 9, 15), D(2020, 12, 14)),
        ("202001", D(2019, 12, 15), D(2020, 1, 14)),
        ("202007", D(2020, 6, 15), D(2020, 7, 14)),
    ],
)
def test_it_cuts_off_on_the_14th_under_nd09(pid, start, end):
    period = periods.parse(pid, Calendar.ND09)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("bad", ["", "21", "2021S3", "2021Q5", "202113", "2021W1", "abcd", "20210"])
def test_it_refuses_what_is_not_a_period(bad):
    with pytest.raises(BadInput) as err:
        periods.parse(bad)
    assert err.value.code == "invalid_period"


def test_it_builds_spans_for_reviews():
    assert [p.id for p in periods.parse_span("2019..2021")] == ["2019", "2020", "2021"]
    assert [p.id for p in periods.parse_span("2020S2..2021S2")] == ["2020S2", "2021S1", "2021S2"]
    with pytest.raises(BadInput):
        periods.span("2021", "2019")
    with pytest.raises(BadInput):
        periods.span("2019", "2021S1")


def test_it_labels_periods_in_vietnamese():
    assert periods.parse("2021").label() == "Năm 2021"
    assert periods.parse("2021S1").label() == "6 tháng đầu năm 2021"
    assert periods.parse("2021S2").label() == "6 tháng cuối năm 2021"
    assert periods.parse("2021Q3").label() == "Quý III/2021"
    assert periods.parse("202107").label() == "Tháng 7/2021"


def test_it_labels_periods_on_screen_in_the_readers_language(tmp_path):
    """GIVEN an English catalogue WHEN the page is in English THEN the label is English,
    while the formal label (documents, always Vietnamese) stays Vietnamese."""
    with english(tmp_path, PERIODS):
        assert periods.parse("2020").label() == "Year 2020"
        assert periods.parse("2020S1").label() == "First half of 2020"
        assert periods.parse("2020S2").label() == "Second half of 2020"
        assert periods.parse("2020Q3").label() == "Q3 2020"
        assert periods.parse("202007").label() == "July 2020"
        assert periods.parse("2020S1").formal_label() == "6 tháng đầu năm 2020"
        assert periods.parse("2020Q3").formal_label() == "Quý III/2020"
        assert periods.parse("202007").formal_label() == "Tháng 7/2020"


kinds = st.sampled_from(list(PeriodType))
calendars = st.sampled_from(list(Calendar))


@given(kinds, calendars, st.integers(2000, 2100), st.integers(1, 12))
def test_periods_of_a_type_tile_time_without_gaps(kind, calendar, year, number):
    period = periods.parse(periods.Period(year, kind, 1, calendar).id, calendar)
    for _ in range(number):
        following = period.next()
        assert following.start == period.end + dt.timedelta(days=1)
        assert following.previous() == period
        assert periods.parse(following.id, calendar) == following
        period = following


@given(st.dates(D(2000, 1, 1), D(2100, 12, 1)), kinds, calendars)
def test_every_day_lies_in_exactly_the_period_containing_it(day, kind, calendar):
    period = periods.containing(day, kind, calendar)
    assert period.contains(day)
    assert not period.next().contains(day) and not period.previous().contains(day)


def test_it_accepts_the_plain_strings_a_form_stores():
    period = periods.containing(D(2026, 8, 1), "sixmonthly", "nd09")
    assert (period.id, period.start, period.end) == ("2026S2", D(2026, 6, 15), D(2026, 12, 14))
