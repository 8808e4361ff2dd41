"""A manager reads the data-quality page, resolves an outlier, and reads it on a phone.

GIVEN a commune that reported 200 attendances in each of six approved half-years, then
20.673 in a submitted report, and a district manager above it
WHEN the manager opens "Chất lượng số liệu" from the reports page, at desktop width
THEN the outlier shows with the commune's and indicator's names, 20.673 and its usual
range; the manager writes a note and marks it resolved; it leaves the open list, stays
resolved after a reload, and shows under "Đã xử lý".
WHEN the same page is opened 390 px wide THEN the page itself does not scroll sideways
(its tables scroll in their own box).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, QualityNote, Submission

pytestmark = pytest.mark.browser

HISTORY = ["2019S1", "2019S2", "2020S1", "2020S2", "2021S1", "2021S2"]
NOW = "2022S1"


@pytest.fixture
def wild(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    people = services.create_indicator(
        acting_user=f.SYSTEM, code="luot_nguoi", name="Lượt người tham gia"
    )
    form = services.create_form(
        acting_user=f.SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[people],
        units=[cell],
        valid_from=dt.date(2015, 1, 1),
    )
    for period, value, status in [
        *((p, 200, "approved") for p in HISTORY),
        (NOW, 20673, "submitted"),
    ]:
        DataValue.objects.create(
            indicator=people, unit=cell, period=period, value_number=Decimal(value)
        )
        Submission.objects.create(form=form, unit=cell, period=period, status=status)
    f.make_user("quanly", unit=district, role="manager")
    return form


def _log_in(page: Page) -> None:
    page.goto("/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill("quanly")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Báo cáo định kỳ")).to_be_visible()


def _page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_it_lists_an_outlier_and_resolves_it_at_desktop_and_phone_width(page: Page, shot, wild):
    _log_in(page)
    page.get_by_role("link", name="Chất lượng số liệu").click()
    expect(page.get_by_role("heading", name="Chất lượng số liệu", exact=True)).to_be_visible()
    page.get_by_label("Từ kỳ").select_option("2021S1")
    page.get_by_label("Đến kỳ").select_option(NOW)
    page.get_by_role("button", name="Xem").click()
    outliers = page.locator("#outliers")
    row = outliers.locator("tr", has_text="Thị trấn Vĩnh Thuận")
    expect(row).to_contain_text("Lượt người tham gia")
    expect(row).to_contain_text("20.673")
    expect(row).to_contain_text("165–235")
    expect(page.locator('[data-count="outliers"] .tag')).to_have_text("1")
    assert not _page_scrolls_sideways(page)
    shot("desktop")

    row.get_by_text("Ghi chú, xử lý").click()
    row.get_by_label("Ghi chú").fill("Có hội nghị toàn huyện, đã kiểm tra")
    row.get_by_role("button", name="Đã xử lý").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đánh dấu là đã xử lý.")
    expect(page.locator('[data-count="outliers"] .tag')).to_have_text("0")
    page.reload()
    expect(page.locator('[data-count="outliers"] .tag')).to_have_text("0")
    note = QualityNote.objects.get()
    assert note.resolved is not None and note.note == "Có hội nghị toàn huyện, đã kiểm tra"

    page.get_by_label("Hiển thị").select_option("resolved")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"trang_thai=resolved"))
    resolved = page.locator("#outliers tr", has_text="Thị trấn Vĩnh Thuận")
    expect(resolved).to_contain_text("Đã xử lý")
    expect(resolved).to_contain_text("Có hội nghị toàn huyện, đã kiểm tra")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(resolved).to_contain_text("20.673")
    assert not _page_scrolls_sideways(page)
    shot("phone")
