"""A report is named in words on its pages and in its files, never by its codes."""

import datetime as dt
from urllib.parse import unquote

import pytest

from tests.factories import SYSTEM
from tests.translation import PERIODS, english
from trienkhai.documents.models import Document
from trienkhai.drafting import names, services
from trienkhai.drafting.models import Report

from .test_workflow import draft

NAME = "Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận"


@pytest.mark.parametrize(
    ("name", "period", "together"),
    [
        ("Báo cáo sơ kết 6 tháng", "6 tháng đầu năm 2020", "Báo cáo sơ kết 6 tháng đầu năm 2020"),
        ("Báo cáo kết quả năm", "Năm 2021", "Báo cáo kết quả năm 2021"),
        (
            "Báo cáo sơ kết nhiều năm (5 năm)",
            "Năm 2019–2021",
            "Báo cáo sơ kết nhiều năm (5 năm), năm 2019–2021",
        ),
        ("Six-month interim report", "First half of 2020", "Six-month interim report, first half of 2020"),
        ("Báo cáo quý", "", "Báo cáo quý"),
    ],
)  # fmt: skip
def test_it_writes_the_words_a_name_and_its_period_share_once(name, period, together):
    assert names.joined(name, period) == together


def test_a_report_is_named_by_its_template_period_and_unit(district, templates, tmp_path):
    report = draft(district, templates)
    assert names.title(report) == NAME
    year = services.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-nhieu-nam"],
        unit=district.hu,
        issuer=district.board,
        period="2019..2020",
        date=dt.date(2020, 12, 29),
    )
    assert names.title(year) == (
        "Báo cáo sơ kết nhiều năm (5 năm), năm 2019–2020 — Huyện ủy Vĩnh Thuận"
    )
    with english(tmp_path, PERIODS):
        assert names.title(report) == (
            "Six-month interim report, first half of 2020 — Huyện ủy Vĩnh Thuận"
        )
        # A file is named in Vietnamese, the document's language, whatever the page's.
        assert names.file_names(report, "pdf")[1].startswith("Dự thảo - Báo cáo sơ kết 6")


def test_the_pages_name_the_report_in_words(web, personas, district, templates):
    report = draft(district, templates)
    client = web(personas.manager)
    editor = client.get(f"/soan-bao-cao/{report.pk}/").content.decode()
    assert f"<h1>{NAME}</h1>" in editor and f"<title>Sửa dự thảo · {NAME}" in editor
    heading = editor.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "HUT" not in heading and "2020S1" not in heading
    preview = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert f"› {NAME}</p>" in preview
    asked = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/").content.decode()
    assert f">{NAME}</a>" in asked and "2020S1" not in asked


def disposition(response) -> tuple[str, str]:
    """(filename, the decoded filename*) of a download."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    shown = unquote(header.split("filename*=UTF-8''", 1)[1])
    return plain, shown


def test_downloads_are_named_in_words_draft_and_issued(web, personas, district, templates, media):
    report = draft(district, templates)
    client = web(personas.manager)
    assert disposition(client.get(f"/soan-bao-cao/{report.pk}/tep.docx")) == (
        "du-thao_bao-cao-so-ket-6-thang-dau-nam-2020_huyen-uy-vinh-thuan.docx",
        "Dự thảo - Báo cáo sơ kết 6 tháng đầu năm 2020 - Huyện ủy Vĩnh Thuận.docx",
    )
    services.issue_report(acting_user=personas.manager, report=report)
    assert disposition(client.get(f"/soan-bao-cao/{report.pk}/tep.pdf")) == (
        "01-BC-BTGHU_bao-cao-so-ket-6-thang-dau-nam-2020_huyen-uy-vinh-thuan.pdf",
        "01-BC-BTGHU - Báo cáo sơ kết 6 tháng đầu năm 2020 - Huyện ủy Vĩnh Thuận.pdf",
    )


def test_a_stored_file_keeps_the_letters_of_its_symbol():
    """Đ used to be dropped ("01-BC/ĐU" stored as "01-BC-U.pdf")."""
    report = Report(pk=7, document=Document(pk=3, symbol="01-BC/ĐU"))
    assert services.file_name(report, "pdf") == "01-BC-DU.pdf"
    assert services.file_name(Report(pk=7), "docx") == "bao-cao-7.docx"
