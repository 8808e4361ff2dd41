"""Each demo user, as a newcomer: logs in, lands on "Việc của tôi", sees what to do
first and gets there in one click (issue 15's "done when").

GIVEN the demo loaded today — its 2019–2021 history, the 2025 reform and this year's
quarterly round (demo/current.py) — run as `trienkhai demo` runs it (admins' second
factor off); the package's demo, committed (conftest.py). A live server's test is
transactional and empties the database after it: tests/conftest.py runs it last of the
package
WHEN each of the nine demo users logs in with the password the demo prints
THEN the desk's first card names their work, its first link opens that work's page,
and nothing scrolls sideways; baocao does the same on a 390 px phone.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from trienkhai.demo import people

pytestmark = pytest.mark.browser

ACTIONS = ("Nhập số liệu", "Sửa theo yêu cầu", "Xem xét", "Trả lời", "Xem và ban hành", "Xử lý")


@pytest.fixture
def demo_as_served(demo, settings):
    settings.ADMIN_2FA = False  # as `trienkhai demo` sets it


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(people.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Việc của tôi", level=1)).to_be_visible()


def first_step(page: Page, username: str, shot) -> str:
    """Click the first link of the desk's first card; the page it opens."""
    first = page.locator("main section.card").first
    expect(first).not_to_contain_text("Không có việc nào")
    link = first.get_by_role("link").first
    text, href = link.inner_text(), link.get_attribute("href")
    # A task to do, or (a viewer's desk) the progress of their province.
    assert text.startswith(ACTIONS) or "/tien-do/" in href, (username, text, href)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{username}'s desk scrolls sideways"
    shot(f"{username}-desk")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return href


def test_every_demo_user_reaches_their_first_task_in_one_click(page: Page, shot, demo_as_served):
    reached = {}
    for username, *_ in people.USERS:
        log_in(page, username)
        reached[username] = first_step(page, username, shot)
    assert reached["baocao"].startswith("/bao-cao/BC35-AG-QUY/")
    assert reached["bc.yenphong"].startswith("/bao-cao/BC35-TN-QUY/")
    assert reached["quanlymoi"].endswith("/xem-xet/")
    assert "/tien-do/" in reached["xem"]

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "baocao")
    href = first_step(page, "baocao-phone", shot)
    assert href == reached["baocao"]
    # The grid opens on its first input, on screen.
    first_input = page.locator("main input[type=text], main input:not([type])").first
    expect(first_input).to_be_in_viewport()
