"""A draft says DỰ THẢO on every page of its .docx and .pdf; the issued report, its stored
files and its sealed PDF say it nowhere. The files are read back with python-docx and
pypdf, page by page; the PDFs are made by the real LibreOffice."""

import io

import docx
import pytest
from pypdf import PdfReader

from tests.documents.pki import PASSWORD, pkcs12, pki
from tests.factories import SYSTEM
from trienkhai.documents import signing
from trienkhai.documents.signing import specimens
from trienkhai.drafting import services

from .reading import docx_text
from .test_workflow import draft

MARK = "DỰ THẢO"


def docx_headers(data: bytes) -> list[str]:
    """The text of the first page's header and of the other pages' header."""
    section = docx.Document(io.BytesIO(data)).sections[0]
    return [
        "".join(p.text for p in header.paragraphs)
        for header in (section.first_page_header, section.header)
    ]


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_of_a_draft_says_it_is_a_draft(district, templates, manager):
    report = draft(district, templates)
    headers = docx_headers(services.render(report, "docx"))
    assert all(MARK in header for header in headers), headers
    pages = pdf_pages(services.render(report, "pdf"))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert MARK in text, f"page {number} has no mark: {text[:200]!r}"
    assert "-BC/BTGHU" in pages[0] and "01-BC/BTGHU" not in pages[0]  # no number yet


def test_the_issued_files_and_the_sealed_pdf_carry_no_mark(
    district, templates, manager, media, settings, tmp_path
):
    """GIVEN a draft issued as 01-BC/BTGHU WHEN its stored .docx and .pdf are read, and
    the PDF is sealed with the board's certificate THEN none of them says DỰ THẢO."""
    settings.SIGNATURE_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    (tmp_path / "root.pem").write_bytes(pki().root.pem)
    issued = services.issue_report(acting_user=manager, report=draft(district, templates))
    assert issued.document.symbol == "01-BC/BTGHU" and not issued.files_pending
    stored_docx = issued.docx.read()
    assert not [h for h in docx_headers(stored_docx) if MARK in h]
    body = docx.Document(io.BytesIO(stored_docx))
    assert MARK not in "\n".join(p.text for p in body.paragraphs)
    pages = pdf_pages(issued.pdf.read())
    assert "Số 01-BC/BTGHU" in pages[0]
    assert not [n for n, text in enumerate(pages, start=1) if MARK in text]

    signing.configure_seal(
        acting_user=SYSTEM,
        unit=district.board,
        pkcs12=pkcs12(pki().organisation),
        password=PASSWORD,
        image=specimens.seal_png("BTGHU"),
    )
    made = signing.seal(acting_user=manager, document=issued.document)
    assert made["status"] == "valid"
    sealed = signing.current_pdf(issued.document)
    assert sealed.latest is not None  # the sealed copy, not the stored one
    assert not [n for n, text in enumerate(pdf_pages(sealed.data), start=1) if MARK in text]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_downloaded_draft_is_marked_and_the_downloaded_issue_is_not(
    web, personas, district, templates, media, fmt
):
    report = draft(district, templates)
    client = web(personas.manager)
    downloaded = client.get(f"/soan-bao-cao/{report.pk}/tep.{fmt}").content
    text = "\n".join(docx_headers(downloaded) if fmt == "docx" else pdf_pages(downloaded))
    assert MARK in text
    services.issue_report(acting_user=personas.manager, report=report)
    downloaded = client.get(f"/soan-bao-cao/{report.pk}/tep.{fmt}").content
    text = "\n".join(docx_headers(downloaded) if fmt == "docx" else pdf_pages(downloaded))
    assert MARK not in text
    assert "01-BC/BTGHU" in (text if fmt == "pdf" else docx_text(downloaded))


def test_the_preview_marks_a_draft_and_not_the_issued_report(
    web, personas, district, templates, media
):
    report = draft(district, templates)
    client = web(personas.manager)
    page = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert f'<p class="draft-mark"><span>{MARK}</span></p>' in page
    services.issue_report(acting_user=personas.manager, report=report)
    page = client.get(f"/soan-bao-cao/{report.pk}/xem-truoc/").content.decode()
    assert "draft-mark" not in page.split("<article", 1)[1]
