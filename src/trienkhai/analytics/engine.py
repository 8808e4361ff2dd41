"""The rollup engine: totals of any indicator over any unit's subtree and any period.

``rollup`` is the one entry point (the analytics API, views, DHIS2 analytics and the
report writer call it). Its rules:

- **Aggregation** by each indicator's rule over the values of the unit's subtree and of
  the stored periods lying within the asked period or span (``2020`` from 2020S1 and
  2020S2; ``2019..2021`` from all of theirs): sum, average (of the values), min, max,
  last (each unit's latest value within the period, summed over units — DHIS2's
  "last value, sum in hierarchy"), none (a unit's own value for exactly that period,
  never totalled).
- **Options**: the total over options ("" row) aggregates every option's values
  together; ``by_option`` adds a row per option.
- **Derived indicators** (``Indicator.formula``) are computed with the data-entry
  formula engine from the rolled-up inputs at each unit and period — never summed.
- **A unit's own figure** (``Indicator.parent_figure``): ``add`` counts it with its
  subordinates'; ``replace`` lets it stand for the whole subtree below it for that
  period and option, the subordinates' figures being then left out.
- **Structure**: by default each value totals into the units above its unit on the
  period's reference day (see ``structure``); with ``as_of``, values are first carried
  through lineage onto the units alive on that date.

- **Figure sources** (``Indicator.source``, decision 0039): counted live by the
  registered source over the asked span's days and the unit's subtree on its last day
  (or ``as_of``, the units ended by then carried through lineage as values are),
  whatever the status asked; never read from data values, never summed.

- **Status**: only the values whose review level (``DataValue.status``) reaches the
  asked one are counted — ``approved``, ``submitted`` (submitted or approved, the
  default) or ``all`` (drafts too); each is kept live (decision 0020).

A cell with no value below it is ``None`` (not zero): "nobody reported" is not "0".
An average or a formula's division is answered with at most 4 decimals, the stored
values' (``bounded``); sums, minimums and maximums of stored values are exact already.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import NamedTuple, cast

from trienkhai.analytics import live, rebuild, spans
from trienkhai.analytics.structure import Structure
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import formulas, sources, statuses
from trienkhai.reporting.models import DataValue, DisaggregationOption, Indicator

Aggregation = Indicator.Aggregation


class Cell(NamedTuple):
    """One total of the answer (a named tuple: built several times faster than a frozen
    dataclass, which counts in a 7,500-cell table)."""

    indicator: str  # indicator code
    option: str  # disaggregation option code, "" for the total over options
    period: str  # as asked: a DHIS2 period id ("2020", "2020S1") or a span "2019..2021"
    unit: str  # unit code
    value: Decimal | None


Item = tuple[str, int, str, Decimal]
"""A contributing value: (option, reporting unit id, stored period id, value)."""


@dataclass
class Request:
    """A rollup's arguments, checked and resolved."""

    indicators: list[Indicator]  # as asked
    base: dict[str, Indicator]  # every stored (non-derived) indicator needed, by code
    derived: dict[str, Indicator]  # every derived indicator needed, by code
    periods: list[spans.Asked]
    units: list[tuple[str, int]]  # (code, id) as asked
    options: dict[str, list[str]] = field(default_factory=dict)  # indicator code → option codes
    by_option: bool = False
    status: int = statuses.LEVELS[statuses.DEFAULT]
    """The lowest review level counted (``DataValue.Review``; ``Total.status``)."""


_WHAT = {"indicator": "chỉ tiêu", "unit": "đơn vị"}


def unknown_names(what: str, names: Sequence[str]) -> BadInput:
    """The bilingual 400 for codes that name no indicator or unit."""
    return BadInput(
        f"unknown_{what}",
        f"Không có {_WHAT[what]} / unknown {what}: {', '.join(names)}",
        details=[{what: name} for name in names],
    )


