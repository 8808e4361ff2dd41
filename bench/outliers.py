"""Outliers per unit from history (issue 12, Speed).

Target: the outliers of one province's communes × 50 indicators against their last 6
periods ≤ 500 ms (``GET /api/v1/outliers`` computes ``outliers.judge_subtree``). Also
measured: what the entry grid adds to its page (each cell's yardsticks, so that the
warning is computed in the browser as the person types), the outlier check of one save,
and generating the province's min-max bounds.

The province: DISTRICTS districts of COMMUNES communes (before the 2025 reform a large
province had 500-600 communes; after it, about 100-160), one half-yearly form of 50
indicators, 6 approved periods of history and the current one submitted; about 1 % of
the current values are wild (×20, ÷20 or 0).
"""

import os
import random
import time
from decimal import Decimal

from bench import setup
from bench.measure import Measurement, cpu, repeat_ms, server_pid, timed
from trienkhai.common.actors import BENCH

TITLE = "Số liệu bất thường / outliers per unit from history"
DISTRICTS = int(os.environ.get("BENCH_OUTLIER_DISTRICTS", "10"))
COMMUNES = int(os.environ.get("BENCH_OUTLIER_COMMUNES", "50"))
INDICATORS = 50
HISTORY = ["2019S1", "2019S2", "2020S1", "2020S2", "2021S1", "2021S2"]
NOW = "2022S1"


