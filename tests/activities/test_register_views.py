"""The registers' pages (/hoat-dong/tu-duong/, /kenh/, /kiem-tra/): members' pledge lists,
official channels and their counts, inspection and supervision. Each with its forbidden
cases: the outsider (a manager of D2), the viewer (counts, never names), anonymous
(log-in), the wrong method (405); a bad file is a 4xx with its problems by row and
saves nothing.

The organisation of tests/conftest.py: D1 with C1 and C2 (personas at D1), the outsider
at D2; two party cells below: CB1 under C1, CB2 under C2."""

import datetime as dt
import io
import re
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests import factories as f
from tests.activities.test_inspections import year_2021  # noqa: F401 (a fixture)
from tests.activities.test_views import english, main
from tests.factories import SYSTEM
from trienkhai.activities import channels, inspections, pledges
from trienkhai.activities.inspections import RecommendationInput
from trienkhai.activities.models import (
    Channel,
    Inspection,
    InspectionPlan,
    Person,
    Pledge,
    PledgeList,
    PostCount,
    Recommendation,
)
from trienkhai.activities.pledges import PledgeRow

DEADLINE = dt.date(2020, 4, 15)
PLEDGES = "/hoat-dong/tu-duong/"
UPLOAD = "/hoat-dong/tu-duong/nhap/"
CHANNELS = "/hoat-dong/kenh/"
INSPECTIONS = "/hoat-dong/kiem-tra/"


