"""A unit picker browsed as a tree, with the keyboard alone (issue 14 item 1).

GIVEN a district manager (Huyện Vĩnh Thuận, its town and one commune) on the page that
makes a form, whose "Đơn vị ban hành" is a unit picker
WHEN the manager opens "Chọn trong cây", opens the district's units with Enter and
chooses the town with Enter
THEN the picker reads "Thị trấn Vĩnh Thuận (C1)", the dialog is closed and the focus is
back in the picker; the open dialog has no serious accessibility violation; on a phone
the dialog fits the screen.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious
from tests.browser.test_data_entry import log_in, report  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_unit_is_chosen_from_the_tree_with_the_keyboard(page: Page, shot, report, size):  # noqa: F811
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, "quanly")
    page.goto("/bao-cao/quan-tri/bieu/moi/")
    picker = page.get_by_label("Đơn vị ban hành", exact=False)
    browse = page.get_by_role("button", name="Chọn trong cây").first
    browse.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Chọn đơn vị")
    expect(dialog).to_be_visible()
    district = dialog.get_by_role("button", name="Đơn vị trực thuộc: Huyện Vĩnh Thuận")
    expect(district).to_be_visible()
    district.focus()
    page.keyboard.press("Enter")
    expect(district).to_have_attribute("aria-expanded", "true")
    town = dialog.get_by_role("button", name="Chọn: Thị trấn Vĩnh Thuận")
    expect(town).to_be_visible()
    expect(dialog.get_by_role("button", name="Chọn: Xã Vĩnh Bình Bắc")).to_be_visible()
    assert serious(page) == []
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= size[0], box
    shot("tree")
    town.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(picker).to_have_value("Thị trấn Vĩnh Thuận (C1)")
    expect(picker).to_be_focused()
