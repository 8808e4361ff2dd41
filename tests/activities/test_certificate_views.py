"""The certificate pages: an event's certificates (/hoat-dong/<id>/giay-chung-nhan/), one
certificate, and the public verification page /xac-minh/. Each with its forbidden cases:
the outsider (a manager of D2), the viewer and the reporter of D1, anonymous, the wrong
method. The PDFs themselves: test_certificate_pdf.py."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.activities.conftest import attend, make_event
from tests.activities.test_views import english, main
from tests.factories import SYSTEM
from trienkhai.activities import certificates, people
from trienkhai.activities.models import Certificate, Person

DAY = dt.date(2021, 3, 10)


pytestmark = pytest.mark.usefixtures("fresh_brake")


@pytest.fixture
def course(org):
    """D1's class of two sessions: An (C1) at both, Bình (C2) at one; Dũng of D2's
    district at both (a person the manager of D1 may not name)."""
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An"], unit=org.c1)
    attend(event, ["Nguyễn Văn An"], session=1, unit=org.c1)
    attend(event, ["Lê Thị Bình"], unit=org.c2)
    attend(event, ["Phạm Dũng"], unit=org.d2)
    attend(event, ["Phạm Dũng"], session=1, unit=org.d2)
    return event


def an() -> Person:
    return Person.objects.get(name="Nguyễn Văn An")


def issued(event, who=None) -> Certificate:
    return certificates.issue(
        acting_user=SYSTEM, event=event, people=who, day=DAY, signer_position="CHỦ TỊCH"
    )[0]


def list_url(event) -> str:
    return f"/hoat-dong/{event.pk}/giay-chung-nhan/"


# An event's certificates ----------------------------------------------------------------


def test_it_lists_who_may_have_one_and_names_only_whom_the_manager_may(personas, web, course):
    """GIVEN An (2/2), Bình (1/2) and Dũng of D2 (2/2) WHEN the manager of D1 opens the
    event's certificates THEN An may be issued one, Bình not yet, Dũng is counted without
    a name; the event's page links here."""
    client = web(personas.manager)
    assert "Giấy chứng nhận" in main(client.get(f"/hoat-dong/{course.pk}/"))
    page = main(client.get(list_url(course)))
    assert "Cấp cho người dự ít nhất 2/2 buổi: 2 người đủ điều kiện, 2 người chưa được cấp" in page
    assert "Nguyễn Văn An Thị trấn Vĩnh Thuận 2/2 Cấp" in page
    assert "Lê Thị Bình Xã Vĩnh Bình Bắc 1/2 Chưa đủ điều kiện" in page
    assert "(người của đơn vị ngoài phạm vi bạn quản lý) 2/2 Cấp" in page
    assert "Phạm Dũng" not in page
    assert "Cấp cho cả 2 người" in page


def test_it_keeps_the_certificates_from_who_may_not_change_the_organiser(personas, web, course):
    for user in (personas.outsider, personas.viewer, personas.reporter):
        client = web(user)
        assert client.get(list_url(course)).status_code == 403
        post = client.post(f"{list_url(course)}cap/", {"ngay": "10/03/2021", "chuc_vu": "CT"})
        assert post.status_code == 403
        assert client.post(f"{list_url(course)}dieu-kien/", {"so_buoi": "1"}).status_code == 403
    assert not Certificate.objects.exists()
    assert "Giấy chứng nhận" not in main(web(personas.viewer).get(f"/hoat-dong/{course.pk}/"))
    response = web().get(list_url(course))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(list_url(course)).status_code == 405
    assert web(personas.manager).get(f"{list_url(course)}cap/").status_code == 405


def test_it_issues_everyone_who_may_have_one_in_one_click(personas, web, course):
    response = web(personas.manager).post(
        f"{list_url(course)}cap/",
        {"nguoi": "", "ngay": "10/03/2021", "chuc_vu": "Chủ tịch", "nguoi_ky": "Lê Văn Ký"},
        follow=True,
    )
    page = main(response)
    assert "Đã cấp 2 giấy chứng nhận, số 01/GCN-HU đến 02/GCN-HU." in page
    assert "Nguyễn Văn An Thị trấn Vĩnh Thuận 2/2 Số 01/GCN-HU" in page
    assert "Mọi người đủ điều kiện đã có giấy chứng nhận." in page
    assert list(Certificate.objects.values_list("name", "signer_position")) == [
        ("Nguyễn Văn An", "CHỦ TỊCH"),
        ("Phạm Dũng", "CHỦ TỊCH"),
    ]
    # The next one starts from the same signer.
    again = main(web(personas.manager).get(list_url(course)))
    assert "Giấy số 01/GCN-HU (PDF)" in again  # the part the manager may print: An's


