"""What a draft tells its writer (issue 14): the opening sentence without a directive and
the note saying so; the legend of the placeholders, in words, with what each prints."""

import datetime as dt

import pytest
from django.utils import translation

from tests.drafting.conftest import six_month_review
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.drafting import guide, reports, services
from trienkhai.reporting.models import Indicator

BOARD = "Ban Tuyên giáo Huyện ủy Vĩnh Thuận"


def create(district, templates, period: str):
    return six_month_review(district, templates, period, dt.date(2020, 6, 29))


def texts(report) -> dict[str, str]:
    report.refresh_from_db()
    page = reports.page_of(report)
    return {
        part.key: " ".join(b.text for b in part.layout)
        for part in reports.parts(page)
        if part.kind == "text"
    }


def read(report):
    report.refresh_from_db()
    page = reports.page_of(report)
    labels = guide.paragraph_labels(report.template.definition)
    return page, guide.notes(page, labels), guide.legend(page, labels)


def test_without_a_directive_the_opening_leaves_it_out_and_a_note_says_what_to_do(
    district, templates
):
    """GIVEN 2019S2, before Công văn 217-CV/HU (2020): no directive of the committee
    assigned anything in the period WHEN the review is drafted THEN the opening sentence
    reads without a directive (no "Thực hiện … …;"), and a note says none was found for
    the period, that the deployment is counted from the reports, and what to do."""
    report = create(district, templates, "2019S2")
    assert report.directive is None
    opening = texts(report)["1.1"]
    assert opening == f"{BOARD} báo cáo kết quả 6 tháng cuối năm 2019 như sau:"
    _, notes, _ = read(report)
    note = notes[0]
    assert note.startswith(
        "Chưa có văn bản chỉ đạo: không tìm thấy văn bản đi nào của Huyện ủy Vĩnh Thuận có "
        "giao nhiệm vụ trong 6 tháng cuối năm 2019."
    )
    assert "Câu mở đầu (đoạn 1) được viết không nêu văn bản chỉ đạo." in note
    assert "đếm theo các báo cáo định kỳ đã gửi" in note
    assert "vào ô “Văn bản chỉ đạo” ở phần đầu rồi lưu" in note
    assert "“…”" not in note  # no text cites the directive itself


def test_a_text_citing_the_missing_directive_is_named_in_the_note(district, templates):
    report = create(district, templates, "2019S2")
    services.update_report(
        acting_user=SYSTEM,
        report=report,
        narrative={"2.1": "Thực hiện {chi_dao} {chi_dao_trich_yeu}, các chi bộ đã triển khai."},
    )
    assert texts(report)["2.1"] == "Thực hiện … …, các chi bộ đã triển khai."
    note = read(report)[1][0]
    assert (
        "Các chỗ “Văn bản chỉ đạo”, “Trích yếu của văn bản chỉ đạo” (đoạn 1.1) sẽ in thành “…”."
    ) in note
    assert "{" not in note  # the writer reads names, never a placeholder


def test_naming_the_directive_in_the_editor_fills_the_opening(district, templates):
    """GIVEN the 2019S2 draft without a directive WHEN its writer names 217-CV/HU THEN the
    opening cites it and the note is gone; an unknown symbol is refused, naming it."""
    report = create(district, templates, "2019S2")
    with pytest.raises(BadInput) as refused:
        services.update_report(acting_user=SYSTEM, report=report, narrative={}, directive="9-CV/HU")
    assert refused.value.code == "unknown_directive" and "9-CV/HU" in refused.value.shown
    services.update_report(acting_user=SYSTEM, report=report, narrative={}, directive="217-CV/HU")
    assert texts(report)["1.1"].startswith(
        "Thực hiện công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận về đẩy mạnh "
        f"việc thực hiện chuyên đề năm 2020; {BOARD} báo cáo kết quả"
    )
    assert not [n for n in read(report)[1] if "văn bản chỉ đạo" in n]
    services.update_report(acting_user=SYSTEM, report=report, narrative={}, directive="")
    report.refresh_from_db()
    assert report.directive is None


