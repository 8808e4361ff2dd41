"""Totals kept in step with every saved value, inside the transaction that saved it.

``reporting.signals.values_changed`` carries each save's changes (old and new number);
``apply`` adds them to the totals of every unit above, joined from ``Closure`` and summed
per (indicator, option, period, ancestor) in the database. A unit's own values are not
in its totals: ``read`` adds them from the values (same index shape, same query), so a
value of a unit with nobody below it — most of them: communes, cells — writes no total
of its own, and the table holds one row per unit *with units below* and cell:

- a form's save (up to 500 changes) is one ``INSERT … SELECT … ON CONFLICT`` over a
  ``VALUES`` list, which also checks the rules this process remembers and that the
  hierarchy is not stale (what it does not write goes the long way);
- a larger batch (a bulk import) is summed per chain of units above in Python (sibling
  units share one) and each sum added to its chain's totals, each total touched once.

Every write locks totals in the order of ``Total``'s unique index (unit, period,
indicator, option), so concurrent saves cannot deadlock. What deltas cannot express is
recomputed from the values:

- a minimum or maximum whose extreme value was raised, lowered or removed: that cell is
  recomputed for the chain of units above (one grouped query through ``Closure``);
- "last in period" indicators: a unit's latest value within each containing period is
  compared before and after the change (a few rows per unit).

Indicators whose unit figure replaces its subordinates' (``parent_figure=replace``) are
not kept here: the engine computes them from the values when asked (decision 0013).

The hierarchy (``Closure``) is rebuilt when it changed (``StaleMark``, set by receivers
of the orgs models; a unit unknown to the closure, inserted in bulk, also triggers it),
and with it the totals of the periods the change reaches.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db import DataError, connection, transaction

from trienkhai.analytics import spans
from trienkhai.analytics.models import SCALE, Closure, StaleMark, Total
from trienkhai.analytics.structure import Structure, closure_rows
from trienkhai.common import replica
from trienkhai.common.bulk_insert import among, insert_rows
from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import DataValue, Indicator
from trienkhai.reporting.signals import ValueChange
from trienkhai.vn import format_number

Aggregation = Indicator.Aggregation
Key = tuple[int, str, str, int, int]  # (indicator id, option, period, unit id, status)
STATUSES = (0, 1, 2)
"""``Total.status``: the totals of the values whose review level (``DataValue.Review``) is
at least this — 0 every value (drafts too), 1 submitted or approved, 2 approved."""


class Delta(NamedTuple):
    """A change of one value within the totals of one status (``Total.status``)."""

    indicator_id: int
    option: str
    unit_id: int
    period: str
    old: Decimal | None  # the number before, None if it was not counted at this status
    new: Decimal | None  # the number after, None if it is not counted at this status
    status: int = 0


def by_status(changes: Iterable[ValueChange]) -> list[Delta]:
    """The changes of each status's totals: a save of drafts changes the totals of all
    values only (one delta per change); a report submitted, approved or returned moves
    its values' numbers into or out of the totals of the levels between."""
    found: list[Delta] = []
    for c in changes:
        low, high = c.old_status, c.new_status
        if not low and not high:
            found.append(Delta(c.indicator_id, c.option, c.unit_id, c.period, c.old, c.new))
            continue
        for status in STATUSES:
            old = c.old if low >= status else None
            new = c.new if high >= status else None
            if old != new:
                found.append(Delta(c.indicator_id, c.option, c.unit_id, c.period, old, new, status))
    return found


CHUNK = 500
STAGED_ABOVE = CHUNK
"""Batches of more changes than this (imports) are staged in a temporary table."""


def is_live(indicator: Indicator) -> bool:
    """Whether ``indicator``'s totals are kept in ``Total``."""
    return (
        not indicator.is_derived
        and indicator.aggregation != Aggregation.NONE
        and indicator.parent_figure == Indicator.ParentFigure.ADD
    )


def scaled(value: Decimal | None) -> int | None:
    return None if value is None else int(value * SCALE)


def unscaled(value: int) -> Decimal:
    return Decimal(value).scaleb(-4)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# -- the hierarchy -----------------------------------------------------------------