def csv_upload(text: str, name: str = "danh-sach.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def field_error(response, field: str) -> str:
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert found, field
    return re.sub(r"<[^>]+>", " ", found.group(1))


@pytest.fixture
def cells(org):
    return (
        f.make_unit("CB1", name="Chi bộ khóm 1", kind_code="party_cell", parent=org.c1),
        f.make_unit("CB2", name="Chi bộ ấp Vĩnh Đông", kind_code="party_cell", parent=org.c2),
    )


def record(unit, members, *, year=2020, deadline=DEADLINE):
    rows = [PledgeRow(name=name, submitted=day) for name, day in members]
    return pledges.record_pledges(
        acting_user=SYSTEM, unit=unit, year=year, deadline=deadline, rows=rows
    )


@pytest.fixture
def lists(cells):
    """CB1: 3 members, 2 on time, 1 late; CB2: 2 members, 1 on time, 1 not yet."""
    cb1, cb2 = cells
    record(
        cb1,
        [
            ("Nguyễn Văn An", "10/03/2020"),
            ("Lê Thị Bình", "15/04/2020"),
            ("Trần Cường", "20/04/2020"),
        ],
    )
    record(cb2, [("Phạm Thị Dung", "01/04/2020"), ("Võ Văn Em", "")])
    return cells


# Pledges: the page ---------------------------------------------------------------------


def test_it_rolls_up_a_district_s_lists_without_a_name(personas, web, lists):
    """GIVEN two cells' lists of 2020 WHEN the district's viewer opens the pledges THEN
    the totals and each list's counts are shown in words and numbers, nobody is named."""
    response = web(personas.viewer).get(PLEDGES, {"nam": "2020"})
    assert response.status_code == 200
    page = main(response)
    assert "Bản đăng ký tu dưỡng, rèn luyện: Huyện Vĩnh Thuận" in page
    assert "Đảng viên phải viết bản đăng ký 5 Đã nộp 4 bản, 80% Nộp đúng hạn 3 bản, 60%" in page
    assert "Nộp muộn 1 Chưa nộp 1" in page
    assert "Chi bộ ấp Vĩnh Đông 15/04/2020 2 1 1 0 1" in page
    assert "Chi bộ khóm 1 15/04/2020 3 3 2 1 0" in page
    for name in ("Nguyễn Văn An", "Lê Thị Bình", "Phạm Thị Dung"):
        assert name not in page
    assert "Nhập danh sách từ tệp" not in page


def test_it_opens_on_the_latest_year_with_lists(personas, web, lists):
    response = web(personas.viewer).get(PLEDGES)
    assert '<option value="2020" selected>' in response.content.decode()
    assert "Năm 2020" in main(response)


def test_it_writes_numbers_and_shares_the_vietnamese_way(personas, web, cells):
    members = [(f"Đảng viên {i}", "01/04/2020" if i < 1170 else "") for i in range(1200)]
    record(cells[0], members)
    page = main(web(personas.viewer).get(PLEDGES, {"nam": "2020"}))
    assert "Đảng viên phải viết bản đăng ký 1.200 Đã nộp 1.170 bản, 97,5%" in page


def test_it_names_a_cell_s_members_to_its_managers_only(personas, web, lists):
    """The cell's list by name, each on time, late or not yet against the deadline, for
    the manager; the viewer of the district sees the cell's counts (decision 0040)."""
    url = f"{PLEDGES}?don-vi=CB1&nam=2020"
    page = main(web(personas.manager).get(url))
    assert "Danh sách của Chi bộ khóm 1 Hạn nộp 15/04/2020 Đã nộp 3/3 bản, 1 nộp muộn" in page
    assert "Lê Thị Bình 15/04/2020 Đúng hạn" in page
    assert "Nguyễn Văn An 10/03/2020 Đúng hạn" in page
    assert "Trần Cường 20/04/2020 Nộp muộn" in page
    assert "Nhập danh sách từ tệp" in page and "Tải tệp mẫu (.xlsx)" in page
    viewed = main(web(personas.viewer).get(url))
    assert "Đã nộp 3/3 bản, 1 nộp muộn" in viewed
    assert "Trần Cường" not in viewed and "Lê Thị Bình" not in viewed
    assert "Tên đảng viên chỉ người quản lý của chi bộ xem được" in viewed
    late = main(web(personas.manager).get(f"{PLEDGES}?don-vi=CB2&nam=2020"))
    assert "Võ Văn Em Chưa nộp" in late


def test_it_keeps_the_pledges_from_who_may_not_see_them(personas, web, lists):
    outsider = web(personas.outsider)
    assert outsider.get(PLEDGES, {"don-vi": "D1"}).status_code == 403
    assert outsider.get(PLEDGES, {"don-vi": "CB1", "nam": "2020"}).status_code == 403
    own = main(outsider.get(PLEDGES))
    assert "Huyện Cầu Kè" in own and "Chi bộ khóm 1" not in own
    assert web(personas.nobody).get(PLEDGES).status_code == 403
    response = web().get(PLEDGES)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(PLEDGES).status_code == 405


def test_it_reads_the_pledges_in_a_fixed_number_of_queries(org, personas, web, lists):
    client = web(personas.manager)
    few = count_queries(client, f"{PLEDGES}?nam=2020")
    for n in range(6):
        cell = f.make_unit(f"CB{n + 3}", name=f"Chi bộ {n + 3}", parent=org.c1 if n % 2 else org.c2)
        record(cell, [(f"Người {n} {i}", "01/04/2020") for i in range(4)])
    assert count_queries(client, f"{PLEDGES}?nam=2020") == few
    assert few <= 25


def test_it_speaks_english_on_the_pledges(personas, web, lists):
    page = main(english(web(personas.manager)).get(f"{PLEDGES}?don-vi=CB1&nam=2020"))
    assert "Self-improvement pledges: Chi bộ khóm 1" in page
    assert "Handed in 3 pledges, 100%" in page
    assert "Trần Cường 20/04/2020 Late" in page
    assert "Nộp muộn" not in page


# Pledges: the upload and the template --------------------------------------------------

GOOD = (
    "Họ và tên,Chức vụ,Ngày nộp\n"
    "Nguyễn Văn An,Bí thư chi bộ,10/03/2020\n"
    "Lê Thị Bình,,2020-04-20\n"
    "Trần Cường,,\n"
)


def upload_data(file, **fields):
    return (
        {"unit": "Chi bộ khóm 1 (CB1)", "year": "2020", "deadline": "15/04/2020"}
        | fields
        | {"file": file}
    )


def test_it_records_a_cell_s_list_from_a_file(personas, web, cells):
    client = web(personas.manager)
    form = main(client.get(UPLOAD, {"don-vi": "CB1", "nam": "2020"}))
    assert "Nhập danh sách đảng viên" in form
    response = client.post(UPLOAD, upload_data(csv_upload(GOOD)))
    assert response.status_code == 302
    assert response["Location"] == f"{PLEDGES}?don-vi=CB1&nam=2020"
    kept = PledgeList.objects.get(unit=cells[0], year=2020)
    assert kept.deadline == DEADLINE
    assert sorted(kept.pledges.values_list("person__name", "submitted")) == [
        ("Lê Thị Bình", dt.date(2020, 4, 20)),
        ("Nguyễn Văn An", dt.date(2020, 3, 10)),
        ("Trần Cường", None),
    ]
    page = main(client.get(response["Location"]))
    assert "Đã lưu danh sách: 3 người mới, 0 người đổi ngày nộp, 0 người bỏ khỏi danh sách." in page
    assert "Lê Thị Bình 20/04/2020 Nộp muộn" in page


def test_it_offers_the_deadline_the_list_has(personas, web, lists):
    form = web(personas.manager).get(UPLOAD, {"don-vi": "CB1", "nam": "2020"})
    assert 'value="15/04/2020"' in form.content.decode()


def test_it_shows_each_bad_row_and_saves_nothing(personas, web, lists):
    """GIVEN CB1's list WHEN a file with a member of another cell, a day that is no day,
    one in the future and a member twice comes THEN a 400 names each row and column, and
    the list is as it was."""
    before = sorted(Pledge.objects.values_list("person__name", "submitted"))
    people = Person.objects.count()
    rows = (
        "Họ và tên,Đơn vị,Ngày nộp\n"
        "Người Mới,,01/04/2020\n"
        "Hồ Văn Khác,CB2,01/04/2020\n"
        "Lê Thị Bình,,31/02/2020\n"
        "Đỗ Thị Sau,,01/01/2099\n"
        "Người  Mới,,\n"
    )
    response = web(personas.manager).post(UPLOAD, upload_data(csv_upload(rows), deadline=""))
    assert response.status_code == 400
    page = main(response)
    assert "Danh sách có 4 lỗi, chưa lưu gì" in page
    problems = page.split("Lỗi theo dòng", 1)[1]
    assert "3 Đơn vị Đảng viên của đơn vị khác" in problems
    assert "4 Ngày nộp" in problems
    assert "5 Ngày nộp Ngày nộp 01/01/2099 chưa đến" in problems
    assert "6 Họ và tên Trùng đảng viên với dòng 2" in problems
    assert sorted(Pledge.objects.values_list("person__name", "submitted")) == before
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"deadline": ""}, "deadline", "Cần hạn nộp bản đăng ký của năm"),
        ({"deadline": "15/04/2030"}, "deadline", "Hạn nộp 15/04/2030 không thuộc năm 2020"),
        ({"deadline": "2020/04/15"}, "deadline", "Ngày không hợp lệ"),
        ({"year": "1800"}, "year", "1990"),
        ({"unit": "khong co"}, "unit", "Không tìm thấy đơn vị “khong co”"),
    ],
)
def test_it_refuses_a_bad_list_clearly(personas, web, cells, change, field, message):
    response = web(personas.manager).post(UPLOAD, upload_data(csv_upload(GOOD), **change))
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert not PledgeList.objects.exists() and not Person.objects.exists()


