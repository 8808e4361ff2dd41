"""The văn thư issues the Vĩnh Thuận report and seals it; the document page shows the seal valid.

GIVEN the report-test district (Ban Tuyên giáo Huyện ủy Vĩnh Thuận issues the six-month
review of 2020S1), the board's organisation certificate and seal configured, and the test
root configured
WHEN the manager types the signer's name, issues the report after the page names the
number, opens its register entry and clicks "Đóng dấu phát hành"
THEN the entry keeps the signer and the Nơi nhận lines, and the page shows one signature
of the board, valid, whose chain ends at the test root.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_drafting import draft, log_in  # noqa: F401  (fixtures)
from tests.documents.pki import PASSWORD, pkcs12, pki
from tests.drafting.conftest import district, templates  # noqa: F401  (fixtures)
from tests.factories import SYSTEM
from trienkhai.documents import signing
from trienkhai.documents.signing import specimens
from trienkhai.drafting.models import Report

pytestmark = pytest.mark.browser


@pytest.fixture
def sealed(draft, settings, tmp_path):  # noqa: F811
    root = tmp_path / "root.pem"
    root.write_bytes(pki().root.pem)
    settings.SIGNATURE_TRUST_ROOTS = [str(root)]
    settings.SIGNATURE_ROOTS_DIR = tmp_path / "no-roots"
    return signing.configure_seal(
        acting_user=SYSTEM,
        unit=draft.issuer,
        pkcs12=pkcs12(pki().organisation),
        password=PASSWORD,
        image=specimens.seal_png("BTGHU"),
    )


def test_the_vinh_thuan_report_is_issued_sealed_and_shown_valid(page: Page, shot, sealed, personas):
    log_in(page, "manager")
    page.get_by_role("link", name="Báo cáo sơ kết 6 tháng").click()
    page.get_by_label("Họ tên người ký").fill("Trần Văn B")
    page.get_by_role("button", name="Lưu và xem trước").click()
    expect(page.get_by_role("heading", name="Xem trước dự thảo")).to_be_visible()
    page.get_by_role("button", name="Ban hành (lấy số)").click()
    page.get_by_role("button", name="Cấp số 01-BC/BTGHU").click()
    # issuing converts to PDF with LibreOffice: seconds, more on a busy machine
    expect(page.get_by_role("heading", name="Báo cáo số 01-BC/BTGHU")).to_be_visible(timeout=90_000)
    document = Report.objects.get().document
    page.goto(f"/van-ban/{document.pk}/")
    details = page.locator("#details")
    expect(details).to_contain_text("Trần Văn B")
    expect(details).to_contain_text("Thường trực Huyện ủy (để báo cáo)")
    assert document.recipients.splitlines() == [
        "Thường trực Huyện ủy (để báo cáo)",
        "Lưu Ban Tuyên giáo",
    ]
    page.get_by_role("button", name="Đóng dấu phát hành (chữ ký số của cơ quan)").click()
    section = page.locator("#signatures")
    expect(section).to_contain_text("Chữ ký hợp lệ")
    expect(section).to_contain_text("Ban Tuyen giao Huyen uy")
    expect(section).to_contain_text("Test Root CA")
    shot("sealed", guide="12-dong-dau")
    assert [s["status"] for s in signing.signatures_of(document)] == ["valid"]