def prepare(
    indicators: Sequence[str],
    periods: Sequence[str],
    units: Sequence[str],
    by_option: bool,
    *,
    status: str | None = None,
) -> Request:
    """Check and resolve the arguments; BadInput naming whatever is unknown."""
    level = statuses.level(status)
    wanted = list(dict.fromkeys(indicators))
    found = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise unknown_names("indicator", unknown)
    base: dict[str, Indicator] = {}
    derived: dict[str, Indicator] = {}
    pending = [found[code] for code in wanted]
    while pending:
        indicator = pending.pop()
        target = derived if indicator.is_derived else base
        if indicator.code in target:
            continue
        target[indicator.code] = indicator
        if indicator.is_derived:
            inputs = formulas.names(indicator.formula) - base.keys() - derived.keys()
            pending.extend(Indicator.objects.filter(code__in=inputs))
    asked = [spans.asked(text) for text in dict.fromkeys(periods)]
    codes = list(dict.fromkeys(units))
    ids = dict(Unit.objects.filter(code__in=codes).values_list("code", "id"))
    missing = [code for code in codes if code not in ids]
    if missing:
        raise unknown_names("unit", missing)
    options: dict[str, list[str]] = defaultdict(list)
    with_options = {i.disaggregation_id: i.code for i in base.values() if i.disaggregation_id}
    rows = DisaggregationOption.objects.filter(disaggregation_id__in=list(with_options))
    by_disaggregation: dict[int, list[str]] = defaultdict(list)
    for disaggregation_id, code in rows.values_list("disaggregation_id", "code"):
        by_disaggregation[disaggregation_id].append(code)
    for indicator in base.values():
        if indicator.disaggregation_id:
            options[indicator.code] = by_disaggregation[indicator.disaggregation_id]
    return Request(
        indicators=[found[code] for code in wanted],
        base=base,
        derived=derived,
        periods=asked,
        units=[(code, ids[code]) for code in codes],
        options=dict(options),
        by_option=by_option,
        status=level,
    )


def aggregate(rule: str, items: Iterable[Item]) -> Decimal | None:
    """The value of ``items`` under an aggregation rule (``none`` is handled by the caller)."""
    items = list(items)
    if not items:
        return None
    if rule == Aggregation.LAST:
        latest: dict[tuple[str, int], tuple[tuple[int, int], Decimal]] = {}
        for option, unit, period, value in items:
            first, last = spans.months(period)
            key = (last, first)
            seen = latest.get((option, unit))
            if seen is None or key > seen[0]:
                latest[(option, unit)] = (key, value)
        return sum((value for _, value in latest.values()), Decimal(0))
    values = [item[3] for item in items]
    if rule == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / Decimal(len(values))
    if rule == Aggregation.MIN:
        return min(values)
    if rule == Aggregation.MAX:
        return max(values)
    return sum(values, Decimal(0))


Totals = dict[tuple[str, str, str, str], Decimal | None]
"""(indicator code, option, asked period, unit code) → value, for stored indicators."""


def scratch_totals(
    request: Request, *, as_of: dt.date | None = None, structure: Structure | None = None
) -> Totals:
    """Every total of ``request`` recomputed from the stored values (the oracle)."""
    request, totals_sourced = _split_sourced(request, as_of)
    structure = structure or Structure.cached()
    by_id = {i.pk: i for i in request.base.values()}
    within = sorted({p for asked in request.periods for p in asked.within})
    rows = DataValue.objects.filter(
        indicator_id__in=list(by_id),
        period__in=within,
        value_number__isnull=False,
        status__gte=request.status,
    ).values_list("indicator_id", "option", "unit_id", "period", "value_number")
    placed: list[tuple[int, str, int, str, Decimal, list[int]]] = []
    reporters: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for indicator_id, option, unit, period, value in rows:
        if as_of is None:
            chain = structure.chain(unit, structure.reference_day(unit, spans.end(period)))
        else:
            home = structure.carrier(unit, as_of)
            if home is None:
                continue
            chain = structure.chain(home, as_of)
        placed.append((indicator_id, option, unit, period, cast(Decimal, value), chain))
        if by_id[indicator_id].parent_figure == Indicator.ParentFigure.REPLACE:
            reporters[(indicator_id, option, period)].add(chain[0])
    wanted = {uid for _, uid in request.units}
    # (indicator id, asked unit) → contributing items, with whether each is the unit's own.
    reaching: dict[tuple[int, int], list[tuple[Item, bool]]] = defaultdict(list)
    for indicator_id, option, unit, period, value, chain in placed:
        stop = reporters.get((indicator_id, option, period), ())
        for depth, above in enumerate(chain):
            if depth and above in stop:
                break
            if above in wanted:
                reaching[(indicator_id, above)].append(((option, unit, period, value), depth == 0))
    totals: Totals = {}
    for indicator in request.base.values():
        options = request.options.get(indicator.code, [])
        for asked in request.periods:
            inside = set(asked.within)
            for code, uid in request.units:
                found = [
                    (item, own)
                    for item, own in reaching.get((indicator.pk, uid), ())
                    if item[2] in inside
                ]
                for option in ["", *options]:
                    totals[(indicator.code, option, asked.text, code)] = _value(
                        indicator, option, asked, found, bool(options)
                    )
    totals.update(totals_sourced)
    return totals


