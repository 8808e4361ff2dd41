import time
from collections import Counter

from trienkhai.contests import assignment


def test_it_gives_k_distinct_judges_to_every_entry_within_caps():
    entries = [(e, e % 3) for e in range(1, 31)]  # 30 entries from units 0, 1, 2
    judges = {101: 10, 102: None, 103: None, 104: None}
    result = assignment.solve(
        entries=entries, judges=judges, per_entry=2, conflicted={0: frozenset({102})}
    )
    assert result.unassigned == []
    per_entry = Counter(e for e, _ in result.pairs)
    assert set(per_entry.values()) == {2}
    assert len(set(result.pairs)) == 60  # no entry has a judge twice
    load = Counter(j for _, j in result.pairs)
    assert load[101] <= 10
    assert not {(e, j) for e, j in result.pairs if e % 3 == 0 and j == 102}
    uncapped = [load[j] for j in (102, 103, 104)]
    assert max(uncapped) - min(uncapped) <= 1  # spread evenly, not piled on one


def test_it_lists_entries_that_cannot_get_k_judges():
    # GIVEN two judges, one of them conflicted for unit 7, and k = 2
    result = assignment.solve(
        entries=[(1, 7), (2, 8)],
        judges={10: None, 11: None},
        per_entry=2,
        conflicted={7: frozenset({11})},
    )
    # THEN unit 7's entry is unassigned and keeps no judge
    assert result.unassigned == [1]
    assert sorted(result.pairs) == [(2, 10), (2, 11)]


def test_it_respects_caps_before_leaving_entries_out():
    result = assignment.solve(
        entries=[(e, 0) for e in range(1, 6)], judges={1: 2, 2: 2}, per_entry=1, conflicted={}
    )
    assert len(result.pairs) == 4 and len(result.unassigned) == 1


def test_it_assigns_a_province_sized_contest(capsys):
    """6.450 entries from 150 units, 30 judges, k = 2: the size of Kiên Giang 2022.
    The seconds are printed for PERFORMANCE notes, not asserted."""
    entries = [(e, e % 150) for e in range(6450)]
    judges: dict[int, int | None] = {j: None for j in range(30)}
    judges[0] = 100
    conflicted = {u: frozenset({u % 30}) for u in range(150)}
    start = time.perf_counter()
    result = assignment.solve(entries=entries, judges=judges, per_entry=2, conflicted=conflicted)
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nassigning 6450 entries x 30 judges, k=2: {seconds:.2f} s")
    assert result.unassigned == []
    assert len(result.pairs) == 12_900
    assert all(j != e % 150 % 30 for e, j in result.pairs)
    assert Counter(j for _, j in result.pairs)[0] <= 100


def test_it_leaves_every_entry_unassigned_without_judges_and_nothing_without_entries():
    alone = assignment.solve(entries=[(1, 5), (2, 6)], judges={}, per_entry=1, conflicted={})
    assert alone.unassigned == [1, 2] and alone.pairs == []
    empty = assignment.solve(entries=[], judges={1: None}, per_entry=2, conflicted={})
    assert empty.unassigned == [] and empty.pairs == []
