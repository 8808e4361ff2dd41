"""A person finds a district, a commune merged in 2025, and the commune that carries it today."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.factories import SYSTEM
from trienkhai.orgs import services

pytestmark = pytest.mark.browser

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def vinh_thuan(transactional_db):
    """Huyện Vĩnh Thuận and its four communes; on 01/07/2025 the communes merge in pairs
    into two new communes directly under the province, and the district is dissolved,
    as the 2025 reform did. A manager at the province logs in."""
    province = f.make_unit("KG", name="Tỉnh Kiên Giang", kind_code="province")
    district = f.make_unit(
        "VT", name="Huyện Vĩnh Thuận", kind_code="district", parent=province, abbreviation="HU"
    )
    old = {
        code: f.make_unit(code, name=name, kind_code=kind, parent=district)
        for code, name, kind in [
            ("VT-TT", "Thị trấn Vĩnh Thuận", "town"),
            ("VT-VP", "Xã Vĩnh Phong", "commune"),
            ("VT-VBB", "Xã Vĩnh Bình Bắc", "commune"),
            ("VT-VBN", "Xã Vĩnh Bình Nam", "commune"),
        ]
    }
    vinh_thuan = f.make_unit("XA-VT", name="Xã Vĩnh Thuận", parent=province, valid_from=REFORM)
    vinh_binh = f.make_unit("XA-VB", name="Xã Vĩnh Bình", parent=province, valid_from=REFORM)
    services.merge_units(
        acting_user=SYSTEM, predecessors=[old["VT-TT"], old["VT-VP"]], into=vinh_thuan, on=REFORM
    )
    services.merge_units(
        acting_user=SYSTEM, predecessors=[old["VT-VBB"], old["VT-VBN"]], into=vinh_binh, on=REFORM
    )
    services.dissolve_unit(acting_user=SYSTEM, unit=district, on=REFORM)
    return f.make_user("canbo", unit=province, role="manager")


def log_in(page: Page, username: str = "canbo") -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # The desk first; the tree is one click away in the menu.
    expect(page.get_by_role("heading", name="Việc của tôi", exact=True)).to_be_visible()
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()


def test_it_leads_from_a_search_to_the_successor_of_a_merged_commune(page: Page, shot, vinh_thuan):
    log_in(page)
    expect(page.get_by_role("link", name="Tỉnh Kiên Giang", exact=True)).to_be_visible()
    shot("tree", guide="14-cay-don-vi")

    # The search box has the focus: typing goes straight into it, Enter submits.
    page.keyboard.type("vinh thuan")
    page.keyboard.press("Enter")
    results = page.locator("table.results")
    expect(
        page.get_by_role("heading", name=re.compile("3 đơn vị khớp với “vinh thuan”"))
    ).to_be_visible()
    expect(results.get_by_role("link", name="Huyện Vĩnh Thuận", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Thị trấn Vĩnh Thuận")).to_be_visible()
    expect(results.get_by_role("link", name="Xã Vĩnh Thuận", exact=True)).to_be_visible()
    expect(results).not_to_contain_text("Vĩnh Bình")
    shot("search")

    # The district ended with the reform: its page shows it on its last day.
    results.get_by_role("link", name="Huyện Vĩnh Thuận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Huyện Vĩnh Thuận"))
    expect(page.locator("#successors")).to_contain_text("Đơn vị đã chấm dứt từ ngày 01/07/2025")
    children = page.locator("#children")
    expect(children).to_contain_text("Đơn vị trực thuộc ngày 30/06/2025")
    for name in ("Thị trấn Vĩnh Thuận", "Xã Vĩnh Phong", "Xã Vĩnh Bình Bắc", "Xã Vĩnh Bình Nam"):
        expect(children.get_by_role("link", name=name)).to_be_visible()
    shot("district")

    # A commune merged on 01/07/2025 sends its reader to the commune that carries it.
    children.get_by_role("link", name="Xã Vĩnh Bình Bắc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Xã Vĩnh Bình Bắc"))
    box = page.locator("#successors")
    expect(box).to_contain_text("Đơn vị đã chấm dứt từ ngày 01/07/2025")
    expect(box).to_contain_text("Hiện nay các đơn vị sau kế thừa đơn vị này:")
    expect(page.locator("#history")).to_contain_text("Hợp nhất, sáp nhập")
    expect(page.get_by_role("navigation", name="Đơn vị cấp trên")).to_contain_text(
        "Huyện Vĩnh Thuận"
    )
    shot("merged-commune")

    box.get_by_role("link", name="Xã Vĩnh Bình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Xã Vĩnh Bình$"))
    expect(page.locator("#successors")).to_have_count(0)
    formed_from = page.locator("#predecessors")
    expect(formed_from).to_contain_text("Hình thành từ")
    expect(formed_from.get_by_role("link", name="Xã Vĩnh Bình Bắc")).to_be_visible()
    expect(formed_from.get_by_role("link", name="Xã Vĩnh Bình Nam")).to_be_visible()
    expect(page.get_by_role("navigation", name="Đơn vị cấp trên")).to_contain_text(
        "Tỉnh Kiên Giang"
    )
    expect(page.locator("#audit")).to_contain_text("hệ thống")
    shot("successor")


def test_it_switches_to_english_and_back(page: Page, shot, vinh_thuan):
    log_in(page)
    page.goto("/don-vi/VT-VBB/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/don-vi/VT-VBB/$"))
    expect(page.locator("#successors")).to_contain_text("This unit ended on 01/07/2025")
    expect(page.locator("#successors")).to_contain_text("Today these units carry it on:")
    expect(page.locator("#history")).to_contain_text("Merged")
    expect(page.get_by_role("link", name="User roles")).to_be_visible()
    shot("english")
    page.get_by_role("link", name="Units", exact=True).first.click()
    expect(page.get_by_label("Find a unit (accents optional)")).to_be_focused()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Tìm đơn vị (gõ không dấu cũng được)")).to_be_visible()


def test_it_works_from_the_keyboard(page: Page, shot, vinh_thuan):
    """Search with Enter, Tab to a result, open it with Enter, then open a tree node."""
    log_in(page)
    page.keyboard.type("dong vinh binh")  # no match: three words that never meet
    page.keyboard.press("Enter")
    expect(page.locator("table.results")).to_contain_text("Không tìm thấy đơn vị nào")
    search = page.get_by_label("Tìm đơn vị (gõ không dấu cũng được)")
    search.fill("vinh binh bac")
    page.keyboard.press("Enter")
    link = page.locator("table.results").get_by_role("link", name="Xã Vĩnh Bình Bắc")
    # A person waits for the answer before moving on: a Tab pressed while the next page
    # loads lands on the old page or before the new one puts the cursor back in the
    # search box (a loaded machine made 12 Tabs miss the result once).
    expect(link).to_be_visible()
    page.wait_for_load_state()
    expect(search).to_be_focused()
    for _ in range(12):
        page.keyboard.press("Tab")
        if link.evaluate("node => node === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Xã Vĩnh Bình Bắc"))

    page.goto("/don-vi/")
    toggle = page.locator("a.toggle#u-KG")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("a.toggle#u-KG")).to_have_attribute("aria-expanded", "true")
    expect(
        page.locator("table.tree").get_by_role("link", name="Xã Vĩnh Bình", exact=True)
    ).to_be_visible()
    expect(page.locator("table.tree")).not_to_contain_text("Huyện Vĩnh Thuận")  # ended
    day = page.get_by_role("textbox", name="Cơ cấu tại ngày")
    expect(day).to_have_value(dt.date.today().strftime("%d/%m/%Y"))
    day.fill("30/06/2025")
    day.press("Enter")
    expect(
        page.locator("table.tree").get_by_role("link", name="Huyện Vĩnh Thuận", exact=True)
    ).to_be_visible()
    shot("tree-2025")


def test_it_shows_a_refused_form_and_keeps_the_cursor_on_the_field(page: Page, shot, vinh_thuan):
    log_in(page)
    page.goto("/don-vi/KG/")
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.get_by_label("Mã đơn vị").fill("XA-MOI")
    page.get_by_label("Tên đơn vị").fill("Xã Mới")
    page.get_by_label("Loại đơn vị").select_option("commune")
    page.get_by_label("Thành lập từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Thêm đơn vị").click()
    date = page.get_by_label("Thành lập từ ngày")
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text("dd/mm/yyyy")
    # A field's error list inside its alert, not an alert that is a list: axe found the
    # list items of a <ul role="alert"> orphaned (serious, "listitem").
    assert serious(page) == []
    shot("refused")
    date.fill("01/01/2026")
    date.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Xã Mới"))
    expect(page.get_by_role("status")).to_contain_text("Đã thêm đơn vị “Xã Mới”.")
    expect(page.locator("#audit")).to_contain_text("canbo")
    shot("created")
