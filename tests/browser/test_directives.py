"""A directive goes down to 42 cells; three answer; the issuer sees the 39 missing.

GIVEN a district Party committee (Huyện ủy) with 42 cells, a manager at the committee
and a manager at three of the cells
WHEN the committee's manager drafts a công văn, issues it (number 01-CV/HU), assigns it
to every cell with a due date, and three cells each register and issue their plan as
the answer from their "assigned to us" page
THEN the directive's page says "3/42 đã triển khai" and lists the 39 cells missing,
in the missing list and in the reminder list, and the register book has the công văn.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from trienkhai.orgs.models import Unit

pytestmark = pytest.mark.browser

CELLS = [f"CB{n:02d}" for n in range(1, 43)]
ANSWERING = ["CB05", "CB17", "CB42"]


@pytest.fixture
def district(transactional_db):
    from trienkhai.documents.types import ensure_standard_types

    f.ensure_standard_data()
    ensure_standard_types()
    since = dt.date(2010, 1, 1)
    hu = f.make_unit(
        "HU",
        name="Huyện ủy Vĩnh Thuận",
        kind_code="party_committee",
        valid_from=since,
        abbreviation="HU",
    )
    for code in CELLS:
        f.make_unit(
            code,
            name=f"Chi bộ số {code[2:]}",
            kind_code="party_cell",
            parent=hu,
            valid_from=since,
            abbreviation="CB",
        )
    f.make_user("quanly", unit=hu, role="manager")
    for code in ANSWERING:
        f.make_user(f"ql.{code.lower()}", unit=Unit.objects.get(code=code), role="manager")
    return hu


def log_in(page: Page, username: str) -> None:
    page.goto("/van-ban/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Sổ văn bản"))).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def test_a_directive_to_42_cells_answered_by_three_lists_39_missing(district, page, shot):
    log_in(page, "quanly")
    page.get_by_role("link", name="Dự thảo văn bản đi").click()
    page.get_by_label("Loại văn bản").fill("CV")
    page.get_by_label("Ngày văn bản").fill("02/06/2020")
    page.get_by_label("Trích yếu").fill("Về đẩy mạnh việc thực hiện chuyên đề năm 2020")
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_label("Thẩm quyền ký").select_option("tm")
    page.get_by_label("Nơi nhận").fill("Các chi, đảng bộ trực thuộc\nLưu Văn phòng Huyện ủy")
    page.get_by_role("button", name="Vào sổ").click()
    page.get_by_role("button", name="Ban hành (cấp số)").click()
    page.get_by_role("button", name="Cấp số 01-CV/HU").click()
    expect(page.get_by_text("Đã ban hành: số 01-CV/HU.")).to_be_visible()
    expect(page.get_by_role("heading", name="01-CV/HU")).to_be_visible()

    page.get_by_role("link", name="Giao nhiệm vụ cho đơn vị").click()
    page.get_by_label("Mọi đơn vị thuộc một loại").check()
    page.get_by_label("Loại đơn vị").select_option("party_cell")
    page.get_by_label("Hạn trả lời").fill("30/06/2020")
    page.get_by_label("Nhiệm vụ").fill("Xây dựng kế hoạch thực hiện, gửi Huyện ủy")
    page.get_by_label("Nhiệm vụ").press("Tab")
    page.keyboard.press("Enter")  # the submit button, reached with the keyboard
    expect(page.get_by_text("Đã giao cho 42 đơn vị.")).to_be_visible()
    expect(page.locator("#headline")).to_contain_text("0/42 đã triển khai, 0 đúng hạn")
    log_out(page)

    for n, code in enumerate(ANSWERING):
        log_in(page, f"ql.{code.lower()}")
        page.goto(f"/van-ban/don-vi/{code}/duoc-giao/")
        row = page.locator("#tasks tbody tr").filter(has_text="01-CV/HU")
        expect(row).to_contain_text("Chưa trả lời")
        row.get_by_role("link", name=re.compile("^Trả lời")).click()
        # The third cell answers after the due date.
        page.get_by_label("Ngày văn bản").fill("05/07/2020" if n == 2 else f"1{n}/06/2020")
        page.get_by_label("Trích yếu").fill(f"Kế hoạch thực hiện Công văn 01-CV/HU ({code})")
        page.get_by_label("Người ký").fill("Trần Thị B")
        page.get_by_role("button", name="Ban hành và trả lời").click()
        expect(page.get_by_text("Đã trả lời bằng văn bản 01-KH/CB.")).to_be_visible()
        expect(page.locator("#tasks tbody tr").filter(has_text="01-CV/HU")).to_contain_text(
            "Đã trả lời"
        )
        log_out(page)

    log_in(page, "quanly")
    page.goto("/van-ban/?don-vi=HU")
    page.get_by_role("link", name="01-CV/HU").click()
    page.get_by_role("link", name=re.compile("Xem tiến độ")).click()
    expect(page.locator("#headline")).to_contain_text("3/42 đã triển khai, 2 đúng hạn")
    missing = page.locator("#missing li")
    expect(missing).to_have_count(39)
    expect(page.locator("#missing-title")).to_have_text("Chưa trả lời (39)")
    for code in ANSWERING:
        expect(page.locator("#missing")).not_to_contain_text(f"Chi bộ số {code[2:]}")
    expect(page.locator("#missing")).to_contain_text("Chi bộ số 01")
    expect(page.locator("#remind tbody tr")).to_have_count(39)
    expect(page.locator("#late")).to_contain_text("Chi bộ số 42")
    expect(page.locator("#tree li.missing, #tree .missing")).to_have_count(39)
    shot("directive", guide="13-trien-khai-chi-dao")

    page.goto("/van-ban/so/HU/di/2020/")
    expect(page.locator("#book")).to_contain_text("01-CV/HU")
    expect(page.locator("#book")).to_contain_text("Nguyễn Văn A")
