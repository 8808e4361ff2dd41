"""Chọn bài vào vòng sau (/cuoc-thi/<id>/vong/<n>/chon-vao-vong-sau/, decision 0061): the
organiser previews then advances the first K of a closed round's ranking. The service's
refusals (409 round_open, last_round, scoring_started; 400 invalid_count) are shown in
words with nothing changed; a judge who manages the organiser, the outsider, viewers and
reporters are refused; anonymous users are sent to log in."""

# ruff: noqa: F811 (the ``closed`` fixture, imported, is named by the tests)

import pytest
from django.urls import reverse

from tests.activities.test_views import english, main
from tests.contests.conftest import SYSTEM
from tests.contests.test_advancing import final_judges  # noqa: F401 (a fixture)
from tests.contests.test_results import ORDER, closed  # noqa: F401
from trienkhai.contests import advance_views, ranking, services
from trienkhai.contests.models import Advancement, Assignment
from trienkhai.contests.templatetags.contest_tags import fixed


def url(contest, number=1) -> str:
    return reverse("contests:advance", args=[contest.pk, number])


def advanced(contest) -> list[int]:
    """The receipt numbers advanced into round 2, by rank."""
    rows = Advancement.objects.filter(round__contest=contest, round__number=2)
    return [r.entry.number for r in rows.select_related("entry")]


def test_it_shows_the_ranking_with_receipts_authors_and_units(web, personas, contest, closed):
    response = web(personas.manager).get(url(contest))
    assert response.status_code == 200
    text = main(response)
    assert "Chọn bài từ vòng Sơ khảo vào vòng Chung khảo" in text
    assert "Xếp hạng vòng Sơ khảo (6 bài)" in text
    first = ranking.of_round(closed[0])[0]
    assert f"1 003/2022 Bài số 3 Tác giả 3 Thị trấn Vĩnh Thuận {fixed(first.normalised)}" in text
    assert text.index("Bài số 3") < text.index("Bài số 1 ") < text.index("Bài số 5")
    assert "Xem thêm" not in text  # six rows, fewer than 50


def test_it_previews_the_cut_off_before_confirming(web, personas, contest, closed):
    ranked = ranking.of_round(closed[0])
    response = web(personas.manager).get(url(contest), {"so": "3"})
    assert response.status_code == 200
    text = main(response)
    assert "3 bài đầu bảng xếp hạng vào vòng Chung khảo." in text
    third, fourth = fixed(ranked[2].normalised), fixed(ranked[3].normalised)
    assert f"Bài thứ 3 có điểm chuẩn hóa {third}; bài thứ 4: {fourth}." in text
    assert "Đây là lần chọn đầu tiên cho vòng Chung khảo." in text
    assert 'name="so" value="3"' in response.content.decode()
    assert "Chọn 3 bài vào vòng Chung khảo" in text
    assert not Advancement.objects.exists()  # a preview changes nothing


def test_it_advances_then_goes_to_the_next_round(web, personas, contest, closed):
    client = web(personas.manager)
    response = client.post(url(contest), {"so": "3"})
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:round", args=[contest.pk, 2])
    assert advanced(contest) == ORDER[:3]
    text = main(client.get(response["Location"]))
    assert "Đã chọn 3 bài vào vòng Chung khảo. Hãy phân công giám khảo chấm." in text


def test_it_says_what_a_new_choice_replaces(web, personas, contest, closed, final_judges):
    """GIVEN four entries advanced and round 2 assigned (three judges each: 12 readings)
    WHEN the organiser previews two THEN the page says both the choice and the readings go."""
    services.advance_entries(acting_user=SYSTEM, contest=contest, round=closed[0], count=4)
    services.assign_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    text = main(web(personas.manager).get(url(contest), {"so": "2"}))
    assert "Đã chọn 4 bài vào vòng Chung khảo lúc" in text
    assert "Thay cho lần chọn trước (4 bài)." in text
    assert "12 lượt phân công giám khảo vòng Chung khảo bị xóa: phải phân công lại." in text
    response = web(personas.manager).post(url(contest), {"so": "2"})
    assert response.status_code == 302
    assert advanced(contest) == ORDER[:2]
    assert not Assignment.objects.filter(round=final_judges).exists()


def test_it_previews_all_the_ranked_without_a_next_one(web, personas, contest, closed):
    text = main(web(personas.manager).get(url(contest), {"so": "6"}))
    assert "Tất cả bài đã xếp hạng đều vào vòng sau; bài cuối (thứ 6)" in text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("7", "Số bài vào vòng sau từ 1 đến 6, số bài đã xếp hạng ở vòng Sơ khảo"),
        ("0", "Nhập một số từ 1 đến 1.000.000."),
        ("ba", "“ba” không phải là một số nguyên."),
        ("", "Trường này là bắt buộc."),
    ],
)
def test_it_refuses_a_count_beside_the_field(web, personas, contest, closed, typed, said):
    for response in (
        web(personas.manager).post(url(contest), {"so": typed}),
        web(personas.manager).get(url(contest), {"so": typed}),
    ):
        assert response.status_code == 400
        text = main(response)
        assert said in text, text
    assert not Advancement.objects.exists()