def test_it_issues_one_person_and_says_why_another_cannot_have_one(personas, web, course):
    client = web(personas.manager)
    form = {"ngay": "10/03/2021", "chuc_vu": "CHỦ TỊCH"}
    bình = Person.objects.get(name="Lê Thị Bình")
    refused = client.post(f"{list_url(course)}cap/", {**form, "nguoi": bình.pk})
    assert refused.status_code == 400
    assert f"Không cấp được giấy chứng nhận, người mã {bình.pk}: dự 1/2 buổi, cần 2" in main(
        refused
    )
    done = client.post(f"{list_url(course)}cap/", {**form, "nguoi": an().pk})
    assert done.status_code == 302
    assert list(Certificate.objects.values_list("name", flat=True)) == ["Nguyễn Văn An"]


def test_it_says_what_is_wrong_with_the_day_or_the_signer(personas, web, course):
    client = web(personas.manager)
    response = client.post(f"{list_url(course)}cap/", {"ngay": "01/03/2021", "chuc_vu": "CT"})
    assert response.status_code == 400
    assert "Ngày cấp phải từ ngày kết thúc hoạt động (02/03/2021) đến hôm nay" in main(response)
    response = client.post(f"{list_url(course)}cap/", {"ngay": "31/02/2021", "chuc_vu": ""})
    assert response.status_code == 400
    assert not Certificate.objects.exists()


def test_it_sets_the_rule_of_the_sessions(personas, web, course):
    client = web(personas.manager)
    assert client.post(f"{list_url(course)}dieu-kien/", {"so_buoi": "1"}).status_code == 302
    page = main(client.get(list_url(course)))
    assert "Cấp cho người dự ít nhất 1/2 buổi: 3 người đủ điều kiện" in page
    wrong = client.post(f"{list_url(course)}dieu-kien/", {"so_buoi": "5"})
    assert wrong.status_code == 400 and "Số buổi phải từ 1 đến 2" in main(wrong)


def test_it_speaks_english(personas, web, course):
    issued(course)
    page = main(english(web(personas.manager)).get(list_url(course)))
    assert "Certificates" in page and "Certificate" in page
    assert "Chưa đủ điều kiện" not in page


# One certificate ------------------------------------------------------------------------------


