"""Outliers per unit, from history: the one place that says a figure looks wrong.

A value of (indicator, option, unit, period) is judged three ways:
- against the unit's own history of the cell, the last ``HISTORY_PERIODS`` periods of
  the form's type (modified z-score by default, z-score as an option: ``stats``);
- against the unit's min-max bounds (``ValueBounds``, generated from history and
  editable), or else the indicator's own min/max, method "minmax";
- against its siblings (the units of the same parent and kind on the period's day) in the
  same period, method "siblings".

History and siblings count only figures whose report is submitted or approved,
whatever the status of the value judged: a draft cannot move the yardstick.

Reads are set-based: the values of every unit, indicator and period concerned in one
statement per 500 units, the statistics in Python over floats. Callers:
- ``judge_subtree`` — ``GET /api/v1/outliers``: every outlier in a unit's subtree;
- ``outliers_of_submission`` — the review of one report: outliers with their comments;
- ``grid_hints`` — the entry grid: each cell's usual range, sent with the page so that
  the warning is computed as the person types;
- ``save_warnings`` / ``check_value`` — the server's word at save time.
"""

import datetime as dt
import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import connection
from django.utils.translation import gettext as _

from trienkhai.common import replica
from trienkhai.common.bulk_insert import among
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting import structure
from trienkhai.reporting.models import (
    DataValue,
    Form,
    Indicator,
    OutlierComment,
    Submission,
    ValueBounds,
)
from trienkhai.reporting.outliers import fast
from trienkhai.reporting.outliers.stats import (
    MIN_VALUES,
    THRESHOLD,
    Method,
    Spread,
    floor_for,
    measure,
    minmax_score,
    spread,
)
from trienkhai.reporting.periods import Period
from trienkhai.vn import format_number

__all__ = [
    "HISTORY_PERIODS",
    "Method",
    "Outlier",
    "check_value",
    "format_value",
    "grid_hints",
    "judge_subtree",
    "message",
    "outliers_of_submission",
    "save_warnings",
    "span_findings",
    "span_read",
    "subtree_findings",
    "whole_range",
]

HISTORY_PERIODS = 6
COUNTED = (Submission.Status.SUBMITTED.value, Submission.Status.APPROVED.value)
_CHUNK = 500  # units per statement

Number = int | float


class Outlier(TypedDict):
    """One outlier as the API gives it (the contract of GET /api/v1/outliers)."""

    unit: str
    indicator: str
    option: str
    period: str
    value: Number
    low: Number | None
    high: Number | None
    method: str
    score: float


@dataclass(frozen=True)
class Finding:
    """An outlier as computed, with ids and the previous value (for the message)."""

    unit_id: int
    indicator: Indicator
    option: str
    period: str
    value: float
    low: float | None
    high: float | None
    method: Method
    score: float
    previous: float | None = None


Cell = tuple[int, int, str]  # (unit id, indicator id, option)
Family = Hashable
"""Who a unit's siblings are: its parent and kind, or _BESIDE: the units read beside it."""
_BESIDE = ("beside",)


@dataclass
class _Data:
    own: dict[Cell, tuple[float | None, bool, list[float | None]]]
    """Cells of the units read: (this period's value, whether it counts — its report is
    submitted or approved —, the counted values of the periods before, newest first,
    None where a period has none)."""
    bounds: dict[Cell, tuple[float | None, float | None]]
    outside: dict[Cell, float]
    """The counted values of this period of the siblings read beside the units."""


