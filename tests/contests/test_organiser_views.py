"""The organiser's screens (issue 17, decision 0062): a new contest, its categories, the
judges of a round, entries received with their receipt, a disqualification, the results
decision and the certificates. Each with the forbidden cases: viewer, reporter, outsider
(a manager of D2) and a judge of the contest who also manages the organiser (blind,
decision 0053) refused; a bad form answers 400 beside the field and saves nothing."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.activities.test_views import english, main
from tests.contests.conftest import SYSTEM, make_contest
from tests.contests.test_results import _issue, _prizes, closed  # noqa: F401
from tests.documents.test_attachments import png_file
from trienkhai.contests import results, services
from trienkhai.contests.models import (
    Category,
    Contest,
    Criterion,
    DeclaredConflict,
    Entry,
    Judge,
    PrizeCertificate,
)
from trienkhai.orgs.models import Unit


def new_contest(**more) -> dict:
    data = {
        "title": "Cuộc thi tìm hiểu lịch sử Đảng bộ huyện",
        "unit": "D1",
        "opens": "01/03/2022",
        "closes": "30/09/2022",
        "vong-1-ten": "Sơ khảo",
        "vong-1-giam-khao": "2",
        "vong-2-ten": "Chung khảo",
        "vong-2-giam-khao": "3",
        "tieu-chi-1-ten": "Nội dung",
        "tieu-chi-1-he-so": "6",
        "tieu-chi-1-toi-da": "60",
        "tieu-chi-2-ten": "Hình thức",
        "tieu-chi-2-he-so": "0,5",
        "tieu-chi-2-toi-da": "7,5",
        "categories": "Chính luận\nTác phẩm báo chí\n",
    }
    return data | more


# A new contest


def test_it_creates_a_contest_from_the_form(web, personas, org):
    client = web(personas.manager)
    page = client.get("/cuoc-thi/moi/")
    assert page.status_code == 200
    assert 'value="Sơ khảo"' in page.content.decode()  # the usual two rounds, offered
    response = client.post("/cuoc-thi/moi/", new_contest(), follow=True)
    contest = Contest.objects.get()
    assert response.redirect_chain[-1][0] == f"/cuoc-thi/{contest.pk}/"
    assert (contest.unit, contest.opens, contest.closes) == (
        org.d1,
        dt.date(2022, 3, 1),
        dt.date(2022, 9, 30),
    )
    assert [(r.name, r.judges_per_entry) for r in contest.rounds.all()] == [
        ("Sơ khảo", 2),
        ("Chung khảo", 3),
    ]
    rubric = {c.name: (str(c.weight), str(c.max)) for c in Criterion.objects.all()}
    assert rubric == {"Nội dung": ("6.00", "60.00"), "Hình thức": ("0.50", "7.50")}
    assert list(Category.objects.values_list("name", flat=True)) == [
        "Chính luận",
        "Tác phẩm báo chí",
    ]
    text = main(response)
    assert "Đã tạo cuộc thi: Cuộc thi tìm hiểu lịch sử Đảng bộ huyện." in text
    assert "Hình thức 0,5 7,5" in text


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"closes": "28/02/2022"}, "closes", "Hạn nhận bài trước ngày bắt đầu nhận bài."),
        ({"opens": "2022/31/12"}, "opens", "nhập theo dạng dd/mm/yyyy"),
        ({"tieu-chi-2-he-so": "năm"}, "tieu-chi-2-he-so", "“năm” không phải là một số"),
        ({"tieu-chi-2-toi-da": ""}, "tieu-chi-2-toi-da", "Ghi điểm tối đa"),
        ({"tieu-chi-1-he-so": "0,125"}, "tieu-chi-1-he-so", "Tối đa 2 chữ số sau dấu phẩy."),
        ({"vong-2-giam-khao": ""}, "vong-2-giam-khao", "Ghi số giám khảo chấm mỗi bài."),
        ({"unit": "Xã Không Có"}, "unit", "Không tìm thấy đơn vị"),
        ({"unit": "D2"}, "unit", "Bạn không có quyền tổ chức cuộc thi cho đơn vị này."),
        ({"categories": "Chính luận\nChính luận"}, "categories", "Thể loại bị lặp"),
    ],
)
def test_it_refuses_a_bad_contest_beside_the_field_and_saves_nothing(
    web, personas, org, change, field, said
):
    response = web(personas.manager).post("/cuoc-thi/moi/", new_contest(**change))
    assert response.status_code == 400
    markup = response.content.decode()
    assert f'id="id_{field}_error"' in markup
    assert said in main(response)
    assert not Contest.objects.exists()


def test_it_asks_for_a_round(web, personas, org):
    empty = {"vong-1-ten": "", "vong-1-giam-khao": "", "vong-2-ten": "", "vong-2-giam-khao": ""}
    response = web(personas.manager).post("/cuoc-thi/moi/", new_contest(**empty))
    assert response.status_code == 400
    assert "Cuộc thi cần ít nhất một vòng." in main(response)
    assert not Contest.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "reporter", "nobody"])
def test_it_refuses_the_new_contest_to_whoever_changes_no_unit(web, personas, org, who):
    client = web(getattr(personas, who))
    assert client.get("/cuoc-thi/moi/").status_code == 403
    assert client.post("/cuoc-thi/moi/", new_contest()).status_code == 403
    assert not Contest.objects.exists()


def test_it_offers_the_new_contest_on_the_list_to_organisers_only(web, personas, org):
    assert "Tạo cuộc thi" in main(web(personas.manager).get("/cuoc-thi/"))
    assert "Tạo cuộc thi" not in main(web(personas.viewer).get("/cuoc-thi/"))


def test_it_answers_the_new_contest_in_english(web, personas, org):
    text = main(english(web(personas.manager)).get("/cuoc-thi/moi/"))
    assert "New contest" in text and "Judges per entry" in text


# The contest's pages: forbidden cases


@pytest.fixture
def held(org, personas, media):
    """The contest of D1 (categories Chính luận and Báo chí) and a judge of round 1 who
    also manages D1: blind all the same."""
    contest = make_contest(org.d1, categories=["Chính luận", "Báo chí"])
    judge = f.make_user("gk_manager", unit=org.d1, role="manager")
    services.add_judge(
        acting_user=SYSTEM, contest=contest, round=contest.rounds.get(number=1), user=judge
    )
    return contest


def pages(contest, entry=None) -> list[tuple[str, dict]]:
    base = f"/cuoc-thi/{contest.pk}"
    found = [
        (f"{base}/the-loai/", {"name": "Thơ"}),
        (f"{base}/giam-khao/", {"user": "viewer", "round": "1"}),
        (f"{base}/bai-du-thi/", {}),
        (f"{base}/vong/1/quyet-dinh/", {"date": "01/10/2022", "signer": "A"}),
    ]
    if entry is not None:
        found.append((f"{base}/bai-du-thi/{entry.pk}/", {}))
    return found


@pytest.mark.parametrize("who", ["viewer", "reporter", "outsider", "judge"])
def test_it_refuses_the_organisers_pages_to_others(web, personas, held, who):
    user = Judge.objects.get().user if who == "judge" else getattr(personas, who)
    entry = _receive(held, personas)
    client = web(user)
    before = (Category.objects.count(), Judge.objects.count(), Entry.objects.count())
    for url, body in pages(held, entry):
        assert client.get(url).status_code == 403, url
        if not url.endswith(f"/{entry.pk}/"):
            assert client.post(url, body).status_code == 403, url
    base = f"/cuoc-thi/{held.pk}"
    assert client.post(f"{base}/bai-du-thi/{entry.pk}/loai/", {"reason": "x"}).status_code == 403
    assert (
        client.post(f"{base}/vong/1/giay-chung-nhan/", {"signer_position": "A"}).status_code == 403
    )
    conflict = {"judge": str(Judge.objects.get().user.pk), "unit": "C1"}
    assert client.post(f"{base}/xung-dot/", conflict).status_code == 403
    assert not DeclaredConflict.objects.exists()
    assert (Category.objects.count(), Judge.objects.count(), Entry.objects.count()) == before
    assert Entry.objects.get().disqualified_at is None


def test_it_sends_anonymous_users_to_log_in_and_refuses_other_methods(web, personas, held):
    entry = _receive(held, personas)
    for url, _ in [("/cuoc-thi/moi/", {}), *pages(held, entry)]:
        response = web().get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url
    manager = web(personas.manager)
    base = f"/cuoc-thi/{held.pk}"
    assert manager.post(f"{base}/bai-du-thi/{entry.pk}/").status_code == 405
    assert manager.get(f"{base}/bai-du-thi/{entry.pk}/loai/").status_code == 405
    assert manager.get(f"{base}/vong/1/giay-chung-nhan/").status_code == 405
    assert manager.put("/cuoc-thi/moi/").status_code == 405


def test_it_links_the_organisers_pages_from_the_contest(web, personas, held):
    markup = web(personas.manager).get(f"/cuoc-thi/{held.pk}/").content.decode()
    for url, _ in pages(held):
        assert f'href="{url}' in markup, url


# Categories and judges


def test_it_adds_a_category_and_refuses_the_same_name(web, personas, held):
    client = web(personas.manager)
    response = client.post(f"/cuoc-thi/{held.pk}/the-loai/", {"name": "Thơ"}, follow=True)
    assert "Đã thêm thể loại Thơ." in main(response)
    assert "Chính luận Báo chí Thơ" in main(response)
    again = client.post(f"/cuoc-thi/{held.pk}/the-loai/", {"name": "Thơ"})
    assert again.status_code == 409
    assert "Đã có thể loại Thơ" in main(again)
    assert 'id="id_name_error"' in again.content.decode()
    assert Category.objects.filter(contest=held).count() == 3


def test_it_names_a_judge_by_their_name_with_a_cap(web, personas, held):
    personas.viewer.full_name = "Lê Thị Hoa"
    personas.viewer.save()
    client = web(personas.manager)
    page = client.get(f"/cuoc-thi/{held.pk}/giam-khao/?vong=2")
    assert '<option value="Lê Thị Hoa (viewer)">' in page.content.decode()  # the picker
    response = client.post(
        f"/cuoc-thi/{held.pk}/giam-khao/",
        {"user": "le thi hoa", "round": "2", "cap": "1.000"},
        follow=True,
    )
    judge = Judge.objects.get(user=personas.viewer)
    assert (judge.round.number, judge.cap) == (2, 1000)
    text = main(response)
    assert "Đã thêm giám khảo Lê Thị Hoa cho vòng Chung khảo." in text
    assert "Lê Thị Hoa viewer 1.000" in text


def test_it_refuses_an_unknown_person_and_a_judge_twice(web, personas, held):
    client = web(personas.manager)
    url = f"/cuoc-thi/{held.pk}/giam-khao/"
    unknown = client.post(url, {"user": "Người Lạ", "round": "1"})
    assert unknown.status_code == 400
    assert "Không tìm thấy người dùng “Người Lạ”" in main(unknown)
    assert 'id="id_user_error"' in unknown.content.decode()
    twice = client.post(url, {"user": "gk_manager", "round": "1"})
    assert twice.status_code == 409
    assert "đã là giám khảo của vòng này" in main(twice)
    bad_cap = client.post(url, {"user": "viewer", "round": "1", "cap": "0"})
    assert bad_cap.status_code == 400
    assert Judge.objects.count() == 1


def test_it_refuses_an_organiser_naming_themselves(web, personas, held):
    """A judge is blind: naming themselves would lock the organiser out of these pages."""
    client = web(personas.manager)
    url = f"/cuoc-thi/{held.pk}/giam-khao/"
    itself = client.post(url, {"user": personas.manager.username, "round": "2"})
    assert itself.status_code == 400
    assert "Bạn không tự cử mình làm giám khảo được" in main(itself)
    assert 'id="id_user_error"' in itself.content.decode()
    assert Judge.objects.count() == 1
    assert client.get(f"/cuoc-thi/{held.pk}/bai-du-thi/").status_code == 200


def test_it_records_a_judges_conflicts_with_a_unit_and_an_entry(web, personas, held, org):
    entry = _receive(held, personas)
    judge = Judge.objects.get().user
    client = web(personas.manager)
    page = client.get(f"/cuoc-thi/{held.pk}/giam-khao/")
    assert f'<option value="{judge.pk}">gk_manager</option>' in page.content.decode()
    url = f"/cuoc-thi/{held.pk}/xung-dot/"
    response = client.post(
        url, {"judge": str(judge.pk), "unit": "C1", "reason": "Vợ công tác ở đây"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/cuoc-thi/{held.pk}/#conflicts"
    assert "Đơn vị Thị trấn Vĩnh Thuận Vợ công tác ở đây" in main(response)
    client.post(url, {"judge": str(judge.pk), "receipt": "001/2022"})
    assert [(c.unit, c.entry, c.created_by) for c in DeclaredConflict.objects.order_by("pk")] == [
        (org.c1, None, personas.manager),
        (None, entry, personas.manager),
    ]
    twice = client.post(url, {"judge": str(judge.pk), "receipt": "1"})
    assert twice.status_code == 409
    assert "Xung đột này đã được khai báo" in main(twice)


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({"unit": "C1", "receipt": "001/2022"}, None, "một trong hai"),
        ({}, None, "một trong hai"),
        ({"receipt": "099/2022"}, "receipt", "Cuộc thi không có bài mang số biên nhận này."),
        ({"receipt": "một"}, "receipt", "Ghi số biên nhận"),
        ({"unit": "D2"}, "unit", "không thuộc đơn vị tổ chức cuộc thi"),
    ],
)
def test_it_refuses_a_bad_conflict_and_records_nothing(web, personas, held, body, field, said):
    _receive(held, personas)
    judge = Judge.objects.get().user
    response = web(personas.manager).post(
        f"/cuoc-thi/{held.pk}/xung-dot/", {"judge": str(judge.pk)} | body
    )
    assert response.status_code == 400
    assert said in main(response)
    if field:
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not DeclaredConflict.objects.exists()


# Entries


def _receive(contest, personas, shade=7) -> Entry:
    return services.receive_entry(
        acting_user=personas.manager,
        contest=contest,
        title="Đảng bộ huyện qua 90 năm",
        author_name="Nguyễn Văn A",
        unit=Unit.objects.get(code="C1"),
        file_name="bai.png",
        data=png_file(shade),
        category="Chính luận",
    )


def upload(shade=9, **more) -> dict:
    return {
        "file": SimpleUploadedFile("bai-du-thi.png", png_file(shade), "image/png"),
        "title": "Vĩnh Thuận đổi mới",
        "author_name": "Trần Thị B",
        "unit": "Xã Vĩnh Bình Bắc",
        "category": "Báo chí",
    } | more


def test_it_receives_an_entry_and_shows_its_receipt(web, personas, held, org):
    client = web(personas.manager)
    form = client.get(f"/cuoc-thi/{held.pk}/bai-du-thi/")
    assert form.status_code == 200
    assert '<option value="Báo chí">' in form.content.decode()
    response = client.post(f"/cuoc-thi/{held.pk}/bai-du-thi/", upload(), follow=True)
    entry = Entry.objects.get()
    assert response.redirect_chain[-1][0] == f"/cuoc-thi/{held.pk}/bai-du-thi/{entry.pk}/"
    assert (entry.unit, entry.category.name, entry.received_by) == (
        org.c2,
        "Báo chí",
        personas.manager,
    )
    text = main(response)
    assert "Đã nhận bài, biên nhận số 001/2022." in text
    assert "Số biên nhận 001/2022" in text
    assert hashlib.sha256(png_file(9)).hexdigest() in text
    listed = main(client.get(f"/cuoc-thi/{held.pk}/bai-du-thi/"))
    assert "001/2022 Vĩnh Thuận đổi mới Báo chí Trần Thị B Xã Vĩnh Bình Bắc Hợp lệ" in listed


def test_it_lists_the_entries_in_a_few_queries(web, personas, held, org):
    client = web(personas.manager)
    url = f"/cuoc-thi/{held.pk}/bai-du-thi/"
    _receive(held, personas, shade=1)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    before = len(queries)
    for shade in range(2, 8):  # more entries, from more units, cost no more queries
        services.receive_entry(
            acting_user=SYSTEM,
            contest=held,
            title=f"Bài {shade}",
            author_name="Lê Văn C",
            unit=org.c2 if shade % 2 else org.c1,
            file_name="bai.png",
            data=png_file(shade + 20),
            category="Báo chí",
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == before <= 20


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"file": ""}, "file", ""),
        ({"title": ""}, "title", ""),
        ({"category": ""}, "category", ""),
        ({"unit": "D2"}, "unit", "không thuộc đơn vị tổ chức cuộc thi"),
        ({"sent_on": "31/12/2099"}, "sent_on", "Ngày gửi không được sau hôm nay"),
        (
            {"file": SimpleUploadedFile("x.png", b"not a png", "image/png")},
            "file",
            "",
        ),
    ],
)
def test_it_refuses_a_bad_entry_beside_the_field_and_stores_nothing(
    web, personas, held, change, field, said
):
    response = web(personas.manager).post(f"/cuoc-thi/{held.pk}/bai-du-thi/", upload(**change))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert said in main(response)
    assert not Entry.objects.exists()


def test_it_refuses_the_same_file_twice_naming_the_first_receipt(web, personas, held):
    client = web(personas.manager)
    client.post(f"/cuoc-thi/{held.pk}/bai-du-thi/", upload())
    again = client.post(f"/cuoc-thi/{held.pk}/bai-du-thi/", upload(title="Bài khác"))
    assert again.status_code == 409
    assert "Tệp này đã được nộp, biên nhận số 001/2022" in main(again)
    assert Entry.objects.count() == 1


def test_it_disqualifies_an_entry_saying_why(web, personas, held):
    entry = _receive(held, personas)
    client = web(personas.manager)
    url = f"/cuoc-thi/{held.pk}/bai-du-thi/{entry.pk}/loai/"
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert 'id="id_reason_error"' in empty.content.decode()
    response = client.post(url, {"reason": "Sao chép bài đã đăng báo"}, follow=True)
    entry.refresh_from_db()
    assert entry.disqualified_reason == "Sao chép bài đã đăng báo"
    assert "Lý do: Sao chép bài đã đăng báo" in main(response)
    again = client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 409
    assert "Bài đã bị loại" in main(again)


# The results decision and the certificates


@pytest.fixture
def drawn(contest, closed):  # noqa: F811
    """Round 1 closed, its prizes (Giải A × 1, Giải B × 2) drawn; round 2 closed."""
    round1, _ = closed
    _prizes(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    # A decision waits for the later rounds to close (decision 0061).
    services.close_round(acting_user=SYSTEM, contest=contest, round=contest.rounds.get(number=2))
    return round1


def decision_form(**more) -> dict:
    return {
        "date": dt.date.today().strftime("%d/%m/%Y"),
        "signer_authority": "tm",
        "signer": "Nguyễn Văn Hùng",
        "recipients": "- Như Điều 3;\n- Lưu VP.",
    } | more


def test_it_issues_the_results_decision_then_the_certificates(web, personas, contest, drawn):
    client = web(personas.manager)
    url = f"/cuoc-thi/{contest.pk}/vong/1/quyet-dinh/"
    assert "Ban hành quyết định" in main(client.get(url))
    response = client.post(url, decision_form(), follow=True)
    drawn.refresh_from_db()
    document = drawn.results_decision
    assert document is not None and str(document.type) == "QĐ"
    text = main(response)
    assert f"Đã ban hành Quyết định số {document.symbol}" in text
    assert "danh-sach-doat-giai.docx" in text
    issued = client.post(
        f"/cuoc-thi/{contest.pk}/vong/1/giay-chung-nhan/",
        {"signer_position": "Trưởng ban", "signer_name": "Lê Văn Ký"},
        follow=True,
    )
    made = list(PrizeCertificate.objects.order_by("number"))
    assert len(made) == 3
    text = main(issued)
    assert "Đã cấp 3 giấy chứng nhận." in text
    markup = issued.content.decode()
    for c in made:
        assert f'href="/api/v1/contests/{contest.pk}/certificates/{c.pk}/pdf"' in markup


def _certified(contest, round1) -> list[PrizeCertificate]:
    from trienkhai.contests import certificates

    _issue(contest, round1)
    return certificates.issue(
        acting_user=SYSTEM, contest=contest, round=round1, signer_position="Trưởng ban"
    )


def test_it_revokes_a_certificate_from_the_list_saying_why(web, personas, contest, drawn):
    first, second, _ = _certified(contest, drawn)
    client = web(personas.manager)
    listed = f"/cuoc-thi/{contest.pk}/vong/1/quyet-dinh/"
    url = f"/cuoc-thi/{contest.pk}/giay-chung-nhan/{first.pk}/thu-hoi/"
    assert f'href="{url}"' in client.get(listed).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert f"Thu hồi giấy chứng nhận số {first.symbol}" in main(page)
    empty = client.post(url, {"ly_do": " "})
    assert empty.status_code == 400
    assert 'id="id_ly_do_error"' in empty.content.decode()
    first.refresh_from_db()
    assert first.state == "valid"
    done = client.post(url, {"ly_do": "Tác phẩm sao chép"}, follow=True)
    assert done.redirect_chain[-1][0] == f"{listed}#gcn"
    first.refresh_from_db()
    day = timezone.localdate(first.revoked).strftime("%d/%m/%Y")
    text = main(done)
    assert f"Đã thu hồi giấy chứng nhận số {first.symbol}." in text
    assert f"Đã thu hồi ngày {day}: Tác phẩm sao chép" in text
    # The others keep their link; the revoked one has none.
    markup = done.content.decode()
    assert f'href="{url}"' not in markup
    assert f'href="/cuoc-thi/{contest.pk}/giay-chung-nhan/{second.pk}/thu-hoi/"' in markup
    again = client.post(url, {"ly_do": "Lần nữa"})
    assert again.status_code == 409
    assert "Giấy chứng nhận đã bị thu hồi" in main(again)
    first.refresh_from_db()
    assert first.revoked_reason == "Tác phẩm sao chép"


def test_it_refuses_the_revocation_to_others(web, personas, org, contest, drawn):
    made = _certified(contest, drawn)[0]
    url = f"/cuoc-thi/{contest.pk}/giay-chung-nhan/{made.pk}/thu-hoi/"
    body = {"ly_do": "Cấp nhầm"}
    judge = drawn.judges.get(user__username="gk1").user
    for who in (personas.outsider, personas.viewer, personas.reporter, judge):
        assert web(who).post(url, body).status_code == 403
        assert web(who).get(url).status_code == 403
    assert web().get(url).status_code == 302
    assert web(personas.manager).put(url).status_code == 405
    other = make_contest(org.d1)
    elsewhere = f"/cuoc-thi/{other.pk}/giay-chung-nhan/{made.pk}/thu-hoi/"
    assert web(personas.manager).post(elsewhere, body).status_code == 404
    made.refresh_from_db()
    assert made.state == "valid"


def test_it_refuses_a_decision_beside_its_field_and_before_the_prizes(
    web, personas, contest, drawn
):
    client = web(personas.manager)
    url = f"/cuoc-thi/{contest.pk}/vong/1/quyet-dinh/"
    late = client.post(url, decision_form(date="31/12/2099"))
    assert late.status_code == 400
    assert 'id="id_date_error"' in late.content.decode()
    missing = client.post(url, decision_form(signer=""))
    assert missing.status_code == 400
    assert 'id="id_signer_error"' in missing.content.decode()
    drawn.refresh_from_db()
    assert drawn.results_decision_id is None
    early = client.post(
        f"/cuoc-thi/{contest.pk}/vong/1/giay-chung-nhan/", {"signer_position": "Trưởng ban"}
    )
    assert early.status_code == 409
    assert "Chưa có quyết định công nhận kết quả" in main(early)
    assert not PrizeCertificate.objects.exists()


def test_it_says_what_comes_before_the_decision(web, personas, held):
    text = main(web(personas.manager).get(f"/cuoc-thi/{held.pk}/vong/1/quyet-dinh/"))
    assert "Vòng này chưa kết thúc chấm" in text
    assert "Giấy chứng nhận được cấp sau khi ban hành quyết định" in text


def test_an_ended_organiser_s_decision_offers_its_last_day(web, personas, contest, drawn):
    """GIVEN the organiser (D1) dissolved yesterday, as Tỉnh ủy Kiên Giang ended in 2025
    WHEN its organiser opens the decision THEN the day offered is D1's last day, and
    today is refused beside the day (D1 has no register today), nothing issued."""
    from trienkhai.orgs.services import dissolve_unit

    today = timezone.localdate()
    d1 = contest.unit
    for child in Unit.objects.filter(versions__parent=d1).distinct():
        dissolve_unit(acting_user=SYSTEM, unit=child, on=today - dt.timedelta(days=1))
    dissolve_unit(acting_user=SYSTEM, unit=d1, on=today - dt.timedelta(days=1))
    client = web(personas.manager)
    url = f"/cuoc-thi/{contest.pk}/vong/1/quyet-dinh/"
    offered = (today - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    assert f'value="{offered}"' in client.get(url).content.decode()
    refused = client.post(url, decision_form(date=today.strftime("%d/%m/%Y")))
    assert refused.status_code == 400
    markup = refused.content.decode()
    assert 'id="id_date_error"' in markup and "không tồn tại vào ngày" in markup
    drawn.refresh_from_db()
    assert drawn.results_decision_id is None
