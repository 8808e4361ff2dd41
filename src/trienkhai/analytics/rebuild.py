"""Rebuilding the totals after the hierarchy changed, and from scratch.

A reorganisation (merge, split, move, regroup) changes the chains of some units. The
totals are a function of the values and of the closure in the database (the live
receiver keeps them so, through whatever closure it finds); ``refresh`` brings the
closure in step with the hierarchy and recomputes only what the change reaches:

- the closure rows are compared with the hierarchy's (``structure.closure_rows``): only
  rows that differ are deleted or inserted;
- for each stored period, the units whose set of units below changed on the period's
  last day — the old and new ancestors of the moved, merged or split subtrees — are
  the ones whose totals change (a unit that moved keeps its own subtree's totals, the
  country keeps its own when a district changes province); their totals of that
  period are recomputed from the values, through the new closure.

``rebuild_all`` recomputes everything: the closure, then per period bottom-up — the
units' own values, then each level from the one below (``_plain_period``) — rather than
every value joined with each of its ancestors (5× the rows to group at four levels).

``refresh`` runs outside the user's request: after the commit of the change, in a
thread of the serving process (``schedule``), or from ``trienkhai rebuild-totals``;
while it has not run, the engine answers the periods it reaches from the values
(``is_stale``), right and slower.
"""

import contextlib
import datetime as dt
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from trienkhai.analytics import live, spans
from trienkhai.analytics.models import Closure, StaleMark, Total
from trienkhai.analytics.structure import Structure, closure_rows
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.reporting.models import DataValue, Indicator

log = logging.getLogger(__name__)
Row = tuple[int, int, int, dt.date, dt.date | None]  # descendant, ancestor, depth, from, to
NUMBER = "CAST(ROUND(dv.value_number * 10000) AS BIGINT)"
LEVELS = "(SELECT 0 AS status UNION ALL SELECT 1 UNION ALL SELECT 2)"
"""The statuses of ``Total`` as a relation: a value counts in each level up to its own."""
CHUNK = live.CHUNK


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# -- what the engine asks ---------------------------------------------------------


def is_stale() -> bool:
    """Whether a change of the hierarchy is not in the closure and the totals yet.

    Any mark counts, even of a change that reached no values when it was made: values
    saved since went through the old closure."""
    return StaleMark.objects.exists()


# -- the incremental refresh ------------------------------------------------------


def refresh() -> set[str]:
    """Fold the hierarchy's changes (``StaleMark``) into the closure and the totals.

    Returns the periods some of whose totals were recomputed. Runs in one transaction
    holding the marks' locks: a save that finds a mark waits for it (``live.ensure_fresh``
    takes the same locks), so its deltas go through the closure it then reads.
    """
    with transaction.atomic():
        marks = list(StaleMark.objects.select_for_update().order_by("id"))
        if not marks:
            return set()
        gone, added = closure_changes()
        _write_closure(gone, added)
        rebuilt = _recompute(gone, added) if gone or added else set()
        StaleMark.objects.filter(pk__in=[m.pk for m in marks]).delete()
    live._analyze(Closure)
    return rebuilt


def closure_changes(structure: Structure | None = None) -> tuple[list[tuple], list[Row]]:
    """The closure rows to delete ((id, *row)) and to insert, to match the hierarchy."""
    structure = structure or Structure.load()
    wanted = set(closure_rows(structure))
    found = Closure.objects.values_list(
        "id", "descendant_id", "ancestor_id", "depth", "valid_from", "valid_to"
    )
    gone: list[tuple] = []
    for row in found.iterator(chunk_size=20_000):
        key = row[1:]
        if key in wanted:
            wanted.discard(key)
        else:
            gone.append(row)
    return gone, sorted(wanted)


def _write_closure(gone: list[tuple], added: list[Row]) -> None:
    ids = [row[0] for row in gone]
    for start in range(0, len(ids), CHUNK):
        Closure.objects.filter(pk__in=ids[start : start + CHUNK]).delete()
    names = ("descendant_id", "ancestor_id", "depth", "valid_from", "valid_to")
    insert_rows(Closure, names, added)


def add_missing_units() -> None:
    """Closure rows for the units that have none (inserted in bulk, e.g. the divisions
    import): their values can then be added; other differences are left to ``refresh``,
    which recomputes the totals they reach."""
    structure = Structure.load()
    known = set(Closure.objects.values_list("descendant_id", flat=True).distinct())
    missing = [uid for uid in structure.life if uid not in known]
    if missing:
        names = ("descendant_id", "ancestor_id", "depth", "valid_from", "valid_to")
        insert_rows(Closure, names, closure_rows(structure, units=missing))


