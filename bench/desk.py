"""The desk of a province manager with 10,000 communes below (issue 15: ≤ 150 ms).

The province: 20 districts of 500 communes, one half-yearly form reported by every
commune (`setup.commune_form`), the last period ended with its deadline passed: 6,000
communes have submitted (waiting for approval), 300 reports were returned, the rest are
missing. Measured: `desk.work.desk_of` for a manager at the province (approvals waiting,
the progress with the late units by name, nothing to enter), and for a reporter at one
district (its 500 communes' reports to enter).
"""

import datetime as dt
import os

from bench import setup
from bench.measure import Measurement, repeat_ms
from trienkhai.common.actors import BENCH

TITLE = "Việc của tôi / the desk"
DISTRICTS = int(os.environ.get("BENCH_DESK_DISTRICTS", "20"))
COMMUNES = int(os.environ.get("BENCH_DESK_COMMUNES", "500"))
PERIOD = "2025S2"
TODAY = dt.date(2026, 2, 1)
"""After 2025S2's deadline (10/01/2026 with the form's 10 days)."""


def populate(progress=print):
    """The province, its form and reports, a manager at the province and a reporter at
    the first district: (manager, reporter, communes)."""
    from django.utils import timezone

    from trienkhai.accounts import services as accounts
    from trienkhai.reporting.models import Submission

    progress(f"creating {DISTRICTS * COMMUNES:,} communes")
    province, communes, _indicators, form = setup.commune_form(DISTRICTS, COMMUNES, 1)
    form.deadline_days = 10
    form.save(update_fields=["deadline_days"])
    submitted = timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    rows = []
    for n, unit in enumerate(communes):
        if n % 10 < 6:
            status = Submission.Status.SUBMITTED
        elif n % 100 < 63:
            status = Submission.Status.RETURNED
        else:
            continue
        rows.append(
            Submission(
                form=form,
                unit=unit,
                period=PERIOD,
                status=status,
                submitted=submitted,
                first_submitted=submitted,
                comment="Thiếu số liệu" if status == Submission.Status.RETURNED else "",
            )
        )
    Submission.objects.bulk_create(rows, batch_size=2000)
    setup.settled()
    manager = accounts.add_user(
        acting_user=BENCH, username="tinh", password="x" * 12, unit=province, role="manager"
    )
    district = communes[0].versions.get().parent
    reporter = accounts.add_user(
        acting_user=BENCH, username="huyen", password="x" * 12, unit=district, role="reporter"
    )
    return manager, reporter, communes


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    from trienkhai.desk.work import desk_of

    manager, reporter, communes = populate(progress)

    def fresh(user):
        # A request's user: the policy's memo of roles starts empty each time.
        return desk_of(type(user).objects.get(pk=user.pk), TODAY)

    found = fresh(manager)
    counts = found.counts
    timing = repeat_ms(lambda: fresh(manager), runs=10, warmup=2)
    owed = fresh(reporter)
    reporting = repeat_ms(lambda: fresh(reporter), runs=10, warmup=2)
    connection.close()
    units = f"{len(communes):,} communes"
    return [
        Measurement(
            "desk_province_manager_ms",
            f"The desk of a province manager ({units} below), median",
            round(timing["median"], 1),
            "ms",
            150,
            f"p95 {timing['p95']:.0f} ms over {timing['runs']} runs; {counts['approvals']:,} "
            f"approvals waiting, progress of {len(found.subtree)} form(s) with "
            f"{found.subtree[0].late_count if found.subtree else 0:,} units late",
        ),
        Measurement(
            "desk_district_reporter_ms",
            f"The desk of a district's reporter ({COMMUNES} communes to enter for), median",
            round(reporting["median"], 1),
            "ms",
            150,
            f"p95 {reporting['p95']:.0f} ms; {len(owed.reports_to_enter):,} reports to enter "
            "(returned, overdue)",
        ),
    ]


NOTES = """`desk.work.desk_of` (decision 0036) as the page and `GET /api/v1/me/desk` call it,
with the user read afresh each run (the policy keeps a user's roles for one request).
"""
