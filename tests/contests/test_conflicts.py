"""Declared conflicts of interest: the assignment keeps a judge from what they named."""

import re

import pytest

from tests import factories as f
from tests.activities.test_views import words
from tests.contests.conftest import SYSTEM
from tests.documents.test_attachments import png_file as png
from trienkhai.accounts.models import User
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import assignment, services
from trienkhai.contests.models import Assignment, DeclaredConflict


def test_the_solver_keeps_an_entry_from_a_judge_who_declared_it():
    result = assignment.solve(
        entries=[(1, 10), (2, 10), (3, 10)],
        judges={100: None, 200: None, 300: None},
        per_entry=2,
        conflicted={},
        entry_conflicts={2: frozenset({100})},
    )
    assert result.unassigned == []
    pairs = set(result.pairs)
    assert (2, 100) not in pairs
    assert {(2, 200), (2, 300)} <= pairs
    assert len(pairs) == 6


@pytest.fixture
def round1(org, contest, media):
    """Three entries (C1, C2, C2), judges gk1–gk4 of round 1 holding no role."""
    entries = [
        services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title=f"Bài {n}",
            author_name="Tác giả",
            unit=unit,
            file_name="bai.png",
            data=png(n),
        )
        for n, unit in [(1, org.c1), (2, org.c2), (3, org.c2)]
    ]
    round1 = contest.rounds.get(number=1)
    for name in ("gk1", "gk2", "gk3", "gk4"):
        services.add_judge(
            acting_user=SYSTEM, contest=contest, round=round1, user=f.make_user(name)
        )
    return round1, entries


def _pairs(round1):
    return {
        (a.entry_id, a.judge.user.username)
        for a in Assignment.objects.filter(round=round1).select_related("judge__user")
    }


def test_assignment_respects_a_conflict_with_an_entry_and_with_a_unit(org, contest, round1):
    round, (first, second, third) = round1
    gk1, gk2, _, gk4 = (j.user for j in round.judges.order_by("user__username"))
    services.declare_conflict(acting_user=gk1, contest=contest, user=gk1, entry=first)
    services.declare_conflict(acting_user=SYSTEM, contest=contest, user=gk2, unit=org.c2)
    # A conflict with the district covers the communes under it: every entry here.
    services.declare_conflict(acting_user=gk4, contest=contest, user=gk4, unit=org.d1)
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=round)
    assert result.unassigned == []
    assert _pairs(round) == {
        (first.pk, "gk2"),
        (first.pk, "gk3"),
        (second.pk, "gk1"),
        (second.pk, "gk3"),
        (third.pk, "gk1"),
        (third.pk, "gk3"),
    }


def test_a_conflict_names_one_entry_or_one_unit_once(org, contest, round1):
    round, (first, *_) = round1
    gk1 = round.judges.get(user__username="gk1").user
    with pytest.raises(BadInput):
        services.declare_conflict(acting_user=gk1, contest=contest, user=gk1)
    with pytest.raises(BadInput):
        services.declare_conflict(
            acting_user=gk1, contest=contest, user=gk1, entry=first, unit=org.c1
        )
    with pytest.raises(BadInput):  # a unit outside the organiser's tree
        services.declare_conflict(acting_user=gk1, contest=contest, user=gk1, unit=org.d2)
    services.declare_conflict(acting_user=gk1, contest=contest, user=gk1, entry=first)
    with pytest.raises(Conflict):
        services.declare_conflict(acting_user=gk1, contest=contest, user=gk1, entry=first)
    outsider = f.make_user("ai")
    with pytest.raises(BadInput):  # not a judge
        services.declare_conflict(acting_user=SYSTEM, contest=contest, user=outsider, unit=org.c1)
    assert DeclaredConflict.objects.count() == 1


def test_the_api_takes_a_judges_own_conflict_and_an_organisers(org, personas, api, contest, round1):
    round, (first, *_) = round1
    url = f"contests/{contest.pk}/conflicts"
    judge = api(round.judges.get(user__username="gk1").user)
    mine = judge.post(url, {"unit": "C2", "reason": "Vợ tôi công tác ở xã này"})
    assert mine.status_code == 201, mine.content
    # A judge declares only their own, and learns nothing of units outside the contest.
    assert judge.post(url, {"unit": "C1", "user": "gk2"}).status_code == 403
    assert judge.post(url, {"unit": "D2"}).status_code == 404
    assert judge.post(url, {"unit": "C2"}).status_code == 409
    made = api(personas.manager).post(url, {"entry": first.pk, "user": "gk2"})
    assert made.status_code == 201, made.content
    assert api(personas.outsider).post(url, {"entry": first.pk}).status_code == 403
    assert api(personas.outsider).post(url, {"entry": first.pk, "user": "gk2"}).status_code == 403
    assert api().post(url, {"entry": first.pk}).status_code == 401
    assert api(personas.manager)._call("put", url, {}).status_code == 405
    assert set(DeclaredConflict.objects.values_list("user__username", "unit__code", "entry")) == {
        ("gk1", "C2", None),
        ("gk2", None, first.pk),
    }


