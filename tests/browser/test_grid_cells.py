"""The grid's yes/no, counted and marked cells, and its help, as a reporter meets them.

GIVEN form HD (half-yearly) of a cell of Huyện Vĩnh Thuận with a count to type, a yes/no
question, the classes counted from the activity register (two this half-year) and a
second count to type
WHEN the reporter fills it with the keyboard, on a 390 × 844 phone and on a screen
THEN the yes/no is a choice that Enter passes like any cell, the counted cell shows 2
and where it comes from and is passed over. WHEN the report comes back with two cells marked to fix and only one is
changed THEN sending asks first, naming the other, and goes back or sends as chosen.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.activities.conftest import make_event
from tests.browser.conftest import ARTIFACTS, _wait_for_live_server_requests
from tests.browser.test_accessibility import serious
from tests.browser.test_data_entry import confirm_sending
from tests.browser.test_phone import PHONE, SCREEN, fits
from tests.factories import SYSTEM
from trienkhai.accounts.models import User
from trienkhai.activities import figures
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, Indicator, Submission
from trienkhai.reporting.periods import PeriodType, containing
from trienkhai.reporting.services import CellInput, MarkInput

pytestmark = pytest.mark.browser

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY)
ARTICLES = "Số bài viết trên trang thông tin"
PLAN = "Đã ban hành kế hoạch thực hiện"
POSTS = "Số tin đăng trên mạng xã hội"


@pytest.fixture
def report(transactional_db):
    f.ensure_standard_data()
    figures.ensure_indicators()  # the migration made them; the flush of a live server did not
    district = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    cell = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=district)
    make = services.create_indicator
    form = services.create_form(
        acting_user=SYSTEM,
        code="HD",
        name="Báo cáo hoạt động 6 tháng",
        name_en="Half-year activity report",
        owner=district,
        period_type="sixmonthly",
        indicators=[
            make(acting_user=SYSTEM, code="so_bai", name=ARTICLES, name_en="Articles"),
            make(
                acting_user=SYSTEM,
                code="co_ke_hoach",
                name=PLAN,
                name_en="Plan issued",
                value_type="boolean",
                aggregation="none",
            ),
            Indicator.objects.get(code="act_classes"),
            make(acting_user=SYSTEM, code="tin", name=POSTS, name_en="Posts"),
        ],
        units=[cell],
        valid_from=dt.date(2019, 1, 1),
    )
    start = PERIOD.start.isoformat()
    make_event(cell, days=(start,))
    make_event(cell, days=(start,), title="Lớp bồi dưỡng nghiệp vụ")
    make_event(cell, days=(PERIOD.previous().start.isoformat(),))  # another half-year
    f.make_user("bcv", unit=cell, role="reporter")
    f.make_user("quanly", unit=district, role="manager")
    return form


@pytest.fixture(params=[PHONE, SCREEN], ids=["phone-390", "screen-1366"])
def screen(request, browser, live_server):
    size = request.param
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport=size,
        has_touch=size is PHONE,
        is_mobile=size is PHONE,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page, size["width"]
    context.close()
    _wait_for_live_server_requests()


def log_in(page: Page, username: str) -> None:
    page.goto("/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Báo cáo định kỳ")).to_be_visible()


def state(page: Page, role: str, label: str):
    field = page.get_by_role(role, name=label, exact=True)  # type: ignore[arg-type]
    return page.locator("td", has=field).locator(".cell-state")


def test_it_offers_yes_no_as_a_choice_and_shows_the_counted_cell_on_a_phone_and_a_screen(
    screen, report
):
    page, width = screen
    phone = width == PHONE["width"]
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HD/C1/{PERIOD.id}/")
    main = page.locator("main")
    articles = main.get_by_role("textbox", name=ARTICLES, exact=True)
    plan = main.get_by_role("combobox", name=PLAN, exact=True)
    posts = main.get_by_role("textbox", name=POSTS, exact=True)

    # The counted cell: its figure and its source, nothing to type into.
    counted = main.locator("tr[data-indicator=act_classes] td")
    expect(counted).to_contain_text("2")
    expect(counted).to_contain_text("Đếm từ sổ hoạt động")
    expect(counted.locator("input, select")).to_have_count(0)

    # The yes/no: its three choices, moved into and out of with Enter.
    expect(plan.locator("option")).to_have_text(["—", "Có", "Không"])
    expect(plan).to_have_value("")
    expect(articles).to_be_focused()
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(plan).to_be_focused()
    if phone:
        plan.select_option(label="Không")  # the phone's own picker
    else:
        page.keyboard.type("k")  # the first letter picks the answer, as in any list
    expect(plan).to_have_value("không")
    expect(state(page, "combobox", PLAN)).to_have_text("Đã lưu")
    page.keyboard.press("Enter")
    expect(posts).to_be_focused()  # the counted cell is passed over
    page.keyboard.type("12")
    page.keyboard.press("ArrowUp")
    expect(plan).to_be_focused()
    expect(state(page, "textbox", POSTS)).to_have_text("Đã lưu")
    fits(page, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"grid-cells-{width}.png"), full_page=True)
    assert serious(page) == []  # axe-core: the choice and the counted cell read well

    stored = DataValue.objects.filter(unit__code="C1", period=PERIOD.id)
    assert {v.indicator.code: int(v.value_number) for v in stored} == {
        "so_bai": 4,
        "co_ke_hoach": 0,
        "tin": 12,
    }
    # Stored, it comes back chosen.
    page.reload()
    expect(plan).to_have_value("không")
    expect(plan.locator("option:checked")).to_have_text("Không")


@pytest.fixture
def returned(report):
    """The report sent, then returned with two cells marked to fix."""
    cell = report.assignments.first().unit
    services.save_values(
        acting_user=SYSTEM,
        form=report,
        unit=cell,
        period_id=PERIOD.id,
        cells=[
            CellInput(indicator="so_bai", value="4"),
            CellInput(indicator="co_ke_hoach", value="không"),
            CellInput(indicator="tin", value="12"),
        ],
    )
    submission = services.submit(
        acting_user=User.objects.get(username="bcv"), form=report, unit=cell, period_id=PERIOD.id
    )
    services.return_submission(
        acting_user=User.objects.get(username="quanly"),
        submission=submission,
        comment="Kiểm tra lại số bài và kế hoạch",
        cells=[MarkInput("so_bai", "", "Số bài lệch với trang"), MarkInput("co_ke_hoach")],
    )
    return report


def test_it_asks_before_sending_again_with_a_marked_cell_unchanged(page: Page, shot, returned):
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HD/C1/{PERIOD.id}/")
    main = page.locator("main")
    articles = main.get_by_role("textbox", name=ARTICLES, exact=True)
    plan = main.get_by_role("combobox", name=PLAN, exact=True)
    expect(articles).to_be_focused()  # the first cell to fix
    page.keyboard.press("Enter")
    expect(plan).to_be_focused()
    page.keyboard.type("c")  # "Có": the plan was issued after all
    expect(state(page, "combobox", PLAN)).to_have_text("Đã lưu")

    dialog = page.locator("#send-confirm")
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Ô “{ARTICLES}” được đánh dấu khi trả lại chưa được sửa.")
    expect(dialog).not_to_contain_text(PLAN)
    expect(dialog.get_by_role("button", name="Quay lại sửa")).to_be_focused()  # the safe one
    assert serious(page) == []
    shot("asked")
    dialog.get_by_role("button", name="Quay lại sửa").click()
    expect(dialog).to_be_hidden()
    expect(articles).to_be_focused()
    expect(page.locator("#status")).to_have_text("Trả lại")
    assert Submission.objects.get().status == "returned"

    # The figure was right: the server takes it as it is only with a reason, asked first.
    confirm_sending(page)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(dialog).to_contain_text("Chưa gửi được: ô được đánh dấu cần sửa chưa sửa.")
    expect(dialog.get_by_role("button", name="Vẫn gửi")).to_be_hidden()
    dialog.get_by_role("button", name="Quay lại sửa").click()
    # The dialog's close handler puts the cursor back in the first marked cell, after
    # the click returns: typing the reason before it ran put the words in that cell.
    expect(dialog).to_be_hidden()
    expect(articles).to_be_focused()
    page.get_by_label(re.compile("Lý do giữ nguyên các ô được đánh dấu")).fill(
        "Số bài đúng theo trang"
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    submission = Submission.objects.get()
    assert (
        submission.status == "submitted" and "Số bài đúng theo trang" in submission.submit_comment
    )


def test_it_asks_in_english_and_sends_without_asking_once_the_cells_are_changed(
    page: Page, live_server, returned
):
    log_in(page, "bcv")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"/bao-cao/HD/C1/{PERIOD.id}/")
    main = page.locator("main")
    articles = main.get_by_role("textbox", name="Articles", exact=True)
    plan = main.get_by_role("combobox", name="Plan issued", exact=True)
    expect(plan.locator("option")).to_have_text(["—", "Yes", "No"])
    expect(plan).to_have_value("no")
    expect(main.locator("tr[data-indicator=act_classes] td")).to_contain_text(
        "Counted from the activity register"
    )
    page.get_by_label(re.compile("I confirm sending the report")).check()
    page.get_by_role("button", name="Submit the report").click()
    dialog = page.locator("#send-confirm")
    expect(dialog).to_contain_text(
        "The cell “Articles”, marked when the report was returned, has not been changed."
    )
    expect(dialog).to_contain_text("The cell “Plan issued”")
    dialog.get_by_role("button", name="Go back and fix").click()
    expect(articles).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(plan).to_be_focused()
    page.keyboard.type("y")
    expect(state(page, "combobox", "Plan issued")).to_have_text("Saved")
    expect(state(page, "textbox", "Articles")).to_have_text("Saved")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("#status")).not_to_have_text(re.compile("Returned|Trả lại"))
    assert Submission.objects.get().status == "submitted"


def test_a_report_whose_first_cell_is_a_yes_no_starts_and_saves(screen, report):
    """The cursor starts in the first cell; a yes/no <select> has no text to select, and
    calling select() on it stopped the grid's script: nothing typed was saved."""
    page, width = screen
    cell = report.assignments.first().unit
    services.create_form(
        acting_user=SYSTEM,
        code="HY",
        name="Báo cáo kế hoạch 6 tháng",
        owner=report.owner,
        period_type="sixmonthly",
        indicators=[Indicator.objects.get(code="co_ke_hoach"), Indicator.objects.get(code="tin")],
        units=[cell],
        valid_from=dt.date(2019, 1, 1),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HY/C1/{PERIOD.id}/")
    main = page.locator("main")
    plan = main.get_by_role("combobox", name=PLAN, exact=True)
    expect(plan).to_be_focused()
    plan.select_option(label="Có")
    expect(state(page, "combobox", PLAN)).to_have_text("Đã lưu")
    main.get_by_role("textbox", name=POSTS, exact=True).fill("7")
    main.get_by_role("textbox", name=POSTS, exact=True).press("Enter")
    expect(state(page, "textbox", POSTS)).to_have_text("Đã lưu")
    assert errors == []
    fits(page, width)
    stored = DataValue.objects.filter(unit__code="C1", period=PERIOD.id, indicator__code="tin")
    assert [int(v.value_number) for v in stored] == [7]
