"""Outliers per unit, from history: the one place that says a figure looks wrong.

A value of (indicator, option, unit, period) is judged three ways:
- against the unit's own history of the cell, the last ``HISTORY_PERIODS`` periods of
  the form's type (modified z-score by default, z-score as an option: ``stats``);
- against the unit's min-max bounds (``ValueBounds``, generated from history and
  editable), or else the indicator's own min/max, method "minmax";
- against its siblings (the units with the same parent on the period's day) in the
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import connection
from django.utils.translation import gettext as _

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
from trienkhai.reporting.outliers.stats import (
    Method,
    Spread,
    floor_for,
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
    "grid_hints",
    "judge_subtree",
    "message",
    "outliers_of_submission",
    "save_warnings",
]

HISTORY_PERIODS = 6
COUNTED = (Submission.Status.SUBMITTED.value, Submission.Status.APPROVED.value)
_CHUNK = 500  # units per statement: within SQLite's limit on parameters

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


@dataclass
class _Data:
    values: dict[Cell, dict[str, tuple[float, bool]]]
    """cell → period id → (value, counted: its report is submitted or approved)."""
    bounds: dict[Cell, tuple[float | None, float | None]]


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


def _history_periods(period: Period, count: int) -> list[Period]:
    """The ``count`` periods before ``period``, newest first."""
    found, current = [], period
    for _n in range(count):
        current = current.previous()
        found.append(current)
    return found


def _values_sql(units: int, indicators: int, periods: int, *, with_children: bool) -> str:
    """The values of some units (and the children of a parent), indicators and periods
    with their report's status, then (period NULL) the units' bounds: one statement."""

    def marks(n: int) -> str:
        return ", ".join(["%s"] * n)

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    # The siblings of a unit come with it: the children of its parent on the day.
    children = (
        f" OR d.unit_id IN (SELECT v.unit_id FROM {table(UnitVersion)} v WHERE v.parent_id = %s"
        " AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s))"
        if with_children
        else ""
    )
    number = "DOUBLE PRECISION"
    return (
        "SELECT d.unit_id, d.indicator_id, d.option, d.period,"
        f" CAST(d.value_number AS {number}), CAST(NULL AS {number}), s.status"
        f" FROM {table(DataValue)} d LEFT JOIN {table(Submission)} s"
        " ON s.form_id = %s AND s.unit_id = d.unit_id AND s.period = d.period"
        f" WHERE (d.unit_id IN ({marks(units)}){children}) AND d.period IN ({marks(periods)})"
        f" AND d.indicator_id IN ({marks(indicators)}) AND d.value_number IS NOT NULL"
        " UNION ALL"
        " SELECT b.unit_id, b.indicator_id, b.option, NULL,"
        f" CAST(b.low AS {number}), CAST(b.high AS {number}), NULL"
        f" FROM {table(ValueBounds)} b WHERE b.unit_id IN ({marks(units)})"
        f" AND b.indicator_id IN ({marks(indicators)})"
    )


def _read(
    form: Form,
    unit_ids: Sequence[int],
    indicators: Sequence[Indicator],
    period_ids: Sequence[str],
    *,
    children_of: tuple[int, dt.date] | None = None,
) -> _Data:
    """The values and bounds of these units, indicators and periods (one statement per
    500 units); ``children_of`` (parent id, day) adds the values of its children."""
    data = _Data({}, {})
    if not unit_ids or not indicators:
        return data
    indicator_ids = [i.pk for i in indicators]
    units = sorted(set(unit_ids))
    values, bounds = data.values, data.bounds
    with connection.cursor() as cursor:
        for start in range(0, len(units), _CHUNK):
            chunk = units[start : start + _CHUNK]
            extra: list = []
            if children_of is not None and start == 0:
                extra = [children_of[0], children_of[1], children_of[1]]
            cursor.execute(
                _values_sql(
                    len(chunk), len(indicator_ids), len(period_ids), with_children=bool(extra)
                ),
                [form.pk, *chunk, *extra, *period_ids, *indicator_ids, *chunk, *indicator_ids],
            )
            for unit_id, indicator_id, option, period_id, number, high, status in cursor:
                cell = (unit_id, indicator_id, option)
                if period_id is None:
                    bounds[cell] = (
                        None if number is None else float(number),
                        None if high is None else float(high),
                    )
                    continue
                found = values.get(cell)
                if found is None:
                    found = values[cell] = {}
                found[period_id] = (float(number), status in COUNTED)
    return data


def _allow_negative(indicator: Indicator) -> bool:
    # The cells branch gives indicators ``allow_negative``; until then none do.
    return bool(getattr(indicator, "allow_negative", False))


class _Judge:
    """Judges the values of one period against the data read."""

    def __init__(self, data: _Data, period: Period, history: list[Period], method: Method):
        self.data = data
        self.period = period.id
        self.history = [p.id for p in history]
        self.method = method
        self.sibling_spread: dict[tuple[int, int, str], Spread | None] = {}

    def own(self, cell: Cell) -> tuple[list[float], float | None]:
        """The counted history of ``cell`` (newest first) and its previous period's value."""
        found = self.data.values.get(cell, {})
        history = [found[p][0] for p in self.history if p in found and found[p][1]]
        previous = found.get(self.history[0]) if self.history else None
        return history, (previous[0] if previous and previous[1] else None)

    def siblings(
        self, parent_id: int, indicator: Indicator, option: str, sibling_ids: Iterable[int]
    ) -> Spread | None:
        key = (parent_id, indicator.pk, option)
        if key not in self.sibling_spread:
            numbers = []
            for unit_id in sibling_ids:
                found = self.data.values.get((unit_id, indicator.pk, option))
                entry = found.get(self.period) if found else None
                if entry is not None and entry[1]:
                    numbers.append(entry[0])
            self.sibling_spread[key] = spread(
                numbers, Method.MODIFIED_Z, floor=floor_for(indicator.value_type)
            )
        return self.sibling_spread[key]

    def judge(
        self,
        unit_id: int,
        indicator: Indicator,
        option: str,
        value: float,
        siblings: Spread | None = None,
    ) -> list[Finding]:
        cell = (unit_id, indicator.pk, option)
        history, previous = self.own(cell)
        found: list[Finding] = []
        negative = _allow_negative(indicator)

        def add(method: Method, low, high, score: float) -> None:
            found.append(
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

        own = spread(history, self.method, floor=floor_for(indicator.value_type))
        if own is not None and own.is_outlier(value):
            own_low, own_high = own.range(allow_negative=negative)
            add(own.method, own_low, own_high, own.score(value))
        low, high = self.data.bounds.get(cell) or (
            _float(indicator.min_value),
            _float(indicator.max_value),
        )
        score = minmax_score(value, low, high)
        if score is not None:
            add(Method.MINMAX, low, high, score)
        if siblings is not None and siblings.is_outlier(value):
            near_low, near_high = siblings.range(allow_negative=negative)
            add(Method.SIBLINGS, near_low, near_high, siblings.score(value))
        return found


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
    day = _day(root, period)
    nodes = queries.subtree(root, day)
    code_of = {root.pk: root.code, **{n.unit_id: n.code for n in nodes}}
    id_of = {code: unit_id for unit_id, code in code_of.items()}
    version = root.version_on(day)
    root_parent = version.parent_id if version is not None else None
    parent_of: dict[int, int | None] = {root.pk: root_parent}
    for node in nodes:
        parent_of[node.unit_id] = id_of.get(node.parent) if node.parent else None
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parent_of.items():
        children.setdefault(parent_id, []).append(unit_id)
    indicators = judged_indicators(form, period)
    findings = _judge_units(
        form,
        period,
        parent_of,
        children,
        method,
        periods,
        indicators=indicators,
        children_of=root_parent,
        day=day,
    )
    order = {i.pk: n for n, i in enumerate(indicators)}
    findings.sort(
        key=lambda f: (code_of[f.unit_id], order[f.indicator.pk], f.option, f.method.value)
    )
    return [_record(f, code_of[f.unit_id]) for f in findings]


def _judge_units(
    form: Form,
    period: Period,
    parent_of: dict[int, int | None],
    children: dict[int | None, list[int]],
    method: Method,
    periods: int,
    *,
    current: dict[Cell, float] | None = None,
    indicators: list[Indicator] | None = None,
    children_of: int | None = None,
    day: dt.date | None = None,
) -> list[Finding]:
    """The findings of every unit of ``parent_of`` (the judged units; ``children`` holds
    their siblings, and the children of ``children_of`` on ``day`` are read too) in
    ``period``: the stored values, or ``current``'s."""
    indicators = judged_indicators(form, period) if indicators is None else indicators
    if current is not None:
        wanted = {indicator_id for _u, indicator_id, _o in current}
        indicators = [i for i in indicators if i.pk in wanted]
    history = _history_periods(period, periods)
    data = _read(
        form,
        sorted(parent_of),
        indicators,
        [period.id, *(p.id for p in history)],
        children_of=(children_of, day) if children_of is not None and day else None,
    )
    if children_of is not None:
        # The siblings read with the values: every unit of the answer not judged.
        read = {unit_id for unit_id, _i, _o in data.values}
        children[children_of] = sorted(set(children.get(children_of, [])) | (read - set(parent_of)))
    judge = _Judge(data, period, history, method)
    by_id = {i.pk: i for i in indicators}
    if current is None:
        current = {
            cell: found[period.id][0]
            for cell, found in data.values.items()
            if cell[0] in parent_of and period.id in found and cell[1] in by_id
        }
    findings: list[Finding] = []
    for (unit_id, indicator_id, option), value in current.items():
        indicator = by_id.get(indicator_id)
        if indicator is None:
            continue
        parent_id = parent_of.get(unit_id)
        siblings = (
            judge.siblings(parent_id, indicator, option, children.get(parent_id, []))
            if parent_id is not None
            else None
        )
        findings.extend(judge.judge(unit_id, indicator, option, value, siblings))
    return findings


def _family(unit: Unit, period: Period) -> tuple[int | None, dt.date]:
    """The parent of ``unit`` on the day its report is judged, and that day."""
    day = _day(unit, period)
    version = unit.version_on(day)
    return (version.parent_id if version is not None else None), day


def judge_unit(
    form: Form,
    unit: Unit,
    period: Period,
    *,
    method: Method = Method.MODIFIED_Z,
    current: Mapping[tuple[Indicator, str], Decimal | float] | None = None,
) -> list[Finding]:
    """The findings of one unit's report (its stored values, or ``current``'s)."""
    parent_id, day = _family(unit, period)
    given = (
        {(unit.pk, i.pk, option): float(v) for (i, option), v in current.items()}
        if current is not None
        else None
    )
    return _judge_units(
        form,
        period,
        {unit.pk: parent_id},
        {parent_id: [unit.pk]} if parent_id is not None else {},
        method,
        HISTORY_PERIODS,
        current=given,
        children_of=parent_id,
        day=day,
    )


# Words ---------------------------------------------------------------------------------


def _number(value: float | None) -> str:
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
    }


