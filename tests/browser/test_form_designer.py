"""A manager sets up a form from the screens alone, never typing a code.

GIVEN a district manager, indicators known by their names, two units under the district
WHEN the manager opens "Quản trị" from the menu, then "Tạo biểu mới", picks the district
by name, finds indicators by typing part of their names (no accents), and chooses the
units directly under the district
THEN the page says "2 đơn vị báo cáo" as the choice changes, and the form is made with a
short code made from its name's initials, said before it is made;
WHEN the manager reorders its indicators with the keyboard alone and saves
THEN the order is kept, and the read-only preview shows the grid in that order.
On a desktop (1366×900) and a phone (390×844); on the desktop the mouse drags a row back.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious
from tests.browser.test_data_entry import log_in, report
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import Form

__all__ = ["report"]  # the fixture, shared with the data-entry journey
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_it_sets_up_a_form_by_names_and_orders_it_with_the_keyboard(page: Page, shot, report, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, "quanly")
    if size[0] < 600:  # the menu is folded on a phone
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Quản trị", exact=True).click()
    expect(page.get_by_role("heading", name="Quản trị báo cáo", level=1)).to_be_visible()
    expect(page.locator("#admin-forms")).to_contain_text("1 biểu do đơn vị bạn quản lý")
    shot("index")
    page.get_by_role("link", name="Tạo biểu mới").click()
    expect(page.get_by_role("heading", name="Tạo biểu báo cáo")).to_be_visible()

    page.get_by_label(re.compile("^Đơn vị ban hành")).fill("Huyện Vĩnh Thuận")
    page.get_by_label("Tên biểu").fill("Kết quả học tập nghị quyết")
    # The short code the form will get is said as the name is typed.
    expect(page.locator("#code-suggestion")).to_have_text(
        "Để trống thì mã sẽ là KQHTNQ (thêm số nếu trùng với biểu khác)."
    )
    page.get_by_label("Báo cáo theo kỳ").select_option(label="Quý")

    search = page.get_by_label("Tìm chỉ tiêu theo tên hoặc kiểu")
    search.fill("luot nguoi tham")
    expect(page.get_by_label("Số lớp đã mở", exact=True)).to_be_hidden()
    page.get_by_label("Lượt người tham gia", exact=True).check()
    search.fill("so lop da")
    page.get_by_label("Số lớp đã mở", exact=True).check()
    expect(page.locator(".picked-count")).to_have_text("2 chỉ tiêu đã chọn")
    search.fill("")
    chosen = page.locator("#indicator-list li:has(input:checked) label")
    expect(chosen).to_have_text(["Lượt người tham gia", "Số lớp đã mở"])

    count = page.locator("#units .unit-count output")
    page.get_by_label("Ở cấp").select_option(label="Trực thuộc đơn vị ban hành")
    expect(count).to_have_text("2 đơn vị báo cáo")
    # Kinds are check boxes: one narrows the level's units, a second one widens again.
    kinds = page.get_by_role("group", name=re.compile("Mọi đơn vị thuộc loại"))
    kinds.get_by_label("Xã", exact=True).check()
    expect(count).to_have_text("1 đơn vị báo cáo")
    kinds.get_by_label("Thị trấn", exact=True).press("Space")  # the keyboard works them too
    expect(count).to_have_text("2 đơn vị báo cáo")
    kinds.get_by_label("Xã", exact=True).uncheck()
    expect(count).to_have_text("1 đơn vị báo cáo")
    kinds.get_by_label("Thị trấn", exact=True).uncheck()
    expect(count).to_have_text("2 đơn vị báo cáo")
    shot("designer", guide="08-lap-bieu" if size[0] > 600 else "")
    page.get_by_role("button", name="Tạo biểu").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết quả học tập nghị quyết")
    expect(page.locator(".messages")).to_contain_text("Đã tạo biểu “Kết quả học tập nghị quyết”")
    made = Form.objects.get(name="Kết quả học tập nghị quyết")
    assert made.code == "KQHTNQ" and made.period_type == "quarterly"
    expect(page.locator("#form-code")).to_have_text("Mã biểu: KQHTNQ")
    expect(page.locator("#report-unit-count")).to_have_text("2 đơn vị báo cáo")

    # The keyboard alone: from the preview link, Tab to "Lượt người tham gia"'s "xuống",
    # Enter moves it below "Số lớp đã mở"; Tab to "Lưu thứ tự", Enter saves.
    page.get_by_role("link", name="Xem trước ô nhập của biểu").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Đưa “Lượt người tham gia” lên")).to_be_focused()
    page.keyboard.press("Tab")
    down = page.get_by_role("button", name="Đưa “Lượt người tham gia” xuống")
    expect(down).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".layout-status")).to_contain_text(
        "Đã đưa “Lượt người tham gia” xuống, vị trí 2"
    )
    expect(down).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lưu thứ tự")).to_be_focused()
    shot("reordered")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Đã lưu thứ tự")
    expect(page.locator("#layout li .layout-label")).to_have_text(
        [re.compile("^Số lớp đã mở"), re.compile("^Lượt người tham gia")]
    )
    items = made.items.order_by("order").values_list("indicator__code", flat=True)
    assert list(items) == ["lop_da_mo", "luot_nguoi"]

    page.get_by_role("link", name="Xem trước ô nhập của biểu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xem trước: Kết quả học tập nghị quyết"
    )
    rows = page.locator("table.entry-grid tbody th")
    expect(rows).to_have_text(["Số lớp đã mở", "Lượt người tham gia"])
    expect(page.get_by_role("textbox", name="Số lớp đã mở")).to_have_attribute("readonly", "")
    shot("preview")

    if size[0] < 600:
        return
    # With the mouse: drag "Lượt người tham gia" back above "Số lớp đã mở", then save.
    page.get_by_role("link", name="Quay lại biểu").click()
    rows = page.locator("#layout li")
    rows.nth(1).drag_to(rows.nth(0), target_position={"x": 20, "y": 3})
    expect(page.locator(".layout-status")).to_contain_text("Đã thả “Lượt người tham gia”")
    page.get_by_role("button", name="Lưu thứ tự").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu thứ tự")
    items = made.items.order_by("order").values_list("indicator__code", flat=True)
    assert list(items) == ["luot_nguoi", "lop_da_mo"]


def test_a_refused_form_says_why_beside_its_button(page: Page, shot, report):
    """GIVEN a new form with nobody to report it WHEN "Tạo biểu" is pressed THEN the page
    comes back with the warning and its tick box beside the button, focused and in view
    (not at the top of a long page), the top saying where to look; ticked and sent again,
    the form is made and its page names it."""
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "quanly")
    page.goto("/bao-cao/quan-tri/bieu/moi/")
    page.get_by_label(re.compile("^Đơn vị ban hành")).fill("Huyện Vĩnh Thuận")
    page.get_by_label("Tên biểu").fill("Báo cáo quý công tác tuyên giáo năm 2021")
    page.get_by_label("Số lớp đã mở", exact=True).check()
    page.get_by_role("button", name="Tạo biểu").click()
    warned = page.locator("#warnings")
    expect(warned).to_be_focused()
    # The count the page asks on load brings the same warning: said once (walk 4).
    expect(page.locator("[data-answered=yes]")).to_have_count(1)
    expect(page.locator(".live-warnings li")).to_have_count(0)
    expect(warned).to_be_in_viewport()
    expect(warned).to_contain_text("Chưa có đơn vị báo cáo nào")
    expect(page.locator("#form-errors a[href='#warnings']")).to_be_attached()
    shot("designer-warned")
    page.keyboard.press("Tab")  # the next stop is the tick box
    tick = page.get_by_label("Tôi đã đọc các cảnh báo trên và vẫn tạo biểu.")
    expect(tick).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Tạo biểu").click()
    expect(page.locator(".messages")).to_contain_text(
        "Đã tạo biểu “Báo cáo quý công tác tuyên giáo năm 2021”"
    )


def test_the_form_page_fits_a_phone(page: Page, shot, report):
    """GIVEN a form with indicators and units, its administration page on a 390 × 844 phone
    THEN the page never scrolls sideways: its wide tables scroll inside their own box,
    which a keyboard can reach and a screen reader names."""
    pledges = services.create_indicator(
        acting_user=SYSTEM,
        code="ban_dang_ky_tu_duong_dang_vien",
        name="Số bản đăng ký tu dưỡng, rèn luyện của đảng viên",
    )
    services.add_indicator_to_form(
        acting_user=SYSTEM, form=report, indicator=pledges, valid_from=dt.date(2025, 1, 1)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "quanly")
    page.goto(f"/bao-cao/quan-tri/bieu/{report.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo 6 tháng")
    shot("phone-form-page")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # 440 before
    tables = page.get_by_role("region", name=re.compile("vuốt ngang"))
    expect(tables).to_have_count(2)
    expect(tables.first.locator("th", has_text="Đến trước ngày")).to_be_attached()
    tables.first.focus()
    expect(tables.first).to_be_focused()
    assert serious(page) == []  # axe: a scrolling region must be focusable and named
    # The required radio group is marked once, on its legend, not on each option.
    marks = page.evaluate(
        """() => [...document.querySelectorAll('#submission-rules legend, #submission-rules label')]
        .filter(e => getComputedStyle(e, '::after').content.includes('*'))
        .map(e => e.tagName)"""
    )
    assert marks == ["LEGEND"]
    # The preview's grid, as wide as a unit's entry grid, keeps to the screen too.
    page.get_by_role("link", name="Xem trước ô nhập của biểu").click()
    expect(page.locator("table.entry-grid").first).to_be_visible()
    shot("phone-preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_sections_go_where_asked_and_take_several_indicators_at_once(
    page: Page, shot, report, size
):
    """GIVEN a form of five indicators in no section (walk 3) WHEN the manager adds the
    section "Học tập" with the place the page offers (above the first indicator) THEN it
    comes first and holds all five, the table of the form's indicators names it at once;
    WHEN "Người tham gia" is added above the fourth THEN it takes the last two; WHEN two
    indicators are ticked and moved back in one post THEN both are in "Học tập". The
    page has no serious axe violation, on a desktop and a phone."""
    from trienkhai.orgs.models import Unit
    from trienkhai.reporting.models import Indicator

    codes = ["lop_ke_hoach", "lop_da_mo", "binh_quan_lop", "luot_nguoi", "luot_nguoi_doi_tuong"]
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    made = services.create_form(
        acting_user=SYSTEM,
        name="Báo cáo quý công tác học tập nghị quyết",
        owner=Unit.objects.get(code="D1"),
        period_type="quarterly",
        indicators=[by_code[c] for c in codes],
        level=1,
        valid_from=dt.date.today(),
    )
    assert made.code == "BCQ-CTHTNQ"
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, "quanly")
    page.goto(f"/bao-cao/quan-tri/bieu/{made.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo quý công tác học tập nghị quyết"
    )
    expect(page.locator("#form-code")).to_have_text("Mã biểu: BCQ-CTHTNQ")
    adding = page.locator("#them-phan")
    expect(adding.get_by_label("Đặt phần này ngay trên chỉ tiêu")).to_have_value("lop_ke_hoach")
    adding.get_by_label("Tên phần:", exact=True).fill("Học tập")
    adding.get_by_role("button", name="Thêm phần").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm phần.")
    labels = page.locator("#layout li .layout-label")
    expect(labels.first).to_have_text("Phần: Học tập")
    expect(labels).to_have_count(6)
    sections = page.locator("table.reports").first.locator("tbody tr td:first-child")
    expect(sections).to_have_text(["Học tập"] * 5)

    adding = page.locator("#them-phan")
    adding.get_by_label("Tên phần:", exact=True).fill("Người tham gia")
    adding.get_by_label("Đặt phần này ngay trên chỉ tiêu").select_option(
        label="Lượt người tham gia (phần “Học tập”)"
    )
    adding.get_by_role("button", name="Thêm phần").click()
    expect(labels.nth(4)).to_have_text("Phần: Người tham gia")
    expect(sections).to_have_text(["Học tập"] * 3 + ["Người tham gia"] * 2)
    shot("sections")

    moving = page.locator("#chuyen-chi-tieu")
    moving.get_by_label("Lượt người tham gia (phần “Người tham gia”)").check()
    moving.get_by_label("Lượt người theo đối tượng (phần “Người tham gia”)").check()
    moving.get_by_label("Vào phần").select_option(label="Học tập")
    moving.get_by_role("button", name="Chuyển").click()
    expect(page.locator(".messages")).to_contain_text("Đã chuyển 2 chỉ tiêu sang phần đã chọn.")
    expect(sections).to_have_text(["Học tập"] * 5)
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    assert serious(page) == []
    page.goto("/bao-cao/quan-tri/bieu/moi/")
    assert serious(page) == []
