import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.translation import PERIODS, english
from trienkhai.common.errors import BadInput, one_language
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


def test_it_lowers_a_label_in_the_middle_of_a_sentence():
    """GIVEN a period named inside a sentence ("cho kỳ quý II/2025", "for the second half
    of 2020") THEN its kind's word is lowered as the language lowers it; the label that
    starts a line keeps its capital."""
    assert periods.parse("2021").inline_label() == "năm 2021"
    assert periods.parse("2021S2").inline_label() == "6 tháng cuối năm 2021"
    assert periods.parse("2021Q3").inline_label() == "quý III/2021"
    assert periods.parse("202107").inline_label() == "tháng 7/2021"
    assert periods.parse("2021Q3").label() == "Quý III/2021"
    years = periods.parse_span("2019..2021")
    assert periods.span_label(years, inline=True) == "năm 2019–2021"
    assert periods.span_label(years) == "Năm 2019–2021"
    with translation.override("en"):  # the shipped catalogue
        assert periods.span_label(years, inline=True) == "2019–2021"
        assert periods.parse("2020").inline_label() == "2020"
        # Mid-sentence as English writes it: "for the first half of 2020" (walk 4: "for
        # second half of 2020").
        assert periods.parse("2020S1").inline_label() == "the first half of 2020"
        assert periods.parse("2020S2").inline_label() == "the second half of 2020"
        assert periods.parse("2020Q3").inline_label() == "quarter III 2020"
        assert periods.parse("202007").inline_label() == "month 7/2020"


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


# Periods in words (issue 14): what people type on screens.


@pytest.mark.parametrize(
    "text,expected",
    [
        ("6 tháng đầu năm 2020", "2020S1"),
        ("6 thang dau 2020", "2020S1"),  # no accents, no "năm": the new user's words
        ("6 tháng cuối năm 2021", "2021S2"),
        ("Nửa đầu năm 2020", "2020S1"),
        ("Quý III/2021", "2021Q3"),
        ("quy 3 nam 2021", "2021Q3"),
        ("Q3 2021", "2021Q3"),
        ("Tháng 7/2021", "202107"),
        ("07/2021", "202107"),
        ("Năm 2021", "2021"),
        ("2020S1", "2020S1"),
        ("first half of 2020", "2020S1"),
        ("the second half of 2020", "2020S2"),
        ("July 2021", "202107"),
    ],
)
def test_it_reads_a_period_in_words(text, expected):
    assert periods.read(text).id == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Năm 2019–2021", "2019..2021"),
        ("từ 2019 đến 2021", "2019..2021"),
        ("2019-2021", "2019..2021"),
        ("2019..2021", "2019..2021"),
        ("6 tháng đầu năm 2020 - 6 tháng cuối năm 2021", "2020S1..2021S2"),
        ("Quý I/2021 – Quý III/2021", "2021Q1..2021Q3"),
        ("6 tháng đầu năm 2020", "2020S1"),
    ],
)
def test_it_reads_a_span_in_words(text, expected):
    assert periods.span_id(periods.read_span(text)) == expected


@pytest.mark.parametrize(
    "text", ["6", "abc", "Quý 5/2021", "Tháng 13/2021", "2019–2021S1", "Năm 1800", ""]
)
def test_it_refuses_what_is_not_a_period_and_gives_examples_in_words(text):
    with pytest.raises(BadInput) as refused:
        periods.read_span(text)
    assert refused.value.code in {"invalid_period", "invalid_span"}
    if refused.value.code == "invalid_period":
        assert "6 tháng đầu năm 2021" in refused.value.message


def test_a_period_not_understood_is_named_once_with_examples_in_each_language():
    with pytest.raises(BadInput) as refused:
        periods.read_span("hai")
    assert one_language(refused.value.message, english=False) == (
        "Không hiểu kỳ “hai”. Ví dụ: Năm 2021; 6 tháng đầu năm 2021; Quý III/2021; "
        "Tháng 7/2021; Năm 2019–2021"
    )
    english = one_language(refused.value.message, english=True)
    assert english.startswith("Not a period: “hai”. ") and "first half of 2021" in english


@given(kinds, st.integers(1990, 2100), st.integers(1, 12), st.integers(0, 30))
def test_words_shown_are_words_read_back_in_both_languages(kind, year, number, length):
    first = periods.Period(
        year, kind, min(number, {"yearly": 1, "sixmonthly": 2, "quarterly": 4}.get(kind, 12))
    )
    chosen = [first]
    for _ in range(length % 6):
        chosen.append(chosen[-1].next())
    assert periods.read_span(periods.span_label(chosen)) == chosen
    with translation.override("en"):  # "Year 2019–2021", "Quarter III 2021"…
        assert periods.read_span(periods.span_label(chosen)) == chosen


def test_a_periods_field_cleans_words_to_identifiers_and_shows_words():
    from trienkhai.web.forms import PeriodsField, PeriodsInput

    assert PeriodsField().clean("Năm 2019–2021") == "2019..2021"
    several = PeriodsField(several=True).clean("6 tháng đầu năm 2020; 2020S2 2021S1, 2020S1")
    assert [p.id for p in several] == ["2020S1", "2020S2", "2021S1"]
    assert PeriodsInput().format_value("2019..2021") == "Năm 2019–2021"
    assert PeriodsInput().format_value("2020S1, 2020S2") == (
        "6 tháng đầu năm 2020; 6 tháng cuối năm 2020"
    )
    html = PeriodsInput().render("ky", "2020S1", {"id": "id_ky"})
    assert 'list="id_ky-words"' in html and '<option value="6 tháng đầu năm' in html
