"""A manager edits a generated report with the keyboard, previews it and issues it.

GIVEN the report-test district (figures 2019S2–2020S1, 217-CV/HU answered by both cells)
and a draft of the six-month review for 2020S1
WHEN the manager opens the editor, tabs to a narrative paragraph, types a sentence with a
placeholder, types the signer's name, saves with Enter on the preview button, and issues
after the page names the number
THEN the preview shows the typed text with the engine's figure, and the report gets
number 01-BC/BTGHU with its .docx and .pdf stored.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.test_accessibility import serious
from tests.drafting.conftest import district, six_month_review, templates  # noqa: F401
from trienkhai.drafting.models import Report

pytestmark = pytest.mark.browser


@pytest.fixture
def undirected(transactional_db, district, templates, settings, tmp_path):  # noqa: F811
    """The review of 2019S2: the committee's only directive (217-CV/HU) came in 2020."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return six_month_review(district, templates, "2019S2", dt.date(2020, 1, 8))


@pytest.fixture
def draft(transactional_db, district, templates, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "files"
    return six_month_review(district, templates, "2020S1", dt.date(2020, 6, 29))


def log_in(page: Page, username: str) -> None:
    page.goto("/soan-bao-cao/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f.PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Soạn báo cáo từ số liệu")).to_be_visible()


def test_a_manager_edits_previews_and_issues_with_the_keyboard(page: Page, shot, draft, personas):
    log_in(page, "manager")
    page.get_by_role("link", name="Báo cáo sơ kết 6 tháng").click()
    expect(
        page.get_by_role(
            "heading", name="Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận"
        )
    ).to_be_visible()
    limits = page.get_by_label("Đoạn 3.1")  # under "3. Hạn chế, nguyên nhân"
    limits.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Còn {so_trang} trang cần cập nhật thường xuyên hơn.")
    page.keyboard.press("Tab")  # to the next field, as a person leaves the paragraph
    page.get_by_label("Họ tên người ký").fill("Trần Văn B")  # a number needs a signer
    shot("edited")
    page.get_by_role("button", name="Lưu và xem trước").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Xem trước dự thảo")).to_be_visible()
    paper = page.get_by_role("article", name="Văn bản")
    expect(paper).to_contain_text("Còn 2 trang cần cập nhật thường xuyên hơn.")
    expect(paper).to_contain_text("Nhìn chung, 2/2 chi, đảng ủy trực thuộc")
    expect(paper).to_contain_text("20.673")
    shot("preview", guide="10-xem-truoc-bao-cao")
    page.get_by_role("button", name="Ban hành (lấy số)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cấp số 01-BC/BTGHU?")).to_be_visible()
    page.get_by_role("button", name="Cấp số 01-BC/BTGHU").focus()
    page.keyboard.press("Enter")
    # issuing converts to PDF with LibreOffice: seconds, more on a busy machine
    expect(page.get_by_role("heading", name="Báo cáo số 01-BC/BTGHU")).to_be_visible(timeout=90_000)
    expect(page.get_by_role("status")).to_contain_text("Đã ban hành: số 01-BC/BTGHU.")
    shot("issued", guide="11-ban-hanh")
    report = Report.objects.get()
    assert report.document.symbol == "01-BC/BTGHU"
    assert report.docx and report.pdf
    expect(page.get_by_role("button", name="Ban hành (lấy số)")).to_have_count(0)


def test_the_issue_button_waits_for_a_signer_and_says_so(page: Page, shot, draft, personas):
    """GIVEN a new draft without the signer's name WHEN the manager previews it THEN
    "Ban hành" is disabled and the words beside it say what is missing; after typing
    the name in the editor the button is on."""
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{draft.pk}/xem-truoc/")
    issue = page.get_by_role("button", name="Ban hành (lấy số)")
    expect(issue).to_be_disabled()
    expect(issue).to_have_accessible_description(
        re.compile("Cần ghi họ tên người ký trước khi ban hành.")
    )
    shot("waiting-for-signer")
    page.locator("#issue-blocked").get_by_role("link", name="Sửa tiếp").click()
    page.get_by_label("Họ tên người ký").fill("Trần Văn B")
    page.get_by_role("button", name="Lưu và xem trước").click()
    expect(page.get_by_role("heading", name="Xem trước dự thảo")).to_be_visible()
    expect(issue).to_be_enabled()
    expect(page.locator("#issue-blocked")).to_have_count(0)


