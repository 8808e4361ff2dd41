"""The activities' breadcrumbs (activities/templatetags/crumbs.py): a long title is
shortened in its middle, at word boundaries, so that it never names another."""

import pytest

from tests.activities.conftest import make_event
from tests.activities.test_views import main
from trienkhai.activities.templatetags.crumbs import crumb

KHOA_II = "Lớp bồi dưỡng nhận thức về Đảng, khóa II năm 2021"


@pytest.mark.parametrize(
    ("title", "limit", "shown"),
    [
        (KHOA_II, 60, KHOA_II),  # fits: whole
        (KHOA_II, 40, "Lớp bồi dưỡng nhận … khóa II năm 2021"),
        (
            "Hội nghị học tập, quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần thứ tư "
            "Ban Chấp hành Trung ương Đảng khóa XIII",
            60,
            "Hội nghị học tập, quán … hành Trung ương Đảng khóa XIII",
        ),
        ("Một  tên   ngắn", 60, "Một tên ngắn"),
        ("Haitừ dàiquádàiquádàiquá", 5, "Haitừ dàiquádàiquádàiquá"),  # two words: whole
    ],
)
def test_a_long_title_keeps_its_first_and_last_words(title, limit, shown):
    assert crumb(title, limit) == shown


def test_no_word_is_ever_cut():
    title = "Lớp bồi dưỡng kỹ năng soạn thảo văn bản cho cán bộ văn phòng cấp ủy khóa III"
    for limit in range(10, len(title)):
        shortened = crumb(title, limit)
        assert set(shortened.split()) - {"…"} <= set(title.split()), limit
        assert shortened.endswith("III"), limit


def test_the_check_in_page_names_the_khoa_ii_class_as_khoa_ii(personas, web, org):
    """GIVEN classes khóa I and khóa II of the same year WHEN the pages of khóa II are
    opened THEN their breadcrumbs read "khóa II năm 2021" (the walk read "khóa I…")."""
    make_event(org.d1, title=KHOA_II.replace("khóa II", "khóa I"))
    event = make_event(org.d1, title=KHOA_II)
    session = event.sessions.get()
    client = web(personas.manager)
    page = main(client.get(f"/hoat-dong/buoi/{session.pk}/diem-danh/"))
    assert f"Hoạt động › {KHOA_II} › Điểm danh" in page
    long = make_event(org.d1, title=f"{KHOA_II} cho đảng viên mới của các chi bộ ở xã")
    page = main(client.get(f"/hoat-dong/buoi/{long.sessions.get().pk}/diem-danh/"))
    assert "Hoạt động › Lớp bồi dưỡng nhận thức về … viên mới của các chi bộ ở xã ›" in page
    assert "khóa I…" not in page
