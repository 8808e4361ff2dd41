"""Draft → edit → issue: one number per issued report, none when rendering fails."""

import datetime as dt

import pytest

from tests.drafting.conftest import signed
from tests.factories import SYSTEM
from trienkhai.common.errors import Conflict
from trienkhai.documents.models import Document, NumberSeries
from trienkhai.drafting import services
from trienkhai.drafting.catalogue import TemplateError
from trienkhai.drafting.models import Report
from trienkhai.drafting.pdf import ConversionError

from .reading import docx_text, pdf_text


def draft(district, templates, user=SYSTEM):
    return signed(
        services.create_report(
            acting_user=user,
            template=templates["so-ket-6-thang"],
            unit=district.hu,
            issuer=district.board,
            period="2020S1",
            date=dt.date(2020, 6, 29),
        )
    )


def series_numbers():
    return dict(NumberSeries.objects.values_list("scope_key", "last_number"))


def test_a_draft_starts_from_the_template_with_the_header_filled(district, templates):
    report = draft(district, templates)
    assert (report.superior, report.issuer_label, report.place) == (
        "HUYỆN ỦY VĨNH THUẬN",
        "BAN TUYÊN GIÁO",
        "Vĩnh Thuận",
    )
    assert report.directive == district.directive
    assert report.narrative["3.2"].startswith("Từng đảng viên")
    assert report.is_draft and report.document is None


def test_an_edited_narrative_is_kept_and_its_placeholders_filled(district, templates, manager):
    report = draft(district, templates)
    services.update_report(
        acting_user=manager,
        report=report,
        narrative={"3.2": "Đã có {so_ban_dang_ky} bản đăng ký tu dưỡng, rèn luyện."},
        signer_name="Nguyễn Văn A",
    )
    report.refresh_from_db()
    assert report.signer_name == "Nguyễn Văn A"
    data = services.render(report, "docx")
    text = docx_text(data)
    assert "Đã có 50 bản đăng ký tu dưỡng, rèn luyện." in text
    assert "Nguyễn Văn A" in text


def test_an_unknown_placeholder_is_refused_with_where_and_nothing_saved(
    district, templates, manager
):
    report = draft(district, templates)
    with pytest.raises(TemplateError) as caught:
        services.update_report(
            acting_user=manager, report=report, narrative={"4.1": "Có {so_lop_hoc} lớp."}
        )
    assert caught.value.code == "unknown_placeholder"
    assert caught.value.details == [
        {"template": "so-ket-6-thang", "section": 4, "block": 1, "placeholder": "so_lop_hoc"}
    ]
    report.refresh_from_db()
    assert "{so_lop_hoc}" not in report.narrative["4.1"]


@pytest.mark.parametrize(
    "text", ["Có {so_lop:0100000000} lớp.", "Có {so_lop:>99999999} lớp.", "Có {so_lop!r} lớp."]
)
def test_a_placeholder_format_beyond_a_small_width_is_refused(district, templates, manager, text):
    """84 bytes of narrative asked for a hundred million zeros (an 80 MB preview)."""
    report = draft(district, templates)
    with pytest.raises(TemplateError) as caught:
        services.update_report(acting_user=manager, report=report, narrative={"4.1": text})
    assert caught.value.code == "invalid_format"
    report.refresh_from_db()
    assert report.narrative["4.1"] != text
    services.update_report(
        acting_user=manager, report=report, narrative={"4.1": "Có {so_lop:02} lớp."}
    )


def test_issuing_takes_exactly_one_number_and_stores_both_files(
    district, templates, manager, media
):
    report = draft(district, templates)
    before = series_numbers()
    issued = services.issue_report(acting_user=manager, report=report)
    after = series_numbers()
    changed = {k: (before.get(k, 0), v) for k, v in after.items() if before.get(k, 0) != v}
    assert list(changed.values()) == [(0, 1)]  # one series, one number
    document = issued.document
    assert (document.symbol, document.status, document.unit) == (
        "01-BC/BTGHU",
        "issued",
        district.board,
    )
    assert document.summary == "Kết quả thực hiện Nghị quyết 35-NQ/TW 6 tháng đầu năm 2020"
    assert issued.status == Report.Status.ISSUED
    assert str(media) in issued.docx.path and issued.pdf.path.endswith("01-BC-BTGHU.pdf")
    assert "Số 01-BC/BTGHU" in docx_text(issued.docx.read())
    text_of_pdf = pdf_text(issued.pdf.read())
    for phrase in ("BAN TUYÊN GIÁO", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 01-BC/BTGHU", "20.673 lượt",
                   "Nhìn chung, 2/2 chi, đảng ủy trực thuộc", "Vĩnh Thuận, ngày 29 tháng 6 năm 2020"):  # fmt: skip
        assert phrase in text_of_pdf
    with pytest.raises(Conflict):
        services.issue_report(acting_user=manager, report=issued)
    assert series_numbers() == after


def test_a_failed_render_consumes_no_number_and_leaves_no_file(
    district, templates, manager, media, monkeypatch, tmp_path
):
    """GIVEN LibreOffice cannot be found (PATH empty) WHEN the report is issued
    THEN it is refused (converter_unavailable) before a number is taken: the series and
    register are as before, no file is left."""
    report = draft(district, templates)
    before = (series_numbers(), Document.objects.count())
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ConversionError) as caught:
        services.issue_report(acting_user=manager, report=report)
    assert caught.value.code == "converter_unavailable"
    assert (series_numbers(), Document.objects.count()) == before
    report.refresh_from_db()
    assert report.is_draft and not report.docx and not report.pdf
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True
    monkeypatch.undo()
    issued = services.issue_report(acting_user=manager, report=report)
    assert issued.document.symbol == "01-BC/BTGHU"  # the number the failure did not take


def test_another_units_manager_may_neither_draft_nor_issue(district, templates, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        draft(district, templates, user=personas.outsider)
    report = draft(district, templates)
    with pytest.raises(PermissionDenied):
        services.issue_report(acting_user=personas.outsider, report=report)
    with pytest.raises(PermissionDenied):
        services.issue_report(acting_user=personas.viewer, report=report)
    assert not Document.objects.filter(type__code="BC").exists()


def test_nobody_drafts_or_issues_and_a_system_actor_records_no_user(district, templates):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        draft(district, templates, user=None)
    report = draft(district, templates)  # as the system (the demo, `trienkhai draft`)
    assert report.created_by is None
    assert Report.history.filter(id=report.pk).first().history_user is None
    with pytest.raises(PermissionDenied):
        services.update_report(acting_user=None, report=report, narrative={})
    with pytest.raises(PermissionDenied):
        services.issue_report(acting_user=None, report=report)
    assert not Document.objects.filter(type__code="BC").exists()
