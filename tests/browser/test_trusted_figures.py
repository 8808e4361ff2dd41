"""Issue 12's "Done when": an outlier from entry to approval, and the district total.

GIVEN form HK reported by two cells of Huyện Vĩnh Thuận: C1, whose "Lượt người tham
gia" was 200 in each of its six approved half-years, and C2, whose report for this
half-year (150 attendances) is already approved; a reporter at C1, a manager at the
district
WHEN the reporter types 20.673, is warned as they type ("Gấp 103 lần kỳ trước (200)"),
explains it and submits; the manager opens the approval screen, reads the change list
(old → new) and the outlier with its explanation, and returns the report with
"Số lớp đã mở" marked to fix; the reporter fixes the marked cell and submits again; the
manager approves
THEN the district total of ``/api/v1/analytics`` with ``status=approved`` stays 150
until the approval and is 20.823 after it, while ``status=submitted`` follows each
submission and return.

The reporter's grid is driven once at desktop width and once at 390 px (a phone).
Screenshots go to the test's tmp dir.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import GUIDE_SHOTS
from tests.browser.test_data_entry import cell, confirm_sending, log_in, log_out, state, type_and
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, OutlierComment, Submission
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY)
GRID = f"/bao-cao/HK/C1/{PERIOD.id}/"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    c2 = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=district)
    make = services.create_indicator
    people = make(acting_user=f.SYSTEM, code="luot_nguoi", name="Lượt người tham gia")
    held = make(acting_user=f.SYSTEM, code="lop_da_mo", name="Số lớp đã mở")
    form = services.create_form(
        acting_user=f.SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[people, held],  # Enter leaves the first for the second
        units=[c1, c2],
        valid_from=dt.date(2015, 1, 1),
    )
    # C1's history: past half-years, approved (outliers read submitted and approved
    # history; no total here reads these periods).
    period = PERIOD
    for _n in range(6):
        period = period.previous()
        DataValue.objects.create(
            indicator=people, unit=c1, period=period.id, value_number=Decimal(200)
        )
        Submission.objects.create(form=form, unit=c1, period=period.id, status="approved")
    # C2's report of this half-year, through the services: approved, so counted.
    services.save_values(
        acting_user=f.SYSTEM,
        form=form,
        unit=c2,
        period_id=PERIOD.id,
        cells=[services.CellInput("luot_nguoi", "150"), services.CellInput("lop_da_mo", "1")],
    )
    submitted = services.submit(acting_user=f.SYSTEM, form=form, unit=c2, period_id=PERIOD.id)
    services.approve(acting_user=f.SYSTEM, submission=submitted)
    f.make_user("bcv", unit=c1, role="reporter")
    f.make_user("quanly", unit=district, role="manager")
    return form


class Totals:
    """The district total of "Lượt người tham gia" as an API client reads it: the
    manager's token, sent from the browser context whoever is logged in there."""

    def __init__(self, page: Page):
        self.page = page
        answer = page.request.post(
            "/api/v1/auth/token", data={"username": "quanly", "password": f.PASSWORD}
        )
        assert answer.ok, answer.text()
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def __call__(self, status: str) -> Decimal | None:
        answer = self.page.request.get(
            "/api/v1/analytics",
            params={"indicator": "luot_nguoi", "unit": "D1", "period": PERIOD.id, "status": status},
            headers=self.headers,
        )
        assert answer.status == 200, answer.text()
        rows = answer.json()["rows"]
        assert len(rows) <= 1, rows
        return Decimal(str(rows[0]["value"])) if rows and rows[0]["value"] is not None else None

    def read(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return self("approved"), self("submitted"), self("all")


@pytest.mark.parametrize("reporter_width", [1280, 390], ids=["desktop", "phone"])
def test_an_outlier_goes_from_entry_to_approval_and_counts_only_then(
    page: Page, district, tmp_path: Path, reporter_width: int
):
    shots = iter(range(1, 100))

    def shot(name: str, guide: str = "") -> None:
        page.screenshot(path=str(tmp_path / f"{next(shots):02d}-{name}.png"), full_page=True)
        if guide and GUIDE_SHOTS:  # make guide: the user guide's pictures
            page.screenshot(path=str(Path(GUIDE_SHOTS) / f"{guide}.png"))

    totals = Totals(page)
    assert totals.read() == (150, 150, 150)

    # The reporter types the outlier and is warned before leaving the cell.
    page.set_viewport_size({"width": reporter_width, "height": 900})
    log_in(page, "bcv")
    page.goto(GRID)
    people = cell(page, "Lượt người tham gia")
    warning = page.locator("td", has=people).locator(".cell-outlier")
    expect(people).to_be_focused()
    page.keyboard.type("20.673")
    expect(warning).to_contain_text(re.compile(r"Gấp 103 lần kỳ trước \(200\)"))
    shot("warned", guide="03-canh-bao-khi-nhap" if reporter_width == 1280 else "")

    # Leaving it asks nothing: the warning stays beside it and the typing goes on.
    page.keyboard.press("Enter")
    dialog = page.locator("#outlier-dialog")
    expect(cell(page, "Số lớp đã mở")).to_be_focused()
    type_and(page, "2", "Tab")
    expect(state(page, "Số lớp đã mở")).to_have_text("Đã lưu")
    expect(dialog).to_be_hidden()
    # Its button asks why; the explanation is kept with the value.
    warning.get_by_role("button", name="Giải trình").click()
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Vì sao số liệu này đúng?")).to_be_focused()
    page.keyboard.type("Năm nay sáp nhập thêm hai xã, học tập chung tại huyện")
    shot("explaining", guide="04-giai-trinh" if reporter_width == 1280 else "")
    page.keyboard.press("Control+Enter")
    expect(dialog).to_be_hidden()
    expect(people).to_be_focused()
    expect(warning.get_by_role("button")).to_have_text("Đã giải trình")
    expect(state(page, "Lượt người tham gia")).to_contain_text(re.compile("Gấp 103 lần|Đã lưu"))
    # Saved as a draft: counted with "all" only.
    assert totals.read() == (150, 150, 20823)

    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    shot("submitted", guide="05-da-gui" if reporter_width == 1280 else "")
    assert totals.read() == (150, 20823, 20823)
    page.set_viewport_size(DESKTOP)
    log_out(page)

    # The manager reads the change list and the outlier, then returns with a marked cell.
    log_in(page, "quanly")
    page.goto(f"{GRID}xem-xet/")
    changes = page.locator("#review-changes")
    expect(changes).to_contain_text("Lần gửi đầu")
    row = changes.locator("tr", has_text="Lượt người tham gia")
    expect(row.locator("td").nth(1)).to_have_text("—")
    expect(row.locator("td").nth(2)).to_have_text("20.673")
    expect(row).to_contain_text("bcv")
    outlier = page.locator("#review-outliers tr", has_text="Lượt người tham gia")
    expect(outlier).to_contain_text("20.673")
    expect(outlier).to_contain_text("Năm nay sáp nhập thêm hai xã")
    shot("review-first", guide="06-xem-xet" if reporter_width == 1280 else "")
    page.get_by_label("Cần sửa: Số lớp đã mở").check()
    page.get_by_label("Ghi chú cho ô Số lớp đã mở").fill("Biên bản ghi 3 lớp")
    page.get_by_label("Lý do").fill("Kiểm tra lại số lớp đã mở")
    page.get_by_label(re.compile("Tôi xác nhận trả lại")).check()
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator("#status")).to_have_text("Trả lại")
    # Returned: its figures are drafts again.
    assert totals.read() == (150, 150, 20823)
    log_out(page)

    # The reporter sees the marked cell, fixes it and submits again.
    page.set_viewport_size({"width": reporter_width, "height": 900})
    log_in(page, "bcv")
    page.goto(GRID)
    marked = page.locator("td.marked", has=cell(page, "Số lớp đã mở"))
    expect(marked).to_contain_text("Cần sửa: Biên bản ghi 3 lớp")
    shot("marked", guide="07-tra-lai-danh-dau" if reporter_width == 1280 else "")
    cell(page, "Số lớp đã mở").fill("3")
    cell(page, "Lượt người tham gia").focus()
    expect(state(page, "Số lớp đã mở")).to_have_text("Đã lưu")
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    expect(page.locator("#marks")).to_have_count(0)
    assert totals.read() == (150, 20823, 20823)
    page.set_viewport_size(DESKTOP)
    log_out(page)

    # The manager sees the change 2 → 3 since the return, and approves.
    log_in(page, "quanly")
    page.goto(f"{GRID}xem-xet/")
    row = page.locator("#review-changes tr", has_text="Số lớp đã mở")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row.locator("td").nth(2)).to_have_text("3")
    expect(page.locator("#review-changes")).not_to_contain_text("Lượt người tham gia")
    expect(page.locator("#review-outliers")).to_contain_text("Năm nay sáp nhập thêm hai xã")
    expect(page.locator("#review-marks")).to_contain_text("đã gửi lại")
    shot("review-again")
    assert totals.read() == (150, 20823, 20823)
    page.get_by_label(re.compile("Tôi đã xem xét và duyệt")).check()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã duyệt")
    shot("approved")

    # Only now does the approved total count the new figure.
    assert totals.read() == (20823, 20823, 20823)
    assert Submission.objects.get(unit__code="C1", period=PERIOD.id).status == "approved"
    comment = OutlierComment.objects.get()
    assert comment.value == 20673 and comment.text.startswith("Năm nay sáp nhập")
