"""The statistics of outliers (reporting/outliers/stats.py): pure functions."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trienkhai.reporting.outliers import stats
from trienkhai.reporting.outliers.stats import Method, bounds, minmax_score, spread


def test_it_gives_no_judgement_on_too_little_history():
    assert spread([], Method.MODIFIED_Z) is None
    assert spread([200, 210], Method.MODIFIED_Z) is None
    assert spread([200, 210], Method.Z) is None
    assert bounds([5, 6]) is None
    assert spread([200, 210, 190], Method.MODIFIED_Z) is not None


def test_it_scores_by_median_and_mad():
    # median 200, deviations 0 0 10 10 20 20 → MAD 10, s = 14.826
    history = [180.0, 190, 200, 200, 210, 220]
    found = spread(history, Method.MODIFIED_Z)
    assert found is not None
    assert found.centre == 200
    assert found.scale == pytest.approx(14.826)
    assert found.score(20673) == pytest.approx((20673 - 200) / 14.826)
    assert found.is_outlier(20673)
    assert found.is_outlier(140)  # (140 − 200) / 14.8 = −4.05
    assert not found.is_outlier(250)  # 3.37
    low, high = found.range()
    assert low == pytest.approx(200 - 3.5 * 14.826)
    assert high == pytest.approx(200 + 3.5 * 14.826)


def test_it_is_not_moved_by_one_wild_value_in_the_history():
    calm = spread([200.0, 201, 199, 200, 202, 198], Method.MODIFIED_Z)
    wild = spread([200.0, 201, 199, 200, 202, 99999], Method.MODIFIED_Z)
    assert calm is not None and wild is not None
    assert calm.is_outlier(20673) and wild.is_outlier(20673)
    mean_based = spread([200.0, 201, 199, 200, 202, 99999], Method.Z)
    assert mean_based is not None and not mean_based.is_outlier(20673)


def test_it_falls_back_to_the_mean_absolute_deviation_when_mad_is_zero():
    # more than half equal: MAD 0; mean absolute deviation (0·4 + 100 + 100)/6 = 33.3
    found = spread([200.0, 200, 200, 200, 300, 100], Method.MODIFIED_Z)
    assert found is not None
    assert found.scale == pytest.approx(1.2533 * 200 / 6)
    assert not found.is_outlier(300)
    assert found.is_outlier(400)


def test_it_floors_the_spread_of_a_history_all_equal():
    # no spread at all: s = max(5 % of 200, 1) = 10, so 210 is usual and 20.673 is not
    found = spread([200.0] * 6, Method.MODIFIED_Z)
    assert found is not None and found.scale == 10
    assert not found.is_outlier(210)
    assert found.is_outlier(20673)
    zeros = spread([0.0] * 6, Method.MODIFIED_Z, floor=1.0)
    assert zeros is not None and zeros.scale == 1
    assert not zeros.is_outlier(3)
    assert zeros.is_outlier(4)
    decimals = spread([0.0] * 6, Method.MODIFIED_Z, floor=0.01)
    assert decimals is not None and decimals.is_outlier(0.5)


def test_it_scores_by_mean_and_standard_deviation_as_an_option():
    history = [10.0, 12, 14, 16, 18]  # mean 14, sample sd 3.162
    found = spread(history, Method.Z)
    assert found is not None and found.method is Method.Z
    assert found.scale == pytest.approx(math.sqrt(10))
    assert found.is_outlier(24)  # z = 3.16
    assert not found.is_outlier(23)  # z = 2.85


def test_it_clips_the_usual_range_at_zero_unless_negatives_are_allowed():
    found = spread([1.0, 2, 3, 4, 5], Method.MODIFIED_Z)
    assert found is not None
    assert found.range()[0] == 0
    assert found.range(allow_negative=True)[0] < 0


def test_it_judges_negative_histories():
    found = spread([-50.0, -40, -45, -55, -60], Method.MODIFIED_Z)
    assert found is not None
    assert found.centre == -50
    assert found.is_outlier(100)
    assert not found.is_outlier(-48)
    assert found.score(-500) < -3.5


def test_it_generates_bounds_outward_to_whole_numbers():
    low, high = bounds([180.0, 190, 200, 200, 210, 220])  # type: ignore[misc]
    assert (low, high) == (math.floor(200 - 3.5 * 14.826), math.ceil(200 + 3.5 * 14.826))
    assert bounds([1.0, 2, 3], value_type="integer") == (0, 8)  # 2 ± 3.5 · 1.4826
    decimal_low, decimal_high = bounds([1.5, 1.6, 1.7], value_type="decimal")  # type: ignore[misc]
    assert decimal_low == pytest.approx(1.6 - 3.5 * 0.14826, abs=1e-4)  # not rounded out
    assert decimal_high == pytest.approx(1.6 + 3.5 * 0.14826, abs=1e-4)
    assert bounds([10.0, 12, 14, 16, 18], Method.Z) == (
        math.floor(14 - 3 * math.sqrt(10)),
        math.ceil(14 + 3 * math.sqrt(10)),
    )


def test_it_scores_a_value_outside_min_max_in_widths_of_the_range():
    assert minmax_score(50, 0, 50) is None
    assert minmax_score(60, 0, 50) == pytest.approx(0.2)
    assert minmax_score(-10, 0, 50) == pytest.approx(-0.2)
    assert minmax_score(60, None, 50) == 10  # one-sided: widths of 1
    assert minmax_score(-1, 0, None) == -1
    assert minmax_score(5, None, None) is None


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=stats.MIN_VALUES, max_size=12), finite)
def test_it_calls_a_value_an_outlier_exactly_outside_the_usual_range(history, value):
    for method in (Method.MODIFIED_Z, Method.Z):
        found = spread(history, method)
        assert found is not None
        assert found.scale >= 1  # never divides by zero
        low, high = found.range(allow_negative=True)
        inside = low <= value <= high
        # the boundary itself may round either way
        if not math.isclose(abs(found.score(value)), stats.THRESHOLD[found.method]):
            assert found.is_outlier(value) is not inside


@given(st.lists(finite, min_size=stats.MIN_VALUES, max_size=12), finite, finite)
def test_it_scores_further_values_higher(history, a, b):
    found = spread(history, Method.MODIFIED_Z)
    assert found is not None
    if abs(a - found.centre) <= abs(b - found.centre):
        assert abs(found.score(a)) <= abs(found.score(b))


@given(st.lists(finite, min_size=stats.MIN_VALUES, max_size=12), finite)
def test_it_ranks_the_same_whatever_the_order_of_the_history(history, value):
    forward = spread(history, Method.MODIFIED_Z)
    backward = spread(list(reversed(history)), Method.MODIFIED_Z)
    assert forward is not None and backward is not None
    assert forward.is_outlier(value) == backward.is_outlier(value)