def reached(
    gone: Iterable[tuple], added: Iterable[Row], day: dt.date, reporting: set[int] | None = None
) -> set[int]:
    """The units whose units below differ on ``day`` between the old and new closure
    (among units below that have values: ``reporting``, default all)."""
    before: dict[int, set[int]] = defaultdict(set)
    after: dict[int, set[int]] = defaultdict(set)
    for rows, into in ((gone, before), (added, after)):
        for row in rows:
            descendant, ancestor, _, start, end = row[-5:]
            if reporting is not None and descendant not in reporting:
                continue
            if start <= day and (end is None or day < end):
                into[descendant].add(ancestor)
    units: set[int] = set()
    for descendant in before.keys() | after.keys():
        units |= before[descendant] ^ after[descendant]
    return units


def _recompute(gone: list[tuple], added: list[Row]) -> set[str]:
    """Recompute, per stored period, the totals of the units the closure change reaches.

    Only units with values in the period move figures: a brand-new unit (all its rows
    new) reaches nothing. The totals are "values × stored closure" (saves since the
    change went through the old one), so a unit whose values were all removed since
    has nothing left in either chain.
    """
    changed = sorted({row[-5] for rows in (gone, added) for row in rows})
    reporting: dict[str, set[int]] = defaultdict(set)
    for start in range(0, len(changed), CHUNK):
        pairs = DataValue.objects.filter(
            unit_id__in=changed[start : start + CHUNK], value_number__isnull=False
        ).values_list("period", "unit_id")
        for period, unit in pairs.distinct():
            reporting[period].add(unit)
    reach = {p: reached(gone, added, spans.end(p), units) for p, units in reporting.items()}
    reach = {p: units for p, units in reach.items() if units}
    plain, last = _live_indicators()
    for period, units in reach.items():
        _delete(period, units, plain)
        if plain:
            _plain_reaching(period, plain, units)
    # "Last" totals per containing period: its units are those reached in any period within.
    containers: dict[str, set[int]] = defaultdict(set)
    for period, units in reach.items():
        for big in spans.containing(period):
            containers[big] |= units
    if last:
        for big, units in containers.items():
            _delete(big, units, last)
        _last_totals(last, containers)
    return {*reach, *containers}


def _live_indicators() -> tuple[list[int], list[int]]:
    indicators = [i for i in Indicator.objects.all() if live.is_live(i)]
    last = [i.pk for i in indicators if i.aggregation == live.Aggregation.LAST]
    return [i.pk for i in indicators if i.pk not in last], last


def _delete(period: str, units: set[int], indicators: list[int]) -> None:
    ordered = sorted(units)
    for start in range(0, len(ordered), CHUNK):
        Total.objects.filter(
            period=period, unit_id__in=ordered[start : start + CHUNK], indicator_id__in=indicators
        ).delete()


def _plain_reaching(period: str, indicators: list[int], units: set[int]) -> None:
    """The totals of ``units`` for ``period``: their values below, through the closure."""
    day = spans.end(period)
    ordered = sorted(units)
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            chained = live._in_chain_sql(LEVELS)
            cursor.execute(
                f"""INSERT INTO {_table(Total)}
                    (indicator_id, option, period, unit_id, status, total, count, low, high)
                SELECT dv.indicator_id, dv.option, dv.period, c.ancestor_id, lv.status,
                       SUM({NUMBER}), COUNT(*), MIN({NUMBER}), MAX({NUMBER})
                {chained} AND dv.period = %s
                  AND dv.indicator_id IN ({", ".join(["%s"] * len(indicators))})
                  AND c.ancestor_id IN ({", ".join(["%s"] * len(part))})
                GROUP BY c.ancestor_id, dv.indicator_id, dv.option, dv.period, lv.status""",
                [day, day, period, *indicators, *part],
            )


