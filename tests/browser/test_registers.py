"""The registers' pages in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện Vĩnh Thuận with Thị trấn Vĩnh Thuận, its party cell Chi bộ khóm 1 and Xã
Vĩnh Bình Bắc, a manager and a viewer of the district
WHEN the manager reaches Hoạt động through the menu and, by its tabs: uploads the
cell's list of members for 2020 (a list with bad rows first), adds the district's
website and types its count for a month, adds an inspection of the commune, records its
conclusion with a recommendation already overdue, then marks it carried out; and the
viewer opens the cell's pledges
THEN no page scrolls sideways and nothing is off screen, axe finds no serious violation,
the bad list names its rows and saves nothing, the good one is counted on time and late,
the count is the channel's total, the overdue recommendation says so until it is carried
out, and the viewer sees the counts without a name.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
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
from trienkhai.activities import figures
from trienkhai.activities.models import Channel, Person, PledgeList, Recommendation

pytestmark = pytest.mark.browser

BAD = "Họ và tên,Đơn vị,Ngày nộp\nNguyễn Văn An,,10/03/2020\nLê Thị Bình,XX,31/02/2020\n"
GOOD = (
    "Họ và tên,Chức vụ,Ngày nộp\n"
    "Nguyễn Văn An,Bí thư chi bộ,10/03/2020\n"
    "Lê Thị Bình,,20/04/2020\n"
    "Trần Văn Cường,,\n"
)


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    figures.ensure_indicators()  # the live server's database was flushed
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    f.make_unit("CB1", name="Chi bộ khóm 1", kind_code="party_cell", parent=c1)
    f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=d1)
    f.make_user("quanly", unit=d1, role="manager")
    f.make_user("xem", unit=d1, role="viewer")


def checked(page: Page, width: int, found: dict, name: str) -> None:
    """The page fits the screen; axe's serious violations are kept under ``name``."""
    fits(page, width)
    shot(page, width, "registers-" + re.sub(r"\W+", "-", name))
    found[name] = serious(page)


