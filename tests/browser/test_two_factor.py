"""An admin sets up two-factor on a phone-sized screen, then logs in with a code.

GIVEN an admin without two-factor, in a 390 px wide browser
WHEN they log in, they land on the setup page (no other page opens), read the key
typed out under the QR code, type the code their app would show, keep the recovery
codes and go on; later they log out and in again with the next code
THEN every step works with the keyboard, nothing is wider than the screen, and the
second log-in asks for the code before the units page.
"""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(transactional_db):
    return f.make_user("quantri", unit=f.root(), role="admin")


def code_for(secret: str, *, after: int | None = None) -> tuple[str, int]:
    """What an authenticator app shows for the key typed out on the page, and its 30-s
    window; ``after``: a window already used, so the code of a later one (the app's next
    code, or the current one if time moved on).

    Not "now + 30 s": when a window ended between making the setup code and the server
    checking it, django-otp accepted it one window late and learnt a drift of -1, so a
    code from the window after "now" would fall outside its tolerance."""
    window = int(time.time() // 30)
    if after is not None:
        window = max(window, after + 1)
    totp = TOTP(base64.b32decode(re.sub(r"\s", "", secret)), step=30, t0=0, digits=6)
    totp.time = window * 30
    return f"{totp.token():06d}", window


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def password_step(page: Page) -> None:
    page.goto("/don-vi/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")


def test_an_admin_sets_up_two_factor_and_logs_in_with_a_code(page: Page, shot, admin):
    page.set_viewport_size({"width": 390, "height": 844})
    password_step(page)
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    assert fits_the_screen(page)
    shot("setup")

    page.goto("/don-vi/")  # no page before the setup
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()

    summary = page.get_by_text("Không quét được? Nhập khóa bằng tay")
    summary.focus()
    page.keyboard.press("Enter")
    secret = page.locator("#totp-secret").inner_text()
    field = page.get_by_label("Mã 6 chữ số trong ứng dụng")
    first, used = code_for(secret)
    field.fill(first)
    field.press("Enter")

    expect(page.get_by_role("heading", name="Mã dự phòng")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert fits_the_screen(page)
    shot("recovery-codes")
    page.get_by_role("link", name="Đã lưu, tiếp tục").click()
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()

    page.get_by_role("button", name="Menu").click()  # a phone: the menu is folded
    page.get_by_role("button", name="Đăng xuất").click()
    password_step(page)
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    code = page.get_by_label("Mã xác thực")
    expect(code).to_be_focused()
    assert fits_the_screen(page)
    shot("code")
    code.fill(code_for(secret, after=used)[0])  # a code after the one used at setup
    code.press("Enter")
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
