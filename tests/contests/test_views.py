"""The contest pages (/cuoc-thi/): the list, a contest, the assignment, a round's
ranking, a judge's "Bài được giao chấm" and score sheet. Each with its forbidden cases:
the outsider (a manager of D2, another unit), a judge asking for an entry not theirs,
an organiser who does not judge an entry, anonymous (log-in), the wrong method (405).
Judging is blind: a judge's pages never name the author or the unit (decision 0053)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.activities.test_views import english, main
from tests.contests.conftest import SYSTEM
from tests.contests.test_judging import judging  # noqa: F401 (a fixture)
from trienkhai.contests import pages, services
from trienkhai.contests.models import Assignment, Criterion, Score

AUTHORS = ["Nguyễn Văn A", "Trần Thị B", "NguyenVanA"]
OFFICES = ["Huyện ủy Vĩnh Thuận", "Xã Vĩnh Bình Bắc"]


@pytest.fixture
def judged(judging):  # noqa: F811
    """Round 1 of the contest (Nội dung: weight 6, max 60; Hình thức: weight 4, max 40),
    an entry from C1 and one from C2 (their .docx name the author and office), judges
    gk1 (both entries), gk2 (the first) and gk3 (none): ``test_judging.judging``."""
    return judging


def score_url(judged, entry, number=1) -> str:
    return f"/cuoc-thi/{judged['contest'].pk}/vong/{number}/bai/{entry.pk}/"


def sheet(judged, entry, **values):
    """A score sheet posted by the form's names (tieu-chi-{pk})."""
    criteria = {c.name: c.pk for c in Criterion.objects.filter(contest=judged["contest"])}
    return {f"tieu-chi-{criteria[name]}": value for name, value in values.items()}


def blind(text: str) -> None:
    for secret in [*AUTHORS, *OFFICES, "Thị trấn Vĩnh Thuận", "Vĩnh Bình Bắc", "001/2022"]:
        assert secret not in text, secret


# The list


def test_it_lists_the_contests_an_organiser_holds(web, personas, judged):
    text = main(web(personas.manager).get("/cuoc-thi/"))
    assert "Cuộc thi viết về Đảng bộ tỉnh Kiên Giang 2022" in text
    assert "01/03/2022 – " in text
    assert "Bài được giao chấm" not in text  # the manager judges nothing


def test_it_lists_a_judges_contests_with_what_waits(web, judged):
    response = web(judged["judges"]["gk1"].user).get("/cuoc-thi/")
    assert response.status_code == 200
    text = main(response)
    assert "Bài được giao chấm" in text
    assert "2 bài chưa chấm" in text
    assert "Không có cuộc thi nào do đơn vị bạn quản lý tổ chức." in text


def test_it_keeps_another_units_contests_from_the_list(web, personas, judged):
    text = main(web(personas.outsider).get("/cuoc-thi/"))
    assert "Kiên Giang 2022" not in text
    assert "Không có cuộc thi nào" in text


def test_it_answers_the_list_in_english(web, personas, judged):
    text = main(english(web(personas.manager)).get("/cuoc-thi/"))
    assert "Contests your unit holds" in text
    assert "Entries" in text


def test_it_sends_anonymous_users_to_log_in_and_refuses_other_methods(web, personas, judged):
    contest = judged["contest"]
    for url in [
        "/cuoc-thi/",
        f"/cuoc-thi/{contest.pk}/",
        f"/cuoc-thi/{contest.pk}/cham/",
        f"/cuoc-thi/{contest.pk}/vong/1/",
        score_url(judged, judged["entries"][0]),
    ]:
        response = web().get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url
    manager = web(personas.manager)
    assert manager.post("/cuoc-thi/").status_code == 405
    assert manager.post(f"/cuoc-thi/{contest.pk}/").status_code == 405
    assert manager.get(f"/cuoc-thi/{contest.pk}/vong/1/phan-cong/").status_code == 405
    assert manager.post(f"/cuoc-thi/{contest.pk}/vong/1/").status_code == 405


