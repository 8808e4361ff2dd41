"""Report templates: the shipped files load as versioned data; a generated report carries the
engine's figures; bad templates, periods and placeholders are refused saying which and where."""

import datetime as dt
import io
import shutil
from decimal import Decimal

import docx
import pytest
from django.utils import translation

from tests.factories import SYSTEM
from tests.translation import PERIODS, english
from trienkhai.analytics.engine import rollup
from trienkhai.common.errors import BadInput
from trienkhai.documents.models import Document, NumberSeries
from trienkhai.drafting import catalogue, reports, services
from trienkhai.drafting.catalogue import TemplateError
from trienkhai.drafting.layout import Figure, Table, render_docx
from trienkhai.drafting.models import Report, ReportTemplate

from ..activities.conftest import attend, make_event
from .reading import docx_text


def new(district, template, period="2020S1", **kw):
    return services.new_report(
        acting_user=SYSTEM,
        template=template,
        unit=district.hu,
        issuer=district.board,
        period=period,
        date=dt.date(2020, 6, 29),
        **kw,
    )


def test_it_loads_the_three_shipped_templates_once(templates):
    assert sorted(templates) == ["bao-cao-nam", "so-ket-6-thang", "so-ket-nhieu-nam"]
    assert catalogue.load_templates() == sorted(templates)
    assert ReportTemplate.objects.get(code="so-ket-6-thang").version == 1


def test_it_makes_a_new_version_when_a_file_changes(templates, tmp_path):
    """GIVEN the shipped files copied, one edited WHEN loaded again THEN version 2, history kept."""
    for path in catalogue.FILES.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    edited = tmp_path / "bao-cao-nam.toml"
    edited.write_text(edited.read_text().replace("Báo cáo kết quả năm", "Báo cáo năm (sửa)"))
    catalogue.load_templates(tmp_path)
    template = ReportTemplate.objects.get(code="bao-cao-nam")
    assert (template.version, template.name) == (2, "Báo cáo năm (sửa)")
    assert template.history.count() == 2
    assert ReportTemplate.objects.get(code="so-ket-6-thang").version == 1


def test_it_refuses_a_malformed_block_naming_template_section_and_block():
    data = {
        "code": "hong",
        "name": "Hỏng",
        "profile": "party",
        "document_type": "BC",
        "period_type": "yearly",
        "title": "x",
        "sections": [
            {"heading": "1.", "blocks": [{"kind": "text", "text": "a"}, {"kind": "bang"}]}
        ],
    }
    with pytest.raises(TemplateError) as caught:
        catalogue.check_definition(data)
    assert "mẫu hong, phần 1, khối 2" in caught.value.message
    assert caught.value.details == [{"template": "hong", "section": 1, "block": 2}]


def test_the_docx_carries_the_engines_figures(district, templates):
    report = new(district, templates["so-ket-6-thang"])
    text = docx_text(render_docx(reports.build(report)))
    totals = {
        c.indicator: c.value
        for c in rollup(
            indicators=["luot_tham_gia", "van_ban_ban_hanh", "tin_bai_chinh_thuc"],
            periods=["2020S1"],
            units=["HUT"],
        )
    }
    assert totals["luot_tham_gia"] == Decimal(20673)
    assert "với 20.673 lượt người tham gia" in text
    assert f"đã ban hành {int(totals['van_ban_ban_hanh'])} văn bản" in text
    assert (
        "Nhìn chung, 2/2 chi, đảng ủy trực thuộc đã báo cáo triển khai công văn số "
        "217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận." in text
    )
    # counts of sites and meetings below 10 with a leading zero, all alike (04-BC/BTGHU)
    assert "hiện có 02 trang thông tin điện tử" in text
    assert "tổ chức 03 hội nghị học tập, quán triệt, … hội nghị trực tuyến và … lớp" in text
    assert "Câu lạc bộ lý luận chính trị có 20 thành viên" in text
    # the table: one row per cell with data, the total from the engine
    tables = docx.Document(io.BytesIO(render_docx(reports.build(report)))).tables
    table = next(t for t in tables if t.rows[0].cells[0].text == "Đơn vị")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[-1] == ["Tổng cộng", "2", "94"]
    assert {r[0] for r in rows[1:-1]} == {"Chi bộ Công an huyện", "Chi bộ Ban Tuyên giáo"}
    assert "công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận về đẩy mạnh" in text


