"""A reporter types a figure far from the unit's history and types on; the grid warns
beside the cell, and asks about it once, at sending.

GIVEN a cell that reported 200 attendances in each of its six approved half-years
WHEN its reporter types 20.673 and goes straight on to type the next cell
THEN a warning stands beside the first cell in words ("Gấp 103 lần kỳ trước (200)"),
announced politely, and nothing takes the focus: every key lands in the next cell.
Sending asks once, listing the value not explained; back in the cell, Alt+G opens the
explanation, stored with the value; the report is then sent without a question, and
the read-only grid says the outlier was explained. A usual figure raises nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_data_entry import confirm_sending
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, OutlierComment, Submission
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY)


@pytest.fixture
def history(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    make = services.create_indicator
    held = make(acting_user=SYSTEM, code="lop_da_mo", name="Số lớp đã mở")
    people = make(acting_user=SYSTEM, code="luot_nguoi", name="Lượt người tham gia")
    form = services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[people, held],  # Enter leaves the first for the second
        units=[cell],
        valid_from=dt.date(2015, 1, 1),
    )
    period = PERIOD
    for _n in range(6):
        period = period.previous()
        DataValue.objects.create(
            indicator=people, unit=cell, period=period.id, value_number=Decimal(200)
        )
        Submission.objects.create(form=form, unit=cell, period=period.id, status="approved")
    f.make_user("bcv", unit=cell, role="reporter")
    return form


def test_it_warns_beside_the_cell_as_the_reporter_types_on_and_asks_at_sending(
    page: Page, shot, history
):
    page.goto("/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill("bcv")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.goto(f"/bao-cao/HK/C1/{PERIOD.id}/")
    people = page.get_by_role("textbox", name="Lượt người tham gia", exact=True)
    held = page.get_by_role("textbox", name="Số lớp đã mở", exact=True)
    warning = page.locator("td", has=people).locator(".cell-outlier")
    explanation = page.locator("#outlier-dialog")
    confirm = page.locator("#send-confirm")

    people.focus()
    page.keyboard.type("210")
    page.keyboard.press("Tab")  # a usual figure: no warning, no question
    expect(page.locator("td", has=people).locator(".cell-state")).to_have_text("Đã lưu")
    expect(warning).to_have_count(0)
    people.focus()

    page.keyboard.press("Control+A")
    page.keyboard.type("20.673")
    expect(warning).to_contain_text("Gấp 103 lần kỳ trước (200)")  # before leaving the cell
    expect(warning).to_have_attribute("aria-live", "polite")
    # Straight on into the next cell, as fast as the keyboard goes: nothing interrupts.
    page.keyboard.press("Enter")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    expect(held).to_have_value("12")
    expect(explanation).to_be_hidden()
    expect(page.locator("td", has=held).locator(".cell-state")).to_have_text("Đã lưu")
    expect(warning).to_contain_text("Gấp 103 lần kỳ trước (200)")
    expect(warning.get_by_role("button")).to_have_text("Giải trình")
    shot("warned")

    # Sending asks once, naming the value not explained; going back returns to it.
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(
        "“Lượt người tham gia” = 20.673: Gấp 103 lần kỳ trước (200), chưa giải trình."
    )
    shot("asked")
    confirm.get_by_role("button", name="Quay lại sửa").click()
    expect(people).to_be_focused()
    expect(page.locator("#status")).not_to_have_text("Đã gửi")

    # The explanation, from the cell (Alt+G), as the dialog asked it before.
    page.keyboard.press("Alt+g")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Gấp 103 lần kỳ trước (200)")
    expect(page.get_by_label("Vì sao số liệu này đúng?")).to_be_focused()
    page.keyboard.type("Năm nay sáp nhập thêm hai xã")
    page.keyboard.press("Control+Enter")
    expect(explanation).to_be_hidden()
    expect(people).to_be_focused()
    expect(warning.get_by_role("button")).to_have_text("Đã giải trình")
    shot("explained")

    comment = OutlierComment.objects.get()
    assert (comment.value, comment.text) == (20673, "Năm nay sáp nhập thêm hai xã")
    assert DataValue.objects.get(period=PERIOD.id, indicator__code="luot_nguoi").value_number == (
        20673
    )

    # Explained: sent without a question; read-only, the grid still says it was explained.
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    expect(people).to_have_attribute("readonly", "")
    expect(warning).to_contain_text("Gấp 103 lần kỳ trước (200) · Đã giải trình")
