"""Live rollups at national scale, side by side with DuckDB over the same raw values.

A synthetic country: 63 provinces × 10 districts × 15 communes × ``HAMLETS`` hamlets
(104,643 units in four levels with the default 10), 50 indicators; every hamlet reports
every indicator for ``PERIODS`` periods (env ANALYTICS_PERIODS, default 10: 47 M values,
the size issue 4 asks for; 1 period: 4.7 M). Values are generated in SQL
(INSERT … SELECT), the closure and the totals are rebuilt from them, and the raw values
and the unit → ancestor mapping are exported to Parquet for DuckDB.

Targets (issue 4):
- one indicator, one period, all provinces: trienkhai / DuckDB ≤ 1.0;
- a whole 50-indicator table for one province's communes: ≤ 150 ms;
- keeping rollups live costs ≤ 2× a plain save per value.
"""

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.measure import Measurement, repeat_ms, timed
from trienkhai.common.actors import BENCH

TITLE = "Phân tích / analytics (live rollups vs DuckDB)"
PROVINCES, DISTRICTS, COMMUNES = 63, 10, 15
HAMLETS = int(os.environ.get("ANALYTICS_HAMLETS", "10"))
PERIODS = ["2020S1", "2020S2", "2021S1", "2021S2", "2022S1", "2022S2", "2023S1", "2023S2"]
PERIODS += ["2024S1", "2024S2"]
N_PERIODS = int(os.environ.get("ANALYTICS_PERIODS", "10"))
INDICATORS = 50
DAY = dt.date(2015, 1, 1)
NOTES = """The full size of issue 4: 104,643 units in four levels, 50 indicators, 10
periods, 47.25 M values. The live rollups answer from the totals of the units above
the asked ones' values (a unit's own values are read beside them, from the values, by
the same query — decision 0013): one indexed read of 63 total rows (all provinces), or
of 7,500 values (a province's 150 communes × 50 indicators: communes have nobody
below), whatever the number of values below; DuckDB scans the values of the indicator
and period and joins them to the unit → ancestor mapping, so its time grows with the
values while ours does not. "Save" is services.save_values of a 50-cell form for one
hamlet (a new period: inserts), with the live-rollup receiver connected or disconnected.

How the data is made (each step was too slow at this size before): the values go in
with one INSERT … SELECT per period, in unit order, with the values' secondary indexes
and (PostgreSQL) foreign keys dropped and rebuilt once at the end (rebuild.bulk_mode:
PostgreSQL wrote ~14,000 rows/s with the six indexes and the deferred foreign-key
triggers); the totals are rebuilt bottom-up per period (own values, then each level
from the one below, in temporary tables) and, on PostgreSQL, into the table without its
unique index (rebuilt once at the end); the export to Parquet is COPY on PostgreSQL.

Reorganisation rows: a district (165 units below it) moves to another province from
01/01/2020, so every stored period is reached. The change's own request only leaves
marks; a read while stale is computed from the values (here: one indicator, one period,
all provinces); rebuild.refresh, outside the request (the server's thread after the
commit, or trienkhai rebuild-totals), writes the closure rows that differ and
recomputes only the totals of the old and new ancestors (two provinces) per period,
checked equal to the stale read. Before 23/11/2026 the move's next request rebuilt
every period's totals (about the "totals rebuilt" row).

Earlier runs (23/11/2026), when the totals also held each unit's own values (52.3 M
total rows): both databases side by side on a loaded machine (load 10–19): table
39.9 ms SQLite / 502 ms PostgreSQL, rebuild 1,561 / 1,322 s; PostgreSQL alone, quiet:
table 187 ms (p95 280), rebuild 376 s, all provinces 0.10× DuckDB, live cost 1.18×;
then the read fixed (the indicators a filter of each (unit, period) index range rather
than 67,500 index descents): 50.2 ms median, p95 77.8 ms on that PostgreSQL database."""


