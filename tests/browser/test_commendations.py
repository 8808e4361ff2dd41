"""The commendation pages in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện Vĩnh Thuận with Thị trấn Vĩnh Thuận, the district's manager and the town's
WHEN the town's manager reaches Khen thưởng through the menu and nominates a person of
the town for the district's Giấy khen with the submission attached; the district's
manager returns it for the missing minutes; the town's manager reads why, corrects the
achievement and resubmits; the district's manager accepts it and issues the decision
from the register
THEN no page scrolls sideways and nothing is off screen, axe finds no serious
violation, the reason reaches the nominating unit, the decision takes the register's
number with its .docx attached, and the register counts one individual.
"""

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.browser.test_phone import (  # noqa: F401 (screen: a fixture)
    PHONE,
    fits,
    go_by_menu,
    log_in,
    log_out,
    screen,
    shot,
)
from tests.documents.test_attachments import png_file
from trienkhai.commendations.models import Award

pytestmark = pytest.mark.browser


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district", abbreviation="UBND")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    f.make_user("quanly", unit=d1, role="manager")
    f.make_user("ql.thitran", unit=c1, role="manager")


def checked(page: Page, width: int, found: dict, name: str) -> None:
    fits(page, width)
    shot(page, width, "commendations-" + name)
    found[name] = serious(page)


def open_nomination(page: Page) -> None:
    page.locator("main").get_by_role("link", name="Giấy khen của Chủ tịch").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Giấy khen của Chủ tịch")


def test_a_nomination_goes_from_the_town_to_the_districts_decision(
    screen,  # noqa: F811
    district,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "files"
    page, width = screen
    main = page.locator("main")
    found: dict[str, list[str]] = {}

    log_in(page, width, "ql.thitran")
    go_by_menu(page, width, "Khen thưởng")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thi đua, khen thưởng: Thị trấn Vĩnh Thuận"
    )
    checked(page, width, found, "list")
    main.get_by_role("link", name="Đề nghị khen thưởng").click()
    page.get_by_label("Hình thức khen thưởng").select_option(
        label="Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện"
    )
    page.get_by_label("Cấp khen thưởng").fill("Huyện Vĩnh Thuận (D1)")
    page.get_by_label("Tập thể được đề nghị").fill("Thị trấn Vĩnh Thuận (C1)")
    page.get_by_label("Họ và tên cá nhân").fill("Trần Thị Mai Anh")
    page.get_by_label("Năm của thành tích").fill("2023")
    page.locator("#id_achievement").fill("Hoàn thành xuất sắc nhiệm vụ năm 2023")
    page.get_by_label("Tờ trình").set_input_files(
        files=[{"name": "to-trinh.png", "mimeType": "image/png", "buffer": png_file(21)}]
    )
    checked(page, width, found, "new")
    main.get_by_role("button", name="Gửi đề nghị").click()
    expect(main.locator("ul.messages")).to_contain_text("Đã gửi đề nghị khen thưởng.")
    expect(main.locator("#state")).to_have_text("Đã trình")
    expect(main.locator("#missing")).to_contain_text("Biên bản họp hội đồng")
    checked(page, width, found, "submitted")
    log_out(page, width)

    log_in(page, width, "quanly")
    go_by_menu(page, width, "Khen thưởng")
    page.get_by_role("navigation", name="Thi đua, khen thưởng").get_by_role(
        "link", name="Xét duyệt"
    ).click()
    expect(page.get_by_role("heading", level=2, name="Chờ thẩm định (1)")).to_be_visible()
    checked(page, width, found, "review")
    open_nomination(page)
    main.locator("#review").get_by_label("Lý do").fill("Thiếu biên bản họp hội đồng")
    main.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(main.locator("#state")).to_have_text("Trả lại để bổ sung")
    log_out(page, width)

    log_in(page, width, "ql.thitran")
    go_by_menu(page, width, "Khen thưởng")
    expect(main.locator("#nominations")).to_contain_text("Thiếu biên bản họp hội đồng")
    open_nomination(page)
    expect(main.locator("#reason")).to_contain_text("Thiếu biên bản họp hội đồng")
    checked(page, width, found, "returned")
    main.get_by_label("Thành tích (đã sửa)").fill("Hoàn thành xuất sắc nhiệm vụ năm 2023.")
    main.get_by_role("button", name="Trình lại").click()
    expect(main.locator("#state")).to_have_text("Đã trình lại")
    log_out(page, width)

    log_in(page, width, "quanly")
    go_by_menu(page, width, "Khen thưởng")
    page.get_by_role("navigation", name="Thi đua, khen thưởng").get_by_role(
        "link", name="Xét duyệt"
    ).click()
    open_nomination(page)
    main.get_by_role("button", name="Đồng ý").click()
    expect(main.locator("#state")).to_have_text("Đã đồng ý, chờ quyết định")
    main.get_by_role("link", name="Xét duyệt").click()
    decision = main.locator("#decision")
    decision.get_by_label("Ngày quyết định").fill("15/12/2023")
    decision.get_by_label("Thẩm quyền ký").select_option("kt")
    decision.get_by_label("Thay mặt, ký thay cho").fill("CHỦ TỊCH")
    decision.get_by_label("Chức vụ người ký").fill("PHÓ CHỦ TỊCH")
    decision.get_by_label("Họ và tên người ký").fill("Lê Văn Ký")
    decision.get_by_label("Nơi nhận").fill("Như Điều 3;\nLưu: VT.")
    checked(page, width, found, "decision")
    decision.get_by_role("button", name="Ban hành quyết định").click()
    symbol = Award.objects.get().decision_number
    assert symbol.startswith("01")
    expect(main.locator("ul.messages")).to_contain_text(f"Đã ban hành Quyết định số {symbol}")
    expect(main).to_contain_text(".docx")
    go_by_menu(page, width, "Khen thưởng")
    page.get_by_role("navigation", name="Thi đua, khen thưởng").get_by_role(
        "link", name="Sổ khen thưởng"
    ).click()
    expect(main.locator("#counts")).to_have_text("0 tập thể, 1 cá nhân được khen thưởng.")
    expect(main.locator("#awards")).to_contain_text("Trần Thị Mai Anh")
    checked(page, width, found, "register")
    assert found == {name: [] for name in found}
