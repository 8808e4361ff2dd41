"""The connected sites on an online conference's page (/hoat-dong/<id>/#sites), a site's
page (/hoat-dong/diem-cau/<id>/) and its removal (decision 0046), with the forbidden
cases: the outsider (a manager of D2), the viewer and reporter (they read, never
write), anonymous (log-in), the wrong method (405)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.activities.conftest import make_event
from tests.activities.test_views import english, main
from tests.factories import SYSTEM
from trienkhai.activities import services, sites
from trienkhai.activities.models import Attendance, Site, SiteCount


@pytest.fixture
def conference(org, conference):
    """The conference of conftest.py (D1's, two sessions, sites at C1 and C2) with An
    named at C1's site and C1 counted 40 at the first session (An among them); C2 not
    counted."""
    first = conference.sessions.order_by("date").first()
    services.record_attendance(
        acting_user=SYSTEM,
        event=conference,
        rows=[
            services.AttendanceRow(
                session=str(first.pk), name="Nguyễn Văn An", unit="C1", site="C1"
            )
        ],
    )
    sites.change_site(
        acting_user=SYSTEM, site=Site.objects.get(unit=org.c1), counts=[(first.pk, 40)]
    )
    return conference


def test_it_shows_the_sites_and_says_heads_are_not_people(personas, web, conference):
    """GIVEN C1's site counted 40 (An named among them) WHEN the viewer opens the
    conference THEN each site reads with its place and numbers per session, the totals
    say which attendances were counted by head, and that heads are not people; the
    viewer gets no form and no edit link."""
    response = web(personas.viewer).get(f"/hoat-dong/{conference.pk}/")
    assert response.status_code == 200
    page = main(response)
    assert "40 lượt, 1 người (trong đó 39 lượt đếm theo điểm cầu, không ghi tên)" in page
    assert "không có tên, nên được tính vào lượt tham gia nhưng không tính vào số người" in page
    assert "Điểm cầu chính: Huyện Vĩnh Thuận." in page
    assert "Thị trấn Vĩnh Thuận Hội trường thị trấn 40 (1 có tên) —" in page
    assert "Xã Vĩnh Bình Bắc — —" in page
    assert "Thêm điểm cầu" not in page and "/hoat-dong/diem-cau/" not in response.content.decode()


def test_a_class_has_no_sites_section(org, personas, web):
    page = main(web(personas.manager).get(f"/hoat-dong/{make_event(org.d1).pk}/"))
    assert "Điểm cầu" not in page and "điểm cầu" not in page


def test_it_speaks_english_about_sites(personas, web, conference):
    page = main(english(web(personas.manager)).get(f"/hoat-dong/{conference.pk}/"))
    assert "Attendances: 40; participants: 1 (39 of the attendances counted by head" in page
    assert "Connected sites" in page and "Add a connected site" in page


def test_a_manager_adds_a_site(org, personas, web):
    event = make_event(org.d1, kind="online_conference")
    client = web(personas.manager)
    response = client.post(
        f"/hoat-dong/{event.pk}/diem-cau/",
        {"unit": "Xã Vĩnh Bình Bắc (C2)", "place": "Nhà văn hóa"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/hoat-dong/{event.pk}/#sites"
    assert list(Site.objects.values_list("unit__code", "place")) == [("C2", "Nhà văn hóa")]
    assert "Đã thêm điểm cầu: Xã Vĩnh Bình Bắc." in main(client.get(f"/hoat-dong/{event.pk}/"))


def test_a_bad_site_is_said_beside_its_field(org, personas, web, conference):
    client = web(personas.manager)
    response = client.post(f"/hoat-dong/{conference.pk}/diem-cau/", {"unit": "D2"})
    assert response.status_code == 400
    page = main(response)
    assert "Không có đơn vị D2" in page  # out of the manager's sight: as if unknown
    assert 'id="id_unit_error"' in response.content.decode()
    response = client.post(f"/hoat-dong/{conference.pk}/diem-cau/", {"unit": "C1"})
    assert "C1 đã có điểm cầu trong hội nghị này" in main(response)
    assert Site.objects.count() == 2


def test_a_manager_enters_a_site_s_counts(org, personas, web, conference):
    site = Site.objects.get(unit=org.c2)
    first, second = conference.sessions.order_by("date")
    client = web(personas.manager)
    page = main(client.get(f"/hoat-dong/diem-cau/{site.pk}/"))
    assert "Điểm cầu: Xã Vĩnh Bình Bắc" in page
    assert "Số người ở buổi 1 (01/03/2021)" in page and "Số người ở buổi 2 (02/03/2021)" in page
    data = {"place": "Nhà văn hóa xã", f"buoi-{first.pk}": "25", f"buoi-{second.pk}": ""}
    response = client.post(f"/hoat-dong/diem-cau/{site.pk}/", data)
    assert response.status_code == 302 and response["Location"].endswith("#sites")
    assert list(SiteCount.objects.filter(site=site).values_list("session_id", "people")) == [
        (first.pk, 25)
    ]
    page = main(client.get(f"/hoat-dong/{conference.pk}/"))
    assert "65 lượt, 1 người (trong đó 64 lượt đếm theo điểm cầu, không ghi tên)" in page
    assert "Xã Vĩnh Bình Bắc Nhà văn hóa xã 25 —" in page


def test_a_count_below_the_names_is_said_beside_its_session(org, personas, web, conference):
    site = Site.objects.get(unit=org.c1)
    first, second = conference.sessions.order_by("date")
    data = {"place": "", f"buoi-{first.pk}": "0", f"buoi-{second.pk}": "-3"}
    response = web(personas.manager).post(f"/hoat-dong/diem-cau/{site.pk}/", data)
    assert response.status_code == 400
    markup = response.content.decode()
    assert f'id="id_buoi-{second.pk}_error"' in markup  # the form's own check: not below 0
    data[f"buoi-{second.pk}"] = ""
    response = web(personas.manager).post(f"/hoat-dong/diem-cau/{site.pk}/", data)
    assert response.status_code == 400
    assert f'id="id_buoi-{first.pk}_error"' in response.content.decode()
    assert "đã có 1 người ghi tên ở điểm cầu này" in main(response)
    assert SiteCount.objects.get(site=site).people == 40


def test_a_site_with_names_is_not_removed_one_without_is(org, personas, web, conference):
    client = web(personas.manager)
    c1, c2 = Site.objects.get(unit=org.c1), Site.objects.get(unit=org.c2)
    response = client.post(f"/hoat-dong/diem-cau/{c1.pk}/xoa/")
    assert response.status_code == 409
    assert "Đã có người ghi tên ở điểm cầu này, không xóa được" in main(response)
    response = client.post(f"/hoat-dong/diem-cau/{c2.pk}/xoa/")
    assert response.status_code == 302
    assert list(Site.objects.values_list("unit__code", flat=True)) == ["C1"]


def test_it_keeps_the_sites_writes_to_the_organiser_s_managers(org, personas, web, conference):
    site = Site.objects.get(unit=org.c2)
    first = conference.sessions.order_by("date").first()
    writes = [
        (f"/hoat-dong/{conference.pk}/diem-cau/", {"unit": "C2"}),
        (f"/hoat-dong/diem-cau/{site.pk}/", {f"buoi-{first.pk}": "9"}),
        (f"/hoat-dong/diem-cau/{site.pk}/xoa/", {}),
    ]
    for user in (personas.viewer, personas.reporter, personas.outsider):
        for url, data in writes:
            assert web(user).post(url, data).status_code == 403, (user.username, url)
        assert web(user).get(f"/hoat-dong/diem-cau/{site.pk}/").status_code == 403
    for url, data in writes:
        response = web().post(url, data)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).get(f"/hoat-dong/{conference.pk}/diem-cau/").status_code == 405
    assert web(personas.manager).get(f"/hoat-dong/diem-cau/{site.pk}/xoa/").status_code == 405
    assert web(personas.manager).get("/hoat-dong/diem-cau/999999/").status_code == 404
    assert Site.objects.count() == 2 and SiteCount.objects.count() == 1


def test_the_template_lists_the_sites_and_a_filled_list_names_them(org, personas, web, conference):
    client = web(personas.manager)
    response = client.get(f"/hoat-dong/{conference.pk}/mau-diem-danh.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Điểm danh"]
    assert [c.value for c in sheet[1]][-1] == "Điểm cầu"
    helped = [row[:2] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert ("Thị trấn Vĩnh Thuận", "C1") in helped and ("Xã Vĩnh Bình Bắc", "C2") in helped
    sheet.append(["01/03/2021", "Lê Thị Bình", "C2", "", "", "Xã Vĩnh Bình Bắc"])
    sheet.append(["01/03/2021", "Trần Cường", "C2", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("diem-danh.xlsx", out.getvalue())
    assert (
        client.post(f"/hoat-dong/{conference.pk}/diem-danh/", {"file": upload}).status_code == 302
    )
    at = dict(Attendance.objects.values_list("person__name", "site__unit__code"))
    assert at == {"Nguyễn Văn An": "C1", "Lê Thị Bình": "C2", "Trần Cường": None}


def test_a_list_past_a_site_s_count_is_refused_by_row(org, personas, web, conference):
    rows = "Buổi,Họ và tên,Mã đơn vị,Điểm cầu\n" + "".join(
        f"01/03/2021,Người {n},C1,C1\n" for n in range(40)
    )
    upload = SimpleUploadedFile("diem-danh.csv", rows.encode(), content_type="text/csv")
    response = web(personas.manager).post(
        f"/hoat-dong/{conference.pk}/diem-danh/", {"file": upload}
    )
    assert response.status_code == 400
    problems = main(response).split("Lỗi theo dòng", 1)[1]
    assert "41 Điểm cầu Điểm cầu này đã đếm 40 người ở buổi này" in problems
    assert Attendance.objects.count() == 1
