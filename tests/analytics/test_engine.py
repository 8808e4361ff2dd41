"""The rollup engine's rules, on the small test organisation (VN → P1 → D1 → C1, C2; P2 → D2)."""

import datetime as dt
from functools import partial

import pytest

from tests import factories as f
from tests.analytics.conftest import D
from tests.factories import SYSTEM
from trienkhai.analytics import engine
from trienkhai.analytics.engine import Cell, units_at_level
from trienkhai.common.errors import BadInput
from trienkhai.orgs import services as orgs

# Drafts too: these tests are about the rules of the totals, whatever their status.
rollup = partial(engine.rollup, status="all")


def value(indicator, period, unit, option="", **kw):
    rows = rollup(indicators=[indicator], periods=[period], units=[unit], by_option=True, **kw)
    return next(c.value for c in rows if c.option == option)


def test_it_sums_a_subtree_and_a_year_from_its_halves(org, put):
    put(org.c1, "2020S1", lop=3)
    put(org.c2, "2020S1", lop=4)
    put(org.c1, "2020S2", lop=5)
    put(org.d2, "2020S1", lop=100)
    assert value("lop", "2020S1", "D1") == 7
    assert value("lop", "2020", "P1") == 12
    assert value("lop", "2020", "VN") == 112
    assert value("lop", "2019..2021", "D1") == 12
    assert value("lop", "2020S1", "C2") == 4
    assert value("lop", "2021", "D1") is None  # nobody reported: missing, not zero


def test_it_answers_rows_in_the_documented_shape(org, put):
    put(org.c1, "2020S1", nguoi__nam=3, nguoi__nu=2)
    rows = rollup(
        indicators=["nguoi", "lop"], periods=["2020S1"], units=["C1", "D1"], by_option=True
    )
    assert rows[0] == Cell("nguoi", "", "2020S1", "C1", D(5))
    assert [(c.indicator, c.option, c.unit) for c in rows] == [
        ("nguoi", "", "C1"),
        ("nguoi", "nam", "C1"),
        ("nguoi", "nu", "C1"),
        ("nguoi", "", "D1"),
        ("nguoi", "nam", "D1"),
        ("nguoi", "nu", "D1"),
        ("lop", "", "C1"),
        ("lop", "", "D1"),
    ]
    plain = rollup(indicators=["nguoi"], periods=["2020S1"], units=["D1"])
    assert plain == [Cell("nguoi", "", "2020S1", "D1", D(5))]


def test_averages_minima_and_maxima_are_not_sums(org, put):
    put(org.c1, "2020S1", diem=8, thap=8, cao=8)
    put(org.c2, "2020S1", diem=6, thap=6, cao=6)
    put(org.c2, "2020S2", diem=1, thap=1, cao=1)
    assert value("diem", "2020S1", "D1") == 7
    assert value("diem", "2020", "D1") == 5
    assert value("thap", "2020", "P1") == 1
    assert value("cao", "2020", "VN") == 8


def test_last_takes_each_units_latest_value_and_sums_them(org, put):
    put(org.c1, "2020S1", dang_vien=10)
    put(org.c1, "2020S2", dang_vien=12)
    put(org.c2, "2020S1", dang_vien=7)
    assert value("dang_vien", "2020", "D1") == 12 + 7
    assert value("dang_vien", "2020S1", "D1") == 17


def test_derived_indicators_come_from_rolled_up_inputs(org, put):
    put(org.c1, "2020S1", lop=1, ke_hoach=1, nguoi__nu=10)
    put(org.c2, "2020S1", lop=1, ke_hoach=3, nguoi__nu=2)
    # 2 of 4 planned: 50 %, not the average (100 + 33) / 2 nor the sum of the percentages.
    assert value("ty_le", "2020S1", "D1") == 50
    assert value("ty_le", "2020S1", "C2") == D("33.3333")  # 4 decimals (engine.bounded)
    assert value("nu_moi_lop", "2020S1", "D1") == 6
    assert value("ty_le", "2021", "D1") is None


