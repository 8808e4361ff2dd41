"""What the registers' figure sources share (decision 0039): each counts, for the
subtree of each asked unit on a day, with one function of its module
(``subtrees_figures(codes, subtrees, start, end, options)``), and answers every asked
key, 0 where the register has nothing."""

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
    """A ``reporting.sources.FigureSource`` over one register of this app."""

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
    ) -> Values:
        subtrees = {uid: [u for u, _ in queries.descendant_ids(uid, day)] for uid in unit_ids}
        return self.count(codes, subtrees, start, end, options)
