"""The edXML format (QCVN 102:2016/BTTTT): building and reading packages and status messages.

Private to ``documents.interchange``: the rest of the code sees ``Package`` and
``StatusMessage`` values, never XML. The variant written is the national axis's
(namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``); which fields, and from what
source, is in docs/EDXML.md.

Reading is hardened before anything else: a size limit, no DTD at all (so no entity:
neither XXE nor billion laughs), lxml told not to resolve entities nor touch the
network nor build huge trees, and every attachment's base64 decoded strictly. Any
refusal is a bilingual ``BadInput`` (400) and nothing has been written yet.
"""

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

from trienkhai.common.errors import BadInput

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
_E = f"{{{NS}}}"
NSMAP = {"edXML": NS}

MAX_ATTACHMENTS = 100
MAX_TEXT = 10_000
"""The longest text a field may carry (a subject, a recipient line)."""

_DTD_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


class StatusCode:
    """Status codes of a status message (trạng thái xử lý). "01" (arrived) is in the
    national axis's published example; the others follow the same list as read from a
    public gateway's code and are *to verify* (docs/EDXML.md)."""

    RECEIVED = "01"
    REJECTED = "02"
    ACCEPTED = "03"
    PROCESSING = "05"
    DONE = "06"

    NAMES = {
        RECEIVED: "received",
        REJECTED: "rejected",
        ACCEPTED: "accepted",
        PROCESSING: "processing",
        DONE: "done",
    }
    BY_NAME = {name: code for code, name in NAMES.items()}


@dataclass(frozen=True)
class Organ:
    """An organisation of a package: ``organ_id`` is its mã định danh, possibly ""."""

    organ_id: str
    name: str = ""


@dataclass(frozen=True)
class Attached:
    name: str
    content_type: str
    data: bytes
    content_id: str = ""


@dataclass(frozen=True)
class Reference:
    """An earlier document a package or a status answers (ResponseFor)."""

    organ_id: str
    code: str
    date: dt.date | None
    document_id: str


@dataclass
class Package:
    """One document as an edXML package (the fields trienkhai writes and reads)."""

    sender: Organ
    receivers: list[Organ]
    number: str
    notation: str
    date: dt.date
    place: str
    type_code: str
    type_name: str
    subject: str
    signer: str
    competence: str = ""
    position: str = ""
    to_places: list[str] = field(default_factory=list)
    response_for: list[Reference] = field(default_factory=list)
    document_id: str = ""
    sent_at: dt.datetime | None = None
    business: str = "0"
    """TraceHeaderList's business kind: "0" new, "2" update, "3" replacement."""
    attachments: list[Attached] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        """The symbol as printed: a Party notation holds "/" (04-BC/BTGHU), a State one
        does not (12/BC-UBND, 7816/VPCP-TTĐT)."""
        if not self.number:
            return self.notation
        return f"{self.number}{'-' if '/' in self.notation else '/'}{self.notation}"


@dataclass(frozen=True)
class StatusMessage:
    sender: Organ
    response_for: Reference
    code: str
    description: str
    at: dt.datetime


def document_id(organ_id: str, date: dt.date, symbol: str) -> str:
    """DocumentId as the standard's example writes it: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"."""
    return f"{organ_id},{date:%Y/%m/%d},{symbol}"


def split_symbol(symbol: str) -> tuple[str, str]:
    """(CodeNumber, CodeNotation) of a printed symbol: "04-BC/BTGHU" → ("04", "BC/BTGHU")."""
    found = re.match(r"^(\d+)[-/](.+)$", symbol)
    return (found.group(1), found.group(2)) if found else ("", symbol)


# Building -------------------------------------------------------------------------------


def _sub(parent, tag: str, text: str | None = None):
    element = etree.SubElement(parent, _E + tag)
    if text is not None:
        element.text = text
    return element


def _organ(parent, tag: str, organ: Organ) -> None:
    element = _sub(parent, tag)
    _sub(element, "OrganId", organ.organ_id)
    _sub(element, "OrganName", organ.name)


def _reference(parent, reference: Reference) -> None:
    element = _sub(parent, "ResponseFor")
    _sub(element, "OrganId", reference.organ_id)
    _sub(element, "Code", reference.code)
    _sub(element, "PromulgationDate", reference.date.isoformat() if reference.date else "")
    _sub(element, "DocumentId", reference.document_id)