def test_a_parents_own_figure_is_added_or_stands_by_the_indicators_rule(org, put):
    put(org.c1, "2020S1", lop=3, bao_cao=3)
    put(org.c2, "2020S1", lop=4, bao_cao=4)
    put(org.d1, "2020S1", lop=10, bao_cao=10)
    put(org.d2, "2020S1", bao_cao=5)
    assert value("lop", "2020S1", "D1") == 17  # add
    assert value("bao_cao", "2020S1", "D1") == 10  # the district's own report stands
    assert value("bao_cao", "2020S1", "C1") == 3
    assert value("bao_cao", "2020S1", "VN") == 15
    put(org.p1, "2020S1", bao_cao=20)
    assert value("bao_cao", "2020S1", "VN") == 25
    # In another period the district did not report: its communes' sum counts.
    put(org.c1, "2020S2", bao_cao=1)
    assert value("bao_cao", "2020", "D1") == 11


def test_none_is_a_units_own_value_for_exactly_that_period(org, put):
    put(org.c1, "2020S1", ghi=4)
    put(org.d1, "2020S1", ghi=9)
    assert value("ghi", "2020S1", "D1") == 9
    assert value("ghi", "2020S1", "C1") == 4
    assert value("ghi", "2020", "D1") is None
    assert value("ghi", "2020S1", "P1") is None


@pytest.fixture
def reform(org, put):
    """2025-07-01: C1 and C2 merge into N under P1; D1 is abolished. Values before it."""
    put(org.c1, "2024S1", lop=3)
    put(org.c2, "2024S1", lop=4)
    put(org.d1, "2024S1", lop=10)
    day = dt.date(2025, 7, 1)
    new = f.make_unit("N", parent=org.p1, valid_from=day)
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=new, on=day)
    orgs.dissolve_unit(acting_user=SYSTEM, unit=org.d1, on=day)
    return new


def test_a_past_period_totals_in_the_structure_of_its_time(org, reform):
    assert value("lop", "2024S1", "D1") == 17
    assert value("lop", "2024S1", "P1") == 17
    assert value("lop", "2024S1", "N") is None


def test_as_of_carries_values_through_lineage(org, reform):
    later = dt.date(2026, 1, 1)
    # The communes' figures land in their successor; the abolished district's own
    # figure, having no successor, lands in the unit above it.
    assert value("lop", "2024S1", "N", as_of=later) == 7
    assert value("lop", "2024S1", "P1", as_of=later) == 17
    assert value("lop", "2024S1", "D1", as_of=later) is None
    assert value("lop", "2024S1", "C1", as_of=later) is None


def test_a_split_units_value_is_not_divided_but_held_by_the_pieces_common_ancestor(org, put):
    put(org.c1, "2020S1", lop=6)
    day = dt.date(2022, 1, 1)
    left = f.make_unit("CL", parent=org.d1, valid_from=day)
    right = f.make_unit("CR", parent=org.d1, valid_from=day)
    orgs.split_unit(acting_user=SYSTEM, unit=org.c1, into=[left, right], on=day)
    later = dt.date(2023, 1, 1)
    assert value("lop", "2020S1", "CL", as_of=later) is None
    assert value("lop", "2020S1", "D1", as_of=later) == 6
    # Looking back from before the split, a piece's later value lands in the unit it came from.
    put_day = dt.date(2021, 1, 1)
    assert value("lop", "2020S1", "C1", as_of=put_day) == 6


def test_unknown_names_are_refused_bilingually(org, figures):
    with pytest.raises(BadInput) as bad:
        rollup(indicators=["lop", "khong_co"], periods=["2020"], units=["D1"])
    assert "khong_co" in bad.value.message and " / " in bad.value.message
    with pytest.raises(BadInput) as bad:
        rollup(indicators=["lop"], periods=["2020"], units=["ZZ"])
    assert "ZZ" in bad.value.message
    with pytest.raises(BadInput) as bad:
        rollup(indicators=["lop"], periods=["2020X"], units=["D1"])
    assert "2020X" in bad.value.message


def test_units_at_level(org):
    day = dt.date(2024, 1, 1)
    assert units_at_level("P1", 0, day) == ["P1"]
    assert units_at_level("P1", 1, day) == ["D1"]
    assert units_at_level("P1", 2, day) == ["C1", "C2"]
    assert units_at_level("VN", 1, day) == ["P1", "P2"]
