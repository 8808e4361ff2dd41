"""A writing contest in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện Vĩnh Thuận's contest (round 1: one judge per entry; Nội dung weight 6 out of
60, Hình thức weight 4 out of 40) with 22 entries from Xã Vĩnh Phong, their files naming
their authors; its organiser (a manager of the district) and two judges, viewers of the
other two communes
WHEN the organiser reaches Cuộc thi through the menu and assigns the round; each judge
opens "Bài được giao chấm" and scores their entries one after the other (one score out
of range first); the organiser reads the ranking, closes scoring, sets 16 prizes and a
quota of 21 and draws the results
THEN no judge's page names an author or a unit, the score out of range is refused with
its message and saves nothing, each judge's sheets are all saved, the ranking shows raw
and normalised scores, 16 entries win a prize and 21 are forwarded; no page scrolls
sideways and axe finds no serious violation.
"""

import re

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
from tests.contests.conftest import make_contest
from tests.contests.test_judging import word_file
from tests.factories import SYSTEM
from trienkhai.contests import services
from trienkhai.contests.models import Criterion, Result, Score

pytestmark = pytest.mark.browser

ENTRIES = 22
PRIZES = [("Giải Nhất", 1), ("Giải Nhì", 3), ("Giải Ba", 5), ("Giải Khuyến khích", 7)]
AUTHOR = "Tác Giả Số {n}"
OFFICE = "Văn phòng Ấp Số {n}"


@pytest.fixture
def contest(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    f.ensure_standard_data()
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c1 = f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    c2 = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=d1)
    c3 = f.make_unit("C3", name="Xã Vĩnh Phong", parent=d1)
    f.make_user("btc", unit=d1, role="manager")
    contest = make_contest(d1, judges_per_entry=1)
    Criterion.objects.create(contest=contest, name="Hình thức", weight=4, max=40)
    for n in range(1, ENTRIES + 1):
        services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title=f"Bài viết về quê hương số {n}",
            author_name=AUTHOR.format(n=n),
            unit=c3,
            file_name=f"{AUTHOR.format(n=n)}.docx",
            data=word_file(AUTHOR.format(n=n), OFFICE.format(n=n)),
        )
    round1 = contest.rounds.get(number=1)
    for name, unit in [("gk1", c1), ("gk2", c2)]:
        services.add_judge(
            acting_user=SYSTEM,
            contest=contest,
            round=round1,
            user=f.make_user(name, unit=unit, role="viewer"),
        )
    return contest


def checked(page: Page, width: int, found: dict, name: str) -> None:
    fits(page, width)
    shot(page, width, "contests-" + re.sub(r"\W+", "-", name))
    found[name] = serious(page)


def blind(page: Page) -> None:
    main = page.locator("main")
    expect(main).not_to_contain_text("Tác Giả")
    expect(main).not_to_contain_text("Văn phòng Ấp")
    expect(main).not_to_contain_text("Xã Vĩnh Phong")
    expect(main).not_to_contain_text("/2022")  # no receipt either


