"""A cell's reporter fills the half-year report with the keyboard only, and it goes up and back.

GIVEN form HK (half-yearly) reported by two cells of Huyện Vĩnh Thuận, a reporter at
one cell and a manager at the district
WHEN the reporter types the figures (Tab, Enter, arrows), submits, the manager returns
it with a comment, the reporter corrects and resubmits, and the manager approves
THEN completeness counts it submitted on time and the grid no longer takes edits.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation, ValidationRule
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY).id


@pytest.fixture
def report(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    other = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=district)
    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng")
    for order, (code, name) in enumerate(
        [("can_bo", "Cán bộ"), ("dang_vien", "Đảng viên"), ("nhan_dan", "Nhân dân")]
    ):
        groups.options.create(code=code, name=name, sort_order=order)
    make = services.create_indicator
    indicators = [
        make(acting_user=SYSTEM, code="lop_ke_hoach", name="Số lớp kế hoạch"),
        make(acting_user=SYSTEM, code="lop_da_mo", name="Số lớp đã mở", max_value=50),
        make(acting_user=SYSTEM, code="luot_nguoi", name="Lượt người tham gia"),
        make(
            acting_user=SYSTEM,
            code="luot_nguoi_doi_tuong",
            name="Lượt người theo đối tượng",
            disaggregation=groups,
        ),
        make(
            acting_user=SYSTEM,
            code="binh_quan_lop",
            name="Bình quân mỗi lớp",
            value_type="decimal",
            formula="luot_nguoi / lop_da_mo",
        ),
    ]
    form = services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[],
        sections=[
            ("I. Lớp học", indicators[:2]),
            ("II. Người tham gia", indicators[2:]),
        ],
        units=[cell, other],
        valid_from=dt.date(2019, 1, 1),
    )
    ValidationRule.objects.create(
        form=form,
        left="luot_nguoi_doi_tuong",
        operator="==",
        right="luot_nguoi",
        message="Tổng các đối tượng bằng tổng lượt người",
    )
    f.make_user("bcv", unit=cell, role="reporter")
    f.make_user("quanly", unit=district, role="manager")
    return form


def log_in(page: Page, username: str) -> None:
    page.goto("/bao-cao/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Báo cáo định kỳ")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def cell(page: Page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def state(page: Page, label: str):
    return page.locator("td", has=cell(page, label)).locator(".cell-state")


def confirm_sending(page: Page) -> None:
    """Tick the box that confirms sending the report it names (sending locks it)."""
    page.get_by_label(re.compile("Tôi xác nhận gửi báo cáo")).check()


def type_and(page: Page, text: str, key: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press(key)


def test_it_takes_a_report_from_keyboard_entry_to_approval(page: Page, shot, report):
    log_in(page, "bcv")
    page.get_by_role("link", name=re.compile(r"Nhập số liệu Thị trấn Vĩnh Thuận")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo 6 tháng")
    expect(cell(page, "Số lớp kế hoạch")).to_be_focused()
    # The average says what it waits for, and follows what is typed (decision 0050).
    why = page.locator("#derived-why-binh_quan_lop")
    expect(why).to_have_text("cần nhập: Lượt người tham gia, Số lớp đã mở (nhập 0 nếu không có)")

    # Down the first column with Enter; a wrong value shows its error on the cell.
    type_and(page, "3", "Enter")
    type_and(page, "abc", "Enter")
    expect(state(page, "Số lớp đã mở")).to_contain_text("không hợp lệ")
    page.keyboard.press("ArrowUp")
    expect(cell(page, "Số lớp đã mở")).to_be_focused()
    type_and(page, "2", "Enter")
    expect(why).to_have_text("cần nhập: Lượt người tham gia (nhập 0 nếu không có)")
    expect(page.locator('output[data-derived="binh_quan_lop"]')).to_have_text("—")
    type_and(page, "20.673", "Enter")
    expect(cell(page, "Lượt người theo đối tượng – Cán bộ")).to_be_focused()
    expect(state(page, "Lượt người tham gia")).to_have_text("Đã lưu")
    expect(cell(page, "Lượt người tham gia")).to_have_value("20.673")
    expect(page.locator('output[data-derived="binh_quan_lop"]')).to_have_text("10.336,5")
    expect(why).to_be_hidden()

    # Across with Tab: the groups do not add up yet, and the page says so.
    type_and(page, "673", "Tab")
    expect(page.locator("#rules")).to_contain_text("Tổng các đối tượng bằng tổng lượt người")
    type_and(page, "20000", "Tab")
    expect(cell(page, "Lượt người theo đối tượng – Nhân dân")).to_be_focused()
    expect(page.locator("#rules")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(cell(page, "Lượt người theo đối tượng – Đảng viên")).to_be_focused()
    expect(cell(page, "Lượt người theo đối tượng – Đảng viên")).to_have_value("20.000")
    expect(state(page, "Lượt người theo đối tượng – Đảng viên")).to_have_text("Đã lưu")

    # A comment on the cell, with Alt+C; Ctrl+Enter saves it.
    page.keyboard.press("Alt+c")
    expect(page.get_by_label("Ghi chú", exact=True)).to_be_focused()
    page.keyboard.type("Số liệu từ sổ theo dõi")
    page.keyboard.press("Control+Enter")
    expect(cell(page, "Lượt người theo đối tượng – Đảng viên")).to_be_focused()
    expect(state(page, "Lượt người theo đối tượng – Đảng viên")).to_have_text("Đã lưu")
    shot("filled")

    # The history of a cell, with Alt+H.
    cell(page, "Lượt người tham gia").focus()
    page.keyboard.press("Alt+h")
    dialog = page.locator("#history-dialog")
    expect(dialog).to_contain_text("20.673")
    expect(dialog).to_contain_text("bcv")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(cell(page, "Lượt người tham gia")).to_be_focused()

    page.get_by_label(re.compile("Tôi xác nhận gửi báo cáo")).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Đã gửi báo cáo")
    expect(page.locator("#status")).to_have_text("Đã gửi")
    expect(cell(page, "Số lớp đã mở")).to_have_attribute("readonly", "")
    log_out(page)

    # The manager returns it with a comment.
    log_in(page, "quanly")
    page.goto(f"/bao-cao/HK/C1/{PERIOD}/xem-xet/")
    page.get_by_label("Lý do").fill("Số lớp đã mở chưa đúng, kiểm tra lại")
    page.get_by_label(re.compile("Tôi xác nhận trả lại")).check()
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator("#status")).to_have_text("Trả lại")
    log_out(page)

    # The reporter reads why, corrects and resubmits.
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HK/C1/{PERIOD}/")
    expect(page.locator("#return-comment")).to_have_text("Số lớp đã mở chưa đúng, kiểm tra lại")
    shot("returned")
    expect(cell(page, "Số lớp kế hoạch")).to_be_focused()
    page.keyboard.press("ArrowDown")
    type_and(page, "3", "Enter")
    expect(state(page, "Số lớp đã mở")).to_have_text("Đã lưu")
    expect(page.locator('output[data-derived="binh_quan_lop"]')).to_have_text("6.891")
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    log_out(page)

    # The manager approves; completeness counts it; editing is refused.
    log_in(page, "quanly")
    page.goto(f"/bao-cao/HK/C1/{PERIOD}/")
    page.get_by_role("link", name="Xem xét để duyệt hoặc trả lại").click()
    page.get_by_label(re.compile("Tôi đã xem xét và duyệt")).check()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã duyệt")
    expect(page.locator("#read-only")).to_contain_text("đã được duyệt và khóa")
    expect(cell(page, "Số lớp đã mở")).to_have_attribute("readonly", "")
    shot("approved")
    answer = page.request.get(f"/api/v1/completeness?form=HK&period={PERIOD}&unit=D1").json()
    assert answer["expected"] == 2 and answer["submitted"] == 1 and answer["on_time"] == 1
    assert answer["missing"] == ["C2"]
    refused = page.request.post(
        f"/bao-cao/HK/C1/{PERIOD}/luu/",
        data={"cells": [{"indicator": "lop_da_mo", "value": "4"}]},
        headers={"X-CSRFToken": _csrf(page)},
    )
    assert refused.status == 409 and refused.json()["error"]["code"] == "locked"


def test_it_lets_a_manager_enter_many_units_and_paste_a_block(page: Page, shot, report):
    log_in(page, "quanly")
    page.get_by_role("link", name="Nhập cho nhiều đơn vị cùng lúc").first.click()
    first = cell(page, "C1 – Số lớp kế hoạch")
    expect(first).to_be_focused()
    # Two rows × three columns, as copied from Excel.
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        "4\t3\t1.200\n2\t2\t800\n",
    )
    expect(state(page, "C1 – Lượt người tham gia")).to_have_text("Đã lưu")
    expect(state(page, "C2 – Lượt người tham gia")).to_have_text("Đã lưu")
    expect(cell(page, "C1 – Lượt người tham gia")).to_have_value("1.200")
    page.keyboard.press("Enter")
    expect(cell(page, "C2 – Số lớp kế hoạch")).to_be_focused()
    type_and(page, "60", "Tab")
    expect(state(page, "C2 – Số lớp kế hoạch")).to_have_text("Đã lưu")
    shot("many-units")
    values = page.request.get(f"/api/v1/datavalues?form=HK&unit=C2&period={PERIOD}").json()
    assert {v["indicator"]: v["value"] for v in values["values"]} == {
        "lop_ke_hoach": 60,
        "lop_da_mo": 2,
        "luot_nguoi": 800,
    }


def _csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_enter_in_the_last_cell_saves_it(page: Page, report):
    """GIVEN the grid WHEN the reporter types in its last cell and presses Enter, where
    there is no cell below to move to THEN the value is saved: a reload shows it (the
    walk of 07/12/2026 lost it)."""
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HK/C1/{PERIOD}/")
    last = cell(page, "Lượt người theo đối tượng – Nhân dân")
    last.click()
    type_and(page, "7", "Enter")
    expect(last).to_be_focused()
    expect(state(page, "Lượt người theo đối tượng – Nhân dân")).to_have_text("Đã lưu")
    page.reload()
    expect(cell(page, "Lượt người theo đối tượng – Nhân dân")).to_have_value("7")
