"""A viewer builds a pivot table with the keyboard and reads the engine's totals.

GIVEN two cells of Huyện Vĩnh Thuận that reported classes and attendances for 2020S1
WHEN a viewer at the district opens the analytics page, ticks two indicators with
Space, types the period and the unit, picks indicators as rows and units as columns
with the arrow keys, and presses Enter on "Xem"
THEN the table shows each cell's figures and the district's totals (Vietnamese
number format), and the chart tab draws the same figures as bars.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.services import CellInput

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    c2 = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=district)
    make = services.create_indicator
    lop = make(acting_user=SYSTEM, code="lop", name="Số lớp đã mở")
    luot = make(acting_user=SYSTEM, code="luot", name="Lượt người tham gia")
    form = services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[lop, luot],
        units=[c1, c2],
        valid_from=dt.date(2019, 1, 1),
    )
    for unit, classes, people in ((c1, 3, 12500), (c2, 4, 8173)):
        services.save_values(
            acting_user=SYSTEM,
            form=form,
            unit=unit,
            period_id="2020S1",
            cells=[CellInput("lop", str(classes)), CellInput("luot", str(people))],
        )
        # Sent: the pages count submitted figures unless the switch says otherwise.
        services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id="2020S1")
    f.make_user("xem", unit=district, role="viewer")


def test_it_builds_a_pivot_with_the_keyboard_and_shows_the_totals(page: Page, shot, figures):
    page.goto("/phan-tich/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill("xem")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Phân tích số liệu")).to_be_visible()

    # Indicators by name, found by typing a few letters without accents; a ticked one
    # stays listed when the search moves on.
    search = page.get_by_label("Tìm chỉ tiêu")
    search.fill("so lop")
    expect(page.get_by_label("Lượt người tham gia", exact=True)).to_be_hidden()
    page.get_by_label("Số lớp đã mở", exact=True).focus()
    page.keyboard.press("Space")
    search.fill("luot")
    expect(page.get_by_label("Số lớp đã mở", exact=True)).to_be_checked()
    page.get_by_label("Lượt người tham gia", exact=True).focus()
    page.keyboard.press("Space")
    # The period in words, without accents, as people type it (an input that offers
    # words as one types: a combobox).
    page.get_by_role("combobox", name=re.compile(r"^Kỳ:")).focus()
    page.keyboard.type("6 thang dau nam 2020")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("huyen vinh thuan")  # the unit by its name, accents optional
    # Rows: Đơn vị → Kỳ → Chỉ tiêu (two steps down); columns: Kỳ → Đơn vị (one up).
    page.get_by_role("combobox", name=re.compile(r"^Hàng:")).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.get_by_role("combobox", name=re.compile(r"^Cột:")).focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("combobox", name=re.compile(r"^Hàng:"))).to_have_value("indicator")
    expect(page.get_by_role("combobox", name=re.compile(r"^Cột:"))).to_have_value("unit")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    table = page.locator("table.pivot")
    expect(table).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile(r"^Kỳ:"))).to_have_value(
        "6 tháng đầu năm 2020"
    )
    unit = page.get_by_role("combobox", name=re.compile(r"^Đơn vị:"))
    expect(unit).to_have_value("Huyện Vĩnh Thuận (D1)")
    headers = table.locator("thead th")
    expect(headers).to_have_text(["Chỉ tiêu", "Thị trấn Vĩnh Thuận", "Xã Vĩnh Bình Bắc", "Tổng"])
    rows = table.locator("tbody tr")
    # In the order the list shows them: by name.
    expect(rows.nth(0)).to_have_text(
        re.compile(r"Lượt người tham gia\s*12\.500\s*8\.173\s*20\.673")
    )
    expect(rows.nth(1)).to_have_text(re.compile(r"Số lớp đã mở\s*3\s*4\s*7"))
    shot("pivot", guide="09-phan-tich")

    page.get_by_role("link", name="Biểu đồ").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Loại biểu đồ")).to_be_visible()
    page.get_by_role("button", name="Xem").press("Enter")
    chart = page.locator("#chart svg[role=img]")
    expect(chart).to_be_visible()
    bars = chart.locator("rect[data-value]")
    expect(bars).to_have_count(2)
    widths = [float(bars.nth(i).get_attribute("width") or 0) for i in range(2)]
    assert widths[1] / widths[0] == pytest.approx(8173 / 12500, rel=1e-3)  # the first: Lượt
    shot("chart")


LONG_NAME = "Chi bộ Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Vĩnh Thuận"


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_chart_names_a_long_unit_whole_and_readable(page: Page, shot, figures, size):
    """GIVEN the town's Party cell named as offices are ("Chi bộ Văn phòng Hội đồng nhân
    dân và Ủy ban nhân dân huyện Vĩnh Thuận", 70 letters)
    WHEN the viewer draws the district's units as bars, at desktop and phone widths
    THEN the label holds the whole name on lines inside the figure, its letters at least
    10 px high on the screen, and the page does not scroll sideways (the figure does, in
    its own box, on a phone)."""
    from trienkhai.orgs.models import UnitVersion

    UnitVersion.objects.filter(unit__code="C1").update(name=LONG_NAME)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("xem")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.goto("/phan-tich/bieu-do/?don_vi=D1&chi_tieu=luot&ky=2020S1&cap=1&loai=cot")
    chart = page.locator("#chart svg[role=img]")
    expect(chart.locator("rect[data-value]")).to_have_count(2)
    label = chart.locator("g.bar text").first
    spans = label.locator("tspan")
    assert " ".join(spans.all_text_contents()) == LONG_NAME
    figure = chart.bounding_box()
    assert figure
    for n in range(spans.count()):
        box = spans.nth(n).bounding_box()
        assert (
            box
            and figure["x"] <= box["x"]
            and box["x"] + box["width"] <= figure["x"] + figure["width"]
        )
    scale = figure["width"] / float(chart.get_attribute("width") or 1)
    assert 12 * scale >= 10, scale
    shot("long-name")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    assert serious(page) == []
