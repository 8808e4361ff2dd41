"""A clerk edits a draft's words around its figures, with the keyboard alone (issue 14).

The editor shows each text as it will print, each figure a chip saying what it is; what
is saved is still the template text with its placeholders (drafting/editor.js).
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.test_accessibility import serious
from tests.browser.test_drafting import draft, log_in, undirected  # noqa: F401 (fixtures)
from tests.drafting.conftest import district, templates  # noqa: F401 (fixtures)
from trienkhai.drafting.models import Report

pytestmark = pytest.mark.browser

LIMITS = "Một số chi bộ xây dựng kế hoạch còn chung chung"  # how "Đoạn 3.1" starts


def shown(text: Locator) -> str:
    """What an editor's text shows the eye: its words and what its chips print, without
    the words said to screen readers only."""
    return text.evaluate(
        """e => { const c = e.cloneNode(true);
                  c.querySelectorAll('.visually-hidden').forEach(h => h.remove());
                  return c.textContent; }"""
    )


def test_a_clerk_writes_around_figures_inserts_one_by_name_and_deletes_one(
    page: Page,
    shot,
    draft,  # noqa: F811
    personas,
):
    """GIVEN the 2020S1 draft WHEN the manager, with the keyboard only, adds words to
    paragraph 3.1, inserts "lượt người tham gia" through "Chèn số liệu" by typing its
    name without accents, steps over the chip with the arrow keys to write before it,
    inserts another figure and deletes it with Backspace, and saves THEN the saved
    text holds the words and one placeholder, and the preview prints the figure."""
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{draft.pk}/")
    # The figures of a paragraph show what they print and say what they are.
    meetings = page.get_by_role("textbox", name="Đoạn 2.2")
    expect(meetings).to_contain_text("(Số liệu: Hội nghị học tập, quán triệt: tổng của")
    assert "tổ chức 03 hội nghị học tập, quán triệt, … hội nghị trực tuyến" in shown(meetings)
    assert "{" not in meetings.text_content()
    count = meetings.locator(".chip").filter(has_text="20.673")
    expect(count).to_have_attribute("title", re.compile(r"^Lượt người tham gia học tập: tổng"))
    expect(page.get_by_role("complementary", name="Chỗ điền trong các đoạn")).to_be_hidden()

    limits = page.get_by_role("textbox", name="Đoạn 3.1")
    limits.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Đã có ")
    page.keyboard.press("Tab")  # to the paragraph's own "Chèn số liệu"
    expect(page.get_by_role("button", name="Chèn số liệu (Đoạn 3.1)")).to_be_focused()
    page.keyboard.press("Enter")
    picker = page.get_by_role("dialog", name="Chèn số liệu")
    search = picker.get_by_role("combobox", name="Tìm số liệu theo tên")
    expect(search).to_be_focused()
    page.keyboard.type("luot nguoi tham gia")
    options = picker.get_by_role("option")
    expect(options.first).to_contain_text("Lượt người tham gia học tập: tổng của")
    expect(options.first).to_contain_text("20.673")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert serious(page) == []
    shot("picker", guide="10b-chen-so-lieu")
    page.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    expect(limits).to_be_focused()
    expect(page.locator("#editor-status")).to_have_text(
        re.compile("Đã chèn số liệu: Lượt người tham gia học tập")
    )
    page.keyboard.type(" lượt người học.")
    assert shown(limits).endswith(" Đã có 20.673 lượt người học.")
    # Left steps over the chip whole: the words go before it.
    for _ in " lượt người học.":
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("khoảng ")
    assert shown(limits).endswith(" Đã có khoảng 20.673 lượt người học.")
    # A figure inserted by mistake goes with one Backspace.
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.type("hoi nghi hoc tap")
    expect(options.first).to_contain_text("Hội nghị học tập, quán triệt")
    page.keyboard.press("Enter")
    expect(limits.locator(".chip")).to_have_count(2)
    page.keyboard.press("Backspace")
    expect(limits.locator(".chip")).to_have_count(1)
    expect(page.locator("#editor-status")).to_have_text(
        re.compile("Đã xóa số liệu: Hội nghị học tập")
    )
    shot("edited", guide="10a-sua-du-thao")
    page.get_by_role("button", name="Lưu và xem trước").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Xem trước dự thảo")).to_be_visible()
    saved = Report.objects.get(pk=draft.pk).narrative["4.1"]
    assert saved.startswith(LIMITS)
    assert saved.endswith(" Đã có khoảng {so_luot} lượt người học.")
    expect(page.get_by_role("article", name="Văn bản")).to_contain_text(
        "Đã có khoảng 20.673 lượt người học."
    )


def test_the_figure_named_as_typed_comes_first_and_enter_inserts_it(
    page: Page,
    draft,  # noqa: F811
    personas,
):
    """GIVEN the draft, whose paragraph 2.1 uses "Bản đăng ký tu dưỡng, rèn luyện của
    đảng viên" and "Tỷ lệ đảng viên viết bản đăng ký" (both holding "đảng viên") WHEN the
    manager types "so dang vien" in the picker, or "Số đảng viên" with its accents, and
    presses Enter THEN "Số đảng viên" is listed first and inserted: an exact name comes
    before names that merely hold the words, even figures already in use (the walk of
    issue 14 inserted 2.073 pledges for the members)."""
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{draft.pk}/")
    limits = page.get_by_role("textbox", name="Đoạn 3.1")
    picker = page.get_by_role("dialog", name="Chèn số liệu")
    options = picker.get_by_role("option")
    for typed in ("so dang vien", "Số đảng viên"):
        limits.focus()
        page.keyboard.press("Control+End")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.type(typed)
        expect(options.first).to_contain_text("Số đảng viên: tổng của Huyện ủy Vĩnh Thuận")
        expect(options.first).to_have_attribute("aria-selected", "true")
        # then the figures in use, in the order used ("số" is no word of "(ghi nguồn)")
        expect(options.nth(1)).to_contain_text("Bản đăng ký tu dưỡng, rèn luyện của đảng viên:")
        page.keyboard.press("Enter")
        expect(picker).to_be_hidden()
        inserted = limits.locator(".chip").last
        expect(inserted).to_have_attribute("title", re.compile(r"^Số đảng viên: tổng của"))
    # A name starting with the typed words comes before one holding them elsewhere.
    page.get_by_role("button", name="Chèn số liệu (Đoạn 3.1)").click()
    page.keyboard.type("ty le")
    expect(options.first).to_contain_text("Tỷ lệ đảng viên viết bản đăng ký")
    page.keyboard.press("Escape")  # closes the picker at once, words typed or not
    expect(picker).to_be_hidden()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu.")).to_be_visible()
    saved = Report.objects.get(pk=draft.pk).narrative["4.1"]
    assert saved.endswith("{so_dang_vien}{so_dang_vien}")


def test_the_editor_fits_a_phone_and_takes_a_typed_code(
    page: Page,
    shot,
    draft,  # noqa: F811
    personas,
):
    """GIVEN the draft on a 390 px phone WHEN its editor opens THEN nothing scrolls
    sideways, the picker fits the screen, no serious accessibility violation; a figure
    typed as a code ("{so_trang:02}", the old way) becomes its chip, an unknown one a chip
    that says so: saving is refused beside the paragraph, every word kept; once that chip
    is deleted the text saves."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{draft.pk}/")
    pages = page.get_by_role("textbox", name="Đoạn 2.3")
    assert shown(pages).startswith("Toàn huyện hiện có 02 trang thông tin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(page) == []
    shot("phone")
    page.get_by_role("button", name="Chèn số liệu (Đoạn 2.3)").click()
    picker = page.get_by_role("dialog", name="Chèn số liệu")
    box = picker.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert serious(page) == []
    shot("phone-picker")
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    expect(pages).to_be_focused()
    limits = page.get_by_role("textbox", name="Đoạn 3.1")
    limits.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Còn {so_trang:02} trang và {khong_co} chỗ lạ.")
    expect(limits.locator(".chip-value")).to_have_text(["02", "{khong_co}"])
    page.get_by_role("button", name="Lưu", exact=True).click()
    limits = page.get_by_role("textbox", name="Đoạn 3.1")
    expect(limits).to_have_attribute("aria-invalid", "true")
    expect(limits).to_have_accessible_description(re.compile("Không có chỗ điền {khong_co}"))
    expect(limits).to_be_focused()
    assert not Report.objects.get(pk=draft.pk).narrative.get("4.1", "").startswith("Còn")
    page.keyboard.press("Control+End")
    for _ in " chỗ lạ.":
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Backspace")
    assert shown(limits) == "Còn 02 trang và  chỗ lạ."
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu.")).to_be_visible()
    saved = Report.objects.get(pk=draft.pk).narrative["4.1"]
    assert saved == "Còn {so_trang:02} trang và chỗ lạ."  # spaces run together when saved


def test_without_javascript_the_text_boxes_and_their_legend_are_the_editor(
    browser,
    live_server,
    draft,  # noqa: F811
    personas,
):
    """GIVEN a browser with JavaScript off WHEN the manager edits paragraph 3.1 THEN it is
    a text box holding the template text, the legend beside it gives each placeholder in
    words with what it prints, and what is typed there is saved and printed."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        log_in(page, "manager")
        page.goto(f"/soan-bao-cao/{draft.pk}/")
        legend = page.get_by_role("complementary", name="Chỗ điền trong các đoạn")
        expect(legend).to_contain_text("{so_luot}")
        expect(legend).to_contain_text(
            "Lượt người tham gia học tập: tổng của Huyện ủy Vĩnh Thuận, 6 tháng đầu năm 2020"
        )
        expect(page.get_by_role("button", name=re.compile("Chèn số liệu"))).to_have_count(0)
        limits = page.get_by_role("textbox", name="Đoạn 3.1")
        expect(limits).to_have_value(re.compile(f"^{LIMITS}"))
        beside, text = legend.bounding_box(), limits.bounding_box()
        assert beside and text and beside["x"] >= text["x"] + text["width"]  # beside it
        limits.fill("Còn {so_trang} trang cần cập nhật.")
        page.get_by_role("button", name="Lưu và xem trước").click()
        expect(page.get_by_role("article", name="Văn bản")).to_contain_text(
            "Còn 2 trang cần cập nhật."
        )
        assert Report.objects.get(pk=draft.pk).narrative["4.1"] == (
            "Còn {so_trang} trang cần cập nhật."
        )
    finally:
        context.close()
