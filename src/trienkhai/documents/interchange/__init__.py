"""Documents between e-office systems as edXML packages (QCVN 102:2016/BTTTT): the facade.

The rest of trienkhai calls these few functions; the format (``edxml``) and the ways
packages travel (``transport``) stay private (DESIGN.md, "Signing and edXML").

- ``export_package(document, to=...)``: an issued document as a package (bytes).
- ``import_package(acting_user=, data=, unit=)``: a package into a unit's incoming
  register, with its attachments; the same package twice → 409.
- ``send_status`` / ``receive_status``: status messages (received, accepted, rejected,
  processing, done) about a document, both ways, kept as ``InterchangeStatus`` rows.
- ``poll(acting_user=, transport=)``: take in what a transport holds.

Parsing, decoding and inspecting attachments, and storing their bytes, happen before the
one short write transaction; delivering through a transport after it (decision 0032).
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.documents import attachments, search, services
from trienkhai.documents.interchange import edxml
from trienkhai.documents.interchange.edxml import StatusCode
from trienkhai.documents.interchange.models import InterchangeStatus, ReceivedPackage
from trienkhai.documents.interchange.transport import FilesTransport, Transport
from trienkhai.documents.models import (
    AUTHORITY_MARKS,
    Attachment,
    Document,
    DocumentLink,
    DocumentType,
)
from trienkhai.orgs.models import Profile, Unit
from trienkhai.orgs.services import AGENCY_CODE_RE
from trienkhai.vn import fold, nfc, nfc_lines

__all__ = [
    "STATUSES",
    "FilesTransport",
    "Transport",
    "configured_transport",
    "export_package",
    "import_package",
    "package_name",
    "poll",
    "receive_status",
    "send_status",
]

STATUSES = dict(StatusCode.BY_NAME)
"""Status names the API takes and shows → the codes of the standard."""

COMPETENCE = AUTHORITY_MARKS
"""How a signer's authority is printed before the body's name: SignerInfo's Competence
starts with it."""
_AUTHORITY = {"TM": "tm", "KT": "kt", "TL": "tl", "TUQ": "tuq", "Q": "q"}


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def configured_transport() -> Transport | None:
    """The files transport under ``settings.EDXML_DIR`` when set; None: statuses are
    recorded but not delivered."""
    folder = getattr(settings, "EDXML_DIR", None)
    return FilesTransport(folder) if folder else None


def _name_on(unit: Unit, day: dt.date) -> str:
    version = unit.version_on(day) or unit.latest_version()
    return version.name


def _organ(unit: Unit, day: dt.date) -> edxml.Organ:
    if not unit.agency_code:
        raise BadInput(
            "no_agency_code",
            f"Đơn vị {unit.code} chưa có mã định danh (QĐ 20/2020/QĐ-TTg) / "
            f"{unit.code} has no agency code yet",
            shown=_(
                "%(unit)s chưa có mã định danh (QĐ 20/2020/QĐ-TTg): hãy ghi trong thông tin đơn vị."
            )
            % {"unit": _name_on(unit, day)},
        )
    return edxml.Organ(unit.agency_code, _name_on(unit, day))


def package_name(document: Document) -> str:
    """A file name for the package: "edxml-04-bc-btghu.xml"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(document.symbol or str(document.pk))).strip("-")
    return f"edxml-{slug or document.pk}.xml"


def document_key(document: Document) -> str:
    """The DocumentId that identifies ``document`` across systems."""
    received = ReceivedPackage.objects.filter(document=document).first()
    if received is not None:
        return received.document_key
    organ_id = document.issuer.agency_code if document.issuer else ""
    return edxml.document_id(organ_id, document.date, document.symbol)


def _receivers(to: list[str], day: dt.date) -> list[edxml.Organ]:
    """Each of ``to``: a unit's agency code or code, or an agency code outside the system."""
    found = []
    for item in (t.strip() for t in to):
        if not item:
            continue
        unit = Unit.objects.filter(agency_code=item.upper()).first()
        unit = unit or Unit.objects.filter(code=item).first()
        if unit is not None:
            found.append(_organ(unit, day))
        elif AGENCY_CODE_RE.match(item.upper()):
            found.append(edxml.Organ(item.upper()))
        else:
            raise BadInput(
                "unknown_receiver",
                f"Không biết nơi nhận / unknown receiver: {item!r} (mã đơn vị hoặc mã định "
                "danh / a unit code or an agency code)",
            )
    return found