def test_it_says_what_a_file_lacks(personas, web, cells):
    client = web(personas.manager)
    no_columns = client.post(UPLOAD, upload_data(csv_upload("Tên,Tuổi\nAn,30\n")))
    assert no_columns.status_code == 400
    assert "Dòng đầu cần cột họ và tên" in field_error(no_columns, "file")
    not_excel = client.post(UPLOAD, upload_data(SimpleUploadedFile("a.xlsx", b"PK\x03\x04 no")))
    assert not_excel.status_code == 400
    nothing = client.post(UPLOAD, {"unit": "CB1", "year": "2020", "deadline": "15/04/2020"})
    assert nothing.status_code == 400 and "Trường này là bắt buộc." in field_error(nothing, "file")
    assert not PledgeList.objects.exists()


def test_it_shows_the_bad_rows_in_english(personas, web, cells):
    client = english(web(personas.manager))
    response = client.post(UPLOAD, upload_data(csv_upload("Họ và tên,Ngày nộp\n,01/04/2020\n")))
    assert response.status_code == 400
    problems = main(response).split("Errors by row", 1)[1]
    assert "2 Full name A name is required" in problems


def test_it_keeps_uploads_to_who_may_change_the_cell(personas, web, cells):
    """The viewer and the reporter change nothing (403); the outsider manages D2 and may
    open the form, but not record CB1's list (said on the form, nothing saved)."""
    for user in (personas.viewer, personas.reporter):
        assert web(user).get(UPLOAD).status_code == 403
        assert web(user).post(UPLOAD, upload_data(csv_upload(GOOD))).status_code == 403
    refused = web(personas.outsider).post(UPLOAD, upload_data(csv_upload(GOOD), unit="CB1"))
    assert refused.status_code == 400
    assert "Bạn không có quyền ghi danh sách của đơn vị này." in field_error(refused, "unit")
    response = web().post(UPLOAD, upload_data(csv_upload(GOOD)))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).put(UPLOAD).status_code == 405
    assert not PledgeList.objects.exists() and not Person.objects.exists()


