"""The data-quality page (issue 12 item 6): one province's communes over 6 periods.

The brief: "one province's communes over 6 periods should answer in well under a
second". The province: DISTRICTS districts of COMMUNES communes (by default 150
communes, a province after the 2025 reform; BENCH_QUALITY_* make it larger), one
half-yearly form of 50 indicators, two validation rules and one compulsory indicator;
12 approved periods (6 of history, then the span), about 1 % of the span's values wild,
a few reports missing and cells empty. Measured: ``quality.quality`` (outliers by each
method, failed rules, follow-ups, gaps, notes) for the span, what the page and the API
compute.
"""

import datetime as dt
import os
import random
import time

from bench import setup
from bench.measure import Measurement, cpu, repeat_ms, server_pid
from trienkhai.common.actors import BENCH

TITLE = "Chất lượng số liệu / the data-quality page"
DISTRICTS = int(os.environ.get("BENCH_QUALITY_DISTRICTS", "5"))
COMMUNES = int(os.environ.get("BENCH_QUALITY_COMMUNES", "30"))
INDICATORS = 50
PERIODS = [f"{year}S{half}" for year in range(2019, 2025) for half in (1, 2)]
SPAN = PERIODS[6:]


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    from trienkhai.reporting import quality, services
    from trienkhai.reporting.models import DataValue, Submission, ValidationRule

    province, communes, indicators, form = setup.commune_form(DISTRICTS, COMMUNES, INDICATORS)
    services.set_submission_rules(
        acting_user=BENCH, form=form, compulsory=indicators[:3], complete_only_if_valid=False
    )
    ValidationRule.objects.create(
        form=form, left="ct_01", operator="<=", right="ct_02 * 3", message="a"
    )
    ValidationRule.objects.create(
        form=form, left="ct_03", operator=">=", right="ct_04 / 4", message="b"
    )
    progress(f"writing {len(communes) * INDICATORS * len(PERIODS):,} values")
    rng = random.Random(12)
    for period in PERIODS:
        reporting = [u for u in communes if period not in SPAN or rng.random() > 0.02]
        Submission.objects.bulk_create(
            [
                Submission(form=form, unit=u, period=period, status=Submission.Status.APPROVED)
                for u in reporting
            ],
            batch_size=2000,
        )
        rows = []
        for unit in reporting:
            for indicator in indicators:
                base = (20 + indicator.pk * 37 % 400) * (0.7 + (unit.pk * 7919 % 61) / 100)
                value = max(0, round(rng.gauss(base, base * 0.08)))
                if period in SPAN and rng.random() < 0.01:
                    value = rng.choice([value * 20, value // 20, 0])
                if period in SPAN and rng.random() < 0.002:
                    continue  # an empty cell
                rows.append(
                    DataValue(indicator=indicator, unit=unit, period=period, value_number=value)
                )
        DataValue.objects.bulk_create(rows, batch_size=5000)
    setup.settled()
    span = quality.span_of(form, SPAN[0], SPAN[-1])
    today = dt.date(2026, 1, 1)

    def read():
        return quality.quality(form, province, span, state="all", today=today)

    found = read()
    timed = repeat_ms(read, runs=5, warmup=1)
    server = server_pid()
    cpu_start, server_start = time.process_time(), cpu(server)
    for _n in range(3):
        read()
    cpu_ms = (time.process_time() - cpu_start) * 1000 / 3
    server_ms = (cpu(server) - server_start) * 1000 / 3
    load = os.getloadavg()[0]
    connection.close()
    counts = found.counts()
    return [
        Measurement(
            "quality_province_median_ms",
            f"The data-quality page of one province ({len(communes):,} communes × "
            f"{INDICATORS} indicators) over {len(span)} periods, median",
            round(timed["median"], 1),
            "ms",
            1000,
            f"p95 {timed['p95']:.0f} ms over {timed['runs']} runs; "
            f"{len(communes) * INDICATORS * len(span):,} values judged; {counts}; "
            f"load average {load:.1f} after",
        ),
        Measurement(
            "quality_province_cpu_ms",
            "the same in CPU time per run (ours + the PostgreSQL server's)",
            round(cpu_ms + server_ms, 1),
            "ms",
            1000,
            f"ours {cpu_ms:.0f} ms + server {server_ms:.0f} ms, mean of 3 runs",
        ),
    ]


NOTES = """`reporting.quality` reads the span's outliers with `outliers.span_findings`: the
values of the six periods of the span and the six before it in one statement per 500
units (reading each period with its own history read 42 period-columns instead of 12),
then judges each period as `subtree_findings` does (a test holds the two equal). Failed
rules and empty compulsory cells read only the indicators the rules and the compulsory
cells name, with each rule parsed once. Most of the remaining time is the judging of
45,000 values in Python (`_Judge.judge`, `stats.measure`): on SQLite, CPU 1,961 ms per
run before these changes and 1,013 ms after (runs at load 10–13; the table's run was at
load 15–17). The wall clock on this shared 2-core machine says mostly how busy it was."""
