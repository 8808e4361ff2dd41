"""A report from log-in to approval on a 390 × 844 phone and on a 1366 × 900 screen.

GIVEN form HK (half-yearly) of Huyện Vĩnh Thuận, reported by a cell whose reporter has
a phone, with long indicator names and one indicator split by audience group
WHEN the reporter logs in, opens the desk, reaches the reports through the menu (folded
behind its button on the phone), types the figures with Enter, submits, logs out, and
the manager reviews and approves it
THEN no page scrolls sideways (the document is no wider than the screen), every field
and button is on screen, on the phone each label stands above its input and Enter goes
to the next field down the page, and every figure is saved as it is left.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import ARTIFACTS, _wait_for_live_server_requests
from tests.browser.test_data_entry import confirm_sending
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, Disaggregation
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY).id
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1366, "height": 900}
LESSONS = "Số lớp bồi dưỡng lý luận chính trị, nghiệp vụ công tác tuyên giáo đã mở trong kỳ"
PEOPLE = "Lượt cán bộ, đảng viên và nhân dân tham gia học tập, quán triệt nghị quyết"
POSTS = "Số tin, bài đăng trên trang thông tin điện tử chính thức của đơn vị"

# The fields and buttons shown on the page whose box leaves the screen, and how wide
# the document is (wider than the screen: the page scrolls sideways).
MEASURE = """width => {
  const shown = e => e.offsetParent !== null && e.getClientRects().length > 0;
  const off = [...document.querySelectorAll(
      'input:not([type=hidden]), select, textarea, button')]
    .filter(shown)
    .map(e => [e.getAttribute('aria-label') || e.name || e.id || e.textContent.trim(),
               e.getBoundingClientRect()])
    .filter(([, r]) => r.left < -0.5 || r.right > width + 0.5)
    .map(([name, r]) => `${name}: ${Math.round(r.left)}..${Math.round(r.right)}`);
  return {scroll_width: document.documentElement.scrollWidth, off_screen: off};
}"""


@pytest.fixture
def report(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    other = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=district)
    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng")
    for order, (code, name) in enumerate(
        [("can_bo", "Cán bộ"), ("dang_vien", "Đảng viên"), ("nhan_dan", "Nhân dân")]
    ):
        groups.options.create(code=code, name=name, sort_order=order)
    make = services.create_indicator
    indicators = [
        make(acting_user=SYSTEM, code="lop", name=LESSONS, unit_of_measure="lớp"),
        make(acting_user=SYSTEM, code="luot", name=PEOPLE, disaggregation=groups),
        make(acting_user=SYSTEM, code="tin_bai", name=POSTS, unit_of_measure="tin, bài"),
    ]
    form = services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo sơ kết 6 tháng thực hiện Nghị quyết 35-NQ/TW",
        owner=district,
        period_type="sixmonthly",
        indicators=[],
        sections=[("I. Học tập, quán triệt", indicators[:2]), ("II. Thông tin", indicators[2:])],
        units=[cell, other],
        valid_from=dt.date(2019, 1, 1),
    )
    f.make_user("bcv", unit=cell, role="reporter")
    f.make_user("quanly", unit=district, role="manager")
    return form


@pytest.fixture(params=[PHONE, SCREEN], ids=["phone-390", "screen-1366"])
def screen(request, browser, live_server):
    """A page of the given size (a phone has touch), Vietnamese, on the live server."""
    size = request.param
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport=size,
        has_touch=size is PHONE,
        is_mobile=size is PHONE,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page, size["width"]
    context.close()
    _wait_for_live_server_requests()


def shot(page: Page, width: int, name: str) -> None:
    """The whole page as test-artifacts/phone-<width>-<name>.png (for people, not asserts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{width}-{name}.png"), full_page=True)


def fits(page: Page, width: int) -> None:
    measured = page.evaluate(MEASURE, width)
    assert measured["scroll_width"] <= width, page.url
    assert measured["off_screen"] == [], page.url


def go_by_menu(page: Page, width: int, name: str) -> None:
    """Follow a link of the menu: on a phone, open the menu first."""
    toggle = page.get_by_role("button", name="Menu")
    link = page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name=name, exact=True
    )
    if width == PHONE["width"]:
        expect(link).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        fits(page, width)
        shot(page, width, "menu")
    else:
        expect(toggle).to_be_hidden()
    href = link.get_attribute("href")
    link.click()
    # Measured only once the page it leads to is loaded: evaluated mid-navigation, the
    # document may not exist yet (documentElement null, seen on a loaded CI machine).
    page.wait_for_url(f"**{href}", wait_until="load")


