"""Every write of the drafting app: create a report, edit it, issue it.

Issuing (``issue_report``) is one transaction: the register gives the next number
(``documents.services.issue``), the report is rendered with it to .docx and .pdf, the
files are stored with the report. A render that fails raises inside the transaction,
so the number goes back with everything else: issuing consumes exactly one number, a
failed render none (docs/decisions/0012-report-templates-as-data.md).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.drafting import reports
from trienkhai.drafting.blocks import authority_kind
from trienkhai.drafting.catalogue import DEFAULT_STATUS
from trienkhai.drafting.layout import render_docx, render_pdf, split_symbol
from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.orgs.models import Profile, Unit
from trienkhai.reporting import statuses
from trienkhai.vn import nfc, nfc_lines

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_PLACE_PREFIX = re.compile(
    r"^(?:ban .+? )?(?:huyện ủy|tỉnh ủy|thành ủy|quận ủy|thị ủy|đảng ủy|đảng bộ|chi bộ|"
    r"ủy ban nhân dân|ubnd)?\s*(?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)?\s*",
    re.IGNORECASE,
)
_PARTY_BODY = re.compile(r"^(tỉnh|thành|huyện|quận|thị) ủy (.+)$", re.IGNORECASE)
_AUTHORITY = {"TM": "tm", "KT": "kt", "TL": "tl", "TUQ": "tuq", "Q": "q"}


def _audited(instance, acting_user: Actor):
    """The history row (django-simple-history) names the user (none for a system actor)."""
    user = actors.user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


# Defaults ----------------------------------------------------------------------------------


def header_lines(issuer: Unit, day: dt.date) -> tuple[str, str]:
    """(superior, issuer) as printed top left, in capitals; the user may edit both.

    A board under its committee ("Ban Tuyên giáo Huyện ủy Vĩnh Thuận") prints the
    committee over the board (HUYỆN ỦY VĨNH THUẬN / BAN TUYÊN GIÁO); a committee under
    another prints the party organisation above it (ĐẢNG BỘ TỈNH KIÊN GIANG / HUYỆN ỦY
    VĨNH THUẬN), VN_DOCUMENTS.md §2.2.
    """
    version = issuer.version_on(day) or issuer.latest_version()
    parent = version.parent
    above = (parent.version_on(day) or parent.latest_version()) if parent else None
    if above is None:
        return "", version.name.upper()
    if version.name.endswith(" " + above.name):
        return above.name.upper(), version.name[: -len(above.name)].strip().upper()
    match = _PARTY_BODY.match(above.name)
    if match:
        level = {"thành": "thành phố"}.get(match.group(1).lower(), match.group(1).lower())
        return f"ĐẢNG BỘ {level} {match.group(2)}".upper(), version.name.upper()
    return above.name.upper(), version.name.upper()


def place_of(unit: Unit, day: dt.date) -> str:
    """ "Vĩnh Thuận" from "Huyện ủy Vĩnh Thuận" (the place-and-date line); editable."""
    name = reports.name_on(unit, day)
    return _PLACE_PREFIX.sub("", name, count=1).strip() or name


def default_date(issuer: Unit, asked: reports.Asked) -> dt.date:
    """Today, or the issuer's last day if it has ended; never before the period ended."""
    today = timezone.localdate()
    day = issuer.reference_date(today)
    return max(day, min(asked.end, day))


def find_directive(unit: Unit, asked: reports.Asked, symbol: str = "") -> Document | None:
    """The directive the report answers: ``symbol`` in the unit's register, else the latest
    outgoing document of the unit dated within the period that assigned tasks."""
    documents_of = Document.objects.filter(unit=unit, direction=Document.Direction.OUTGOING)
    if symbol:
        found = documents_of.filter(symbol=symbol.strip()).first()
        if found is None:
            raise BadInput(
                "unknown_directive",
                f"Không có văn bản {symbol} của {unit.code} / no document {symbol} of {unit.code}",
            )
        return found
    return (
        documents_of.filter(
            assignments__isnull=False,
            date__gte=asked.periods[0].start,
            date__lte=asked.end,
        )
        .select_related("type", "issuer")
        .order_by("-date", "-id")
        .first()
    )


