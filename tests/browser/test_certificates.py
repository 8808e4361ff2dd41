"""Certificates in a browser, on a 390 × 844 phone and a 1366 × 900 screen.

GIVEN Huyện Vĩnh Thuận's class of two sessions (An and Cường at both, Bình at one) and a
manager of the district
WHEN the manager opens the class's certificates from its page, issues them to everyone
who may have one, downloads An's PDF, revokes Cường's with a reason, and logs out; then
someone without an account types An's code (in lower case, without dashes) and Cường's
on the verification page, and a code that does not exist
THEN no page scrolls sideways and nothing is off screen, axe finds no serious violation,
two certificates are numbered 01 and 02 in the order of the names, the PDF is a PDF
named after its number, An's reads valid with the name, Cường's revoked, the wrong one
not found.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
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
from tests.factories import SYSTEM
from trienkhai.activities import figures, services
from trienkhai.activities.models import Certificate

pytestmark = pytest.mark.browser

TITLE = "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới"


@pytest.fixture
def district(transactional_db):
    f.ensure_standard_data()
    figures.ensure_indicators()  # the live server's database was flushed
    cache.clear()  # no misses counted by another test
    d1 = f.make_unit("D1", name="Huyện Vĩnh Thuận", kind_code="district", abbreviation="HU")
    f.make_unit("C1", name="Thị trấn Vĩnh Thuận", kind_code="town", parent=d1)
    event = services.create_event(
        acting_user=SYSTEM,
        organiser=d1,
        kind="class",
        title=TITLE,
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 3, 2),
        session_dates=[dt.date(2021, 3, 1), dt.date(2021, 3, 2)],
        place="Hội trường Huyện ủy",
    )
    rows = [
        services.AttendanceRow(session=day, name=name, unit="C1")
        for day, name in (
            ("2021-03-01", "Nguyễn Văn An"),
            ("2021-03-02", "Nguyễn Văn An"),
            ("2021-03-01", "Lê Thị Bình"),
            ("2021-03-01", "Trần Văn Cường"),
            ("2021-03-02", "Trần Văn Cường"),
        )
    ]
    services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)
    f.make_user("quanly", unit=d1, role="manager")
    yield event
    cache.clear()


def checked(page: Page, width: int, found: dict, name: str) -> None:
    fits(page, width)
    shot(page, width, "certificates-" + re.sub(r"\W+", "-", name))
    found[name] = serious(page)


def test_a_class_s_certificates_from_issue_to_a_stranger_s_check(screen, district):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    log_in(page, width, "quanly")
    go_by_menu(page, width, "Hoạt động")
    main.get_by_role("link", name=TITLE).click()
    main.get_by_role("link", name="Giấy chứng nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Giấy chứng nhận: {TITLE}")
    expect(main.locator("#summary")).to_have_text(
        "Cấp cho người dự ít nhất 2/2 buổi: 2 người đủ điều kiện, 2 người chưa được cấp."
    )
    bình = main.locator("#candidates tr", has_text="Lê Thị Bình")
    expect(bình).to_contain_text("1/2")
    expect(bình).to_contain_text("Chưa đủ điều kiện")
    checked(page, width, found, "list")

    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_label("Họ tên người ký").fill("Lê Văn Ký")
    page.get_by_role("button", name="Cấp cho cả 2 người").click()
    expect(main.get_by_role("status")).to_have_text(
        "Đã cấp 2 giấy chứng nhận, số 01/GCN-HU đến 02/GCN-HU."
    )
    expect(main.locator("#batches")).to_contain_text("Giấy số 01/GCN-HU đến 02/GCN-HU (PDF)")
    checked(page, width, found, "issued")
    an = Certificate.objects.get(name="Nguyễn Văn An")
    cuong = Certificate.objects.get(name="Trần Văn Cường")
    assert (an.number, cuong.number) == (1, 2)

    main.get_by_role("link", name="Số 01/GCN-HU", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận số 01/GCN-HU")
    expect(main.locator("#state")).to_have_text("Còn hiệu lực")
    expect(main).to_contain_text(an.code_shown)
    checked(page, width, found, "certificate")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Tải giấy chứng nhận (PDF)").click()
    assert download.value.suggested_filename == "giay-chung-nhan-01-gcn-hu.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto(f"/hoat-dong/giay-chung-nhan/{cuong.pk}/")
    page.get_by_label("Lý do thu hồi").fill("Ghi nhầm người dự")
    page.get_by_role("button", name="Thu hồi").click()
    expect(main.get_by_role("status")).to_have_text("Đã thu hồi giấy chứng nhận số 02/GCN-HU.")
    expect(main.locator("#state")).to_have_text("Đã thu hồi")
    checked(page, width, found, "revoked")
    log_out(page, width)

    page.goto("/xac-minh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh giấy chứng nhận")
    checked(page, width, found, "verify, form")
    page.get_by_label("Mã xác minh").fill(an.code.lower())
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page).to_have_url(re.compile(f"/xac-minh/{an.code_shown}/$"))
    result = main.locator("#result")
    expect(result).to_contain_text("Hợp lệ")
    expect(result).to_contain_text("Nguyễn Văn An")
    expect(result).to_contain_text("Số01/GCN-HU")
    expect(result).not_to_contain_text("Thị trấn Vĩnh Thuận")
    checked(page, width, found, "verify, valid")

    page.get_by_label("Mã xác minh").fill(cuong.code_shown)
    page.get_by_role("button", name="Kiểm tra").click()
    expect(result).to_contain_text("Giấy chứng nhận này đã bị thu hồi ngày")
    checked(page, width, found, "verify, revoked")

    page.get_by_label("Mã xác minh").fill("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(result).to_contain_text("Không tìm thấy giấy chứng nhận có mã này.")
    checked(page, width, found, "verify, not found")

    page.get_by_label("Mã xác minh").fill("ABC")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(main.get_by_role("alert")).to_contain_text("Mã xác minh gồm 16 chữ và số")
    checked(page, width, found, "verify, malformed")

    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert width in (PHONE["width"], 1366)
