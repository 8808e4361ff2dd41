"""An organiser advances the best of a closed round into the next one, in a browser, on a
390 × 844 phone and a 1366 × 900 screen, with the keyboard (decision 0061).

GIVEN Huyện Vĩnh Thuận's contest (Sơ khảo → Chung khảo) whose first round is closed with
six entries scored by two judges, ranked 3, 1, 5, 2, 6, 4, and its organiser, a manager
of the district
WHEN the organiser opens the round, follows "Chọn bài vào vòng sau", types 7 (more than
were ranked), then 3, previews and confirms, all from the keyboard
THEN 7 is refused beside the field with nothing chosen; the preview says the third
entry's normalised score and the fourth's; confirming lands on Chung khảo's page saying
3 entries were chosen, and they are receipts 3, 1 and 5; no page scrolls sideways and axe
finds no serious violation.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious
from tests.browser.test_phone import fits, log_in, screen, shot  # noqa: F401 (screen)
from tests.contests.conftest import contest, media  # noqa: F401 (fixtures)
from tests.contests.test_results import ORDER, closed  # noqa: F401 (a fixture)
from trienkhai.contests import ranking
from trienkhai.contests.models import Advancement
from trienkhai.contests.templatetags.contest_tags import fixed

pytestmark = pytest.mark.browser


@pytest.fixture
def round1(personas, closed):  # noqa: F811
    """``test_results.closed`` (six entries scored, round 1 closed) for the district's
    manager, on the live server's database."""
    return closed[0]


def checked(page: Page, width: int, found: dict, name: str) -> None:
    fits(page, width)
    shot(page, width, "contest-advance-" + name)
    found[name] = serious(page)


def test_an_organiser_advances_the_first_three_by_keyboard(screen, round1):  # noqa: F811
    page, width = screen
    found: dict[str, list[str]] = {}
    main = page.locator("main")
    ranked = ranking.of_round(round1)
    held = round1.contest

    log_in(page, width, "manager")
    page.goto(f"/cuoc-thi/{held.pk}/vong/1/")
    link = main.get_by_role("link", name="Chọn bài vào vòng sau")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chọn bài từ vòng Sơ khảo vào vòng Chung khảo"
    )
    expect(main.locator("#advance-ranking tbody tr").first).to_contain_text("003/2022")
    checked(page, width, found, "page")

    count = page.get_by_label("Số bài vào vòng Chung khảo")
    count.focus()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    expect(main.locator(".has-error")).to_contain_text("Số bài vào vòng sau từ 1 đến 6")
    checked(page, width, found, "too-many")

    count.fill("")
    count.focus()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    third, fourth = fixed(ranked[2].normalised), fixed(ranked[3].normalised)
    expect(main.locator("#preview")).to_contain_text(
        f"Bài thứ 3 có điểm chuẩn hóa {third}; bài thứ 4: {fourth}."
    )
    assert not Advancement.objects.exists()
    checked(page, width, found, "preview")

    confirm = main.get_by_role("button", name="Chọn 3 bài vào vòng Chung khảo")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(main.get_by_role("status").first).to_contain_text(
        "Đã chọn 3 bài vào vòng Chung khảo. Hãy phân công giám khảo chấm."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp hạng vòng Chung khảo")
    chosen = Advancement.objects.filter(round__number=2).select_related("entry")
    assert [a.entry.number for a in chosen] == ORDER[:3]
    checked(page, width, found, "next-round")
    assert not any(found.values()), found
