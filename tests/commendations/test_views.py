"""The commendation pages (/khen-thuong/): a unit's nominations, a new nomination with
its dossier, the review with its return for correction, the award decision from the
register, the register and the histories of a collective and a person. Each with its
forbidden cases: the outsider (a manager of D2), the viewer (no names, no changes),
anonymous (log-in), the wrong method (405)."""

import datetime as dt
import io

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tests.commendations.conftest import ACHIEVEMENT, nominate
from tests.documents.test_attachments import png_file
from tests.factories import SYSTEM
from tests.pages import main_text as main
from trienkhai.commendations import services
from trienkhai.commendations.models import Award, DossierFile, Individual, Nomination
from trienkhai.documents.models import Attachment


@pytest.fixture
def c1_manager(org):
    """The nominating side: a manager of C1, who may not review D1's commendations."""
    return f.make_user("c1_manager", unit=org.c1, role="manager")


def test_it_lists_a_units_nominations_with_names_only_for_managers(org, personas, web):
    nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", name="Nguyễn Văn An")
    nominate(org.c2, org.d1, kind="giay_khen_ubnd_huyen")
    shown = main(web(personas.manager).get("/khen-thuong/", {"don-vi": "D1"}))
    assert "Nguyễn Văn An" in shown and "Xã Vĩnh Bình Bắc" in shown
    assert "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện" in shown and "Đã trình" in shown
    viewed = web(personas.viewer).get("/khen-thuong/", {"don-vi": "D1"})
    assert "Nguyễn Văn An" not in main(viewed) and "Một cá nhân" in main(viewed)
    assert "/khen-thuong/de-nghi/moi/" not in viewed.content.decode()  # nothing to nominate


