"""A province-sized contest round (issue 17, Speed): assignment and the ranking.

Kiên Giang 2022 at full size: 6.450 entries from 150 units under the province, 60 judges
(one at each of the first 60 units: each conflicted with its own unit's entries and its
children's), 3 judges per entry. Measured: ``assign_round`` end to end (target ≤ 5 s),
then, with every one of the 19.350 readings scored (each judge with their own leniency
and spread), the ranking of the round as ``contests.ranking.of_round`` computes it and as
``GET /api/v1/contests/{id}/rounds/1/ranking`` answers it (target ≤ 1 s each).
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal

from bench import setup
from bench.measure import Measurement, repeat_ms
from trienkhai.common.actors import BENCH

TITLE = "Cuộc thi / a contest round: assignment and ranking"
ENTRIES = int(os.environ.get("BENCH_CONTEST_ENTRIES", "6450"))
JUDGES = int(os.environ.get("BENCH_CONTEST_JUDGES", "60"))
UNITS = 150
PER_ENTRY = 3


def populate(progress=print):
    """The contest, its judges and entries: (contest, round 1)."""
    from trienkhai.accounts.models import RoleAssignment, User
    from trienkhai.contests import services
    from trienkhai.contests.models import Entry, Judge

    province = setup.province()
    units = setup.units(province, setup.kind("district"), [f"H{n:03d}" for n in range(UNITS)])
    contest = services.create_contest(
        acting_user=BENCH,
        unit=province,
        title="Cuộc thi viết về Đảng bộ tỉnh 2022",
        opens=dt.date(2022, 3, 1),
        closes=dt.date(2022, 9, 30),
        rounds=[services.RoundInput("Sơ khảo", PER_ENTRY)],
        criteria=[
            services.CriterionInput("Nội dung", Decimal(6), Decimal(60)),
            services.CriterionInput("Hình thức", Decimal(4), Decimal(40)),
        ],
    )
    first = contest.rounds.get()
    progress(f"{JUDGES} judges, {ENTRIES:,} entries")
    users = User.objects.bulk_create(User(username=f"gk{n:02d}") for n in range(JUDGES))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, unit=units[n % UNITS], role="viewer") for n, u in enumerate(users)
    )
    Judge.objects.bulk_create(Judge(contest=contest, round=first, user=u) for u in users)
    Entry.objects.bulk_create(
        (
            Entry(
                contest=contest,
                number=n,
                title=f"Bài {n}",
                author_name="Tác giả",
                unit=units[n % UNITS],
                file_name="bai.pdf",
                path="x",
                size=1,
                sha256=f"{n:064x}",
            )
            for n in range(1, ENTRIES + 1)
        ),
        batch_size=2000,
    )
    setup.settled()
    return contest, first


def score_all(first) -> int:
    """A sheet for every reading: each judge with a leniency and a spread of their own."""
    from trienkhai.contests.models import Assignment, Score

    rng = random.Random(17)
    quality = {}
    bias: dict[int, tuple[float, float]] = {}
    sheets = []
    for entry, judge in Assignment.objects.filter(round=first).values_list("entry_id", "judge_id"):
        merit = quality.setdefault(entry, rng.gauss(0, 1))
        shift, spread = bias.setdefault(judge, (rng.uniform(-10, 10), rng.uniform(0.5, 1.5)))
        content = min(60, max(0, round(35 + shift + 8 * spread * (merit + rng.gauss(0, 0.5)))))
        form = min(40, max(0, round(content * 2 / 3)))
        sheets.append(
            Score(
                round=first,
                entry_id=entry,
                judge_id=judge,
                values={"Nội dung": str(content), "Hình thức": str(form)},
                total=Decimal(6 * content + 4 * form),
            )
        )
    Score.objects.bulk_create(sheets, batch_size=2000)
    setup.settled()
    return len(sheets)


def run(progress=print) -> list[Measurement]:
    from django.db import connection
    from django.test import Client

    from trienkhai.accounts.services import add_user, issue_token
    from trienkhai.contests import ranking, services

    contest, first = populate(progress)
    start = time.perf_counter()
    assigned = services.assign_round(acting_user=BENCH, contest=contest, round=first)
    assign_s = time.perf_counter() - start
    progress(f"{len(assigned.pairs):,} readings assigned in {assign_s:.2f} s; scoring them")
    sheets = score_all(first)

    ranked = ranking.of_round(first)
    split = sum(r.disagreement for r in ranked)
    computed = repeat_ms(lambda: ranking.of_round(first), runs=10, warmup=2)
    organiser = add_user(
        acting_user=BENCH,
        username="organiser",
        password="x" * 12,
        unit=contest.unit,
        role="manager",
    )
    client = Client(  # an allowed host outside the test runner
        SERVER_NAME="localhost",
        headers={"Authorization": f"Bearer {issue_token(user=organiser)}"},
    )
    url = f"/api/v1/contests/{contest.pk}/rounds/1/ranking"

    def answered():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]

    api = repeat_ms(answered, runs=10, warmup=2)
    connection.close()
    size = f"{ENTRIES:,} entries × {PER_ENTRY} judges among {JUDGES}"
    return [
        Measurement(
            "contest_assign_round_s",
            f"assign_round: {size}, conflicts by unit and parent",
            round(assign_s, 2),
            "s",
            5,
            f"{len(assigned.pairs):,} readings, {len(assigned.unassigned)} entries unassigned",
        ),
        Measurement(
            "contest_ranking_ms",
            f"ranking.of_round: {sheets:,} sheets read, normalised (z and median/MAD), ranked",
            round(computed["median"]),
            "ms",
            1000,
            f"p95 {computed['p95']:.0f} ms; {split} entries with a disagreement",
        ),
        Measurement(
            "contest_ranking_api_ms",
            "GET …/rounds/1/ranking end to end (token, policy, JSON of every entry)",
            round(api["median"]),
            "ms",
            1000,
            f"p95 {api['p95']:.0f} ms",
        ),
    ]


NOTES = """Decision 0053. The sheets are bulk-written without their history rows (a
judge's sheet through `record_score` writes one); the ranking reads two queries
(assignments with receipt numbers, sheets) and computes with numpy.
"""