# The contest and its assignment


def test_it_shows_a_contest_to_its_organiser(web, personas, judged):
    response = web(personas.manager).get(f"/cuoc-thi/{judged['contest'].pk}/")
    assert response.status_code == 200
    text = main(response)
    assert "2 bài từ 2 đơn vị" in text
    assert "Nội dung 6 60" in text and "Hình thức 4 40" in text
    assert "Sơ khảo 2 2 0/3" in text  # k, entries assigned, sheets/readings
    assert "gk1 gk1 — 2 0" in text
    assert "Phân công lại" in text


def test_it_reads_a_contest_in_a_few_queries(web, personas, judged):
    client = web(personas.manager)
    url = f"/cuoc-thi/{judged['contest'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    before = len(queries)
    for i in range(5):  # more judges do not cost more queries
        services.add_judge(
            acting_user=SYSTEM,
            contest=judged["contest"],
            round=judged["round"],
            user=f.make_user(f"more{i}"),
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == before <= 20


@pytest.mark.parametrize("who", ["outsider", "viewer", "reporter", "judge"])
def test_it_refuses_a_contest_to_whoever_does_not_organise_it(web, personas, judged, who):
    user = judged["judges"]["gk1"].user if who == "judge" else getattr(personas, who)
    contest = judged["contest"]
    client = web(user)
    assert client.get(f"/cuoc-thi/{contest.pk}/").status_code == 403
    assert client.get(f"/cuoc-thi/{contest.pk}/vong/1/").status_code == 403
    before = Assignment.objects.count()
    assert client.post(f"/cuoc-thi/{contest.pk}/vong/1/phan-cong/").status_code == 403
    assert Assignment.objects.count() == before


def test_it_assigns_a_round_from_the_page(web, personas, judged):
    client = web(personas.manager)
    contest = judged["contest"]
    response = client.post(f"/cuoc-thi/{contest.pk}/vong/1/phan-cong/", follow=True)
    assert response.status_code == 200
    # Three judges, none from C1 or C2 or D1: both entries get two of them.
    assert Assignment.objects.filter(round=judged["round"]).count() == 4
    assert "Đã phân công 4 lượt chấm cho vòng Sơ khảo." in main(response)


def test_it_says_which_entries_found_too_few_judges(web, personas, judged):
    Assignment.objects.all().delete()
    judged["judges"]["gk2"].delete()
    judged["judges"]["gk3"].delete()
    response = web(personas.manager).post(
        f"/cuoc-thi/{judged['contest'].pk}/vong/1/phan-cong/", follow=True
    )
    assert "2 bài chưa đủ 2 giám khảo" in main(response)
    assert not Assignment.objects.exists()


def test_it_refuses_to_assign_again_once_a_sheet_is_in(web, personas, judged):
    first = judged["entries"][0]
    web(judged["judges"]["gk2"].user).post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "50", "Hình thức": "30"})
    )
    before = set(Assignment.objects.values_list("pk", flat=True))
    response = web(personas.manager).post(f"/cuoc-thi/{judged['contest'].pk}/vong/1/phan-cong/")
    assert response.status_code == 409
    assert "đã có điểm chấm: không phân công lại" in main(response)
    assert set(Assignment.objects.values_list("pk", flat=True)) == before


# The ranking


def _scored(web, judged):
    first, second = judged["entries"]
    gk1, gk2 = (web(judged["judges"][n].user) for n in ("gk1", "gk2"))
    gk1.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "50", "Hình thức": "30"})
    )
    gk1.post(
        score_url(judged, second), sheet(judged, second, **{"Nội dung": "40", "Hình thức": "20"})
    )
    gk2.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "45", "Hình thức": "35"})
    )


