"""What the registers' figure sources share (decision 0039), the activities' and the
commendations': each counts, for the subtree of each asked unit on a day, with one
function of its module (``subtrees_figures(codes, subtrees, start, end, options)``),
and answers every asked key, 0 where the register has nothing.

Asked "as of" a day (the engine's ``as_of``: the 34 provinces of 01/07/2025 for 2021),
the units that ended by then are carried through lineage onto the units that stand for
them that day, as stored values are (``analytics.structure``): a commune committee
merged in 2025 counts for the committee formed from it; a district split between
several communes, for the unit above them all."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from trienkhai.orgs import queries
from trienkhai.reporting.sources import Figure, Values

Count = Callable[..., Values]
"""``subtrees_figures(codes, subtrees, start, end, options)`` of a register's module."""


def zeroes(codes: Iterable[str], keys: Iterable, options: Mapping[str, Sequence[str]]) -> Values:
    """Every asked (code, option or "", key) answered 0, for a count to fill in."""
    codes = list(codes)
    return {
        (code, option, key): Decimal(0)
        for key in keys
        for code in codes
        for option in ["", *options.get(code, ())]
    }


@dataclass
class RegisterSource:
    """A ``reporting.sources.FigureSource`` over one register (activities, commendations)."""

    name: str
    figures: Sequence[Figure]
    note: Promise
    """Where the figures come from, lazily translated ("Đếm từ sổ hoạt động")."""
    count: Count

    @property
    def label(self) -> str:
        return str(self.note)

    def values(
        self,
        codes: Sequence[str],
        unit_ids: Sequence[int],
        start: dt.date,
        end: dt.date,
        day: dt.date,
        options: Mapping[str, Sequence[str]],
        *,
        carried: bool = False,
    ) -> Values:
        subtrees = {uid: [u for u, _ in queries.descendant_ids(uid, day)] for uid in unit_ids}
        if carried:
            subtrees = with_carried(subtrees, start, day)
        return self.count(codes, subtrees, start, end, options)


def with_carried(
    subtrees: Mapping[int, Sequence[int]], start: dt.date, day: dt.date
) -> dict[int, list[int]]:
    """``subtrees`` (key → the units of a subtree on ``day``) with the units that ended
    after ``start`` and by ``day`` added to each subtree holding the unit that stands for
    them on ``day`` (``Structure.carrier``: their successor, the lowest unit above all of
    them for a split, or what their parent went into)."""
    from trienkhai.analytics.structure import Structure

    structure = Structure.cached()
    holding: dict[int, list[int]] = {}
    for key, units in subtrees.items():
        for unit in units:
            holding.setdefault(unit, []).append(key)
    found = {key: list(units) for key, units in subtrees.items()}
    for unit, (_first, last) in structure.life.items():
        if last is None or not start < last <= day:
            continue
        home = structure.carrier(unit, day)
        for key in holding.get(home, ()) if home is not None else ():
            found[key].append(unit)
    return found