def message(finding: Finding) -> str:
    """What the person is told about ``finding``, in their language."""
    words = texts()
    fill = {"low": _number(finding.low), "high": _number(finding.high)}
    if finding.method is Method.MINMAX:
        return (words["above_max"] if finding.score > 0 else words["below_min"]).format(**fill)
    if finding.method is Method.SIBLINGS:
        return words["siblings"].format(**fill)
    previous = finding.previous
    if finding.score > 0 and previous and previous > 0 and finding.value / previous >= 2:
        ratio = finding.value / previous
        shown = format_number(round(ratio)) if ratio >= 10 else format_number(ratio, 1)
        return words["times"].format(ratio=shown, previous=_number(previous))
    return (words["high"] if finding.score > 0 else words["low"]).format(**fill)


# Callers ---------------------------------------------------------------------------------


def save_warnings(
    form: Form,
    unit: Unit,
    period: Period,
    numbers: Sequence[tuple[Indicator, str, Decimal | None]],
) -> list[dict]:
    """The warnings of a save, one per cell judged an outlier (the first finding):
    ``{"indicator", "option", "warning", "method"}``."""
    current = {(i, option): n for i, option, n in numbers if n is not None and i.is_numeric}
    if not current:
        return []
    first: dict[tuple[int, str], Finding] = {}
    for finding in judge_unit(form, unit, period, current=current):
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
    "siblings": [low, high] | None, "previous": number | None}``. One read of the
    unit's and its siblings' values and bounds."""
    parent_id, day = _family(unit, period)
    indicators = judged_indicators(form, period)
    history = _history_periods(period, HISTORY_PERIODS)
    data = _read(
        form,
        [unit.pk],
        indicators,
        [period.id, *(p.id for p in history)],
        children_of=(parent_id, day) if parent_id is not None else None,
    )
    family = sorted({unit.pk, *(unit_id for unit_id, _i, _o in data.values)})
    judge = _Judge(data, period, history, Method.MODIFIED_Z)
    shape = structure.of(form)
    hints: dict[str, dict] = {}
    for indicator in indicators:
        negative = _allow_negative(indicator)
        for option in sorted(shape.option_codes(indicator)):
            cell = (unit.pk, indicator.pk, option)
            past, previous = judge.own(cell)
            own = spread(past, Method.MODIFIED_Z, floor=floor_for(indicator.value_type))
            low, high = data.bounds.get(cell) or (
                _float(indicator.min_value),
                _float(indicator.max_value),
            )
            others = (
                judge.siblings(parent_id, indicator, option, family)
                if parent_id is not None
                else None
            )
            hint = {
                "history": [_plain(x) for x in own.range(allow_negative=negative)] if own else None,
                "bounds": [_plain(low), _plain(high)]
                if low is not None or high is not None
                else None,
                "siblings": [_plain(x) for x in others.range(allow_negative=negative)]
                if others
                else None,
                "previous": _plain(previous),
            }
            if any(v is not None for v in hint.values()):
                hints[f"{indicator.code}|{option}"] = hint
    return hints


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