def _units(progress) -> dict[str, list[int]]:
    """The four levels under the root, inserted in bulk; ids by level."""
    from trienkhai.common.bulk_insert import insert_rows
    from trienkhai.orgs.kinds import ROOT_CODE
    from trienkhai.orgs.models import Unit, UnitKind, UnitVersion

    kinds = dict(UnitKind.objects.values_list("code", "id"))
    root = Unit.objects.get(code=ROOT_CODE).pk
    levels: dict[str, list[int]] = {}
    parents = {ROOT_CODE: root}
    plan = [("province", PROVINCES, "T"), ("district", DISTRICTS, "H"), ("commune", COMMUNES, "X")]
    plan.append(("party_cell", HAMLETS, "A"))
    for kind, count, letter in plan:
        codes = {
            f"{parent}{letter}{n:02d}" if parent != ROOT_CODE else f"{letter}{n:02d}": parent
            for parent in parents
            for n in range(count)
        }
        insert_rows(Unit, ("code", "valid_from"), [(code, DAY) for code in codes])
        ids = dict(Unit.objects.filter(code__in=list(codes)).values_list("code", "id"))
        rows = [
            (ids[code], f"Đơn vị {code}", code.lower(), kinds[kind], parents[parent], DAY)
            for code, parent in codes.items()
        ]
        names = ("unit_id", "name", "search_key", "kind_id", "parent_id", "valid_from")
        insert_rows(UnitVersion, names, rows)
        levels[kind] = list(ids.values())
        parents = ids
        progress(f"{len(ids):,} {kind}")
    return levels


def _export(path: Path, sql: str) -> None:
    """The rows of ``sql`` as CSV: COPY on PostgreSQL, the csv module on SQLite."""
    from django.db import connection

    with open(path, "wb") as out, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    out.write(block)
            return
        cursor.execute(sql)
        text = io.TextIOWrapper(out, newline="", encoding="utf-8")
        writer = csv.writer(text)
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)
        text.flush()
        text.detach()


def _reorganise(provinces, codes, indicator, periods, progress) -> list[Measurement]:
    """A district moves to another province from 01/01/2020 (every stored period): what
    the change costs its own request, a read while the totals are stale (answered from
    the values), and the refresh that runs outside the request."""
    from trienkhai.analytics import engine, rebuild
    from trienkhai.orgs import services as orgs
    from trienkhai.orgs.models import Unit

    district = Unit.objects.filter(code__startswith=Unit.objects.get(pk=provinces[0]).code)
    district = district.filter(code__regex=r"^T\d\dH\d\d$").order_by("code").first()
    into = Unit.objects.get(pk=provinces[1])
    change_s, _ = timed(
        lambda: orgs.change_unit(
            acting_user=BENCH, unit=district, on=dt.date(2020, 1, 1), parent=into
        )
    )
    asked = dict(indicators=[indicator], periods=[periods[-1]], units=list(codes))
    stale_s, stale = timed(lambda: engine.rollup(**asked))
    cpu = time.process_time()
    refresh_s, rebuilt = timed(rebuild.refresh)
    refresh_cpu = time.process_time() - cpu
    fresh = engine.rollup(**asked)
    assert [c.value for c in fresh] == [c.value for c in stale], "stale read differs"
    progress(f"reorganisation: change {change_s:.2f} s, refresh {refresh_s:.1f} s")
    return [
        Measurement(
            "reorg_change_ms",
            "a district moves province (from 01/01/2020): the change's own request",
            round(change_s * 1000, 1),
            "ms",
            float("inf"),
            "receivers leave a mark; nothing rebuilt in the request",
        ),
        Measurement(
            "reorg_stale_read_ms",
            "then 1 indicator, all provinces, while stale (from the values)",
            round(stale_s * 1000, 1),
            "ms",
            float("inf"),
            "the same answer as after the refresh",
        ),
        Measurement(
            "reorg_refresh_s",
            "refresh outside the request (closure diff, reached totals)",
            round(refresh_s, 1),
            "s",
            float("inf"),
            f"{len(rebuilt)} periods touched; CPU in Python {refresh_cpu:.1f} s",
        ),
    ]


