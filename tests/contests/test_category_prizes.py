"""Prizes per category (decision 0064): a category's prizes go down the ranking of its
entries only, round-wide ones down the whole ranking, in the order listed; forwarding
stays round-wide. The results, the decision's list and the certificates say "Giải A –
Chính luận"."""

import pytest

from tests.activities.test_views import main
from tests.contests.conftest import SYSTEM
from tests.contests.test_results import _close_later, _issue, closed  # noqa: F401
from trienkhai.common.errors import BadInput
from trienkhai.contests import certificates, results, services
from trienkhai.contests.models import Entry, Prize

# The ranking of ``closed``: receipts 3, 1, 5, 2, 6, 4.
CATEGORIES = {"Chính luận": (1, 3, 4), "Báo chí": (2, 5, 6)}


@pytest.fixture
def sorted_(contest, closed):  # noqa: F811
    """``closed``'s entries in two categories (set directly: intake is test_intake's)."""
    round1, _ = closed
    for name, numbers in CATEGORIES.items():
        made = services.add_category(acting_user=SYSTEM, contest=contest, name=name)
        Entry.objects.filter(contest=contest, number__in=numbers).update(category=made)
    return round1


def _per_category(contest, round1):
    return results.set_prizes(
        acting_user=SYSTEM,
        contest=contest,
        round=round1,
        prizes=[
            results.PrizeInput("Giải Đặc biệt", 1),
            results.PrizeInput("Giải A", 1, "Chính luận"),
            results.PrizeInput("Giải A", 1, "Báo chí"),
            results.PrizeInput("Giải B", 2, "Chính luận"),
            results.PrizeInput("Giải B", 1, "Báo chí"),
        ],
        forward_quota=2,
    )


def test_a_categorys_prizes_go_down_its_own_ranking(contest, sorted_):
    made = _per_category(contest, sorted_)
    assert [p.shown for p in made] == [
        "Giải Đặc biệt",
        "Giải A – Chính luận",
        "Giải A – Báo chí",
        "Giải B – Chính luận",
        "Giải B – Báo chí",
    ]
    results.draw_results(acting_user=SYSTEM, contest=contest, round=sorted_)
    got = [
        (r.entry.number, r.rank, r.prize.shown if r.prize else None, r.is_forwarded)
        for r in results.winners(sorted_)
    ]
    # The round-wide prize takes the first entry (3, Chính luận); Chính luận's Giải A
    # goes to its next, 1 (ranked 2nd), Báo chí's to 5 (3rd); Chính luận's two Giải B
    # find only 4 left (6th); entry 6 (5th, Báo chí) gets nothing: Báo chí's Giải B went
    # to 2 (4th). The first two of the round are forwarded, whatever their category.
    assert got == [
        (3, 1, "Giải Đặc biệt", True),
        (1, 2, "Giải A – Chính luận", True),
        (5, 3, "Giải A – Báo chí", False),
        (2, 4, "Giải B – Báo chí", False),
        (4, 6, "Giải B – Chính luận", False),
    ]


def test_without_category_prizes_the_draw_is_as_before(contest, sorted_):
    results.set_prizes(
        acting_user=SYSTEM,
        contest=contest,
        round=sorted_,
        prizes=[results.PrizeInput("Giải A", 1), results.PrizeInput("Giải B", 2)],
        forward_quota=4,
    )
    results.draw_results(acting_user=SYSTEM, contest=contest, round=sorted_)
    assert [
        (r.entry.number, r.prize.name if r.prize else None) for r in results.winners(sorted_)
    ] == [
        (3, "Giải A"),
        (1, "Giải B"),
        (5, "Giải B"),
        (2, None),
    ]


def test_it_refuses_an_unknown_category_and_a_name_twice_in_one(contest, sorted_):
    with pytest.raises(BadInput) as unknown:
        results.set_prizes(
            acting_user=SYSTEM,
            contest=contest,
            round=sorted_,
            prizes=[results.PrizeInput("Giải A", 1, "Thơ")],
        )
    assert unknown.value.code == "invalid_category" and "Thơ" in unknown.value.message
    with pytest.raises(BadInput) as twice:
        results.set_prizes(
            acting_user=SYSTEM,
            contest=contest,
            round=sorted_,
            prizes=[
                results.PrizeInput("Giải A", 1, "Báo chí"),
                results.PrizeInput("Giải A", 2, "Báo chí"),
            ],
        )
    assert twice.value.code == "invalid_prizes"
    assert not Prize.objects.exists()


