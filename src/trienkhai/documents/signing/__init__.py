"""Signed PDFs (PAdES): the organisation's seal, the signer's own signature, verification.

The facade the rest of the code calls (DESIGN.md: signing behind a small facade, the
library private to ``_pades``):

- ``configure_seal``: a unit's PKCS#12 certificate, its password and seal image, kept
  encrypted (``at_rest``);
- ``seal``: the văn thư applies the organisation's signature ("đóng dấu phát hành") to
  an issued document's PDF, with the seal image over the left third of the signer's
  area (Nghị định 30/2020, Appendix I);
- ``open_link``, ``linked_pdf``, ``accept_signed``: one-time URLs for the signer's own
  signing tool (VGCA's signing service takes a download URL and an upload URL and signs
  with the signer's token), the file that comes back verified before it is kept;
- ``verify`` any PDF, ``signatures_of`` a document: who signed, for which organisation,
  when, whether the file is intact and the certificate chains to a configured root.

The PDF as it now stands is the latest ``SignedPdf`` of the document, else the PDF it
was issued with (``outputs.issued_pdf``: a report's, made by drafting), else its last
PDF attachment. Signing parses the PDF and runs the cryptography outside any
transaction; only recording the result is a short transaction, which refuses (409) a
result whose starting file is no longer the latest (decision 0031).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common import actors, uploads
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.documents import outputs
from trienkhai.documents.models import (
    Attachment,
    Document,
    ElectronicCopy,
    SignedPdf,
    SigningLink,
    UnitSeal,
)
from trienkhai.documents.signing import _pades, at_rest
from trienkhai.orgs.models import Unit

LINK_MINUTES = 15
"""How long the signer's tool may use a pair of one-time URLs (as e-office systems do)."""
MAX_PKCS12_BYTES = 100_000
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 3000
REASON = "Đóng dấu phát hành"


class Signature(TypedDict):
    """One signature of a PDF, as the API answers it."""

    field: str
    signer: str
    """The certificate's common name."""
    organisation: str
    signed_at: dt.datetime | None
    """The signing time the signer's software wrote (no trusted time-stamp yet)."""
    intact: bool
    """The signed bytes are unchanged and nothing but signatures was added after them."""
    trusted: bool
    """Intact, unexpired, and the certificate chains to a configured root."""
    expired: bool
    valid_until: dt.datetime | None
    chain: list[str]
    """Common names from the signer up to the root (the signer alone when no path)."""
    status: str
    """valid, modified, expired, revoked or untrusted (in that order of precedence)."""


class Gone(BadInput):
    status = 410


# Verification -------------------------------------------------------------------------


def trust_root_paths() -> list[str]:
    """The PEM/DER files of the roots signatures are judged against: the setting
    ``SIGNATURE_TRUST_ROOTS`` (TRIENKHAI_SIGNATURE_ROOTS), then every .pem in
    ``SIGNATURE_ROOTS_DIR`` (where the demo writes its made-up root)."""
    paths = [str(p) for p in settings.SIGNATURE_TRUST_ROOTS]
    folder = Path(settings.SIGNATURE_ROOTS_DIR)
    if folder.is_dir():
        paths += sorted(str(p) for p in folder.glob("*.pem"))
    return paths


def verify(data: bytes) -> list[Signature]:
    """Every signature of the PDF ``data``, oldest first ([] for an unsigned PDF).

    BadInput (400) for what is not a readable PDF. A signature over bytes changed since,
    or followed by changes other than signatures, is "modified", never valid."""
    uploads.check_size(data)
    if data.lstrip()[:5] != b"%PDF-":
        raise BadInput("not_a_pdf", "Tệp không phải PDF / the file is not a PDF")
    roots = _pades.load_roots(trust_root_paths())
    found = _pades.validate(data, roots, now=timezone.now())
    for signature in found:
        if signature["signed_at"] is not None:
            signature["signed_at"] = timezone.localtime(signature["signed_at"])
    return found  # type: ignore[return-value]


