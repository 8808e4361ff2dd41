"""A class recorded with its attendance and its check-in from phones, one of them offline
(issue 16: "a browser test records a class with attendance and check-in"; decision 0045).

GIVEN Huyện Vĩnh Thuận (D1) with Thị trấn Vĩnh Thuận (C1) and Xã Vĩnh Bình Bắc (C2),
and a manager of the district who is the class's secretary
WHEN the manager creates a class of two days, uploads the first day's list (3 people),
opens the second day's check-in; a participant's phone (390 × 844) opens the code's page
and checks in, then checks a colleague in while offline and syncs; the secretary ticks
one person online, goes offline, ticks another and writes a third who is not on the
list, comes back online, takes the first one's check-in back ("Bỏ"), and the queue is
then sent again whole
THEN each check-in is counted once: the session has 4 attendances, the figures read 7
attendances by 6 people, nothing scrolls sideways and axe finds no serious violation.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.activities.conftest import make_event
from tests.browser.test_accessibility import serious
from tests.browser.test_activities import checked, upload
from tests.browser.test_phone import (  # noqa: F401 (screen: a fixture)
    PHONE,
    fits,
    go_by_menu,
    log_in,
    screen,
    shot,
)
from tests.factories import SYSTEM
from trienkhai.activities import checkin, figures
from trienkhai.activities.models import Attendance, Event, Person

pytestmark = pytest.mark.browser

TITLE = "Lớp bồi dưỡng nghiệp vụ công tác tuyên giáo"
FIRST_DAY = (
    "Buổi,Họ và tên,Đơn vị,Chức vụ,Đối tượng\n"
    "01/03/2021,Nguyễn Văn An,Thị trấn Vĩnh Thuận,Bí thư chi bộ,Đảng viên\n"
    "01/03/2021,Lê Thị Bình,Thị trấn Vĩnh Thuận,,Đảng viên\n"
    "01/03/2021,Trần Văn Cường,Xã Vĩnh Bình Bắc,,Cán bộ\n"
)


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    figures.ensure_indicators()  # the live server's database was flushed
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=d1)
    f.make_user("thuky", unit=d1, role="manager")
    return d1


def row(page: Page, name: str):
    return page.locator("#roster li", has_text=name)


def present(session) -> int:
    return Attendance.objects.filter(session=session).count()


def participant_checks_in(browser, live_server, url: str, found: dict) -> None:
    """A participant's phone opens the QR code's address, checks in; then, offline,
    checks a colleague in, and the page sends it once the network is back."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Điểm danh")
        expect(phone.locator("main")).to_contain_text(TITLE)
        expect(phone.locator("main")).not_to_contain_text("Nguyễn Văn An")  # nobody listed
        fits(phone, PHONE["width"])
        found["participant"] = serious(phone)
        phone.get_by_label("Họ và tên").fill("Đỗ Thị Hoa")
        unit = phone.get_by_label("Đơn vị")
        unit.fill("Xã Vĩnh Bình Nam")  # not a unit of the class: refused, nothing lost
        phone.get_by_label("Chức vụ").fill("Phó Chủ tịch Hội Phụ nữ")
        phone.get_by_label("Đối tượng").select_option("can_bo")
        phone.get_by_role("button", name="Điểm danh").click()
        expect(phone.locator("#id_unit_js_error")).to_contain_text("Không tìm thấy đơn vị")
        expect(unit).to_be_focused()
        expect(phone.get_by_label("Họ và tên")).to_have_value("Đỗ Thị Hoa")
        expect(phone.get_by_label("Chức vụ")).to_have_value("Phó Chủ tịch Hội Phụ nữ")
        expect(phone.get_by_label("Đối tượng")).to_have_value("can_bo")
        shot(phone, PHONE["width"], "check-in-refused-kept")
        found["participant, refused"] = serious(phone)
        unit.fill("Xã Vĩnh Bình Bắc (C2)")
        phone.get_by_role("button", name="Điểm danh").click()
        state = phone.locator("#check-in-state")
        expect(state).to_have_text("Đã điểm danh: Đỗ Thị Hoa.")
        expect(phone.locator("#id_unit_js_error")).to_have_count(0)
        shot(phone, PHONE["width"], "activities-check-in-participant")
        expect(phone.get_by_label("Họ và tên")).to_have_value("")
        expect(phone.get_by_label("Họ và tên")).to_be_focused()  # the next person's

        context.set_offline(True)
        phone.get_by_label("Họ và tên").fill("Võ Văn Tám")
        unit.press_sequentially("TT vinh")  # "TT": thị trấn, offered offline
        offered = phone.get_by_role("listbox", name="Gợi ý").get_by_role("option")
        expect(offered.first).to_contain_text("Thị trấn Vĩnh Thuận")
        offered.first.click()
        phone.get_by_role("button", name="Điểm danh").click()
        expect(state).to_contain_text("Mất mạng: đã giữ lượt điểm danh trong máy này")
        assert not Person.objects.filter(name="Võ Văn Tám").exists()
        found["participant, offline"] = serious(phone)
        context.set_offline(False)
        expect(state).to_have_text("Đã điểm danh: Võ Văn Tám.", timeout=30_000)
        assert phone.evaluate("Object.keys(localStorage).length") == 0  # nothing left behind
    finally:
        context.close()


