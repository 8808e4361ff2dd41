"""The day's reminders for 100,000 communes (issue 15: computing them ≤ 10 s).

A province of 200 districts of 500 communes, one half-yearly form reported by every
commune (`setup.commune_form`), the deadline 10 days past: 60,000 communes have
submitted, 40,000 have not. A reporter and a manager at each district, with an e-mail
address. Measured: `notifications.reminders.remind` for the day, the first run (40,000
"overdue" notifications to the districts' reporters, 40,000 escalations to their
managers, each with its outbox row) and the second run the same day (nothing new: what
every later run of the day costs). The e-mails are not sent (the outbox's cost is per
e-mail, and the SMTP server's).
"""

import datetime as dt
import os
import time

from bench import setup
from bench.measure import Measurement
from trienkhai.common.actors import BENCH

TITLE = "Nhắc hạn / reminders"
DISTRICTS = int(os.environ.get("BENCH_REMIND_DISTRICTS", "200"))
COMMUNES = int(os.environ.get("BENCH_REMIND_COMMUNES", "500"))
PERIOD = "2025S2"
TODAY = dt.date(2026, 1, 20)
"""10 days after 2025S2's deadline (10/01/2026 with the form's 10 days)."""


def populate(progress=print) -> int:
    from django.utils import timezone

    from trienkhai.accounts import services as accounts
    from trienkhai.orgs.models import UnitVersion
    from trienkhai.reporting.models import Submission

    progress(f"creating {DISTRICTS * COMMUNES:,} communes")
    _province, communes, _indicators, form = setup.commune_form(DISTRICTS, COMMUNES, 1)
    form.deadline_days = 10
    form.save(update_fields=["deadline_days"])
    submitted = timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    rows = [
        Submission(
            form=form,
            unit=unit,
            period=PERIOD,
            status=Submission.Status.SUBMITTED,
            submitted=submitted,
            first_submitted=submitted,
        )
        for n, unit in enumerate(communes)
        if n % 10 < 6
    ]
    Submission.objects.bulk_create(rows, batch_size=2000)
    districts = {v.parent for v in UnitVersion.objects.filter(unit__in=communes[::COMMUNES])}
    progress(f"{len(districts)} districts' reporters and managers")
    for n, district in enumerate(sorted(districts, key=lambda u: u.code)):
        for role in ("reporter", "manager"):
            accounts.add_user(
                acting_user=BENCH,
                username=f"{role}{n}",
                password="x" * 12,
                unit=district,
                role=role,
                email=f"{role}{n}@example.vn",
            )
    setup.settled()
    return len(communes) - len(rows)


def run(progress=print) -> list[Measurement]:
    from django.db import connection
    from django.urls import reverse

    from trienkhai.notifications import reminders
    from trienkhai.notifications.models import Delivery

    missing = populate(progress)
    reverse("desk:desk")  # the URL patterns loaded, as in a running site
    start = time.perf_counter()
    first = reminders.remind(TODAY)
    took = time.perf_counter() - start
    start = time.perf_counter()
    again = reminders.remind(TODAY)
    second = time.perf_counter() - start
    queued = Delivery.objects.count()
    connection.close()
    units = f"{DISTRICTS * COMMUNES:,} communes"
    return [
        Measurement(
            "remind_first_run_s",
            f"The day's reminders for {units}, {missing:,} late: the first run",
            round(took, 2),
            "s",
            10,
            f"{first.created:,} notifications and {queued:,} e-mails queued",
        ),
        Measurement(
            "remind_second_run_s",
            "The same day's second run (nothing new)",
            round(second, 2),
            "s",
            10,
            f"{again.created} notifications",
        ),
    ]


NOTES = """`notifications.reminders.remind` (decision 0038) as `trienkhai remind` calls it,
the outbox not flushed. Measured on a loaded machine (load average 7.5–8) before the
once-only index led with the key, the first run took 54.8 s and the second 21.9 s; at
10,000 communes the first run took 11.0 s under the profiler before rows were written
as plain rows (`common.bulk_insert`), 1.9 s after.
"""
