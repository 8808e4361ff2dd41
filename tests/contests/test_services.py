import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.contests.conftest import SYSTEM
from tests.documents.test_attachments import png_file as png
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import services
from trienkhai.contests.models import Assignment, Entry, Judge


def receive(contest, unit, shade: int, title: str = "Bài viết") -> Entry:
    return services.receive_entry(
        acting_user=SYSTEM,
        contest=contest,
        title=title,
        author_name="Nguyễn Văn A",
        unit=unit,
        file_name="bai.png",
        data=png(shade),
    )


def test_it_numbers_receipts_by_contest_and_year(org, contest):
    first = receive(contest, org.c1, 1)
    second = receive(contest, org.c2, 2)
    assert (first.receipt, second.receipt) == ("001/2022", "002/2022")
    assert len(first.sha256) == 64 and first.size == len(png(1))


def test_it_refuses_the_same_file_twice_naming_the_first_receipt(org, contest):
    receive(contest, org.c1, 7)
    with pytest.raises(Conflict) as refused:
        receive(contest, org.c2, 7, title="Bài khác")
    assert "biên nhận số 001/2022" in refused.value.message
    assert Entry.objects.count() == 1


def test_it_refuses_an_entry_from_outside_the_organiser(org, contest):
    with pytest.raises(BadInput) as refused:
        receive(contest, org.d2, 3)
    assert refused.value.code == "invalid_unit"
    assert not Entry.objects.exists()


def test_it_refuses_a_user_of_another_unit(org, personas, contest):
    with pytest.raises(PermissionDenied):
        services.receive_entry(
            acting_user=personas.outsider,
            contest=contest,
            title="x",
            author_name="y",
            unit=org.c1,
            file_name="a.png",
            data=png(4),
        )
    assert not Entry.objects.exists()


def test_it_refuses_a_judge_twice_in_a_round(org, contest):
    user = f.make_user("gk1")
    first = contest.rounds.get(number=1)
    services.add_judge(acting_user=SYSTEM, contest=contest, round=first, user=user)
    with pytest.raises(Conflict):
        services.add_judge(acting_user=SYSTEM, contest=contest, round=first, user=user)
    assert Judge.objects.count() == 1


def test_it_keeps_judges_from_the_authors_unit_and_its_parent(org, contest):
    """GIVEN entries from C1 and C2 (both under D1) and judges at C1, D1, P1 and none
    WHEN round 1 (k = 2) is assigned
    THEN the C1 judge never reads a C1 entry, the D1 judge none at all, caps hold."""
    first = contest.rounds.get(number=1)
    judges = {}
    for name, unit in [("gk_c1", org.c1), ("gk_d1", org.d1), ("gk_p1", org.p1), ("gk", None)]:
        user = f.make_user(name, unit=unit, role="viewer" if unit else None)
        judges[name] = services.add_judge(
            acting_user=SYSTEM, contest=contest, round=first, user=user, cap=None
        )
    c1 = [receive(contest, org.c1, s) for s in range(10, 14)]
    c2 = [receive(contest, org.c2, s) for s in range(20, 24)]
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=first)
    assert result.unassigned == []
    pairs = set(Assignment.objects.filter(round=first).values_list("entry_id", "judge_id"))
    assert pairs == set(result.pairs) and len(pairs) == 16
    assert not {p for p in pairs if p[1] == judges["gk_d1"].pk}
    assert not {p for p in pairs if p[1] == judges["gk_c1"].pk and p[0] in {e.pk for e in c1}}
    assert {e for e, _ in pairs} == {e.pk for e in c1 + c2}


def test_it_lists_entries_left_without_enough_judges_and_replaces_old_ones(org, contest):
    first = contest.rounds.get(number=1)
    gk = services.add_judge(
        acting_user=SYSTEM, contest=contest, round=first, user=f.make_user("gk"), cap=1
    )
    entry = receive(contest, org.c1, 30)
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=first)
    assert result.unassigned == [entry.pk] and result.pairs == []
    services.add_judge(acting_user=SYSTEM, contest=contest, round=first, user=f.make_user("gk2"))
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=first)
    assert result.unassigned == []
    assert Assignment.objects.filter(round=first, judge=gk).count() == 1
    assert Assignment.objects.filter(round=first).count() == 2


def test_it_assigns_a_province_sized_round_end_to_end(org, contest, capsys):
    """6.450 entries from C1 and C2, 30 judges (one at C1, one at D1), k = 2: the
    service reads the round, solves it and writes 12.900 assignments. The seconds are
    printed for the record, not asserted."""
    import time

    first = contest.rounds.get(number=1)
    for n in range(30):
        unit = {0: org.c1, 1: org.d1}.get(n)
        user = f.make_user(f"gk{n}", unit=unit, role="viewer" if unit else None)
        services.add_judge(acting_user=SYSTEM, contest=contest, round=first, user=user)
    Entry.objects.bulk_create(
        Entry(
            contest=contest,
            number=n,
            title=f"Bài {n}",
            author_name="Tác giả",
            unit=org.c1 if n % 2 else org.c2,
            file_name="bai.pdf",
            path="x",
            size=1,
            sha256=f"{n:064x}",
        )
        for n in range(1, 6451)
    )
    start = time.perf_counter()
    result = services.assign_round(acting_user=SYSTEM, contest=contest, round=first)
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nassign_round, 6450 entries x 30 judges, k=2, with the database: {seconds:.2f} s")
    assert result.unassigned == [] and len(result.pairs) == 12_900
    assert Assignment.objects.filter(round=first).count() == 12_900
    d1 = Judge.objects.get(user__username="gk1")
    assert not Assignment.objects.filter(judge=d1).exists()  # the parent of every author
    c1 = Judge.objects.get(user__username="gk0")
    assert not Assignment.objects.filter(judge=c1, entry__unit=org.c1).exists()
