"""Advancing between rounds (decision 0061): round 2 judges only the best of round 1,
chosen by the organiser once round 1 is closed; a later round's judges learn nothing of
the earlier results."""

# ruff: noqa: F811 (the ``closed`` fixture, imported, is named by the tests)

import pytest
from django.utils import timezone

from tests import factories as f
from tests.contests.conftest import SYSTEM
from tests.contests.test_results import ORDER, _issue, _prizes, closed  # noqa: F401
from tests.documents.test_attachments import png_file as png
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import results, services
from trienkhai.contests.models import Advancement, Assignment
from trienkhai.documents.models import Document


def _advance(contest, round1, count, who=SYSTEM):
    return services.advance_entries(acting_user=who, contest=contest, round=round1, count=count)


@pytest.fixture
def final_judges(contest):
    """Three judges of round 2 (k = 3), holding no role."""
    final = contest.rounds.get(number=2)
    for name in ("ck1", "ck2", "ck3"):
        services.add_judge(acting_user=SYSTEM, contest=contest, round=final, user=f.make_user(name))
    return final


def test_it_advances_the_first_k_of_the_ranking_saying_who_and_when(
    personas,
    contest,
    closed,
):
    round1, entries = closed
    ids = {e.pk: n for n, e in entries.items()}
    advanced = _advance(contest, round1, 3, who=personas.manager)
    assert [ids[e] for e in advanced] == ORDER[:3]  # receipts 3, 1, 5
    rows = list(Advancement.objects.filter(round__number=2, round__contest=contest))
    assert [(ids[r.entry_id], r.rank) for r in rows] == [(3, 1), (1, 2), (5, 3)]
    assert {r.created_by for r in rows} == {personas.manager}
    assert all(timezone.localdate(r.created) == timezone.localdate() for r in rows)


def test_round_2_judges_only_the_advanced_never_the_disqualified(
    contest,
    closed,
    final_judges,
):
    """GIVEN round 1 closed (six entries ranked 3, 1, 5, 2, 6, 4) and the first four advanced
    WHEN entry 1 is disqualified and round 2 (three judges each) is assigned
    THEN round 2 reads 3, 5 and 2 only, each three times."""
    round1, entries = closed
    _advance(contest, round1, 4)
    services.disqualify_entry(acting_user=SYSTEM, contest=contest, entry=entries[1], reason="Chép")
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    assert result.unassigned == []
    read = Assignment.objects.filter(round=final_judges).values_list("entry__number", flat=True)
    assert sorted(read) == [2, 2, 2, 3, 3, 3, 5, 5, 5]


def test_round_1_never_assigns_a_disqualified_entry(org, contest, media):
    round1 = contest.rounds.get(number=1)
    kept, out = (
        services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title=f"Bài {n}",
            author_name="Tác giả",
            unit=org.c1,
            file_name="bai.png",
            data=png(n),
        )
        for n in (1, 2)
    )
    for name in ("gk1", "gk2"):
        services.add_judge(
            acting_user=SYSTEM, contest=contest, round=round1, user=f.make_user(name)
        )
    services.disqualify_entry(acting_user=SYSTEM, contest=contest, entry=out, reason="Trùng bài")
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=round1)
    assert {e for e, _ in result.pairs} == {kept.pk}
    assert not Assignment.objects.filter(entry=out).exists()


def test_a_later_round_waits_for_its_entries(contest, final_judges):
    with pytest.raises(Conflict) as refused:
        services.assign_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    assert refused.value.code == "not_advanced"


def test_it_refuses_while_the_round_is_open_and_for_the_last_round(org, contest, media):
    round1, final = contest.rounds.order_by("number")
    with pytest.raises(Conflict) as open_:
        _advance(contest, round1, 1)
    assert open_.value.code == "round_open"
    with pytest.raises(Conflict) as last:
        _advance(contest, final, 1)
    assert last.value.code == "last_round"
    assert not Advancement.objects.exists()


@pytest.mark.parametrize("count", [0, 7])
def test_it_takes_1_to_the_entries_ranked(contest, closed, count):
    with pytest.raises(BadInput) as refused:
        _advance(contest, closed[0], count)
    assert refused.value.code == "invalid_count" and "1 đến 6" in refused.value.message
    assert not Advancement.objects.exists()


def test_it_chooses_again_until_round_2_has_a_sheet(contest, closed, final_judges):
    """Choosing again replaces the rows and round 2's assignments; once a sheet is in,
    the choice stays (409), as assign_round's rule."""
    round1, entries = closed
    _advance(contest, round1, 4)
    services.assign_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    assert Assignment.objects.filter(round=final_judges).count() == 12
    again = _advance(contest, round1, 2)
    assert again == [entries[3].pk, entries[1].pk]
    assert Advancement.objects.filter(round=final_judges).count() == 2
    assert not Assignment.objects.filter(round=final_judges).exists()  # assign it again
    services.assign_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    reading = Assignment.objects.filter(round=final_judges).select_related("judge__user").first()
    assert reading is not None
    services.record_score(
        acting_user=reading.judge.user,
        contest=contest,
        round=final_judges,
        entry=reading.entry,
        values={"Nội dung": 50},
    )
    with pytest.raises(Conflict) as refused:
        _advance(contest, round1, 3)
    assert refused.value.code == "scoring_started"
    assert Advancement.objects.filter(round=final_judges).count() == 2


def test_the_api_advances_for_organisers_only(personas, api, contest, closed):
    _, entries = closed
    url = f"contests/{contest.pk}/rounds/1/advance"
    for who in (personas.outsider, personas.viewer, personas.reporter):
        assert api(who).post(url, {"count": 2}).status_code == 403
    assert api().post(url, {"count": 2}).status_code == 401
    manager = api(personas.manager)
    assert manager.get(url).status_code == 405
    assert manager.post(url, {"count": 0}).status_code == 400  # the schema: from 1
    too_many = manager.post(url, {"count": 7})
    assert too_many.status_code == 400 and "1 đến 6" in too_many.json()["error"]["message"]
    assert manager.post(f"contests/{contest.pk}/rounds/2/advance", {"count": 1}).status_code == 409
    assert manager.post(f"contests/{contest.pk}/rounds/9/advance", {"count": 1}).status_code == 404
    done = manager.post(url, {"count": 2})
    assert done.status_code == 200, done.content
    assert done.json() == {"advanced": [entries[3].pk, entries[1].pk]}


def test_a_judge_of_round_2_who_manages_is_refused(personas, api, contest, closed):
    services.add_judge(
        acting_user=SYSTEM,
        contest=contest,
        round=contest.rounds.get(number=2),
        user=personas.manager,
    )
    answer = api(personas.manager).post(f"contests/{contest.pk}/rounds/1/advance", {"count": 2})
    assert answer.status_code == 403
    assert not Advancement.objects.exists()


def test_round_1_results_wait_for_round_2_to_close(contest, closed):
    """GIVEN round 1's prizes drawn while round 2 is still being judged
    WHEN the organiser issues round 1's decision
    THEN it is refused (409) and nothing enters the register, which round 2's judges may
    read as viewers of the organiser; after round 2 closes it goes through."""
    round1, _ = closed
    _prizes(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    with pytest.raises(Conflict) as refused:
        results.issue_results(
            acting_user=SYSTEM,
            contest=contest,
            round=round1,
            date=timezone.localdate(),
            signer="Nguyễn Văn Hùng",
            signer_authority="tm",
            recipients="- Lưu VP.",
        )
    assert refused.value.code == "later_round_open"
    assert not Document.objects.exists()
    assert _issue(contest, round1).symbol  # _issue closes round 2 first