def test_it_ranks_a_round_with_raw_and_normalised_scores(web, personas, judged):
    _scored(web, judged)
    response = web(personas.manager).get(f"/cuoc-thi/{judged['contest'].pk}/vong/1/")
    assert response.status_code == 200
    text = main(response)
    assert "2/2 bài đã có phiếu chấm được xếp hạng." in text
    # First: raw (420 + 410) / 2 = 415; second: 320. Receipts shown to the organiser.
    assert "1 Đảng bộ huyện qua 90 năm Biên nhận 001/2022" in text
    assert "415,00" in text and "320,00" in text
    assert "2 Bài thứ hai Biên nhận 002/2022" in text
    assert "Giám khảo chênh lệch (0)" in text


def test_it_flags_entries_the_judges_split_on(web, personas, judged):
    """GIVEN gk1 puts the first entry far above the second and gk2 scores it the lowest
    of their three, WHEN the organiser filters the split entries, THEN it is flagged."""
    from trienkhai.contests.models import Entry

    contest, round1 = judged["contest"], judged["round"]
    first, second = judged["entries"]
    third = Entry.objects.create(
        contest=contest,
        number=3,
        title="Bài thứ ba",
        author_name="C",
        unit=first.unit,
        file_name="c.docx",
        path=first.path,
        size=first.size,
        sha256="c" * 64,
    )
    fourth = Entry.objects.create(
        contest=contest,
        number=4,
        title="Bài thứ tư",
        author_name="D",
        unit=first.unit,
        file_name="d.docx",
        path=first.path,
        size=first.size,
        sha256="d" * 64,
    )
    gk1, gk2 = judged["judges"]["gk1"], judged["judges"]["gk2"]
    for judge, entry in [(gk1, third), (gk2, second), (gk2, third), (gk2, fourth)]:
        Assignment.objects.create(round=round1, entry=entry, judge=judge)
    for judge, entry, content in [
        (gk1, first, 60),
        (gk1, second, 10),
        (gk1, third, 20),
        (gk2, first, 5),
        (gk2, second, 40),
        (gk2, third, 50),
        (gk2, fourth, 55),
    ]:
        services.record_score(
            acting_user=judge.user,
            contest=contest,
            round=round1,
            entry=entry,
            values={"Nội dung": content, "Hình thức": 20},
        )
    client = web(personas.manager)
    text = main(client.get(f"/cuoc-thi/{contest.pk}/vong/1/?lech=1"))
    assert "Giám khảo chênh lệch (1)" in text
    assert "Đảng bộ huyện qua 90 năm" in text and "Chênh lệch (" in text
    assert "Bài thứ tư" not in text


# The judge's pages


def test_it_lists_a_judges_entries_blind(web, judged):
    response = web(judged["judges"]["gk1"].user).get(f"/cuoc-thi/{judged['contest'].pk}/cham/")
    assert response.status_code == 200
    text = main(response)
    first, second = judged["entries"]
    numbers = {
        e: pages.number_in_pile(judged["judges"]["gk1"].user, judged["round"], e.pk)
        for e in (first, second)
    }
    assert f"Bài số {numbers[first]}: Đảng bộ huyện qua 90 năm" in text
    assert f"Bài số {numbers[second]}: Bài thứ hai" in text
    assert sorted(numbers.values()) == [1, 2]
    assert "Đã chấm 0/2 bài." in text
    blind(response.content.decode())


def test_it_shows_a_judge_without_entries_an_empty_list(web, judged):
    text = main(web(judged["judges"]["gk3"].user).get(f"/cuoc-thi/{judged['contest'].pk}/cham/"))
    assert "Chưa có bài nào được giao cho bạn." in text


@pytest.mark.parametrize("who", ["manager", "outsider", "viewer"])
def test_it_refuses_the_judges_list_to_whoever_does_not_judge(web, personas, judged, who):
    client = web(getattr(personas, who))
    assert client.get(f"/cuoc-thi/{judged['contest'].pk}/cham/").status_code == 403


