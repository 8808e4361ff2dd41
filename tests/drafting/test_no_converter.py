"""No LibreOffice on the server (TRIENKHAI_SOFFICE names a file that does not exist): every
PDF action says so — the API with a 503 ``converter_unavailable``, the pages with a
clear message — never a 500; the .docx and everything else still work."""

from trienkhai.documents.models import Document, NumberSeries
from trienkhai.drafting import services

from .test_api import BODY
from .test_views import make

UNAVAILABLE = "Máy chủ chưa cài LibreOffice"


def test_the_api_answers_503_converter_unavailable_and_the_docx_still_comes(
    api, personas, district, no_soffice
):
    client = api(personas.manager)
    response = client.post("reports", {**BODY, "format": "pdf"})
    assert response.status_code == 503 and response["Retry-After"]
    error = response.json()["error"]
    assert error["code"] == "converter_unavailable"
    assert (
        UNAVAILABLE in error["message"]
        and "LibreOffice (soffice) is not installed" in (error["message"])
    )
    assert client.post("reports", {**BODY, "format": "docx"}).status_code == 200
    assert not Document.objects.filter(type__code="BC").exists()


def test_the_pages_say_so_and_issuing_takes_no_number(
    web, personas, district, templates, media, no_soffice
):
    report = make(district, templates)
    client = web(personas.manager)
    preview = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert UNAVAILABLE in preview
    assert 'class="primary" disabled' in preview  # the issue button is off

    draft_pdf = client.get(f"/soan-bao-cao/{report.pk}/tep.pdf")
    assert draft_pdf.status_code == 503
    assert UNAVAILABLE in draft_pdf.content.decode()
    assert client.get(f"/soan-bao-cao/{report.pk}/tep.docx").status_code == 200

    before = list(NumberSeries.objects.values_list("scope_key", "last_number"))
    # Past the page that names the number (decision 0029), the issue is refused.
    confirm = client.post(f"/soan-bao-cao/{report.pk}/ban-hanh/")
    assert "Cấp số 01-BC/BTGHU" in confirm.content.decode()
    issued = client.post(
        f"/soan-bao-cao/{report.pk}/ban-hanh/", {"so": services.next_symbol(report)}, follow=True
    )
    assert issued.status_code == 200
    assert "LibreOffice (soffice) is not installed" in issued.content.decode()
    report.refresh_from_db()
    assert report.is_draft and report.document is None
    assert list(NumberSeries.objects.values_list("scope_key", "last_number")) == before


def test_an_issued_reports_pending_pdf_says_the_converter_is_missing(
    web, api, personas, district, templates, media, fake_soffice, settings
):
    """GIVEN a report issued while LibreOffice crashed, then LibreOffice removed WHEN its
    PDF is asked for THEN a 503 page says the converter is missing and the number stays."""
    fake_soffice.mode("fail")
    report = services.issue_report(acting_user=personas.manager, report=make(district, templates))
    settings.SOFFICE = str(media / "no-such-soffice")
    page = web(personas.viewer).get(f"/soan-bao-cao/{report.pk}/tep.pdf")
    assert page.status_code == 503
    text = page.content.decode()
    assert UNAVAILABLE in text and "Số văn bản đã được cấp và giữ nguyên" in text
    body = api(personas.viewer).get(f"documents/{report.document_id}").json()
    assert (body["symbol"], body["pdf"]) == ("01-BC/BTGHU", "pending")
