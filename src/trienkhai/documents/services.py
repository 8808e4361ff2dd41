"""Every write of the document register: one function per change, one transaction each.

- ``register_draft`` records an outgoing draft (no number yet);
- ``issue`` allocates the next number of the document's series, the series row locked
  (``select_for_update``) for the issuing transaction, and builds the symbol;
- ``cancel`` marks a document cancelled; an issued one keeps its number, never reused;
- ``register_incoming`` records a received document, refusing one already registered;
- ``link`` records that a document implements, replaces or responds to another.

Permissions: CHANGE on the register's unit to write (accounts.policy).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict, one_language
from trienkhai.common.models import locked_row
from trienkhai.documents import search, signals
from trienkhai.documents.models import (
    Document,
    DocumentLink,
    DocumentType,
    NumberSeries,
    PartyTerm,
    default_term,
)
from trienkhai.orgs.models import Profile, Unit, UnitVersion
from trienkhai.vn import format_date, nfc, nfc_lines
from trienkhai.web.labels import unit_name


def _audited(instance, acting_user: Actor):
    user = actors.user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _user(acting_user: Actor):
    return actors.user_of(acting_user)


def profile_of(unit: Unit, day: dt.date) -> str:
    """State or Party: the unit's override, else the profile of its kind on ``day``."""
    if unit.profile_override:
        return unit.profile_override
    version = _version(unit, day)
    return version.kind.profile


def _version(unit: Unit, day: dt.date) -> UnitVersion:
    version = unit.version_on(day)
    if version is None:
        raise BadInput(
            "issuer_not_existing",
            f"Đơn vị {unit.code} không tồn tại ngày {format_date(day)} / "
            f"{unit.code} did not exist on {day.isoformat()}",
            shown=_("%(unit)s không tồn tại vào ngày %(day)s.")
            % {"unit": unit_name(unit, day), "day": format_date(day)},
        )
    return version


def find_type(profile: str, label: str) -> DocumentType:
    """The type with printed code ``label`` (case kept), or slug ``label``, in ``profile``."""
    label = nfc(label.strip())
    found = DocumentType.objects.filter(profile=profile, code=label).first() if label else None
    found = found or DocumentType.objects.filter(profile=profile, slug=label).first()
    if found is None:
        known = ", ".join(t.label for t in DocumentType.objects.filter(profile=profile))
        raise BadInput(
            "unknown_type",
            f"Loại văn bản không có / unknown document type: {label!r} ({profile}: {known})",
        )
    return found


@transaction.atomic
def register_draft(
    *,
    acting_user: Actor,
    issuer: Unit,
    type: str | DocumentType,
    date: dt.date,
    summary: str,
    place: str = "",
    signer: str = "",
    signer_authority: str = "",
    recipients: str = "",
    unit_suffix: str = "",
    is_congress: bool = False,
) -> Document:
    """An outgoing draft of ``issuer``: no number until it is issued."""
    policy.require(acting_user, policy.Action.CHANGE, issuer)
    _version(issuer, date)  # refuses a date before the issuer existed
    profile = profile_of(issuer, date)
    doc_type = type if isinstance(type, DocumentType) else find_type(profile, type)
    if doc_type.profile != profile:
        raise BadInput(
            "unknown_type",
            f"Loại văn bản {doc_type} không thuộc hệ {profile} / type {doc_type} is not a {profile} type",
        )
    summary = nfc_lines(summary)
    if not summary:
        raise BadInput("empty_summary", "Cần trích yếu / a summary is required")
    if signer_authority not in Document.Authority.values:
        raise BadInput(
            "invalid_authority",
            f"Thẩm quyền ký không hợp lệ / invalid signer_authority: {signer_authority!r}",
        )
    if is_congress and profile != Profile.PARTY:
        raise BadInput(
            "congress_not_party",
            "Chỉ văn bản Đảng có văn bản đại hội / only Party issuers have congress documents",
        )
    document = Document(
        direction=Document.Direction.OUTGOING,
        unit=issuer,
        issuer=issuer,
        type=doc_type,
        date=date,
        summary=summary,
        place=nfc(place.strip()),
        signer=nfc(signer.strip()),
        signer_authority=signer_authority,
        recipients=nfc_lines(recipients),
        unit_suffix=nfc(unit_suffix.strip()),
        is_congress=is_congress,
        created_by=_user(acting_user),
    )
    _audited(document, acting_user).save()
    search.index(document)
    return document


