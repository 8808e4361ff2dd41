"""A judge who also manages the organiser stays blind (decision 0053): every organiser
page and endpoint that shows authors, units, receipts or others' scores refuses them."""

import pytest
from django.urls import reverse

from tests.contests.conftest import SYSTEM
from tests.contests.test_certificates import _certify, decided  # noqa: F401
from tests.contests.test_results import closed  # noqa: F401
from trienkhai.contests import services


@pytest.fixture
def judging_manager(personas, contest, decided):  # noqa: F811
    """The district's manager (CHANGE on the organiser) named a judge of round 2 only,
    with no entry assigned: being a judge in any round is enough to be blind."""
    services.add_judge(
        acting_user=SYSTEM,
        contest=contest,
        round=contest.rounds.get(number=2),
        user=personas.manager,
    )
    return personas.manager


PAGES = ["contest", "round"]
POSTS = ["assign", "close", "prizes", "draw"]


def _args(name, contest):
    return [contest.pk] if name == "contest" else [contest.pk, 1]


@pytest.mark.parametrize("name", PAGES)
def test_it_refuses_the_organiser_pages_to_a_judge_who_manages(web, contest, judging_manager, name):
    response = web(judging_manager).get(reverse(f"contests:{name}", args=_args(name, contest)))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Tác giả" not in page and "003/2022" not in page


@pytest.mark.parametrize("name", POSTS)
def test_it_refuses_the_round_actions_to_a_judge_who_manages(web, contest, judging_manager, name):
    response = web(judging_manager).post(reverse(f"contests:{name}", args=[contest.pk, 1]))
    assert response.status_code == 403


def test_it_refuses_the_organiser_endpoints_to_a_judge_who_manages(
    api,
    contest,
    decided,  # noqa: F811
    judging_manager,
):
    made = _certify(contest, decided)[0]
    base = f"contests/{contest.pk}/rounds/1"
    judge = api(judging_manager)
    decision = {"date": "2022-10-05", "signer": "Nguyễn Văn Hùng", "signer_authority": "tm"}
    certificate = {"signer_position": "Chủ tịch"}
    answers = {
        "ranking": judge.get(f"{base}/ranking"),
        "results": judge.get(f"{base}/results"),
        "draw": judge.post(f"{base}/results"),
        "forwarded": judge.get(f"{base}/forwarded.zip"),
        "decision": judge.post(f"{base}/decision", decision),
        "certificates": judge.post(f"{base}/certificates", certificate),
        "pdf": judge.get(f"contests/{contest.pk}/certificates/{made.pk}/pdf"),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 403)
    assert all("Tác giả" not in r.content.decode(errors="replace") for r in answers.values())


def test_the_same_manager_not_judging_reads_them(web, api, personas, contest, decided):  # noqa: F811
    """The control: without the judge's seat the same manager reads every one of them."""
    assert (
        web(personas.manager).get(reverse("contests:round", args=[contest.pk, 1])).status_code
        == 200
    )
    assert (
        web(personas.manager).get(reverse("contests:contest", args=[contest.pk])).status_code == 200
    )
    base = f"contests/{contest.pk}/rounds/1"
    for tail in ("ranking", "results", "forwarded.zip"):
        assert api(personas.manager).get(f"{base}/{tail}").status_code == 200, tail


def test_the_list_offers_a_judge_who_manages_only_their_judging(web, contest, judging_manager):
    """The contest is under "Bài được giao chấm", not among those they organise (whose
    pages would refuse them)."""
    response = web(judging_manager).get(reverse("contests:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("contests:contest", args=[contest.pk])}"' not in page
    assert f'href="{reverse("contests:judging", args=[contest.pk])}"' in page
