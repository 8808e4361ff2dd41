"""A judge's desk: "Bài được giao chấm: n bài chưa chấm" per round they judge, linked to
their scoring page; counts only, never an entry (decision 0053)."""

import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.activities.test_views import main
from tests.contests.conftest import SYSTEM, make_contest
from tests.documents.test_attachments import png_file as png
from trienkhai.contests import services
from trienkhai.contests.models import Assignment
from trienkhai.desk.work import desk_of


@pytest.fixture
def judged(org, tmp_path, settings):
    """gk1 (no role anywhere) judges round 1 of D1's contest: three entries assigned,
    one of them scored."""
    settings.MEDIA_ROOT = tmp_path / "files"
    contest = make_contest(org.d1)
    round1 = contest.rounds.get(number=1)
    gk1 = f.make_user("gk1")
    judge = services.add_judge(acting_user=SYSTEM, contest=contest, round=round1, user=gk1)
    entries = [
        services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title=f"Bài {n}",
            author_name=f"Tác giả {n}",
            unit=org.c1,
            file_name="bai.png",
            data=png(n),
        )
        for n in (1, 2, 3)
    ]
    for entry in entries:
        Assignment.objects.create(round=round1, entry=entry, judge=judge)
    services.record_score(
        acting_user=gk1, contest=contest, round=round1, entry=entries[0], values={"Nội dung": 50}
    )
    return contest, round1, gk1


def _judging(response) -> str:
    found = re.search(r'id="judging">(.*?)</section>', response.content.decode(), re.S)
    assert found, main(response)
    return found.group(1)


def test_a_judge_lands_on_what_waits_for_their_sheet(web, api, judged):
    contest, round1, gk1 = judged
    response = web(gk1).get(reverse("desk:desk"))
    assert response.status_code == 200
    section = _judging(response)
    assert reverse("contests:judging", args=[contest.pk]) in section
    text = main(response)
    assert f"Bài được giao chấm : {contest.title} – Sơ khảo 2 bài chưa chấm" in text
    assert "Tác giả" not in text and "Bài 1" not in text
    assert desk_of(gk1, round1.contest.opens).counts["judging"] == 1
    body = api(gk1).get("me/desk").json()
    assert body["counts"]["judging"] == 1
    assert body["judging"][0]["note"] == "2 bài chưa chấm"


def test_a_closed_round_stays_listed_without_counting(web, judged):
    contest, round1, gk1 = judged
    services.close_round(acting_user=SYSTEM, contest=contest, round=round1)
    response = web(gk1).get(reverse("desk:desk"))
    assert "Vòng đã kết thúc chấm." in main(response)
    assert desk_of(gk1, contest.opens).counts["judging"] == 0


def test_whoever_judges_nothing_has_no_judging_section(web, personas, judged):
    response = web(personas.manager).get(reverse("desk:desk"))
    assert response.status_code == 200
    assert 'id="judging"' not in response.content.decode()