def _timestamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def build_package(package: Package) -> bytes:
    """The package as UTF-8 XML bytes."""
    envelope = etree.Element(_E + "edXMLEnvelope", nsmap=NSMAP)
    header = _sub(envelope, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", package.sender)
    for receiver in package.receivers:
        _organ(message, "To", receiver)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", package.number)
    _sub(code, "CodeNotation", package.notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", package.place)
    _sub(promulgation, "PromulgationDate", package.date.isoformat())
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", package.type_code)
    _sub(kind, "TypeName", package.type_name)
    _sub(message, "Subject", package.subject)
    _sub(message, "Content", "")
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", package.competence)
    _sub(signer, "Position", package.position)
    _sub(signer, "FullName", package.signer)
    places = _sub(message, "ToPlaces")
    for place in package.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", "0")
    _sub(other, "PromulgationAmount", "1")
    _sub(other, "PageAmount", "0")
    for reference in package.response_for:
        _reference(message, reference)
    _sub(message, "SteeringType", "0")
    _sub(message, "DocumentId", package.document_id)
    traces = _sub(header, "TraceHeaderList")
    trace = _sub(traces, "TraceHeader")
    _sub(trace, "OrganId", package.sender.organ_id)
    _sub(trace, "Timestamp", _timestamp(package.sent_at) if package.sent_at else "")
    business = _sub(traces, "Bussiness")  # sic: the SDK's spelling
    _sub(business, "BussinessDocType", package.business)
    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _sub(envelope, "AttachmentEncoded")
    for index, attached in enumerate(package.attachments, start=1):
        content_id = attached.content_id or f"cid:{index}"
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", content_id)
        _sub(reference, "ContentType", attached.content_type)
        _sub(reference, "AttachmentName", attached.name)
        item = _sub(encoded, "Attachment")
        _sub(item, "ContentId", content_id)
        _sub(item, "AttachmentName", attached.name)
        _sub(item, "ContentType", attached.content_type)
        _sub(item, "ContentTransferEncoded", base64.b64encode(attached.data).decode("ascii"))
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def build_status(status: StatusMessage) -> bytes:
    """A status message: an envelope whose header holds one ``Status``."""
    envelope = etree.Element(_E + "edXMLEnvelope", nsmap=NSMAP)
    header = _sub(envelope, "edXMLHeader")
    element = _sub(header, "Status")
    _reference(element, status.response_for)
    _organ(element, "From", status.sender)
    _sub(element, "StatusCode", status.code)
    _sub(element, "Description", status.description)
    _sub(element, "Timestamp", _timestamp(status.at))
    _sub(envelope, "edXMLBody")
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


# Reading --------------------------------------------------------------------------------


def _refused(code: str, vi: str, en: str) -> BadInput:
    return BadInput(code, f"{vi} / {en}")


def _parse(data: bytes, max_bytes: int):
    """The root element of ``data``, or BadInput: too large, a DTD, not well-formed XML."""
    if not data.strip():
        raise _refused("empty_file", "Tệp rỗng", "the file is empty")
    if len(data) > max_bytes:
        raise _refused(
            "file_too_large",
            f"Gói edXML quá lớn ({len(data):,} byte), tối đa {max_bytes:,} byte",
            f"the edXML package is too large ({len(data):,} bytes), at most {max_bytes:,} bytes",
        )
    if any(marker in data for marker in _DTD_MARKERS):
        raise _refused(
            "unsafe_xml",
            "Gói edXML chứa khai báo DTD/thực thể XML: từ chối",
            "the edXML package declares an XML DTD or entities: refused",
        )
    # huge_tree lifts libxml2's 10 MB limit on one text node: an attachment's base64 over
    # about 7 MB is one. What that limit guards against is bounded otherwise: the file's
    # size (``max_bytes``, checked above) and entity expansion (DTDs refused above,
    # entities never resolved).
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise _refused(
            "unreadable_file",
            "Không đọc được gói edXML (không phải XML hợp lệ)",
            "cannot read the edXML package (not well-formed XML)",
        ) from None
    if root.getroottree().docinfo.doctype:  # the byte scan above should have caught it
        raise _refused("unsafe_xml", "Gói edXML có DTD: từ chối", "a DTD: refused")
    if root.tag != _E + "edXMLEnvelope":
        raise _refused(
            "not_edxml",
            f"Không phải gói edXML (phần tử gốc {root.tag!r}, cần edXMLEnvelope trong {NS})",
            f"not an edXML package (root {root.tag!r}, expected edXMLEnvelope in {NS})",
        )
    return root


def _missing(path: str) -> BadInput:
    return _refused(
        "edxml_missing_field",
        f"Gói edXML thiếu {path}",
        f"the edXML package lacks {path}",
    )


def _find(parent, path: str):
    found = parent.find("/".join(_E + part for part in path.split("/")))
    return found


def _text(parent, path: str, *, required: bool = False, limit: int | None = MAX_TEXT) -> str:
    element = _find(parent, path)
    text = (element.text or "").strip() if element is not None else ""
    if required and not text:
        raise _missing(path)
    if limit is not None and len(text) > limit:
        raise _refused("edxml_field_too_long", f"{path} quá dài", f"{path} is too long")
    return text


_DATES = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})"), (0, 1, 2)),  # ISO 8601: 2015-09-30
    (re.compile(r"^(\d{4})/(\d{2})/(\d{2})"), (0, 1, 2)),  # as in DocumentId: 2015/09/30
    (re.compile(r"^(\d{2})/(\d{2})/(\d{4})"), (2, 1, 0)),  # as some systems write: 30/09/2015
)