def _last_totals(indicators: list[int], containers: dict[str, set[int]] | None) -> None:
    """ "Last in period" totals, re-added as if every latest value were saved anew.

    ``containers``: containing period → the units to write (None: every period, every
    unit). A containing period (2021) takes its latest value from every period within
    it, those before the change (2021S1) included.
    """
    if containers is None:
        periods = {*DataValue.objects.values_list("period", flat=True).distinct()}
        containers_all = {big for p in periods for big in spans.containing(p)}
        within = {p for big in containers_all for p in spans.asked(big).within}
        rows = DataValue.objects.filter(indicator_id__in=indicators, period__in=within)
    else:
        within = {p for big in containers for p in spans.asked(big).within}
        rows = DataValue.objects.filter(indicator_id__in=indicators, period__in=within)
        reached_units = sorted({u for units in containers.values() for u in units})
        below: set[int] = set()
        for start in range(0, len(reached_units), CHUNK):
            below |= set(
                Closure.objects.filter(
                    ancestor_id__in=reached_units[start : start + CHUNK]
                ).values_list("descendant_id", flat=True)
            )
        rows = rows.filter(unit_id__in=below) if len(below) <= 20_000 else rows
    found = rows.filter(value_number__isnull=False).values_list(
        "indicator_id", "option", "unit_id", "period", "value_number", "status"
    )
    by_unit: dict[int, list[live.Delta]] = defaultdict(list)
    for i, o, u, p, v, status in found:
        for level in range(status + 1):  # counted in each status's totals up to its own
            by_unit[u].append(live.Delta(i, o, u, p, None, v, level))
    deltas: dict[live.Key, list] = {}
    units = sorted(by_unit)
    for start in range(0, len(units), CHUNK):
        batch = [c for u in units[start : start + CHUNK] for c in by_unit[u]]
        # Treat every value of the batch as new: "before" holds none of them.
        live._last_deltas(batch, deltas)
    if containers is None:
        keep = {key: row for key, row in deltas.items() if key[2] in containers_all}
    else:
        keep = {
            key: row
            for key, row in deltas.items()
            if key[2] in containers and key[3] in containers[key[2]]
        }
    live.upsert(keep)


def rebuild_indicator(indicator: Indicator) -> None:
    """The totals of one indicator, from its values, by its rule as it is now.

    After an admin changed how it adds up (sum → max, → "last", add → replace): the
    totals kept by the old rule are dropped and recomputed, in the caller's transaction.
    """
    Total.objects.filter(indicator_id=indicator.pk).delete()
    if not live.is_live(indicator):
        return
    if indicator.aggregation == live.Aggregation.LAST:
        _last_totals([indicator.pk], None)
        return
    periods = DataValue.objects.filter(indicator_id=indicator.pk).values_list("period", flat=True)
    with _work_memory():
        for period in sorted(set(periods)):
            _plain_period(period, [indicator.pk])


# -- rebuilding everything ---------------------------------------------------------


def rebuild_all(*, closure: bool = True) -> set[str]:
    """The closure and every total, from the hierarchy and the values.

    For a whole country (the benchmark, ``trienkhai rebuild-totals --all``): in one
    transaction, the totals table emptied and refilled without its secondary indexes
    and foreign keys on PostgreSQL (rebuilt at the end in one sort each rather than
    maintained row by row, and no per-row foreign-key trigger at commit).
    """
    # Inside a caller's transaction (tests) the indexes stay: PostgreSQL refuses to alter
    # a table with foreign-key checks pending from earlier writes of that transaction.
    alone = not connection.in_atomic_block
    if closure:
        live.rebuild_closure()
    with transaction.atomic():
        if not closure:
            gone, added = closure_changes()
            _write_closure(gone, added)
        marks = list(StaleMark.objects.select_for_update())
        periods = sorted(
            {*DataValue.objects.values_list("period", flat=True).distinct()},
            key=lambda p: (spans.end(p), p),
        )
        plain, last = _live_indicators()
        _empty(Total, alone)
        with bulk_mode(Total) if alone else contextlib.nullcontext(), _work_memory():
            if plain:
                for period in periods:
                    _plain_period(period, plain)
        if last:
            _last_totals(last, None)
        StaleMark.objects.filter(pk__in=[m.pk for m in marks]).delete()
    live._analyze(Total)
    return {big for p in periods for big in spans.containing(p)}