def test_it_shows_an_assigned_entry_anonymously(web, judged):
    first = judged["entries"][0]
    response = web(judged["judges"]["gk2"].user).get(score_url(judged, first))
    assert response.status_code == 200
    text = main(response)
    assert "Đảng bộ huyện qua 90 năm" in text  # the body, read from the anonymous copy
    assert "Thêm" in text  # the tracked change's words stay, its author goes
    assert "Từ 0 đến 60; hệ số 6" in text
    assert (
        f"/api/v1/contests/{judged['contest'].pk}/entries/{first.pk}/file"
        in response.content.decode()
    )
    blind(response.content.decode())


def test_it_refuses_an_entry_not_assigned_to_the_judge(web, judged):
    first, second = judged["entries"]
    gk2 = web(judged["judges"]["gk2"].user)
    response = gk2.get(score_url(judged, second))
    assert response.status_code == 403
    blind(response.content.decode())
    assert (
        gk2.post(
            score_url(judged, second),
            sheet(judged, second, **{"Nội dung": "50", "Hình thức": "30"}),
        ).status_code
        == 403
    )
    assert gk2.get(score_url(judged, first, number=2)).status_code == 403  # not in round 2
    assert gk2.get(f"/cuoc-thi/{judged['contest'].pk}/vong/1/bai/999999/").status_code == 403
    assert not Score.objects.exists()


@pytest.mark.parametrize("who", ["manager", "outsider", "viewer"])
def test_it_refuses_an_entry_to_whoever_is_not_its_judge(web, personas, judged, who):
    first = judged["entries"][0]
    client = web(getattr(personas, who))
    assert client.get(score_url(judged, first)).status_code == 403
    data = sheet(judged, first, **{"Nội dung": "50", "Hình thức": "30"})
    assert client.post(score_url(judged, first), data).status_code == 403
    assert not Score.objects.exists()


def test_it_saves_a_sheet_and_goes_to_the_next_entry(web, judged):
    first, second = judged["entries"]
    client = web(judged["judges"]["gk1"].user)
    response = client.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "52,5", "Hình thức": "30"})
    )
    assert response.status_code == 302
    assert response["Location"] == score_url(judged, second)
    saved = Score.objects.get(entry=first, judge=judged["judges"]["gk1"])
    assert saved.values == {"Nội dung": "52.5", "Hình thức": "30"}
    assert saved.total == Decimal("435")  # 6 × 52,5 + 4 × 30
    page = client.get(response["Location"])
    assert "Đã lưu phiếu chấm bài" in main(page) and "tổng điểm 435" in main(page)
    again = main(client.get(score_url(judged, first)))
    assert "Bạn đã chấm: tổng 435 điểm" in again
    assert 'value="52,5"' in client.get(score_url(judged, first)).content.decode()
    # The last one sends the judge back to their list.
    response = client.post(
        score_url(judged, second), sheet(judged, second, **{"Nội dung": "40", "Hình thức": "20"})
    )
    assert response["Location"] == f"/cuoc-thi/{judged['contest'].pk}/cham/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("61", "Điểm phải từ 0 đến 60."),
        ("-1", "Điểm phải từ 0 đến 60."),
        ("năm mươi", "“năm mươi” không phải là một số"),
        ("7,125", "Tối đa 2 chữ số sau dấu phẩy."),
        ("", "Chưa có điểm cho tiêu chí này."),
    ],
)
def test_it_refuses_a_bad_score_and_saves_nothing(web, judged, content, message):
    first = judged["entries"][0]
    client = web(judged["judges"]["gk1"].user)
    response = client.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": content, "Hình thức": "30"})
    )
    assert response.status_code == 400
    text = main(response)
    assert "Phiếu chưa được lưu" in text and message in text
    assert 'value="30"' in response.content.decode()  # what was typed stays
    assert not Score.objects.exists()


