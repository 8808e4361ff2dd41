"""Every write of the drafting app: create a report, edit it, delete a draft, issue it,
make its files.

Issuing (``issue_report``) checks everything before any transaction, takes the number
from the register (``documents.services.issue``) in one short transaction with the
report marked issued, then renders the .docx and the .pdf outside it and stores each
in a short transaction of its own (``make_files``): a number is never taken for a
report that is not recorded as issued, and no conversion holds a write lock
(docs/decisions/0030-files-outside-transactions.md). A PDF that failed is pending
and made again later, never lost and never stored broken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.accounts import policy
from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.drafting import pdf, reports
from trienkhai.drafting.blocks import authority_kind
from trienkhai.drafting.catalogue import DEFAULT_STATUS
from trienkhai.drafting.layout import FormalDocument, render_docx, render_pdf, split_symbol
from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.orgs.models import Profile, Unit
from trienkhai.reporting import statuses
from trienkhai.vn import nfc, nfc_lines, unaccent
from trienkhai.web.labels import unit_name

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
FILES = actors.SystemActor("drafting.files")
"""Who makes a pending file on a download: the system finishing an issue, not the reader."""


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
                shown=_("%(unit)s không có văn bản đi số, ký hiệu “%(symbol)s”.")
                % {"unit": unit_name(unit, asked.end), "symbol": symbol.strip()},
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
    *,
    acting_user: Actor,
    report: Report,
    narrative: dict[str, str],
    directive: str | None = None,
    **fields,
) -> Report:
    """Save the edited narrative and header; refused (nothing saved) if a text names an
    unknown placeholder or the report is no longer a draft.

    ``directive``: the symbol of the directive the report answers, in its unit's register
    of outgoing documents (400 ``unknown_directive`` if not there); "" for none; None
    leaves it as it is."""
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_draft:
        raise Conflict("not_a_draft", "Báo cáo đã ban hành, không sửa được / the report is issued")
    if directive is not None:
        asked = reports.asked_period(report.template, report.period)
        report.directive = find_directive(report.unit, asked, directive) if directive else None
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


@transaction.atomic
def delete_report(*, acting_user: Actor, report: Report) -> None:
    """Delete a draft that was never issued; its history row says who and when. Whoever
    may edit the draft may delete it (CHANGE on its issuer). An issued report is never
    deleted (409 ``not_a_draft``): its number and files stay in the register."""
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    # Only the report's row is locked: PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join to its document.
    stored = (
        Report.objects.select_for_update(of=("self",))
        .select_related("document")
        .filter(pk=report.pk)
        .first()
    )
    if stored is None:
        raise NotFound("báo cáo / report", str(report.pk))
    check_deletable(stored)
    _audited(stored, acting_user).delete()


def check_deletable(report: Report) -> None:
    """409 ``not_a_draft`` if ``report`` was issued (it has a number): never deleted."""
    if report.is_draft and not report.document_id:
        return
    symbol = report.document.symbol if report.document else ""
    raise Conflict(
        "not_a_draft",
        f"Báo cáo đã ban hành ({symbol}), không xóa được / an issued report ({symbol}) "
        "cannot be deleted",
        shown=_(
            "Báo cáo này đã ban hành (số %(symbol)s) nên không xóa được: văn bản đã ban hành "
            "giữ nguyên số và tệp trong sổ văn bản đi."
        )
        % {"symbol": symbol},
    )


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
    """The name an issued report's file is stored under: its symbol in ASCII ("05-BC-BTGHU.pdf",
    "05-BC-DU.pdf" for 05-BC/ĐU). A download is named for people (``names.file_names``)."""
    symbol = report.document.symbol if report.document_id and report.document else ""
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", unaccent(symbol)).strip("-")
    return f"{stem or f'bao-cao-{report.pk}'}.{fmt}"


def issue_report(*, acting_user: Actor, report: Report, acknowledged: bool = False) -> Report:
    """Give the report the next number of the issuer's register, then make its .docx and .pdf.

    While units' figures of the report are missing or not approved
    (``reports.unreviewed``), a 400 ``figures_not_approved`` lists them unless the user
    ``acknowledged`` them: a warning to read, not a block.

    No file is made inside a transaction (decision 0030): LibreOffice takes seconds, and
    on SQLite a transaction holds the one write lock, so every value saved meanwhile
    would wait for it. In three steps:

    1. before any transaction, everything that can refuse: the report's own errors,
       the figures read and laid out (``reports.build``), the unreviewed units, and
       whether a converter is installed (503 ``converter_unavailable``: no number taken
       for a document whose PDF cannot be made);
    2. one short transaction takes the number: the register entry, the number and the
       report marked issued, together or not at all (decision 0006);
    3. after it, the .docx and the .pdf are made and each stored by a short transaction
       of its own (``make_files``). A conversion that fails is tried once more on the
       spot; still failing, the report is issued with its PDF pending (``pdf_error``),
       made again on the next download or by ``trienkhai report --pending``.

    A number is thus never taken without the report recorded as issued, and a file is
    stored only whole: after a crash at any point the number is either not taken, or
    taken with the report issued and its files present or pending.
    """
    policy.require(acting_user, policy.Action.CHANGE, report.issuer)
    report = Report.objects.select_related("template", "unit", "issuer", "directive").get(
        pk=report.pk
    )
    if not report.is_draft:
        raise Conflict("not_a_draft", "Báo cáo đã ban hành / the report is already issued")
    formal = reports.build(report)  # the report's own errors, and its figures, read now
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
    pdf.soffice_path()  # ConverterUnavailable (503) before a number is taken
    report = _take_number(acting_user, report, formal, read=report.modified)
    assert report.document is not None  # just issued
    number, code = split_symbol(report.document.symbol)
    return make_files(
        acting_user=acting_user,
        report=report,
        formal=dataclasses.replace(formal, number=number, code=code),
        attempts=2,
    )


@transaction.atomic
def _take_number(acting_user: Actor, report: Report, formal: FormalDocument, *, read) -> Report:
    """Step 2 of ``issue_report``: the number and the issued state, in one short transaction.

    ``read``: the report's ``modified`` when ``formal`` was built; a report edited since
    is refused (409) rather than issued with the text it had before."""
    found = (
        Report.objects.select_for_update(of=("self",))
        .select_related("template", "unit", "issuer", "directive")
        .filter(pk=report.pk)
        .first()
    )
    if found is None:  # deleted while its figures were read: nothing to number
        raise NotFound("báo cáo / report", str(report.pk))
    report = found
    if not report.is_draft:
        raise Conflict("not_a_draft", "Báo cáo đã ban hành / the report is already issued")
    if report.modified != read:
        raise Conflict(
            "report_changed",
            "Báo cáo vừa được sửa trong lúc ban hành; hãy xem lại rồi ban hành lại / the "
            "report was edited while being issued; look at it again and issue it again",
        )
    document = documents.issue(
        acting_user=acting_user, document=_register(acting_user, report, formal.title)
    )
    report.document = document
    report.status = Report.Status.ISSUED
    report.modified = timezone.now()
    _audited(report, acting_user).save(update_fields=["document", "status", "modified"])
    return report


def make_files(
    *,
    acting_user: Actor,
    report: Report,
    formal: FormalDocument | None = None,
    attempts: int = 1,
    with_pdf: bool = True,
) -> Report:
    """Make and store the .docx and .pdf an issued report lacks; the report as stored.

    Outside any transaction: rendering and the conversion run first, then a short
    transaction stores each file (a file another caller stored meanwhile is kept, ours
    dropped). ``formal``: the document as issued (``issue_report`` passes what it read
    before taking the number); without it the .docx is built again from the figures,
    which only happens when a crash came between the number and the .docx. The .pdf is
    always the conversion of the stored .docx, the same document.

    A conversion that fails ``attempts`` times is recorded (``pdf_error``) and the
    report stays pending; ``ConversionError`` is raised only if ``attempts`` is 1 (a
    download asking for the file now). Issuing, with 2, returns the pending report.
    """
    report = Report.objects.select_related("template", "unit", "issuer", "document").get(
        pk=report.pk
    )
    if report.is_draft or not report.files_pending:
        return report
    if not report.docx:
        if formal is None:
            assert report.document is not None  # issued
            number, code = split_symbol(report.document.symbol)
            formal = reports.build(report, number=number, code=code)
        report = _store(acting_user, report, "docx", render_docx(formal))
    if report.pdf or not with_pdf:
        return report
    data = report.docx.read()
    report.docx.close()
    for attempt in range(1, attempts + 1):
        try:
            converted = pdf.docx_to_pdf(data)
        except pdf.ConversionError as exc:
            if attempt < attempts:
                continue
            _record_failure(report, exc)
            if attempts == 1:
                raise
            return Report.objects.select_related("document").get(pk=report.pk)
        return _store(acting_user, report, "pdf", converted)
    raise AssertionError("unreachable")  # pragma: no cover


def pending_reports():
    """Issued reports whose .docx or .pdf is still to be made, oldest first."""
    return (
        Report.objects.filter(status=Report.Status.ISSUED)
        .filter(Q(docx="") | Q(pdf=""))
        .order_by("modified", "id")
    )


def pdf_states(document_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For documents.outputs: the PDF state and download URL of issued reports' entries."""
    from django.urls import reverse

    rows = Report.objects.filter(document_id__in=document_ids, status=Report.Status.ISSUED)
    return {
        document_id: (
            "ready" if docx and pdf_name else "pending",
            reverse("drafting:file", args=[pk, "pdf"]),
        )
        for pk, document_id, docx, pdf_name in rows.values_list("pk", "document_id", "docx", "pdf")
    }