def new_report(
    *,
    acting_user: Actor,
    template: ReportTemplate,
    unit: Unit,
    period: str,
    issuer: Unit | None = None,
    directive: str = "",
    date: dt.date | None = None,
    figure_status: str | None = None,
) -> Report:
    """A report (not saved) with the template's texts and the header's defaults, checked:
    the user may view the unit's figures and act for the issuer; the template's
    indicators exist; the period has data. Raises before anything is written.

    ``figure_status``: the figures counted (approved, submitted, all); None: the
    template's ``status`` (default approved, decision 0020)."""
    issuer = issuer or unit
    policy.require(acting_user, policy.Action.VIEW, unit)
    policy.require(acting_user, policy.Action.VIEW, issuer)
    asked = reports.asked_period(template, period)
    day = date or default_date(issuer, asked)
    superior, issuer_label = header_lines(issuer, day)
    definition = template.definition
    signature = definition.get("signature") or {}
    figure_status = figure_status or definition.get("status") or DEFAULT_STATUS
    statuses.level(figure_status)  # a 400 naming a bad one
    report = Report(
        template=template,
        template_version=template.version,
        unit=unit,
        issuer=issuer,
        period=asked.text,
        directive=find_directive(unit, asked, directive),
        date=day,
        place=place_of(unit, asked.end),
        superior=superior,
        issuer_label=issuer_label,
        title=definition["title"],
        narrative=reports.narrative_of(template),
        signer_position=signature.get("position", ""),
        signer_for=signature.get("for", ""),
        recipients="\n".join(definition.get("recipients") or []),
        figure_status=figure_status,
    )
    reports.build(report)  # every error now, before the draft exists
    return report


@transaction.atomic
def create_report(*, acting_user: Actor, **kwargs) -> Report:
    """A draft report (see ``new_report``); its issuer's manager may edit and issue it."""
    report = new_report(acting_user=acting_user, **kwargs)
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    report.created_by = actors.user_of(acting_user)
    _audited(report, acting_user).save()
    return report


MULTI_LINE = ("title", "recipients")
"""Fields whose lines are kept (the title's chosen breaks, one Nơi nhận a line)."""
EDITABLE = (
    "date",
    "place",
    "superior",
    "issuer_label",
    "title",
    "signer_position",
    "signer_name",
    "signer_for",
    "recipients",
)


@transaction.atomic
def update_report(
    *, acting_user: Actor, report: Report, narrative: dict[str, str], **fields
) -> Report:
    """Save the edited narrative and header; refused (nothing saved) if a text names an
    unknown placeholder or the report is no longer a draft."""
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_draft:
        raise Conflict("not_a_draft", "Báo cáo đã ban hành, không sửa được / the report is issued")
    unknown = sorted(set(narrative) - set(reports.narrative_of(report.template)))
    if unknown:
        raise BadInput(
            "unknown_block", f"Không có khối văn bản / no text block: {', '.join(unknown)}"
        )
    for name, value in fields.items():
        if name not in EDITABLE:
            raise BadInput("unknown_field", f"Không sửa được / not editable: {name}")
        if isinstance(value, str):
            value = nfc_lines(value) if name in MULTI_LINE else nfc(value)
        setattr(report, name, value)
    if report.signer_for:
        authority_kind(report.signer_for.partition(" ")[0])
    report.narrative = {
        **report.narrative,
        **{k: nfc_lines(v) for k, v in narrative.items()},
    }
    reports.build(report)  # refuses an unknown placeholder, with where
    report.modified = timezone.now()
    _audited(report, acting_user).save()
    return report


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BadInput(
            "invalid_format", f"Định dạng không hỗ trợ / unsupported format: {fmt!r} (docx, pdf)"
        )


def render(report: Report, fmt: str) -> bytes:
    """The report as a draft file (no number): "docx" or "pdf"."""
    check_format(fmt)
    document = reports.build(report)
    return render_docx(document) if fmt == "docx" else render_pdf(document)


def file_name(report: Report, fmt: str) -> str:
    """ "so-ket-6-thang_HU-VT_2020S1.docx", or the symbol once issued ("05-BC-BTGHU.pdf")."""
    if report.document_id and report.document and report.document.symbol:
        stem = re.sub(r"[^\w.-]+", "-", report.document.symbol, flags=re.ASCII)
    else:
        stem = f"{report.template.code}_{report.unit.code}_{report.period.replace('..', '-')}"
    return f"{stem}.{fmt}"


