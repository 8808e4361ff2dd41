"""Prizes, results, the forwarded package and the results decision (decision 0056)."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from tests import factories as f
from tests.contests.conftest import SYSTEM
from tests.documents.test_attachments import png_file as png
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import package, results, services
from trienkhai.contests.models import Assignment, Prize, Result
from trienkhai.documents.models import Document

# Two judges' totals (Nội dung × 6) of entries 1–6: entry 3 first, then 1, 5, 2, 6, 4.
SCORES = {1: (50, 48), 2: (40, 41), 3: (58, 57), 4: (20, 22), 5: (45, 46), 6: (30, 33)}
ORDER = [3, 1, 5, 2, 6, 4]


@pytest.fixture
def closed(org, contest, media):
    """Round 1 with six entries (receipts 1–6, from C1 and C2) scored by two judges and
    closed; returns (round, entries by receipt number)."""
    round1 = contest.rounds.get(number=1)
    entries = {
        n: services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title=f"Bài số {n}",
            author_name=f"Tác giả {n}",
            unit=org.c1 if n % 2 else org.c2,
            file_name=f"bai-{n}.png",
            data=png(n),
        )
        for n in SCORES
    }
    judges = [
        services.add_judge(acting_user=SYSTEM, contest=contest, round=round1, user=f.make_user(u))
        for u in ("gk1", "gk2")
    ]
    for n, entry in entries.items():
        for judge, score in zip(judges, SCORES[n], strict=True):
            Assignment.objects.create(round=round1, entry=entry, judge=judge)
            services.record_score(
                acting_user=judge.user,
                contest=contest,
                round=round1,
                entry=entry,
                values={"Nội dung": score},
            )
    services.close_round(acting_user=SYSTEM, contest=contest, round=round1)
    round1.refresh_from_db()
    return round1, entries


def _prizes(contest, round1, forward=4):
    return results.set_prizes(
        acting_user=SYSTEM,
        contest=contest,
        round=round1,
        prizes=[results.PrizeInput("Giải A", 1), results.PrizeInput("Giải B", 2)],
        forward_quota=forward,
    )


def test_it_gives_the_prizes_down_the_ranking_and_forwards_the_quota(contest, closed):
    round1, entries = closed
    _prizes(contest, round1)
    drawn = results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    got = [
        (r.entry.number, r.rank, r.prize.name if r.prize else None, r.is_forwarded)
        for r in results.winners(round1)
    ]
    assert len(drawn) == 4
    assert got == [
        (3, 1, "Giải A", True),
        (1, 2, "Giải B", True),
        (5, 3, "Giải B", True),
        (2, 4, None, True),
    ]
    # A disqualified entry leaves the ranking: drawing again moves the others up.
    services.disqualify_entry(
        acting_user=SYSTEM, contest=contest, entry=entries[1], reason="Sao chép bài đã đăng báo"
    )
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    assert [r.entry.number for r in results.winners(round1)] == [3, 5, 2, 6]


def test_it_draws_nothing_before_the_round_is_closed_or_without_prizes(org, contest, media):
    round1 = contest.rounds.get(number=1)
    with pytest.raises(Conflict) as open_round:
        results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    assert open_round.value.code == "round_open"
    services.close_round(acting_user=SYSTEM, contest=contest, round=round1)
    with pytest.raises(BadInput) as nothing:
        results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    assert nothing.value.code == "no_prizes"
    with pytest.raises(BadInput):
        results.set_prizes(
            acting_user=SYSTEM,
            contest=contest,
            round=round1,
            prizes=[results.PrizeInput("Giải A", 1), results.PrizeInput("Giải A", 2)],
        )
    assert not Prize.objects.exists()


def test_the_package_holds_the_files_and_the_list(contest, closed):
    round1, _ = closed
    _prizes(contest, round1)
    with pytest.raises(Conflict):
        package.forwarded_zip(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    data = package.forwarded_zip(contest, round1)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == [
        "001-003-2022-bai-3.png",
        "002-001-2022-bai-1.png",
        "003-005-2022-bai-5.png",
        "004-002-2022-bai-2.png",
        package.LIST_NAME,
    ]
    assert archive.read(names[0]) == png(3)  # the file as received
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(package.LIST_NAME))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(package.HEADERS)
    assert rows[1][:7] == (
        1,
        "003/2022",
        "Bài số 3",
        "Tác giả 3",
        "Thị trấn Vĩnh Thuận",
        None,  # no category
        "Giải A",
    )
    assert rows[4][6] is None  # forwarded without a prize
    assert rows[1][7] == "348,00; 342,00"
    assert rows[1][8] == 345.0
    assert len(rows) == 5


def test_the_results_decision_comes_from_the_register_and_freezes_them(contest, closed):
    round1, entries = closed
    _prizes(contest, round1)
    with pytest.raises(Conflict) as none_yet:
        _issue(contest, round1)
    assert none_yet.value.code == "no_results"
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    document = _issue(contest, round1)
    assert document.status == Document.Status.ISSUED and document.symbol
    assert document.summary.startswith("Về việc công nhận kết quả và trao giải")
    (attached,) = document.attachments.all()
    assert attached.name == "danh-sach-doat-giai.docx"
    assert "Bài số 3" in attached.text and "Tác giả 5" in attached.text
    assert "Bài số 2" not in attached.text  # forwarded, no prize
    round1.refresh_from_db()
    assert round1.results_decision == document
    for change in (
        lambda: _prizes(contest, round1),
        lambda: results.draw_results(acting_user=SYSTEM, contest=contest, round=round1),
        lambda: services.disqualify_entry(
            acting_user=SYSTEM, contest=contest, entry=entries[3], reason="Muộn"
        ),
        lambda: _issue(contest, round1),
    ):
        with pytest.raises(Conflict) as final:
            change()
        assert final.value.code == "results_issued"
    assert Result.objects.filter(round=round1).count() == 4


def test_a_decision_waits_for_results_drawn_after_a_disqualification(contest, closed):
    round1, entries = closed
    _prizes(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    services.disqualify_entry(
        acting_user=SYSTEM, contest=contest, entry=entries[3], reason="Sao chép"
    )
    with pytest.raises(Conflict) as stale:
        _issue(contest, round1)
    assert stale.value.code == "results_stale" and "003/2022" in stale.value.message
    assert not Document.objects.exists()


def _issue(contest, round1, day=None):
    """Round 1's decision, round 2 (no entries here) closed first: a decision waits for
    the later rounds, whose judges may read the register (decision 0061)."""
    _close_later(contest, round1)
    return results.issue_results(
        acting_user=SYSTEM,
        contest=contest,
        round=round1,
        date=day or dt.date.today(),
        signer="Nguyễn Văn Hùng",
        signer_authority="tm",
        recipients="- Như Điều 3;\n- Lưu VP.",
    )


def _close_later(contest, round1):
    for later in contest.rounds.filter(number__gt=round1.number, closed_at__isnull=True):
        services.close_round(acting_user=SYSTEM, contest=contest, round=later)


def test_the_api_sets_prizes_draws_and_issues_for_organisers_only(personas, api, contest, closed):
    base = f"contests/{contest.pk}/rounds/1"  # round 1 of ``closed``
    manager = api(personas.manager)
    prizes = {
        "prizes": [{"name": "Giải A", "count": 1}, {"name": "Giải B", "count": 2}],
        "forward": 4,
    }
    for who in (personas.outsider, personas.viewer):
        assert api(who)._call("put", f"{base}/prizes", prizes).status_code == 403
        assert api(who).post(f"{base}/results").status_code == 403
        assert api(who).get(f"{base}/results").status_code == 403
        assert api(who).get(f"{base}/forwarded.zip").status_code == 403
    assert api()._call("put", f"{base}/prizes", prizes).status_code == 401
    set_ = manager._call("put", f"{base}/prizes", prizes)
    assert set_.status_code == 200, set_.content
    assert set_.json()["forward"] == 4
    drawn = manager.post(f"{base}/results")
    assert drawn.status_code == 200, drawn.content
    first = drawn.json()[0]
    assert first["receipt"] == "003/2022" and first["prize"] == "Giải A" and first["forwarded"]
    assert first["author_name"] == "Tác giả 3"
    zipped = manager.get(f"{base}/forwarded.zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    assert package.LIST_NAME in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    decision = {
        "date": dt.date.today().isoformat(),
        "signer": "Nguyễn Văn Hùng",
        "signer_authority": "tm",
        "recipients": "- Lưu VP.",
    }
    assert api(personas.outsider).post(f"{base}/decision", decision).status_code == 403
    waiting = manager.post(f"{base}/decision", decision)
    assert waiting.status_code == 409 and waiting.json()["error"]["code"] == "later_round_open"
    _close_later(contest, contest.rounds.get(number=1))
    issued = manager.post(f"{base}/decision", decision)
    assert issued.status_code == 201, issued.content
    assert issued.json()["prizes"] == 3
    assert manager.post(f"{base}/decision", decision).status_code == 409
    assert manager.get(f"{base}/decision").status_code == 405


def test_a_judge_never_sees_the_results_with_authors(personas, api, contest, closed):
    round1, _ = closed
    judge = api(round1.judges.get(user__username="gk1").user)
    base = f"contests/{contest.pk}/rounds/1"
    assert judge.get(f"{base}/results").status_code == 403
    assert judge.get(f"{base}/forwarded.zip").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_decision_stores_its_list_after_the_commit(contest, closed, monkeypatch):
    """The winners' .docx is built and written to the blob store once the decision and
    the round are committed (as commendations' decision is): not under the round's lock,
    and no file left behind by a rollback. The real attach runs; we only note whether a
    transaction was open around it."""
    from django.db import connection

    from trienkhai.documents import attachments

    round1, _ = closed
    _prizes(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    seen = []
    real = attachments.attach

    def noting(**kwargs):
        seen.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(attachments, "attach", noting)
    document = _issue(contest, round1)
    assert seen == [False]
    assert document.attachments.get().name == "danh-sach-doat-giai.docx"
