"""A judge who also manages the organiser stays blind (decision 0053): every organiser
page and endpoint that shows authors, units, receipts or others' scores refuses them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tests.contests.conftest import SYSTEM
from tests.contests.test_certificates import _certify, decided  # noqa: F401
from tests.contests.test_results import closed  # noqa: F401
from tests.documents.test_attachments import png_file as png
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


@pytest.fixture
def manager_judging(personas, org, contest, media):
    """One entry from C1, gk1 judging round 1, and the district's manager (CHANGE on the
    organiser) a judge of round 2: returns the entry."""
    entry = services.receive_entry(
        acting_user=SYSTEM,
        contest=contest,
        title="Bài viết",
        author_name="Nguyễn Văn A",
        unit=org.c1,
        file_name="bai.png",
        data=png(5),
    )
    round1, final = contest.rounds.order_by("number")
    services.add_judge(acting_user=SYSTEM, contest=contest, round=round1, user=f.make_user("gk1"))
    services.add_judge(acting_user=SYSTEM, contest=contest, round=final, user=personas.manager)
    return entry


def _actions(contest, entry):
    """(method, path, body) of every organiser action that shows or changes authors,
    units, entries or judges."""
    base = f"contests/{contest.pk}"
    # The category the first action adds: the contest then asks one of each entry.
    upload = {"title": "Bài mới", "author_name": "Lê Thị B", "unit": "C1", "category": "Chính luận"}
    return {
        "category": ("post", f"{base}/categories", {"name": "Chính luận"}),
        "judge": ("post", f"{base}/judges", {"user": "viewer", "round": 1}),
        "entry": ("upload", f"{base}/entries", (upload, png(9))),
        "disqualify": ("post", f"{base}/entries/{entry.pk}/disqualify", {"reason": "Chép"}),
        "conflict": ("post", f"{base}/conflicts", {"unit": "C2", "user": "gk1"}),
        "conflicts": ("get", f"{base}/conflicts", None),
        "assign": ("post", f"{base}/rounds/1/assign", None),
        "advance": ("post", f"{base}/rounds/1/advance", {"count": 1}),
        "close": ("post", f"{base}/rounds/1/close", None),
        "prizes": ("put", f"{base}/rounds/1/prizes", {"prizes": [{"name": "A", "count": 1}]}),
    }


def _answer(client, method, path, body):
    if method == "upload":
        fields, data = body
        return client.client.post(
            f"/api/v1/{path}",
            {**fields, "file": SimpleUploadedFile("bai.png", data, "image/png")},
            headers=client.headers,
        )
    if method == "get":
        return client.get(path)
    if method == "post":
        return client.post(path, body)
    return client._call(method, path, body)


def _state() -> tuple:
    """What the actions would change: categories, judges, entries, conflicts, entries
    out, rounds closed, advanced entries, assignments, prizes."""
    from trienkhai.contests.models import (
        Advancement,
        Assignment,
        Category,
        DeclaredConflict,
        Entry,
        Judge,
        Prize,
        Round,
    )

    return (
        Category.objects.count(),
        Judge.objects.count(),
        Entry.objects.count(),
        DeclaredConflict.objects.count(),
        Entry.objects.filter(disqualified_at__isnull=False).count(),
        Round.objects.filter(closed_at__isnull=False).count(),
        Advancement.objects.count(),
        Assignment.objects.count(),
        Prize.objects.count(),
    )


def test_it_refuses_every_organiser_action_to_a_judge_who_manages(
    api, personas, contest, manager_judging
):
    before = _state()
    judge = api(personas.manager)
    answers = {
        name: _answer(judge, *action) for name, action in _actions(contest, manager_judging).items()
    }
    assert {n: r.status_code for n, r in answers.items()} == dict.fromkeys(answers, 403)
    assert _state() == before


def test_the_organiser_does_every_one_of_them(api, personas, org, contest, manager_judging):
    """The control: another manager of the district, who judges nothing, is allowed each
    action (the service's answer, never 403)."""
    organiser = api(f.make_user("organiser", unit=org.d1, role="manager"))
    answers = {
        name: _answer(organiser, *action)
        for name, action in _actions(contest, manager_judging).items()
    }
    assert answers["entry"].status_code == 201, answers["entry"].content
    assert {n: r.status_code for n, r in answers.items()} == {
        "category": 201,
        "judge": 201,
        "entry": 201,
        "disqualify": 200,
        "conflict": 201,
        "conflicts": 200,
        "assign": 200,
        "advance": 409,  # round 1 is still open: the service's refusal, not the access's
        "close": 200,
        "prizes": 200,
    }


def test_a_judge_who_manages_still_declares_their_own_conflict(
    api, personas, contest, manager_judging
):
    answer = api(personas.manager).post(f"contests/{contest.pk}/conflicts", {"unit": "C1"})
    assert answer.status_code == 201, answer.content
