"""The data-quality page /chat-luong/, its .xlsx export and its notes form."""

import io
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from tests.reporting.test_quality import NOW, troubled  # noqa: F401
from trienkhai.reporting.models import Indicator, OutlierComment, QualityNote

SPAN = {"bieu": "HK", "don_vi": "D1", "tu": "2021S1", "den": NOW}


def page_url(**more) -> str:
    return "/chat-luong/?" + urlencode({**SPAN, **more})


def note_body(**more) -> dict:
    return {
        "bieu": "HK",
        "don_vi": "C1",
        "ky": NOW,
        "loai": "outlier",
        "chi_tieu": "luot_nguoi",
        "phuong_phap": "modified_z",
        "ghi_chu": "Đã gọi điện hỏi xã",
        "xu_ly": "resolve",
        "tiep": page_url(),
        **more,
    }


def test_it_shows_each_section_with_names_and_counts(troubled, personas, web):  # noqa: F811
    response = web(personas.manager).get(page_url())
    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "Chất lượng số liệu",
        "Thị trấn Vĩnh Thuận",
        "Lượt người tham gia",
        "20.673",
        "165–235",
        "Có hội nghị toàn huyện",
        "Số lớp đã mở không vượt kế hoạch",
        "Ô bắt buộc còn trống",
        "Chưa gửi",
        "10/01/2022",  # a deadline, dd/mm/yyyy
    ):
        assert words in text, words
    assert 'data-count="outliers">Số liệu bất thường <span class="tag">1</span>' in text
    assert 'data-count="gaps">Thiếu báo cáo, ô bắt buộc trống <span class="tag">3</span>' in text
    assert text.count('name="xu_ly" value="resolve"') == 5  # the manager may resolve each


def test_it_shows_a_viewer_the_page_without_the_resolve_forms(troubled, personas, web):  # noqa: F811
    response = web(personas.viewer).get(page_url())
    assert response.status_code == 200
    assert "20.673" in response.content.decode()
    assert 'name="xu_ly"' not in response.content.decode()


def test_it_picks_defaults_when_nothing_is_chosen(troubled, personas, web):  # noqa: F811
    response = web(personas.manager).get("/chat-luong/")
    assert response.status_code == 200
    assert "Báo cáo 6 tháng" in response.content.decode()


def test_it_resolves_an_item_and_keeps_it_resolved(troubled, personas, web):  # noqa: F811
    client = web(personas.manager)
    response = client.post("/chat-luong/ghi-chu/", note_body())
    assert response.status_code == 302 and response["Location"] == page_url()
    note = QualityNote.objects.get()
    assert (note.kind, note.note, note.resolved_by) == (
        "outlier",
        "Đã gọi điện hỏi xã",
        personas.manager,
    )
    assert "20.673" not in client.get(page_url()).content.decode()  # open items only
    shown = client.get(page_url(trang_thai="resolved")).content.decode()
    assert "20.673" in shown and "Đã gọi điện hỏi xã" in shown and 'value="reopen"' in shown
    client.post("/chat-luong/ghi-chu/", note_body(xu_ly="reopen", ghi_chu=""))
    note.refresh_from_db()
    assert note.resolved is None and note.note == "Đã gọi điện hỏi xã"
    assert "20.673" in client.get(page_url()).content.decode()


def test_it_sends_an_outside_next_back_to_the_page(troubled, personas, web):  # noqa: F811
    response = web(personas.manager).post(
        "/chat-luong/ghi-chu/", note_body(tiep="https://evil.example/")
    )
    assert response["Location"].startswith("/chat-luong/?")


def test_it_refuses_users_of_other_units_and_those_who_may_not_resolve(
    troubled,  # noqa: F811
    personas,
    web,
):
    assert web(personas.outsider).get(page_url()).status_code == 403
    assert (
        web(personas.outsider).get("/chat-luong/chat-luong.xlsx?" + urlencode(SPAN)).status_code
        == 403
    )
    for who in (personas.outsider, personas.reporter, personas.viewer):
        assert web(who).post("/chat-luong/ghi-chu/", note_body()).status_code == 403
    assert not QualityNote.objects.exists()
    anonymous = web(None)
    assert anonymous.get(page_url()).status_code == 302
    assert anonymous.post("/chat-luong/ghi-chu/", note_body()).status_code == 302
    assert web(personas.manager).post(page_url()).status_code == 405
    assert web(personas.manager).get("/chat-luong/ghi-chu/").status_code == 405


@pytest.mark.parametrize(
    "params, status",
    [
        ({"bieu": "NOPE"}, 404),
        ({"don_vi": "NOPE"}, 404),
        ({"tu": NOW, "den": "2021S1"}, 400),
        ({"tu": "2010S1"}, 400),
        ({"tu": "2021Q1"}, 400),
        ({"trang_thai": "closed"}, 400),
        ({"phuong_phap": "mean"}, 400),
    ],
)
def test_it_answers_bad_choices_with_a_4xx(troubled, personas, web, params, status):  # noqa: F811
    assert web(personas.manager).get(page_url(**params)).status_code == status


@pytest.mark.parametrize(
    "more",
    [
        {"loai": "nonsense"},
        {"chi_tieu": "nope"},
        {"xu_ly": "burn"},
        {"danh_dau": "x", "loai": "follow_up"},
        {"ky": "2021Q1"},
    ],
)
def test_it_refuses_bad_notes_and_changes_nothing(troubled, personas, web, more):  # noqa: F811
    assert web(personas.manager).post("/chat-luong/ghi-chu/", note_body(**more)).status_code == 400
    assert not QualityNote.objects.exists()


def test_it_exports_every_section_as_a_sheet(troubled, personas, web):  # noqa: F811
    OutlierComment.objects.filter(indicator=Indicator.objects.get(code="luot_nguoi")).update(
        text='=HYPERLINK("http://x")'
    )
    response = web(personas.manager).get("/chat-luong/chat-luong.xlsx?" + urlencode(SPAN))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="Chat-luong-so-lieu-Bao-cao-6-thang-Huyen-Vinh-Thuan-'
        '6-thang-dau-nam-2021-6-thang-dau-nam-2022.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Bất thường", "Quy tắc", "Theo dõi", "Thiếu"]
    outliers = list(book["Bất thường"].values)
    assert outliers[0][:4] == ("Mã đơn vị", "Đơn vị", "Kỳ báo cáo", "Chỉ tiêu")
    (row,) = outliers[1:]
    assert row[:4] == ("C1", "Thị trấn Vĩnh Thuận", "6 tháng đầu năm 2022", "Lượt người tham gia")
    assert row[5] == 20673 and row[6] == 165 and row[7] == 235
    assert row[10] == '=HYPERLINK("http://x")'  # text, not a formula
    assert book["Bất thường"]["K2"].data_type == "s"
    assert len(list(book["Quy tắc"].values)) == 2
    assert [r[3] for r in list(book["Thiếu"].values)[1:]] == [
        "Ô bắt buộc còn trống",
        "Chưa gửi",
        "Đang nhập, chưa gửi",
    ]


def test_it_says_when_history_was_too_short_to_judge(form, org, personas, web):
    """The history section of a span with too little history says so, and why the
    outliers below it are found by the other methods."""
    from tests.reporting.test_outliers import put

    put(form, org.c1, NOW, "submitted", luot_nguoi=267)
    page = web(personas.manager).get(page_url(tu=NOW)).content.decode()
    assert 'id="too-little-history"' in page
    assert "1 giá trị chưa đủ lịch sử để so sánh" in page