DRAFT_FIELDS = ("summary", "recipients", "signer", "signer_authority", "date")
"""What ``update_draft`` may change: the text, who signs and how, the date."""


@transaction.atomic
def update_draft(*, acting_user: Actor, document: Document, **changes) -> Document:
    """Change an outgoing draft's ``DRAFT_FIELDS``; the others stay. 409 once it has a
    number (or was cancelled); 400 for an unknown field, an empty summary, an unknown
    authority, or a date the issuer did not exist on or that would move it to the other
    system's types (State/Party). Saving what is already stored changes nothing: multi-line
    texts keep their lines (``vn.nfc_lines``)."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    document = Document.objects.select_for_update().select_related("type").get(pk=document.pk)
    if document.status != Document.Status.DRAFT or document.direction != "outgoing":
        raise Conflict(
            "not_a_draft",
            f"Chỉ sửa được dự thảo văn bản đi / only outgoing drafts can be changed "
            f"(status: {document.status})",
            shown=_("Chỉ sửa được dự thảo văn bản đi; văn bản này: %(status)s.")
            % {"status": one_language(document.get_status_display())},
        )
    unknown = sorted(set(changes) - set(DRAFT_FIELDS))
    if unknown:
        raise BadInput("unknown_field", f"Không sửa được / not editable: {', '.join(unknown)}")
    if "summary" in changes:
        document.summary = nfc_lines(changes["summary"])
        if not document.summary:
            raise BadInput("empty_summary", "Cần trích yếu / a summary is required")
    if "recipients" in changes:
        document.recipients = nfc_lines(changes["recipients"])
    if "signer" in changes:
        document.signer = nfc(changes["signer"])
        if len(document.signer) > 100:
            raise BadInput(
                "signer_too_long", "Tên người ký quá dài / the signer's name is too long"
            )
    if "signer_authority" in changes:
        if changes["signer_authority"] not in Document.Authority.values:
            raise BadInput(
                "invalid_authority",
                f"Thẩm quyền ký không hợp lệ / invalid signer_authority: "
                f"{changes['signer_authority']!r}",
            )
        document.signer_authority = changes["signer_authority"]
    if "date" in changes:
        document.date = changes["date"]
        _version(document.unit, document.date)
        if profile_of(document.unit, document.date) != document.type.profile:
            raise BadInput(
                "unknown_type",
                f"Ngày {format_date(document.date)}: đơn vị thuộc hệ văn bản khác, loại "
                f"{document.type} không dùng được / on that date the unit uses the other "
                f"system's types: {document.type} does not apply",
            )
    document.modified = timezone.now()
    _audited(document, acting_user).save(update_fields=[*DRAFT_FIELDS, "modified"])
    search.index(document)
    return document


def scope_key(document: Document, profile: str, terms: list[PartyTerm] | None = None) -> str:
    """Which series ``document`` draws from (see NumberSeries).

    Keyed by what cannot change once a number is taken: the type's id (its printed code
    may be corrected) and the term's id, or the default term's start when the unit has
    no term row for the date. A term row's dates cannot change, nor can a row be added or
    removed, in a way that would move a numbered document to another series
    (``term_change_refusal``). ``terms``: the unit's term rows to use instead of the
    stored ones (to test a change before it is saved)."""
    if profile == Profile.STATE:
        return f"year:{document.date.year}"
    if document.is_congress:
        return f"congress:{document.date.year}"
    if terms is None:
        terms = list(PartyTerm.objects.filter(unit=document.unit, start__lte=document.date))
    term = next((t for t in terms if t.start <= document.date <= t.end), None)
    where = f"{term.pk}" if term is not None else f"default-{default_term(document.date)[0]}"
    return f"term:{where}:type{document.type_id}"


def term_change_refusal(term: PartyTerm, *, deleting: bool = False) -> str | None:
    """Why saving (or deleting) ``term`` would move an already numbered document of its
    unit into another series, so that numbers would restart mid-term; None if it would not."""
    if term.unit_id is None:
        return None
    stored = list(PartyTerm.objects.filter(unit_id=term.unit_id).exclude(pk=term.pk))
    proposed = stored if deleting else [*stored, term]
    if term.pk is None and not deleting:
        term.pk = -1  # a key for the new row, to compare with (never saved)
    try:
        numbered = Document.objects.filter(
            unit_id=term.unit_id,
            direction=Document.Direction.OUTGOING,
            series__isnull=False,
            is_congress=False,
            series__scope_key__startswith="term:",
        ).select_related("series")
        for document in numbered:
            assert document.series is not None  # filtered above
            if scope_key(document, Profile.PARTY, proposed) != document.series.scope_key:
                return (
                    f"Văn bản {document.symbol} ({document.date:%d/%m/%Y}) đã được cấp số trong "
                    f"nhiệm kỳ hiện tại: đổi như vậy sẽ đánh lại số từ đầu / {document.symbol} "
                    "was already numbered in the current term: this change would restart "
                    "the numbers"
                )
    finally:
        if term.pk == -1:
            term.pk = None
    return None


def build_symbol(profile: str, number: int, type_code: str, issuer: str, unit_suffix: str) -> str:
    """The symbol as printed: "04-BC/BTGHU" (Party), "12/BC-UBND", "125/SGDĐT-VP" (State)."""
    if profile == Profile.PARTY:
        return f"{number:02d}-{type_code}/{issuer}"
    if type_code:
        return f"{number:02d}/{type_code}-{issuer}"
    return f"{number:02d}/{issuer}-{unit_suffix}" if unit_suffix else f"{number:02d}/{issuer}"


def _locked_series(issuer: Unit, key: str) -> NumberSeries:
    """The series row, created if new, locked until the end of the transaction."""
    return locked_row(NumberSeries, issuer=issuer, scope_key=key)


@transaction.atomic
def carry_over(
    *, acting_user: Actor, issuer: Unit, type: str, day: dt.date, last_number: int
) -> NumberSeries:
    """Start the series ``issuer`` numbers ``type`` from on ``day`` where the paper register
    stopped: the next document issued gets ``last_number + 1``. A series never goes back
    (a number is never given twice), so a lower number than the counter's is refused."""
    policy.require(acting_user, policy.Action.CHANGE, issuer)
    _version(issuer, day)
    profile = profile_of(issuer, day)
    probe = Document(unit=issuer, date=day, type=find_type(profile, type))
    series = _locked_series(issuer, scope_key(probe, profile))
    if last_number < series.last_number:
        raise Conflict(
            "series_goes_back",
            f"Sổ đã cấp đến số {series.last_number} / the series is already at {series.last_number}",
        )
    series.last_number = last_number
    series.save(update_fields=["last_number"])
    return series


