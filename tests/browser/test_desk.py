"""A newcomer logs in, lands on their desk, and reaches the first thing to do in one click.

GIVEN a quarterly form of Huyện Vĩnh Thuận reported by its two cells, last quarter's
reports not in
WHEN the cell's reporter logs in
THEN the desk lists the two reports to enter with their deadline, and one click opens the
first one's grid; the district's manager sees the progress with the late units by name.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser


@pytest.fixture
def quarter(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    town = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    other = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=district)
    indicator = services.create_indicator(acting_user=SYSTEM, code="so_lop", name="Số lớp")
    services.create_form(
        acting_user=SYSTEM,
        code="QK",
        name="Báo cáo quý",
        owner=district,
        period_type="quarterly",
        indicators=[indicator],
        units=[town, other],
        # Due the day the quarter ends: last quarter's reports are late whatever today is.
        deadline_days=0,
        valid_from=dt.date(2019, 1, 1),
    )
    f.make_user("bcv", unit=district, role="reporter")
    f.make_user("quanly", unit=district, role="manager")
    return containing(timezone.localdate(), PeriodType.QUARTERLY).previous()


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Việc của tôi", level=1)).to_be_visible()


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_the_reporter_lands_on_the_desk_and_opens_the_first_report(page, shot, quarter, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    page.goto("/dang-nhap/")
    shot("log-in", guide="01-dang-nhap" if width > 600 else "")
    log_in(page, "bcv")
    reports = page.get_by_role("region", name=re.compile("Báo cáo cần nhập"))
    expect(reports).to_contain_text("Báo cáo cần nhập (2)")
    expect(reports).to_contain_text(quarter.label())
    first = reports.get_by_role("link", name="Nhập số liệu: Thị trấn Vĩnh Thuận")
    expect(first).to_be_visible()
    width_seen = page.evaluate("document.documentElement.scrollWidth")
    assert width_seen <= width, f"the desk scrolls sideways: {width_seen} px"
    shot("desk", guide="02-viec-cua-toi" if width > 600 else "")
    first.click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/QK/C1/{quarter.id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo quý")


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_the_manager_sees_who_is_late(page, shot, quarter, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    log_in(page, "quanly")
    progress = page.get_by_role("region", name="Tiến độ báo cáo các đơn vị")
    expect(progress).to_contain_text("0/2")
    expect(progress).to_contain_text("Thị trấn Vĩnh Thuận, Xã Vĩnh Bình Bắc")
    # On a phone each form is a card: its name across the card, then each value named
    # ("Hạn: ..."), not six columns that squeeze the name a word a line.
    deadline = progress.locator('td[data-label="Hạn"]').first
    expect(deadline).to_have_text(f"{quarter.end:%d/%m/%Y}")
    name = progress.locator("tbody td").first.bounding_box()  # the form's name
    card = progress.locator("tbody tr").first.bounding_box()
    below = deadline.bounding_box()
    assert name and card and below
    if width < 600:
        assert name["width"] > card["width"] * 0.9, (name, card)
        assert below["y"] >= name["y"] + name["height"], (name, below)
        label = deadline.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Hạn: "', label
    else:
        assert below["y"] < name["y"] + name["height"], (name, below)  # one line
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot("manager")