def _empty(model, alone: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and alone:
            cursor.execute(f"TRUNCATE {_table(model)}")
        else:
            cursor.execute(f"DELETE FROM {_table(model)}")


@contextlib.contextmanager
def _work_memory() -> Iterator[None]:
    """More memory for the grouping: hash aggregates that do not spill on PostgreSQL,
    a page cache of 256 MB rather than 2 MB for SQLite's sorts (this connection)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
            yield
            return
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextlib.contextmanager
def bulk_mode(model) -> Iterator[None]:
    """Inside a transaction: ``model``'s secondary indexes and foreign keys dropped while
    the block fills the table, rebuilt after (PostgreSQL; SQLite keeps a constraint's
    index, which lives in the table's definition, and drops the others)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
                 ORDER BY contype DESC""",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                 WHERE i.tablename = %s AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                [table],
            )
            indexes = cursor.fetchall()
            quoted = connection.ops.quote_name(table)
            for name, _ in constraints:
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {name}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            yield
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in reversed(constraints):
                cursor.execute(f"ALTER TABLE {quoted} ADD CONSTRAINT {name} {definition}")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            yield
            for _, definition in indexes:
                cursor.execute(definition)


def _plain_period(period: str, indicators: list[int]) -> None:
    """Every total of ``period`` for ``indicators``, bottom-up.

    The tree on the period's last day (each unit's parent and level, from the closure)
    and the units' own values go into temporary tables; each level's totals are the
    grouped rows of the level below (own values and children's totals), from the
    deepest level up; the totals — without the units' own values, which reads take from
    the values — are written grouped per unit, in the order of the totals' unique index.
    """
    day = spans.end(period)
    closure, values = _table(Closure), _table(DataValue)
    marks = ", ".join(["%s"] * len(indicators))
    with connection.cursor() as cursor:
        for name in ("rebuild_tree", "rebuild_sums"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE rebuild_tree AS
            SELECT c.descendant_id AS unit_id, MAX(c.depth) AS level,
                   MAX(CASE WHEN c.depth = 1 THEN c.ancestor_id END) AS parent_id
              FROM {closure} c
             WHERE c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)
             GROUP BY c.descendant_id""",
            [day, day],
        )
        cursor.execute("CREATE UNIQUE INDEX rebuild_tree_unit ON rebuild_tree (unit_id)")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE rebuild_sums AS
            SELECT t.level AS level, dv.unit_id AS unit_id, 1 AS own,
                   dv.indicator_id AS indicator_id, dv.option AS option, lv.status AS status,
                   {NUMBER} AS total, 1 AS count, {NUMBER} AS low, {NUMBER} AS high
              FROM {values} dv JOIN rebuild_tree t ON t.unit_id = dv.unit_id
              JOIN {LEVELS} lv ON dv.status >= lv.status
             WHERE dv.period = %s AND dv.value_number IS NOT NULL
               AND dv.indicator_id IN ({marks})""",
            [period, *indicators],
        )
        cursor.execute("CREATE INDEX rebuild_sums_level ON rebuild_sums (level)")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE rebuild_tree")
            cursor.execute("ANALYZE rebuild_sums")
        cursor.execute("SELECT MAX(level) FROM rebuild_tree")
        top = cursor.fetchone()[0] or 0
        for level in range(top, 0, -1):
            cursor.execute(
                """INSERT INTO rebuild_sums
                    (level, unit_id, own, indicator_id, option, status, total, count, low, high)
                SELECT %s, t.parent_id, 0, s.indicator_id, s.option, s.status,
                       SUM(s.total), SUM(s.count), MIN(s.low), MAX(s.high)
                  FROM rebuild_sums s JOIN rebuild_tree t ON t.unit_id = s.unit_id
                 WHERE s.level = %s
                 GROUP BY t.parent_id, s.indicator_id, s.option, s.status""",
                [level - 1, level],
            )
        cursor.execute(
            f"""INSERT INTO {_table(Total)}
                (indicator_id, option, period, unit_id, status, total, count, low, high)
            SELECT indicator_id, option, %s, unit_id, status,
                   SUM(total), SUM(count), MIN(low), MAX(high)
              FROM rebuild_sums WHERE own = 0
             GROUP BY unit_id, indicator_id, option, status
             ORDER BY unit_id, indicator_id, option, status""",
            [period],
        )
        for name in ("rebuild_tree", "rebuild_sums"):
            cursor.execute(f"DROP TABLE {name}")


# -- outside the request ------------------------------------------------------------

BACKGROUND = False
"""Set by the server (``trienkhai serve``): ``schedule`` starts the refresh thread."""
_pending = threading.Event()
_idle = threading.Event()
_idle.set()
_worker: threading.Thread | None = None
_lock = threading.Lock()
RETRY_DELAYS = (1, 2, 5, 15, 60)
"""Seconds before a failed refresh is tried again (then every minute)."""


def schedule() -> None:
    """Run ``refresh`` in this process's background thread (started on first use; only
    in the server — elsewhere ``trienkhai rebuild-totals`` or the next server does)."""
    global _worker
    if not BACKGROUND:
        return
    with _lock:
        _idle.clear()
        _pending.set()
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="analytics-refresh", daemon=True)
            _worker.start()


def wait_idle(timeout: float) -> bool:
    """Wait until no refresh is pending or running in this process; False on timeout."""
    return _idle.wait(timeout)


def _work() -> None:
    from django.db import close_old_connections

    failures = 0
    while _pending.wait(timeout=60):
        _pending.clear()
        try:
            refresh()
            failures = 0
        except Exception:  # a failed refresh leaves its marks: tried again after a pause
            log.exception("analytics refresh failed")
            time.sleep(RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)])
            failures += 1
            _pending.set()
        finally:
            close_old_connections()
            connection.close()
        with _lock:
            if not _pending.is_set():
                _idle.set()
