"""Kiên Giang's 2022 writing contest in the demo (shared/seeds/002): 6.450 entries, two
rounds, 35 judges with log-ins, 16 individual prizes and 21 entries forwarded."""

from django.db import models

from trienkhai.accounts import policy
from trienkhai.accounts.models import User
from trienkhai.contests import ranking
from trienkhai.contests.models import (
    Advancement,
    Assignment,
    Contest,
    Entry,
    Judge,
    Result,
    Score,
)
from trienkhai.demo import contests
from trienkhai.orgs import queries


def the_contest() -> Contest:
    return Contest.objects.get(title=contests.TITLE)


def test_it_holds_6450_entries_in_two_closed_rounds_once(demo, db):
    contest = the_contest()
    assert Contest.objects.filter(title=contests.TITLE).count() == 1  # the second load
    assert Entry.objects.filter(contest=contest).count() == 6450
    first, final = contest.rounds.order_by("number")
    assert (first.name, first.judges_per_entry, final.name) == ("Sơ khảo", 2, "Chung khảo")
    assert first.closed_at and final.closed_at and first.closed_at < final.closed_at
    assert first.closed_at.year == 2022
    # Every reading scored: 6.450 × 2 in round 1, the 150 best × 3 in round 2.
    assert Score.objects.filter(round=first).count() == 12_900
    assert Score.objects.filter(round=final).count() == 450


def test_round_2_judges_the_150_best_the_organiser_advanced(demo, db):
    """Round 1's first 150 by its ranking, advanced through the service (decision 0061),
    and only they are read in round 2, three times each."""
    first, final = the_contest().rounds.order_by("number")
    best = [r.entry for r in ranking.of_round(first) if r.rank is not None][: contests.FINALISTS]
    rows = list(Advancement.objects.filter(round=final).select_related("created_by"))
    assert [r.entry_id for r in rows] == best
    assert [r.rank for r in rows] == list(range(1, 151))
    assert {r.created_by.username for r in rows if r.created_by} == {contests.ORGANISER[0]}
    read = Assignment.objects.filter(round=final).values_list("entry_id", flat=True)
    assert sorted(read) == sorted(best * 3)


def test_it_gives_16_prizes_and_forwards_21(demo, db):
    final = the_contest().rounds.get(number=2)
    found = Result.objects.filter(round=final)
    assert found.exclude(prize=None).count() == 16
    assert found.filter(is_forwarded=True).count() == 21
    assert list(found.filter(is_forwarded=True).values_list("rank", flat=True)) == list(
        range(1, 22)
    )


def test_its_judges_log_in_and_never_read_their_own_units_entries(demo, db):
    contest = the_contest()
    assert Judge.objects.filter(contest=contest).count() == 35
    login = next(row for row in demo["logins"] if row[0] == "gk01")
    for username in ("gk01", "gk30", "ck05", "tk.cuocthi"):
        assert User.objects.get(username=username).check_password(login[1]), username
    first = contest.rounds.get(number=1)
    for judge in Judge.objects.filter(round=first).select_related("user")[:8]:
        own = policy.role_unit_ids(judge.user)
        units = set(Assignment.objects.filter(judge=judge).values_list("entry__unit", flat=True))
        for unit_id in units:
            near = {
                uid
                for uid, depth in queries.ancestor_ids(unit_id, contest.unit.reference_date())
                if depth <= 1
            }
            assert not own & near, (judge.user.username, unit_id)


def test_its_judges_split_on_a_few_entries(demo, db):
    ranked = ranking.of_round(the_contest().rounds.get(number=1))
    split = sum(1 for r in ranked if r.disagreement)
    assert 10 <= split <= 150, split


def test_its_entries_and_sheets_have_their_history(demo, db):
    """As the services write them: each entry's "created" row by the organiser when it
    was received, each sheet's by its judge when it was sent (loaded once: no doubles)."""
    contest = the_contest()
    entries = Entry.history.filter(contest_id=contest.pk)
    assert entries.filter(history_type="+").count() == entries.count() == 6450
    first = entries.select_related("history_user").order_by("number").first()
    assert first is not None
    assert first.history_date == first.received_at
    assert first.history_user.username == contests.ORGANISER[0]
    sheets = Score.history.filter(round__contest=contest)
    assert sheets.count() == 12_900 + 450
    assert not sheets.exclude(history_user_id=models.F("judge__user_id")).exists()
    assert not sheets.exclude(history_date=models.F("modified")).exists()