def run(progress=print) -> list[Measurement]:
    import duckdb
    from django.db import connection, transaction
    from django.utils import timezone

    from trienkhai.analytics import engine, live, rebuild, receivers
    from trienkhai.analytics.models import Closure, Total
    from trienkhai.orgs.kinds import ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind
    from trienkhai.reporting import services
    from trienkhai.reporting.models import DataValue, Indicator
    from trienkhai.reporting.services import CellInput
    from trienkhai.reporting.signals import values_changed

    ensure_standard_data()
    levels = _units(progress)
    aggregations = ["sum"] * 40 + ["average"] * 5 + ["max"] * 5
    Indicator.objects.bulk_create(
        Indicator(code=f"bm_{n:02d}", name=f"Chỉ tiêu {n}", aggregation=aggregations[n])
        for n in range(INDICATORS)
    )
    indicators = list(Indicator.objects.filter(code__startswith="bm_").order_by("code"))
    hamlet_kind = UnitKind.objects.get(code="party_cell").pk
    periods = PERIODS[:N_PERIODS]
    values, versions = DataValue._meta.db_table, "orgs_unitversion"
    now = timezone.now()

    def generate():
        # The values' secondary indexes and foreign keys are rebuilt once at the end
        # (rebuild.bulk_mode), each period one transaction, rows in unit order.
        with rebuild.bulk_mode(DataValue):
            for period in periods:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        f"""INSERT INTO {values} (indicator_id, option, unit_id, period,
                            value_number, value_text, comment, version, modified)
                        SELECT i.id, '', v.unit_id, %s, (v.unit_id * 7 + i.id * 13) %% 97,
                               '', '', 1, %s
                          FROM {versions} v CROSS JOIN reporting_indicator i
                         WHERE v.kind_id = %s AND i.code LIKE 'bm%%'
                         ORDER BY v.unit_id, i.id""",
                        [period, now, hamlet_kind],
                    )
                progress(f"values of {period}")
            progress("indexes of the values ...")

    generate_s, _ = timed(generate)
    count = DataValue.objects.count()
    progress(f"{count:,} values in {generate_s:.0f} s; closure and totals ...")
    closure_s, _ = timed(live.rebuild_closure)
    rebuild_s, _ = timed(lambda: rebuild.rebuild_all(closure=False))
    progress(
        f"closure {closure_s:.1f} s, totals {rebuild_s:.1f} s ({Total.objects.count():,} rows)"
    )

    # DuckDB over the same raw values, exported to Parquet.
    folder = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    period = periods[0]
    duck = duckdb.connect()
    duck.execute("SET threads TO 2")

    def export():
        _export(
            folder / "values.csv",
            f"SELECT unit_id, indicator_id, period, value_number FROM {values}",
        )
        _export(
            folder / "ancestors.csv",
            f"SELECT descendant_id, ancestor_id FROM {Closure._meta.db_table}",
        )
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{folder / 'values.csv'}', names=['unit_id','indicator_id','period','value'], "
            f"types={{'unit_id':'BIGINT','indicator_id':'BIGINT','period':'VARCHAR','value':'DECIMAL(20,4)'}})) "
            f"TO '{folder / 'values.parquet'}' (FORMAT parquet)"
        )
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{folder / 'ancestors.csv'}', names=['descendant','ancestor'])) "
            f"TO '{folder / 'ancestors.parquet'}' (FORMAT parquet)"
        )
        for name in ("values.csv", "ancestors.csv"):
            (folder / name).unlink()

    export_s, _ = timed(export)
    progress(f"exported to Parquet in {export_s:.0f} s")
    provinces = levels["province"]
    target = indicators[0]
    marks = ", ".join(str(p) for p in provinces)
    duck_sql = f"""
        SELECT a.ancestor, SUM(v.value) FROM '{folder / "values.parquet"}' v
          JOIN '{folder / "ancestors.parquet"}' a ON a.descendant = v.unit_id
         WHERE v.indicator_id = {target.pk} AND v.period = '{period}' AND a.ancestor IN ({marks})
         GROUP BY a.ancestor"""
    duck_answer = {row[0]: row[1] for row in duck.execute(duck_sql).fetchall()}
    codes = dict(Unit.objects.filter(pk__in=provinces).values_list("code", "id"))
    ours = engine.rollup(indicators=[target.code], periods=[period], units=list(codes))
    assert {codes[c.unit]: c.value for c in ours} == duck_answer, "answers differ"
    duck_ms = repeat_ms(lambda: duck.execute(duck_sql).fetchall(), runs=20, warmup=2)
    ours_ms = repeat_ms(
        lambda: engine.rollup(indicators=[target.code], periods=[period], units=list(codes)),
        runs=50,
    )

    province = next(code for code, pk in codes.items() if pk == provinces[0])
    all_codes = [i.code for i in indicators]

    def table():
        communes = engine.units_at_level(province, 2, dt.date(2020, 6, 30))
        return engine.rollup(indicators=all_codes, periods=[period], units=communes)

    table_ms = repeat_ms(table, runs=20, warmup=2)
    cells = len(table())

    # The cost of a save with and without the live rollups.
    form = services.create_form(
        acting_user=BENCH,
        code="BM",
        name="Biểu thử",
        owner=Unit.objects.get(pk=provinces[0]),
        period_type="sixmonthly",
        indicators=indicators,
        kind=UnitKind.objects.get(code="party_cell"),
        valid_from=DAY,
    )
    hamlets = list(
        Unit.objects.filter(code__startswith=province, code__contains="A").order_by("code")[:60]
    )
    save_period = "2025S1"
    cells_in = [CellInput(indicator=i.code, value=str(n + 1)) for n, i in enumerate(indicators)]
    queue = iter(hamlets)
    today = dt.date(2025, 7, 1)

    def save():
        services.save_values(
            acting_user=BENCH,
            form=form,
            unit=next(queue),
            period_id=save_period,
            cells=cells_in,
            today=today,
        )

    live_ms = repeat_ms(save, runs=25, warmup=3)
    values_changed.disconnect(dispatch_uid="analytics.live")
    plain_ms = repeat_ms(save, runs=25, warmup=3)
    values_changed.connect(receivers.on_values_changed, dispatch_uid="analytics.live")
    per_live = live_ms["median"] / len(cells_in)
    per_plain = plain_ms["median"] / len(cells_in)
    duck.close()
    shutil.rmtree(folder)
    reorganisation = _reorganise(provinces, codes, target.code, periods, progress)
    connection.close()
    ratio = ours_ms["median"] / duck_ms["median"]
    return [
        Measurement(
            "values",
            f"values generated (INSERT … SELECT), {len(periods)} period(s)",
            count,
            "values",
            float("inf"),
            f"{generate_s:.0f} s; {sum(len(v) for v in levels.values()):,} units",
        ),
        Measurement(
            "rebuild_s",
            "totals rebuilt from scratch (closure + grouped insert)",
            round(closure_s + rebuild_s, 1),
            "s",
            float("inf"),
            f"closure {closure_s:.1f} s, totals {rebuild_s:.1f} s",
        ),
        Measurement(
            "provinces_ratio",
            "1 indicator, 1 period, all 63 provinces: trienkhai / DuckDB",
            round(ratio, 3),
            "×",
            1.0,
            f"trienkhai {ours_ms['median']:.2f} ms, DuckDB {duck_ms['median']:.1f} ms (Parquet)",
        ),
        Measurement(
            "province_table_ms",
            f"50-indicator table, one province's communes ({cells:,} cells)",
            round(table_ms["median"], 1),
            "ms",
            150.0,
            f"p95 {table_ms['p95']:.1f} ms",
        ),
        *reorganisation,
        Measurement(
            "live_cost_ratio",
            "cost per saved value, live rollups / plain save",
            round(per_live / per_plain, 2),
            "×",
            2.0,
            f"{per_live:.3f} ms vs {per_plain:.3f} ms per value (50-cell saves)",
        ),
    ]
