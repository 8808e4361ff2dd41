"""A reporter types a figure far from the unit's history, is warned at once, and explains it.

GIVEN a cell that reported 200 attendances in each of its six approved half-years
WHEN its reporter types 20.673 THEN the grid warns before the cell is left ("Gấp 103
lần kỳ trước (200)"), and leaving it asks why; the explanation is stored with the value,
and the cell says it is explained. A usual figure raises nothing.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
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


def test_it_warns_as_the_reporter_types_and_keeps_the_explanation(page: Page, shot, history):
    page.goto("/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill("bcv")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.goto(f"/bao-cao/HK/C1/{PERIOD.id}/")
    people = page.get_by_role("textbox", name="Lượt người tham gia", exact=True)
    warning = page.locator("td", has=people).locator(".cell-outlier")

    people.focus()
    page.keyboard.type("210")
    page.keyboard.press("Tab")  # leaving the cell judges it at once: no warning, no question
    expect(page.locator("td", has=people).locator(".cell-state")).to_have_text("Đã lưu")
    expect(warning).to_have_count(0)
    expect(page.locator("#outlier-dialog")).to_be_hidden()
    people.focus()

    page.keyboard.press("Control+A")
    page.keyboard.type("20.673")
    expect(warning).to_contain_text("Gấp 103 lần kỳ trước (200)")  # before leaving the cell
    shot("warned")

    page.keyboard.press("Enter")
    dialog = page.locator("#outlier-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Gấp 103 lần kỳ trước (200)")
    expect(page.get_by_label("Vì sao số liệu này đúng?")).to_be_focused()
    page.keyboard.type("Năm nay sáp nhập thêm hai xã")
    page.keyboard.press("Control+Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("textbox", name="Số lớp đã mở", exact=True)).to_be_focused()
    expect(warning.get_by_role("button")).to_have_text("Đã giải trình")
    expect(page.locator("td", has=people).locator(".cell-state")).to_contain_text(
        re.compile("Gấp 103 lần|Đã lưu")
    )
    shot("explained")

    comment = OutlierComment.objects.get()
    assert (comment.value, comment.text) == (20673, "Năm nay sáp nhập thêm hai xã")
    assert DataValue.objects.get(period=PERIOD.id).value_number == 20673

    # Submitted, the grid is read-only and still says the outlier was explained.
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    expect(people).to_have_attribute("readonly", "")
    expect(warning).to_contain_text("Gấp 103 lần kỳ trước (200) · Đã giải trình")
