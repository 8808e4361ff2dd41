"""axe-core on the main pages, at desktop and phone width: no serious or critical
violation (issue 14 item 8). axe-core comes inside the axe-playwright-python wheel, so
nothing is downloaded when the tests run (docs/decisions/0035-axe-core.md)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.test_data_entry import PERIOD, log_in, report  # noqa: F401 (fixture)
from tests.factories import SYSTEM
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}


def serious(page: Page) -> list[str]:
    """The serious and critical violations of the page: 'rule (impact): where'."""
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {', '.join(t for n in v['nodes'][:3] for t in n['target'])}"
        for v in found
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_reporters_and_managers_pages_have_no_serious_violation(page: Page, report, width):  # noqa: F811
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    found: dict[str, list[str]] = {}
    page.goto("/dang-nhap/")
    found["log-in"] = serious(page)
    log_in(page, "bcv")
    pages = ["/bao-cao/", f"/bao-cao/HK/C1/{PERIOD}/", "/don-vi/", "/tai-khoan/"]
    for path in pages:
        page.goto(path)
        found[path] = serious(page)
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # below 600 px the menu is folded
        menu.click()
    page.get_by_role("button", name="Đăng xuất").click()
    cells = [services.CellInput("lop_ke_hoach", "3"), services.CellInput("lop_da_mo", "2")]
    unit = Unit.objects.get(code="C1")
    services.save_values(acting_user=SYSTEM, form=report, unit=unit, period_id=PERIOD, cells=cells)
    services.submit(acting_user=SYSTEM, form=report, unit=unit, period_id=PERIOD)
    log_in(page, "quanly")
    manager_pages = [
        "/bao-cao/",
        f"/bao-cao/HK/C1/{PERIOD}/xem-xet/",
        "/don-vi/D1/",
        "/phan-tich/",
        "/van-ban/",
        "/soan-bao-cao/",
        "/chat-luong/",
    ]
    for path in manager_pages:
        page.goto(path)
        found[f"{path} (manager)"] = serious(page)
    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "\n".join(f"{w}: {v}" for w, v in bad.items())
    assert re.search(r"/chat-luong/", page.url)
    # The harness sees what it should: an image without a text alternative is critical.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert [v for v in serious(page) if v.startswith("image-alt (critical)")]