def issue_report(*, acting_user: Actor, report: Report, acknowledged: bool = False) -> Report:
    """Give the report the next number of the issuer's register and store its .docx and .pdf.

    While units' figures of the report are missing or not approved
    (``reports.unreviewed``), a 400 ``figures_not_approved`` lists them unless the user
    ``acknowledged`` them: a warning to read, not a block.

    One transaction: a number is taken only if both files are made (a failed render
    rolls the number back with the rest), and files written for a transaction that then
    fails are removed.
    """
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    written: list = []
    try:
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("template", "unit", "issuer", "directive")
                .get(pk=report.pk)
            )
            if not report.is_draft:
                raise Conflict("not_a_draft", "Báo cáo đã ban hành / the report is already issued")
            reports.build(report)  # the report's own errors before a number is taken
            if missing_to_issue(report):
                raise documents.incomplete(missing_to_issue(report))
            if not acknowledged:
                waiting = reports.unreviewed(report)
                if waiting:
                    raise BadInput(
                        "figures_not_approved",
                        f"{len(waiting)} báo cáo của đơn vị chưa có hoặc chưa được duyệt; "
                        "xác nhận để vẫn ban hành / "
                        f"{len(waiting)} unit reports are missing or not approved; "
                        "acknowledge them to issue anyway",
                        details=waiting,
                    )
            document = documents.issue(
                acting_user=acting_user, document=_register(acting_user, report)
            )
            number, code = split_symbol(document.symbol)
            formal = reports.build(report, number=number, code=code)
            docx, pdf = render_docx(formal), render_pdf(formal)
            report.document = document
            report.status = Report.Status.ISSUED
            report.modified = timezone.now()
            for fmt, data in (("docx", docx), ("pdf", pdf)):
                getattr(report, fmt).save(file_name(report, fmt), ContentFile(data), save=False)
                written.append(getattr(report, fmt))
            _audited(report, acting_user).save()
    except BaseException:
        for stored in written:
            stored.delete(save=False)
        raise
    return report


def missing_to_issue(report: Report) -> list[str]:
    """What the report leaves empty of what a number needs (``documents.ISSUE_FIELDS``):
    the signer's name, the authority lines (the position, under an optional T/M, K/T …)
    and the Nơi nhận."""
    given = {
        "signer": report.signer_name,
        "signer_authority": report.signer_position,
        "recipients": report.recipients,
    }
    return [name for name, value in given.items() if not value.strip()]


def next_symbol(report: Report) -> str:
    """The number the report would take if issued now ("06-BC/BTGHU"), for the screen's
    confirmation (``documents.next_symbol``); "" when the issuer cannot number it."""
    try:
        profile = documents.profile_of(report.issuer, report.date)
        doc_type = documents.find_type(profile, report.template.document_type)
    except BadInput:
        return ""
    return documents.next_symbol(Document(unit=report.issuer, date=report.date, type=doc_type))


def _register(acting_user: Actor, report: Report) -> Document:
    """The report's draft entry in the issuer's register of outgoing documents."""
    title = reports.fill(
        report.title,
        _title_context(report),
        template=report.template.code,
        section=None,
        block=None,
    )
    authority = "own" if report.signer_position else ""
    if report.signer_for:
        authority = _AUTHORITY[authority_kind(report.signer_for.partition(" ")[0])]
    return documents.register_draft(
        acting_user=acting_user,
        issuer=report.issuer,
        type=report.template.document_type,
        date=report.date,
        summary=nfc(title[:1].upper() + title[1:]),  # the title's chosen breaks: one line
        place=report.place,
        signer=report.signer_name,
        signer_authority=authority,
        recipients=report.recipients,  # one a line, as printed (the register keeps lines)
    )


def _title_context(report: Report) -> dict:
    asked = reports.asked_period(report.template, report.period)
    return reports.context_of(report, asked, reports._figures(report.template, report.unit, asked))


def is_party(report: Report) -> bool:
    return documents.profile_of(report.issuer, report.date) == Profile.PARTY