ISSUE_FIELDS = {
    "signer": ("người ký", "signer"),
    "signer_authority": ("thẩm quyền ký", "signer's authority"),
    "recipients": ("nơi nhận", "recipients"),
}
"""What a document must state before it takes a number: (Vietnamese, English) names."""


def missing_to_issue(document: Document) -> list[str]:
    """The fields of ``ISSUE_FIELDS`` that ``document`` leaves empty (decision 0029)."""
    return [name for name in ISSUE_FIELDS if not getattr(document, name).strip()]


def incomplete(missing: list[str]) -> BadInput:
    """The 400 naming what is missing before a number may be taken."""
    vi = ", ".join(ISSUE_FIELDS[name][0] for name in missing)
    en = ", ".join(ISSUE_FIELDS[name][1] for name in missing)
    return BadInput(
        "missing_to_issue",
        f"Chưa cấp số được: còn thiếu {vi} / a number is not taken without: {en}",
        details=missing,
    )


def next_symbol(document: Document) -> str:
    """The symbol ``document`` would get if it were issued now ("06-BC/BTGHU"), for the
    screen's confirmation; read without a lock, so another issue may take it first (the
    number actually given is the one ``issue`` returns). "" when it cannot be issued."""
    version = document.unit.version_on(document.date)
    if version is None or not version.abbreviation:
        return ""
    profile = profile_of(document.unit, document.date)
    series = NumberSeries.objects.filter(
        issuer=document.unit, scope_key=scope_key(document, profile)
    ).first()
    number = (series.last_number if series else 0) + 1
    return build_symbol(
        profile, number, document.type.code, version.abbreviation, document.unit_suffix
    )


