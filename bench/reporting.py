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
period — parses each value with `values.parse_value`, and writes the values and their
change rows with `COPY` (PostgreSQL) or one `executemany` INSERT (SQLite). A value that
changes is replaced (DELETE + INSERT with its version + 1) rather than updated row by
row. The throughput target is held as "ms per 1,000 values ≤ 20" because the harness
passes a value at or below its target.

The .xlsx round trip and completeness pass since `services.save_values` writes a form's
values and change rows in bulk and completeness reads plain subtree rows and the
period's submissions (three queries for 10,000 units).

The miss: the bulk import, at about 18,000 values/s on SQLite and 11,000 on
PostgreSQL against 50,000. Most of its time is Python per row (CSV parsing,
`parse_value`, `display` for the change row, the row dicts), then the reads of existing
values per (period, indicator) in chunks of 500 units; reading existing values per
(period, chunk of units) for all indicators at once, skipping `display` when there is
no old value, and writing the change rows with the same COPY are the next steps."""
