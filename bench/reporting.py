"""Periodic reporting at scale: .xlsx round trip, bulk import, completeness.

Targets (issue 3, Speed):
- .xlsx round trip of a 60-indicator × 6-option form (download + upload + save): ≤ 1 s;
- bulk import from CSV: ≥ 50,000 values/s (measured as the time per 1,000 values, ≤ 20 ms);
- completeness over 10,000 units: ≤ 200 ms.
"""

import csv
import datetime as dt
import io

from bench.measure import Measurement, repeat_ms, timed

TITLE = "Báo cáo định kỳ / periodic reporting (Excel, bulk import, completeness)"
UNITS = 10_000
BULK_INDICATORS = 20
PERIOD = "2020S1"
NEXT_PERIOD = "2020S2"


def _units(owner, kind, day: dt.date) -> list:
    """UNITS communes under ``owner``, written with two multi-row inserts."""
    from trienkhai.orgs.models import Unit, UnitVersion
    from trienkhai.vn import fold

    units = Unit.objects.bulk_create(
        [Unit(code=f"XA{n:05d}", valid_from=day) for n in range(UNITS)], batch_size=2000
    )
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=unit,
                name=f"Xã thử {unit.code}",
                kind=kind,
                parent=owner,
                valid_from=day,
                search_key=fold(f"Xã thử {unit.code}"),
            )
            for unit in units
        ],
        batch_size=2000,
    )
    return units