def test_a_manager_deletes_a_draft_after_being_asked(page: Page, shot, draft, personas):
    """GIVEN a draft WHEN the manager presses "Xóa dự thảo" in its editor THEN a page asks
    first, naming the report; "Quay lại" keeps it; confirming deletes it and the list
    says so."""
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{draft.pk}/")
    page.get_by_role("button", name="Xóa dự thảo").click()
    expect(page.get_by_role("heading", name="Xóa dự thảo này?")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận"
    )
    shot("asked")
    page.get_by_role("link", name="Quay lại, không xóa").click()
    expect(page.get_by_label("Họ tên người ký")).to_be_visible()
    assert Report.objects.filter(pk=draft.pk).exists()
    page.get_by_role("button", name="Xóa dự thảo").click()
    page.get_by_role("button", name="Xóa dự thảo").click()
    expect(page.get_by_role("heading", name="Soạn báo cáo từ số liệu")).to_be_visible()
    # the list's unit pickers have status regions of their own (what a search found)
    expect(page.get_by_role("status").filter(has_text="Đã xóa dự thảo")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chưa có báo cáo nào.")
    assert not Report.objects.filter(pk=draft.pk).exists()


def test_a_draft_without_a_directive_says_so_and_explains_its_figures(
    page: Page, shot, undirected, personas
):
    """GIVEN the 2019S2 draft, for which no directive was found WHEN the manager opens
    its editor THEN a note says so and what to do, and each figure of the paragraphs says
    in words what it is and what it prints (on hover, and under the paragraph once
    reached); after typing 217-CV/HU into "Văn bản chỉ đạo" and saving, the preview's
    opening cites it and that note is gone. No serious accessibility violation, on a
    screen and on a phone. (Without a script, a legend says the same beside text boxes:
    tests/browser/test_draft_editor.py.)"""
    log_in(page, "manager")
    page.goto(f"/soan-bao-cao/{undirected.pk}/")
    notes = page.get_by_role("region", name="Cần xem lại trước khi ban hành")
    expect(notes).to_contain_text("Chưa có văn bản chỉ đạo")
    expect(notes).to_contain_text("ô “Văn bản chỉ đạo”")
    meaning = "Lượt người tham gia học tập: tổng của Huyện ủy Vĩnh Thuận, 6 tháng cuối năm 2019"
    count = page.get_by_role("textbox", name="Đoạn 2.2").locator(".chip", has_text="280")
    expect(count).to_have_attribute("title", f"{meaning} — In ra: 280")
    count.click()
    expect(page.locator(".chip-info").filter(has_text=meaning)).to_have_text(
        f"Số liệu: {meaning} — In ra: 280"
    )
    opening = page.get_by_role("textbox", name="Đoạn 1", exact=True).locator(".chip").first
    # It shows that it prints nothing, and its words (title, screen readers) say when it
    # prints: "không in gì" once, not again after them.
    opening_words = "Câu dẫn “Thực hiện …;” nêu văn bản chỉ đạo và trích yếu của nó, khi báo cáo"
    expect(opening).to_have_text(f"(không in gì) (Số liệu: {opening_words} có văn bản chỉ đạo)")
    expect(opening).to_have_attribute("title", f"{opening_words} có văn bản chỉ đạo")
    assert serious(page) == []
    shot("figures")
    page.get_by_label("Văn bản chỉ đạo").fill("217-CV/HU")
    page.get_by_role("button", name="Lưu và xem trước").click()
    expect(page.get_by_role("heading", name="Xem trước dự thảo")).to_be_visible()
    expect(page.get_by_role("article", name="Văn bản")).to_contain_text(
        "Thực hiện công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận"
    )
    expect(page.get_by_role("region", name="Cần xem lại trước khi ban hành")).not_to_contain_text(
        "Chưa có văn bản chỉ đạo"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/soan-bao-cao/{undirected.pk}/")
    expect(page.get_by_role("textbox", name="Đoạn 1", exact=True)).to_contain_text(
        "Thực hiện công văn số 217-CV/HU"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(page) == []
    shot("phone")
    # The preview on a phone: the letterhead's issuer has room for its words
    # (the paper's 3 cm margin left it about 90 px, a word a line).
    page.goto(f"/soan-bao-cao/{undirected.pk}/xem-truoc/")
    issuer = page.locator(".paper .head .issuer").first.bounding_box()
    paper = page.locator(".paper").bounding_box()
    assert issuer and paper and issuer["width"] >= 120, issuer
    assert paper["x"] >= 0 and paper["x"] + paper["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("preview-phone")