def test_it_refuses_a_bad_score_in_english(web, judged):
    first = judged["entries"][0]
    client = english(web(judged["judges"]["gk1"].user))
    response = client.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "70", "Hình thức": "30"})
    )
    assert response.status_code == 400
    assert "The score must be from 0 to 60." in main(response)


def test_it_refuses_a_sheet_once_the_round_is_closed(web, personas, judged):
    first = judged["entries"][0]
    services.close_round(
        acting_user=personas.manager, contest=judged["contest"], round=judged["round"]
    )
    client = web(judged["judges"]["gk1"].user)
    assert "Vòng này đã kết thúc chấm" in main(client.get(score_url(judged, first)))
    response = client.post(
        score_url(judged, first), sheet(judged, first, **{"Nội dung": "50", "Hình thức": "30"})
    )
    assert response.status_code == 409
    assert "đã kết thúc chấm lúc" in main(response)
    assert not Score.objects.exists()


def test_it_keeps_a_judge_who_manages_the_organiser_blind(web, personas, judged):
    """GIVEN the district's manager is also named a judge and given the first entry, WHEN
    they open it to score, THEN the page names neither its author nor its unit."""
    first = judged["entries"][0]
    judge = services.add_judge(
        acting_user=SYSTEM, contest=judged["contest"], round=judged["round"], user=personas.manager
    )
    Assignment.objects.create(round=judged["round"], entry=first, judge=judge)
    response = web(personas.manager).get(score_url(judged, first))
    assert response.status_code == 200
    blind(response.content.decode())


def test_it_shows_dates_and_times_as_vietnamese_write_them(web, personas, judged):
    judged["round"].closed_at = timezone.make_aware(dt.datetime(2022, 10, 5, 9, 30))
    judged["round"].save()
    text = main(web(personas.manager).get(f"/cuoc-thi/{judged['contest'].pk}/"))
    assert "kết thúc chấm 05/10/2022" in text


# The end of a round: closing, prizes, results and forwarding (decision 0056)


def test_it_closes_a_round_gives_its_prizes_and_forwards_the_best(web, personas, judged):
    _scored(web, judged)
    client = web(personas.manager)
    base = f"/cuoc-thi/{judged['contest'].pk}/vong/1/"
    text = main(client.post(f"{base}ket-thuc/", follow=True))
    assert "Đã kết thúc chấm vòng Sơ khảo." in text
    response = client.post(
        f"{base}co-cau-giai/",
        {"giai-1-ten": "Giải Nhất", "giai-1-so": "1", "gui_cap_tren": "2"},
        follow=True,
    )
    assert "Đã lưu cơ cấu giải vòng Sơ khảo." in main(response)
    text = main(client.post(f"{base}xet-giai/", follow=True))
    assert "Đã xét giải: 1 bài đoạt giải, 2 bài gửi dự thi cấp trên." in text
    assert (
        "1 Đảng bộ huyện qua 90 năm Biên nhận 001/2022 Nguyễn Văn A, Thị trấn Vĩnh Thuận Giải Nhất Có"
        in text
    )
    assert "2 Bài thứ hai Biên nhận 002/2022 Trần Thị B, Xã Vĩnh Bình Bắc — Có" in text
    assert "Tải hồ sơ gửi cấp trên (.zip)" in text