def test_the_deployment_count_names_what_it_counts(district, templates):
    """GIVEN both cells answered Công văn 217-CV/HU and only CBA sent its 2020S2 report
    WHEN the 2020S2 review names the directive THEN "2/2 … đã báo cáo triển khai công
    văn số 217-CV/HU …" (its answers); without it, "1/2 … đã gửi báo cáo 6 tháng cuối
    năm 2020" (the reports): never a count of one source in the words of the other."""
    from .test_rates import enter

    enter(district.form, district.cells[0], "2020S2", {"hoi_nghi_hoc_tap": 1})

    def deployment(directive: str) -> str:
        report = new(district, templates["so-ket-6-thang"], "2020S2", directive=directive)
        text = docx_text(render_docx(reports.build(report)))
        return next(line for line in text.splitlines() if line.startswith("Nhìn chung"))

    assert deployment("217-CV/HU") == (
        "Nhìn chung, 2/2 chi, đảng ủy trực thuộc đã báo cáo triển khai công văn số "
        "217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận."
    )
    assert deployment("") == (
        "Nhìn chung, 1/2 chi, đảng ủy trực thuộc đã gửi báo cáo 6 tháng cuối năm 2020."
    )


def test_it_compares_with_the_period_before(district, templates):
    report = new(district, templates["so-ket-6-thang"])
    document = docx.Document(io.BytesIO(render_docx(reports.build(report))))
    comparison = next(t for t in document.tables if len(t.columns) == 5)
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in comparison.rows[1:]}
    # 2020S1: 20.673 attendances, 2019S2: 280 → +20.393, +7.283,2 %
    assert rows["Lượt người tham gia học tập (lượt)"] == ["20.673", "280", "20.393", "7.283,2"]


def test_a_span_template_totals_each_year_and_the_span(district, templates):
    """GIVEN classes and conferences registered in 2019 and 2020 (so-ket-nhieu-nam reads
    the register of activities, decision 0039) WHEN the 2019..2020 review is built THEN
    its table has a row a year and the span's total, and its text the span's figures."""
    cba, cbb = district.cells
    held = make_event(cba, "class", ["2019-10-07", "2019-10-08"])
    attend(held, ["An", "Bình", "Chi"], session=0)
    attend(held, ["An", "Bình"], session=1)
    attend(make_event(cbb, "study_conference", ["2020-03-03"]), ["An", "Dũng"], unit=cba)
    attend(make_event(cba, "online_conference", ["2020-05-26"]), ["Em"])
    report = services.new_report(
        acting_user=SYSTEM,
        template=templates["so-ket-nhieu-nam"],
        unit=district.hu,
        period="2019..2020",
        date=dt.date(2021, 1, 10),
    )
    document = reports.build(report)
    table = next(b for b in document.body if getattr(b, "caption", "").startswith("Biểu 1"))
    assert [row[0] for row in table.rows] == ["Năm 2019", "Năm 2020"]
    assert [row[1:] for row in table.rows] == [[1, 0, 0, 5], [0, 1, 1, 3]]
    assert list(table.totals[1:]) == [1, 1, 1, 8]
    assert "sơ kết 02 năm" in document.title
    text = docx_text(render_docx(document))
    assert "01 lớp bồi dưỡng lý luận chính trị; 01 hội nghị học tập" in text
    assert "01 hội nghị trực tuyến, với 8 lượt cán bộ, đảng viên" in text


def test_tables_are_numbered_as_printed_when_a_comparison_is_left_out(district, templates):
    """GIVEN a 2019 annual report (nothing in 2018 to compare with) WHEN it is built THEN
    the comparison (the template's "Biểu 1") is left out and the next table prints as
    "Biểu 1", not "Biểu 2"; the chart keeps "Biểu đồ 1"."""
    document = reports.build(new(district, templates["bao-cao-nam"], period="2019"))
    tables = [b for b in document.body if isinstance(b, Table)]
    assert [t.caption for t in tables] == ["Biểu 1. Kết quả học tập, bồi dưỡng theo đơn vị"]
    figures = [b.caption for b in document.body if isinstance(b, Figure)]
    assert [c.split(".")[0] for c in figures] == ["Biểu đồ 1"]
    full = reports.build(new(district, templates["bao-cao-nam"], period="2020"))
    captions = [b.caption.split(".")[0] for b in full.body if isinstance(b, Table)]
    assert captions == ["Biểu 1", "Biểu 2"]


