"""An organiser sets up a contest in a browser, on a 390 × 844 phone and a 1366 × 900
screen (issue 17, decision 0062).

GIVEN Huyện Vĩnh Thuận with Xã Vĩnh Bình Bắc below it, its manager "btc" and a viewer of
the commune, Lê Thị Hoa
WHEN the organiser opens Cuộc thi through the menu, creates a contest (a weight typed
7,5-style), names Lê Thị Hoa a judge of Sơ khảo by picking her name, with a cap of 30,
sends one date wrong on the entry form first, then receives an entry from the commune
THEN the contest page shows its rubric, the judge is listed with her cap, the bad day is
refused beside its field with nothing stored, the receipt 001/<this year> and the file's SHA-256
are shown; no page scrolls sideways and axe finds no serious violation.
"""

import datetime as dt
import hashlib

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.browser.test_phone import (  # noqa: F401 (screen: a fixture)
    PHONE,
    fits,
    go_by_menu,
    log_in,
    screen,
    shot,
)
from tests.documents.test_attachments import png_file
from trienkhai.contests.models import Contest, Entry, Judge

pytestmark = pytest.mark.browser

TITLE = "Cuộc thi viết về quê hương Vĩnh Thuận"


@pytest.fixture
def district(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    f.ensure_standard_data()
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district")
    c2 = f.make_unit("C2", name="Xã Vĩnh Bình Bắc", parent=d1)
    f.make_user("btc", unit=d1, role="manager")
    hoa = f.make_user("hoa", unit=c2, role="viewer")
    hoa.full_name = "Lê Thị Hoa"
    hoa.save()
    return d1


def checked(page: Page, width: int, found: dict, name: str) -> None:
    fits(page, width)
    shot(page, width, "contest-organiser-" + name)
    found[name] = serious(page)


def test_an_organiser_creates_a_contest_names_a_judge_and_receives_an_entry(
    screen,  # noqa: F811
    district,
    tmp_path,
):
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    year = dt.date.today().year

    log_in(page, width, "btc")
    go_by_menu(page, width, "Cuộc thi")
    main.get_by_role("link", name="Tạo cuộc thi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo cuộc thi")
    page.get_by_label("Tên cuộc thi").fill(TITLE)
    page.get_by_label("Đơn vị tổ chức").fill("Huyện Vĩnh Thuận (D1)")
    page.get_by_label("Nhận bài từ ngày").fill(f"01/01/{year}")
    page.get_by_label("Hạn nhận bài").fill(f"31/12/{year}")
    page.get_by_label("Tiêu chí 1", exact=True).fill("Nội dung")
    page.get_by_label("Hệ số (tiêu chí 1)").fill("6")
    page.get_by_label("Điểm tối đa (tiêu chí 1)").fill("60")
    page.get_by_label("Tiêu chí 2", exact=True).fill("Hình thức")
    page.get_by_label("Hệ số (tiêu chí 2)").fill("0,5")
    page.get_by_label("Điểm tối đa (tiêu chí 2)").fill("7,5")
    checked(page, width, found, "create")
    page.get_by_role("button", name="Tạo cuộc thi").click()
    expect(main.get_by_role("status")).to_contain_text(f"Đã tạo cuộc thi: {TITLE}.")
    expect(main.locator("#criteria")).to_contain_text("Hình thức0,57,5")
    contest = Contest.objects.get()
    checked(page, width, found, "contest")

    main.get_by_role("link", name="Thêm giám khảo Sơ khảo").click()
    page.get_by_role("combobox", name="Giám khảo").fill("Lê Thị Hoa (hoa)")
    page.get_by_label("Giới hạn số bài").fill("30")
    checked(page, width, found, "judges")
    page.get_by_role("button", name="Thêm giám khảo").click()
    # The conflict form's unit picker has a status line of its own: the message's is first.
    expect(main.get_by_role("status").first).to_contain_text(
        "Đã thêm giám khảo Lê Thị Hoa cho vòng Sơ khảo."
    )
    expect(main.locator("#judges-1")).to_contain_text("Lê Thị Hoa")
    expect(main.locator("#judges-1")).to_contain_text("30")
    assert Judge.objects.get().cap == 30

    page.goto(f"/cuoc-thi/{contest.pk}/")
    main.get_by_role("link", name="Bài dự thi: nhận bài, biên nhận, loại bài").click()
    data = png_file(3)
    scan = tmp_path / "bai-du-thi.png"
    scan.write_bytes(data)
    page.get_by_label("Tệp bài dự thi").set_input_files(str(scan))
    page.get_by_label("Tên bài").fill("Vĩnh Thuận đổi mới")
    page.get_by_label("Tác giả").fill("Trần Thị B")
    page.get_by_label("Đơn vị gửi bài").fill("Xã Vĩnh Bình Bắc (C2)")
    page.get_by_label("Ngày gửi").fill("31/02/2025")
    page.get_by_role("button", name="Nhận bài").click()
    expect(main.locator(".has-error")).to_contain_text("Ngày không hợp lệ")
    assert not Entry.objects.exists()
    checked(page, width, found, "entry-refused")
    page.get_by_label("Tệp bài dự thi").set_input_files(str(scan))  # a browser forgets it
    page.get_by_label("Ngày gửi").fill("")
    page.get_by_role("button", name="Nhận bài").click()
    expect(main.get_by_role("status")).to_contain_text(f"Đã nhận bài, biên nhận số 001/{year}.")
    expect(main.locator("#receipt-number")).to_have_text(f"001/{year}")
    expect(main.locator("#sha256")).to_have_text(hashlib.sha256(data).hexdigest())
    checked(page, width, found, "receipt")

    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert width in (PHONE["width"], 1366)


@pytest.mark.parametrize("screen", [PHONE], indirect=True, ids=["phone-390"])
def test_an_organiser_revokes_a_prize_certificate_and_the_public_page_says_so(
    screen,  # noqa: F811
    district,
):
    """GIVEN a prize certificate of Huyện Vĩnh Thuận's contest, issued to Trần Thị B
    WHEN the organiser, on a phone, follows "Thu hồi" beside it, sends the form empty
    first, then with a reason
    THEN the empty reason is refused beside its field, the list reads "Đã thu hồi ngày
    <today>: <reason>", and /xac-minh/<code>/ (no log-in) says it is revoked; no page
    scrolls sideways and axe finds no serious violation."""
    from tests.contests.conftest import make_contest, make_prize_certificate
    from trienkhai.activities import certificates as activity_certificates
    from trienkhai.contests import services

    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    contest = make_contest(district)
    entry = services.receive_entry(
        acting_user=f.SYSTEM,
        contest=contest,
        title="Vĩnh Thuận đổi mới",
        author_name="Trần Thị B",
        unit=district,
        file_name="bai.png",
        data=png_file(5),
    )
    round1 = contest.rounds.get(number=1)
    made = make_prize_certificate(
        round1,
        entry,
        district,
        year=dt.date.today().year,
        unit_name="Huyện Vĩnh Thuận",
        issued=dt.date.today(),
    )
    reason = "Tác phẩm sao chép bài đã đăng báo"
    today = dt.date.today().strftime("%d/%m/%Y")

    log_in(page, width, "btc")
    page.goto(f"/cuoc-thi/{contest.pk}/vong/1/quyet-dinh/")
    checked(page, width, found, "certificates")
    main.locator("#certificates").get_by_role("link", name="Thu hồi 01/GCN-HU").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thu hồi giấy chứng nhận số 01/GCN-HU"
    )
    page.get_by_role("button", name="Thu hồi").click()
    expect(main.locator(".has-error")).to_contain_text("Lý do thu hồi")
    checked(page, width, found, "revoke-refused")
    page.get_by_label("Lý do thu hồi").fill(reason)
    page.get_by_role("button", name="Thu hồi").click()
    expect(main.get_by_role("status")).to_contain_text("Đã thu hồi giấy chứng nhận số 01/GCN-HU.")
    expect(main.locator("#certificates")).to_contain_text(f"Đã thu hồi ngày {today}: {reason}")
    checked(page, width, found, "revoked")
    made.refresh_from_db()
    assert made.state == "revoked" and made.revoked_reason == reason

    page.context.clear_cookies()
    page.goto(f"/xac-minh/{activity_certificates.grouped(made.code)}/")
    expect(main).to_contain_text("Đã thu hồi")
    expect(main).to_contain_text(
        f"Giấy chứng nhận này đã bị thu hồi ngày {today} và không còn hiệu lực."
    )
    expect(main).to_contain_text("Giải A")
    checked(page, width, found, "verify-revoked")

    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