def test_a_class_is_recorded_with_its_list_and_its_check_in(screen, district, browser, live_server):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    log_in(page, width, "thuky")
    go_by_menu(page, width, "Hoạt động")
    page.get_by_role("link", name="Tạo hoạt động").click()
    page.get_by_label("Tên hoạt động").fill(TITLE)
    page.get_by_label("Loại hoạt động").select_option(label="Lớp bồi dưỡng")
    page.get_by_label("Đơn vị tổ chức").fill("Huyện Vĩnh Thuận (D1)")
    page.get_by_label("Từ ngày").fill("01/03/2021")
    page.get_by_label("Đến ngày").fill("02/03/2021")
    page.get_by_label("Các buổi").fill("01/03/2021\n02/03/2021")
    page.get_by_role("button", name="Tạo hoạt động").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    upload(page, FIRST_DAY)
    expect(main.locator("#totals")).to_have_text("3 lượt, 3 người")
    event = Event.objects.get(title=TITLE)
    _, second = event.sessions.order_by("date")

    # The second day's check-in: opened by the secretary, its QR code on the screen.
    main.get_by_role("link", name="Điểm danh 02/03/2021").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh buổi 02/03/2021")
    expect(main.locator("#code-closed")).to_contain_text("Chưa mở điểm danh")
    checked(page, width, found, "check-in, closed")
    page.get_by_label("Mở trong").select_option("3")
    page.get_by_role("button", name="Mở điểm danh").click()
    code = main.locator("#typed-code")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    expect(main.get_by_role("img", name=re.compile("Mã QR điểm danh"))).to_be_visible()
    participant_checks_in(browser, live_server, f"/diem-danh/{code.inner_text()}/", found)
    assert present(second) == 2

    # The secretary ticks An online: sent at once.
    state = page.locator("#queue-state")
    row(page, "Nguyễn Văn An").get_by_role("button", name="Có mặt: Nguyễn Văn An").click()
    expect(state).to_have_text("Đã gửi hết.")
    # The focus goes to the next person still to tick.
    expect(
        row(page, "Lê Thị Bình").get_by_role("button", name="Có mặt: Lê Thị Bình")
    ).to_be_focused()
    expect(row(page, "Nguyễn Văn An").locator(".state")).to_have_text("Có mặt")
    expect(main.locator("#present-count")).to_have_text("3")
    assert present(second) == 3

    # Offline: Bình ticked, Hồ Văn Em written in; both wait on the phone.
    page.context.set_offline(True)
    page.get_by_label("Tìm tên (không cần dấu)").fill("binh")
    expect(row(page, "Nguyễn Văn An")).to_be_hidden()
    row(page, "Lê Thị Bình").get_by_role("button", name="Có mặt: Lê Thị Bình").click()
    page.get_by_label("Tìm tên (không cần dấu)").fill("")
    page.get_by_label("Họ và tên").fill("Hồ Văn Em")
    page.get_by_label("Đơn vị").fill("Thị trấn Vĩnh Thuận (C1)")
    page.get_by_role("button", name="Ghi có mặt").click()
    expect(state).to_have_text("Mất mạng: 2 lượt chờ gửi, giữ trong máy này.")
    expect(row(page, "Lê Thị Bình").locator(".state")).to_have_text("Chờ gửi")
    expect(row(page, "Hồ Văn Em").locator(".state")).to_have_text("Chờ gửi")
    expect(main.locator("#present-count")).to_have_text("5")
    key = f"trienkhai-checkin-{second.pk}"
    queue = page.evaluate("key => localStorage.getItem(key)", key)
    assert queue and len(re.findall(r'"id":', queue)) == 2
    assert present(second) == 3
    checked(page, width, found, "check-in, offline")

    # Back online: the queue goes by itself.
    page.context.set_offline(False)
    expect(state).to_have_text("Đã gửi hết.", timeout=30_000)
    expect(row(page, "Lê Thị Bình").locator(".state")).to_have_text("Có mặt")
    expect(row(page, "Hồ Văn Em").locator(".state")).to_have_text("Có mặt")
    assert page.evaluate("key => localStorage.getItem(key)", key) is None
    assert present(second) == 5
    page.evaluate("window.scrollTo(0, 0)")  # the guide's picture: the code, then the list
    checked(page, width, found, "check-in, synced", guide="17-diem-danh-dien-thoai")

    # Someone written in with a unit not of the class: refused, what was typed kept.
    page.get_by_label("Họ và tên").fill("Lý Văn Sáu")
    page.get_by_label("Đơn vị").fill("Xã Không Có")
    page.get_by_label("Chức vụ").fill("Bí thư")
    page.get_by_role("button", name="Ghi có mặt").click()
    expect(main.locator("#new-unit_js_error")).to_contain_text("Không tìm thấy đơn vị")
    expect(page.get_by_label("Họ và tên")).to_have_value("Lý Văn Sáu")
    expect(page.get_by_label("Đơn vị")).to_be_focused()
    expect(row(page, "Lý Văn Sáu")).to_have_count(0)
    checked(page, width, found, "check-in, written in and refused")
    for label in ("Họ và tên", "Đơn vị", "Chức vụ"):
        page.get_by_label(label).fill("")
    expect(main.locator("#new-unit_js_error")).to_have_count(0)  # typed again: gone

    # A wrong tap taken back: "Bỏ" by An, whose row the script marked present; said in
    # the row, where the finger is, without a reload.
    page.evaluate("window.notReloaded = true")
    row(page, "Nguyễn Văn An").get_by_role("button", name="Bỏ có mặt: Nguyễn Văn An").click()
    expect(row(page, "Nguyễn Văn An").locator(".row-note")).to_have_text(
        "Đã bỏ lượt có mặt của Nguyễn Văn An ở buổi này."
    )
    expect(main.locator("#present-count")).to_have_text("4")
    again = row(page, "Nguyễn Văn An").get_by_role("button", name="Có mặt: Nguyễn Văn An")
    expect(again).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert present(second) == 4
    checked(page, width, found, "check-in, taken back")

    # The same queue again (a phone that sends twice): answered, not counted.
    page.evaluate("([key, queue]) => localStorage.setItem(key, queue)", [key, queue])
    page.reload()
    expect(state).to_have_text("Đã gửi hết. 2 lượt đã có từ trước, không đếm lại.")
    expect(main.locator("#present-count")).to_have_text("4")
    assert present(second) == 4
    assert Person.objects.filter(name="Hồ Văn Em").count() == 1

    # The figures count each person once per session, and each person once.
    counted = figures.subtree_figures(district, dt.date(2021, 3, 1), dt.date(2021, 3, 31))
    assert counted[("act_attendances", "")] == 7
    assert counted[("act_participants", "")] == 6
    page.get_by_role("navigation", name="Vị trí").get_by_role("link", name=TITLE[:30]).click()
    expect(main.locator("#totals")).to_have_text("7 lượt, 6 người")
    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())