@dataclass(frozen=True)
class Current:
    data: bytes
    latest: SignedPdf | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def current_pdf(document: Document) -> Current | None:
    """The PDF as it now stands (see the module's docstring), or None if it has none."""
    latest = document.signed_pdfs.order_by("-id").first()
    if latest is not None:
        return Current(_read(latest.path), latest)
    issued = outputs.issued_pdf(document.pk)
    if issued is None:
        attached = document.attachments.filter(kind=Attachment.Kind.PDF).order_by("-id").first()
        if attached is not None:
            issued = _read(attached.path)
    return Current(issued, None) if issued is not None else None


def signatures_of(document: Document) -> list[Signature]:
    current = current_pdf(document)
    return verify(current.data) if current is not None else []


def has_signatures(document: Document) -> bool:
    return document.signed_pdfs.exists()


def _read(relative: str) -> bytes:
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.is_file():
        raise NotFound("tệp PDF đã ký / signed PDF file", relative)
    return path.read_bytes()


def _no_pdf() -> Conflict:
    return Conflict(
        "no_pdf",
        "Văn bản chưa có tệp PDF (đang được chuẩn bị, hoặc cần đính kèm tệp PDF) / the "
        "document has no PDF yet (being prepared, or attach one)",
    )


# The organisation's seal ---------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    organisation: str
    not_after: dt.datetime
    fingerprint: str


def read_pkcs12(data: bytes, password: str) -> CertificateFacts:
    """The certificate of a PKCS#12 file with its key; BadInput (400) if it cannot be
    opened with ``password``, holds no key, or has expired."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    if not data or len(data) > MAX_PKCS12_BYTES:
        raise _bad_pkcs12()
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode())
    except (ValueError, TypeError):
        raise _bad_pkcs12() from None
    if key is None or cert is None:
        raise _bad_pkcs12()
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise BadInput(
            "certificate_expired",
            f"Chứng thư số hết hạn hoặc chưa có hiệu lực (hiệu lực đến "
            f"{timezone.localtime(cert.not_valid_after_utc):%d/%m/%Y}) / the certificate has "
            "expired or is not valid yet",
        )

    def attribute(oid) -> str:
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return CertificateFacts(
        subject=attribute(NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
        organisation=attribute(NameOID.ORGANIZATION_NAME),
        not_after=cert.not_valid_after_utc,
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
    )


def _bad_pkcs12() -> BadInput:
    return BadInput(
        "invalid_pkcs12",
        "Tệp chứng thư số (PKCS#12, .p12/.pfx) hỏng, sai mật khẩu hoặc không có khóa bí mật"
        " / the certificate file (PKCS#12, .p12/.pfx) is damaged, the password is wrong, "
        "or it holds no private key",
    )


def check_seal_image(data: bytes) -> None:
    """A PNG of reasonable size (the seal: red, on a transparent background)."""
    from PIL import Image

    bad = BadInput(
        "invalid_seal_image",
        f"Ảnh con dấu phải là tệp PNG (nền trong suốt), tối đa {MAX_IMAGE_BYTES // 1024 // 1024}"
        f" MB và {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} điểm ảnh / the seal image must be a PNG "
        f"(transparent background), at most {MAX_IMAGE_BYTES // 1024 // 1024} MB and "
        f"{MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} pixels",
    )
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > MAX_IMAGE_BYTES:
        raise bad
    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) > MAX_IMAGE_SIDE:
                raise bad
            image.load()
    except BadInput:
        raise
    except Exception:  # Pillow raises many kinds of errors on a damaged file
        raise bad from None


def configure_seal(
    *, acting_user: Actor, unit: Unit, pkcs12: bytes, password: str, image: bytes
) -> UnitSeal:
    """Keep ``unit``'s certificate (PKCS#12 and its password, encrypted) and seal image,
    replacing any earlier ones. CHANGE on the unit; everything is checked first."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    facts = read_pkcs12(pkcs12, password)
    check_seal_image(image)
    sealed_pkcs12, sealed_password = at_rest.encrypt(pkcs12), at_rest.encrypt(password.encode())
    with transaction.atomic():
        found = UnitSeal.objects.select_for_update().filter(unit=unit).first()
        seal = found or UnitSeal(unit=unit)
        seal.pkcs12, seal.password, seal.image = sealed_pkcs12, sealed_password, image
        seal.subject, seal.organisation = facts.subject[:200], facts.organisation[:200]
        seal.not_after, seal.fingerprint = facts.not_after, facts.fingerprint
        seal.created_by = actors.user_of(acting_user)
        seal.modified = timezone.now()
        _audited(seal, acting_user).save()
    return seal


