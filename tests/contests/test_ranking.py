"""The ranking of a round: normalisation, disagreement, tie-breaks (decision 0053)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trienkhai.contests import ranking
from trienkhai.contests.ranking import rank


def ranked(sheets, entries=None):
    """rank() with every sheet's entry assigned to its judges, receipt number = id."""
    ids = entries or sorted({e for e, _, _ in sheets})
    judges = {e: sum(1 for s in sheets if s[0] == e) or 2 for e in ids}
    return rank(sheets, judges, {e: e for e in ids})


def by_entry(result):
    return {r.entry: r for r in result}


def test_it_puts_a_harsh_judges_best_above_a_lenient_judges_worst():
    """GIVEN a harsh judge (totals 10–30) and a lenient one (60–80) reading other entries
    WHEN ranked THEN the harsh judge's best (30) outranks the lenient judge's worst (60):
    raw says the opposite."""
    harsh = [(1, 1, 10), (2, 1, 20), (3, 1, 30)]
    lenient = [(4, 2, 60), (5, 2, 70), (6, 2, 80)]
    result = by_entry(ranked(harsh + lenient))
    assert result[3].raw == 30 and result[4].raw == 60
    assert result[3].normalised > result[4].normalised
    assert result[3].rank < result[4].rank
    assert result[3].normalised == result[6].normalised  # each judge's best, level


def test_it_computes_z_scores_and_robust_scores_per_judge():
    # totals 0, 40, 50, 60: mean 37,5, sd 22,78; median 45, MAD 10 → scale 14,826
    result = by_entry(ranked([(1, 1, 0), (2, 1, 40), (3, 1, 50), (4, 1, 60)]))
    assert result[3].z_score == pytest.approx((50 - 37.5) / 22.7761, abs=1e-4)
    assert result[3].normalised == pytest.approx(5 / 14.826, abs=1e-4)
    # the zero pulls the z-scores of the others together; the robust score ignores it
    assert result[1].normalised == pytest.approx(-45 / 14.826, abs=1e-4)


def test_it_falls_back_to_the_mean_deviation_when_most_totals_are_equal():
    # median 5, MAD 0; mean absolute deviation 1 → scale 1,2533
    result = by_entry(ranked([(1, 1, 5), (2, 1, 5), (3, 1, 5), (4, 1, 9)]))
    assert result[4].normalised == pytest.approx(4 / 1.2533, abs=1e-4)
    assert result[1].normalised == 0


def test_it_puts_every_entry_of_a_judge_who_does_not_vary_at_zero():
    result = by_entry(ranked([(1, 1, 7), (2, 1, 7), (3, 2, 5)]))
    assert {r.normalised for r in result.values()} == {0} and {
        r.z_score for r in result.values()
    } == {0}


def test_it_puts_a_judge_giving_one_float_total_throughout_at_zero():
    """Found by the property below: three equal floats had a standard deviation of
    2e-15, and z-scores of -1/3 on average."""
    sheets = [(e, 1, 5 * 2.419415310380564) for e in (1, 2, 3)]
    assert {r.z_score for r in ranked(sheets)} == {0}


def test_it_flags_an_entry_its_judges_split_on():
    """Judge 1 puts entry 1 top of four, judge 2 bottom of four: spread above 2."""
    judge1 = [(1, 1, 90), (2, 1, 50), (3, 1, 45), (4, 1, 40)]
    judge2 = [(1, 2, 10), (2, 2, 50), (3, 2, 55), (4, 2, 60)]
    result = by_entry(ranked(judge1 + judge2))
    assert result[1].spread > ranking.DISAGREEMENT and result[1].disagreement
    assert not result[3].disagreement and result[3].spread < 1


def test_it_breaks_ties_by_raw_then_the_lowest_judge_then_the_receipt():
    """GIVEN entries 1-3 read by two judges with the same spread of totals so that
    entries 11 and 12 normalise equal, 21/22 also equal in raw, and 31/32 equal in all
    WHEN ranked THEN raw, then the lowest judge's total, then the receipt decide."""
    # Judge 1 and judge 2 each give the same multiset of totals: normalisation is the same.
    sheets = [
        # normalised equal (0 each: each judge's median), raw 50 vs 40 → 11 first
        (11, 1, 50),
        (11, 2, 50),
        (12, 3, 40),
        (12, 4, 40),
    ]
    background = {1: [30, 70], 2: [30, 70], 3: [20, 60], 4: [20, 60]}
    entry = 100
    for judge, totals in background.items():
        for total in totals:
            entry += 1
            sheets.append((entry, judge, total))
    result = by_entry(ranked(sheets))
    assert result[11].normalised == result[12].normalised == 0
    assert result[11].rank < result[12].rank

    # normalised and raw equal; entry 22's lowest judge is higher (45 vs 40)
    sheets = [(21, 1, 40), (21, 2, 60), (22, 1, 45), (22, 2, 55)]
    sheets += [(90, 1, 45), (91, 1, 40), (92, 2, 55), (93, 2, 60)]  # mirror images
    result = by_entry(ranked(sheets))
    assert result[21].normalised == result[22].normalised
    assert result[21].raw == result[22].raw == 50
    assert (result[21].lowest, result[22].lowest) == (40, 45)
    assert result[22].rank < result[21].rank

    # everything equal: the earlier receipt first
    result = ranked([(32, 1, 50), (31, 2, 50)])
    assert [r.entry for r in result] == [31, 32] and [r.rank for r in result] == [1, 2]


def test_it_lists_entries_without_a_sheet_last_unranked():
    result = rank([(2, 1, 50)], {1: 2, 2: 2, 3: 2}, {1: 1, 2: 2, 3: 3})
    assert [(r.entry, r.rank, r.sheets, r.judges) for r in result] == [
        (2, 1, 1, 2),
        (1, None, 0, 2),
        (3, None, 0, 2),
    ]
    assert rank([], {1: 2}, {1: 1})[0].raw is None


totals = st.integers(min_value=0, max_value=100)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(totals, totals, totals), min_size=2, max_size=30),
    st.floats(min_value=0.2, max_value=5),
    st.integers(min_value=-50, max_value=50),
)
def test_it_ranks_the_same_whatever_scale_a_judge_uses(rows, factor, shift):
    """GIVEN three judges reading every entry WHEN one judge's totals are stretched and
    shifted THEN normalised scores and ranks are unchanged (raw ties aside)."""
    sheets = [(e, j, t) for e, row in enumerate(rows, 1) for j, t in enumerate(row, 1)]
    moved = [(e, j, t * factor + shift if j == 1 else t) for e, j, t in sheets]
    before, after = by_entry(ranked(sheets)), by_entry(ranked(moved))
    for e in before:
        assert after[e].normalised == pytest.approx(before[e].normalised, abs=2e-4)
        assert after[e].z_score == pytest.approx(before[e].z_score, abs=2e-4)
    assert sorted(r.rank for r in before.values()) == list(range(1, len(rows) + 1))
