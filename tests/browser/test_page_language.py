"""What the browser would say in its own language, said in the page's.

GIVEN a browser whose own language is English (Playwright's Chromium)
WHEN a person leaves the log-in form empty, or opens a page with a file to upload, in
Vietnamese and then in English
THEN the missing-field message and the file picker's button and "no file" text are in
the page's language, the picker still opens from the keyboard, and the chosen file's
name shows beside it.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.periods import PeriodType, containing

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY).id


@pytest.fixture
def upload_url(transactional_db):
    f.ensure_standard_data()
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    lessons = services.create_indicator(acting_user=SYSTEM, code="lop", name="Số lớp đã mở")
    services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=district,
        period_type="sixmonthly",
        indicators=[lessons],
        units=[cell],
        valid_from=dt.date(2019, 1, 1),
    )
    f.make_user("bcv", unit=cell, role="reporter")
    return f"/bao-cao/HK/C1/{PERIOD}/excel/tai-len/"


def message(page: Page, label: str) -> str:
    return page.get_by_label(label).evaluate("e => e.validationMessage")


def test_it_asks_for_a_missing_field_in_the_pages_language(page: Page, transactional_db):
    page.goto("/dang-nhap/")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    assert message(page, "Tên đăng nhập") == "Hãy điền vào ô này."
    page.get_by_label("Tên đăng nhập").fill("bcv")
    assert message(page, "Tên đăng nhập") == ""
    assert message(page, "Mật khẩu") in ("", "Hãy điền vào ô này.")

    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Log in").click()
    assert message(page, "Username") == "Please fill in this field."


def test_the_file_picker_speaks_the_pages_language(page: Page, upload_url, tmp_path):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bcv")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(upload_url)

    picker = page.locator("main .file-picker")
    expect(picker.get_by_text("Chọn tệp…")).to_be_visible()
    expect(picker.get_by_text("Chưa chọn tệp nào")).to_be_visible()
    # The keyboard reaches the native input, which opens the system's chooser.
    file = tmp_path / "bieu-bao-cao.xlsx"
    file.write_bytes(b"not really a workbook")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Tệp").focus()
        page.keyboard.press("Space")
    chooser.value.set_files(str(file))
    expect(picker.get_by_text("bieu-bao-cao.xlsx")).to_be_visible()
    # The server still judges the file: a clear error, nothing saved.
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("main [role=alert], main .errors").first).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("main .file-picker").get_by_text("Choose a file…")).to_be_visible()
    expect(page.locator("main .file-picker").get_by_text("No file chosen")).to_be_visible()
