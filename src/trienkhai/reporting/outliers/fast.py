"""The judgement of many values at once: a vectorised screen, then the plain judge.

``judge_subtree`` and the data-quality page judge a province's 25,000 values against
150,000 of history. Judging each in Python cost ~5 µs, and pivoting the 175,000 rows
read into a list per cell as much again. Here the rows become arrays (numpy): each
cell's values by period, whether each unit's report of each period counts, the bounds;
the statistics of every cell are computed at once, and a value that *might* be an
outlier by any method goes to ``_Judge.judge``, the plain judgement that also serves
one report — so the findings (their ranges, scores and messages) are that code's, and
the screen only decides which values it is asked about.

The screen must never leave out an outlier: where its arithmetic may differ from the
plain code's in the last bits (a mean summed pairwise, not with ``math.fsum``), it lets
through anything within a millionth of a millionth of the threshold. The property test
``tests/reporting/test_outliers_fast.py`` compares both on random data.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from trienkhai.reporting.outliers.stats import (
    MAD_SCALE,
    MEAN_AD_SCALE,
    MIN_VALUES,
    RELATIVE_FLOOR,
    THRESHOLD,
    Method,
    floor_for,
    spread,
)

# What the period column of a row says when it is not a period of the read: the codes
# of _values_sql's "<", ">" and "~" rows (the same marks as the plain reading's).
LOW, HIGH, OUTSIDE = -1, -2, -3
TOLERANCE = 1e-12
"""How close to the threshold (relative to the numbers compared) a value still goes to
the plain judge: the screen's statistics may differ from ``stats.measure`` in the last
bits of a double (about 1e-16 relative)."""


@dataclass
class Table:
    """The rows of one read as arrays: the cells (unit, indicator, option) of the
    values and bounds read, each cell's values by period slot (NaN where absent,
    whatever the report's status), which (unit, slot) reports count, the bounds."""

    units: np.ndarray  # unit ids, sorted; a cell's unit is an index into it
    indicators: np.ndarray  # indicator ids, sorted
    options: list[str]  # option codes by index
    cell_unit: np.ndarray
    cell_indicator: np.ndarray
    cell_option: np.ndarray
    values: np.ndarray  # (cells, slots)
    counted: np.ndarray  # (units, slots) bool
    has_bounds: np.ndarray  # bool per cell: the unit has ValueBounds for it
    low: np.ndarray
    high: np.ndarray
    outside: dict[tuple[int, int, str], float]
    """The counted values of the period of the siblings read beside the units."""


def table(rows: Iterable[list[tuple]], slot: Mapping[str, int], units: Sequence[int]) -> Table:
    """The ``Table`` of ``_values_sql``'s rows (unit, indicator, option, period, number)
    read for ``units`` (sorted) and the periods of ``slot`` (period id → slot)."""
    every = [row for chunk in rows for row in chunk]
    width = max(slot.values(), default=-1) + 1
    unit_ids = np.array(units, dtype=np.int64)
    if not every:
        empty = np.zeros(0, dtype=np.int64)
        return Table(
            unit_ids,
            empty,
            [],
            empty,
            empty,
            empty,
            np.zeros((0, width)),
            np.zeros((len(units), width), dtype=bool),
            np.zeros(0, dtype=bool),
            np.zeros(0),
            np.zeros(0),
            {},
        )
    count = len(every)
    # Straight from the rows into arrays: no list per column (175,000 rows a province).
    codes = {**slot, "<": LOW, ">": HIGH, "~": OUTSIDE}
    column = itemgetter
    period = np.fromiter(map(codes.__getitem__, map(column(3), every)), np.int64, count)
    option_list = sorted(set(map(column(2), every)))
    if len(option_list) == 1:  # most forms: no disaggregation, every option ""
        option = np.zeros(count, dtype=np.int64)
    else:
        option_index = {code: n for n, code in enumerate(option_list)}
        option = np.fromiter(map(option_index.__getitem__, map(column(2), every)), np.int64, count)
    unit = np.fromiter(map(column(0), every), np.int64, count)
    indicator = np.fromiter(map(column(1), every), np.int64, count)
    number = np.array(list(map(column(4), every)), dtype=float)  # None (a null bound) → NaN

    outside: dict[tuple[int, int, str], float] = {}
    for n in np.flatnonzero(period == OUTSIDE).tolist():
        unit_id, indicator_id, option_code, _period, total = every[n]
        outside[(unit_id, indicator_id, option_code)] = total
    mine = period != OUTSIDE
    unit_at = np.searchsorted(unit_ids, unit)
    counted = np.zeros((len(units), width), dtype=bool)
    reports = mine & (indicator == 0)
    counted[unit_at[reports], period[reports]] = True

    cells = mine & (indicator != 0)
    indicator_ids = np.unique(indicator[cells])
    per_unit = len(indicator_ids) * len(option_list)
    key = (
        unit_at[cells] * per_unit
        + np.searchsorted(indicator_ids, indicator[cells]) * len(option_list)
        + option[cells]
    )
    space = len(units) * per_unit
    if space <= 4 * len(key) + 1024:
        # A dense key space (a province: 500 units × 50 indicators × 1 option): number
        # the keys present in one pass rather than sort 175,000 of them.
        present = np.zeros(space, dtype=bool)
        present[key] = True
        cell_keys = np.flatnonzero(present)
        cell_at = (np.cumsum(present) - 1)[key]
    else:
        cell_keys, cell_at = np.unique(key, return_inverse=True)
    kinds, numbers = period[cells], number[cells]
    values = np.full((len(cell_keys), width), np.nan)
    is_value = kinds >= 0
    values[cell_at[is_value], kinds[is_value]] = numbers[is_value]
    low, high = np.full(len(cell_keys), np.nan), np.full(len(cell_keys), np.nan)
    has_bounds = np.zeros(len(cell_keys), dtype=bool)
    is_low, is_high = kinds == LOW, kinds == HIGH
    has_bounds[cell_at[is_low]] = True
    low[cell_at[is_low]] = numbers[is_low]
    high[cell_at[is_high]] = numbers[is_high]
    return Table(
        unit_ids,
        indicator_ids,
        option_list,
        cell_keys // per_unit,
        cell_keys // len(option_list) % max(len(indicator_ids), 1),
        cell_keys % len(option_list),
        values,
        counted,
        has_bounds,
        low,
        high,
        outside,
    )