def test_it_refuses_to_draw_before_the_round_is_closed(web, personas, judged):
    _scored(web, judged)
    client = web(personas.manager)
    base = f"/cuoc-thi/{judged['contest'].pk}/vong/1/"
    client.post(f"{base}co-cau-giai/", {"giai-1-ten": "Giải Nhất", "giai-1-so": "1"})
    response = client.post(f"{base}xet-giai/")
    assert response.status_code == 409
    assert "chưa kết thúc chấm" in main(response)
    from trienkhai.contests.models import Result

    assert not Result.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"giai-1-ten": "Giải Nhất"}, "Ghi số giải (từ 1)."),
        ({"giai-2-so": "3"}, "Ghi tên giải."),
        ({"giai-1-ten": "Giải Nhất", "giai-1-so": "không"}, "“không” không phải là một số nguyên."),
        (
            {"giai-1-ten": "A", "giai-1-so": "1", "giai-2-ten": "A", "giai-2-so": "2"},
            "Tên giải bị lặp",
        ),
        ({"giai-1-ten": "", "gui_cap_tren": ""}, "Ghi ít nhất một giải hoặc số bài gửi cấp trên."),
        (
            {"giai-1-ten": "Giải Nhất", "giai-1-so": "1", "gui_cap_tren": "0"},
            "Số bài gửi dự thi cấp trên",
        ),
    ],
)
def test_it_refuses_bad_prizes_and_saves_nothing(web, personas, judged, data, message):
    from trienkhai.contests.models import Prize

    response = web(personas.manager).post(
        f"/cuoc-thi/{judged['contest'].pk}/vong/1/co-cau-giai/", data
    )
    assert response.status_code == 400
    assert message in main(response)
    assert not Prize.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "viewer", "judge"])
def test_it_refuses_the_end_of_a_round_to_whoever_does_not_organise(web, personas, judged, who):
    from trienkhai.contests.models import Prize, Result

    user = judged["judges"]["gk1"].user if who == "judge" else getattr(personas, who)
    client = web(user)
    base = f"/cuoc-thi/{judged['contest'].pk}/vong/1/"
    assert client.post(f"{base}ket-thuc/").status_code == 403
    assert (
        client.post(
            f"{base}co-cau-giai/", {"giai-1-ten": "Giải Nhất", "giai-1-so": "1"}
        ).status_code
        == 403
    )
    assert client.post(f"{base}xet-giai/").status_code == 403
    judged["round"].refresh_from_db()
    assert judged["round"].closed_at is None
    assert not Prize.objects.exists() and not Result.objects.exists()


def test_it_numbers_a_judges_pile_in_an_order_that_hides_arrival(web, api, settings, judged):
    """GIVEN a key under which gk1's pile puts the second entry (arrived later) first,
    WHEN gk1 reads their list, an entry, its file and saves a sheet, THEN they read
    "Bài số 1" for the second entry and "Bài số 2" for the first, in that order, and
    never an entry's id; saving number 1 leads to number 2."""
    first, second = judged["entries"]
    gk1 = judged["judges"]["gk1"].user
    for i in range(100):
        settings.SECRET_KEY = f"a-test-key-{i}-" + "x" * 40
        if pages.pile(gk1, judged["round"]) == [second.pk, first.pk]:
            break
    else:
        pytest.fail("no key among 100 reverses a pile of two")
    client = web(gk1)
    text = main(client.get(f"/cuoc-thi/{judged['contest'].pk}/cham/"))
    assert text.index("Bài số 1: Bài thứ hai") < text.index("Bài số 2: Đảng bộ huyện qua 90 năm")
    page = main(client.get(score_url(judged, first)))
    assert "Bài số 2: Đảng bộ huyện qua 90 năm" in page
    assert f"Bài số {first.pk}:" not in page or first.pk == 2
    read = api(gk1).get(f"contests/{judged['contest'].pk}/entries/{first.pk}").json()
    assert read["rounds"] == [{"number": 1, "name": "Sơ khảo", "pile_number": 2}]
    file = api(gk1).get(f"contests/{judged['contest'].pk}/entries/{first.pk}/file")
    assert 'filename="bai-du-thi-2.docx"' in file["Content-Disposition"]
    saved = client.post(
        score_url(judged, second), sheet(judged, second, **{"Nội dung": "40", "Hình thức": "20"})
    )
    assert saved["Location"] == score_url(judged, first)
    assert "Đã lưu phiếu chấm bài 1: tổng điểm 320" in main(client.get(saved["Location"]))