def _references(document: Document) -> list[edxml.Reference]:
    links = DocumentLink.objects.filter(
        source=document, kind=DocumentLink.Kind.RESPONDS_TO
    ).select_related("target__issuer")
    found = []
    for link in links:
        target = link.target
        received = ReceivedPackage.objects.filter(document=target).first()
        organ_id = received.sender_organ_id if received else ""
        if not organ_id and target.issuer is not None:
            organ_id = target.issuer.agency_code
        found.append(edxml.Reference(organ_id, target.symbol, target.date, document_key(target)))
    return found


def export_package(document: Document, *, to: list[str] | None = None) -> bytes:
    """``document`` (issued, outgoing) as an edXML package with its attachments in base64.

    ``to``: the receivers (unit codes or agency codes); none: the package names only its
    Nơi nhận lines (ToPlaces), and the receiving system picks the register."""
    if document.direction != Document.Direction.OUTGOING or document.status not in (
        Document.Status.ISSUED,
        Document.Status.ARCHIVED,
    ):
        raise Conflict(
            "not_issued",
            "Chỉ văn bản đi đã ban hành mới xuất được gói edXML / only issued outgoing "
            "documents are exported as edXML",
        )
    assert document.issuer is not None  # an outgoing document's issuer is its unit
    sender = _organ(document.issuer, document.date)
    number, notation = edxml.split_symbol(document.symbol)
    profile = document.type.profile
    files = []
    for attachment in document.attachments.all():
        path = attachments.file_path(attachment)
        if not path.is_file():
            raise NotFound("tệp đính kèm / attachment file", attachment.name)
        files.append(edxml.Attached(attachment.name, attachment.content_type, path.read_bytes()))
    package = edxml.Package(
        sender=sender,
        receivers=_receivers(to or [], document.date),
        number=number,
        notation=notation,
        date=document.date,
        place=document.place,
        type_code=document.type.label,
        type_name=document.type.name,
        subject=document.summary,
        signer=document.signer,
        competence=COMPETENCE.get(profile, {}).get(document.signer_authority, ""),
        to_places=[line for line in document.recipients.split("\n") if line.strip()],
        response_for=_references(document),
        document_id=edxml.document_id(sender.organ_id, document.date, document.symbol),
        sent_at=timezone.localtime().replace(microsecond=0),
        attachments=files,
    )
    return edxml.build_package(package)


# Import ---------------------------------------------------------------------------------


def _authority(competence: str) -> str:
    first = competence.split(" ")[0] if competence else ""
    return _AUTHORITY.get(first.replace("/", "").replace(".", "").upper(), "")


def _receiving_unit(acting_user: Actor, package: edxml.Package, unit: Unit | None) -> Unit:
    if unit is not None:
        return unit
    ids = {organ.organ_id.upper() for organ in package.receivers if organ.organ_id}
    known = list(Unit.objects.filter(agency_code__in=ids)) if ids else []
    if len(known) > 1:
        known = [u for u in known if policy.can(acting_user, policy.Action.CHANGE, u)] or known
    if len(known) == 1:
        return known[0]
    if not known:
        raise BadInput(
            "unit_required",
            "Gói edXML không gửi tới đơn vị nào có mã định danh trong hệ thống: chọn đơn "
            "vị nhận (unit) / the package's To names no unit known here: give the "
            "receiving unit (unit)",
        )
    raise BadInput(
        "unit_required",
        "Gói edXML gửi tới nhiều đơn vị: chọn đơn vị nhận (unit) / the package is for "
        "several units here: give the receiving unit (unit)",
    )


def _type_of(profile: str, package: edxml.Package) -> DocumentType:
    if package.type_code:
        try:
            return services.find_type(profile, package.type_code)
        except BadInput:
            pass
    wanted = fold(package.type_name)
    for candidate in DocumentType.objects.filter(profile=profile):
        if wanted and fold(candidate.name) == wanted:
            return candidate
    # Party notations lead with the type's code: "BC/BTGHU"; State ones: "BC-UBND".
    leading = re.split(r"[/-]", package.notation)[0]
    return services.find_type(profile, leading)


@dataclass(frozen=True)
class _File:
    name: str
    kind: str
    text: str
    data: bytes
    digest: str


def _inspect(package: edxml.Package) -> list[_File]:
    """Each attachment checked as an upload is (kind, content, text); BadInput if one is refused."""
    files: list[_File] = []
    seen: set[str] = set()
    for attached in package.attachments:
        found = attachments.inspect(attached.name, attached.data)
        digest = hashlib.sha256(attached.data).hexdigest()
        if digest in seen:
            continue  # the same file twice in one package is kept once
        seen.add(digest)
        files.append(_File(found.name, found.kind, found.text, attached.data, digest))
    return files