def test_it_shows_the_409s_in_words_and_changes_nothing(
    web, personas, contest, closed, final_judges
):
    client = web(personas.manager)
    last = client.post(url(contest, 2), {"so": "1"})
    assert last.status_code == 409
    assert "Vòng Chung khảo là vòng cuối: không có vòng sau" in main(last)
    services.advance_entries(acting_user=SYSTEM, contest=contest, round=closed[0], count=4)
    services.close_round(acting_user=SYSTEM, contest=contest, round=final_judges)
    started = client.post(url(contest), {"so": "2"})  # a sheet in round 2 says the same
    assert started.status_code == 409
    text = main(started)
    assert "Vòng Chung khảo đã có điểm chấm: không chọn lại bài vào vòng" in text
    assert "Vòng Chung khảo đã có phiếu chấm" in text  # the form is no longer offered
    assert 'id="preview-form"' not in started.content.decode()
    assert advanced(contest) == ORDER[:4]


def test_it_refuses_while_the_round_is_open(web, personas, contest, media):
    response = web(personas.manager).post(url(contest), {"so": "1"})
    assert response.status_code == 409
    assert "Vòng Sơ khảo chưa kết thúc chấm: kết thúc trước khi chọn bài vào vòng sau" in main(
        response
    )
    assert not Advancement.objects.exists()
    page = main(web(personas.manager).get(url(contest)))
    assert "Vòng Sơ khảo chưa kết thúc chấm: kết thúc chấm rồi mới chọn bài vào vòng sau." in page


def test_it_answers_in_english(web, personas, contest, media):
    client = english(web(personas.manager))
    page = main(client.get(url(contest)))
    assert "Choose entries from round Sơ khảo for round Chung khảo" in page
    refused = client.post(url(contest), {"so": "1"})
    assert refused.status_code == 409
    assert "Round 1 is still open for scoring: close it first" in main(refused)


def test_it_lists_more_on_asking(web, personas, contest, closed, monkeypatch):
    monkeypatch.setattr(advance_views, "SHOWN", 2)
    client = web(personas.manager)
    text = main(client.get(url(contest)))
    assert "Bài số 1 " in text and "Bài số 5" not in text
    assert "Xem thêm (đang hiện 2/6 bài)" in text
    assert "Bài số 2" in main(client.get(url(contest), {"hien": "4"}))
    assert "Bài số 4" in main(client.get(url(contest), {"so": "5"}))  # past the cut-off


def test_it_reads_a_page_in_a_fixed_number_of_queries(
    web, personas, contest, closed, django_assert_num_queries
):
    """Session and roles (3), contest, judge's seat, the two rounds (4), the ranking (2),
    the rows' entries and their units' names (2), round 2's sheets, the earlier choice."""
    client = web(personas.manager)
    client.get(url(contest))  # the session's first reads
    with django_assert_num_queries(13):
        assert client.get(url(contest), {"so": "3"}).status_code == 200


@pytest.fixture
def judging_manager(personas, contest):
    """The district's manager (CHANGE on the organiser) named a judge of round 2."""
    final = contest.rounds.get(number=2)
    services.add_judge(acting_user=SYSTEM, contest=contest, round=final, user=personas.manager)
    return personas.manager


def test_it_refuses_everyone_but_the_organisers(web, personas, contest, closed, judging_manager):
    for who in (judging_manager, personas.outsider, personas.viewer, personas.reporter):
        assert web(who).get(url(contest)).status_code == 403
        assert web(who).post(url(contest), {"so": "2"}).status_code == 403
    login = web().get(url(contest))
    assert login.status_code == 302 and "/dang-nhap/" in login["Location"]
    assert web().post(url(contest), {"so": "2"}).status_code == 302
    assert not Advancement.objects.exists()
    assert web(personas.admin).put(url(contest)).status_code == 405


def test_the_round_page_offers_it_once_closed_and_not_the_last(web, personas, contest, media):
    client = web(personas.manager)
    link = f'href="{url(contest)}"'
    assert link not in client.get(reverse("contests:round", args=[contest.pk, 1])).content.decode()
    round1, final = contest.rounds.order_by("number")
    for each in (round1, final):
        services.close_round(acting_user=SYSTEM, contest=contest, round=each)
    page = client.get(reverse("contests:round", args=[contest.pk, 1])).content.decode()
    assert link in page and "Chọn bài vào vòng sau" in page
    last = client.get(reverse("contests:round", args=[contest.pk, 2])).content.decode()
    assert "chon-vao-vong-sau" not in last