def test_it_keeps_the_pages_from_who_may_not_see_them(org, personas, web):
    nomination = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", name="Lê Thị Bình")
    outsider = web(personas.outsider)
    for url in ("/khen-thuong/", "/khen-thuong/so/", "/khen-thuong/xet-duyet/"):
        assert outsider.get(url, {"don-vi": "D1"}).status_code == 403
    assert outsider.get(f"/khen-thuong/de-nghi/{nomination.pk}/").status_code == 403
    assert outsider.get("/khen-thuong/tap-the/C1/").status_code == 403
    assert outsider.get(f"/khen-thuong/ca-nhan/{nomination.individual_id}/").status_code == 403
    # policy.unknown (decision 0004): a user with a role learns that nothing is there
    assert outsider.get("/khen-thuong/de-nghi/999999/").status_code == 404
    assert web(personas.nobody).get("/khen-thuong/de-nghi/999999/").status_code == 403
    assert web(personas.viewer).get("/khen-thuong/xet-duyet/", {"don-vi": "D1"}).status_code == 403
    viewer_person = web(personas.viewer).get(f"/khen-thuong/ca-nhan/{nomination.individual_id}/")
    assert viewer_person.status_code == 403
    anonymous = web().get("/khen-thuong/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    assert web(personas.manager).post("/khen-thuong/so/").status_code == 405
    assert (
        web(personas.manager).get(f"/khen-thuong/de-nghi/{nomination.pk}/dong-y/").status_code
        == 405
    )


def _files():
    return {
        "to_trinh": SimpleUploadedFile("to-trinh.png", png_file(11), "image/png"),
        "bao_cao_thanh_tich": SimpleUploadedFile("bao-cao.png", png_file(12), "image/png"),
        "bien_ban_hoi_dong": SimpleUploadedFile("bien-ban.png", png_file(13), "image/png"),
    }


def _new(**changes):
    return {
        "kind": "giay_khen_ubnd_huyen",
        "giver": "D1",
        "recipient_unit": "C1",
        "recipient_name": "Trần Văn Cường",
        "year": "2023",
        "achievement": ACHIEVEMENT,
        **changes,
    }


def test_it_nominates_with_the_dossier(org, c1_manager, web, media):
    client = web(c1_manager)
    assert client.get("/khen-thuong/de-nghi/moi/").status_code == 200
    sent = client.post("/khen-thuong/de-nghi/moi/", {**_new(), **_files()})
    assert sent.status_code == 302, main(sent)
    nomination = Nomination.objects.get()
    assert sent["Location"] == f"/khen-thuong/de-nghi/{nomination.pk}/"
    assert nomination.individual.name == "Trần Văn Cường"
    roles = set(DossierFile.objects.filter(nomination=nomination).values_list("role", flat=True))
    assert roles == {"to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong"}
    page = client.get(sent["Location"])
    assert "to-trinh.png" in main(page) and "Còn thiếu" not in main(page)
    downloaded = client.get(f"/khen-thuong/ho-so/{DossierFile.objects.first().pk}/")
    assert downloaded.status_code == 200 and downloaded.content == png_file(11)


def test_it_refuses_a_bad_nomination_with_a_clear_400_and_stores_nothing(
    org, c1_manager, personas, web, media
):
    client = web(c1_manager)
    empty = {"to_trinh": SimpleUploadedFile("to-trinh.pdf", b"", "application/pdf")}
    bad_file = client.post("/khen-thuong/de-nghi/moi/", {**_new(), **empty})
    assert bad_file.status_code == 400
    # a district may not give the Provincial Standing Committee's Bằng khen (decision 0057)
    level = client.post("/khen-thuong/de-nghi/moi/", _new(kind="bang_khen_btv_tinh_uy"))
    assert level.status_code == 400 and "không ở cấp đó" in main(level)
    outside = web(personas.outsider).post("/khen-thuong/de-nghi/moi/", _new(recipient_unit="C1"))
    assert outside.status_code == 400 and "không có quyền" in main(outside)
    assert not Nomination.objects.exists() and not DossierFile.objects.exists()
    nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", name="Trần Văn Cường")
    again = client.post("/khen-thuong/de-nghi/moi/", _new(kind="giay_khen_ban_dang"))
    assert again.status_code == 409 and "một thành tích chỉ được khen một lần" in main(again)


def test_the_nominating_unit_sees_the_reason_and_resubmits(org, personas, c1_manager, web):
    """GIVEN C1's nomination for D1's Giấy khen WHEN D1's manager returns it with a
    reason THEN C1's manager reads the reason, corrects the achievement and resubmits;
    D1's manager accepts it. C1's manager may not review, the outsider may do nothing."""
    nomination = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")
    url = f"/khen-thuong/de-nghi/{nomination.pk}/"
    giver, nominator = web(personas.manager), web(c1_manager)
    assert nominator.post(url + "dong-y/").status_code == 403
    assert web(personas.viewer).post(url + "tra-lai/", {"tra-lai-reason": "x"}).status_code == 403
    assert web(personas.outsider).post(url + "dong-y/").status_code == 403
    assert giver.post(url + "tra-lai/", {"tra-lai-reason": " "}).status_code == 400
    returned = giver.post(url + "tra-lai/", {"tra-lai-reason": "Thiếu biên bản họp hội đồng"})
    assert returned.status_code == 302
    seen = nominator.get(url)
    assert "Trả lại để bổ sung: lý do Thiếu biên bản họp hội đồng" in main(seen)
    assert f'action="{url}trinh-lai/"' in seen.content.decode()
    assert f'action="{url}dong-y/"' not in seen.content.decode()
    resent = nominator.post(url + "trinh-lai/", {"achievement": ACHIEVEMENT + " (đã bổ sung)"})
    assert resent.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "resubmitted" and nomination.achievement.endswith("(đã bổ sung)")
    assert giver.post(url + "dong-y/").status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "accepted"
    again = giver.post(url + "dong-y/")
    assert again.status_code == 409 and "Đề nghị đang ở trạng thái" in main(again)
    history = main(giver.get(url))
    assert "Trả lại để bổ sung" in history and "c1_manager" in history


def test_it_issues_the_decision_from_the_register(org, personas, web, media):
    accepted = [
        nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen"),
        nominate(org.c2, org.d1, kind="giay_khen_ubnd_huyen", name="Lê Thị Bình"),
    ]
    for nomination in accepted:
        services.accept(acting_user=SYSTEM, nomination=nomination)
    page = main(web(personas.manager).get("/khen-thuong/xet-duyet/", {"don-vi": "D1"}))
    assert "Đã đồng ý, chờ quyết định (2)" in page and "Ban hành quyết định" in page
    body = {
        "don-vi": "D1",
        "de-nghi": [str(n.pk) for n in accepted],
        "date": "19/09/2023",
        "signer_authority": "kt",
        "signer_on_behalf": "Chủ tịch",
        "signer_position": "Phó Chủ tịch",
        "signer": "Lê Văn Ký",
        "recipients": "Như Điều 3;\nLưu: VT.",
    }
    assert web(personas.outsider).post("/khen-thuong/quyet-dinh/", body).status_code == 403
    assert web(personas.viewer).post("/khen-thuong/quyet-dinh/", body).status_code == 403
    bad_day = web(personas.manager).post("/khen-thuong/quyet-dinh/", body | {"date": "31/02/2023"})
    assert bad_day.status_code == 400 and "dd/mm/yyyy" in main(bad_day)
    assert not Award.objects.exists()
    issued = web(personas.manager).post("/khen-thuong/quyet-dinh/", body)
    assert issued.status_code == 302, main(issued)
    awards = Award.objects.all()
    assert len(awards) == 2 and awards[0].document_id is not None
    document = awards[0].document
    assert issued["Location"] == f"/van-ban/{document.pk}/"
    attached = Attachment.objects.get(document=document)
    opened = docx.Document(io.BytesIO((media / attached.path).read_bytes()))
    text = [p.text for p in opened.paragraphs]
    assert "1. Lê Thị Bình, Xã Vĩnh Bình Bắc: " + ACHIEVEMENT + ";" in text
    register = main(web(personas.manager).get("/khen-thuong/so/", {"don-vi": "D1", "nam": "2023"}))
    assert "1 tập thể, 1 cá nhân được khen thưởng." in register and document.symbol in register
    assert "19/09/2023" in register


def test_the_register_and_histories_keep_counts_when_a_name_is_erased(org, personas, web):
    nomination = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", name="Nguyễn Văn An")
    collective = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")
    for n in (nomination, collective):
        services.accept(acting_user=SYSTEM, nomination=n)
        services.award(acting_user=SYSTEM, nomination=n, decided_on=dt.date(2023, 12, 20))
    client = web(personas.manager)
    assert "1 tập thể, 1 cá nhân" in main(client.get("/khen-thuong/so/", {"don-vi": "D1"}))
    unit_page = main(client.get("/khen-thuong/tap-the/C1/"))
    assert (
        "Khen thưởng của tập thể Thị trấn Vĩnh Thuận" in unit_page and "Nguyễn Văn An" in unit_page
    )
    viewed = main(web(personas.viewer).get("/khen-thuong/tap-the/C1/"))
    assert "Nguyễn Văn An" not in viewed and "Một cá nhân" in viewed
    person = f"/khen-thuong/ca-nhan/{nomination.individual_id}/"
    assert "Quá trình khen thưởng" in main(client.get(person))
    asked = client.post(person + "xoa/")
    assert asked.status_code == 200 and "Xóa họ tên Nguyễn Văn An?" in main(asked)
    assert Individual.objects.get().erased is None
    assert web(personas.viewer).post(person + "xoa/", {"xac_nhan": "1"}).status_code == 403
    assert client.post(person + "xoa/", {"xac_nhan": "1"}).status_code == 302
    assert Individual.objects.get().name == "—"
    after = main(client.get("/khen-thuong/so/", {"don-vi": "D1"}))
    assert "1 tập thể, 1 cá nhân" in after and "Nguyễn Văn An" not in after


def test_it_speaks_english_when_chosen(org, personas, web):
    nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")
    client = web(personas.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = main(client.get("/khen-thuong/", {"don-vi": "D1"}))
    assert "Emulation and commendation" in shown and "Submitted" in shown
    assert "District People's Committee Certificate of Commendation" in shown


def _queries(client, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_its_lists_take_as_many_queries_for_many_rows_as_for_few(org, personas, web):
    """The units' names and the people's names are read once per list, not per row."""
    client = web(personas.manager)
    pages = ("/khen-thuong/", "/khen-thuong/so/", "/khen-thuong/xet-duyet/")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            cell = f.make_unit(f"CB{i}", name=f"Chi bộ {i}", kind_code="commune", parent=org.c1)
            for name in ("", f"Người {i}"):
                done = nominate(cell, org.d1, kind="giay_khen_ubnd_huyen", name=name)
                services.accept(acting_user=SYSTEM, nomination=done)
                services.award(acting_user=SYSTEM, nomination=done, decided_on=dt.date(2023, 12, 1))

    add(2, 0)
    few = [_queries(client, url, {"don-vi": "D1"}) for url in pages]
    add(4, 2)
    assert [_queries(client, url, {"don-vi": "D1"}) for url in pages] == few


def test_the_desk_lists_nominations_to_review_and_to_correct(org, personas, c1_manager, web):
    """GIVEN one nomination of C1 waiting for D1's review and one returned to C1 THEN
    D1's manager's desk offers the review of the first, C1's manager's desk the
    correction of the second with its reason; the outsider's desk has neither."""
    waiting = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")
    returned = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", name="Lê Thị Bình")
    services.return_for_correction(acting_user=SYSTEM, nomination=returned, reason="Thiếu tờ trình")
    giver = web(personas.manager).get("/viec-cua-toi/")  # D1's manager manages C1 too: both
    assert "Đề nghị khen thưởng chờ xử lý (2)" in main(giver) and "Thẩm định" in main(giver)
    assert f"/khen-thuong/de-nghi/{waiting.pk}/" in giver.content.decode()
    nominator = web(c1_manager).get("/viec-cua-toi/")
    assert f"/khen-thuong/de-nghi/{returned.pk}/" in nominator.content.decode()
    assert f"/khen-thuong/de-nghi/{waiting.pk}/" not in nominator.content.decode()
    assert "Sửa và trình lại" in main(nominator) and "Thiếu tờ trình" in main(nominator)
    assert (
        "khen-thuong/de-nghi" not in web(personas.outsider).get("/viec-cua-toi/").content.decode()
    )


def test_an_ended_unit_s_awards_stay_in_the_registers_above_it(org, personas, web):
    """GIVEN a collective award to C1, then C1 dissolved (as the 2025 reform ended the
    districts and their communes) WHEN D1's manager and the national admin read the
    register THEN the award is still counted: C1 was under D1 on its last day."""
    from django.utils import timezone

    from trienkhai.orgs.services import dissolve_unit

    collective = nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")
    services.accept(acting_user=SYSTEM, nomination=collective)
    services.award(acting_user=SYSTEM, nomination=collective, decided_on=dt.date(2023, 12, 20))
    dissolve_unit(acting_user=SYSTEM, unit=org.c1, on=timezone.localdate() - dt.timedelta(days=1))
    for who, unit in ((personas.manager, "D1"), (personas.admin, "")):
        register = main(web(who).get("/khen-thuong/so/", {"don-vi": unit}))
        assert "1 tập thể, 0 cá nhân" in register, who
    assert "0 tập thể" in main(web(personas.outsider).get("/khen-thuong/so/"))
