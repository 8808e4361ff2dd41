"""The demo's Chợ Đồn review (so-ket-nhieu-nam, HU-CD 2019..2021) printed by LibreOffice:
its signature block stays on the page of the text before it (issue 13)."""

import io

from pypdf import PdfReader

from trienkhai.drafting import reports
from trienkhai.drafting.layout import Paragraph, render_pdf
from trienkhai.drafting.models import Report

SIGNER = "Nông Văn Ký"


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_signature_is_on_the_page_of_the_last_paragraph(demo, db):
    """GIVEN the Chợ Đồn draft, signed WHEN it is rendered to PDF THEN the signer's name
    is on the page that ends the body (it used to stand alone on page 3)."""
    report = Report.objects.get(unit__code="HU-CD", period="2019..2021")
    report.signer_name = SIGNER  # in memory: what a manager types before issuing
    formal = reports.build(report)
    last = next(b for b in reversed(formal.body) if isinstance(b, Paragraph))
    ending = words("".join(run.text for run in last.runs))[-40:]
    pages = [words(page.extract_text()) for page in PdfReader(io.BytesIO(render_pdf(formal))).pages]
    assert len(pages) >= 2
    with_ending = [n for n, text in enumerate(pages) if ending in text]
    with_name = [n for n, text in enumerate(pages) if SIGNER in text]
    assert with_name and with_ending, (ending, pages[-1][-300:])
    assert with_name[-1] == with_ending[-1]
    # the block is whole: its first line (the authority) is there too
    assert words(formal.signature.position) in pages[with_name[-1]]
