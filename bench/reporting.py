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
            "completeness_10000_ms",
            f"Completeness of a form assigned by kind to {UNITS:,} units under one owner, median",
            round(stats["median"], 1),
            "ms",
            200,
            f"p95 {stats['p95']:.0f} ms over {stats['runs']} runs; half submitted",
        ),
    ]


NOTES = """\
The bulk import checks the rules of `services.save_values` once per (form, unit,
period) — the policy for all units in one batch, the expected units once per form and
period, the submissions' locks per chunk of units — and then works on plain tuples: CSV
cells are stripped directly, each indicator's value parser is chosen once (a plain digit
string becomes a Decimal directly, anything else goes through `values.parse_value`),
existing values are read per period and chunk of 500 units for all indicators at once,
an unchanged stored value is skipped without `display`, and displays are memoised per
value. Values, their change rows and new draft reports are written as tuples with
`COPY` (PostgreSQL, column types set once) or one `executemany` INSERT (SQLite), all
in one transaction; a changed value is replaced (DELETE + INSERT with its version + 1).
Every change still gets its `DataValueChange` row. The throughput target is held as
"ms per 1,000 values ≤ 20" because the harness passes a value at or below its target.

The .xlsx round trip passes. Completeness passes on SQLite and sat at the 200 ms line on
PostgreSQL in this run (158 ms in the previous one, on a machine shared with other
work: load average near 3 during the runs); it is unchanged code and worth re-measuring
on a quiet machine.

The miss: the bulk import of 200,000 new values, now about 28,600 values/s on SQLite
(16,500 before) and 13,600 on PostgreSQL (11,300 before); replacing 10,000 of 200,000
runs at about 50,000 rows/s. On PostgreSQL about 7 s of the ~14 s is the commit: the
deferred foreign-key checks of 400,000 inserted rows (unit, indicator and user on both
the value and its change row), one trigger query per key, which ANALYZE does not
shorten; the rest is about 1.5 s of COPY and 4 s of Python. On SQLite about 3.5 s is the
`executemany` of the 400,000 rows into tables with five indexes each (a larger page
cache did not help), and the rest Python: reading the CSV (~1 s), checks and parsing
(~1 s), the policy, units and expected units for 10,000 units (~1 s). 50,000 values/s
would need either fewer rows per value (the change log kept differently) or foreign
keys checked once per import rather than per row — changes to the models, not to
the import."""