def issued_pdf(document_id: int) -> bytes | None:
    """For documents.outputs: the stored PDF of the issued report entered as ``document_id``
    (None while it is pending), which the organisation's seal signs."""
    report = Report.objects.filter(document_id=document_id, status=Report.Status.ISSUED).first()
    if report is None or not report.pdf:
        return None
    with report.pdf.open("rb") as stored:
        return stored.read()


def _store(acting_user: Actor, report: Report, fmt: str, data: bytes) -> Report:
    """Write ``data`` as the report's ``fmt`` file, then record it in a short transaction."""
    field = getattr(report, fmt)
    field.save(file_name(report, fmt), ContentFile(data), save=False)
    name = field.name
    try:
        with transaction.atomic():
            stored = Report.objects.select_for_update().get(pk=report.pk)
            if getattr(stored, fmt):
                field.storage.delete(name)  # stored meanwhile by another caller: theirs
                return stored
            setattr(stored, fmt, name)
            changed = [fmt]
            if fmt == "pdf":
                stored.pdf_error = ""
                changed.append("pdf_error")
            _audited(stored, acting_user).save(update_fields=changed)
    except BaseException:
        field.storage.delete(name)
        raise
    return stored


def _record_failure(report: Report, error: Exception) -> None:
    """The last failed conversion, for the pages to say why the PDF is late."""
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(pdf_error=str(error)[:2000])


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


