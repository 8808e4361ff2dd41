"""A certificate laid out as the formal documents are (drafting.layout), and its PDF.

The certificate is a formal paper of its organiser: the Party's heading (ĐẢNG CỘNG SẢN
VIỆT NAM, Hướng dẫn 36-HD/VPTW; Quy định 399-QĐ/TW from 2026) or the State's (Quốc hiệu
and Tiêu ngữ, Nghị định 30/2020/NĐ-CP) after the organiser's kind, A4 portrait as both
rule books lay out an administrative paper, its number on the number line
(Số 05-GCN/BTGHU). Under the text: a QR code of the verification page's address and
the code to type there. Rendered like every formal document: python-docx, then
LibreOffice (drafting.pdf, decision 0007): one PDF stack.
"""

import io

import segno
from django.conf import settings
from django.urls import reverse

from trienkhai.activities.certificates import grouped
from trienkhai.activities.models import Certificate, Event
from trienkhai.drafting.layout import (
    Block,
    Figure,
    FormalDocument,
    Paragraph,
    Run,
    Signature,
    render_docx,
    render_docx_pages,
)
from trienkhai.drafting.pdf import docx_to_pdf
from trienkhai.vn import format_date

QR_CM = 3.0
"""The QR code's printed width: 41 modules of 0.7 mm, read by any phone at arm's length."""
BATCH = 100
"""Certificates in one PDF to print: LibreOffice lays 100 pages out in seconds."""
PHRASES = {
    Event.Kind.CLASS: "lớp bồi dưỡng",
    Event.Kind.STUDY_CONFERENCE: "hội nghị học tập, quán triệt",
    Event.Kind.ONLINE_CONFERENCE: "hội nghị trực tuyến",
    Event.Kind.CLUB_SESSION: "sinh hoạt câu lạc bộ",
}
"""What the certificate says the event was, after "tham gia" (printed in Vietnamese,
whatever the reader's language: it is an official paper)."""


def verification_url(code: str) -> str:
    """The public page that checks ``code``, as an absolute address (the QR code's)."""
    path = reverse("activities:verify", args=[grouped(code)])
    return settings.SITE_URL.rstrip("/") + path


def qr_png(payload: str) -> bytes:
    """The QR code of ``payload`` (error correction M: a stain or a fold still reads)."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def completed(certificate: Certificate) -> bool:
    """A class attended from its first session to its last: "hoàn thành"."""
    return (
        certificate.kind == Event.Kind.CLASS
        and certificate.sessions_attended >= certificate.sessions_held
    )


def document(certificate: Certificate) -> FormalDocument:
    """The certificate as a formal document of its layout."""
    party = certificate.layout.startswith("party")
    phrase = PHRASES.get(Event.Kind(certificate.kind), "hoạt động")
    what = f"{'hoàn thành' if completed(certificate) else 'tham gia'} {phrase}"
    if certificate.start == certificate.end:
        when = f"ngày {format_date(certificate.start)}"
    else:
        when = f"từ ngày {format_date(certificate.start)} đến ngày {format_date(certificate.end)}"
    sessions = f" ({certificate.sessions_attended}/{certificate.sessions_held} buổi)"
    body: list[Block] = [
        Paragraph(f"{certificate.organiser_name} chứng nhận:", indent=False),
        Paragraph(
            [Run("Đồng chí: " if party else "Ông/Bà: "), Run(certificate.name, bold=True)],
            indent=False,
        ),
        Paragraph(f"Đơn vị: {certificate.unit_name}", indent=False),
        Paragraph(
            [Run(f"Đã {what}: "), Run(certificate.title, bold=True)], indent=False, align="left"
        ),
        Paragraph(
            f"Thời gian: {when}{sessions if certificate.sessions_held > 1 else ''}.", indent=False
        ),
    ]
    if certificate.place:
        body.append(Paragraph(f"Địa điểm: {certificate.place}.", indent=False, align="left"))
    return paper(certificate, what, body)


def paper(certificate, what: str, body: list[Block]) -> FormalDocument:
    """A certificate of its organiser's layout, an activity's or a contest prize's
    (decision 0056): the heading, the number line, GIẤY CHỨNG NHẬN and ``what`` under it,
    ``body``, then the QR code of the verification address, the code and where to type
    it, and the signature. ``certificate`` has the fields both kinds share (layout,
    symbol, code, superior, issuer, issued, issued_place, signer_position, signer_name)."""
    party = certificate.layout.startswith("party")
    body = [
        *body,
        Figure(qr_png(verification_url(certificate.code)), kind="png", width_cm=QR_CM),
        Paragraph(
            [Run("Mã xác minh: "), Run(grouped(certificate.code), bold=True)],
            align="center",
            indent=False,
        ),
        Paragraph(
            f"Kiểm tra tại {settings.SITE_URL.rstrip('/')}{reverse('activities:verify_form')}",
            align="center",
            indent=False,
            italic=True,
        ),
    ]
    number, _, code = certificate.symbol.partition("-" if party else "/")
    return FormalDocument(
        profile=certificate.layout,
        superior=certificate.superior or None,
        issuer=certificate.issuer,
        number=int(number),
        code=code,
        place=certificate.issued_place,
        date=certificate.issued,
        type_name="GIẤY CHỨNG NHẬN",
        title=what if party else what[:1].upper() + what[1:],
        body=body,
        signature=Signature(position=certificate.signer_position, name=certificate.signer_name),
        extra={"subject": f"Giấy chứng nhận số {certificate.symbol}"},
    )


def pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF (LibreOffice; ConversionError when it cannot be made now)."""
    return docx_to_pdf(render_docx(document(certificate)))


def pdf_of_many(certificates: list[Certificate]) -> bytes:
    """Certificates in one PDF, a page each, to print together. One .docx per layout (an
    event's certificates issued on both sides of 09/01/2026 have two), joined by pypdf."""
    layouts: dict[str, list[Certificate]] = {}
    for certificate in certificates:
        layouts.setdefault(certificate.layout, []).append(certificate)
    made = [
        docx_to_pdf(render_docx_pages([document(c) for c in group]), timeout=60 + len(group))
        for group in layouts.values()
    ]
    if len(made) == 1:
        return made[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in made:
        writer.append(io.BytesIO(data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