def _split_sourced(request: Request, as_of: dt.date | None) -> tuple[Request, Totals]:
    """(``request`` without its sourced indicators, the totals of those from their
    sources): one call to a source per asked period or span (decision 0039)."""
    sourced = [i for i in request.base.values() if i.source]
    if not sourced:
        return request, {}
    totals: Totals = {}
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in sourced:
        by_source[indicator.source].append(indicator)
    code_of = {uid: code for code, uid in request.units}
    for name, indicators in by_source.items():
        source = sources.get(name)
        codes = [i.code for i in indicators]
        options = {code: request.options.get(code, []) for code in codes}
        for asked in request.periods:
            if source is None:  # its app is not installed: nothing to count
                values: sources.Values = {}
            else:
                values = source.values(
                    codes,
                    list(code_of),
                    asked.first_day,
                    asked.last_day,
                    as_of or asked.last_day,
                    options,
                    carried=as_of is not None,
                )
            for code in codes:
                for option in ["", *options[code]]:
                    for uid, unit in code_of.items():
                        totals[(code, option, asked.text, unit)] = values.get((code, option, uid))
    rest = {code: i for code, i in request.base.items() if not i.source}
    return replace(request, base=rest), totals


def _value(
    indicator: Indicator,
    option: str,
    asked: spans.Asked,
    found: list[tuple[Item, bool]],
    has_options: bool,
) -> Decimal | None:
    if indicator.aggregation == Aggregation.NONE:
        if option == "" and has_options:
            return None
        own = [
            item[3]
            for item, is_own in found
            if is_own and item[0] == option and item[2] == asked.single
        ]
        return own[0] if len(own) == 1 else None
    items = [item for item, _ in found if option == "" or item[0] == option]
    return aggregate(indicator.aggregation, items)


PLACES = Decimal("0.0001")
"""An answer's precision: DataValue.value_number's 4 decimals."""


