"""The statistics of outliers: pure functions over floats, no database.

Two ways to say how far a value lies from a list of values (its history, or its
siblings' values), both as a signed score and a usual range ``(low, high)``:

- **modified z-score** (Iglewicz & Hoaglin; the default): ``M = (x − median) / s`` with
  ``s = 1.4826 · MAD`` (MAD: median absolute deviation; ``0.6745 · (x − median) / MAD``
  written the other way round). ``|M| > 3.5`` is an outlier. A median is not moved by
  the one wrong figure it is meant to catch, which a mean is.
- **z-score** (an option): ``z = (x − mean) / sd`` with the sample standard deviation;
  ``|z| > 3`` is an outlier.

The spread ``s`` (or ``sd``) has a floor, so that a history with no spread at all does
not make every other value infinitely far:
- MAD = 0 (more than half the history equal): ``s = 1.2533 · mean absolute deviation``
  (the fallback IBM SPSS uses);
- then, always: ``s ≥ 5 % of |centre|`` (a count of 200 people is not an outlier at 210)
  and ``s ≥ FLOOR`` (1 for whole numbers, 0.01 otherwise: six periods of 0 then 4
  classes is an outlier, 1 class is not).

Fewer than ``MIN_VALUES`` values: no judgement (``None``).

The usual range is ``centre ± threshold · s``, clipped at 0 for an indicator that
does not allow negatives. Generated min-max bounds (DHIS2's min-max generation, with
a median instead of a mean by default) are that range over the history, widened to
whole numbers for whole-number indicators.
"""

import math
from enum import StrEnum
from typing import NamedTuple


class Method(StrEnum):
    MODIFIED_Z = "modified_z"
    Z = "z"
    MINMAX = "minmax"
    SIBLINGS = "siblings"


THRESHOLD = {Method.MODIFIED_Z: 3.5, Method.Z: 3.0}
MIN_VALUES = 3
RELATIVE_FLOOR = 0.05
MAD_SCALE = 1.4826
MEAN_AD_SCALE = 1.2533


class Spread(NamedTuple):
    """Where a list of values sits: its centre and the spread ``s`` a score divides by."""

    centre: float
    scale: float
    method: Method

    def score(self, value: float) -> float:
        return (value - self.centre) / self.scale

    def is_outlier(self, value: float) -> bool:
        return abs(value - self.centre) > THRESHOLD[self.method] * self.scale

    def range(self, *, allow_negative: bool = False) -> tuple[float, float]:
        width = THRESHOLD[self.method] * self.scale
        low, high = self.centre - width, self.centre + width
        return (low if allow_negative else max(low, 0.0)), high


def measure(values: list[float], method: Method, floor: float) -> tuple[float, float] | None:
    """(centre, scale) of ``values`` by ``method`` (modified_z or z); None under
    MIN_VALUES. The arithmetic of ``spread``, without an object: the judgement of a
    province's 25,000 cells calls it once each."""
    n = len(values)
    if n < MIN_VALUES:
        return None
    if method is Method.Z:
        centre = math.fsum(values) / n
        scale = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (n - 1))
    else:
        ordered = sorted(values)
        middle = n // 2
        centre = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        deviations = sorted([abs(v - centre) for v in values])
        mad = deviations[middle] if n % 2 else (deviations[middle - 1] + deviations[middle]) / 2
        scale = MAD_SCALE * mad
        if scale == 0:
            scale = MEAN_AD_SCALE * math.fsum(deviations) / n
    relative = RELATIVE_FLOOR * abs(centre)
    return centre, max(scale, relative, floor)


def spread(values: list[float], method: Method = Method.MODIFIED_Z, *, floor: float = 1.0):
    """The ``Spread`` of ``values`` by ``method`` (modified_z or z); None under MIN_VALUES."""
    if method is not Method.Z:
        method = Method.MODIFIED_Z
    found = measure(values, method, floor)
    return None if found is None else Spread(found[0], found[1], method)


def floor_for(value_type: str) -> float:
    """The least spread for an indicator's type: whole numbers move by at least one."""
    return 1.0 if value_type == "integer" else 0.01


def bounds(
    values: list[float],
    method: Method = Method.MODIFIED_Z,
    *,
    value_type: str = "integer",
    allow_negative: bool = False,
) -> tuple[float, float] | None:
    """Generated min-max bounds from a history: the usual range, outward to whole numbers
    for whole-number indicators; None under MIN_VALUES values."""
    found = spread(values, method, floor=floor_for(value_type))
    if found is None:
        return None
    low, high = found.range(allow_negative=allow_negative)
    if value_type == "integer":
        return float(math.floor(low)), float(math.ceil(high))
    return round(low, 4), round(high, 4)


def minmax_score(value: float, low: float | None, high: float | None) -> float | None:
    """How far ``value`` lies outside [low, high], in widths of the range (signed: below
    is negative); None inside. A one-sided or zero-width range counts widths of 1."""
    width = (high - low) if low is not None and high is not None else 0.0
    width = max(width, 1.0)
    if high is not None and value > high:
        return (value - high) / width
    if low is not None and value < low:
        return (value - low) / width
    return None
