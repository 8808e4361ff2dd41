"""A compulsory cell, the approval screen, a return with a marked cell, the fix, approval.

GIVEN form HK with "Số lớp đã mở" compulsory, a reporter at a cell and a manager above
WHEN the reporter leaves the compulsory cell empty and tries to submit
THEN the page says what is missing and nothing is sent; once filled, it is sent after
the reporter ticks the confirmation that names the report.
WHEN the manager opens the approval screen
THEN the change list shows what was entered; the manager marks the cell with a note,
ticks the confirmation and returns the report;
THEN the reporter sees the marked cell with the note, fixes it (the cell then reads
"Đã sửa, chờ gửi lại") and resubmits, the manager sees the change old → new and
approves it.
"""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious
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
from trienkhai.reporting.models import Form, FormIndicator, Submission

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
    # Fixed, not yet sent: the cell and the list of marks say so as soon as it is saved.
    expect(marked.locator(".cell-mark")).to_have_text("Đã sửa, chờ gửi lại: Lệch với sổ theo dõi")
    expect(marked).to_have_class(re.compile(r"\bmark-fixed\b"))
    expect(page.locator("#marks li")).to_contain_text("Đã sửa, chờ gửi lại: Số lớp đã mở")
    shot("fixed")
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


def _groups_short_of_the_total(page: Page) -> None:
    """40 people in all but 30 by group: the rule "Tổng các đối tượng bằng tổng lượt
    người" fails."""
    cell(page, "Lượt người tham gia").fill("40")
    cell(page, "Lượt người theo đối tượng – Cán bộ").focus()
    type_and(page, "30", "Tab")
    expect(state(page, "Lượt người theo đối tượng – Cán bộ")).to_have_text("Đã lưu")
    expect(page.locator("#rules")).to_contain_text("Tổng các đối tượng bằng tổng lượt người")


def test_it_shows_a_failing_rule_beside_the_send_button_and_its_rows_as_values_change(
    page: Page, shot, report
):
    """GIVEN the reporter at the foot of the grid, far below the rules box at its top
    WHEN a saved value makes a rule fail
    THEN the send box and the rows the rule reads say so at once, before any sending;
    fixed, both are cleared."""
    log_in(page, "bcv")
    page.goto(GRID)
    near = page.locator("#submit-rules")
    expect(near).to_be_hidden()
    _groups_short_of_the_total(page)
    expect(near).to_be_visible()
    expect(near).to_contain_text("Tổng các đối tượng bằng tổng lượt người (30 so với 40)")
    expect(near).to_contain_text("hệ thống chưa nhận báo cáo cho đến khi sửa xong")
    row = page.locator("tr[data-indicator=luot_nguoi] th .row-rule")
    expect(row).to_contain_text("Quy tắc kiểm tra chưa đạt: Tổng các đối tượng")
    expect(page.locator("#send-confirm")).to_be_hidden()  # nothing was pressed
    near.scroll_into_view_if_needed()
    shot("rule-live")
    cell(page, "Lượt người theo đối tượng – Nhân dân").fill("10")
    cell(page, "Số lớp kế hoạch").focus()
    expect(near).to_be_hidden()
    expect(row).to_have_count(0)
    assert serious(page) == []


def test_it_says_before_sending_that_a_failing_rule_refuses_it(page: Page, shot, report):
    """GIVEN form HK, which refuses a report while a rule fails (complete_only_if_valid)
    WHEN the reporter sends with the groups short of the total
    THEN the dialog says the report cannot be sent and why, and offers no "Vẫn gửi"
    (the server would answer 400); fixed, the unticked confirmation is asked in the
    page's words beside the box, not by the browser's bubble."""
    log_in(page, "bcv")
    page.goto(GRID)
    _groups_short_of_the_total(page)
    send = page.get_by_role("button", name="Gửi báo cáo")
    send.click()
    dialog = page.locator("#send-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#send-refused-rules")).to_be_visible()
    expect(dialog).to_contain_text("hệ thống sẽ không nhận báo cáo")
    expect(dialog).to_contain_text("Tổng các đối tượng bằng tổng lượt người (30 so với 40)")
    expect(dialog.get_by_text("Vẫn gửi?")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Vẫn gửi")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Quay lại sửa")).to_be_focused()
    assert serious(page) == []
    shot("rule-refuses")
    dialog.get_by_role("button", name="Quay lại sửa").click()
    expect(dialog).to_be_hidden()
    expect(cell(page, "Lượt người tham gia")).to_be_focused()  # the first cell it reads
    send.click()
    dialog.get_by_role("button", name="Đóng").click()
    expect(send).to_be_focused()
    assert Submission.objects.get().status == "draft"

    # Fixed: the confirmation not ticked is asked beside the box, in Vietnamese.
    cell(page, "Lượt người theo đối tượng – Nhân dân").fill("10")
    cell(page, "Số lớp kế hoạch").focus()
    expect(page.locator("#rules")).to_be_hidden()
    confirmation = page.get_by_label(re.compile("Tôi xác nhận gửi báo cáo"))
    error = page.locator("#confirm-send-error")
    expect(error).to_be_hidden()
    send.click()
    expect(dialog).to_be_hidden()
    expect(error).to_have_text("Hãy đánh dấu ô xác nhận trước khi gửi báo cáo.")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(confirmation).to_have_accessible_description(
        "Hãy đánh dấu ô xác nhận trước khi gửi báo cáo."
    )
    assert serious(page) == []
    assert Submission.objects.get().status == "draft"
    confirm_sending(page)
    expect(error).to_be_hidden()
    send.click()
    expect(page.locator("#status")).to_have_text("Đã gửi")


def test_it_asks_to_explain_rules_that_only_warn_then_lists_them(page: Page, report):
    """GIVEN form HK set to take a report with failing rules once they are explained
    WHEN the reporter sends with a failing rule and no explanation
    THEN the dialog asks for the explanation (no "Vẫn gửi": the server would refuse);
    explained, the rule is listed with the other points and "Vẫn gửi" sends it."""
    Form.objects.filter(code="HK").update(complete_only_if_valid=False)
    log_in(page, "bcv")
    page.goto(GRID)
    _groups_short_of_the_total(page)
    confirm_sending(page)
    send = page.get_by_role("button", name="Gửi báo cáo")
    send.click()
    dialog = page.locator("#send-confirm")
    expect(dialog.locator("#send-refused-explain")).to_be_visible()
    expect(dialog.get_by_role("button", name="Vẫn gửi")).to_be_hidden()
    dialog.get_by_role("button", name="Quay lại sửa").click()
    explanation = page.get_by_label(re.compile("Giải trình các quy tắc"))
    expect(explanation).to_be_focused()
    page.keyboard.type("Một người thuộc hai đối tượng")
    send.click()
    expect(dialog).to_contain_text(
        "Quy tắc kiểm tra chưa đạt: Tổng các đối tượng bằng tổng lượt người (30 so với 40)"
    )
    expect(dialog.get_by_text("Vẫn gửi?")).to_be_visible()
    expect(dialog.locator("#send-refused-explain")).to_be_hidden()
    assert Submission.objects.get().status == "draft"
    dialog.get_by_role("button", name="Vẫn gửi").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    sent = Submission.objects.get()
    assert sent.status == "submitted" and sent.submit_comment == "Một người thuộc hai đối tượng"