def test_the_legend_explains_each_placeholder_the_texts_use_with_its_value(district, templates):
    report = create(district, templates, "2020S1")
    _, notes, legend = read(report)
    # 217-CV/HU found, every cell gave members and pledges; none held classes
    assert notes == [
        "Chưa có số liệu cho “Hội nghị trực tuyến”, “Lớp bồi dưỡng lý luận chính trị đã mở” "
        "(đoạn 2.2): các chỗ này sẽ in thành “…”. Số liệu được lấy lại mỗi lần xem trước: chờ các đơn vị báo cáo, hoặc sửa "
        "câu cho khỏi nêu các số đó."
    ]
    used = {e.name: e for e in legend if e.is_used}
    assert list(used)[:3] == ["thuc_hien_chi_dao", "issuer", "period"]  # in the order used
    assert used["so_ban_dang_ky"].meaning == (
        "Bản đăng ký tu dưỡng, rèn luyện của đảng viên: tổng của Huyện ủy Vĩnh Thuận, "
        "6 tháng đầu năm 2020 — khi không đơn vị nào nhập: đếm từ sổ đăng ký tu dưỡng, rèn luyện"
    )
    assert (used["so_ban_dang_ky"].value, used["so_ban_dang_ky"].used_in) == ("50", ["2.1"])
    assert (
        "tính trên cùng các đơn vị với “Số đảng viên”, “Bản đăng ký tu dưỡng, rèn luyện của "
        "đảng viên”"
    ) in used["ty_le_dang_ky"].meaning
    assert not [e.name for e in legend if "{" in e.meaning or "{" in e.label]
    # what a placeholder is says when it prints; "(không in gì)" is said by its value only
    assert not [e.name for e in legend if "không in gì" in e.meaning]
    assert used["so_ban_dang_ky"].label == "Bản đăng ký tu dưỡng, rèn luyện của đảng viên"
    assert used["nguon_so_ban_dang_ky"].label == (
        "Bản đăng ký tu dưỡng, rèn luyện của đảng viên (ghi nguồn)"
    )
    assert used["pham_vi_ty_le_dang_ky"].meaning.startswith(
        "Nói tỷ lệ “Tỷ lệ đảng viên viết bản đăng ký” tính trên bao nhiêu đơn vị"
    )
    assert used["nguon_so_ban_dang_ky"].value == "(không in gì)"  # typed: no register's words
    assert used["pham_vi_ty_le_dang_ky"].value == "(không in gì)"
    assert used["thuc_hien_chi_dao"].value.startswith("Thực hiện công văn số 217-CV/HU")
    assert used["period"].used_in == ["1", "2.2", "4.2", "trích yếu"]
    # the figures the texts do not use, offered after them with their words
    unused = {e.name: e for e in legend if not e.is_used}
    assert "chi_dao" in unused and unused["so_dang_vien"].value == "50"
    assert legend.index(used["period"]) < legend.index(unused["chi_dao"])


def test_the_legend_speaks_the_readers_language(district, templates):
    report = create(district, templates, "2019S2")
    Indicator.objects.filter(code="ban_dang_ky_tu_duong").update(name_en="Self-improvement pledges")
    with translation.override("en"):
        _, (note, *others), legend = read(report)
    # figures by their names in the reader's language (the English one where stored)
    (empty,) = [n for n in others if n.startswith("No figures yet for")]
    assert empty.startswith("No figures yet for “Self-improvement pledges”, “Tỷ lệ đảng viên")
    assert "{" not in " ".join([note, *others])
    entries = {e.name: e for e in legend}
    assert entries["issuer"].meaning == "Name of the unit issuing the report"
    assert entries["so_luot"].meaning == (
        "Lượt người tham gia học tập: total of Huyện ủy Vĩnh Thuận, the second half of 2019"
    )
    assert entries["so_ban_dang_ky"].value == "no figures yet"
    assert entries["thuc_hien_chi_dao"].value == "(prints nothing)"
    assert note.startswith("No directive: no outgoing document of Huyện ủy Vĩnh Thuận")


def test_figures_without_a_value_are_named_before_they_print_an_ellipsis(district, templates):
    """GIVEN 2019S2, when the cells gave no members, pledges, classes nor websites WHEN
    the review is drafted THEN a note names the placeholders the texts use that will
    print "…", with their paragraphs."""
    report = create(district, templates, "2019S2")
    assert "(… bản, đạt …% số đảng viên)" in texts(report)["3.2"]
    (note,) = [n for n in read(report)[1] if n.startswith("Chưa có số liệu")]
    assert note.startswith(
        "Chưa có số liệu cho “Bản đăng ký tu dưỡng, rèn luyện của đảng viên”, “Tỷ lệ đảng "
        "viên viết bản đăng ký”, “Hội nghị trực tuyến”, “Lớp bồi dưỡng lý luận chính trị đã "
        "mở”, “Trang, cổng thông tin điện tử chính thức do đơn vị quản lý”, “Tin, bài đăng "
        "trên trang thông tin chính thức”, “Thành viên câu lạc bộ lý luận chính trị” (đoạn "
        "2.1, 2.2, 2.3): các chỗ này sẽ in thành “…”."
    )