def _numbering_version(unit: Unit, day: dt.date) -> UnitVersion:
    """The version of ``unit`` on ``day``, whose abbreviation a symbol carries; 400 if the
    unit did not exist then or has no abbreviation."""
    version = _version(unit, day)
    if not version.abbreviation:
        raise BadInput(
            "no_abbreviation",
            f"Đơn vị {unit.code} chưa có tên viết tắt / {unit.code} has no abbreviation",
            shown=_(
                "%(unit)s chưa có tên viết tắt (dùng trong số, ký hiệu văn bản): hãy ghi "
                "trong thông tin đơn vị."
            )
            % {"unit": version.name},
        )
    return version


def numbering_refusal(unit: Unit, day: dt.date) -> BadInput | None:
    """Why ``issue`` would refuse to number a document of ``unit`` dated ``day`` whatever
    its fields (the unit did not exist then, or has no abbreviation); None if it would
    not. For the screens, which disable their issue button and say why beside it."""
    try:
        _numbering_version(unit, day)
    except BadInput as exc:
        return exc
    return None


@transaction.atomic
def issue(*, acting_user: Actor, document: Document) -> Document:
    """Give ``document`` the next number of its series and its symbol; status issued.

    Refused (400 ``missing_to_issue``, nothing taken) while the signer, the signer's
    authority or the recipients are empty. No confirmation here: the screens ask it."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    # Re-read under lock: a document issued twice at once gets one number.
    document = (
        Document.objects.select_for_update().select_related("type", "unit").get(pk=document.pk)
    )
    if document.status != Document.Status.DRAFT or document.direction != "outgoing":
        raise Conflict(
            "not_a_draft",
            f"Chỉ dự thảo văn bản đi được ban hành / only outgoing drafts can be issued "
            f"(status: {document.status})",
            shown=_("Chỉ dự thảo văn bản đi được ban hành; văn bản này: %(status)s.")
            % {"status": one_language(document.get_status_display())},
        )
    missing = missing_to_issue(document)
    if missing:
        raise incomplete(missing)
    version = _numbering_version(document.unit, document.date)
    profile = profile_of(document.unit, document.date)
    series = _locked_series(document.unit, scope_key(document, profile))
    series.last_number += 1
    series.save(update_fields=["last_number"])
    document.series = series
    document.number = series.last_number
    document.symbol = build_symbol(
        profile,
        series.last_number,
        document.type.code,
        version.abbreviation,
        document.unit_suffix,
    )
    document.status = Document.Status.ISSUED
    document.modified = timezone.now()
    _audited(document, acting_user).save(update_fields=["series", "number", "symbol", "status"])
    search.index(document)
    return document


@transaction.atomic
def cancel(*, acting_user: Actor, document: Document, reason: str) -> Document:
    """Cancel ``document``; an issued number stays taken (recorded as cancelled)."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    reason = nfc_lines(reason)
    if not reason:
        raise BadInput("reason_required", "Cần lý do hủy / a reason is required")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == Document.Status.CANCELLED:
        raise Conflict("already_cancelled", "Văn bản đã bị hủy / already cancelled")
    document.status = Document.Status.CANCELLED
    document.cancel_reason = reason
    document.modified = timezone.now()
    _audited(document, acting_user).save(update_fields=["status", "cancel_reason"])
    return document