def test_the_template_comes_back_filled_in(personas, web, lists):
    """GIVEN CB1's list WHEN its manager downloads the template THEN it holds the members
    and their days; the day of one changed in Excel and uploaded, that day is saved."""
    client = web(personas.manager)
    response = client.get(f"{PLEDGES}mau.xlsx", {"don-vi": "CB1", "nam": "2020"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Danh-sach-dang-vien-Chi-bo-khom-1-2020.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Đảng viên"]
    found = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert found[0] == ["Họ và tên", "Chức vụ", "Ngày nộp"]
    assert ["Trần Cường", None, "20/04/2020"] in found
    assert ("Hạn nộp / deadline", "15/04/2020") in [
        row[:2] for row in book["Hướng dẫn"].iter_rows(values_only=True)
    ]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Trần Cường":
            row[2].value = "14/04/2020"
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("danh-sach.xlsx", out.getvalue())
    assert client.post(UPLOAD, upload_data(upload, deadline="")).status_code == 302
    late = Pledge.objects.get(person__name="Trần Cường")
    assert late.submitted == dt.date(2020, 4, 14)


def test_it_keeps_the_template_to_who_may_record(personas, web, lists):
    url = f"{PLEDGES}mau.xlsx"
    assert web(personas.viewer).get(url, {"don-vi": "CB1", "nam": "2020"}).status_code == 403
    assert web(personas.viewer).get(url).status_code == 403
    assert web(personas.outsider).get(url, {"don-vi": "CB1"}).status_code == 403
    empty = web(personas.outsider).get(url)
    assert empty.status_code == 200
    sheet = load_workbook(io.BytesIO(empty.content))["Đảng viên"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert rows == [("Họ và tên", "Chức vụ", "Ngày nộp")]
    assert web(personas.manager).post(url).status_code == 405


# Official channels ---------------------------------------------------------------------


@pytest.fixture
def websites(org):
    """D1's website (counts of three months of 2020, 1.234 in March) and C1's radio."""
    site = channels.register_channel(
        acting_user=SYSTEM,
        unit=org.d1,
        kind="website",
        name="Trang thông tin điện tử Huyện ủy Vĩnh Thuận",
        address="https://vinhthuan.example.vn/",
        active_from=dt.date(2018, 1, 1),
    )
    rows = [
        channels.PostCountRow(period=p, posts=n)
        for p, n in (("202001", "30"), ("202002", "40"), ("202003", "1.234"))
    ]
    channels.record_post_counts(acting_user=SYSTEM, channel=site, rows=rows)
    radio = channels.register_channel(
        acting_user=SYSTEM,
        unit=org.c1,
        kind="radio",
        name="Đài truyền thanh thị trấn",
        address="Khu phố 1",
        active_from=dt.date(2015, 1, 1),
        active_to=dt.date(2020, 6, 30),
    )
    return site, radio


def test_it_lists_the_channels_of_a_subtree_with_their_counts(personas, web, websites):
    page = main(web(personas.viewer).get(CHANNELS, {"nam": "2020"}))
    assert "Kênh thông tin chính thức: Huyện Vĩnh Thuận" in page
    assert "Kênh đang hoạt động 1 Tin, bài đã đăng 1.304" in page
    assert (
        "Trang thông tin điện tử Huyện ủy Vĩnh Thuận Trang, cổng thông tin điện tử "
        "Huyện Vĩnh Thuận https://vinhthuan.example.vn/ từ 01/01/2018 1.304"
    ) in page
    assert (
        "Đài truyền thanh thị trấn Đài truyền thanh, loa Thị trấn Vĩnh Thuận Khu phố 1 "
        "01/01/2015 – 30/06/2020 (đã ngừng) chưa nhập"
    ) in page
    assert "Thêm kênh" not in page
    assert "Thêm kênh" in main(web(personas.manager).get(CHANNELS))


def test_a_channel_of_a_unit_that_ended_is_listed_as_stopped(org, personas, web, websites):
    """GIVEN C1's radio with no last day and C1 merged into a new commune on 01/07/2025
    WHEN D1's manager opens C1's channels for 2026 THEN none is active, and the radio
    reads as stopped on C1's last day, on the list and on its page."""
    from trienkhai.activities.models import Channel
    from trienkhai.orgs import services as org_services

    radio = Channel.objects.get(unit=org.c1)
    channels.change_channel(acting_user=SYSTEM, channel=radio, active_to=None)
    reform = dt.date(2025, 7, 1)
    new = f.make_unit("N1", name="Xã Vĩnh Thuận mới", parent=org.p1, valid_from=reform)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=reform)
    client = web(personas.manager)
    page = main(client.get(CHANNELS, {"don-vi": "C1", "nam": "2026"}))
    assert "Kênh đang hoạt động 0" in page
    assert "Khu phố 1 01/01/2015 – 30/06/2025 (đã ngừng)" in page
    page = main(client.get(f"/hoat-dong/kenh/{radio.pk}/"))
    assert "Hoạt động 01/01/2015 – 30/06/2025" in page


def test_it_shows_a_channel_and_its_counts_by_period_in_words(personas, web, websites):
    page = main(web(personas.viewer).get(f"{CHANNELS}{websites[0].pk}/"))
    assert "Tháng 1/2020 30 Tháng 2/2020 40 Tháng 3/2020 1.234" in page
    assert "Tin, bài đã nhập 1.304" in page
    assert "Nhập số tin, bài" not in page and "Sửa thông tin kênh" not in page


def test_its_pages_open_no_address(personas, web, websites, monkeypatch):
    """Decision 0041: nothing reads a channel's content. With name resolution refused, the
    pages that show the addresses answer the same."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a host name was looked up: {args[:1]}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    client = web(personas.manager)
    assert client.get(CHANNELS).status_code == 200
    assert client.get(f"{CHANNELS}{websites[0].pk}/").status_code == 200
    data = {"period": "Tháng 4/2020", "posts": "12"}
    assert client.post(f"{CHANNELS}{websites[0].pk}/so-tin-bai/", data).status_code == 302


NEW_CHANNEL = {
    "unit": "Huyện Vĩnh Thuận (D1)",
    "kind": "social_page",
    "name": "Trang Tuổi trẻ Vĩnh Thuận",
    "address": "https://facebook.example/tuoitrevinhthuan",
    "active_from": "01/01/2021",
    "active_to": "",
}


def test_it_adds_a_channel(org, personas, web):
    client = web(personas.manager)
    assert "Thêm kênh thông tin" in main(client.get(f"{CHANNELS}moi/?don-vi=D1"))
    response = client.post(f"{CHANNELS}moi/", NEW_CHANNEL)
    channel = Channel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{CHANNELS}{channel.pk}/"
    assert (channel.unit, channel.kind, channel.active_from) == (
        org.d1,
        "social_page",
        dt.date(2021, 1, 1),
    )
    assert "Đã thêm kênh: Trang Tuổi trẻ Vĩnh Thuận." in main(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"address": "tuoitre"}, "address", "Cần địa chỉ http(s) của trang"),
        ({"active_to": "01/01/2020"}, "active_to", "Ngày ngừng hoạt động trước ngày bắt đầu"),
        ({"active_from": "1/13/2021"}, "active_from", "Ngày không hợp lệ"),
        ({"name": " "}, "name", "Trường này là bắt buộc."),
        ({"kind": "newspaper"}, "kind", "newspaper"),
        ({"unit": "khong co"}, "unit", "Không tìm thấy đơn vị"),
    ],
)
def test_it_refuses_a_bad_channel_clearly(personas, web, change, field, message):
    response = web(personas.manager).post(f"{CHANNELS}moi/", NEW_CHANNEL | change)
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert not Channel.objects.exists()


def test_it_refuses_an_address_registered_already(personas, web, websites):
    again = NEW_CHANNEL | {"address": "http://www.vinhthuan.example.vn"}
    response = web(personas.manager).post(f"{CHANNELS}moi/", again)
    assert response.status_code == 400
    assert "Địa chỉ này đã có trong sổ" in field_error(response, "address")
    assert Channel.objects.count() == 2


def test_it_keeps_channels_to_who_may_change_their_unit(personas, web, websites):
    site = websites[0]
    for user in (personas.viewer, personas.reporter):
        assert web(user).get(f"{CHANNELS}moi/").status_code == 403
        assert web(user).post(f"{CHANNELS}moi/", NEW_CHANNEL).status_code == 403
        assert web(user).get(f"{CHANNELS}{site.pk}/sua/").status_code == 403
    outsider = web(personas.outsider)
    refused = outsider.post(f"{CHANNELS}moi/", NEW_CHANNEL)
    assert refused.status_code == 400
    assert "Bạn không có quyền ghi kênh của đơn vị này." in field_error(refused, "unit")
    assert outsider.get(CHANNELS, {"don-vi": "D1"}).status_code == 403
    assert outsider.get(f"{CHANNELS}{site.pk}/").status_code == 403
    assert outsider.post(f"{CHANNELS}{site.pk}/sua/", NEW_CHANNEL).status_code == 403
    assert web(personas.manager).get(f"{CHANNELS}999999/").status_code == 404
    response = web().get(f"{CHANNELS}{site.pk}/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(CHANNELS).status_code == 405
    assert web(personas.manager).post(f"{CHANNELS}{site.pk}/").status_code == 405
    assert Channel.objects.count() == 2


def test_it_changes_a_channel(personas, web, websites):
    site = websites[0]
    client = web(personas.manager)
    form = client.get(f"{CHANNELS}{site.pk}/sua/")
    assert 'value="01/01/2018"' in form.content.decode()
    change = {k: v for k, v in NEW_CHANNEL.items() if k != "unit"} | {
        "kind": "website",
        "address": "https://vinhthuan.example.vn/",
        "active_from": "01/01/2018",
        "active_to": "31/12/2021",
    }
    response = client.post(f"{CHANNELS}{site.pk}/sua/", change)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.active_to) == ("Trang Tuổi trẻ Vĩnh Thuận", dt.date(2021, 12, 31))
    outside = client.post(f"{CHANNELS}{site.pk}/sua/", change | {"active_from": "01/06/2020"})
    assert outside.status_code == 400
    assert "Đã có số tin, bài ngoài thời gian hoạt động mới" in field_error(outside, "active_from")


def test_it_records_a_typed_count_and_refuses_a_bad_one(personas, web, websites):
    site = websites[0]
    client = web(personas.manager)
    url = f"{CHANNELS}{site.pk}/so-tin-bai/"
    response = client.post(url, {"period": "thang 4/2020", "posts": "25"})
    assert response.status_code == 302
    assert "Đã lưu số tin, bài của tháng 4/2020." in main(client.get(response["Location"]))
    assert site.post_counts.get(period="202004").posts == 25
    overlapping = client.post(url, {"period": "Quý I/2020", "posts": "100"})
    assert overlapping.status_code == 400
    assert "trùng thời gian với số đã nhập của kỳ 202001" in field_error(overlapping, "period")
    future = client.post(url, {"period": "Năm 2099", "posts": "1"})
    assert future.status_code == 400 and "chưa đến" in field_error(future, "period")
    negative = client.post(url, {"period": "Tháng 5/2020", "posts": "-1"})
    assert negative.status_code == 400
    assert PostCount.objects.filter(channel=site).count() == 4
    assert web(personas.viewer).post(url, {"period": "202005", "posts": "1"}).status_code == 403
    assert web(personas.outsider).post(url, {"period": "202005", "posts": "1"}).status_code == 403
    assert client.get(url).status_code == 405


def test_it_records_counts_from_a_file_all_or_none(personas, web, websites):
    site = websites[0]
    client = web(personas.manager)
    url = f"{CHANNELS}{site.pk}/nhap/"
    bad = "Kỳ,Số tin bài\n04/2020,20\n2020Q1,90\n13/2020,5\n05/2020,nhiều\n"
    response = client.post(url, {"file": csv_upload(bad)})
    assert response.status_code == 400
    problems = main(response).split("Lỗi theo dòng", 1)[1]
    assert "3 Kỳ Kỳ 2020Q1 trùng thời gian" in problems
    assert "4 Kỳ Kỳ không hợp lệ" in problems
    assert "5 Số tin, bài Số tin, bài phải là số nguyên từ 0 đến 1.000.000" in problems
    assert PostCount.objects.filter(channel=site).count() == 3
    good = client.post(url, {"file": csv_upload("Kỳ,Số tin bài\n04/2020,20\n05/2020,1.500\n")})
    assert good.status_code == 302
    assert "Đã lưu số tin, bài của 2 kỳ." in main(client.get(good["Location"]))
    assert site.post_counts.get(period="202005").posts == 1500
    assert (
        web(personas.viewer).post(url, {"file": csv_upload("Kỳ,Số tin bài\n")}).status_code == 403
    )


def test_the_counts_template_has_a_row_a_month(personas, web, websites):
    site = websites[0]
    response = web(personas.manager).get(f"{CHANNELS}{site.pk}/mau.xlsx", {"nam": "2020"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[:4] == [
        ("Kỳ", "Số tin, bài"),
        ("01/2020", "30"),
        ("02/2020", "40"),
        ("03/2020", "1234"),
    ]
    assert rows[12] == ("12/2020", None)
    assert web(personas.viewer).get(f"{CHANNELS}{site.pk}/mau.xlsx").status_code == 403


def test_it_speaks_english_on_the_channels(personas, web, websites):
    page = main(english(web(personas.viewer)).get(CHANNELS, {"nam": "2020"}))
    assert "Official channels: Huyện Vĩnh Thuận" in page
    assert "Website Huyện Vĩnh Thuận" in page and "Radio, loudspeakers" in page
    assert "Trang, cổng thông tin" not in page
    # "Hoạt động" of a channel is its active time, not the Activities menu; "Năm", a year.
    assert " Active " in page and "Address Activities" not in page
    assert "Yearly" not in page


# Inspection and supervision ------------------------------------------------------------


@pytest.fixture
def concluded(year_2021, org):  # noqa: F811
    """D1's plan of 2021 (tests/activities/test_inspections.py): C1 inspected by a team,
    concluded in March with two recommendations (one carried out in May, one overdue
    since 30/11/2021); C2 supervised, not concluded. The first inspection."""
    return Inspection.objects.get(inspected=org.c1)


def test_it_lists_a_year_s_plans_inspections_and_figures(personas, web, concluded):
    response = web(personas.viewer).get(INSPECTIONS, {"nam": "2021"})
    assert response.status_code == 200
    page = main(response)
    assert "Kiểm tra, giám sát: Huyện Vĩnh Thuận" in page
    assert "Số cuộc kiểm tra, giám sát theo kế hoạch 2" in page
    assert "Số cuộc kiểm tra, giám sát đã kết luận 1" in page
    assert "Số kiến nghị quá hạn chưa thực hiện 1" in page
    assert "Kế hoạch kiểm tra, giám sát năm 2021 — 2 cuộc" in page
    assert (
        "Kiểm tra việc thực hiện Nghị quyết 35 Kiểm tra theo kế hoạch Huyện Vĩnh Thuận "
        "Thị trấn Vĩnh Thuận 01/03/2021 – 04/03/2021 20/03/2021 2, đã thực hiện 1, 1 quá hạn"
    ) in page
    assert "Nghị quyết 35 Giám sát theo kế hoạch" in page and "chưa kết luận không có" in page
    assert re.search(
        r'<tr class="overdue">\s*<td><a href="/hoat-dong/kiem-tra/\d+/">Kiểm tra',
        response.content.decode(),
    )
    assert "Lập kế hoạch" not in page
    assert "Nguyễn Văn A" not in page


def test_an_inspection_shows_its_team_only_to_the_inspecting_unit_s_managers(
    personas, web, concluded
):
    url = f"{INSPECTIONS}{concluded.pk}/"
    page = main(web(personas.manager).get(url))
    assert "Thành phần đoàn Nguyễn Văn A, trưởng đoàn Lê Thị B" in page
    assert "Báo cáo đúng hạn 30/04/2021 Đã thực hiện ngày 02/05/2021 Đã khắc phục" in page
    assert "Lập kế hoạch năm 2022 30/11/2021 Quá hạn" in page
    assert "Sửa kết luận, thêm kiến nghị" in page and "Cập nhật kết quả" in page
    viewed = main(web(personas.viewer).get(url))
    assert "Nguyễn Văn A" not in viewed
    assert "Thành phần đoàn chỉ người quản lý của đơn vị kiểm tra, giám sát xem được." in viewed
    assert "Đã triển khai đầy đủ; còn chậm báo cáo." in viewed
    assert "Cập nhật kết quả" not in viewed and "Ghi kết luận" not in viewed


def test_the_inspected_unit_reads_and_follows_up_its_recommendations(org, web, concluded):
    """GIVEN C1's manager (C1 was inspected by D1) WHEN they open Kiểm tra, giám sát THEN
    D1's inspection of C1 is listed; they open it (no team), and mark the overdue
    recommendation carried out: it is no longer overdue."""
    commune = f.make_user("xa", unit=org.c1, role="manager")
    client = web(commune)
    page = main(client.get(INSPECTIONS, {"nam": "2021"}))
    assert "Đơn vị được cấp trên kiểm tra, giám sát" in page
    assert "Kiểm tra việc thực hiện Nghị quyết 35 Kiểm tra" in page and "Giám sát" not in page
    url = f"{INSPECTIONS}{concluded.pk}/"
    opened = main(client.get(url))
    assert "Nguyễn Văn A" not in opened and "Ghi kết luận" not in opened
    overdue = Recommendation.objects.get(text="Lập kế hoạch năm 2022")
    done = client.post(
        f"/hoat-dong/kien-nghi/{overdue.pk}/", {"note": "Đã lập kế hoạch", "resolved": "05/12/2021"}
    )
    assert done.status_code == 302 and done["Location"] == url
    overdue.refresh_from_db()
    assert (overdue.resolved, overdue.follow_up) == (dt.date(2021, 12, 5), "Đã lập kế hoạch")
    after = main(client.get(url))
    assert "Đã lưu kết quả thực hiện kiến nghị." in after
    assert "Lập kế hoạch năm 2022 30/11/2021 Đã thực hiện ngày 05/12/2021" in after
    assert client.post(f"{INSPECTIONS}{concluded.pk}/ket-luan/", {}).status_code == 403


def test_a_follow_up_is_refused_clearly(personas, web, concluded):
    found = Recommendation.objects.get(text="Lập kế hoạch năm 2022")
    url = f"/hoat-dong/kien-nghi/{found.pk}/"
    early = web(personas.manager).post(url, {"note": "", "resolved": "01/03/2021"})
    assert early.status_code == 400
    assert "Ngày thực hiện trước ngày kết luận" in field_error(early, f"r{found.pk}_resolved")
    future = web(personas.manager).post(url, {"resolved": "01/01/2099"})
    assert future.status_code == 400
    for user in (personas.viewer, personas.outsider):
        assert web(user).post(url, {"resolved": "05/12/2021"}).status_code == 403
    assert web(personas.manager).get(url).status_code == 405
    found.refresh_from_db()
    assert found.resolved is None


def test_it_keeps_inspections_from_who_may_not_see_them(personas, web, concluded):
    outsider = web(personas.outsider)
    assert outsider.get(INSPECTIONS, {"don-vi": "D1"}).status_code == 403
    assert outsider.get(f"{INSPECTIONS}{concluded.pk}/").status_code == 403
    assert "Không có cuộc nào." in main(outsider.get(INSPECTIONS))
    assert web(personas.manager).get(f"{INSPECTIONS}999999/").status_code == 404
    response = web().get(INSPECTIONS)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert web(personas.manager).post(INSPECTIONS).status_code == 405
    assert web(personas.manager).post(f"{INSPECTIONS}{concluded.pk}/").status_code == 405


def test_it_reads_the_inspections_in_a_fixed_number_of_queries(org, personas, web, concluded):
    client = web(personas.manager)
    few = count_queries(client, f"{INSPECTIONS}?nam=2021")
    for n in range(5):
        more = inspections.create_inspection(
            acting_user=SYSTEM,
            unit=org.d1,
            inspected=org.c2 if n % 2 else org.c1,
            kind="inspection",
            title=f"Kiểm tra {n}",
            start=dt.date(2021, 6, n + 1),
            end=dt.date(2021, 6, n + 1),
        )
        inspections.conclude(
            acting_user=SYSTEM,
            inspection=more,
            concluded=dt.date(2021, 7, 1),
            findings="Tốt",
            recommendations=[RecommendationInput("Làm tiếp", dt.date(2021, 8, 1))],
        )
    assert count_queries(client, f"{INSPECTIONS}?nam=2021") == few
    assert few <= 30


def test_it_creates_a_plan(org, personas, web):
    client = web(personas.manager)
    form = {"unit": "D1", "year": "2022", "title": "Kế hoạch năm 2022", "reference": "07-KH/HU"}
    response = client.post(f"{INSPECTIONS}ke-hoach/moi/", form)
    assert response.status_code == 302
    assert response["Location"] == f"{INSPECTIONS}?don-vi=D1&nam=2022"
    assert InspectionPlan.objects.get().reference == "07-KH/HU"
    assert "07-KH/HU Kế hoạch năm 2022 — 0 cuộc" in main(client.get(response["Location"]))
    refused = web(personas.outsider).post(f"{INSPECTIONS}ke-hoach/moi/", form)
    assert refused.status_code == 400
    assert "Bạn không có quyền lập kế hoạch cho đơn vị này." in field_error(refused, "unit")
    assert web(personas.viewer).post(f"{INSPECTIONS}ke-hoach/moi/", form).status_code == 403
    blank = client.post(f"{INSPECTIONS}ke-hoach/moi/", form | {"title": ""})
    assert blank.status_code == 400
    assert InspectionPlan.objects.count() == 1


NEW_INSPECTION = {
    "unit": "Huyện Vĩnh Thuận (D1)",
    "inspected": "Xã Vĩnh Bình Bắc (C2)",
    "kind": "inspection",
    "title": "Kiểm tra công tác học tập nghị quyết",
    "start": "10/05/2021",
    "end": "12/05/2021",
    "team": "Trần Văn Đoàn",
}


def test_it_creates_an_inspection_in_a_plan(org, personas, web, concluded):
    client = web(personas.manager)
    plan = InspectionPlan.objects.get()
    form = client.get(f"{INSPECTIONS}moi/", {"ke-hoach": plan.pk})
    assert f'<option value="{plan.pk}" selected>' in form.content.decode()
    assert "Kế hoạch kiểm tra, giám sát năm 2021 — Huyện Vĩnh Thuận, 2021" in main(form)
    response = client.post(f"{INSPECTIONS}moi/", NEW_INSPECTION | {"plan": str(plan.pk)})
    made = Inspection.objects.get(title=NEW_INSPECTION["title"])
    assert response.status_code == 302 and response["Location"] == f"{INSPECTIONS}{made.pk}/"
    assert (made.unit, made.inspected, made.plan, made.end) == (
        org.d1,
        org.c2,
        plan,
        dt.date(2021, 5, 12),
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"inspected": "Huyện Cầu Kè (D2)"}, "inspected", "Bạn không xem được đơn vị này."),
        ({"inspected": "Tỉnh Kiên Giang (P1)"}, "inspected", "Bạn không xem được đơn vị này."),
        ({"unit": "Huyện Cầu Kè (D2)"}, "unit", "Bạn không có quyền kiểm tra, giám sát"),
        ({"unit": "C1", "inspected": "C2"}, "inspected", "không trực thuộc"),
        ({"end": "01/05/2021"}, "end", "Ngày kết thúc trước ngày bắt đầu."),
        ({"title": ""}, "title", "Trường này là bắt buộc."),
        ({"plan": "999999"}, "plan", "999999"),
    ],
)
def test_it_refuses_a_bad_inspection_clearly(personas, web, change, field, message):
    response = web(personas.manager).post(f"{INSPECTIONS}moi/", NEW_INSPECTION | change)
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert not Inspection.objects.exists()


def test_it_keeps_inspection_creation_to_managers(personas, web):
    for user in (personas.viewer, personas.reporter):
        assert web(user).get(f"{INSPECTIONS}moi/").status_code == 403
        assert web(user).post(f"{INSPECTIONS}moi/", NEW_INSPECTION).status_code == 403
    refused = web(personas.outsider).post(f"{INSPECTIONS}moi/", NEW_INSPECTION)
    assert refused.status_code == 400
    assert not Inspection.objects.exists()


def test_it_concludes_with_recommendations(personas, web, org):
    made = inspections.create_inspection(
        acting_user=SYSTEM,
        unit=org.d1,
        inspected=org.c2,
        kind="supervision",
        title="Giám sát",
        start=dt.date(2021, 9, 6),
        end=dt.date(2021, 9, 6),
    )
    client = web(personas.manager)
    url = f"{INSPECTIONS}{made.pk}/ket-luan/"
    data = {
        "concluded": "20/09/2021",
        "findings": "Cơ bản tốt.",
        "text_1": "Bổ sung hồ sơ",
        "deadline_1": "30/10/2021",
    }
    half = client.post(url, data | {"text_2": "Thiếu hạn"})
    assert half.status_code == 400
    assert "Cần hạn thực hiện của kiến nghị." in field_error(half, "deadline_2")
    before = client.post(url, data | {"deadline_1": "01/09/2021"})
    assert before.status_code == 400
    assert "Hạn thực hiện trước ngày kết luận." in field_error(before, "deadline_1")
    future = client.post(url, data | {"concluded": "01/01/2099", "deadline_1": "02/01/2099"})
    assert future.status_code == 400 and "chưa đến" in field_error(future, "concluded")
    made.refresh_from_db()
    assert made.concluded is None and not Recommendation.objects.exists()
    assert web(personas.viewer).post(url, data).status_code == 403
    assert web(personas.outsider).post(url, data).status_code == 403
    done = client.post(url, data)
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.concluded == dt.date(2021, 9, 20)
    assert list(made.recommendations.values_list("text", "deadline")) == [
        ("Bổ sung hồ sơ", dt.date(2021, 10, 30))
    ]
    assert "Đã lưu kết luận." in main(client.get(f"{INSPECTIONS}{made.pk}/"))


def test_it_speaks_english_on_the_inspections(personas, web, concluded):
    page = main(english(web(personas.manager)).get(f"{INSPECTIONS}{concluded.pk}/"))
    assert "Overdue" in page and "Inspection" in page
    assert "Quá hạn" not in page
    listed = main(english(web(personas.viewer)).get(INSPECTIONS, {"nam": "2021"}))
    assert "Inspections and supervision: Huyện Vĩnh Thuận" in listed
    assert "Inspections planned 2" in listed


# The tabs ------------------------------------------------------------------------------


def test_the_activities_page_links_the_registers(personas, web):
    page = web(personas.viewer).get("/hoat-dong/?nam=2021").content.decode()
    for path, words in (
        (PLEDGES, "Bản đăng ký tu dưỡng"),
        (CHANNELS, "Kênh thông tin"),
        (INSPECTIONS, "Kiểm tra, giám sát"),
    ):
        assert f'<a href="{path}?don-vi=D1&amp;nam=2021">{words}</a>' in page
    assert 'aria-current="page">Lớp, hội nghị</a>' in page
    # No year chosen: each register opens on the latest year it holds.
    unchosen = web(personas.viewer).get("/hoat-dong/").content.decode()
    assert f'<a href="{PLEDGES}?don-vi=D1">' in unchosen