def test_the_decisions_list_and_the_certificates_name_the_category(contest, sorted_):
    _per_category(contest, sorted_)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=sorted_)
    document = _issue(contest, sorted_)
    (attached,) = document.attachments.all()
    assert "Giải A – Chính luận" in attached.text and "Giải B – Báo chí" in attached.text
    sorted_.refresh_from_db()
    made = certificates.issue(
        acting_user=SYSTEM, contest=contest, round=sorted_, signer_position="Chủ tịch"
    )
    assert [c.prize_name for c in made] == [
        "Giải Đặc biệt",
        "Giải A – Chính luận",
        "Giải A – Báo chí",
        "Giải B – Báo chí",
        "Giải B – Chính luận",
    ]


def test_the_api_takes_a_category_per_prize(personas, api, contest, sorted_):
    url = f"contests/{contest.pk}/rounds/1/prizes"
    manager = api(personas.manager)
    body = {
        "prizes": [
            {"name": "Giải A", "count": 1, "category": "Chính luận"},
            {"name": "Giải A", "count": 1, "category": "Báo chí"},
            {"name": "Giải B", "count": 1},
        ],
        "forward": 1,
    }
    unknown = manager._call("put", url, {"prizes": [{"name": "A", "count": 1, "category": "Thơ"}]})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "invalid_category"
    assert not Prize.objects.exists()
    saved = manager._call("put", url, body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["prizes"] == [
        {"name": "Giải A", "count": 1, "category": "Chính luận"},
        {"name": "Giải A", "count": 1, "category": "Báo chí"},
        {"name": "Giải B", "count": 1, "category": None},
    ]
    drawn = manager.post(f"contests/{contest.pk}/rounds/1/results")
    assert drawn.status_code == 200, drawn.content
    assert [(r["receipt"], r["prize"], r["prize_category"]) for r in drawn.json()] == [
        ("003/2022", "Giải A", "Chính luận"),
        ("001/2022", "Giải B", None),
        ("005/2022", "Giải A", "Báo chí"),
    ]


def test_the_prizes_page_picks_a_category_per_row(web, personas, contest, sorted_):
    client = web(personas.manager)
    base = f"/cuoc-thi/{contest.pk}/vong/1/"
    page = client.get(base)
    markup = page.content.decode()
    assert page.status_code == 200
    assert '<select name="giai-1-the-loai"' in markup
    assert '<option value="" selected>Toàn cuộc thi</option>' in markup
    assert '<option value="Chính luận">Chính luận</option>' in markup
    bad = client.post(
        f"{base}co-cau-giai/", {"giai-1-ten": "Giải A", "giai-1-so": "1", "giai-1-the-loai": "Thơ"}
    )
    assert bad.status_code == 400
    assert 'id="id_giai-1-the-loai_error"' in bad.content.decode()
    assert not Prize.objects.exists()
    saved = client.post(
        f"{base}co-cau-giai/",
        {
            "giai-1-ten": "Giải A",
            "giai-1-so": "1",
            "giai-1-the-loai": "Chính luận",
            "giai-2-ten": "Giải A",
            "giai-2-so": "1",
            "giai-2-the-loai": "Báo chí",
            "giai-3-ten": "Giải Khuyến khích",
            "giai-3-so": "1",
            "giai-3-the-loai": "",
        },
        follow=True,
    )
    assert saved.status_code == 200
    shown = saved.content.decode()
    assert '<option value="Báo chí" selected>Báo chí</option>' in shown
    assert [(p.name, p.category.name if p.category else None) for p in Prize.objects.all()] == [
        ("Giải A", "Chính luận"),
        ("Giải A", "Báo chí"),
        ("Giải Khuyến khích", None),
    ]
    drawn = client.post(f"{base}xet-giai/", follow=True)
    text = main(drawn)
    assert "Bài số 3 Biên nhận 003/2022 Tác giả 3, Thị trấn Vĩnh Thuận Giải A – Chính luận" in text
    assert "Giải A – Báo chí" in text and "Giải Khuyến khích" in text


def test_a_contest_without_categories_has_no_category_column(web, personas, contest, closed):  # noqa: F811
    markup = web(personas.manager).get(f"/cuoc-thi/{contest.pk}/vong/1/").content.decode()
    assert 'name="giai-1-ten"' in markup and 'name="giai-1-the-loai"' not in markup
