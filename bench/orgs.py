"""Units in time at national scale: importing the official divisions, reading subtrees.

Targets (issue: divisions import, hierarchy reads):
- the whole country's divisions before and after 2025-07-01, with lineage: < 30 s;
- the subtree of a province on a date, whole country loaded: median and p95 < 20 ms.
"""

import datetime as dt

from bench.measure import Measurement, repeat_ms, timed

TITLE = "Đơn vị hành chính / administrative divisions (orgs)"
RUNS = 100


def run(progress=print) -> list[Measurement]:
    from django.db import connection, reset_queries

    from trienkhai.orgs import queries
    from trienkhai.orgs.divisions import import_divisions
    from trienkhai.orgs.models import LineageLink, Unit

    seconds, summary = timed(lambda: import_divisions(progress=progress))
    again, _ = timed(import_divisions)
    units = summary["units_created"]
    links = LineageLink.objects.count()
    results = [
        Measurement(
            "import_country_s",
            "Import the whole country's divisions, before and after 2025, with lineage",
            round(seconds, 2),
            "s",
            30,
            f"{units:,} units, {links:,} lineage links, one transaction",
        ),
        Measurement(
            "reimport_country_s",
            "Run the import again (nothing to add)",
            round(again, 2),
            "s",
            30,
            "idempotent: reads and compares only",
        ),
    ]
    cases = [
        ("HC04-38", dt.date(2020, 1, 1), "Thanh Hóa (HC04-38) on 2020-01-01"),
        ("HC25-38", dt.date(2026, 1, 1), "Thanh Hóa (HC25-38) on 2026-01-01"),
    ]
    for code, day, label in cases:
        unit = Unit.objects.get(code=code)
        found = queries.descendants(unit, day)
        reset_queries()
        timing = repeat_ms(lambda unit=unit, day=day: queries.descendants(unit, day), runs=RUNS)
        note = f"{len(found):,} units in the subtree, {RUNS} runs"
        slug = code.lower().replace("-", "_")
        results.append(
            Measurement(
                f"descendants_{slug}_median_ms",
                f"`queries.descendants` of {label}, median",
                round(timing["median"], 2),
                "ms",
                20,
                note,
            )
        )
        results.append(
            Measurement(
                f"descendants_{slug}_p95_ms",
                f"`queries.descendants` of {label}, p95",
                round(timing["p95"], 2),
                "ms",
                20,
                note,
            )
        )
        unit_id = unit.pk
        cte = repeat_ms(lambda u=unit_id, d=day: queries.descendant_ids(u, d), runs=RUNS)
        results.append(
            Measurement(
                f"descendant_ids_{slug}_median_ms",
                f"of which the recursive CTE alone (`queries.descendant_ids`), {label}, median",
                round(cte["median"], 2),
                "ms",
                20,
                "diagnosis: the rest is loading the versions as model objects",
            )
        )
    connection.close()
    return results


NOTES = """\
Why the 2020 subtree misses 20 ms: `queries.descendants` runs the recursive CTE for the
subtree's ids (the diagnosis rows), then a second query for those versions with
`select_related("unit", "kind", "parent")` and the model's default ordering. That builds
four model objects per unit (about 2,300 for the 575 units of Thanh Hóa in 2020) and
sorts by unit code; most of the time goes there, and on PostgreSQL the 575-value `IN`
list is interpolated by the driver too. A single CTE that also returns the version and
unit columns (loaded with `UnitVersion.objects.raw`, kinds from a 12-row cache, parents
taken from the units already in the result, no ORDER BY) gave the same answer in a
little over half the time when this was written (13 ms instead of 22 on SQLite, 18
instead of 32 on PostgreSQL); returning plain rows instead of model objects takes about
2 ms. The machine is shared (2 cores, other test runs at the same time), so the numbers,
p95 above all, move with its load."""