LIMITS = {
    "symbol": (80, "số, ký hiệu", "the number and notation"),
    "signer": (100, "tên người ký", "the signer's name"),
    "key": (300, "DocumentId", "DocumentId"),
}
"""The longest value the register keeps of each (its columns' lengths)."""


def _check_lengths(**values: str) -> None:
    for name, value in values.items():
        limit, vi, en = LIMITS[name]
        if len(value) > limit:
            raise BadInput(
                "edxml_field_too_long",
                f"Gói edXML: {vi} dài quá {limit} ký tự / the package's {en} is longer "
                f"than {limit} characters",
            )


def _duplicate(key: str) -> Conflict:
    return Conflict(
        "duplicate_package",
        f"Gói edXML này đã vào sổ / this edXML package is already registered: {key}",
    )


def import_package(*, acting_user: Actor, data: bytes, unit: Unit | None = None) -> Document:
    """Enter the package ``data`` into the incoming register of ``unit`` (default: the unit
    its To names by agency code), with its attachments; a status "received" is recorded
    and delivered to the sender when a transport is configured.

    CHANGE on the receiving unit (403). 400, nothing stored: malformed, oversized,
    hostile (a DTD, entities), bad base64, an attachment refused as an upload would be,
    a type or field missing. 409: the same package (DocumentId) already in that register.
    """
    package = edxml.parse_package(data, max_bytes=max_bytes())
    unit = _receiving_unit(acting_user, package, unit)
    policy.require(acting_user, policy.Action.CHANGE, unit)
    symbol = nfc(package.symbol)
    if not symbol:
        raise BadInput("symbol_required", "Gói edXML thiếu số, ký hiệu / no number or notation")
    key = package.document_id or edxml.document_id(package.sender.organ_id, package.date, symbol)
    _check_lengths(symbol=symbol, signer=nfc(package.signer), key=key)
    if ReceivedPackage.objects.filter(unit=unit, document_key=key).exists():
        raise _duplicate(key)
    issuer = None
    if package.sender.organ_id:
        issuer = Unit.objects.filter(agency_code=package.sender.organ_id.upper()).first()
        if issuer is not None and issuer.version_on(package.date) is None:
            issuer = None
    # An issuer known here numbers by its own profile; another is judged by its notation.
    profile = None if issuer else (Profile.PARTY if "/" in package.notation else Profile.STATE)
    doc_type = _type_of(
        services.profile_of(issuer, package.date) if issuer else str(profile), package
    )
    files = _inspect(package)
    stored = [attachments._store(f.data, f.digest) for f in files]
    now = timezone.now()
    with transaction.atomic():
        document = services.register_incoming(
            acting_user=acting_user,
            unit=unit,
            type=doc_type,
            symbol=symbol,
            date=package.date,
            summary=package.subject,
            issuer=issuer,
            issuer_name="" if issuer else nfc(package.sender.name or package.sender.organ_id)[:200],
            profile=profile,
            signer=package.signer,
            signer_authority=_authority(package.competence),
            recipients="\n".join(package.to_places),
        )
        if package.place:
            document.place = nfc(package.place)[:100]
            document.save(update_fields=["place"])
        user = actors.user_of(acting_user)
        for found, path in zip(files, stored, strict=True):
            Attachment.objects.create(
                document=document,
                name=found.name,
                kind=found.kind,
                content_type=attachments.CONTENT_TYPES[found.kind],
                size=len(found.data),
                sha256=found.digest,
                path=path,
                text=found.text,
                created_by=user,
            )
        try:
            with transaction.atomic():
                ReceivedPackage.objects.create(
                    unit=unit,
                    document=document,
                    document_key=key,
                    sender_organ_id=package.sender.organ_id[:13],
                    sender_name=nfc(package.sender.name)[:200],
                    sha256=hashlib.sha256(data).hexdigest(),
                    created_by=user,
                )
        except IntegrityError:
            raise _duplicate(key) from None  # registered meanwhile by another request
        search.index(document)
        status = _record(
            document, InterchangeStatus.Direction.SENT, StatusCode.RECEIVED, "", now, user
        )
    _deliver(status)
    return document


# Statuses -------------------------------------------------------------------------------


def _record(document, direction, code, description, at, user) -> InterchangeStatus:
    return InterchangeStatus.objects.create(
        document=document,
        direction=direction,
        code=code,
        description=description,
        organ_id=document.unit.agency_code if direction == "sent" else "",
        at=at,
        created_by=user,
    )


