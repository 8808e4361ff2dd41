"""The activity pages in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện Vĩnh Thuận with a 2021 conference of Thị trấn Vĩnh Thuận (3 people), a
manager and a viewer of the district
WHEN the manager reaches Hoạt động through the menu, creates a class (a mistake in its
dates first), downloads the attendance template, uploads a list with a bad row, then a
good one, opens a participant and erases their personal data (after a confirmation);
and the viewer opens the class
THEN no page scrolls sideways and nothing is off screen, axe finds no serious violation,
the bad list names its row and saves nothing, the good one is counted, the erased person
leaves the counts as they were, and the viewer sees counts without names.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import GUIDE_SHOTS
from tests.browser.test_accessibility import serious
from tests.browser.test_phone import (  # noqa: F401 (screen: a fixture)
    PHONE,
    fits,
    go_by_menu,
    log_in,
    log_out,
    screen,
    shot,
)
from tests.factories import SYSTEM
from trienkhai.activities import figures, services
from trienkhai.activities.models import Attendance, Person

pytestmark = pytest.mark.browser

TITLE = "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới"
BAD = "Buổi,Họ và tên,Mã đơn vị\n01/03/2021,Nguyễn Văn An,C1\n01/03/2021,Lê Thị Bình,XX\n"
GOOD = (
    "Buổi,Họ và tên,Đơn vị,Chức vụ,Đối tượng\n"
    "01/03/2021,Nguyễn Văn An,Thị trấn Vĩnh Thuận,Bí thư chi bộ,Đảng viên\n"
    "02/03/2021,Nguyễn Văn An,thi tran vinh thuan,,\n"
    "02/03/2021,Lê Thị Bình,Xã Vĩnh Bình Bắc,,Đảng viên\n"
)


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    figures.ensure_indicators()  # the live server's database was flushed
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=d1)
    event = services.create_event(
        acting_user=SYSTEM,
        organiser=c1,
        kind="online_conference",
        title="Hội nghị trực tuyến học tập Nghị quyết",
        start=dt.date(2021, 5, 4),
        end=dt.date(2021, 5, 4),
    )
    rows = [
        services.AttendanceRow(session="2021-05-04", name=name, unit="C1")
        for name in ("Trần Văn Cường", "Phạm Thị Dung", "Hồ Văn Em")
    ]
    services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)
    f.make_user("quanly", unit=d1, role="manager")
    f.make_user("xem", unit=d1, role="viewer")


def checked(page: Page, width: int, found: dict, name: str, *, guide: str = "") -> None:
    """The page fits the screen; axe's serious violations are kept under ``name``; a
    picture for people in test-artifacts/, and under ``make guide`` the user guide's
    picture ``guide`` (docs/guide/img) at the desktop width."""
    fits(page, width)
    shot(page, width, "activities-" + re.sub(r"\W+", "-", name))
    if GUIDE_SHOTS and guide and width > 600:
        Path(GUIDE_SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GUIDE_SHOTS) / f"{guide}.png"))
    found[name] = serious(page)


def upload(page: Page, text: str) -> None:
    page.locator("#upload input[type=file]").set_input_files(
        files=[{"name": "diem-danh.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Nhập danh sách").click()


def test_a_manager_records_a_class_and_its_attendance(screen, district):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    log_in(page, width, "quanly")
    go_by_menu(page, width, "Hoạt động")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoạt động: Huyện Vĩnh Thuận")
    main = page.locator("main")
    expect(main.locator("#events")).to_contain_text("Hội nghị trực tuyến học tập Nghị quyết")
    expect(main.locator("#figures")).to_contain_text("Lượt người tham gia (theo sổ điểm danh)3")
    checked(page, width, found, "list", guide="15-hoat-dong")

    page.get_by_role("link", name="Tạo hoạt động").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo hoạt động")
    checked(page, width, found, "create")
    page.get_by_label("Tên hoạt động").fill(TITLE)
    page.get_by_label("Loại hoạt động").select_option(label="Lớp bồi dưỡng")
    page.get_by_label("Đơn vị tổ chức").fill("Thị trấn Vĩnh Thuận (C1)")
    page.get_by_label("Từ ngày").fill("01/03/2021")
    page.get_by_label("Đến ngày").fill("28/02/2021")
    page.get_by_label("Địa điểm").fill("Hội trường Thị trấn")
    page.get_by_role("checkbox", name="Đảng viên").check()
    page.get_by_label("Các buổi").fill("01/03/2021\n02/03/2021")
    page.get_by_role("button", name="Tạo hoạt động").click()
    expect(main.get_by_role("alert")).to_contain_text(["Ngày kết thúc trước ngày bắt đầu."])
    checked(page, width, found, "create, refused")
    page.get_by_label("Đến ngày").fill("02/03/2021")
    page.get_by_role("button", name="Tạo hoạt động").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main.locator("#totals")).to_have_text("0 lượt, 0 người")
    checked(page, width, found, "event")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    assert download.value.suggested_filename == (
        "Danh-sach-diem-danh-Lop-boi-duong-ly-luan-chinh-tri-cho-dang-vien-moi.xlsx"
    )

    upload(page, BAD)
    problems = main.locator("#problems")
    expect(problems).to_contain_text("Không có đơn vị XX")
    expect(problems.locator("tbody tr")).to_have_count(1)
    checked(page, width, found, "event, bad list")
    assert Attendance.objects.count() == 3  # the conference's only

    upload(page, GOOD)
    expect(main.get_by_role("status")).to_have_text("Đã lưu 3 lượt điểm danh mới.")
    expect(main.locator("#totals")).to_have_text("3 lượt, 2 người")
    expect(main.locator("#people")).to_contain_text("Bí thư chi bộ")
    checked(page, width, found, "event, list saved", guide="16-diem-danh")

    main.get_by_role("link", name="Nguyễn Văn An").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Văn An")
    expect(main.locator("#attended tbody tr")).to_have_count(2)
    checked(page, width, found, "person")
    page.get_by_role("button", name="Xóa dữ liệu cá nhân…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xóa dữ liệu cá nhân của Nguyễn Văn An?"
    )
    checked(page, width, found, "erase, asked")
    assert Person.objects.get(name="Nguyễn Văn An").erased is None
    page.get_by_role("button", name="Xóa vĩnh viễn").click()
    expect(main.get_by_role("status")).to_have_text(
        "Đã xóa dữ liệu cá nhân; số liệu vẫn giữ nguyên."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã xóa dữ liệu cá nhân")
    assert not Person.objects.filter(name="Nguyễn Văn An").exists()
    log_out(page, width)

    log_in(page, width, "xem")
    go_by_menu(page, width, "Hoạt động")
    main.get_by_role("link", name=TITLE).click()
    expect(main.locator("#totals")).to_have_text("3 lượt, 2 người")
    expect(main.locator("#names-hidden")).to_be_visible()
    expect(main).not_to_contain_text("Lê Thị Bình")
    checked(page, width, found, "event, viewer")
    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert width in (PHONE["width"], 1366)