@pytest.fixture
def cell_class(transactional_db):
    """Chi bộ Trung tâm Chính trị's class (a cell of Huyện ủy Chợ Đồn, which it holds
    the class for), its check-in open; two communes of the district, and one of the same
    name in a neighbouring district."""
    f.ensure_standard_data()
    figures.ensure_indicators()  # the live server's database was flushed
    made: dict = {}
    for code, name, kind, parent in (
        ("TU-BK", "Tỉnh ủy Bắc Kạn", "party_committee", None),
        ("HU-CD", "Huyện ủy Chợ Đồn", "party_committee", "TU-BK"),
        ("CB-CD-05", "Chi bộ Trung tâm Chính trị huyện Chợ Đồn", "party_cell", "HU-CD"),
        ("DU-02044", "Đảng ủy xã Yên Thịnh", "party_committee", "HU-CD"),
        ("DU-02047", "Đảng ủy xã Yên Thượng", "party_committee", "HU-CD"),
        ("HU-BT", "Huyện ủy Bạch Thông", "party_committee", "TU-BK"),
        ("DU-BT-09", "Đảng ủy xã Yên Thịnh", "party_committee", "HU-BT"),
    ):
        made[code] = f.make_unit(code, name=name, kind_code=kind, parent=made.get(parent))
    title = "Lớp bồi dưỡng nhận thức về Đảng, khóa II năm 2021"
    event = make_event(made["CB-CD-05"], days=("2021-10-18",), title=title)
    return checkin.open_code(acting_user=SYSTEM, session=event.sessions.get())