def bounded(value: Decimal | None) -> Decimal | None:
    """``value`` rounded to 4 decimals if a division gave it more (4/3 is
    1.333… to 28 digits), else as it is: 20673 stays 20673, not 20673.0000.

    Half to even, the rounding of Decimal's default context: the one Django applies
    when it stores a value in DataValue.value_number, and the live totals' (live._number),
    so a figure computed here is rounded as the stored figures were.
    """
    if value is None:
        return None
    try:
        rounded = value.quantize(PLACES, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # past 10^23 (28 digits): no decimals left to round
        return value
    # Cheaper than reading the exponent (as_tuple): a 7,500-cell table of averages.
    return value if rounded == value else rounded


def cells(request: Request, totals: Totals) -> list[Cell]:
    """The answer: stored totals as they are, derived indicators computed from them.

    Built in the answer's order (indicator, period, unit, option): no sort, and no work
    per cell beyond one dictionary lookup (a province's 50-indicator table is 7,500 cells)
    and, for an average or a formula, ``bounded``. A formula reading another formula
    reads it unrounded (the memo): only the answer is rounded.
    """
    result: list[Cell] = []
    append = result.append
    get = totals.get
    memos: dict[tuple[str, str], dict[str, Decimal | None]] = {}
    for indicator in request.indicators:
        code_i = indicator.code
        if indicator.is_derived:
            for asked in request.periods:
                for code, _ in request.units:
                    memo = memos.setdefault((asked.text, code), {})
                    lookup = _lookup(request, totals, asked.text, code, memo)
                    value = _derived(request, code_i, memo, lookup)
                    append(Cell(code_i, "", asked.text, code, bounded(value)))
            continue
        options = ["", *request.options.get(code_i, [])] if request.by_option else [""]
        divided = indicator.aggregation == Aggregation.AVERAGE
        for asked in request.periods:
            text = asked.text
            for code, _ in request.units:
                for option in options:
                    value = get((code_i, option, text, code))
                    append(Cell(code_i, option, text, code, bounded(value) if divided else value))
    return result


def _lookup(
    request: Request, totals: Totals, period: str, unit: str, memo: dict[str, Decimal | None]
) -> formulas.Lookup:
    def lookup(name: str, option: str | None) -> Decimal | None:
        if name in request.derived:
            return _derived(request, name, memo, lookup)
        return totals.get((name, option or "", period, unit))

    return lookup


def _derived(
    request: Request, code: str, memo: dict[str, Decimal | None], lookup: formulas.Lookup
) -> Decimal | None:
    if code not in memo:
        memo[code] = None  # a formula that reads itself is missing, not a loop
        memo[code] = formulas.evaluate(request.derived[code].formula, lookup)
    return memo[code]


def rollup(
    *,
    indicators: Sequence[str],
    periods: Sequence[str],
    units: Sequence[str],
    as_of: dt.date | None = None,
    by_option: bool = False,
    status: str | None = None,
) -> list[Cell]:
    """Totals of ``indicators`` for each of ``units`` (codes) and ``periods`` (ids or spans).

    ``status``: ``approved``, ``submitted`` (None: the default, ``statuses.DEFAULT``) or
    ``all``. Rows come by indicator (as asked), then period, unit and option ("" first).
    """
    request = prepare(indicators, periods, units, by_option, status=status)
    if as_of is not None:
        return cells(request, scratch_totals(request, as_of=as_of))
    return cells(request, live_totals(request))


def live_totals(request: Request) -> Totals:
    """The totals of ``request`` from the live tables where they are kept, else recomputed.

    Kept live: add-rule indicators (sum, average, min, max; "last" for single periods).
    Read from the values: "none" (a unit's own value), and recomputed from scratch:
    replace-rule indicators and "last" over a span.
    """
    request, sourced = _split_sourced(request, None)
    # A reorganisation not folded into the totals yet: answered from the values (right,
    # slower) while ``rebuild.refresh`` runs outside the request.
    stale = rebuild.is_stale()
    if stale:
        rebuild.schedule()
    has_span = any(asked.single is None for asked in request.periods)
    kept, own, rest = [], [], []
    for indicator in request.base.values():
        if indicator.aggregation == Aggregation.NONE:
            own.append(indicator)
        elif (
            live.is_live(indicator)
            and not stale
            and not (has_span and indicator.aggregation == Aggregation.LAST)
        ):
            kept.append(indicator)
        else:
            rest.append(indicator)
    # Only the cells with values: a missing key reads as None ("nobody reported").
    totals: Totals = live.read(kept, request.periods, request.units, request.status)
    if own:
        totals.update(_own_values(request, own))
    if rest:
        totals.update(scratch_totals(replace(request, base={i.code: i for i in rest})))
    totals.update(sourced)
    return totals


def _own_values(request: Request, indicators: list[Indicator]) -> Totals:
    singles = {asked.single: asked.text for asked in request.periods if asked.single}
    code_of = {uid: code for code, uid in request.units}
    totals: Totals = {
        (i.code, option, asked.text, code): None
        for i in indicators
        for option in ["", *request.options.get(i.code, [])]
        for asked in request.periods
        for code in code_of.values()
    }
    by_id = {i.pk: i.code for i in indicators}
    rows = DataValue.objects.filter(
        indicator_id__in=list(by_id),
        unit_id__in=list(code_of),
        period__in=list(singles),
        status__gte=request.status,
    ).values_list("indicator_id", "option", "period", "unit_id", "value_number")
    for indicator_id, option, period, unit, value in rows:
        totals[(by_id[indicator_id], option, singles[period], code_of[unit])] = value
    return totals


def units_at_level(unit: str, level: int, day: dt.date) -> list[str]:
    """The codes of the units ``level`` levels below ``unit`` on ``day`` (0: the unit itself)."""
    found = Unit.objects.filter(code=unit).first()
    if found is None:
        raise unknown_names("unit", [unit])
    if level < 0:
        raise BadInput("invalid_level", f"Cấp không hợp lệ / invalid level: {level}")
    if level == 0:
        return [found.code]
    return [node.code for node in queries.subtree(found, day, depth=level)]