def populate(progress=print) -> tuple:
    """The bench's province with 6 approved periods and the current one submitted.
    Answers (province, communes, indicators, form, wild values made)."""
    from trienkhai.reporting.models import DataValue, Submission

    province, communes, indicators, form = setup.commune_form(DISTRICTS, COMMUNES, INDICATORS)
    progress(f"writing {len(communes) * INDICATORS * 7:,} values")
    rng = random.Random(12)
    wild = 0
    for period in [*HISTORY, NOW]:
        status = Submission.Status.SUBMITTED if period == NOW else Submission.Status.APPROVED
        Submission.objects.bulk_create(
            [Submission(form=form, unit=u, period=period, status=status) for u in communes],
            batch_size=2000,
        )
        rows = []
        for unit in communes:
            for indicator in indicators:
                # each indicator its own size, each commune within ±30 % of it
                base = (20 + indicator.pk * 37 % 400) * (0.7 + (unit.pk * 7919 % 61) / 100)
                value = max(0, round(rng.gauss(base, base * 0.08)))
                if period == NOW and rng.random() < 0.01:
                    value, wild = rng.choice([value * 20, value // 20, 0]), wild + 1
                rows.append(
                    DataValue(indicator=indicator, unit=unit, period=period, value_number=value)
                )
        DataValue.objects.bulk_create(rows, batch_size=5000)
    setup.settled()
    return province, communes, indicators, form, wild


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    from trienkhai.reporting import outliers, services

    province, communes, indicators, form, wild = populate(progress)
    period = form.period(NOW)

    found = outliers.judge_subtree(form, province, period)
    judged = repeat_ms(lambda: outliers.judge_subtree(form, province, period), runs=10, warmup=2)
    server = server_pid()
    cpu_start, server_start = time.process_time(), cpu(server)
    for _n in range(5):
        outliers.judge_subtree(form, province, period)
    cpu_ms = (time.process_time() - cpu_start) * 200
    server_ms = (cpu(server) - server_start) * 200
    cells = len(communes) * INDICATORS
    one = communes[0]
    one.versions.all()  # the grid and a save have the unit's versions loaded
    hints = repeat_ms(lambda: outliers.grid_hints(form, one, period), runs=30, warmup=3)
    indicator = indicators[0]
    saving = repeat_ms(
        lambda: outliers.save_warnings(form, one, period, [(indicator, "", 99999)]),
        runs=50,
        warmup=5,
    )
    # The grid's check of a typed value (outlier_views.check): history, bounds, siblings.
    typed = repeat_ms(
        lambda: outliers.check_value(form, one, period, indicator, "", Decimal(99999)),
        runs=50,
        warmup=5,
    )
    generate_s, generated = timed(
        lambda: services.generate_bounds(
            acting_user=BENCH, form=form, root=province, period_id=HISTORY[-1]
        )
    )
    with_bounds = repeat_ms(
        lambda: outliers.judge_subtree(form, province, period), runs=10, warmup=1
    )
    load = os.getloadavg()[0]
    connection.close()
    size = f"{len(communes):,} communes × {INDICATORS} indicators"
    return [
        Measurement(
            "outliers_province_median_ms",
            f"Outliers of one province ({size}) against their last 6 periods, median",
            round(judged["median"], 1),
            "ms",
            500,
            f"p95 {judged['p95']:.0f} ms over {judged['runs']} runs; {cells:,} values judged "
            f"with {cells * 6:,} of history; {len(found):,} outliers found ({wild} made wild); "
            f"load average {load:.1f} after",
        ),
        Measurement(
            "outliers_province_cpu_ms",
            "the same in CPU time per run (ours + the PostgreSQL server's; SQLite's is ours)",
            round(cpu_ms + server_ms, 1),
            "ms",
            500,
            f"ours {cpu_ms:.0f} ms + server {server_ms:.0f} ms, mean of 5 runs: what the "
            "wall clock would say on a machine to itself",
        ),
        Measurement(
            "outliers_province_bounds_median_ms",
            "the same once the province's min-max bounds are generated, median",
            round(with_bounds["median"], 1),
            "ms",
            500,
            f"p95 {with_bounds['p95']:.0f} ms; {generated.created:,} bounds read with the values",
        ),
        Measurement(
            "outliers_grid_hints_median_ms",
            f"What the entry grid adds to its page: the yardsticks of {INDICATORS} cells, median",
            round(hints["median"], 2),
            "ms",
            50,
            f"p95 {hints['p95']:.1f} ms; the warning itself is then computed in the browser",
        ),
        Measurement(
            "outliers_save_check_median_ms",
            "The outlier check of one saved cell (history and bounds: `save_warnings`), median",
            round(saving["median"], 2),
            "ms",
            50,
            f"p95 {saving['p95']:.1f} ms over {saving['runs']} runs; one statement",
        ),
        Measurement(
            "outliers_check_typed_median_ms",
            "The grid's check of one typed value (`check_value`: history, bounds and "
            "siblings), median",
            round(typed["median"], 2),
            "ms",
            50,
            f"p95 {typed['p95']:.1f} ms over {typed['runs']} runs; one statement; what "
            "`GET …/kiem-tra/` asks after a keystroke",
        ),
        Measurement(
            "outliers_generate_bounds_s",
            f"Generate the min-max bounds of the province ({size})",
            round(generate_s, 2),
            "s",
            30,
            f"{generated.created:,} bounds created, with their history rows; a manager's "
            "occasional action, not a target of the issue",
        ),
    ]


NOTES = """\
`reporting.outliers` reads in one statement per 500 units (UNION ALL, the same SQL on
both databases) rows of five columns — unit, indicator, option, period, number: the
values of the period and of the six before; the reports that count (submitted,
approved), indicator 0, read apart rather than joined to each value (SQLite looked a
report up once per value); the units' bounds (period `<` and `>`); and the siblings
beside the subtree's root (period `~`). Each list of units, periods or indicators is
one parameter (`bulk_insert.among`: an array on PostgreSQL, a JSON array on SQLite),
not a placeholder per item for psycopg to split in Python; SQLite seeks per (unit,
period) and keeps the indicators asked as it reads them, not one seek per indicator
(half its work on the values before). Pivoting the
periods in SQL (`GROUP BY` with `MAX(CASE …)`) was measured earlier and cost more
(CPU 877 ms SQLite, 397 + 344 ms PostgreSQL); a `group_concat` per cell (24,500 rows
rather than 171,500) cost SQLite as much as it saved Python. PostgreSQL, with its
statistics, reads the values of the 50 indicators through `datavalue_indicator_period`
(a bitmap scan: 175,000 rows in 100 ms of execution, `EXPLAIN ANALYZE` on 06/12/2026)
and keeps the units and periods asked; a join to `unnest` of the units cost it twice as much. The province's subtree
comes from `orgs.queries.subtree`. The rows then become arrays (numpy, decision 0028,
`reporting/outliers/fast.py`): each cell's values by period slot, whether each unit's
report of each period counts, the bounds; every cell's median and MAD (or mean and sd)
over its counted history, its bounds and its siblings' group (measured once per
parent, kind, indicator and option by `stats.spread`) are compared at once, and only a
value that might be an outlier goes to the plain `_Judge.judge`, which writes the
finding. Before, the rows were pivoted into a list per cell (~120 ms) and every value
judged in Python (~5 µs each): CPU per run 748 ms SQLite, 470 + 204 ms PostgreSQL at
load 13. The plain path stays as the oracle (`reference=True`; the property test
`tests/reporting/test_outliers_fast.py`). The grid gets each cell's usual range with
the page and judges what is typed in the browser; `check_value` (the grid's
`kiem-tra/` request) and the save ask again, in one statement, judged plainly (50
cells). The same findings before and
after (the 996 outliers of this province compared whole). The machine is shared
(2 cores, five engineers' tests): the CPU-time row says what a run costs, the wall
clock what the load let it take."""