def test_a_commune_s_attendee_picks_their_commune_typed_without_accents(
    cell_class, browser, live_server
):
    """GIVEN a class of a cell of the district, its check-in open
    WHEN a commune's attendee, on a phone (390 px), types "yen thi" in the unit field,
    picks their commune from the list offered and checks in
    THEN they are counted under that commune of the district (not the neighbouring
    district's commune of the same name, not the district); the list names units by
    name, without codes, and the page fits the phone with no serious axe violation."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        phone.goto(f"/diem-danh/{checkin.grouped(cell_class.check_in_code)}/")
        phone.get_by_label("Họ và tên").fill("Nông Thị Mai")
        unit = phone.get_by_role("combobox", name="Đơn vị")
        unit.press_sequentially("yen thi")
        offered = phone.get_by_role("listbox", name="Gợi ý").get_by_role("option")
        expect(offered).to_have_text(["Đảng ủy xã Yên Thịnh — Huyện ủy Chợ Đồn"])
        fits(phone, PHONE["width"])
        found = serious(phone)
        shot(phone, PHONE["width"], "check-in-unit-offered")
        offered.first.click()
        expect(unit).to_have_value("Đảng ủy xã Yên Thịnh")
        expect(phone.get_by_role("listbox", name="Gợi ý")).to_be_hidden()
        phone.get_by_role("button", name="Điểm danh").click()
        expect(phone.locator("#check-in-state")).to_have_text("Đã điểm danh: Nông Thị Mai.")
        shot(phone, PHONE["width"], "check-in-unit-done")
    finally:
        context.close()
    assert found == []
    mai = Person.objects.get(name="Nông Thị Mai")
    assert mai.unit.code == "DU-02044"
    assert present(cell_class) == 1
