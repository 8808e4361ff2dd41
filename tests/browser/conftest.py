"""Playwright driving Debian's Chromium against pytest-django's live server.

One browser per test process (pytest-xdist runs one per worker); a fresh context, so a
fresh cookie jar, per test. Never `playwright install`: the browser is /usr/bin/chromium.
Screenshots go to test-artifacts/ (gitignored).
"""

import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a Vietnamese-language browser, its base URL the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
    _wait_for_live_server_requests()


def _wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """Let the live server finish the connections Chromium kept alive.

    Each is served by a thread that, when the connection closes, closes its database
    connections. With SQLite in memory that connection is the test's own, shared with
    the server only while the server runs: a thread still closing after the last test
    of the process would fail. Waiting here keeps every request inside its test.
    """
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(timeout)


GUIDE_SHOTS = os.environ.get("TRIENKHAI_GUIDE_SHOTS", "")
"""Where ``make guide`` has the tests write the user guide's pictures (docs/guide/img)."""


@pytest.fixture
def shot(page, request):
    """shot("search") saves the whole page as test-artifacts/<test>-<n>-search.png;
    shot("search", guide="tim-don-vi") also, under ``make guide``, what the screen shows as
    docs/guide/img/tim-don-vi.png: the guide's pictures are taken by the tests, so they
    show the screens as they are (tests/test_guide.py holds the guide to them)."""
    ARTIFACTS.mkdir(exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    taken = []

    def take(name: str, *, guide: str = "") -> Path:
        taken.append(name)
        path = ARTIFACTS / f"{test}-{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if guide and GUIDE_SHOTS:
            Path(GUIDE_SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(GUIDE_SHOTS) / f"{guide}.png"))
        return path

    return take