def parse_day(text: str) -> dt.date | None:
    """The date ``text`` starts with, in one of the forms above; None if none."""
    for pattern, (year, month, day) in _DATES:
        found = pattern.match(text)
        if found:
            parts = found.groups()
            try:
                return dt.date(int(parts[year]), int(parts[month]), int(parts[day]))
            except ValueError:
                return None
    return None


def _date(text: str, path: str) -> dt.date:
    found = parse_day(text)
    if found is not None:
        return found
    raise _refused(
        "edxml_bad_date",
        f"Ngày không hợp lệ ở {path}: {text!r}",
        f"invalid date in {path}: {text!r}",
    )


def _moment(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _organ_of(element) -> Organ:
    return Organ(_text(element, "OrganId"), _text(element, "OrganName"))


def _references(parent) -> list[Reference]:
    found = []
    for element in parent.findall(_E + "ResponseFor"):
        day = _text(element, "PromulgationDate")
        found.append(
            Reference(
                organ_id=_text(element, "OrganId"),
                code=_text(element, "Code"),
                date=_date(day, "ResponseFor/PromulgationDate") if day else None,
                document_id=_text(element, "DocumentId"),
            )
        )
    return found


def _decode(text: str, name: str) -> bytes:
    compact = "".join(text.split())  # line breaks some systems write every 76 characters
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise _refused(
            "edxml_bad_base64",
            f"Tệp đính kèm {name!r} không phải base64 hợp lệ",
            f"attachment {name!r} is not valid base64",
        ) from None


def parse_package(data: bytes, *, max_bytes: int) -> Package:
    """The package in ``data``; BadInput (nothing read further) if it is refused."""
    root = _parse(data, max_bytes)
    header = _find(root, "edXMLHeader/MessageHeader")
    if header is None:
        raise _missing("edXMLHeader/MessageHeader")
    sender = _find(header, "From")
    if sender is None:
        raise _missing("From")
    day = _text(header, "PromulgationInfo/PromulgationDate", required=True)
    attachments: list[Attached] = []
    items = root.findall(f"{_E}AttachmentEncoded/{_E}Attachment")
    if len(items) > MAX_ATTACHMENTS:
        raise _refused(
            "edxml_too_many_attachments",
            f"Quá nhiều tệp đính kèm (tối đa {MAX_ATTACHMENTS})",
            f"too many attachments (at most {MAX_ATTACHMENTS})",
        )
    for item in items:
        name = _text(item, "AttachmentName", required=True)
        attachments.append(
            Attached(
                name=name,
                content_type=_text(item, "ContentType"),
                data=_decode(
                    _text(item, "ContentTransferEncoded", required=True, limit=None), name
                ),
                content_id=_text(item, "ContentId"),
            )
        )
    return Package(
        sender=_organ_of(sender),
        receivers=[_organ_of(element) for element in header.findall(_E + "To")],
        number=_text(header, "Code/CodeNumber"),
        notation=_text(header, "Code/CodeNotation", required=True),
        date=_date(day, "PromulgationInfo/PromulgationDate"),
        place=_text(header, "PromulgationInfo/Place"),
        type_code=_text(header, "DocumentType/Type"),
        type_name=_text(header, "DocumentType/TypeName"),
        subject=_text(header, "Subject", required=True),
        signer=_text(header, "SignerInfo/FullName"),
        competence=_text(header, "SignerInfo/Competence"),
        position=_text(header, "SignerInfo/Position"),
        to_places=[
            (element.text or "").strip()
            for element in header.findall(f"{_E}ToPlaces/{_E}Place")
            if (element.text or "").strip()
        ],
        response_for=_references(header),
        document_id=_text(header, "DocumentId"),
        sent_at=_moment(_text(root, "edXMLHeader/TraceHeaderList/TraceHeader/Timestamp")),
        business=_text(root, "edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType") or "0",
        attachments=attachments,
    )


def is_status(data: bytes, *, max_bytes: int) -> bool:
    """Whether ``data`` is a status message (else a document package); BadInput if unreadable."""
    return _find(_parse(data, max_bytes), "edXMLHeader/Status") is not None


def parse_status(data: bytes, *, max_bytes: int) -> StatusMessage:
    """The status message in ``data``; BadInput if refused."""
    root = _parse(data, max_bytes)
    status = _find(root, "edXMLHeader/Status")
    if status is None:
        raise _missing("edXMLHeader/Status")
    sender = _find(status, "From")
    references = _references(status)
    if sender is None:
        raise _missing("Status/From")
    if not references or not references[0].document_id:
        raise _missing("Status/ResponseFor/DocumentId")
    code = _text(status, "StatusCode", required=True)
    return StatusMessage(
        sender=_organ_of(sender),
        response_for=references[0],
        code=code,
        description=_text(status, "Description"),
        at=_moment(_text(status, "Timestamp")) or dt.datetime.now(dt.UTC),
    )