def test_it_shows_a_certificate_and_revokes_it_with_a_reason(personas, web, course):
    made = issued(course, [an()])
    client = web(personas.manager)
    page = main(client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/"))
    assert "Giấy chứng nhận số 01/GCN-HU Còn hiệu lực" in page
    assert f"Mã xác minh {made.code_shown}" in page and "Nguyễn Văn An" in page
    empty = client.post(f"/hoat-dong/giay-chung-nhan/{made.pk}/thu-hoi/", {"ly_do": " "})
    assert empty.status_code == 400
    done = client.post(
        f"/hoat-dong/giay-chung-nhan/{made.pk}/thu-hoi/", {"ly_do": "In sai đơn vị"}, follow=True
    )
    page = main(done)
    assert "Đã thu hồi giấy chứng nhận số 01/GCN-HU." in page
    assert "Đã thu hồi" in page and "Lý do thu hồi In sai đơn vị" in page
    again = client.post(f"/hoat-dong/giay-chung-nhan/{made.pk}/thu-hoi/", {"ly_do": "Lần nữa"})
    assert again.status_code == 409
    assert client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/tep.pdf").status_code == 409


def test_a_certificate_of_someone_out_of_reach_shows_no_name_nor_code(personas, web, course):
    made = issued(course, [Person.objects.get(name="Phạm Dũng")])
    client = web(personas.manager)
    page = main(client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/"))
    assert "Phạm Dũng" not in page and made.code_shown not in page
    assert client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/tep.pdf").status_code == 403


def test_it_keeps_a_certificate_from_who_may_not_change_the_organiser(personas, web, course):
    made = issued(course, [an()])
    for user in (personas.outsider, personas.viewer):
        client = web(user)
        assert client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/").status_code == 403
        assert client.get(f"/hoat-dong/giay-chung-nhan/{made.pk}/tep.pdf").status_code == 403
        revoke = client.post(f"/hoat-dong/giay-chung-nhan/{made.pk}/thu-hoi/", {"ly_do": "x"})
        assert revoke.status_code == 403
        assert client.get(f"{list_url(course)}phan-1.pdf").status_code == 403
    assert Certificate.objects.get().is_valid
    assert web(personas.manager).get("/hoat-dong/giay-chung-nhan/999999/").status_code == 404
    response = web().get(f"/hoat-dong/giay-chung-nhan/{made.pk}/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# The public verification page -------------------------------------------------------------


def test_anyone_verifies_a_valid_certificate_and_reads_only_what_it_shows(web, course):
    """GIVEN An's certificate WHEN someone not logged in opens its verification address
    (the QR code's) THEN it is valid, with its number, day, name, event, dates and
    organiser; not An's unit, nor anything else kept about An."""
    made = issued(course, [an()])
    response = web().get(f"/xac-minh/{made.code_shown}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = main(response)
    assert (
        "Hợp lệ Giấy chứng nhận này do đơn vị tổ chức cấp và còn hiệu lực. Số 01/GCN-HU "
        "Ngày cấp 10/03/2021 Họ và tên Nguyễn Văn An Hoạt động Lớp bồi dưỡng lý luận "
        "Thời gian 01/03/2021 – 02/03/2021 Đơn vị tổ chức Huyện Vĩnh Thuận"
    ) in page
    assert "Thị trấn Vĩnh Thuận" not in page and "CHỦ TỊCH" not in page
    # Typed in lower case without dashes, it is the same certificate.
    typed = web().get(f"/xac-minh/{made.code.lower()}/")
    assert typed.status_code == 200 and "Nguyễn Văn An" in main(typed)


def test_the_form_sends_a_typed_code_to_its_page_and_says_what_is_wrong(web, course):
    made = issued(course, [an()])
    assert web().get("/xac-minh/").status_code == 200
    response = web().get("/xac-minh/", {"ma": made.code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/xac-minh/{made.code_shown}/"
    wrong = web().get("/xac-minh/", {"ma": "ABC"})
    assert wrong.status_code == 400
    assert "Mã xác minh gồm 16 chữ và số" in main(wrong)


def test_it_says_revoked_and_not_found(personas, web, course):
    made = issued(course, [an()])
    certificates.revoke(acting_user=SYSTEM, certificate=made, reason="Cấp nhầm")
    page = main(web().get(f"/xac-minh/{made.code_shown}/"))
    assert "Đã thu hồi Giấy chứng nhận này đã bị thu hồi ngày" in page
    assert "Cấp nhầm" not in page  # the reason is the organiser's, not the public's
    missing = web().get("/xac-minh/0000-0000-0000-0000/")
    assert missing.status_code == 404
    assert "Không tìm thấy giấy chứng nhận có mã này." in main(missing)


def test_it_says_revoked_with_the_erasure_and_shows_no_name(personas, web, course):
    made = issued(course, [an()])
    people.erase(acting_user=personas.manager, person=an())
    page = main(web().get(f"/xac-minh/{made.code_shown}/"))
    assert "Giấy chứng nhận này đã bị thu hồi do xóa dữ liệu cá nhân của người được cấp." in page
    assert "Nguyễn Văn An" not in page and "Họ và tên" not in page
    assert "Số 01/GCN-HU" in page


def test_an_address_that_guesses_waits(web, course):
    made = issued(course, [an()])
    client = web()
    for n in range(certificates.VERIFY_MISSES):
        assert client.get(f"/xac-minh/{n:016d}/").status_code == 404
    braked = client.get(f"/xac-minh/{made.code_shown}/")
    assert braked.status_code == 429 and int(braked["Retry-After"]) > 0
    assert "Đã nhập quá nhiều mã không đúng. Hãy thử lại sau 10 phút." in main(braked)
    assert "Nguyễn Văn An" not in main(braked)
    other = web().get(f"/xac-minh/{made.code_shown}/", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_the_verification_page_speaks_english(web, course):
    made = issued(course, [an()])
    page = main(english(web()).get(f"/xac-minh/{made.code_shown}/"))
    assert "Valid" in page and "Nguyễn Văn An" in page
    assert "Hợp lệ" not in page


def test_a_person_s_page_and_export_list_their_certificates(personas, web, course):
    made = issued(course, [an()])
    client = web(personas.manager)
    page = main(client.get(f"/hoat-dong/nguoi/{an().pk}/"))
    assert (
        f"Giấy chứng nhận Số Ngày cấp Hoạt động Mã xác minh Tình trạng 01/GCN-HU 10/03/2021 "
        f"Lớp bồi dưỡng lý luận Huyện Vĩnh Thuận {made.code_shown} Còn hiệu lực"
    ) in page
    book = load_workbook(io.BytesIO(client.get(f"/hoat-dong/nguoi/{an().pk}/du-lieu.xlsx").content))
    rows = list(book["Giấy chứng nhận"].iter_rows(values_only=True))
    assert rows == [
        ("Số", "Ngày cấp", "Hoạt động", "Đơn vị tổ chức", "Mã xác minh", "Tình trạng"),
        (
            "01/GCN-HU",
            "10/03/2021",
            "Lớp bồi dưỡng lý luận",
            "Huyện Vĩnh Thuận",
            made.code_shown,
            "Còn hiệu lực",
        ),
    ]