def log_in(page: Page, width: int, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fits(page, width)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    # The desk: what the user owes and what waits for them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    fits(page, width)


def log_out(page: Page, width: int) -> None:
    if width == PHONE["width"]:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def cell(page: Page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def saved(page: Page, label: str):
    return page.locator("td", has=cell(page, label)).locator(".cell-state")


def type_and(page: Page, text: str, key: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press(key)


def test_it_takes_a_report_from_log_in_to_approval_on_a_phone_and_a_screen(screen, report):
    page, width = screen
    phone = width == PHONE["width"]
    log_in(page, width, "bcv")
    go_by_menu(page, width, "Báo cáo")
    expect(page.get_by_role("heading", name="Báo cáo định kỳ")).to_be_visible()
    fits(page, width)

    page.get_by_role("link", name=re.compile("Nhập số liệu Thị trấn Vĩnh Thuận")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo sơ kết 6 tháng")
    fits(page, width)
    lessons, posts = cell(page, LESSONS), cell(page, POSTS)
    expect(lessons).to_be_focused()
    first, second = cell(page, f"{PEOPLE} – Cán bộ"), cell(page, f"{PEOPLE} – Đảng viên")
    if phone:
        # One column: the indicator's name, then each option's name, above the input.
        name = page.locator("th.indicator", has_text=PEOPLE).bounding_box()
        option = page.locator("td", has=second).locator(".cell-option").bounding_box()
        box = second.bounding_box()
        assert name and option and box
        assert name["y"] + name["height"] <= option["y"] + 0.5
        assert option["y"] + option["height"] <= box["y"] + 0.5
        assert box["width"] > width / 2

    # Enter goes down: on the phone to the next field of the page, option by option;
    # on the screen down the column, from the first option to the next indicator.
    type_and(page, "3", "Enter")
    expect(first).to_be_focused()
    type_and(page, "1.200", "Enter")
    if phone:
        expect(second).to_be_focused()
        type_and(page, "800", "Enter")
        expect(cell(page, f"{PEOPLE} – Nhân dân")).to_be_focused()
        type_and(page, "20.673", "Enter")
        expect(posts).to_be_focused()
        page.keyboard.press("ArrowUp")
        expect(cell(page, f"{PEOPLE} – Nhân dân")).to_be_focused()
        page.keyboard.press("ArrowDown")
    else:
        expect(posts).to_be_focused()
        page.keyboard.press("ArrowUp")
        expect(first).to_be_focused()
        page.keyboard.press("Tab")
        expect(second).to_be_focused()
        type_and(page, "800", "Tab")
        type_and(page, "20.673", "Enter")
    expect(posts).to_be_focused()
    type_and(page, "612", "Tab")
    for label in (LESSONS, f"{PEOPLE} – Cán bộ", f"{PEOPLE} – Nhân dân", POSTS):
        expect(saved(page, label)).to_have_text("Đã lưu")
    fits(page, width)
    shot(page, width, "grid")
    stored = DataValue.objects.filter(unit__code="C1", period=PERIOD)
    assert {(v.indicator.code, v.option): int(v.value_number) for v in stored} == {
        ("lop", ""): 3,
        ("luot", "can_bo"): 1200,
        ("luot", "dang_vien"): 800,
        ("luot", "nhan_dan"): 20673,
        ("tin_bai", ""): 612,
    }

    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã gửi báo cáo")
    expect(page.locator("#status")).to_have_text("Đã gửi")
    fits(page, width)
    log_out(page, width)

    # The manager finds it waiting in the list, reviews it and approves it.
    log_in(page, width, "quanly")
    go_by_menu(page, width, "Báo cáo")
    fits(page, width)
    page.get_by_role("link", name=re.compile("Xem xét Thị trấn Vĩnh Thuận")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xem xét báo cáo")
    # The form's code is grey text under the title, as on the entry page, not in it.
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("HK")
    expect(page.locator("#review-codes")).to_contain_text("Mã biểu HK")
    fits(page, width)
    if phone:
        # Each row of the review's tables is a card ("label: value"), not a column of
        # one word a line.
        for table in ("#review-changes", "#return-form"):
            value = page.locator(f"{table} tbody tr").first.locator("td").nth(1)
            expect(value).to_have_css("display", "block")
            box = value.bounding_box()
            assert box and box["width"] > width * 0.7, table
        label = page.locator("#review-changes tbody tr").first.locator("td").nth(1)
        assert label.evaluate("e => getComputedStyle(e, '::before').content") == '"Trước: "'
    shot(page, width, "review")
    page.get_by_label(re.compile("Tôi đã xem xét và duyệt")).check()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã duyệt")
    fits(page, width)
    # The progress chart scales to the screen: nothing of it cut at the right.
    page.goto(f"/bao-cao/HK/D1/{PERIOD}/tien-do/")
    chart = page.locator("#chart svg").bounding_box()
    card = page.locator("#chart").bounding_box()
    assert chart and card and chart["x"] + chart["width"] <= card["x"] + card["width"]
    fits(page, width)
    shot(page, width, "progress")
    log_out(page, width)