def test_a_report_stays_vietnamese_when_its_writer_reads_english(district, templates, tmp_path):
    """GIVEN a page in English (an English catalogue for the period labels) WHEN a
    report is built THEN its period labels stay Vietnamese: formal documents are."""
    with english(tmp_path, PERIODS):
        span = reports.build(
            services.new_report(
                acting_user=SYSTEM,
                template=templates["so-ket-nhieu-nam"],
                unit=district.hu,
                period="2019..2020",
                date=dt.date(2021, 1, 10),
            )
        )
        half = new(district, templates["so-ket-6-thang"])
        text = docx_text(render_docx(reports.build(half)))
    table = next(b for b in span.body if getattr(b, "caption", "").startswith("Biểu 1"))
    assert [row[0] for row in table.rows] == ["Năm 2019", "Năm 2020"]
    assert "6 tháng đầu năm 2020" in text and "6 tháng cuối năm 2020" in text
    assert "half" not in text and "Year" not in text


def test_an_unknown_indicator_is_named_with_its_section_and_block(district, templates):
    template = templates["bao-cao-nam"]
    definition = template.definition
    definition["sections"][2]["blocks"][2]["indicators"].append("khong_co_chi_tieu")
    template.save()
    before = (
        Report.objects.count(),
        Document.objects.count(),
        list(NumberSeries.objects.values_list("last_number", flat=True)),
    )
    with pytest.raises(TemplateError) as caught:
        services.create_report(
            acting_user=SYSTEM, template=template, unit=district.hu, period="2020"
        )
    error = caught.value
    assert error.code == "unknown_indicator"
    assert error.details == [
        {"template": "bao-cao-nam", "section": 3, "block": 3, "indicator": "khong_co_chi_tieu"}
    ]
    assert "khong_co_chi_tieu (mẫu bao-cao-nam, phần 3, khối 3" in error.message
    after = (
        Report.objects.count(),
        Document.objects.count(),
        list(NumberSeries.objects.values_list("last_number", flat=True)),
    )
    assert after == before


def test_a_period_with_no_data_is_refused_naming_unit_and_period(district, templates):
    with pytest.raises(TemplateError) as caught:
        new(district, templates["so-ket-6-thang"], period="2022S1")
    assert caught.value.code == "no_data"
    assert caught.value.details == [
        {"template": "so-ket-6-thang", "unit": "HUT", "period": "2022S1"}
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize("period", ["2020", "2020Q1", "2019S2..2020S1", "ngay-mai"])
def test_a_period_of_the_wrong_kind_is_refused(district, templates, period):
    with pytest.raises(Exception) as caught:
        new(district, templates["so-ket-6-thang"], period=period)
    assert caught.value.code in {"invalid_period", "invalid_span"}


def test_its_refusals_name_the_unit_template_and_period_in_words(district, templates):
    """GIVEN the six-month template and Huyện ủy Vĩnh Thuận (HUT)
    WHEN a report is asked for a half-year without figures, or for a year, or answering
    a directive that is not in the register, in Vietnamese and in English
    THEN the screen's words name them ("6 tháng đầu năm 2022", not 2022S1); the API's
    message keeps the codes it always had."""
    with pytest.raises(TemplateError) as empty:
        new(district, templates["so-ket-6-thang"], period="2022S1")
    assert "HUT" in empty.value.message and "2022S1" in empty.value.message
    assert empty.value.shown == (
        "Chưa có số liệu nào của Huyện ủy Vĩnh Thuận cho 6 tháng đầu năm 2022 "
        "(mẫu “Báo cáo sơ kết 6 tháng”)."
    )
    with translation.override("en"), pytest.raises(BadInput) as yearly:
        new(district, templates["so-ket-6-thang"], period="2021")
    assert yearly.value.code == "invalid_period"
    assert yearly.value.shown.startswith(
        "The period “2021” does not fit the template “Six-month interim report”: it reports "
        "every six months, e.g. 2021S1 ("
    )
    assert "sixmonthly" not in yearly.value.shown and "so-ket-6-thang" not in yearly.value.shown
    with pytest.raises(BadInput) as unknown:
        new(district, templates["so-ket-6-thang"], directive="99-CV/HU")
    assert unknown.value.shown == "Huyện ủy Vĩnh Thuận không có văn bản đi số, ký hiệu “99-CV/HU”."
    assert not Report.objects.exists()