def test_a_judge_declares_at_most_two_units_and_asks_the_organiser_for_more(
    org, personas, api, contest, round1
):
    """GIVEN judge gk1 declared conflicts with C1 and C2 WHEN they declare a third unit
    THEN 400 telling them to ask the organiser, who may record it (and more) for them."""
    url = f"contests/{contest.pk}/conflicts"
    judge = api(User.objects.get(username="gk1"))
    for code in ("C1", "C2"):
        assert judge.post(url, {"unit": code}).status_code == 201
    third = judge.post(url, {"unit": "D1"})
    assert third.status_code == 400, third.content
    assert "đề nghị ban tổ chức" in third.json()["error"]["message"]
    assert "ask the organiser" in third.json()["error"]["message"]
    assert DeclaredConflict.objects.filter(user__username="gk1").count() == 2
    assert api(personas.manager).post(url, {"unit": "D1", "user": "gk1"}).status_code == 201
    # An entry in their own pile is not a unit: it stays open to them.
    round, (first, *_) = round1
    Assignment.objects.create(
        round=round, entry=first, judge=round.judges.get(user__username="gk1")
    )
    assert judge.post(url, {"entry": first.pk}).status_code == 201


def test_a_judge_learns_nothing_of_entries_outside_their_pile(personas, api, contest, round1):
    """An entry not assigned to the judge and one that does not exist answer the same
    403 (no oracle); the organiser still names any entry of the contest."""
    round, (first, second, _) = round1
    url = f"contests/{contest.pk}/conflicts"
    judge = api(User.objects.get(username="gk1"))
    assigned = Assignment.objects.create(
        round=round, entry=first, judge=round.judges.get(user__username="gk1")
    )
    other = judge.post(url, {"entry": second.pk})
    missing = judge.post(url, {"entry": 2**31 - 1})
    assert (other.status_code, missing.status_code) == (403, 403)
    assert other.json() == missing.json()
    assert judge.post(url, {"entry": assigned.entry_id}).status_code == 201
    assert api(personas.manager).post(url, {"entry": second.pk, "user": "gk1"}).status_code == 201
    assert api(personas.manager).post(url, {"entry": 2**31 - 1, "user": "gk1"}).status_code == 404


def test_the_contest_page_lists_the_declared_conflicts(org, personas, web, contest, round1):
    _, (first, *_) = round1
    gk1, gk2 = (User.objects.get(username=u) for u in ("gk1", "gk2"))
    services.declare_conflict(
        acting_user=gk1, contest=contest, user=gk1, unit=org.c2, reason="Vợ công tác ở xã"
    )
    services.declare_conflict(acting_user=personas.manager, contest=contest, user=gk2, entry=first)
    response = web(personas.manager).get(f"/cuoc-thi/{contest.pk}/")
    assert response.status_code == 200
    section = re.search(r'id="conflicts">(.*?)</section>', response.content.decode(), re.S)
    assert section
    rows = [
        words(r) for r in re.findall(r"<tr>(.*?)</tr>", section.group(1).split("<tbody>")[1], re.S)
    ]
    assert len(rows) == 2
    assert "gk2" in rows[0] and "Bài 001/2022: Bài 1" in rows[0] and "manager" in rows[0]
    assert "gk1" in rows[1] and "Vợ công tác ở xã" in rows[1] and "Giám khảo tự khai" in rows[1]


def test_the_api_lists_the_declared_conflicts_to_organisers_only(
    org, personas, api, contest, round1
):
    _, (first, *_) = round1
    gk1, gk2 = (User.objects.get(username=u) for u in ("gk1", "gk2"))
    services.declare_conflict(
        acting_user=gk1, contest=contest, user=gk1, unit=org.c2, reason="Vợ công tác ở xã"
    )
    services.declare_conflict(acting_user=personas.manager, contest=contest, user=gk2, entry=first)
    url = f"contests/{contest.pk}/conflicts"
    answer = api(personas.manager).get(url)
    assert answer.status_code == 200, answer.content
    listed = answer.json()
    assert [{k: v for k, v in c.items() if k != "created"} for c in listed] == [
        {
            "id": DeclaredConflict.objects.get(unit=org.c2).pk,
            "judge": "gk1",
            "unit": "C2",
            "reason": "Vợ công tác ở xã",
            "declared_by": "gk1",
        },
        {
            "id": DeclaredConflict.objects.get(entry=first).pk,
            "judge": "gk2",
            "entry": first.pk,
            "receipt": "001/2022",
            "reason": "",
            "declared_by": "manager",
        },
    ]
    assert all(c["created"] for c in listed)
    # A judge (even of their own conflicts), a viewer, an outsider: 403; anonymous: 401.
    for who in (gk1, personas.viewer, personas.outsider):
        assert api(who).get(url).status_code == 403
    assert api().get(url).status_code == 401
    assert api(personas.manager).get("contests/999999/conflicts").status_code == 404
