"""Certificates (giấy chứng nhận) of a round's prizes, issued after the results decision
(issue 17; decision 0056), the way activities issue theirs (decision 0044):

- numbered in the organiser's one series of certificates of the year (the activities'
  ``CertificateSeries``, locked while numbers are given): Số 05-GCN/BTGHU follows the
  class certificate 04-GCN/BTGHU, whatever it certifies;
- an 80-bit verification code (``activities.certificates.new_code``), unique over both
  kinds, found by the same public page /xac-minh/ and
  ``GET /api/v1/activities/certificates/verify/{code}``;
- laid out as a formal document of the organiser (Party or State heading, number line,
  signature), with the QR code of the verification address, and rendered to PDF by the
  same python-docx → LibreOffice path (``activities.certificate_pdf`` helpers).

What is printed is kept as it was on the day of issue (names of units, the contest's
title, the decision's number), so that the PDF made again says what the paper says.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.activities import certificate_pdf
from trienkhai.activities import certificates as activity_certificates
from trienkhai.activities.models import CertificateSeries
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import locked_row
from trienkhai.contests.models import Contest, PrizeCertificate, Result, Round
from trienkhai.contests.results import unit_name
from trienkhai.drafting.layout import Block, FormalDocument, Paragraph, Run
from trienkhai.vn import format_date
from trienkhai.vn.text import nfc


def issue(
    *,
    acting_user: Actor,
    contest: Contest,
    round: Round,
    signer_position: str,
    signer_name: str = "",
    day: dt.date | None = None,
) -> list[PrizeCertificate]:
    """A certificate for each prize winner of ``round`` who has none yet, dated ``day``
    (default: the results decision's day), numbered in rank order. 409 before the results
    decision, or when every winner holds one; 400 for a day before the decision or after
    today, or no signer's position."""
    from trienkhai.drafting.services import header_lines, place_of

    organiser = contest.unit
    policy.require(acting_user, policy.Action.CHANGE, organiser)
    decision = round.results_decision
    if decision is None:
        raise Conflict(
            "no_decision",
            "Chưa có quyết định công nhận kết quả vòng này / the round's results decision "
            "has not been issued",
        )
    day = day or decision.date
    if not decision.date <= day <= timezone.localdate():
        raise BadInput(
            "invalid_date",
            f"Ngày cấp phải từ ngày quyết định ({format_date(decision.date)}) đến hôm nay / "
            f"the date of issue must be from the decision's day ({decision.date.isoformat()}) "
            "to today",
        )
    position = nfc(signer_position).strip().upper()
    name = nfc(signer_name).strip()
    if not position or len(position) > 100 or len(name) > 100:
        raise BadInput(
            "missing_signer",
            "Cần chức vụ người ký, chức vụ và tên tối đa 100 ký tự / the signer's position is "
            "required; position and name at most 100 characters",
        )
    version = organiser.version_on(day) or organiser.latest_version()
    layout = activity_certificates.profile_of(organiser, day)
    superior, issuer = header_lines(organiser, day)
    place = place_of(organiser, day)
    with transaction.atomic():
        series = locked_row(CertificateSeries, organiser=organiser, year=day.year)
        # Read under the series' lock: winners certified meanwhile are seen, not doubled.
        winners = list(
            Result.objects.filter(round=round, prize__isnull=False, certificate__isnull=True)
            .select_related("entry__unit", "prize__category")
            .order_by("rank")
        )
        if not winners:
            raise Conflict(
                "nothing_to_issue",
                "Mọi tác phẩm đoạt giải đã có giấy chứng nhận / every prize winner already "
                "holds a certificate",
            )
        codes = activity_certificates.fresh_codes(len(winners))
        made = []
        for n, (result, code) in enumerate(zip(winners, codes, strict=True), start=1):
            number = series.last_number + n
            made.append(
                PrizeCertificate.objects.create(
                    result=result,
                    organiser=organiser,
                    year=day.year,
                    number=number,
                    symbol=activity_certificates.symbol_of(layout, number, version.abbreviation),
                    code=code,
                    layout=layout,
                    superior=superior,
                    issuer=issuer,
                    organiser_name=version.name,
                    name=result.entry.author_name,
                    unit_name=unit_name(result.entry, day),
                    title=contest.title,
                    entry_title=result.entry.title,
                    prize_name=result.prize.shown if result.prize else "",
                    start=contest.opens,
                    end=contest.closes,
                    decision=decision.symbol,
                    issued=day,
                    issued_place=place,
                    signer_position=position,
                    signer_name=name,
                    created_by=user_of(acting_user),
                )
            )
        series.last_number += len(made)
        series.save(update_fields=["last_number"])
    return made


def revoke(*, acting_user: Actor, certificate: PrizeCertificate, reason: str) -> PrizeCertificate:
    """Revoke a valid prize certificate, saying why, as an activity's is revoked
    (``activities.certificates.revoke_row``: CHANGE on the organiser, a reason of at most
    ``MAX_REASON`` characters, 409 ``already_revoked`` the second time); the verification
    page then says so."""
    return activity_certificates.revoke_row(
        acting_user=acting_user, certificate=certificate, reason=reason
    )


def find(code: str) -> PrizeCertificate | None:
    """The prize certificate of ``code`` as typed (``activities.certificates.read_code``)."""
    stored = activity_certificates.read_code(code)
    return PrizeCertificate.objects.filter(code=stored).first() if stored else None


def document(certificate: PrizeCertificate) -> FormalDocument:
    """The certificate as a formal document of its layout (printed in Vietnamese): the
    activities' paper (``certificate_pdf.paper``) with the prize's text."""
    party = certificate.layout.startswith("party")
    body: list[Block] = [
        Paragraph(f"{certificate.organiser_name} chứng nhận:", indent=False),
        Paragraph(
            [Run("Đồng chí: " if party else "Ông/Bà: "), Run(certificate.name, bold=True)],
            indent=False,
        ),
        Paragraph(f"Đơn vị: {certificate.unit_name}", indent=False),
        Paragraph(
            [Run("Đoạt "), Run(certificate.prize_name, bold=True), Run(f" {certificate.title}")],
            indent=False,
            align="left",
        ),
        Paragraph(
            [Run("Với tác phẩm: "), Run(certificate.entry_title, italic=True)],
            indent=False,
            align="left",
        ),
        Paragraph(
            f"Theo Quyết định số {certificate.decision} về việc công nhận kết quả cuộc thi.",
            indent=False,
            align="left",
        ),
    ]
    return certificate_pdf.paper(certificate, f"đoạt {certificate.prize_name}", body)


def pdf(certificate: PrizeCertificate) -> bytes:
    """The certificate's PDF (LibreOffice; ConversionError when it cannot be made now)."""
    from trienkhai.drafting.layout import render_docx
    from trienkhai.drafting.pdf import docx_to_pdf

    return docx_to_pdf(render_docx(document(certificate)))