def status_message(status: InterchangeStatus) -> bytes:
    """The status package of a status we send about a document we received."""
    document = status.document
    received = ReceivedPackage.objects.filter(document=document).first()
    sender_id = received.sender_organ_id if received else ""
    return edxml.build_status(
        edxml.StatusMessage(
            sender=edxml.Organ(document.unit.agency_code, _name_on(document.unit, document.date)),
            response_for=edxml.Reference(
                sender_id, document.symbol, document.date, document_key(document)
            ),
            code=status.code,
            description=status.description,
            at=timezone.localtime(status.at).replace(microsecond=0),
        )
    )


def _deliver(status: InterchangeStatus, transport: Transport | None = None) -> bool:
    """Hand the status package to the transport (after the transaction); False if none."""
    transport = transport or configured_transport()
    if transport is None:
        return False
    transport.send(f"status-{status.pk}-{status.code}.xml", status_message(status))
    return True


def send_status(
    *,
    acting_user: Actor,
    document: Document,
    status: str,
    description: str = "",
    transport: Transport | None = None,
) -> tuple[InterchangeStatus, bool]:
    """Tell the sender of an incoming ``document`` where it stands: ``status`` is one of
    ``STATUSES`` (received, accepted, rejected, processing, done). CHANGE on its register.
    Returns the recorded status and whether a transport took the message."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    code = STATUSES.get(status)
    if code is None:
        raise BadInput(
            "invalid_status",
            f"Trạng thái không hợp lệ / invalid status: {status!r} ({', '.join(STATUSES)})",
        )
    if document.direction != Document.Direction.INCOMING:
        raise Conflict(
            "not_incoming",
            "Chỉ gửi trạng thái cho văn bản đến / statuses are sent about incoming documents",
        )
    _organ(document.unit, document.date)  # 400 while the unit has no agency code
    description = nfc_lines(description)[: edxml.MAX_TEXT]
    with transaction.atomic():
        made = _record(
            document,
            InterchangeStatus.Direction.SENT,
            code,
            description,
            timezone.now(),
            actors.user_of(acting_user),
        )
    return made, _deliver(made, transport)


def _issued_document(key: str) -> Document | None:
    """Our outgoing document a DocumentId names ("organ,YYYY/MM/DD,symbol")."""
    parts = key.split(",", 2)
    if len(parts) != 3:
        return None
    organ_id, day, symbol = parts
    date = edxml.parse_day(day)
    if date is None:
        return None
    return (
        Document.objects.filter(
            direction=Document.Direction.OUTGOING,
            issuer__agency_code=organ_id.upper(),
            date=date,
            symbol=symbol,
        )
        .select_related("unit")
        .first()
    )


def receive_status(*, acting_user: Actor, data: bytes) -> InterchangeStatus:
    """Record a status message a receiver sent about one of our issued documents.
    400 unreadable or hostile; 404 no such document here; 403 without CHANGE on its register."""
    message = edxml.parse_status(data, max_bytes=max_bytes())
    document = _issued_document(message.response_for.document_id)
    if document is None:
        raise NotFound("văn bản / document", message.response_for.document_id)
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    at = message.at if timezone.is_aware(message.at) else timezone.make_aware(message.at)
    with transaction.atomic():
        return InterchangeStatus.objects.create(
            document=document,
            direction=InterchangeStatus.Direction.RECEIVED,
            code=message.code[:4],
            description=nfc_lines(message.description),
            organ_id=message.sender.organ_id[:13],
            at=at,
            created_by=actors.user_of(acting_user),
        )


@dataclass(frozen=True)
class Polled:
    name: str
    document: Document | None = None
    status: InterchangeStatus | None = None
    error: str = ""


def poll(*, acting_user: Actor, transport: Transport, unit: Unit | None = None) -> list[Polled]:
    """Take in every message the transport holds: packages into registers, statuses onto
    our documents. A refused message is set aside with its reason; the others go on."""
    results = []
    for message in transport.receive():
        try:
            if edxml.is_status(message.data, max_bytes=max_bytes()):
                made = receive_status(acting_user=acting_user, data=message.data)
                results.append(Polled(message.name, status=made))
            else:
                document = import_package(acting_user=acting_user, data=message.data, unit=unit)
                results.append(Polled(message.name, document=document))
        except (BadInput, PermissionDenied) as exc:
            reason = exc.message if isinstance(exc, BadInput) else "Không có quyền / forbidden"
            transport.reject(message, reason)
            results.append(Polled(message.name, error=reason))
        else:
            transport.done(message)
    return results