def _plain(number: float | None) -> Number | None:
    if number is None:
        return None
    rounded = round(number, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def _float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def judged_indicators(form: Form, period: Period) -> list[Indicator]:
    """The indicators of ``form`` whose values are judged: numbers typed in (not yes/no,
    text or derived)."""
    return [
        item.indicator
        for item in structure.of(form).items_during(period)
        if item.indicator.is_numeric and not item.indicator.is_derived
    ]


def history_periods(period: Period, count: int) -> list[Period]:
    """The ``count`` periods before ``period``, newest first."""
    found, current = [], period
    for _n in range(count):
        current = current.previous()
        found.append(current)
    return found


# What the period column of a row of _values_sql says when it is not a period's id.
_LOW, _HIGH, _OUTSIDE = "<", ">", "~"


def _values_sql(*, with_siblings: bool) -> str:
    """One statement of rows ``(unit, indicator, option, period, number)``, of four kinds:
    - a value of the units, periods and indicators asked;
    - a report of the units that counts (submitted, approved): indicator 0, no number
      (read apart rather than joined to each value: SQLite would look the report up once
      per value; pivoting the periods in SQL with GROUP BY cost both databases more than
      doing it in Python);
    - the bounds of the units' cells: period _LOW, the number the low bound (or none),
      then, where there is one, period _HIGH and the high bound;
    - (``with_siblings``) a counted value of the period of another child of a kind of a
      parent on a day: period _OUTSIDE.

    A province's read is 175,000 rows, nearly all values: five columns, and each list
    of units, periods or indicators one parameter (``bulk_insert.among``: an array on
    PostgreSQL, a JSON array on SQLite) rather than a placeholder per item for psycopg
    to split. SQLite seeks the values of each (unit, period) and keeps the indicators
    asked as it reads them (``+``), not one seek per indicator (twice the work)."""

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    among_ids, _ = among([0])
    among_texts, _ = among([""])
    plain = "" if connection.vendor == "postgresql" else "+"
    number = "DOUBLE PRECISION"
    value = f"CAST(d.value_number AS {number})"
    sql = (
        f"SELECT d.unit_id, d.indicator_id, d.option, d.period, {value}"
        f" FROM {table(DataValue)} d WHERE d.unit_id {among_ids} AND d.period {among_texts}"
        f" AND {plain}d.indicator_id {among_ids} AND d.value_number IS NOT NULL"
        f" UNION ALL SELECT s.unit_id, 0, '', s.period, CAST(NULL AS {number})"
        f" FROM {table(Submission)} s WHERE s.form_id = %s AND s.status IN (%s, %s)"
        f" AND s.unit_id {among_ids} AND s.period {among_texts}"
        f" UNION ALL SELECT b.unit_id, b.indicator_id, b.option, '{_LOW}',"
        f" CAST(b.low AS {number})"
        f" FROM {table(ValueBounds)} b WHERE b.unit_id {among_ids}"
        f" AND b.indicator_id {among_ids}"
        f" UNION ALL SELECT b.unit_id, b.indicator_id, b.option, '{_HIGH}',"
        f" CAST(b.high AS {number})"
        f" FROM {table(ValueBounds)} b WHERE b.unit_id {among_ids}"
        f" AND b.indicator_id {among_ids} AND b.high IS NOT NULL"
    )
    if with_siblings:
        sql += (
            f" UNION ALL SELECT d.unit_id, d.indicator_id, d.option, '{_OUTSIDE}', {value}"
            f" FROM {table(DataValue)} d JOIN {table(Submission)} s"
            " ON s.form_id = %s AND s.unit_id = d.unit_id AND s.period = d.period"
            f" WHERE d.unit_id IN (SELECT v.unit_id FROM {table(UnitVersion)} v"
            " WHERE v.parent_id = %s AND v.kind_id = %s AND v.valid_from <= %s"
            " AND (v.valid_to IS NULL OR v.valid_to > %s))"
            " AND d.unit_id <> %s AND d.period = %s AND s.status IN (%s, %s)"
            f" AND d.indicator_id {among_ids} AND d.value_number IS NOT NULL"
        )
    return sql


def read(
    form: Form,
    unit_ids: Sequence[int],
    indicators: Sequence[Indicator],
    period: Period,
    history: Sequence[Period],
    *,
    siblings_of: tuple[int, int, dt.date, int] | None = None,
) -> _Data:
    """The values of these units and indicators for ``period`` and its ``history``, their
    bounds, and (``siblings_of``: parent id, kind id, day, unit id) the counted values of
    the other children of that kind of a parent: one statement per 500 units."""
    return _read(form, unit_ids, indicators, period, history, siblings_of=siblings_of)[0]


@dataclass
class _Values:
    """What ``_read`` read: each cell's values in slots by period (``slot``: period id →
    slot; None where absent), whatever their report's status, and for each unit in the
    same slots whether its report of the period counts."""

    slot: dict[str, int]
    found: dict[Cell, list[float | None]]
    counted: dict[int, list[bool]]
    width: int


def _rows(
    form: Form,
    units: Sequence[int],
    indicator_ids: Sequence[int],
    periods: Sequence[str],
    *,
    siblings_of: tuple[int, int, dt.date, int] | None = None,
) -> Iterator[list[tuple]]:
    """The rows of ``_values_sql`` for ``units`` (sorted), the indicators and periods
    (``periods[0]`` the one whose siblings are read): one list per 500 units."""
    status = list(COUNTED)
    periods_param, indicators_param = among(periods)[1], among(indicator_ids)[1]
    # A page's read: from the replica when the request may (trienkhai.common.replica).
    with replica.read_connection().cursor() as cursor:
        for start in range(0, len(units), _CHUNK):
            chunk = among(units[start : start + _CHUNK])[1]
            params: list = [
                chunk,
                periods_param,
                indicators_param,
                form.pk,
                *status,
                chunk,
                periods_param,
                *[chunk, indicators_param] * 2,
            ]
            with_siblings = siblings_of is not None and start == 0
            if with_siblings:
                parent_id, kind_id, day, unit_id = siblings_of  # type: ignore[misc]
                params += [form.pk, parent_id, kind_id, day, day, unit_id, periods[0], *status]
                params.append(indicators_param)
            cursor.execute(_values_sql(with_siblings=with_siblings), params)
            yield cursor.fetchall()


def _read(
    form: Form,
    unit_ids: Sequence[int],
    indicators: Sequence[Indicator],
    period: Period,
    history: Sequence[Period],
    *,
    siblings_of: tuple[int, int, dt.date, int] | None = None,
    with_own: bool = True,
) -> tuple[_Data, _Values]:
    """``read``, and what it read (``_Values``: the values by cell and period, whatever
    their report's status, and the (unit, period) whose report counts; ``with_own``
    false: the caller builds ``_Data.own`` itself)."""
    data = _Data({}, {}, {})
    if not unit_ids or not indicators:
        return data, _Values({}, {}, {}, 0)
    periods = [period.id, *(p.id for p in history)]
    bounds, outside = data.bounds, data.outside
    # Each cell's values in the order of ``periods`` (this one first), None where absent.
    slot = {period_id: n for n, period_id in enumerate(periods)}
    width = len(periods)
    found: dict[Cell, list[float | None]] = {}
    counted: dict[int, list[bool]] = {}
    units = sorted(set(unit_ids))
    indicator_ids = [i.pk for i in indicators]
    for rows in _rows(form, units, indicator_ids, periods, siblings_of=siblings_of):
        for unit_id, indicator_id, option, period_id, a in rows:
            n = slot.get(period_id)
            if n is not None:
                if indicator_id:
                    cell = (unit_id, indicator_id, option)
                    values = found.get(cell)
                    if values is None:
                        values = found[cell] = [None] * width
                    values[n] = a
                else:
                    flags = counted.get(unit_id)
                    if flags is None:
                        flags = counted[unit_id] = [False] * width
                    flags[n] = True
            elif period_id == _OUTSIDE:
                outside[(unit_id, indicator_id, option)] = a
            else:
                cell = (unit_id, indicator_id, option)
                low, high = bounds.get(cell, (None, None))
                bounds[cell] = (a, high) if period_id == _LOW else (low, a)
    values_read = _Values(slot, found, counted, width)
    if with_own:
        data.own = _own(values_read, period.id, periods[1:])
    return data, values_read


def _own(
    read: _Values,
    period_id: str,
    past_ids: Sequence[str],
    units: set[int] | None = None,
) -> dict[Cell, tuple[float | None, bool, list[float | None]]]:
    """``_Data.own`` of ``period_id`` from the values read by period: only the values of
    reports that count make history (``units``: only these units' cells). A unit whose
    every report of the period and its past counts takes each cell's history as a slice
    when the past's slots follow the period's (as ``_read`` and ``span_findings`` read)."""
    slot = read.slot
    now = slot.get(period_id)
    where = [slot.get(p) for p in past_ids]
    first = -1 if now is None else now  # the period's slot, -1 if it was not read
    end = first + 1 + len(where)
    if now is None or where != list(range(first + 1, end)):
        end = -1
    nothing = [False] * read.width
    complete: dict[int, bool] = {}  # unit id → every report of slots first..end counts
    own: dict[Cell, tuple[float | None, bool, list[float | None]]] = {}
    for cell, values in read.found.items():
        unit_id = cell[0]
        if units is not None and unit_id not in units:
            continue
        flags = read.counted.get(unit_id, nothing)
        if end >= 0:
            whole = complete.get(unit_id)
            if whole is None:
                whole = complete[unit_id] = all(flags[first:end])
            if whole:
                own[cell] = (values[first], True, values[first + 1 : end])
                continue
        past = [values[n] if n is not None and flags[n] else None for n in where]
        if now is None:
            own[cell] = (None, False, past)
        else:
            own[cell] = (values[now], flags[now], past)
    return own


def _allow_negative(indicator: Indicator) -> bool:
    # The cells branch gives indicators ``allow_negative``; until then none do.
    return bool(getattr(indicator, "allow_negative", False))


class _Judge:
    """Judges values of one period against the data read: the statistics per cell, and
    the siblings' spread once per (parent, indicator, option)."""

    def __init__(
        self,
        data: _Data,
        period: Period,
        method: Method,
        family_of: Mapping[int, Family | None],
        outside: Family | None = None,
        *,
        groups: dict[tuple[Family, int, str], list[float]] | None = None,
        peers_only: bool = False,
    ):
        """``groups``: the siblings' counted values by (family, indicator id, option),
        when the caller has them (``fast.screen``); else from ``data``. ``peers_only``:
        the siblings of one report are the other units only, never its own value: the
        grid judges a value as it is typed against the same peers whether the report is
        a draft or sent, and the review says what the grid said."""
        self.data = data
        self.period = period.id
        self.method = method
        if groups is None:
            groups = {}
            judged = {} if peers_only else data.own
            for (unit_id, indicator_id, option), (value, counts, _past) in judged.items():
                family = family_of.get(unit_id)
                if counts and value is not None and family is not None:
                    groups.setdefault((family, indicator_id, option), []).append(value)
            if outside is not None:
                for (_unit_id, indicator_id, option), value in data.outside.items():
                    groups.setdefault((outside, indicator_id, option), []).append(value)
        self.groups = groups
        self.spreads: dict[tuple[Family, int, str], Spread | None] = {}
        self.limits: dict[int, tuple[float | None, float | None]] = {}
        self.floors: dict[int, float] = {}
        self.threshold = THRESHOLD[method]

    def floor(self, indicator: Indicator) -> float:
        found = self.floors.get(indicator.id)
        if found is None:
            found = self.floors[indicator.id] = floor_for(indicator.value_type)
        return found

    def own(self, cell: Cell) -> tuple[list[float], float | None]:
        """The counted history of ``cell`` (newest first) and its previous period's value."""
        found = self.data.own.get(cell)
        if found is None:
            return [], None
        past = found[2]
        return [v for v in past if v is not None], (past[0] if past else None)

    def siblings(self, family: Family | None, indicator: Indicator, option: str) -> Spread | None:
        if family is None:
            return None
        key = (family, indicator.id, option)
        found = self.spreads.get(key, self)
        if found is self:
            found = self.spreads[key] = spread(
                self.groups.get(key, []), Method.MODIFIED_Z, floor=self.floor(indicator)
            )
        return found  # type: ignore[return-value]

    def bounds(self, cell: Cell, indicator: Indicator) -> tuple[float | None, float | None]:
        """The unit's bounds of the cell, or else the indicator's own min/max."""
        found = self.data.bounds.get(cell)
        if found is None:
            found = self.limits.get(indicator.id)
            if found is None:
                found = self.limits[indicator.id] = (
                    _float(indicator.min_value),
                    _float(indicator.max_value),
                )
        return found

    def judge(
        self, unit_id: int, indicator: Indicator, option: str, value: float, family: Family | None
    ) -> list[Finding]:
        """The findings about ``value`` in one cell: usually none, found fast."""
        cell = (unit_id, indicator.id, option)
        found = self.data.own.get(cell)
        past = found[2] if found is not None else []
        own = measure([v for v in past if v is not None], self.method, self.floor(indicator))
        low, high = self.bounds(cell, indicator)
        siblings = self.siblings(family, indicator, option)
        threshold = self.threshold
        if (
            (own is None or abs(value - own[0]) <= threshold * own[1])
            and (low is None or value >= low)
            and (high is None or value <= high)
            and (siblings is None or not siblings.is_outlier(value))
        ):
            return []
        findings: list[Finding] = []
        negative = _allow_negative(indicator)
        previous = past[0] if past else None

        def add(method: Method, low, high, score: float) -> None:
            findings.append(
                Finding(
                    unit_id,
                    indicator,
                    option,
                    self.period,
                    value,
                    low,
                    high,
                    method,
                    round(score, 2),
                    previous,
                )
            )

        if own is not None:
            mine = Spread(own[0], own[1], self.method)
            if mine.is_outlier(value):
                own_low, own_high = mine.range(allow_negative=negative)
                add(self.method, own_low, own_high, mine.score(value))
        score = minmax_score(value, low, high)
        if score is not None:
            add(Method.MINMAX, low, high, score)
        if siblings is not None and siblings.is_outlier(value):
            near_low, near_high = siblings.range(allow_negative=negative)
            add(Method.SIBLINGS, near_low, near_high, siblings.score(value))
        return findings


def _record(finding: Finding, unit_code: str) -> Outlier:
    return {
        "unit": unit_code,
        "indicator": finding.indicator.code,
        "option": finding.option,
        "period": finding.period,
        "value": _plain(finding.value),  # type: ignore[typeddict-item]
        "low": _plain(finding.low),
        "high": _plain(finding.high),
        "method": str(finding.method),
        "score": finding.score,
    }


def _day(unit: Unit, period: Period) -> dt.date:
    """The day whose hierarchy says who a unit's parent and siblings are."""
    return max(min(period.end, unit.reference_date()), unit.valid_from)


def judge_subtree(
    form: Form,
    root: Unit,
    period: Period,
    *,
    method: Method = Method.MODIFIED_Z,
    periods: int = HISTORY_PERIODS,
) -> list[Outlier]:
    """Every outlier of ``form`` in ``period`` in the subtree of ``root`` (root included),
    by unit code, then the form's order of indicators."""
    findings, units = subtree_findings(form, root, period, method=method, periods=periods)
    return [_record(f, units[f.unit_id][0]) for f in findings]


def _subtree_on(
    root: Unit, period: Period
) -> tuple[dict[int, tuple[str, str]], dict[int, Family | None], tuple | None]:
    """The subtree of ``root`` on the period's day: its units (id → (code, name)), each
    unit's family for the siblings method (the units of the same parent and kind:
    communes with communes, not with the agencies' cells beside them), and how the
    root's own siblings are read beside it (None for a root with no parent)."""
    day = _day(root, period)
    nodes = queries.subtree(root, day)
    version = root.version_on(day)
    units = {
        root.pk: (root.code, version.name if version is not None else root.code),
        **{n.unit_id: (n.code, n.name) for n in nodes},
    }
    id_of = {code: unit_id for unit_id, (code, _name) in units.items()}
    root_parent = version.parent_id if version is not None else None
    family_of: dict[int, Family | None] = {root.pk: _BESIDE if root_parent else None}
    for node in nodes:
        family_of[node.unit_id] = (id_of.get(node.parent), node.kind) if node.parent else None
    siblings_of = (
        (root_parent, version.kind_id, day, root.pk)
        if root_parent is not None and version is not None
        else None
    )
    return units, family_of, siblings_of


def subtree_findings(
    form: Form,
    root: Unit,
    period: Period,
    *,
    method: Method = Method.MODIFIED_Z,
    periods: int = HISTORY_PERIODS,
    reference: bool = False,
) -> tuple[list[Finding], dict[int, tuple[str, str]]]:
    """The findings of ``judge_subtree`` (by unit code, then the form's order of
    indicators), and the units of the subtree on the period's day: id → (code, name).
    ``reference``: judge every value in Python (``_Judge``) rather than the values that
    ``fast.screen`` lets through — the same findings, slower: the tests' oracle."""
    units, family_of, siblings_of = _subtree_on(root, period)
    indicators = judged_indicators(form, period)
    if reference:
        findings = _judge_units(
            form, period, family_of, method, periods, indicators=indicators, siblings_of=siblings_of
        )
    else:
        ids = sorted(family_of)
        every = [period.id, *(p.id for p in history_periods(period, periods))]
        rows = (
            _rows(form, ids, [i.pk for i in indicators], every, siblings_of=siblings_of)
            if ids and indicators
            else iter(())
        )
        read = fast.table(rows, {p: n for n, p in enumerate(every)}, ids)
        beside = _BESIDE if siblings_of else None
        findings = _judge_screened(
            read, period, 0, range(1, len(every)), method, family_of, indicators, beside
        )[0]
    order = {i.pk: n for n, i in enumerate(indicators)}
    findings.sort(
        key=lambda f: (units[f.unit_id][0], order[f.indicator.pk], f.option, f.method.value)
    )
    return findings, units


@dataclass
class Span:
    """What ``span_read`` found: the findings, period by period; the units of the span
    (id → (code, name), the latest name); period id → the ids of the subtree's units
    then; and period id → how many values had too little counted history (fewer than
    ``stats.MIN_VALUES`` periods submitted or approved among the ``HISTORY_PERIODS``
    before) for the unit's history to judge them."""

    findings: list[Finding]
    units: dict[int, tuple[str, str]]
    units_of: dict[str, set[int]]
    too_little_history: dict[str, int]


def span_findings(
    form: Form,
    root: Unit,
    span: Sequence[Period],
    *,
    method: Method = Method.MODIFIED_Z,
    reference: bool = False,
) -> tuple[list[Finding], dict[int, tuple[str, str]], dict[str, set[int]]]:
    """``span_read``'s findings, units and units by period."""
    found = span_read(form, root, span, method=method, reference=reference)
    return found.findings, found.units, found.units_of


def span_read(
    form: Form,
    root: Unit,
    span: Sequence[Period],
    *,
    method: Method = Method.MODIFIED_Z,
    reference: bool = False,
) -> Span:
    """``subtree_findings`` for each period of ``span`` (consecutive, oldest first), with
    the values of the span and of the ``HISTORY_PERIODS`` before it read once (one
    statement per 500 units) rather than seven periods per period: the data-quality page.
    ``reference``: as ``subtree_findings``'s."""
    if not span:
        return Span([], {}, {}, {})
    first = span[0]
    history = history_periods(first, HISTORY_PERIODS)
    plans = []
    every_unit: set[int] = set()
    every_indicator: dict[int, Indicator] = {}
    for period in span:
        units, family_of, siblings_of = _subtree_on(root, period)
        indicators = judged_indicators(form, period)
        every_unit |= set(family_of)
        every_indicator.update((i.pk, i) for i in indicators)
        plans.append((period, units, family_of, indicators, siblings_of))
    # The span's values once, read as one "period" with the rest as its history.
    ordered = list(reversed(span))
    if not reference:
        return _span_screened(
            form, root, ordered, history, plans, every_unit, every_indicator, method
        )
    data, values_read = _read(
        form,
        sorted(every_unit),
        list(every_indicator.values()),
        ordered[0],
        [*ordered[1:], *history],
        with_own=False,
    )
    answers: list[Finding] = []
    every: dict[int, tuple[str, str]] = {}
    units_of: dict[str, set[int]] = {}
    too_little: dict[str, int] = {}
    for period, units, family_of, indicators, siblings_of in plans:
        past_ids = [p.id for p in history_periods(period, HISTORY_PERIODS)]
        period_data = _Data(_own(values_read, period.id, past_ids, set(family_of)), data.bounds, {})
        if siblings_of is not None:
            period_data.outside = read_beside(form, root, indicators, period, siblings_of)
        judge = _Judge(period_data, period, method, family_of, _BESIDE if siblings_of else None)
        by_id = {i.pk: i for i in indicators}
        findings: list[Finding] = []
        short = 0
        for (unit_id, indicator_id, option), (value, _c, past) in period_data.own.items():
            indicator = by_id.get(indicator_id)
            if indicator is not None and value is not None:
                short += sum(v is not None for v in past) < MIN_VALUES
                findings.extend(
                    judge.judge(unit_id, indicator, option, value, family_of.get(unit_id))
                )
        too_little[period.id] = short
        order = {i.pk: n for n, i in enumerate(indicators)}
        findings.sort(
            key=lambda f: (units[f.unit_id][0], order[f.indicator.pk], f.option, f.method.value)
        )
        answers.extend(findings)
        every.update(units)
        units_of[period.id] = set(units)
    return Span(answers, every, units_of, too_little)


def _judge_screened(
    read: "fast.Table",
    period: Period,
    now: int,
    past: Sequence[int],
    method: Method,
    family_of: dict[int, Family | None],
    indicators: Sequence[Indicator],
    beside: Family | None,
    outside: Mapping[Cell, float] | None = None,
) -> tuple[list[Finding], int]:
    """The findings of the units of ``family_of`` in slot ``now`` of ``read`` against
    the slots ``past``: the values ``fast.screen`` lets through, judged by ``_Judge``;
    and how many values had too little counted history to be judged by it."""
    by_id = {i.pk: i for i in indicators}
    judged = {i.pk: (i.value_type, _float(i.min_value), _float(i.max_value)) for i in indicators}
    outside = read.outside if outside is None else outside
    screened = fast.screen(read, now, past, method, family_of, judged, beside, outside)
    data = _Data(screened.cells, screened.bounds, {})  # type: ignore[arg-type]
    judge = _Judge(data, period, method, family_of, beside, groups=screened.groups)
    findings: list[Finding] = []
    for (unit_id, indicator_id, option), (value, _counts, _past) in screened.cells.items():
        findings.extend(
            judge.judge(unit_id, by_id[indicator_id], option, value, family_of.get(unit_id))
        )
    return findings, screened.too_little_history


def _span_screened(
    form: Form,
    root: Unit,
    ordered: list[Period],
    history: list[Period],
    plans: list,
    every_unit: set[int],
    every_indicator: dict[int, Indicator],
    method: Method,
) -> Span:
    """``span_read`` by ``fast.screen``: the span and its history read once."""
    every = [p.id for p in [*ordered, *history]]
    slot = {p: n for n, p in enumerate(every)}
    ids = sorted(every_unit)
    rows = _rows(form, ids, list(every_indicator), every) if ids and every_indicator else iter(())
    read = fast.table(rows, slot, ids)
    answers: list[Finding] = []
    units_seen: dict[int, tuple[str, str]] = {}
    units_of: dict[str, set[int]] = {}
    too_little: dict[str, int] = {}
    for period, units, family_of, indicators, siblings_of in plans:
        past = [slot[p.id] for p in history_periods(period, HISTORY_PERIODS)]
        outside: dict[Cell, float] = {}
        if siblings_of is not None:
            outside = read_beside(form, root, indicators, period, siblings_of)
        beside = _BESIDE if siblings_of else None
        findings, too_little[period.id] = _judge_screened(
            read, period, slot[period.id], past, method, family_of, indicators, beside, outside
        )
        order = {i.pk: n for n, i in enumerate(indicators)}
        findings.sort(
            key=lambda f: (units[f.unit_id][0], order[f.indicator.pk], f.option, f.method.value)
        )
        answers.extend(findings)
        units_seen.update(units)
        units_of[period.id] = set(units)
    return Span(answers, units_seen, units_of, too_little)


def read_beside(
    form: Form,
    root: Unit,
    indicators: Sequence[Indicator],
    period: Period,
    siblings_of: tuple[int, int, dt.date, int],
) -> dict[Cell, float]:
    """The counted values of ``period`` of the siblings of ``root`` (``siblings_of``)."""
    return read(form, [root.pk], indicators, period, [], siblings_of=siblings_of).outside


def _judge_units(
    form: Form,
    period: Period,
    family_of: dict[int, Family | None],
    method: Method,
    periods: int,
    *,
    current: dict[Cell, float] | None = None,
    indicators: list[Indicator] | None = None,
    siblings_of: tuple[int, int, dt.date, int] | None = None,
    peers_only: bool = False,
) -> list[Finding]:
    """The findings of the units of ``family_of`` in ``period`` (their stored values, or
    ``current``'s), their siblings being the units of the same family among them and,
    with ``siblings_of`` (parent, kind, day, unit), the other children of that kind of
    that parent, the family _BESIDE (``peers_only``: those alone, as ``_Judge`` says)."""
    indicators = judged_indicators(form, period) if indicators is None else indicators
    if current is not None:
        wanted = {indicator_id for _u, indicator_id, _o in current}
        indicators = [i for i in indicators if i.pk in wanted]
    data = read(
        form,
        sorted(family_of),
        indicators,
        period,
        history_periods(period, periods),
        siblings_of=siblings_of,
    )
    judge = _Judge(
        data, period, method, family_of, _BESIDE if siblings_of else None, peers_only=peers_only
    )
    by_id = {i.pk: i for i in indicators}
    if current is None:
        current = {cell: found[0] for cell, found in data.own.items() if found[0] is not None}
    findings: list[Finding] = []
    for (unit_id, indicator_id, option), value in current.items():
        indicator = by_id.get(indicator_id)
        if indicator is not None:
            findings.extend(judge.judge(unit_id, indicator, option, value, family_of.get(unit_id)))
    return findings


def _family(
    unit: Unit, period: Period
) -> tuple[tuple[int, int, dt.date, int] | None, Family | None]:
    """How to read the siblings of ``unit`` (its parent's children of its kind) on the day
    its report is judged, and its family."""
    day = _day(unit, period)
    version = unit.version_on(day)
    if version is None or version.parent_id is None:
        return None, None
    return (version.parent_id, version.kind_id, day, unit.pk), _BESIDE


def judge_unit(
    form: Form,
    unit: Unit,
    period: Period,
    *,
    method: Method = Method.MODIFIED_Z,
    current: Mapping[tuple[Indicator, str], Decimal | float] | None = None,
    with_siblings: bool = True,
    indicators: list[Indicator] | None = None,
) -> list[Finding]:
    """The findings of one unit's report (its stored values, or ``current``'s), against
    its own history, its bounds and the other units of its parent and kind (never its
    own value among them: the grid's yardsticks, ``grid_review``); ``indicators``: those
    judged, when the caller knows them (default: the form's ``judged_indicators``)."""
    siblings_of, family = _family(unit, period) if with_siblings else (None, None)
    given = (
        {(unit.pk, i.pk, option): float(v) for (i, option), v in current.items()}
        if current is not None
        else None
    )
    return _judge_units(
        form,
        period,
        {unit.pk: family},
        method,
        HISTORY_PERIODS,
        current=given,
        indicators=indicators,
        siblings_of=siblings_of,
        peers_only=True,
    )


# Words ---------------------------------------------------------------------------------


def format_value(value: float | None) -> str:
    """A judged value as the page writes it: '20.673', '20,5'."""
    if value is None:
        return "—"
    plain = round(value, 4)
    if plain == int(plain):
        return format_number(int(plain))
    return format_number(plain, min(4, len(repr(plain).split(".")[1])))


def texts() -> dict[str, str]:
    """The message templates, in the user's language; ``{ratio}``, ``{previous}``,
    ``{low}``, ``{high}`` are filled in (here, and by the grid's script)."""
    return {
        "times": _("Gấp {ratio} lần kỳ trước ({previous})"),
        "high": _("Cao hơn nhiều so với các kỳ trước (thường {low}–{high})"),
        "low": _("Thấp hơn nhiều so với các kỳ trước (thường {low}–{high})"),
        "above_max": _("Lớn hơn mức tối đa {high}"),
        "below_min": _("Nhỏ hơn mức tối thiểu {low}"),
        "siblings": _("Khác xa các đơn vị cùng cấp (thường {low}–{high})"),
        "explain": _("Giải trình"),
        "explained": _("Đã giải trình"),
        "explain_key": _("Giải trình vì sao số liệu đúng (Alt+G)"),
    }


def whole_range(low: float | None, high: float | None) -> tuple[float | None, float | None]:
    """A usual range of a count as the whole numbers inside it: 204,42–318,58 is
    "205–318" (a count of 319 is above it either way); one that holds no whole number
    keeps its nearest ones."""
    if low is None or high is None:
        return low, high
    inner = (math.ceil(low), math.floor(high))
    return inner if inner[0] <= inner[1] else (math.floor(low), math.ceil(high))


def message(finding: Finding) -> str:
    """What the person is told about ``finding``, in their language."""
    words = texts()
    low, high = finding.low, finding.high
    if finding.indicator.value_type == Indicator.ValueType.INTEGER:
        low, high = whole_range(low, high)
    fill = {"low": format_value(low), "high": format_value(high)}
    if finding.method is Method.MINMAX:
        return (words["above_max"] if finding.score > 0 else words["below_min"]).format(**fill)
    if finding.method is Method.SIBLINGS:
        return words["siblings"].format(**fill)
    previous = finding.previous
    if finding.score > 0 and previous and previous > 0 and finding.value / previous >= 2:
        ratio = finding.value / previous
        shown = format_number(round(ratio)) if ratio >= 10 else format_number(ratio, 1)
        return words["times"].format(ratio=shown, previous=format_value(previous))
    return (words["high"] if finding.score > 0 else words["low"]).format(**fill)


# Callers ---------------------------------------------------------------------------------


def save_warnings(
    form: Form,
    unit: Unit,
    period: Period,
    numbers: Sequence[tuple[Indicator, str, Decimal | None]],
) -> list[dict]:
    """The warnings of a save, one per cell judged an outlier (the first finding):
    ``{"indicator", "option", "warning", "method"}``. ``numbers``: cells of the form's
    indicators of ``period`` (as ``services.save_values`` checked them)."""
    current = {
        (i, option): n
        for i, option, n in numbers
        if n is not None and i.is_numeric and not i.is_derived
    }
    if not current:
        return []
    # The indicators judged are those saved: the form's list of the period (what
    # ``judged_indicators`` would build, a scan of its structure) is not needed.
    judged = list({i.pk: i for i, _option in current}.values())
    first: dict[tuple[int, str], Finding] = {}
    # Not against the siblings at save time: that part of the read measured 120 ms on
    # PostgreSQL (bench/outliers.py); the grid, the review and the API still judge it.
    for finding in judge_unit(
        form, unit, period, current=current, with_siblings=False, indicators=judged
    ):
        first.setdefault((finding.indicator.pk, finding.option), finding)
    return [
        {
            "indicator": f.indicator.code,
            "option": f.option,
            "warning": message(f),
            "method": str(f.method),
        }
        for f in first.values()
    ]


def check_value(
    form: Form, unit: Unit, period: Period, indicator: Indicator, option: str, number: Decimal
) -> list[dict]:
    """The findings about ``number`` typed into one cell, with their messages."""
    return [
        {**_record(f, unit.code), "message": message(f)}
        for f in judge_unit(form, unit, period, current={(indicator, option): number})
    ]


def grid_hints(form: Form, unit: Unit, period: Period) -> dict[str, dict]:
    """Each cell's yardsticks, for the grid to judge a value as it is typed:
    ``"indicator|option" → {"history": [low, high] | None, "bounds": [low, high] | None,
    "siblings": [low, high] | None, "previous": number | None}``. One statement."""
    return grid_review(form, unit, period)[0]


def grid_review(form: Form, unit: Unit, period: Period) -> tuple[dict[str, dict], list[Finding]]:
    """``grid_hints``, and the findings about the values stored, from the same statement:
    what the grid page shows a reporter and a reviewer."""
    siblings_of, family = _family(unit, period)
    indicators = judged_indicators(form, period)
    history = history_periods(period, HISTORY_PERIODS)
    data = read(form, [unit.pk], indicators, period, history, siblings_of=siblings_of)
    judge = _Judge(data, period, Method.MODIFIED_Z, {unit.pk: family}, family, peers_only=True)
    shape = structure.of(form)
    hints: dict[str, dict] = {}
    findings: list[Finding] = []
    for indicator in indicators:
        negative = _allow_negative(indicator)
        for option in sorted(shape.option_codes(indicator)):
            cell = (unit.pk, indicator.pk, option)
            past, previous = judge.own(cell)
            own = spread(past, Method.MODIFIED_Z, floor=floor_for(indicator.value_type))
            low, high = judge.bounds(cell, indicator)
            others = judge.siblings(family, indicator, option)
            hint = {
                "history": [_plain(x) for x in own.range(allow_negative=negative)] if own else None,
                "bounds": [_plain(low), _plain(high)]
                if low is not None or high is not None
                else None,
                "siblings": [_plain(x) for x in others.range(allow_negative=negative)]
                if others
                else None,
                "previous": _plain(previous),
                # a count: its usual range is shown in whole numbers (``whole_range``)
                "whole": indicator.value_type == Indicator.ValueType.INTEGER,
            }
            if any(v is not None for k, v in hint.items() if k != "whole"):
                hints[f"{indicator.code}|{option}"] = hint
            stored = data.own.get(cell)
            if stored is not None and stored[0] is not None:
                findings.extend(judge.judge(unit.pk, indicator, option, stored[0], family))
    return hints, findings


def outliers_of_submission(submission: Submission) -> list[dict]:
    """The outliers of one report with their explanations, for its review: each the
    ``Outlier`` record plus ``message``, ``comment`` (the explanation of this very
    value, "" if none), ``comment_by``, ``comment_at`` and ``is_explained``."""
    period = submission.form.period(submission.period)
    findings = judge_unit(submission.form, submission.unit, period)
    if not findings:
        return []
    comments = {
        (c.indicator_id, c.option): c
        for c in OutlierComment.objects.filter(
            unit=submission.unit, period=period.id
        ).select_related("created_by")
    }
    found = []
    for finding in findings:
        comment = comments.get((finding.indicator.pk, finding.option))
        if comment is not None and float(comment.value) != finding.value:
            comment = None  # it explained another value
        found.append(
            {
                **_record(finding, submission.unit.code),
                "message": message(finding),
                "comment": comment.text if comment else "",
                "comment_by": str(comment.created_by or "") if comment else "",
                "comment_at": comment.created.isoformat() if comment else None,
                "is_explained": comment is not None,
            }
        )
    return found