def score_all(page: Page, width: int, found: dict, judge: str, *, first_wrong: bool) -> int:
    """The judge scores every entry assigned to them, from their list, in turn."""
    log_in(page, width, judge)
    go_by_menu(page, width, "Cuộc thi")
    main = page.locator("main")
    expect(main.locator("#judged")).to_contain_text("11 bài chưa chấm")
    blind(page)
    checked(page, width, found, f"{judge} list")
    main.get_by_role("link", name="Cuộc thi viết về Đảng bộ tỉnh Kiên Giang 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài được giao chấm")
    expect(main.locator("#progress")).to_contain_text("Đã chấm 0/11 bài.")
    blind(page)
    main.locator("#readings a").first.click()
    scored = 0
    while page.get_by_role("heading", level=1).inner_text().startswith("Bài số"):
        blind(page)
        expect(main.locator("#text")).to_contain_text("Đảng bộ huyện qua 90 năm")
        number = int(re.search(r"số (\d+)", page.locator("h1").inner_text()).group(1))
        if first_wrong and scored == 0:
            page.get_by_role("textbox", name="Nội dung").fill("75")
            page.get_by_role("textbox", name="Hình thức").fill("30")
            page.get_by_role("button", name="Lưu phiếu chấm").click()
            expect(main.get_by_role("alert").first).to_contain_text(
                "Phiếu chưa được lưu: sửa các ô báo lỗi rồi gửi lại."
            )
            expect(main.locator(".has-error")).to_contain_text("Điểm phải từ 0 đến 60.")
            assert not Score.objects.exists()
            checked(page, width, found, f"{judge} sheet refused")
        page.get_by_role("textbox", name="Nội dung").fill(f"{40 + scored},5")
        page.get_by_role("textbox", name="Hình thức").fill(str(10 + number % 7))
        if scored == 0:
            checked(page, width, found, f"{judge} sheet")
        page.get_by_role("button", name="Lưu phiếu chấm").click()
        expect(main.get_by_role("status")).to_contain_text(f"Đã lưu phiếu chấm bài {number}")
        scored += 1
    expect(main.locator("#progress")).to_contain_text("Đã chấm 11/11 bài.")
    log_out(page, width)
    return scored


def test_two_judges_score_blind_and_the_organiser_forwards_21(screen, contest):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")

    log_in(page, width, "btc")
    go_by_menu(page, width, "Cuộc thi")
    main.get_by_role("link", name="Cuộc thi viết về Đảng bộ tỉnh Kiên Giang 2022").click()
    expect(main.locator("#entries")).to_have_text("22 bài từ 1 đơn vị")
    checked(page, width, found, "contest")
    main.get_by_role("button", name="Phân công chấm Sơ khảo").click()
    expect(main.get_by_role("status")).to_contain_text(
        "Đã phân công 22 lượt chấm cho vòng Sơ khảo."
    )
    log_out(page, width)

    assert score_all(page, width, found, "gk1", first_wrong=True) == 11
    assert score_all(page, width, found, "gk2", first_wrong=False) == 11
    assert Score.objects.count() == ENTRIES

    log_in(page, width, "btc")
    go_by_menu(page, width, "Cuộc thi")
    main.get_by_role("link", name="Cuộc thi viết về Đảng bộ tỉnh Kiên Giang 2022").click()
    expect(main.locator("#rounds")).to_contain_text("22/22")
    main.get_by_role("link", name="Xếp hạng Sơ khảo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp hạng vòng Sơ khảo")
    expect(main.locator("#ranking-note")).to_contain_text("22/22 bài đã có phiếu chấm")
    expect(main.locator("#ranking tbody tr")).to_have_count(ENTRIES)
    expect(main.locator("#ranking thead")).to_contain_text("Điểm chuẩn hóa")
    expect(main.locator("#ranking thead")).to_contain_text("Điểm thô")
    checked(page, width, found, "ranking")

    main.get_by_role("button", name="Kết thúc chấm").click()
    expect(main.get_by_role("status")).to_contain_text("Đã kết thúc chấm vòng Sơ khảo.")
    for n, (name, count) in enumerate(PRIZES, start=1):
        page.get_by_label(f"Tên giải (dòng {n})").fill(name)
        page.get_by_label(f"Số giải (dòng {n})").fill(str(count))
    page.get_by_label("Số bài gửi dự thi cấp trên").fill("21")
    page.get_by_role("button", name="Lưu cơ cấu giải").click()
    expect(main.get_by_role("status")).to_contain_text("Đã lưu cơ cấu giải vòng Sơ khảo.")
    main.get_by_role("button", name="Xét giải và chọn bài gửi cấp trên").click()
    expect(main.get_by_role("status")).to_contain_text(
        "Đã xét giải: 16 bài đoạt giải, 21 bài gửi dự thi cấp trên."
    )
    expect(main.locator("#results tbody tr")).to_have_count(21)
    expect(main.locator("#results")).to_contain_text("Giải Nhất")
    checked(page, width, found, "results")
    assert Result.objects.filter(is_forwarded=True).count() == 21
    assert Result.objects.exclude(prize=None).count() == 16

    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert width in (PHONE["width"], 1366)
