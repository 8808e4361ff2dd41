"""A compulsory cell, the approval screen, a return with a marked cell, the fix, approval.

GIVEN form HK with "Số lớp đã mở" compulsory, a reporter at a cell and a manager above
WHEN the reporter leaves the compulsory cell empty and tries to submit
THEN the page says what is missing and nothing is sent; once filled, it is sent after
the reporter ticks the confirmation that names the report.
WHEN the manager opens the approval screen
THEN the change list shows what was entered; the manager marks the cell with a note,
ticks the confirmation and returns the report;
THEN the reporter sees the marked cell with the note, fixes it and resubmits, the
manager sees the change old → new and approves it.
"""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_data_entry import (
    PERIOD,
    cell,
    confirm_sending,
    log_in,
    log_out,
    report,
    state,
    type_and,
)
from trienkhai.reporting.models import FormIndicator, Submission

__all__ = ["report"]  # the fixture, shared with the data-entry journey
GRID = f"/bao-cao/HK/C1/{PERIOD}/"


def test_it_refuses_an_empty_compulsory_cell_then_reviews_returns_and_approves(
    page: Page, shot, report
):
    FormIndicator.objects.filter(indicator__code="lop_da_mo").update(is_compulsory=True)

    # The reporter fills every cell but the compulsory one: the page says what is missing.
    log_in(page, "bcv")
    page.goto(GRID)
    expect(cell(page, "Số lớp kế hoạch")).to_be_focused()
    expect(page.locator("td.compulsory", has=cell(page, "Số lớp đã mở"))).to_be_visible()
    expect(cell(page, "Số lớp đã mở")).to_have_attribute("aria-required", "true")
    type_and(page, "3", "Tab")
    expect(state(page, "Số lớp kế hoạch")).to_have_text("Đã lưu")
    cell(page, "Lượt người tham gia").fill("40")
    cell(page, "Lượt người theo đối tượng – Cán bộ").focus()
    expect(state(page, "Lượt người tham gia")).to_have_text("Đã lưu")
    type_and(page, "40", "Tab")
    expect(state(page, "Lượt người theo đối tượng – Cán bộ")).to_have_text("Đã lưu")
    expect(page.locator("#submit-check")).to_contain_text("Số lớp đã mở")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(cell(page, "Số lớp đã mở")).to_be_focused()
    expect(page.locator("#status")).to_have_text("Đang nhập")
    shot("compulsory-missing")

    # Without the script's check the server refuses too, naming the cell; and a post
    # without the confirmation is refused whatever the cells.
    refused = page.request.post(
        f"{GRID}gui/", headers={"X-CSRFToken": _csrf(page)}, form={"xac_nhan": "1"}
    )
    assert refused.status == 400 and "lop_da_mo" in refused.text()
    unconfirmed = page.request.post(f"{GRID}gui/", headers={"X-CSRFToken": _csrf(page)})
    assert unconfirmed.status == 400
    assert "Hãy đánh dấu ô xác nhận trước khi gửi báo cáo" in unconfirmed.text()
    assert Submission.objects.get().status == "draft"

    # Filled, the report is sent once the reporter confirms it: unticked, the click
    # goes to the confirmation, which names the report, and nothing is sent.
    type_and(page, "2", "Tab")
    expect(state(page, "Số lớp đã mở")).to_have_text("Đã lưu")
    expect(page.locator("#submit-check")).to_be_hidden()
    confirmation = page.get_by_label(re.compile("Tôi xác nhận gửi báo cáo"))
    expect(confirmation).to_have_accessible_name(
        re.compile(r"“Báo cáo 6 tháng” của Thị trấn Vĩnh Thuận, kỳ 6 tháng (đầu|cuối) năm \d{4}")
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(confirmation).to_be_focused()
    expect(page.locator("#status")).to_have_text("Đang nhập")
    assert Submission.objects.get().status == "draft"
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    log_out(page)

    # The manager reads the change list, marks the cell and returns the report.
    log_in(page, "quanly")
    page.goto(GRID)
    page.get_by_role("link", name="Xem xét để duyệt hoặc trả lại").click()
    changes = page.locator("#review-changes")
    expect(changes).to_contain_text("Lần gửi đầu")
    expect(changes.locator("tr", has_text="Số lớp đã mở")).to_contain_text("bcv")
    expect(page.locator("#review-outliers")).to_be_visible()
    page.get_by_label("Cần sửa: Số lớp đã mở").check()
    page.get_by_label("Ghi chú cho ô Số lớp đã mở").fill("Lệch với sổ theo dõi")
    page.get_by_label("Lý do").fill("Kiểm tra lại số lớp")
    page.get_by_role("button", name="Trả lại để sửa").click()
    # The confirmation is required: the browser keeps the form until it is ticked.
    expect(page).to_have_url(re.compile(r"/xem-xet/$"))
    page.get_by_label(re.compile("Tôi xác nhận trả lại")).check()
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator("#status")).to_have_text("Trả lại")
    log_out(page)

    # The reporter sees the marked cell with its note, fixes it and resubmits.
    log_in(page, "bcv")
    page.goto(GRID)
    marked = page.locator("td.marked", has=cell(page, "Số lớp đã mở"))
    expect(marked).to_contain_text("Cần sửa: Lệch với sổ theo dõi")
    expect(page.locator("#marks")).to_contain_text("Lệch với sổ theo dõi")
    expect(cell(page, "Số lớp đã mở")).to_be_focused()  # the cell to fix, not the first
    shot("marked")
    cell(page, "Số lớp đã mở").fill("3")
    cell(page, "Số lớp kế hoạch").focus()
    expect(state(page, "Số lớp đã mở")).to_have_text("Đã lưu")
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    expect(page.locator("#marks")).to_have_count(0)
    log_out(page)

    # The manager sees the change 2 → 3 and approves.
    log_in(page, "quanly")
    page.goto(f"{GRID}xem-xet/")
    row = page.locator("#review-changes tr", has_text="Số lớp đã mở")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row.locator("td").nth(2)).to_have_text("3")
    expect(page.locator("#review-marks")).to_contain_text("đã gửi lại")
    shot("review")
    page.get_by_label(re.compile("Tôi đã xem xét và duyệt")).check()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã duyệt")
    assert Submission.objects.get().status == "approved"


def _csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