@transaction.atomic
def register_incoming(
    *,
    acting_user: Actor,
    unit: Unit,
    type: str | DocumentType,
    symbol: str,
    date: dt.date,
    summary: str,
    issuer: Unit | None = None,
    issuer_name: str = "",
    profile: str | None = None,
    signer: str = "",
    signer_authority: str = "",
    recipients: str = "",
    received_date: dt.date | None = None,
    received_number: int | None = None,
) -> Document:
    """A document received by ``unit``; the same issuer, symbol and date twice is refused (409).

    ``profile`` (which list ``type`` is looked up in) defaults to the issuer's. The
    document takes the next số đến of the unit's register for the year it arrived
    (``received_date``, default today), or ``received_number`` when the clerk types
    it (a paper book being carried over): a number the year's register already gave is
    refused (409), and the counter moves past a typed number so none is given twice.
    """
    policy.require(acting_user, policy.Action.CHANGE, unit)
    symbol = nfc(symbol.strip())
    issuer_name = nfc(issuer_name.strip())
    if not symbol:
        raise BadInput("symbol_required", "Cần số, ký hiệu / a symbol is required")
    if issuer is None and not issuer_name:
        raise BadInput("issuer_required", "Cần cơ quan ban hành / an issuer is required")
    if issuer is not None:
        _version(issuer, date)
        profile = profile or profile_of(issuer, date)
    doc_type = type if isinstance(type, DocumentType) else find_type(profile or Profile.STATE, type)
    duplicate = Document.objects.filter(
        unit=unit, direction=Document.Direction.INCOMING, symbol=symbol, date=date
    )
    duplicate = (
        duplicate.filter(issuer=issuer) if issuer else duplicate.filter(issuer_name=issuer_name)
    )
    if duplicate.exists():
        raise Conflict(
            "duplicate_incoming",
            f"Văn bản {symbol} ngày {format_date(date)} đã vào sổ / already registered: {symbol}",
        )
    summary = nfc_lines(summary)
    if not summary:
        raise BadInput("empty_summary", "Cần trích yếu / a summary is required")
    received_date = received_date or timezone.localdate()
    if received_date < date:
        raise BadInput(
            "received_before_date",
            f"Ngày đến {format_date(received_date)} trước ngày văn bản {format_date(date)} / "
            "received before the document's date",
        )
    series, received_number = _next_received_number(unit, received_date, received_number)
    document = Document(
        direction=Document.Direction.INCOMING,
        series=series,
        received_number=received_number,
        received_date=received_date,
        unit=unit,
        issuer=issuer,
        issuer_name=issuer_name,
        type=doc_type,
        symbol=symbol,
        date=date,
        summary=summary,
        signer=nfc(signer.strip()),
        signer_authority=signer_authority,
        recipients=nfc_lines(recipients),
        status=Document.Status.RECEIVED,
        created_by=_user(acting_user),
    )
    _audited(document, acting_user).save()
    search.index(document)
    signals.document_received.send(__name__, document=document, acting_user=acting_user)
    return document


def _next_received_number(
    unit: Unit, received_date: dt.date, typed: int | None
) -> tuple[NumberSeries, int]:
    """The series "incoming:YEAR" of ``unit``, locked, and the số đến to give."""
    series = _locked_series(unit, f"incoming:{received_date.year}")
    if typed is None:
        series.last_number += 1
        series.save(update_fields=["last_number"])
        return series, series.last_number
    if typed < 1:
        raise BadInput("invalid_received_number", "Số đến phải từ 1 / numbers start at 1")
    taken = Document.objects.filter(series=series, received_number=typed).first()
    if taken is not None:
        raise Conflict(
            "duplicate_received_number",
            f"Số đến {typed} năm {received_date.year} đã dùng cho {taken.symbol} / "
            f"incoming number {typed} of {received_date.year} is taken by {taken.symbol}",
        )
    if typed > series.last_number:
        series.last_number = typed
        series.save(update_fields=["last_number"])
    return series, typed


@transaction.atomic
def link(*, acting_user: Actor, source: Document, target: Document, kind: str) -> DocumentLink:
    """Record that ``source`` implements, replaces or responds to ``target``."""
    policy.require(acting_user, policy.Action.CHANGE, source.unit)
    policy.require(acting_user, policy.Action.VIEW, target.unit)
    if kind not in DocumentLink.Kind.values:
        raise BadInput(
            "invalid_link_kind",
            f"Loại liên kết không hợp lệ / invalid link kind: {kind!r} "
            f"({', '.join(DocumentLink.Kind.values)})",
        )
    if source.pk == target.pk:
        raise BadInput(
            "link_to_self", "Văn bản không liên kết với chính nó / a document cannot link to itself"
        )
    if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise Conflict("duplicate_link", "Liên kết đã có / the link exists")
    return DocumentLink.objects.create(source=source, target=target, kind=kind)