def run(progress=print) -> list[Measurement]:
    from django.db import connection
    from openpyxl import load_workbook

    from trienkhai.accounts.services import add_user
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind
    from trienkhai.reporting import bulk, excel, services
    from trienkhai.reporting.models import Disaggregation, Submission
    from trienkhai.reporting.signals import values_changed

    ensure_standard_data()
    day = dt.date(2015, 1, 1)
    owner = org_services.create_unit(
        acting_user=None,
        code="TINH",
        name="Tỉnh thử",
        kind=UnitKind.objects.get(code="province"),
        parent=Unit.objects.get(code=ROOT_CODE),
        valid_from=day,
    )
    progress(f"creating {UNITS:,} units")
    units = _units(owner, UnitKind.objects.get(code="commune"), day)
    manager = add_user(
        acting_user=None, username="quanly", password="x-bench-x", unit=owner, role="manager"
    )

    # (a) .xlsx round trip of a 60 × 6 form ------------------------------------------
    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng")
    for n in range(6):
        groups.options.create(code=f"nhom_{n}", name=f"Nhóm {n}", sort_order=n)
    wide = [
        services.create_indicator(
            acting_user=None, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}", disaggregation=groups
        )
        for n in range(60)
    ]
    big = services.create_form(
        acting_user=None,
        code="RONG",
        name="Biểu 60 chỉ tiêu",
        owner=owner,
        period_type="sixmonthly",
        indicators=wide,
        units=[units[0]],
        valid_from=day,
    )
    unit = units[0]
    download_s, data = timed(lambda: excel.form_workbook(big, unit, PERIOD))
    book = load_workbook(io.BytesIO(data))
    sheet = book[excel.DATA_SHEET]
    for row in sheet.iter_rows(min_row=excel.FIRST_ROW, min_col=5, max_col=10):
        for cell in row:
            cell.value = 1234
    out = io.BytesIO()
    book.save(out)
    filled = out.getvalue()

    def upload():
        cells = excel.read_form_workbook(filled, form=big, unit=unit, period_id=PERIOD)
        return services.save_values(
            acting_user=manager, form=big, unit=unit, period_id=PERIOD, cells=cells
        )

    upload_s, result = timed(upload)
    assert result.saved == 360, result.saved
    again_s, _ = timed(lambda: excel.form_workbook(big, unit, PERIOD))

    # (b) bulk import ------------------------------------------------------------------
    narrow = [
        services.create_indicator(acting_user=None, code=f"so_{n:02d}", name=f"Số {n}")
        for n in range(BULK_INDICATORS)
    ]
    form = services.create_form(
        acting_user=None,
        code="XA",
        name="Biểu các xã",
        owner=owner,
        period_type="sixmonthly",
        indicators=narrow,
        kind=UnitKind.objects.get(code="commune"),
        valid_from=day,
    )
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(bulk.COLUMNS)
    for target in units:
        for n, indicator in enumerate(narrow):
            writer.writerow([form.code, target.code, PERIOD, indicator.code, "", n * 37 + 5, ""])
    payload = text.getvalue().encode()
    count = UNITS * BULK_INDICATORS
    progress(f"importing {count:,} values ({len(payload) / 1e6:.1f} MB of CSV)")
    import_s, saved = timed(
        lambda: bulk.import_values(acting_user=manager, name="bench.csv", data=payload)
    )
    assert saved == count, saved
    changed = payload.replace(b",5,\r\n", b",6,\r\n")
    reimport_s, resaved = timed(
        lambda: bulk.import_values(acting_user=manager, name="bench.csv", data=changed)
    )
    # The same import into the next period with nobody listening to values_changed:
    # reporting's own part, apart from what receivers (the live rollups) add.
    listeners = list(values_changed.receivers)
    values_changed.receivers.clear()
    values_changed.sender_receivers_cache.clear()
    try:
        alone_s, _ = timed(
            lambda: bulk.import_values(
                acting_user=manager,
                name="bench.csv",
                data=payload.replace(f",{PERIOD},".encode(), f",{NEXT_PERIOD},".encode()),
            )
        )
    finally:
        values_changed.receivers[:] = listeners
        values_changed.sender_receivers_cache.clear()

    # (c) completeness over 10,000 units ------------------------------------------------
    half = [u.pk for u in units[: UNITS // 2]]
    for start in range(0, len(half), 500):
        Submission.objects.filter(form=form, unit_id__in=half[start : start + 500]).update(
            status=Submission.Status.SUBMITTED,
            first_submitted=dt.datetime(2020, 7, 5, tzinfo=dt.UTC),
        )
    found = services.completeness(form, PERIOD, owner)
    assert found.expected == UNITS and found.submitted == UNITS // 2, found.expected
    stats = repeat_ms(lambda: services.completeness(form, PERIOD, owner), runs=10, warmup=2)
    connection.close()

    return [
        Measurement(
            "xlsx_round_trip_s",
            ".xlsx round trip of a 60-indicator × 6-option form: download + upload + save",
            round(download_s + upload_s, 3),
            "s",
            1,
            f"download {download_s * 1000:.0f} ms (again, with the 360 values: "
            f"{again_s * 1000:.0f} ms), read and check {upload_s * 1000:.0f} ms "
            "including `services.save_values` of 360 cells",
        ),
        Measurement(
            "bulk_import_ms_per_1000",
            "Bulk import from CSV, milliseconds per 1,000 values (target: ≥ 50,000 values/s)",
            round(import_s * 1000 / (count / 1000), 2),
            "ms",
            20,
            f"{count:,} new values for {UNITS:,} units in {import_s:.2f} s = "
            f"{count / import_s:,.0f} values/s; again with {resaved:,} changed: "
            f"{reimport_s:.2f} s = {count / reimport_s:,.0f} rows/s",
        ),
        Measurement(
            "bulk_import_alone_ms_per_1000",
            "the same, reporting alone (no receiver of `values_changed`): ms per 1,000 values",
            round(alone_s * 1000 / (count / 1000), 2),
            "ms",
            20,
            f"{count:,} new values in {alone_s:.2f} s = {count / alone_s:,.0f} values/s",
        ),
        Measurement(
            "completeness_10000_ms",
            f"Completeness of a form assigned by kind to {UNITS:,} units under one owner, median",
            round(stats["median"], 1),
            "ms",
            200,
            f"p95 {stats['p95']:.0f} ms over {stats['runs']} runs; half submitted",
        ),
    ]


NOTES = """\
The bulk import checks the rules of a single save through the same code
(`reporting.entry.refusals`, also behind `services.check_can_enter`) once per (form,
period) for all its units — the policy in one batch, the expected units once, the
reports' locks per chunk of 500 units — and then works on plain tuples: CSV cells are
stripped directly, each indicator's value parser is chosen once, the indicators a form
had during a period are listed once per period (they were tested row by row before: 1 s
of 200,000 rows), existing values are read per period and chunk of units, displays are
memoised per value. Values, their change rows and new draft reports are written with
`COPY` (PostgreSQL) or one `executemany` (SQLite), in one transaction; every change
keeps its `DataValueChange` row, and `values_changed` is sent once with every change.

Where the time goes (cProfile of the 200,000-value import, PostgreSQL, on a busy
machine, so in proportions): without the analytics receiver, about 30 % is the commit —
PostgreSQL's deferred foreign-key checks, one trigger query per key of each of the
410,000 inserted rows (unit, indicator, user on the value and on its change row, form
and unit on the new reports) —, about 45 % is COPY (psycopg formatting rows in Python
and the server writing two tables with five indexes), and the rest is ours: reading
the CSV (≈ 5 %), checks and parsing (≈ 5 %), units, policy and expected units (≈ 5 %).
The analytics receiver added to `values_changed` (rollups kept live inside the same
transaction, another engineer's work) more than doubled the import's time in that
profile (about 70 s of 144 s): the import now pays for the rollups of 200,000 values.
So the 50,000 values/s target is not reachable by tuning the import: the storage (two
rows and six foreign keys per value) and the live rollups are the limit. Options, for a
decision: keep the change log of an import as one row per import (who, when, file) with
the old values, rather than one row per value; check foreign keys once per import
(the import already resolved every code to an id) instead of per row; let the rollups
of a bulk import be recomputed once per (indicator, period) rather than per value.

The .xlsx round trip and completeness pass; completeness moves with the machine's load
(the machine is shared by several engineers running tests)."""