def seal(*, acting_user: Actor, document: Document) -> Signature:
    """Sign the issued ``document``'s PDF with its unit's seal; the new signature.

    CHANGE on the document's register. 409 when it is not issued, already sealed, its
    unit has no seal (or one that expired), it has no PDF yet, or another signature was
    added meanwhile.
    """
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    if document.status != Document.Status.ISSUED:
        raise Conflict(
            "not_issued",
            "Chỉ đóng dấu văn bản đã ban hành / only an issued document can be sealed",
        )
    if document.signed_pdfs.filter(kind=SignedPdf.Kind.SEAL).exists():
        raise Conflict(
            "already_sealed",
            "Văn bản đã được đóng dấu phát hành / the document is already sealed",
        )
    configured = _usable_seal(document.unit)
    current = current_pdf(document)
    if current is None:
        raise _no_pdf()
    placement = _pades.locate_signer(current.data, document.signer)
    signed = _pades.seal(
        current.data,
        pkcs12=at_rest.decrypt(configured.pkcs12),
        password=at_rest.decrypt(configured.password).decode(),
        image=bytes(configured.image),
        placement=placement,
        reason=REASON,
        location=document.place,
    )
    made = verify(signed)[-1]
    _record(acting_user, document, current, signed, SignedPdf.Kind.SEAL, made["signer"])
    return made


def _name_of(unit: Unit) -> str:
    """The unit's name today (its last name once it has ended)."""
    version = unit.version_on(unit.reference_date()) or unit.latest_version()
    return version.name


def _usable_seal(unit: Unit) -> UnitSeal:
    """The unit's configured seal: 409 when it has none, or its certificate expired."""
    configured = UnitSeal.objects.filter(unit=unit).first()
    if configured is None:
        raise Conflict(
            "no_seal",
            f"{_name_of(unit)} chưa cấu hình chứng thư số và con dấu / "
            f"{unit.code} has no certificate and seal configured",
            shown=_("%(unit)s chưa cấu hình chứng thư số và con dấu.") % {"unit": _name_of(unit)},
        )
    if configured.not_after < timezone.now():
        raise Conflict(
            "seal_expired",
            "Chứng thư số của đơn vị đã hết hạn; cấu hình chứng thư mới / the unit's "
            "certificate has expired; configure a new one",
        )
    return configured


def _record(
    acting_user: Actor,
    document: Document,
    current: Current,
    signed: bytes,
    kind: str,
    signer: str,
    link: SigningLink | None = None,
) -> SignedPdf:
    """Keep ``signed`` as the document's PDF, in a short transaction after the file is
    written; 409 if the PDF it signed is no longer the latest."""
    from trienkhai.documents.attachments import _store

    digest = hashlib.sha256(signed).hexdigest()
    path = _store(signed, digest)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        latest = document.signed_pdfs.order_by("-id").first()
        if (latest.pk if latest else None) != (current.latest.pk if current.latest else None):
            raise _changed()
        if link is not None:
            taken = SigningLink.objects.filter(pk=link.pk, used__isnull=True).update(
                used=timezone.now()
            )
            if not taken:
                raise _used()
        made = SignedPdf(
            document=document,
            kind=kind,
            signer=signer[:200],
            sha256=digest,
            base_sha256=current.sha256,
            size=len(signed),
            path=path,
            created_by=actors.user_of(acting_user),
        )
        _audited(made, acting_user).save()
    return made


def _changed() -> Conflict:
    return Conflict(
        "pdf_changed",
        "Tệp PDF của văn bản vừa được ký bởi người khác; hãy làm lại / the document's PDF "
        "was signed by someone else meanwhile; do it again",
    )


