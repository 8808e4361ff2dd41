"""The grid's heading and help as a reporter sees them, on a 390 × 844 phone and a screen:
the form's name in large type and the codes in small print after; the help speaks of
keys only where there are keys."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_grid_cells import PERIOD, log_in, report, screen  # noqa: F401
from tests.browser.test_phone import PHONE, fits

pytestmark = pytest.mark.browser


def test_it_heads_the_grid_with_names_and_fits_the_help_to_the_screen(screen, report):  # noqa: F811
    page, width = screen
    log_in(page, "bcv")
    page.goto(f"/bao-cao/HD/C1/{PERIOD.id}/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Báo cáo hoạt động 6 tháng")
    expect(main.locator("#grid-codes")).to_have_text(
        f"Mã biểu HD · mã đơn vị C1 · mã kỳ {PERIOD.id}"
    )
    sizes = main.evaluate(
        """m => [getComputedStyle(m.querySelector('h1')).fontSize,
                 getComputedStyle(m.querySelector('#grid-codes')).fontSize].map(parseFloat)"""
    )
    assert sizes[1] < sizes[0] * 0.6
    if width == PHONE["width"]:
        expect(main.locator("#keys-touch")).to_be_visible()
        expect(main.locator("#keys-keyboard")).to_be_hidden()
    else:
        expect(main.locator("#keys-keyboard")).to_be_visible()
        expect(main.locator("#keys-touch")).to_be_hidden()
    fits(page, width)
