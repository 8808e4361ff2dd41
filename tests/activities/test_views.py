"""The activity pages (/hoat-dong/): the list with the figures, a new event, an event with
its attendance list and upload, the template, the people, a person's data (seen,
exported, erased). Each with its forbidden cases: the outsider (a manager of D2), the
viewer (counts, never names), anonymous (log-in), the wrong method (405)."""

import datetime as dt
import html
import io
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests import factories as f
from tests.activities.conftest import attend, make_event
from trienkhai.activities import figures
from trienkhai.activities.models import Attendance, Event, Person, PersonErasure


def words(markup: str) -> str:
    """What a reader sees: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def main(response) -> str:
    """What <main> says (the header has the menu and the bell)."""
    found = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)
    assert found, response.content[:300]
    return words(found.group(1))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def classes(org):
    """C1's class on two days (An both, Bình the first, as Party members), C2's conference
    in 2020 (Cường), and D2's class (the outsider's district)."""
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An", "Lê Thị Bình"], group="dang_vien")
    attend(event, ["Nguyễn Văn An"], session=1)
    old = make_event(org.c2, kind="study_conference", days=("2020-05-04",), title="Hội nghị 2020")
    attend(old, ["Trần Cường"])
    make_event(org.d2, title="Lớp của Cầu Kè")
    return event


def an() -> Person:
    return Person.objects.get(name="Nguyễn Văn An")


# The list -------------------------------------------------------------------------------


def test_it_lists_the_events_of_the_user_s_units_with_their_counts(personas, web, classes):
    """GIVEN C1's class of 2021 (2 sessions, 3 attendances, 2 people) WHEN the manager of
    D1 opens Hoạt động THEN it opens on D1 and its latest year, the class is listed with
    its kind in words, its days, organiser and counts; nothing of D2 is."""
    response = web(personas.manager).get("/hoat-dong/")
    assert response.status_code == 200
    page = main(response)
    assert "Hoạt động: Huyện Vĩnh Thuận" in page
    assert (
        "Lớp bồi dưỡng lý luận Lớp bồi dưỡng 01/03/2021 – 02/03/2021 Thị trấn Vĩnh Thuận 2 3 2"
        in page
    )
    assert "Hội nghị 2020" not in page  # 2020: another year
    assert "Cầu Kè" not in page
    assert 'value="Huyện Vĩnh Thuận (D1)"' in response.content.decode()
    assert '<option value="2021" selected>' in response.content.decode()


def test_it_opens_on_the_latest_year_with_something_to_show(org, personas, web):
    """GIVEN D1 without any event and a cell's pledge list of 2020 WHEN its manager opens
    Hoạt động THEN it opens on 2020 (what the figures count), not on this year with
    nothing; once D1 holds events of 2019 and of next year, on 2019 (events first, and
    none still to come); once it holds one of this year, on this year."""
    from tests.activities.test_pledges import record

    this_year = dt.date.today().year
    record(org.c1, [("Lê Văn Bảy", "02/03/2020")])
    client = web(personas.manager)

    def opened():
        response = client.get("/hoat-dong/")
        found = re.search(r'<option value="(\d+)" selected>', response.content.decode())
        return int(found.group(1)), main(response)

    year, page = opened()
    assert year == 2020
    assert "Số liệu năm 2020" in page and "Số bản đăng ký tu dưỡng, rèn luyện đã nộp 1" in page
    make_event(org.c2, days=("2019-05-04",), title="Hội nghị 2019")
    make_event(org.c1, days=(f"{this_year + 1}-03-01",), title="Lớp năm sau")
    make_event(org.d2, days=(f"{this_year}-01-05",), title="Lớp của Cầu Kè")  # not in reach
    year, page = opened()
    assert year == 2019 and "Hội nghị 2019" in page
    make_event(org.c1, days=(f"{this_year}-01-05",), title="Lớp năm nay")
    year, page = opened()
    assert year == this_year and "Lớp năm nay" in page and "Cầu Kè" not in page


def test_it_shows_the_same_figures_as_the_api(personas, web, api, classes):
    page = main(web(personas.viewer).get("/hoat-dong/?nam=2021"))
    answer = api(personas.viewer).get("activities/figures", unit="D1", period="2021").json()
    shown = {a["name"]: a["value"] for a in answer}
    assert shown["Lượt người tham gia (theo sổ điểm danh)"] == 3
    for name, value in shown.items():
        assert f"{name} {value}" in page


def test_it_writes_numbers_the_vietnamese_way(org, personas, web):
    event = make_event(org.c1, days=("2021-03-01",))
    attend(event, [f"Người thứ {i}" for i in range(1005)])
    page = main(web(personas.viewer).get("/hoat-dong/"))
    assert "Lượt người tham gia (theo sổ điểm danh) 1.005" in page
    assert "01/03/2021 Thị trấn Vĩnh Thuận 1 1.005 1.005" in page


def test_it_filters_by_unit_kind_and_year(personas, web, classes):
    client = web(personas.manager)
    by_name = main(client.get("/hoat-dong/", {"don-vi": "xa vinh binh bac", "nam": "2020"}))
    assert "Hoạt động: Xã Vĩnh Bình Bắc" in by_name and "Hội nghị 2020" in by_name
    assert "Lớp bồi dưỡng lý luận" not in by_name
    picked = main(client.get("/hoat-dong/", {"don-vi": "Thị trấn Vĩnh Thuận (C1)"}))
    assert "Lớp bồi dưỡng lý luận" in picked and "Hội nghị 2020" not in picked
    other_kind = main(client.get("/hoat-dong/", {"loai": "study_conference", "nam": "2021"}))
    assert "Không có hoạt động nào." in other_kind
    assert "Hội nghị 2020" in main(
        client.get("/hoat-dong/", {"loai": "study_conference", "nam": "2020"})
    )


def test_it_says_what_is_wrong_with_a_filter(personas, web, classes):
    response = web(personas.manager).get("/hoat-dong/", {"don-vi": "khong co dau", "loai": "x"})
    assert response.status_code == 400
    page = main(response)
    assert "Không tìm thấy đơn vị “khong co dau”: chọn trong danh sách gợi ý." in page
    assert "Hoạt động: Huyện Vĩnh Thuận" in page  # the user's own unit meanwhile


def test_it_keeps_the_list_from_who_may_not_see_it(org, personas, web, classes):
    outsider = web(personas.outsider)
    assert outsider.get("/hoat-dong/?don-vi=D1").status_code == 403
    own = main(outsider.get("/hoat-dong/"))
    assert "Lớp của Cầu Kè" in own and "Vĩnh Thuận" not in own
    assert web(personas.nobody).get("/hoat-dong/").status_code == 403
    unknown = web(personas.manager).get("/hoat-dong/?don-vi=NOPE")
    assert unknown.status_code == 400 and "Không tìm thấy đơn vị “NOPE”" in main(unknown)
    response = web().get("/hoat-dong/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post("/hoat-dong/").status_code == 405


def test_it_offers_creating_only_to_managers(personas, web, classes):
    assert "Tạo hoạt động" in main(web(personas.manager).get("/hoat-dong/"))
    viewed = main(web(personas.viewer).get("/hoat-dong/"))
    assert "Tạo hoạt động" not in viewed and "Người tham gia" not in viewed


def test_it_links_the_menu_for_whoever_may_see_a_unit(personas, web):
    assert 'href="/hoat-dong/"' in web(personas.viewer).get("/don-vi/").content.decode()
    assert 'href="/hoat-dong/"' not in web(personas.nobody).get("/tai-khoan/").content.decode()


def test_it_reads_the_list_in_a_fixed_number_of_queries(org, personas, web, classes):
    client = web(personas.manager)
    few = count_queries(client, "/hoat-dong/?nam=2021")
    for n in range(8):
        event = make_event(org.c2 if n % 2 else org.d1, days=("2021-04-01", "2021-04-02"))
        attend(event, [f"Người {n} {i}" for i in range(5)], session=n % 2)
    many = count_queries(client, "/hoat-dong/?nam=2021")
    assert many == few
    assert few <= 40  # mostly the figures: a few fixed queries per register


def test_it_speaks_english_on_the_list(personas, web, classes):
    page = main(english(web(personas.manager)).get("/hoat-dong/"))
    assert "Activities: Huyện Vĩnh Thuận" in page
    assert "Class 01/03/2021 – 02/03/2021" in page
    assert "Classes held 1" in page and "Participant-attendances 3" in page
    assert "Số lớp bồi dưỡng" not in page and "Lớp bồi dưỡng 01" not in page


# Creating an event ----------------------------------------------------------------------

NEW = {
    "title": "Lớp bồi dưỡng nghiệp vụ tuyên giáo",
    "kind": "class",
    "organiser": "Thị trấn Vĩnh Thuận (C1)",
    "start": "01/03/2021",
    "end": "03/03/2021",
    "place": "Hội trường Huyện ủy",
    "audience": ["can_bo", "dang_vien"],
    "sessions": "01/03/2021, 03/03/2021",
}


def test_it_creates_an_event_with_its_sessions(org, personas, web):
    client = web(personas.manager)
    form = main(client.get("/hoat-dong/moi/?don-vi=C1"))
    assert "Lớp bồi dưỡng" in form and "Hội nghị trực tuyến" in form and "Đảng viên" in form
    response = client.post("/hoat-dong/moi/", NEW)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoat-dong/{event.pk}/"
    assert (event.organiser, event.kind, event.audience) == (
        org.c1,
        "class",
        ["can_bo", "dang_vien"],
    )
    assert [s.date.day for s in event.sessions.all()] == [1, 3]
    page = main(client.get(response["Location"]))
    assert "Đã tạo hoạt động: Lớp bồi dưỡng nghiệp vụ tuyên giáo." in page
    assert "Cán bộ, Đảng viên" in page and "01/03/2021 – 03/03/2021" in page


def test_it_makes_one_session_on_the_first_day_when_none_is_given(personas, web):
    one_day = NEW | {"end": "", "sessions": "", "organiser": "C1"}
    assert web(personas.manager).post("/hoat-dong/moi/", one_day).status_code == 302
    event = Event.objects.get()
    assert event.end == event.start == dt.date(2021, 3, 1)
    assert [s.date for s in event.sessions.all()] == [dt.date(2021, 3, 1)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": "28/02/2021"}, "end", "Ngày kết thúc trước ngày bắt đầu."),
        (
            {"sessions": "01/03/2021 05/03/2021"},
            "sessions",
            "Buổi ngoài thời gian của hoạt động: 05/03/2021.",
        ),
        ({"sessions": "31/02/2021"}, "sessions", "Ngày không hợp lệ: 31/02/2021."),
        ({"start": "2021/03/01"}, "start", "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy"),
        ({"title": "  "}, "title", "Trường này là bắt buộc."),
        ({"kind": "party"}, "kind", "party"),
        ({"organiser": "khong co"}, "organiser", "Không tìm thấy đơn vị “khong co”"),
        ({"link": "not a link"}, "link", "Nhập một URL hợp lệ."),
    ],
)
def test_it_refuses_a_bad_event_clearly_and_saves_nothing(personas, web, change, field, message):
    response = web(personas.manager).post("/hoat-dong/moi/", NEW | change)
    assert response.status_code == 400
    errors = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert errors, field
    assert message in html.unescape(errors.group(1))
    assert not Event.objects.exists()


def test_it_refuses_a_bad_event_in_english(personas, web):
    client = english(web(personas.manager))
    response = client.post("/hoat-dong/moi/", NEW | {"end": "28/02/2021", "sessions": "x"})
    assert response.status_code == 400
    page = main(response)
    assert "Create an activity" in page
    assert "Invalid days: x." in page and "The end is before the start." in page
    assert not Event.objects.exists()


def test_it_keeps_event_creation_to_who_may_change_the_organiser(org, personas, web):
    """The viewer and the reporter may not create events (403); the outsider manages D2
    and may open the form, but not organise for C1 (said on the form, nothing saved)."""
    for user in (personas.viewer, personas.reporter):
        assert web(user).get("/hoat-dong/moi/").status_code == 403
        assert web(user).post("/hoat-dong/moi/", NEW).status_code == 403
    outsider = web(personas.outsider)
    assert outsider.get("/hoat-dong/moi/").status_code == 200
    refused = outsider.post("/hoat-dong/moi/", NEW)
    assert refused.status_code == 400
    assert "Bạn không có quyền tổ chức hoạt động cho đơn vị này." in main(refused)
    assert outsider.post("/hoat-dong/moi/", NEW | {"organiser": "D2"}).status_code == 302
    assert list(Event.objects.values_list("organiser__code", flat=True)) == ["D2"]
    response = web().get("/hoat-dong/moi/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).put("/hoat-dong/moi/").status_code == 405


# An event's page and its attendance list -------------------------------------------------


def test_it_shows_an_event_with_names_to_its_managers(personas, web, classes):
    page = main(web(personas.manager).get(f"/hoat-dong/{classes.pk}/"))
    assert "Lớp bồi dưỡng lý luận" in page and "Thị trấn Vĩnh Thuận" in page
    assert "3 lượt, 2 người" in page
    # The sessions, each with its check-in from a phone (decision 0045).
    assert "1 01/03/2021 2 Điểm danh 01/03/2021 2 02/03/2021 1 Điểm danh 02/03/2021" in page
    assert "Theo đối tượng Đối tượng Lượt Người Đảng viên 3 2" in page  # An's group kept
    assert "Lê Thị Bình Thị trấn Vĩnh Thuận Đảng viên 1" in page
    assert "Nguyễn Văn An Thị trấn Vĩnh Thuận Đảng viên 2" in page
    assert "Nhập danh sách" in page and "Tải tệp mẫu (.xlsx)" in page


def test_it_folds_a_long_list_of_sessions(org, personas, web):
    days = [f"2021-03-{day:02d}" for day in range(1, 9)]
    response = web(personas.viewer).get(f"/hoat-dong/{make_event(org.c1, days=days).pk}/")
    assert "<summary>Xem cả 8 buổi</summary>" in response.content.decode()
    assert "8 08/03/2021 0" in main(response)


def test_it_shows_the_viewer_counts_but_no_names(personas, web, classes):
    for user in (personas.viewer, personas.reporter):
        response = web(user).get(f"/hoat-dong/{classes.pk}/")
        assert response.status_code == 200
        page = main(response)
        assert "3 lượt, 2 người" in page
        assert "Nguyễn Văn An" not in page and "Lê Thị Bình" not in page
        assert "Nhập danh sách" not in page
        assert "chỉ người quản lý của đơn vị tổ chức xem được" in page


def test_it_hides_the_names_of_people_of_units_the_manager_does_not_change(org, personas, web):
    """GIVEN a class of D1 attended by a person of C1 and one of D2 (the outsider's)
    WHEN the manager of D1 opens it THEN the first is named, the second is not (decision
    0040: names need CHANGE on the person's unit), and both count."""
    event = make_event(org.d1)
    attend(event, ["Nguyễn Văn An"], unit=org.c1)
    attend(event, ["Phạm Thị Dung"], unit=org.d2)
    page = main(web(personas.manager).get(f"/hoat-dong/{event.pk}/"))
    assert "Nguyễn Văn An" in page and "Phạm Thị Dung" not in page and "Cầu Kè" not in page
    assert "(người của đơn vị ngoài phạm vi bạn quản lý) 1" in page
    assert "2 lượt, 2 người" in page


def test_it_keeps_an_event_from_who_may_not_see_it(personas, web, classes):
    url = f"/hoat-dong/{classes.pk}/"
    assert web(personas.outsider).get(url).status_code == 403
    assert web(personas.manager).get("/hoat-dong/999999/").status_code == 404
    response = web().get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(url).status_code == 405


def csv_upload(text: str, name: str = "diem-danh.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_it_records_an_attendance_list_from_a_file(org, personas, web):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    rows = (
        "Buổi,Họ và tên,Mã đơn vị,Chức vụ,Đối tượng\n"
        "01/03/2021,Nguyễn Văn An,C1,Bí thư,Đảng viên\n"
        "02/03/2021,Nguyễn Văn An,C1,,\n"
        "2021-03-02,Lê Thị Bình,C2,,nhan dan\n"
    )
    client = web(personas.manager)
    response = client.post(f"/hoat-dong/{event.pk}/diem-danh/", {"file": csv_upload(rows)})
    assert response.status_code == 302 and response["Location"] == f"/hoat-dong/{event.pk}/"
    assert Attendance.objects.count() == 3
    assert sorted(Attendance.objects.values_list("audience", flat=True)) == [
        "dang_vien",
        "dang_vien",
        "nhan_dan",
    ]
    assert "Đã lưu 3 lượt điểm danh mới." in main(client.get(response["Location"]))


def test_it_shows_each_bad_row_and_saves_nothing(org, personas, web):
    event = make_event(org.d1)
    rows = (
        "Buổi,Họ và tên,Mã đơn vị\n"
        "01/03/2021,Nguyễn Văn An,C1\n"
        "05/03/2021,Lê Thị Bình,C1\n"
        "01/03/2021,Trần Cường,XX\n"
        "01/03/2021,Nguyễn  Văn An,C1\n"
    )
    response = web(personas.manager).post(
        f"/hoat-dong/{event.pk}/diem-danh/", {"file": csv_upload(rows)}
    )
    assert response.status_code == 400
    page = main(response)
    assert "Danh sách có 3 lỗi, chưa lưu gì" in page
    problems = page.split("Lỗi theo dòng", 1)[1]
    assert "3 Buổi Không có buổi “2021-03-05” trong hoạt động này" in problems
    assert "4 Đơn vị Không có đơn vị XX" in problems
    assert "5 Họ và tên Trùng người với dòng 2 trong cùng buổi" in problems
    assert not Attendance.objects.exists() and not Person.objects.exists()


def test_it_refuses_the_people_of_a_unit_the_manager_does_not_manage(org, personas, web):
    """The web upload answers as the API does: a row of D2 on D1's list is refused."""
    event = make_event(org.d1)
    rows = "Buổi,Họ và tên,Mã đơn vị\n01/03/2021,Nguyễn Văn An,C1\n01/03/2021,Phạm Văn Em,D2\n"
    response = web(personas.manager).post(
        f"/hoat-dong/{event.pk}/diem-danh/", {"file": csv_upload(rows)}
    )
    assert response.status_code == 400
    problems = main(response).split("Lỗi theo dòng", 1)[1]
    assert "3 Đơn vị Đơn vị D2 ngoài phạm vi bạn quản lý" in problems
    assert not Attendance.objects.exists() and not Person.objects.exists()


def test_it_says_what_a_file_lacks(org, personas, web):
    event = make_event(org.d1)
    client = web(personas.manager)
    no_columns = client.post(
        f"/hoat-dong/{event.pk}/diem-danh/", {"file": csv_upload("Tên,Tuổi\nAn,30\n")}
    )
    assert no_columns.status_code == 400
    assert "Dòng đầu cần các cột buổi (session)" in main(no_columns)
    not_excel = client.post(
        f"/hoat-dong/{event.pk}/diem-danh/",
        {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not a workbook")},
    )
    assert not_excel.status_code == 400
    nothing = client.post(f"/hoat-dong/{event.pk}/diem-danh/", {})
    assert nothing.status_code == 400 and "Trường này là bắt buộc." in main(nothing)
    assert not Attendance.objects.exists()


def test_it_shows_the_bad_rows_in_english(org, personas, web):
    event = make_event(org.d1)
    client = english(web(personas.manager))
    rows = "Buổi,Họ và tên,Mã đơn vị\n01/03/2021,,C1\n"
    response = client.post(f"/hoat-dong/{event.pk}/diem-danh/", {"file": csv_upload(rows)})
    assert response.status_code == 400
    problems = main(response).split("Errors by row", 1)[1]
    assert "2 Full name A name is required" in problems
    assert not Attendance.objects.exists()


def test_it_keeps_uploads_to_who_may_change_the_organiser(org, personas, web):
    event = make_event(org.d1)
    rows = "Buổi,Họ và tên,Mã đơn vị\n01/03/2021,Nguyễn Văn An,C1\n"
    url = f"/hoat-dong/{event.pk}/diem-danh/"
    for user in (personas.viewer, personas.reporter, personas.outsider):
        assert web(user).post(url, {"file": csv_upload(rows)}).status_code == 403
    response = web().post(url, {"file": csv_upload(rows)})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).get(url).status_code == 405
    assert not Attendance.objects.exists()


def test_the_template_comes_back_filled_in(org, personas, web):
    """GIVEN the event's .xlsx template WHEN an office fills it in Excel (days as text,
    groups in words) and uploads it THEN every row is recorded."""
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    client = web(personas.manager)
    response = client.get(f"/hoat-dong/{event.pk}/mau-diem-danh.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Danh-sach-diem-danh-Lop-boi-duong-ly-luan.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Điểm danh"]
    assert [c.value for c in sheet[1]] == ["Buổi", "Họ và tên", "Đơn vị", "Chức vụ", "Đối tượng"]
    helped = [row[:2] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    firsts = {first for first, _ in helped}
    assert "01/03/2021" in firsts and "02/03/2021" in firsts and "Đảng viên" in firsts
    assert {("Thị trấn Vĩnh Thuận", "C1"), ("Xã Vĩnh Bình Bắc", "C2")} <= set(helped)
    assert "Huyện Cầu Kè" not in firsts
    sheet.append(["01/03/2021", "Nguyễn Văn An", "Thị trấn Vĩnh Thuận", "Bí thư", "Đảng viên"])
    sheet.append([dt.datetime(2021, 3, 2), "Lê Thị Bình", "C2", "", "Cán bộ"])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("diem-danh.xlsx", out.getvalue())
    assert client.post(f"/hoat-dong/{event.pk}/diem-danh/", {"file": upload}).status_code == 302
    assert sorted(Attendance.objects.values_list("date", "audience")) == [
        (dt.date(2021, 3, 1), "dang_vien"),
        (dt.date(2021, 3, 2), "can_bo"),
    ]


def test_it_keeps_the_template_to_who_may_upload(org, personas, web):
    event = make_event(org.d1)
    url = f"/hoat-dong/{event.pk}/mau-diem-danh.xlsx"
    assert web(personas.viewer).get(url).status_code == 403
    assert web(personas.outsider).get(url).status_code == 403
    assert web(personas.manager).post(url).status_code == 405


# People and a person's data --------------------------------------------------------------


def test_it_finds_people_by_name_for_managers(personas, web, classes):
    client = web(personas.manager)
    page = main(client.get("/hoat-dong/nguoi/", {"q": "nguyen van"}))
    assert "Nguyễn Văn An Thị trấn Vĩnh Thuận" in page and "Lê Thị Bình" not in page
    assert "Trần Cường" in main(client.get("/hoat-dong/nguoi/"))
    assert web(personas.viewer).get("/hoat-dong/nguoi/").status_code == 403
    assert web(personas.outsider).get("/hoat-dong/nguoi/?don-vi=D1").status_code == 403
    assert web(personas.manager).post("/hoat-dong/nguoi/").status_code == 405


def test_it_finds_the_people_of_a_unit_that_has_ended(org, personas, web):
    """GIVEN a commune of D1 with a class in 2021, dissolved in the 2025 reform WHEN the
    manager looks for its people THEN they are found (its subtree on its last day)."""
    from trienkhai.orgs import services as orgs

    ended = f.make_unit("C9", name="Xã Đã Giải Thể", parent=org.d1)
    attend(make_event(ended), ["Nguyễn Văn Giải"])
    orgs.dissolve_unit(acting_user=f.SYSTEM, unit=ended, on=dt.date(2025, 7, 1))
    page = main(web(personas.manager).get("/hoat-dong/nguoi/", {"don-vi": "C9"}))
    assert "Nguyễn Văn Giải Xã Đã Giải Thể" in page


def test_it_shows_what_is_kept_about_a_person(personas, web, classes):
    page = main(web(personas.manager).get(f"/hoat-dong/nguoi/{an().pk}/"))
    assert "Nguyễn Văn An" in page and "Thị trấn Vĩnh Thuận" in page
    assert "Điểm danh (2 lượt)" in page
    assert "01/03/2021 Lớp bồi dưỡng lý luận Lớp bồi dưỡng Thị trấn Vĩnh Thuận Đảng viên" in page
    assert "Xuất dữ liệu (.xlsx)" in page and "Xuất dữ liệu (JSON)" in page
    assert "Xóa dữ liệu cá nhân…" in page


def test_it_exports_a_person_s_data(personas, web, classes):
    client = web(personas.manager)
    person = an()
    as_json = client.get(f"/hoat-dong/nguoi/{person.pk}/du-lieu.json")
    assert as_json.status_code == 200
    assert as_json["Content-Disposition"] == (
        'attachment; filename="Du-lieu-ca-nhan-Nguyen-Van-An.json"'
    )
    found = json.loads(as_json.content)
    assert found["name"] == "Nguyễn Văn An" and len(found["attendances"]) == 2
    as_xlsx = client.get(f"/hoat-dong/nguoi/{person.pk}/du-lieu.xlsx")
    assert as_xlsx["Content-Disposition"].endswith('filename="Du-lieu-ca-nhan-Nguyen-Van-An.xlsx"')
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert ("Họ và tên", "Nguyễn Văn An") in list(book["Người"].iter_rows(values_only=True))
    attended = list(book["Điểm danh"].iter_rows(values_only=True))
    assert attended[1][:3] == ("01/03/2021", "Lớp bồi dưỡng lý luận", "Lớp bồi dưỡng")


@pytest.mark.parametrize("path", ["", "du-lieu.json", "du-lieu.xlsx"], ids=["page", "json", "xlsx"])
def test_it_keeps_a_person_s_data_to_the_managers_of_their_unit(personas, web, classes, path):
    url = f"/hoat-dong/nguoi/{an().pk}/{path}"
    for user in (personas.viewer, personas.reporter, personas.outsider):
        assert web(user).get(url).status_code == 403
    assert web(personas.manager).get("/hoat-dong/nguoi/999999/").status_code == 404
    response = web().get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(url).status_code == 405


def test_erasing_asks_first_then_keeps_every_figure(org, personas, web, classes):
    """GIVEN An's 2 attendances WHEN the manager presses "Xóa dữ liệu cá nhân" THEN a page
    asks (nothing erased yet); confirmed, the name is gone, the figures are the same, and
    the page says so; a second erasure is refused."""
    span = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    before = figures.subtree_figures(org.d1, *span)
    client = web(personas.manager)
    url = f"/hoat-dong/nguoi/{an().pk}/xoa/"
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Xóa dữ liệu cá nhân của Nguyễn Văn An?" in main(asked)
    assert 'class="danger"' in asked.content.decode()
    assert an().erased is None and not PersonErasure.objects.exists()
    done = client.post(url, {"xac_nhan": "1"})
    person = Person.objects.get(pk=int(url.split("/")[3]))
    assert done.status_code == 302 and done["Location"] == f"/hoat-dong/nguoi/{person.pk}/"
    assert person.erased is not None and person.name == "—"
    assert figures.subtree_figures(org.d1, *span) == before
    page = main(client.get(done["Location"]))
    assert "Đã xóa dữ liệu cá nhân; số liệu vẫn giữ nguyên." in page
    assert "Nguyễn Văn An" not in page and "Xóa dữ liệu cá nhân…" not in page
    again = client.post(url, {"xac_nhan": "1"})
    assert again.status_code == 409 and "Người này đã được xóa" in main(again)
    listed = main(client.get(f"/hoat-dong/{classes.pk}/"))
    assert "(đã xóa)" in listed and "3 lượt, 2 người" in listed


def test_only_the_managers_of_the_unit_erase(personas, web, classes):
    url = f"/hoat-dong/nguoi/{an().pk}/xoa/"
    for user in (personas.viewer, personas.reporter, personas.outsider):
        assert web(user).post(url, {"xac_nhan": "1"}).status_code == 403
    response = web().post(url, {"xac_nhan": "1"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).get(url).status_code == 405
    assert an().erased is None and not PersonErasure.objects.exists()


def test_it_speaks_english_on_a_person_s_pages(personas, web, classes):
    client = english(web(personas.manager))
    page = main(client.get(f"/hoat-dong/nguoi/{an().pk}/"))
    assert "Export data (.xlsx)" in page and "Erase personal data…" in page
    assert "Party members" in page and "Class" in page
    asked = main(client.post(f"/hoat-dong/nguoi/{an().pk}/xoa/"))
    assert "Erase the personal data of Nguyễn Văn An?" in asked


def test_an_admin_sees_names_too(org, personas, classes):
    admin = f.make_user("province_admin", unit=org.p1, role="admin")
    from django.test import Client

    client = Client()
    f.log_in(client, admin)
    assert "Nguyễn Văn An" in main(client.get(f"/hoat-dong/{classes.pk}/"))