def _used() -> Gone:
    return Gone(
        "link_expired",
        "Liên kết ký số đã dùng hoặc đã hết hạn (15 phút); mở lại từ trang văn bản / the "
        "signing link was used or has expired (15 minutes); open a new one from the document",
    )


def _audited(instance, acting_user: Actor):
    user = actors.user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


# Electronic copies ---------------------------------------------------------------------

COPY_FONTS = (
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/msttcorefonts/times.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
"""Where the copy's font is looked for when settings.COPY_FONT names none: Times New
Roman (Nghị định 30/2020, Appendix I), else Liberation Serif, its metric twin."""
COPY_HEADINGS: dict[str, str] = {
    ElectronicCopy.Kind.SAO_Y.value: "Sao y",
    ElectronicCopy.Kind.SAO_LUC.value: "Sao lục",
}
"""The form of copy as printed: lower case, as Appendix I asks, and always Vietnamese."""


class FontUnavailable(BadInput):
    status = 503

    def __init__(self):
        super().__init__(
            "font_unavailable",
            "Máy chủ chưa có phông chữ Times New Roman hoặc Liberation Serif để in bản sao "
            "điện tử (cài gói fonts-liberation2) / the server has no Times New Roman or "
            "Liberation Serif font to print electronic copies with (install "
            "fonts-liberation2)",
        )


def copy_font() -> str:
    """The copy's font with 1,000 units to the em (made once into the data folder)."""
    chosen = settings.COPY_FONT or next((f for f in COPY_FONTS if Path(f).is_file()), "")
    if not chosen or not Path(chosen).is_file():
        raise FontUnavailable()
    return _pades.font_for_copies(chosen, Path(settings.DATA_DIR) / "signing" / "fonts")


def make_copy(*, acting_user: Actor, document: Document, kind: str) -> ElectronicCopy:
    """An electronic copy of ``document``'s PDF as it now stands (Nghị định 30/2020 Art.
    26): signed with the seal of the unit whose register holds it, "Sao y" or "Sao lục",
    the unit's name and the signing time (Vietnam time, ISO 8601) printed top right of
    page 1 in Times New Roman 10. CHANGE on the register.

    400 for an unknown ``kind``; 409 for a draft or cancelled document, one without a
    PDF, a unit without a seal (or with an expired one); 503 without the font. The PDF
    is read, signed and written outside any transaction; only the record is saved in
    one."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    if kind not in COPY_HEADINGS:
        raise BadInput(
            "invalid_copy_kind",
            f"Hình thức sao không hợp lệ: {kind} / unknown form of copy: {kind} (sao_y, sao_luc)",
            shown=_("Hãy chọn hình thức sao: sao y hoặc sao lục."),
        )
    if document.status in (Document.Status.DRAFT, Document.Status.CANCELLED):
        raise Conflict(
            "not_copyable",
            "Chỉ sao văn bản đã ban hành hoặc đã nhận / only an issued or received "
            "document can be copied",
        )
    configured = _usable_seal(document.unit)
    current = current_pdf(document)
    if current is None:
        raise _no_pdf()
    font = copy_font()
    body = _name_of(document.unit)
    at = timezone.localtime().replace(microsecond=0)  # settings.TIME_ZONE: Vietnam time
    signed = _pades.copy(
        current.data,
        pkcs12=at_rest.decrypt(configured.pkcs12),
        password=at_rest.decrypt(configured.password).decode(),
        lines=[COPY_HEADINGS[kind], body, f"Thời gian ký: {at.isoformat()}"],
        at=at,
        font_file=font,
        reason=COPY_HEADINGS[kind],
        location=document.place,
    )
    made = verify(signed)[-1]
    from trienkhai.documents.attachments import _store

    digest = hashlib.sha256(signed).hexdigest()
    path = _store(signed, digest)
    copy = ElectronicCopy(
        document=document,
        kind=kind,
        unit=document.unit,
        body=body[:300],
        signer=made["signer"][:200],
        signed_at=at,
        sha256=digest,
        base_sha256=current.sha256,
        size=len(signed),
        path=path,
        created_by=actors.user_of(acting_user),
    )
    with transaction.atomic():
        _audited(copy, acting_user).save()
    return copy


def copy_pdf(copy: ElectronicCopy) -> bytes:
    return _read(copy.path)


# The signer's own signature through one-time URLs --------------------------------------


def open_link(*, acting_user: Actor, document: Document) -> tuple[SigningLink, str]:
    """A one-time token for the signer's tool to fetch the issued ``document``'s PDF and
    post it back signed, valid ``LINK_MINUTES``; (the link, the token). Only the token's
    SHA-256 is kept. CHANGE on the document's register."""
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    if document.status != Document.Status.ISSUED:
        raise Conflict(
            "not_issued", "Chỉ ký số văn bản đã ban hành / only an issued document can be signed"
        )
    current = current_pdf(document)
    if current is None:
        raise _no_pdf()
    token = secrets.token_urlsafe(32)
    link = SigningLink(
        document=document,
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        base_sha256=current.sha256,
        expires=timezone.now() + dt.timedelta(minutes=LINK_MINUTES),
        created_by=actors.user_of(acting_user),
    )
    with transaction.atomic():
        link.save()
    return link, token


def linked(token: str) -> SigningLink:
    """The unused, unexpired link of ``token``: 404 unknown, 410 used or expired."""
    link = (
        SigningLink.objects.select_related("document__unit", "created_by")
        .filter(token_sha256=hashlib.sha256(token.encode()).hexdigest())
        .first()
    )
    if link is None:
        raise NotFound("liên kết ký số / signing link", "…")
    if link.used is not None or link.expires < timezone.now() or link.created_by is None:
        raise _used()
    return link


def linked_pdf(token: str) -> tuple[SigningLink, bytes]:
    """The PDF handed out under ``token`` (409 if it was signed by someone else since)."""
    link = linked(token)
    current = current_pdf(link.document)
    if current is None or current.sha256 != link.base_sha256:
        raise _changed()
    return link, current.data


def accept_signed(*, token: str, data: bytes) -> Signature:
    """Keep the PDF the signer's tool posts back under ``token``; the new signature.

    The token stands for the user who opened the link (still needing CHANGE on the
    register). Refused (400, nothing kept) unless the file is the PDF handed out with
    signatures added and nothing else changed, every signature intact; 410 once the
    link is used or expired. The signer's certificate need not chain to a configured
    root to be kept: whether it is trusted is shown with it."""
    link = linked(token)
    assert link.created_by is not None  # linked() refuses a link whose user is gone
    policy.require(link.created_by, policy.Action.CHANGE, link.document.unit)
    current = current_pdf(link.document)
    if current is None or current.sha256 != link.base_sha256:
        raise _changed()
    uploads.check_size(data)
    if not data.startswith(current.data) or len(data) == len(current.data):
        raise BadInput(
            "not_the_document",
            "Tệp gửi lại không phải văn bản đã giao ký, hoặc chưa được ký / the file sent back "
            "is not the document handed out, or it was not signed",
        )
    before = _pades.count(current.data)
    found = verify(data)
    added = found[before:]
    broken = [s for s in found if s["status"] == "modified"]
    if (
        not added
        or broken
        or not _pades.only_signatures_added(data, _pades.revisions(current.data))
    ):
        raise BadInput(
            "signature_invalid",
            "Chữ ký số không hợp lệ: chữ ký không toàn vẹn, hoặc văn bản bị thay đổi ngoài "
            "chữ ký / the signature is not valid: it is broken, or the document was changed "
            "beyond adding the signature",
        )
    _record(
        link.created_by,
        link.document,
        current,
        data,
        SignedPdf.Kind.PERSONAL,
        added[-1]["signer"],
        link=link,
    )
    return added[-1]


def has_seal(document: Document) -> bool:
    """Whether the document's unit has a seal configured (expired or not)."""
    return UnitSeal.objects.filter(unit=document.unit).exists()


def may_seal(document: Document) -> bool:
    """Whether the document's unit has a seal and the document is not sealed yet."""
    return (
        UnitSeal.objects.filter(unit=document.unit).exists()
        and not document.signed_pdfs.filter(kind=SignedPdf.Kind.SEAL).exists()
    )