def _middle(ordered: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The median of each row of ``ordered`` (sorted, NaN last) of ``count`` values, as
    ``stats.measure`` takes it: the middle one, or the half-sum of the two middle ones."""
    rows = np.arange(len(ordered))
    middle = np.minimum(count // 2, ordered.shape[1] - 1)
    upper = ordered[rows, middle]
    lower = ordered[rows, np.maximum(middle - 1, 0)]
    return np.where(count % 2 == 1, upper, (lower + upper) / 2)


def measure(history: np.ndarray, method: Method, floor: np.ndarray) -> tuple[np.ndarray, ...]:
    """(centre, scale, count) of each row of ``history`` (NaN: no value) as
    ``stats.measure`` computes them; rows under MIN_VALUES values are to be ignored."""
    count = np.count_nonzero(~np.isnan(history), axis=1)
    enough = np.maximum(count, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method is Method.Z:
            centre = np.nansum(history, axis=1) / enough
            squares = np.nansum((history - centre[:, None]) ** 2, axis=1)
            scale = np.sqrt(squares / np.maximum(count - 1, 1))
        else:
            centre = _middle(np.sort(history, axis=1), count)
            deviations = np.sort(np.abs(history - centre[:, None]), axis=1)
            scale = MAD_SCALE * _middle(deviations, count)
            fallback = MEAN_AD_SCALE * np.nansum(deviations, axis=1) / enough
            scale = np.where(scale == 0, fallback, scale)
    scale = np.maximum(np.maximum(scale, RELATIVE_FLOOR * np.abs(centre)), floor)
    return centre, scale, count


Family = Hashable


@dataclass
class Screened:
    """The cells of a period that might be outliers, and what the plain judge needs to
    judge them: each (unit id, indicator id, option) with its value, whether it counts,
    its counted history (newest first, None where none), its bounds; and the siblings'
    groups of counted values by (family, indicator id, option)."""

    cells: dict[tuple[int, int, str], tuple[float, bool, list[float | None]]]
    bounds: dict[tuple[int, int, str], tuple[float | None, float | None]]
    groups: dict[tuple[Family, int, str], list[float]]
    too_little_history: int
    """How many values had fewer than MIN_VALUES counted periods of history."""


def _none(number: float) -> float | None:
    return None if number != number else number  # NaN → None


def screen(
    read: Table,
    period: int,
    past: Sequence[int],
    method: Method,
    family_of: Mapping[int, Family | None],
    judged: Mapping[int, tuple[str, float | None, float | None]],
    outside: Family | None,
    outside_values: Mapping[tuple[int, int, str], float],
) -> Screened:
    """The values of slot ``period`` of the units of ``family_of`` that might be
    outliers against their counted history in slots ``past`` (newest first), their
    bounds (or else their indicator's ``judged`` min/max: indicator id → (value type,
    min, max), the indicators judged) or their siblings (the counted values of the units
    of their family, with ``outside_values`` in the family ``outside``)."""
    units = read.units.tolist()
    families: dict[Family, int] = {}
    family_at = np.array(
        [
            -1 if (f := family_of.get(u, None)) is None else families.setdefault(f, len(families))
            for u in units
        ],
        dtype=np.int64,
    )
    wanted_units = np.array([u in family_of for u in units], dtype=bool)
    indicator_ids = read.indicators.tolist()
    no_limits = ("", None, None)
    judged_at = np.array([i in judged for i in indicator_ids], dtype=bool)
    floors = np.array([floor_for(judged.get(i, no_limits)[0]) for i in indicator_ids])
    minimum = np.array([_nan(judged.get(i, no_limits)[1]) for i in indicator_ids])
    maximum = np.array([_nan(judged.get(i, no_limits)[2]) for i in indicator_ids])
    options = read.options
    width_i, width_o = max(len(indicator_ids), 1), max(len(options), 1)

    unit_at, indicator_at, option_at = read.cell_unit, read.cell_indicator, read.cell_option
    value = read.values[:, period]
    keep = wanted_units[unit_at] & judged_at[indicator_at] & ~np.isnan(value)
    counts = read.counted[unit_at, period]
    family = family_at[unit_at]
    group_key = (family * width_i + indicator_at) * width_o + option_at

    # The siblings' groups: the counted values of each (family, indicator, option), in
    # lists for the plain judge, measured once each by stats.spread (a few hundred).
    members = np.flatnonzero(keep & counts & (family >= 0))
    member_keys = group_key[members]
    ordered = np.argsort(member_keys, kind="stable")
    keys, starts = np.unique(member_keys[ordered], return_index=True)
    member_values = np.split(value[members][ordered], starts[1:]) if len(keys) else []
    family_list = list(families)
    groups: dict[tuple[Family, int, str], list[float]] = {}
    group_of: dict[tuple[Family, int, str], int] = {}
    for key, found in zip(keys.tolist(), member_values, strict=True):
        f, rest = divmod(key, width_i * width_o)
        i, o = divmod(rest, width_o)
        named = (family_list[f], indicator_ids[i], options[o])
        groups[named], group_of[named] = found.tolist(), key
    if outside is not None:
        for (_unit, indicator_id, option), total in outside_values.items():
            groups.setdefault((outside, indicator_id, option), []).append(total)
    option_index = {code: n for n, code in enumerate(options)}
    indicator_index = {i: n for n, i in enumerate(indicator_ids)}
    measured_keys, centres, scales = [], [], []
    for named, listed in groups.items():
        f_named, indicator_id, option = named
        key = group_of.get(named)
        if key is None:  # a group of the siblings beside: their units are not read here
            if (
                f_named not in families
                or indicator_id not in indicator_index
                or option not in option_index
            ):
                continue  # no value read here is of it
            f, i, o = families[f_named], indicator_index[indicator_id], option_index[option]
            key = (f * width_i + i) * width_o + o
        measured = spread(listed, Method.MODIFIED_Z, floor=floor_for(judged[indicator_id][0]))
        if measured is not None:
            measured_keys.append(key)
            centres.append(measured.centre)
            scales.append(measured.scale)

    rows = np.flatnonzero(keep)
    x = value[rows]
    threshold = THRESHOLD.get(method, THRESHOLD[Method.MODIFIED_Z])
    # The unit's own history, counted reports only.
    slots = np.asarray(past, dtype=np.intp)
    history = np.where(
        read.counted[np.ix_(unit_at[rows], slots)], read.values[np.ix_(rows, slots)], np.nan
    )
    suspect = np.zeros(len(rows), dtype=bool)
    too_little = len(rows)
    if history.shape[1] >= MIN_VALUES:
        centre, scale, count = measure(history, method, floors[indicator_at[rows]])
        too_little = int(np.count_nonzero(count < MIN_VALUES))
        biggest = np.nanmax(np.abs(history), axis=1, initial=0.0)
        margin = TOLERANCE * (np.abs(x) + biggest + threshold * scale)
        with np.errstate(invalid="ignore"):
            suspect |= (count >= MIN_VALUES) & (np.abs(x - centre) > threshold * scale - margin)
    # The bounds: the unit's, or else the indicator's (NaN compares false: no bound).
    low = np.where(read.has_bounds[rows], read.low[rows], minimum[indicator_at[rows]])
    high = np.where(read.has_bounds[rows], read.high[rows], maximum[indicator_at[rows]])
    suspect |= (x < low) | (x > high)
    # The siblings: each value against its group's median and MAD.
    if measured_keys:
        order = np.argsort(measured_keys)
        sorted_keys = np.array(measured_keys, dtype=np.int64)[order]
        wanted = group_key[rows]
        at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
        found_group = (family[rows] >= 0) & (sorted_keys[at] == wanted)
        near_centre = np.where(found_group, np.array(centres)[order][at], np.nan)
        near = THRESHOLD[Method.MODIFIED_Z] * np.where(
            found_group, np.array(scales)[order][at], np.nan
        )
        margin = TOLERANCE * (np.abs(x) + np.abs(near_centre) + near)
        with np.errstate(invalid="ignore"):
            suspect |= np.abs(x - near_centre) > near - margin

    cells: dict[tuple[int, int, str], tuple[float, bool, list[float | None]]] = {}
    bounds: dict[tuple[int, int, str], tuple[float | None, float | None]] = {}
    for n in np.flatnonzero(suspect).tolist():
        row = rows[n]
        cell = (units[unit_at[row]], indicator_ids[indicator_at[row]], options[option_at[row]])
        cells[cell] = (float(x[n]), bool(counts[row]), [_none(v) for v in history[n].tolist()])
        if read.has_bounds[row]:
            bounds[cell] = (_none(float(read.low[row])), _none(float(read.high[row])))
    return Screened(cells, bounds, groups, too_little)


def _nan(number) -> float:
    return np.nan if number is None else float(number)