def rebuild_closure(structure: Structure | None = None) -> None:
    """Replace the closure, in one transaction.

    One transaction matters on SQLite: in autocommit each row of the ``executemany``
    is its own commit (a sync to disk per row: 25 s for 134,000 rows).
    """
    structure = structure or Structure.load()
    names = ("descendant_id", "ancestor_id", "depth", "valid_from", "valid_to")
    with transaction.atomic():
        Closure.objects.all().delete()
        insert_rows(Closure, names, closure_rows(structure))
    _analyze(Closure)


def _analyze(model) -> None:
    """Fresh planner statistics after a table was rewritten in bulk (PostgreSQL only: on
    stale ones it chose a full scan of ``Total`` for a province's table)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table(model)}")


def chains(pairs: Iterable[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], tuple[int, ...]]:
    """The units above (nearest first) whose totals each (unit, period's last day) reaches.

    A unit known to the closure has a key even without units above (its own row, depth
    0, is read but not returned: a unit's own values are not in its totals)."""
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for unit, day in pairs:
        by_day[day].add(unit)
    found: dict[tuple[int, dt.date], list[tuple[int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        for day, units in by_day.items():
            condition, param = among(sorted(units))
            cursor.execute(
                f"""SELECT descendant_id, ancestor_id, depth FROM {_table(Closure)}
                WHERE descendant_id {condition} AND valid_from <= %s
                  AND (valid_to IS NULL OR valid_to > %s)""",
                [param, day, day],
            )
            for descendant, ancestor, depth in cursor.fetchall():
                found[(descendant, day)].append((depth, ancestor))
    return {key: tuple(a for depth, a in sorted(rows) if depth) for key, rows in found.items()}


def ensure_fresh(*, force_closure: bool = False) -> None:
    """Make the closure usable for the saves of this transaction.

    A change of the hierarchy (``StaleMark``) is folded into the closure and the totals
    by ``rebuild.refresh``, outside the request (decision 0013); here a save only waits
    for a refresh under way (the marks' locks), so its deltas go through the closure
    the refresh leaves — or through the current one, which the refresh then corrects.
    ``force_closure``: units missing from the closure (inserted in bulk) get their rows.
    Nothing is rebuilt here.
    """
    from trienkhai.analytics import rebuild

    if force_closure:
        rebuild.add_missing_units()
    elif StaleMark.objects.exists():
        # Rare (a reorganisation not folded in yet): the lock and savepoint only then,
        # and the refresh asked for after the commit, as a read does — a mark left by a
        # command (a divisions import, the demo's loading) would otherwise send every
        # save the long way until something reads.
        transaction.on_commit(rebuild.schedule)
        with transaction.atomic():
            list(StaleMark.objects.select_for_update().order_by("id"))


# -- writes ------------------------------------------------------------------------

_PLAIN = frozenset({Aggregation.SUM, Aggregation.AVERAGE, Aggregation.MIN, Aggregation.MAX})

_rules: dict[int, str] = {}
"""Indicator id → its aggregation when its totals are kept here, "" when not: per process.

Filled by the long way of ``apply`` (which reads the rules of its batch), trusted by a
form's save only as far as its one statement checks it: that statement writes a change
only while the indicator's row still has the aggregation the change was sent with (and
no formula, ``add``), and only while the hierarchy is not stale. A change it did not
write comes back missing and goes the long way, which reads the rules again — so a rule
changed in another process is never applied under its old value, and no save spends a
statement asking whether anything changed.
"""


def apply(changes: list[ValueChange]) -> None:
    """Bring the totals in step with ``changes`` (inside the caller's transaction).

    In a save of up to 500 changes, those of indicators that this process knows as sum,
    average, minimum or maximum are one statement; what it did not write (a rule or the
    hierarchy changed, a unit new to the closure), and every other change ("last", an
    indicator not met yet, a large batch), go the long way.

    A total beyond what ``Total`` holds (64-bit integers of 10⁻⁴: about 9.2 × 10¹⁴)
    refuses the whole save with BadInput, naming the largest value's indicator.
    """
    try:
        _apply(changes)
    except (OverflowError, DataError) as error:
        # SQLite's driver refuses the Python int; PostgreSQL answers 22003.
        cause = getattr(error, "__cause__", None)
        if isinstance(error, DataError) and getattr(cause, "sqlstate", None) != "22003":
            raise
        raise _too_large(changes) from error


def _too_large(changes: list[ValueChange]) -> BadInput:
    # Named by the value, not read from the database: on PostgreSQL the transaction is
    # aborted by now (a savepoint around every save to allow a query costs more).
    largest = max((c.new for c in changes if c.new is not None), key=abs, default=0)
    return BadInput(
        "value_too_large",
        f"Số liệu quá lớn để cộng dồn ({format_number(largest)}): tổng của mỗi chỉ tiêu "
        f"tối đa {format_number(LARGEST)} / Value too large to total ({largest:,}): each "
        f"total is at most {LARGEST:,}",
    )


LARGEST = (2**63 - 1) // SCALE
"""The largest total ``Total`` holds (and so the largest value that can be totalled)."""


def _apply(changes: list[ValueChange]) -> None:
    _apply_deltas(by_status(changes))


def _apply_deltas(changes: list[Delta]) -> None:
    known = [c for c in changes if _rules.get(c.indicator_id) in _PLAIN]
    if known and len(changes) <= STAGED_ABOVE:
        written = _upsert_through_closure([_change_row(c, _rules[c.indicator_id]) for c in known])
        _repair([c for c in known if c.indicator_id in written], _rules)
        changes = [c for c in changes if c.indicator_id not in written]
    if changes:
        _apply_checked(changes)


def _apply_checked(changes: list[Delta]) -> None:
    """The long way: the hierarchy made fresh, the rules read, then by kind and size."""
    ensure_fresh()
    rules = _read_rules({c.indicator_id for c in changes})
    changes = [c for c in changes if rules[c.indicator_id]]
    last = [c for c in changes if rules[c.indicator_id] == Aggregation.LAST]
    plain = [c for c in changes if rules[c.indicator_id] != Aggregation.LAST]
    if len(plain) > STAGED_ABOVE:
        _plain_bulk(plain, rules)
    elif plain:
        _plain_upsert(plain, rules)
    if last:
        deltas: dict[Key, list] = {}
        _last_deltas(last, deltas)
        upsert(deltas)


def _read_rules(ids: set[int]) -> dict[int, str]:
    """The rules of ``ids`` as they are now ("" for an indicator not kept here), remembered."""
    found = dict.fromkeys(ids, "")
    for indicator in Indicator.objects.filter(pk__in=ids).only(
        "aggregation", "formula", "parent_figure"
    ):
        found[indicator.pk] = indicator.aggregation if is_live(indicator) else ""
    _rules.update(found)
    return found


def _chains_for(pairs: set[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], tuple[int, ...]]:
    found = chains(pairs)
    if len(found) < len(pairs):
        # Units inserted in bulk (the divisions import) are not in the closure yet.
        ensure_fresh(force_closure=True)
        found = chains(pairs)
    return found


def _change_row(c: Delta, aggregation: str) -> tuple:
    """(indicator, option, period, unit, day, Δtotal, Δcount, extreme, aggregation, status)."""
    new, old = scaled(c.new), scaled(c.old)
    return (
        c.indicator_id,
        c.option,
        c.period,
        c.unit_id,
        spans.end(c.period),
        (new or 0) - (old or 0),
        (new is not None) - (old is not None),
        new if aggregation in (Aggregation.MIN, Aggregation.MAX) else None,
        aggregation,
        c.status,
    )


def _is_worse(c: Delta, aggregation: str) -> bool:
    """Whether ``c`` raised a minimum, lowered a maximum or removed a value (deltas cannot say)."""
    new, old = c.new, c.old
    return old is not None and (
        new is None
        or (aggregation == Aggregation.MIN and new > old)
        or (aggregation == Aggregation.MAX and new < old)
    )


def _plain_upsert(changes: list[Delta], rules: dict[int, str]) -> None:
    """Add ``changes`` to the totals of the units above theirs: one statement for all.

    Units missing from the closure (inserted in bulk) get their rows first
    (``_chains_for``): the statement writes nothing while one is missing.
    """
    _chains_for({(c.unit_id, spans.end(c.period)) for c in changes})
    # Not refused by a mark: this is the long way, after ensure_fresh waited for any
    # refresh under way; the refresh corrects what goes through the current closure.
    _upsert_through_closure(
        [_change_row(c, rules[c.indicator_id]) for c in changes], unless_stale=False
    )
    _repair(changes, rules)


# The columns of ``_change_row``: a save's changes as its one statement reads them
# (a ``VALUES`` list named ``d``).
_CHANGE_COLUMNS = (
    ("indicator_id", "bigint"),
    ("option", "text"),
    ("period", "text"),
    ("unit_id", "bigint"),
    ("day", "date"),
    ("total", "bigint"),
    ("count", "integer"),
    ("extreme", "bigint"),
    ("rule", "text"),
    ("status", "integer"),
)


def _plain_bulk(changes: list[Delta], rules: dict[int, str]) -> None:
    """A large batch (an import): summed per chain in Python, then upserted.

    The chain above each (unit, period's last day) is read from the closure once; the
    changes are summed per (indicator, option, period, chain) as they are read — sibling
    units share their chain, so 200,000 changes of 10,000 communes in 100 districts make
    about 2,000 sums — and each sum is then added to every unit of its chain, in write
    order (``upsert``). Staging the changes in a temporary table and joining and
    grouping them through the closure in the database cost four times as much (200,000
    rows built, copied, joined to 800,000 and sorted).
    """
    day_of = {period: spans.end(period) for period in {c.period for c in changes}}
    chain_of = _chains_for({(c.unit_id, day_of[c.period]) for c in changes})
    extremes = {i for i, rule in rules.items() if rule in (Aggregation.MIN, Aggregation.MAX)}
    # Per (indicator, option, period, chain, status): [Σ new − Σ old, Δcount, low, high].
    sums: dict[tuple[int, str, str, tuple[int, ...], int], list] = {}
    for c in changes:
        chain = chain_of.get((c.unit_id, day_of[c.period]))
        if not chain:
            continue  # nobody above: no totals to change
        key = (c.indicator_id, c.option, c.period, chain, c.status)
        row = sums.get(key)
        if row is None:
            row = sums[key] = [0, 0, None, None]
        new, old = c.new, c.old
        if new is not None:
            row[0] += new
            row[1] += 1
            if c.indicator_id in extremes:
                row[2] = new if row[2] is None else min(row[2], new)
                row[3] = new if row[3] is None else max(row[3], new)
        if old is not None:
            row[0] -= old
            row[1] -= 1
    deltas: dict[Key, list] = {}
    for (indicator_id, option, period, chain, status), (total, count, low, high) in sums.items():
        total, low, high = scaled(total), scaled(low), scaled(high)
        for unit in chain:
            target: Key = (indicator_id, option, period, unit, status)
            row = deltas.setdefault(target, [0, 0, None, None])
            row[0] += total
            row[1] += count
            if low is not None:
                row[2] = low if row[2] is None else min(row[2], low)
                row[3] = high if row[3] is None else max(row[3], high)
    upsert(deltas)
    if extremes:
        _repair(changes, rules)


def _upsert_through_closure(rows: list[tuple], *, unless_stale: bool = True) -> set[int]:
    """Rows of ``_change_row`` added to the totals above their units in one statement;
    the indicators it wrote totals of.

    The units above each (unit, period's last day) are joined from ``Closure``, the
    deltas summed per target row and written in key order (the order of every other
    write: no deadlock between concurrent saves). A row is written only if its indicator
    still has the aggregation it carries, (``unless_stale``) no ``StaleMark`` is there,
    and every unit of the statement is in the closure (else nothing is written). An
    indicator missing from the answer was not written — or its changes were all of units
    with nobody above (a country's own figure), which the long way writes again as nothing.
    """
    names = ", ".join(name for name, _ in _CHANGE_COLUMNS)
    if connection.vendor == "postgresql":
        # One array per column: ten parameters rather than ten per row (an approval's
        # 3,600 placeholders cost psycopg more to split in Python than the statement
        # cost the server).
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in _CHANGE_COLUMNS)
        source, values = (
            f"SELECT * FROM unnest({arrays})",
            [list(c) for c in zip(*rows, strict=True)],
        )
    else:
        row = ", ".join(["%s"] * len(_CHANGE_COLUMNS))
        source = "VALUES " + ", ".join([f"({row})"] * len(rows))
        values = [value for row in rows for value in row]
    sql, params = _through_closure_sql("d", unless_stale=unless_stale)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH d ({names}) AS ({source}) {sql} RETURNING indicator_id", values + params
        )
        return {row[0] for row in cursor.fetchall()}


def _through_closure_sql(source: str, *, unless_stale: bool = True) -> tuple[str, list]:
    """The grouped upsert of the changes in ``source`` (columns of ``_CHANGE_COLUMNS``).

    A row is written only if its indicator still has the aggregation it carries (kept
    here: no formula, ``add``), (``unless_stale``) no ``StaleMark`` is there, and
    nothing at all if a unit is missing from the closure — rows built from rules
    remembered by the process, before any look at the hierarchy; the long way, past
    ``ensure_fresh``, is not refused by marks.

    A unit's own value is not in its totals (``c.depth > 0``): reads add it from the
    values, so a value of a unit with nobody below it writes no total of its own.
    """
    table, closure = _table(Total), _table(Closure)
    # Each (unit, day) looked up once: a report's changes share one.
    fresh = f"""WHERE NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT unit_id, day FROM {source}) x
         WHERE NOT EXISTS (
         SELECT 1 FROM {closure} k WHERE k.descendant_id = x.unit_id
            AND k.valid_from <= x.day AND (k.valid_to IS NULL OR k.valid_to > x.day)))"""
    if unless_stale:
        fresh += f" AND NOT EXISTS (SELECT 1 FROM {_table(StaleMark)})"
    sql = f"""INSERT INTO {table}
            (indicator_id, option, period, unit_id, status, total, count, low, high)
        SELECT d.indicator_id, d.option, d.period, c.ancestor_id, d.status,
               SUM(d.total), SUM(d.count), MIN(d.extreme), MAX(d.extreme)
          FROM {source} d
          JOIN {_table(Indicator)} i ON i.id = d.indicator_id AND i.aggregation = d.rule
           AND i.formula = '' AND i.parent_figure = %s
          JOIN {closure} c ON c.descendant_id = d.unit_id AND c.depth > 0
           AND c.valid_from <= d.day AND (c.valid_to IS NULL OR c.valid_to > d.day)
         {fresh}
         GROUP BY c.ancestor_id, d.period, d.indicator_id, d.option, d.status
         ORDER BY c.ancestor_id, d.period, d.indicator_id, d.option, d.status
        {_ON_CONFLICT.format(table=table)}"""
    return sql, [Indicator.ParentFigure.ADD.value]


_ON_CONFLICT = """ON CONFLICT (indicator_id, period, unit_id, option, status) DO UPDATE SET
                  total = {table}.total + excluded.total,
                  count = {table}.count + excluded.count,
                  low = CASE WHEN {table}.low IS NULL OR excluded.low < {table}.low
                        THEN excluded.low ELSE {table}.low END,
                  high = CASE WHEN {table}.high IS NULL OR excluded.high > {table}.high
                         THEN excluded.high ELSE {table}.high END"""


def _last_deltas(changes: list[Delta], deltas) -> None:
    """Each containing period: the unit's latest value there, before and after, for each
    unit above it — within each status's totals (the values at or above its level)."""
    by_status: dict[int, list[Delta]] = defaultdict(list)
    for c in changes:
        by_status[c.status].append(c)
    for status, some in sorted(by_status.items()):
        _last_deltas_at(status, some, deltas)


def _last_deltas_at(status: int, changes: list[Delta], deltas) -> None:
    cells = {(c.indicator_id, c.option, c.unit_id) for c in changes}
    old: dict[tuple[int, str, int], dict[str, Decimal | None]] = defaultdict(dict)
    targets: dict[tuple[int, str, int], set[str]] = defaultdict(set)
    for c in changes:
        old[(c.indicator_id, c.option, c.unit_id)][c.period] = c.old
        targets[(c.indicator_id, c.option, c.unit_id)].update(spans.containing(c.period))
    periods = {p for wanted in targets.values() for big in wanted for p in spans.asked(big).within}
    now: dict[tuple[int, str, int], dict[str, Decimal]] = defaultdict(dict)
    rows = DataValue.objects.filter(
        indicator_id__in={c[0] for c in cells},
        unit_id__in={c[2] for c in cells},
        period__in=periods,
        value_number__isnull=False,
        status__gte=status,
    ).values_list("indicator_id", "option", "unit_id", "period", "value_number")
    for indicator_id, option, unit, period, value in rows:
        if (indicator_id, option, unit) in cells:
            now[(indicator_id, option, unit)][period] = value  # type: ignore[assignment]
    pairs = {(cell[2], spans.end(p)) for cell in cells for p in {*now[cell], *old[cell]}}
    chain_of = _chains_for(pairs)
    for cell, wanted in targets.items():
        after = dict(now[cell])
        before = dict(after)
        for period, value in old[cell].items():
            if value is None:
                before.pop(period, None)
            else:
                before[period] = value
        for big in sorted(wanted):
            inside = set(spans.asked(big).within)
            was = _latest_by_ancestor(before, inside, cell[2], chain_of)
            becomes = _latest_by_ancestor(after, inside, cell[2], chain_of)
            for unit in was.keys() | becomes.keys():
                a, b = scaled(becomes.get(unit)), scaled(was.get(unit))
                if a == b:
                    continue
                key = (cell[0], cell[1], big, unit, status)
                row = deltas.setdefault(key, [0, 0, None, None])
                row[0] += (a or 0) - (b or 0)
                row[1] += (a is not None) - (b is not None)


def _latest_by_ancestor(values: dict, inside: set[str], unit: int, chain_of) -> dict[int, Decimal]:
    best: dict[int, tuple[tuple[int, int], Decimal]] = {}
    for period, value in values.items():
        if period not in inside:
            continue
        first, last = spans.months(period)
        for above in chain_of.get((unit, spans.end(period)), ()):
            seen = best.get(above)
            if seen is None or (last, first) > seen[0]:
                best[above] = ((last, first), value)
    return {above: value for above, (_, value) in best.items()}


def _write_order(key: Key) -> tuple[int, str, int, str, int]:
    """The order every write locks totals in (that of ``Total``'s unique index: unit,
    period, indicator, option, status), so that concurrent writes cannot deadlock, and a
    large batch fills the index in its own order."""
    indicator_id, option, period, unit_id, status = key
    return (unit_id, period, indicator_id, option, status)


def upsert(deltas: dict[Key, list]) -> None:
    """Add ``deltas`` ([total, count, low, high] per key) to the totals, in write order."""
    table = _table(Total)
    rows = [
        (*key, *deltas[key])
        for key in sorted(deltas, key=_write_order)
        if deltas[key] != [0, 0, None, None]
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"""INSERT INTO {table}
                    (indicator_id, option, period, unit_id, status, total, count, low, high)
                VALUES {marks}
                {_ON_CONFLICT.format(table=table)}""",
                [value for row in part for value in row],
            )


def _in_chain_sql(levels: str = "") -> str:
    """The values joined to the units above them on a day (two parameters: the day);
    ``levels``: a relation of statuses (``lv``) each value is repeated for, up to its own."""
    values, closure = _table(DataValue), _table(Closure)
    per_level = f"JOIN {levels} lv ON dv.status >= lv.status" if levels else ""
    return f"""
        FROM {values} dv JOIN {closure} c ON c.descendant_id = dv.unit_id AND c.depth > 0
         AND c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s) {per_level}
        WHERE dv.value_number IS NOT NULL"""


def _repair(changes: list[Delta], rules: dict[int, str]) -> None:
    """Minimums and maximums that deltas cannot keep, recomputed from the values: the
    chain of every change that raised a minimum, lowered a maximum or removed a value,
    one query per (indicator, option, period) and 500 units."""
    worse = [
        c
        for c in changes
        if rules[c.indicator_id] in (Aggregation.MIN, Aggregation.MAX)
        and _is_worse(c, rules[c.indicator_id])
    ]
    if not worse:
        return
    chain_of = _chains_for({(c.unit_id, spans.end(c.period)) for c in worse})
    cells: dict[tuple[int, str, str, int], set[int]] = defaultdict(set)
    for c in worse:
        chain = chain_of.get((c.unit_id, spans.end(c.period)), ())
        cells[(c.indicator_id, c.option, c.period, c.status)].update(chain)
    for (indicator_id, option, period, status), units in sorted(cells.items()):
        _recompute_extremes(indicator_id, option, period, sorted(units), status)


def _recompute_extremes(
    indicator_id: int, option: str, period: str, units: list[int], status: int = 0
) -> None:
    day = spans.end(period)
    table = _table(Total)
    with connection.cursor() as cursor:
        for start in range(0, len(units), CHUNK):
            part = units[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"""SELECT c.ancestor_id, MIN(dv.value_number), MAX(dv.value_number)
                {_in_chain_sql()} AND dv.indicator_id = %s AND dv.option = %s AND dv.period = %s
                  AND dv.status >= %s AND c.ancestor_id IN ({marks})
                GROUP BY c.ancestor_id""",
                [day, day, indicator_id, option, period, status, *part],
            )
            found = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
            cursor.executemany(
                f"""UPDATE {table} SET low = %s, high = %s WHERE indicator_id = %s
                AND option = %s AND period = %s AND unit_id = %s AND status = %s""",
                [
                    (
                        *map(_number, found.get(unit, (None, None))),
                        indicator_id,
                        option,
                        period,
                        unit,
                        status,
                    )
                    for unit in part
                ],
            )


def _number(raw) -> int | None:
    # SQLite hands numbers back as floats through a raw cursor.
    return None if raw is None else scaled(Decimal(str(raw)).quantize(Decimal("0.0001")))


# -- rebuilding from the values ------------------------------------------------------


def rebuild_totals(*, since: dt.date | None = None) -> set[str]:
    """Recompute every total from the values (``since`` is no longer needed: the closure
    change says which totals a reorganisation reaches — ``rebuild.refresh``)."""
    from trienkhai.analytics import rebuild

    return rebuild.rebuild_all(closure=False)


# -- reads -------------------------------------------------------------------------


def read(
    indicators: list[Indicator],
    periods: list[spans.Asked],
    units: list[tuple[str, int]],
    status: int = 0,
) -> dict[tuple[str, str, str, str], Decimal | None]:
    """(indicator code, option, asked period, unit code) → value, for the cells with values.

    ``status``: the values counted, by review level (``Total.status``; own values whose
    ``DataValue.status`` is at least it).

    A unit's figure is its totals (the units below it) with its own values: one query
    for both, ``Total`` and the values, for all indicators × units × stored periods (per
    500 units); each row goes straight to its cell unless it must be combined with
    others (an option's row also counts for the total over options, a stored period for
    each asked span containing it, a unit's own value with its total). "Last"
    indicators take, of the unit's own values, its latest within the asked period.
    """
    if not indicators or not units:
        return {}
    by_id = {i.pk: i for i in indicators}
    code_of = {uid: code for code, uid in units}
    wanted: dict[str, list[str]] = defaultdict(list)  # stored period → asked periods it serves
    for asked in periods:
        for period in asked.within:
            wanted[period].append(asked.text)
    last_periods = {asked.text for asked in periods}
    stored = sorted(wanted.keys() | last_periods)
    found: dict[tuple[str, str, str, str], list] = {}
    latest: dict[tuple[int, str, str, int], tuple[tuple[int, int], int]] = {}

    def add(key: tuple[str, str, str, str], total, count, low, high, aggregation) -> None:
        # An option's row counts for itself and for the total over options.
        for opt in (key[1], "") if key[1] else ("",):
            cell = (key[0], opt, key[2], key[3])
            row = found.get(cell)
            if row is None:
                found[cell] = [total, count, low, high, aggregation]
                continue
            row[0] += total
            row[1] += count
            if low is not None:
                row[2] = low if row[2] is None else min(row[2], low)
            if high is not None:
                row[3] = high if row[3] is None else max(row[3], high)

    ids = list(code_of)
    # A page's read: from the replica when the request may (trienkhai.common.replica).
    with replica.read_connection().cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            lists: list[list] = [list(by_id), stored, part]
            params = (
                [*lists] if connection.vendor == "postgresql" else [x for v in lists for x in v]
            )
            params = [*params, status]
            cursor.execute(_read_sql(len(by_id), len(stored), len(part)), params + params)
            for own, indicator_id, option, period, unit, total, count, low, high in cursor:
                indicator = by_id[indicator_id]
                code = code_of[unit]
                if indicator.aggregation != Aggregation.LAST:
                    for asked_text in wanted.get(period, ()):
                        add(
                            (indicator.code, option, asked_text, code),
                            total,
                            count,
                            low,
                            high,
                            indicator.aggregation,
                        )
                elif not own:
                    if period in last_periods:
                        add(
                            (indicator.code, option, period, code),
                            total,
                            count,
                            low,
                            high,
                            indicator.aggregation,
                        )
                else:
                    when = spans.months(period)[::-1]
                    for asked_text in wanted.get(period, ()):
                        key = (indicator_id, option, asked_text, unit)
                        seen = latest.get(key)
                        if seen is None or when > seen[0]:
                            latest[key] = (when, total)
    for (indicator_id, option, asked_text, unit), (_, total) in latest.items():
        key = (by_id[indicator_id].code, option, asked_text, code_of[unit])
        add(key, total, 1, total, total, Aggregation.LAST)
    return {key: value_of(row[4], row[:4]) for key, row in found.items()}  # type: ignore[arg-type]


def _read_sql(indicators: int, periods: int, units: int) -> str:
    """Totals and own values of indicators × periods × units, as (own, indicator, option,
    period, unit, total, count, low, high) rows.

    "indicator_id + 0": the indicators filter the rows of each (unit, period) range of
    the unit-first indexes (of ``Total`` and of the values) instead of being one more
    key of them. As a key, the index is descended once per unit × period × indicator,
    and a half-year lists the nine periods that may be stored within it (months,
    quarters): 150 communes × 9 × 50 indicators = 67,500 descents, 80 ms at 104,643
    units; as a filter, 1,350 descents and a read of the ranges (decision 0013).
    """
    where = (
        f"indicator_id + 0 {_among(indicators)} AND period {_among(periods)} "
        f"AND unit_id {_among(units)}"
    )
    number = "CAST(ROUND(value_number * 10000) AS BIGINT)"
    return f"""SELECT 0, indicator_id, option, period, unit_id, total, count, low, high
        FROM {_table(Total)} WHERE {where} AND status = %s AND count > 0
        UNION ALL
        SELECT 1, indicator_id, option, period, unit_id, {number}, 1, {number}, {number}
        FROM {_table(DataValue)} WHERE {where} AND status >= %s AND value_number IS NOT NULL"""


def _among(count: int) -> str:
    """``= ANY(%s)`` with one array parameter on PostgreSQL (the driver splits a query of
    200 placeholders in Python: ~7 ms), ``IN (%s, …)`` of ``count`` elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)"
    return f"IN ({', '.join(['%s'] * count)})"


def value_of(
    aggregation: str, row: tuple[int, int, int | None, int | None] | None
) -> Decimal | None:
    if row is None or row[1] == 0:
        return None
    total, count, low, high = row
    if aggregation == Aggregation.SUM:
        return Decimal(total).scaleb(-4)
    if aggregation == Aggregation.AVERAGE:
        return unscaled(total) / Decimal(count)
    if aggregation == Aggregation.MIN:
        return None if low is None else unscaled(low)
    if aggregation == Aggregation.MAX:
        return None if high is None else unscaled(high)
    return unscaled(total)