MISSING_WORDS = {
    "signer": gettext_lazy("họ tên người ký"),
    "signer_authority": gettext_lazy("chức vụ người ký"),
    "recipients": gettext_lazy("nơi nhận"),
}
"""What ``missing_to_issue`` names, as the editor's fields are labelled."""


def issue_blockers(report: Report) -> list[str]:
    """Why ``issue_report`` would refuse the draft now, each in the reader's words, in the
    order to fix them; [] when it would not. For the preview, which disables its issue
    button and says why beside it; the refusals themselves stay in ``issue_report``.

    Read without a lock: the fields a number needs (named as the editor labels them),
    the issuer's numbering on the report's date (it existed, it has an abbreviation, it
    has the template's document type), and the converter the PDF needs. The report's own
    errors and its figures not yet approved are the page's to say (its error box, its
    checkbox)."""
    found = []
    missing = missing_to_issue(report)
    if missing:
        fields = ", ".join(str(MISSING_WORDS[name]) for name in missing)
        found.append(_("Cần ghi %(fields)s trước khi ban hành.") % {"fields": fields})
    try:
        profile = documents.profile_of(report.issuer, report.date)
        documents.find_type(profile, report.template.document_type)
        refusal = documents.numbering_refusal(report.issuer, report.date)
    except BadInput as exc:
        refusal = exc
    if refusal is not None:
        found.append(refusal.shown)
    if not pdf.is_available():
        found.append(
            _("Máy chủ chưa cài LibreOffice: chưa ban hành được vì chưa tạo được tệp PDF.")
        )
    return found


def next_symbol(report: Report) -> str:
    """The number the report would take if issued now ("06-BC/BTGHU"), for the screen's
    confirmation (``documents.next_symbol``); "" when the issuer cannot number it."""
    try:
        profile = documents.profile_of(report.issuer, report.date)
        doc_type = documents.find_type(profile, report.template.document_type)
    except BadInput:
        return ""
    return documents.next_symbol(Document(unit=report.issuer, date=report.date, type=doc_type))


def _register(acting_user: Actor, report: Report, title: str) -> Document:
    """The report's draft entry in the issuer's register of outgoing documents."""
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
