"""A unit picker browsed as a tree, with the keyboard alone (issue 14 item 1).

GIVEN a district manager (Huyện Vĩnh Thuận, its town and one commune) on the page that
makes a form, whose "Đơn vị ban hành" is a unit picker
WHEN the manager opens "Chọn trong cây", opens the district's units with Enter and
chooses the town with Enter
THEN the picker reads "Thị trấn Vĩnh Thuận (C1)", the dialog is closed and the focus is
back in the picker; the open dialog has no serious accessibility violation; on a phone
the dialog fits the screen.
"""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.browser.test_data_entry import log_in, report  # noqa: F401 (fixture)
from tests.factories import SYSTEM
from trienkhai.orgs import services
from trienkhai.orgs.models import Unit

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


@pytest.fixture
def tan_hoa(report):  # noqa: F811
    """Three "Xã Tân Hòa" (under Huyện Vĩnh Thuận and under a Huyện Châu Thành in each of
    two provinces), Tỉnh Bến Tre's committee and a manager at the country."""
    f.make_unit("T1", name="Xã Tân Hòa", parent=Unit.objects.get(code="D1"))
    for n, province in ((2, "Tỉnh Tiền Giang"), (3, "Tỉnh Bến Tre")):
        top = f.make_unit(f"P{n}", name=province, kind_code="province")
        district = f.make_unit(f"D{n}", name="Huyện Châu Thành", kind_code="district", parent=top)
        f.make_unit(f"T{n}", name="Xã Tân Hòa", parent=district)
    f.make_unit("A3", name="Xã An Hòa", parent=Unit.objects.get(code="P3"))
    f.make_unit("TU3", name="Tỉnh ủy Bến Tre", kind_code="party_committee", parent=top)
    f.make_user("qtv", unit=f.root(), role="manager")


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_units_of_one_name_are_offered_with_where_they_sit(page: Page, shot, tan_hoa, size):
    """GIVEN three "Xã Tân Hòa" in three districts (two of them "Huyện Châu Thành")
    WHEN a manager at the country types "tan hoa" in the picker, moves down with the arrow keys
    and presses Enter
    THEN the list names each with its district (and province, where the districts'
    names are alike) as the options' accessible names, the code in small type; Enter
    writes the one chosen; and in the tree a province's committee comes before its
    districts and communes."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, "qtv")
    page.goto("/bao-cao/quan-tri/bieu/moi/")
    picker = page.get_by_role("combobox", name="Đơn vị ban hành")
    picker.press_sequentially("tan hoa")
    listbox = page.get_by_role("listbox", name="Gợi ý")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)
    expect(options.nth(0)).to_have_accessible_name("Xã Tân Hòa — Huyện Vĩnh Thuận T1")
    expect(options.nth(1)).to_have_accessible_name(
        "Xã Tân Hòa — Huyện Châu Thành, Tỉnh Tiền Giang T2"
    )
    expect(options.nth(2)).to_have_accessible_name("Xã Tân Hòa — Huyện Châu Thành, Tỉnh Bến Tre T3")
    code = options.nth(2).locator(".unit-code")
    assert code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") < options.nth(2).evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", options.nth(2).get_attribute("id"))
    expect(options.nth(2)).to_have_attribute("aria-selected", "true")
    assert serious(page) == []
    box = listbox.bounding_box()
    assert box and box["x"] + box["width"] <= size[0], box
    shot("same-names")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_value("Xã Tân Hòa (T3)")
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(picker).to_be_focused()

    # The tree: Tỉnh Bến Tre's committee before its district and commune.
    page.get_by_role("button", name="Chọn trong cây").first.click()
    dialog = page.get_by_role("dialog", name="Chọn đơn vị")
    dialog.get_by_role("button", name="Đơn vị trực thuộc: Việt Nam").click()
    dialog.get_by_role("button", name="Đơn vị trực thuộc: Tỉnh Bến Tre").click()
    under = dialog.get_by_role("button", name="Đơn vị trực thuộc: Tỉnh Bến Tre").locator("xpath=..")
    chosen = under.locator(":scope > ul > li > button.link")
    expect(chosen).to_have_text(["Tỉnh ủy Bến Tre", "Huyện Châu Thành", "Xã An Hòa"])


def test_an_ended_unit_is_offered_after_todays_and_says_until_when(page: Page, tan_hoa):
    """GIVEN a second "Xã Tân Hòa" under Huyện Vĩnh Thuận, ended in the 2025 reform WHEN
    "tan hoa" is typed THEN it comes last, and only the words saying until when it lived
    tell it from today's."""
    ended = f.make_unit("T4", name="Xã Tân Hòa", parent=Unit.objects.get(code="D1"))
    services.dissolve_unit(acting_user=SYSTEM, unit=ended, on=dt.date(2025, 7, 1))
    log_in(page, "qtv")
    page.goto("/bao-cao/quan-tri/bieu/moi/")
    page.get_by_role("combobox", name="Đơn vị ban hành").press_sequentially("tan hoa")
    options = page.get_by_role("listbox", name="Gợi ý").get_by_role("option")
    expect(options).to_have_count(4)
    expect(options.nth(0)).to_have_accessible_name("Xã Tân Hòa — Huyện Vĩnh Thuận T1")
    expect(options.nth(3)).to_have_accessible_name(
        "Xã Tân Hòa (đến 30/06/2025) — Huyện Vĩnh Thuận T4"
    )


def _beside(page: Page, width: int) -> list[str]:
    """What is wrong with where each picker's "Chọn trong cây" button sits: it should be
    on the input's line, right of it, and on the screen."""
    found = []
    for picker in page.locator("input[data-units]").all():
        if not picker.is_visible():
            continue
        field = picker.bounding_box()
        button = picker.locator("xpath=following-sibling::button[1]").bounding_box()
        assert field and button
        name = picker.get_attribute("name")
        if not field["y"] <= button["y"] + button["height"] / 2 <= field["y"] + field["height"]:
            found.append(f"{name}: the button is not on the input's line ({field}, {button})")
        if button["x"] < field["x"] + field["width"]:
            found.append(f"{name}: the button is not right of the input")
        if button["x"] + button["width"] > width or field["width"] < 150:
            found.append(f"{name}: off the screen or an input too narrow to read ({field})")
    return found


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_tree_button_sits_beside_its_picker(page: Page, shot, report, size):  # noqa: F811
    """GIVEN a manager on the page that makes a form (two unit pickers: the owner and the
    reporting units) and on the chart page (the unit picker in a narrow column)
    WHEN the pages are shown at desktop and phone widths
    THEN each "Chọn trong cây" button is on its picker's line, right of it, on the screen,
    and the picker keeps room for a unit's name."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, "quanly")
    for path in ("/bao-cao/quan-tri/bieu/moi/", "/phan-tich/bieu-do/"):
        page.goto(path)
        expect(page.get_by_role("button", name="Chọn trong cây").first).to_be_visible()
        shot(path.strip("/").replace("/", "-"))
        assert _beside(page, size[0]) == []
