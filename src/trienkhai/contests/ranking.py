"""The ranking of a round: raw and per-judge normalised scores, disagreement, tie-breaks
(decision 0053).

Each judge's weighted totals are put on one scale twice: as z-scores (mean and standard
deviation of that judge's totals in the round) and robustly (median and MAD, scaled by
1,4826 to read like a standard deviation). An entry's ``normalised`` score is the mean of
its judges' robust scores, ``z_score`` the mean of their z-scores, ``raw`` the mean of
their totals. Ranks follow, each decided by the first key that differs: ``normalised``,
then ``raw``, then the higher lowest total of a judge, then the receipt (the earlier
first). Normalised and raw are compared as shown (4 decimals).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from trienkhai.contests.models import Assignment, Round, Score

MAD_SCALE = 1.4826
"""MAD × this estimates the standard deviation of normally spread totals."""
MEAN_AD_SCALE = 1.2533
"""Mean absolute deviation × this does too: the fall-back when more than half of a
judge's totals are equal (MAD 0), after Iglewicz and Hoaglin's modified z-score."""
DISAGREEMENT = 2.0
"""An entry's judges disagree when their robust scores of it span more than this: one
judge put it about in their top sixth (+1), another in their bottom sixth (−1)."""
DECIMALS = 4
ROUNDING = 1e-9
"""A spread below this is the floats' rounding, not the judge's: totals have 4 decimals
(the standard deviation of three equal floats came out as 2e-15, and every z-score as ±1)."""


@dataclass(frozen=True)
class Ranked:
    entry: int
    number: int
    """The receipt number: the last tie-break."""
    judges: int
    """Judges the entry is assigned to in the round."""
    sheets: int
    """Score sheets received of them: the entry is ranked from the first one."""
    raw: float | None
    normalised: float | None
    z_score: float | None
    lowest: float | None
    spread: float | None
    """Highest minus lowest robust score of its judges (two sheets or more)."""
    disagreement: bool
    rank: int | None


def of_round(round: Round) -> list[Ranked]:
    """The ranking of every entry assigned in ``round`` (two queries); entries without a
    sheet yet come last, unranked, in receipt order. A disqualified entry is left out;
    its sheets still count in its judges' scales (they read and scored it with the rest)."""
    assigned = list(
        Assignment.objects.filter(round=round, entry__disqualified_at__isnull=True).values_list(
            "entry_id", "entry__number"
        )
    )
    sheets = list(Score.objects.filter(round=round).values_list("entry_id", "judge_id", "total"))
    judges = Counter(entry for entry, _ in assigned)
    numbers = dict(assigned)
    return rank(sheets, judges, numbers)


def rank(
    sheets: Sequence[tuple[int, int, Decimal | float]],
    judges: dict[int, int],
    numbers: dict[int, int],
) -> list[Ranked]:
    """The ranking from ``sheets`` (entry, judge, weighted total), the judges assigned to
    each entry and each entry's receipt number."""
    if not sheets:
        return [_unranked(e, judges, numbers) for e in sorted(numbers, key=numbers.__getitem__)]
    entry_ids = np.fromiter((s[0] for s in sheets), dtype=np.int64, count=len(sheets))
    judge_ids = np.fromiter((s[1] for s in sheets), dtype=np.int64, count=len(sheets))
    totals = np.fromiter((float(s[2]) for s in sheets), dtype=np.float64, count=len(sheets))
    z, robust = _per_judge(judge_ids, totals)

    entries, at = np.unique(entry_ids, return_inverse=True)
    count = np.bincount(at)
    raw = np.bincount(at, weights=totals) / count
    mean_z = np.bincount(at, weights=z) / count
    mean_robust = np.bincount(at, weights=robust) / count
    lowest = np.full(len(entries), np.inf)
    np.minimum.at(lowest, at, totals)
    high, low = np.full(len(entries), -np.inf), np.full(len(entries), np.inf)
    np.maximum.at(high, at, robust)
    np.minimum.at(low, at, robust)
    spread = high - low

    shown_norm, shown_raw = mean_robust.round(DECIMALS), raw.round(DECIMALS)
    number = np.array([numbers.get(int(e), 0) for e in entries])
    order = np.lexsort((number, -lowest, -shown_raw, -shown_norm))  # the last key first
    # Sheets of entries not listed (disqualified) shaped their judges' scales, no rank.
    order = order[np.isin(entries[order], np.fromiter(numbers, dtype=np.int64))]
    ranked = [
        Ranked(
            entry=int(entries[i]),
            number=int(number[i]),
            judges=judges.get(int(entries[i]), int(count[i])),
            sheets=int(count[i]),
            raw=float(shown_raw[i]),
            normalised=float(shown_norm[i]),
            z_score=round(float(mean_z[i]), DECIMALS),
            lowest=float(lowest[i]),
            spread=round(float(spread[i]), DECIMALS) if count[i] > 1 else None,
            disagreement=bool(count[i] > 1 and spread[i] > DISAGREEMENT),
            rank=place,
        )
        for place, i in enumerate(order, start=1)
    ]
    scored = {r.entry for r in ranked}
    waiting = sorted((e for e in numbers if e not in scored), key=numbers.__getitem__)
    return ranked + [_unranked(e, judges, numbers) for e in waiting]


def _per_judge(judge_ids: np.ndarray, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sheet's z-score and robust score within its judge's sheets of the round. A
    judge whose totals do not vary (or who scored one entry) puts every entry at 0."""
    z = np.zeros_like(totals)
    robust = np.zeros_like(totals)
    order = np.argsort(judge_ids, kind="stable")
    bounds = np.flatnonzero(np.diff(judge_ids[order])) + 1
    for group in np.split(order, bounds):
        values = totals[group]
        sd = values.std()
        if sd > ROUNDING:
            z[group] = (values - values.mean()) / sd
        median = np.median(values)
        deviations = np.abs(values - median)
        scale = MAD_SCALE * np.median(deviations)
        if scale == 0:
            scale = MEAN_AD_SCALE * deviations.mean()
        if scale > ROUNDING:
            robust[group] = (values - median) / scale
    return z, robust


def _unranked(entry: int, judges: dict[int, int], numbers: dict[int, int]) -> Ranked:
    return Ranked(
        entry=entry,
        number=numbers[entry],
        judges=judges.get(entry, 0),
        sheets=0,
        raw=None,
        normalised=None,
        z_score=None,
        lowest=None,
        spread=None,
        disagreement=False,
        rank=None,
    )