def upload(page: Page, text: str, button: str) -> None:
    page.locator("#upload input[type=file]").set_input_files(
        files=[{"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name=button).click()


def tab(page: Page, name: str) -> None:
    tabs = page.get_by_role("navigation", name="Sổ hoạt động")
    tabs.get_by_role("link", name=name).click()
    expect(tabs.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")


def test_a_manager_keeps_the_three_registers(screen, district):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    log_in(page, width, "quanly")
    go_by_menu(page, width, "Hoạt động")

    # Pledges: a cell's list from a file, refused row by row first.
    tab(page, "Bản đăng ký tu dưỡng")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bản đăng ký tu dưỡng, rèn luyện: Huyện Vĩnh Thuận"
    )
    checked(page, width, found, "pledges, empty")
    main.get_by_role("link", name="Nhập danh sách từ tệp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách đảng viên")
    page.get_by_label("Chi bộ").fill("Chi bộ khóm 1 (CB1)")
    page.get_by_label("Năm").fill("2020")
    page.get_by_label("Hạn nộp").fill("15/04/2020")
    upload(page, BAD, "Nhập danh sách")
    problems = main.locator("#problems")
    expect(problems).to_contain_text("Đảng viên của đơn vị khác (XX)")
    expect(problems.locator("tbody tr")).to_have_count(2)
    checked(page, width, found, "pledges, bad list")
    assert not PledgeList.objects.exists() and not Person.objects.exists()
    page.get_by_label("Chi bộ").fill("Chi bộ khóm 1 (CB1)")
    page.get_by_label("Hạn nộp").fill("15/04/2020")
    upload(page, GOOD, "Nhập danh sách")
    expect(main.locator("ul.messages")).to_contain_text("Đã lưu danh sách: 3 người mới")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bản đăng ký tu dưỡng, rèn luyện: Chi bộ khóm 1"
    )
    expect(main.locator("#pledge-totals")).to_contain_text("2 bản, 66,7%")
    expect(main.locator("#members tr.late")).to_contain_text("Lê Thị Bình")
    expect(main.locator("#members")).to_contain_text("Trần Văn Cường")
    checked(page, width, found, "pledges, a cell's list")

    # Channels: the district's website and a month's count.
    tab(page, "Kênh thông tin")
    main.get_by_role("link", name="Thêm kênh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm kênh thông tin")
    checked(page, width, found, "channel, new")
    page.get_by_label("Đơn vị quản lý").fill("Huyện Vĩnh Thuận (D1)")
    page.get_by_label("Loại kênh").select_option(label="Trang, cổng thông tin điện tử")
    page.get_by_label("Tên kênh").fill("Trang thông tin điện tử Huyện ủy Vĩnh Thuận")
    page.get_by_label("Địa chỉ").fill("https://vinhthuan.example.vn/")
    page.get_by_label("Hoạt động từ ngày:", exact=True).fill("01/01/2018")
    page.get_by_role("button", name="Thêm kênh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Trang thông tin điện tử Huyện ủy Vĩnh Thuận"
    )
    page.get_by_label("Kỳ:", exact=True).fill("Tháng 1/2020")
    page.get_by_label("Số tin, bài:", exact=True).fill("1234")
    page.get_by_role("button", name="Lưu số tin, bài").click()
    expect(main.locator("ul.messages")).to_have_text("Đã lưu số tin, bài của tháng 1/2020.")
    expect(main.locator("#total")).to_have_text("1.234")
    expect(main.locator("#counts")).to_contain_text("Tháng 1/2020")
    checked(page, width, found, "channel, a count")
    assert Channel.objects.get().post_counts.get().posts == 1234
    page.get_by_role("link", name="Kênh thông tin chính thức").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kênh thông tin chính thức")
    expect(main.locator("#channels")).to_contain_text("https://vinhthuan.example.vn/")
    checked(page, width, found, "channels")

    # Inspections: one of the commune, concluded, its overdue recommendation followed up.
    tab(page, "Kiểm tra, giám sát")
    main.get_by_role("link", name="Thêm cuộc kiểm tra, giám sát").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm cuộc kiểm tra, giám sát")
    checked(page, width, found, "inspection, new")
    page.get_by_label("Đơn vị được kiểm tra, giám sát").fill("Xã Vĩnh Bình Bắc (C2)")
    page.get_by_label("Nội dung").fill("Kiểm tra việc học tập Nghị quyết")
    page.get_by_label("Từ ngày").fill("10/05/2021")
    page.get_by_label("Đến ngày").fill("12/05/2021")
    page.get_by_label("Thành phần đoàn").fill("Nguyễn Văn Trưởng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra việc học tập Nghị quyết")
    page.get_by_label("Ngày kết luận").fill("20/05/2021")
    page.get_by_label("Kết luận:", exact=True).fill("Cơ bản thực hiện tốt.")
    page.get_by_label("Kiến nghị 1:", exact=True).fill("Bổ sung biên bản sinh hoạt")
    page.get_by_label("Hạn thực hiện kiến nghị 1").fill("30/06/2021")
    page.get_by_role("button", name="Lưu kết luận").click()
    expect(main.locator("ul.messages")).to_have_text("Đã lưu kết luận.")
    row = main.locator("#recommendations tbody tr")
    expect(row).to_have_class("overdue")
    expect(row).to_contain_text("Quá hạn")
    checked(page, width, found, "inspection, overdue")
    row.get_by_text("Cập nhật kết quả").click()
    row.get_by_label("Kết quả thực hiện").fill("Đã bổ sung")
    row.get_by_label("Ngày thực hiện xong").fill("05/07/2021")
    checked(page, width, found, "inspection, follow-up")
    row.get_by_role("button", name="Lưu kết quả").click()
    expect(main.locator("ul.messages")).to_have_text("Đã lưu kết quả thực hiện kiến nghị.")
    expect(row).to_contain_text("Đã thực hiện ngày 05/07/2021")
    assert Recommendation.objects.get().resolved is not None
    page.get_by_role("link", name="Kiểm tra, giám sát").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra, giám sát:")
    expect(main.locator("#by")).to_contain_text("1, đã thực hiện 1")
    checked(page, width, found, "inspections")
    log_out(page, width)

    # The viewer: the cell's counts, no name.
    log_in(page, width, "xem")
    go_by_menu(page, width, "Hoạt động")
    tab(page, "Bản đăng ký tu dưỡng")
    main.get_by_role("link", name="Chi bộ khóm 1").click()
    expect(main.locator("#own-counts")).to_have_text("2/3 bản, 1 nộp muộn")
    expect(main.locator("#names-hidden")).to_be_visible()
    expect(main).not_to_contain_text("Lê Thị Bình")
    checked(page, width, found, "pledges, viewer")
    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert width in (PHONE["width"], 1366)


# Cells of a table's rows that lie beyond the screen's right edge, and the boxes of
# <main> that scroll sideways inside the page (a .table-wrap hiding its last column).
BEYOND = """width => {
  const shown = e => e.getClientRects().length > 0;
  const cells = [...document.querySelectorAll('main table th, main table td')]
    .filter(shown)
    .filter(c => c.getBoundingClientRect().right > width + 0.5)
    .map(c => c.textContent.trim());
  const scrolled = [...document.querySelectorAll('main *')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.id || e.className || e.tagName);
  return {cells, scrolled};
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_pledge_tables_fit_a_phone(phone, district):
    """GIVEN two cells of Thị trấn Vĩnh Thuận with their 2020 lists, one late and one not
    handed in WHEN the district's manager opens the pledges on a 390 × 844 phone, then one
    cell's list THEN every column of both tables is on screen, nothing scrolls sideways,
    not even inside the page, and each figure is read with its heading."""
    import datetime as dt

    from tests.factories import SYSTEM
    from trienkhai.activities import pledges
    from trienkhai.orgs.models import Unit

    town = Unit.objects.get(code="C1")
    cb2 = f.make_unit(
        "CB2", name="Chi bộ Khối vận Thị trấn Vĩnh Thuận", kind_code="party_cell", parent=town
    )
    for unit in (Unit.objects.get(code="CB1"), cb2):
        pledges.record_pledges(
            acting_user=SYSTEM,
            unit=unit,
            year=2020,
            deadline=dt.date(2020, 4, 15),
            rows=[
                pledges.PledgeRow(
                    name="Nguyễn Văn An", position="Bí thư chi bộ", submitted="10/03/2020"
                ),
                pledges.PledgeRow(name="Lê Thị Bình", submitted="20/04/2020"),
                pledges.PledgeRow(name="Trần Văn Cường"),
            ],
        )
    page, width = phone, PHONE["width"]
    log_in(page, width, "quanly")
    page.goto("/hoat-dong/tu-duong/?don-vi=D1&nam=2020")
    table = page.locator("#pledge-lists")
    expect(table).to_contain_text("Chi bộ Khối vận Thị trấn Vĩnh Thuận")
    fits(page, width)
    assert page.evaluate(BEYOND, width) == {"cells": [], "scrolled": []}
    row = table.locator("tbody tr").filter(has_text="Chi bộ khóm 1")
    assert (
        row.locator("td.num").last.evaluate("c => getComputedStyle(c, '::before').content")
        == '"Chưa nộp: "'
    )
    shot(page, width, "registers-pledges-by-cell")
    row.get_by_role("link", name="Chi bộ khóm 1").click()
    expect(page.locator("#members")).to_contain_text("Trần Văn Cường")
    fits(page, width)
    assert page.evaluate(BEYOND, width) == {"cells": [], "scrolled": []}
    assert serious(page) == []
