"""/api/v1: organisation seals, signing and verifying PDFs, the signer's one-time URLs. Thin."""

import datetime as dt
import re

from django.http import HttpResponse
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.common.errors import NotFound
from trienkhai.documents import access, signing
from trienkhai.documents.models import Document, ElectronicCopy
from trienkhai.orgs.access import get_unit, read_upload

router = Router(tags=["signatures"])


class SignatureOut(Schema):
    signer: str
    organisation: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    chain: list[str]
    status: str
    """valid, modified, expired, revoked or untrusted."""
    expired: bool
    valid_until: dt.datetime | None
    field: str


class SealOut(Schema):
    unit: str
    subject: str
    organisation: str
    not_after: dt.datetime
    fingerprint: str


class CopyIn(Schema):
    kind: str = "sao_y"
    """sao_y (a certified copy of the document) or sao_luc (a copy of a certified copy)."""


class CopyOut(Schema):
    id: int
    kind: str
    body: str
    """The copying body, as printed on the copy."""
    signer: str
    signed_at: dt.datetime
    sha256: str
    size: int
    pdf_url: str


def _copy_out(request, copy: ElectronicCopy) -> dict:
    return {
        "id": copy.pk,
        "kind": copy.kind,
        "body": copy.body,
        "signer": copy.signer,
        "signed_at": copy.signed_at,
        "sha256": copy.sha256,
        "size": copy.size,
        "pdf_url": reverse("api:document_copy_pdf", args=[copy.document_id, copy.pk]),
    }


class LinkOut(Schema):
    download_url: str
    upload_url: str
    expires: dt.datetime
    vgca: dict
    """The argument of vgcaplugin.js's signing calls (vgca_sign_approved …)."""


class UploadOut(Schema):
    Status: int
    Message: str
    FileName: str
    FileServer: str
    signature: SignatureOut


@router.post("/units/{code}/seal", response=SealOut)
def configure_seal(
    request,
    code: str,
    file: File[UploadedFile],
    image: File[UploadedFile],
    password: Form[str],
):
    """The unit's organisation certificate (PKCS#12 ``file`` and its ``password``) and seal
    ``image`` (PNG): 400 ``invalid_pkcs12`` for a damaged file or a wrong password."""
    unit = get_unit(request.auth, code, policy.Action.CHANGE)
    made = signing.configure_seal(
        acting_user=request.auth,
        unit=unit,
        pkcs12=read_upload(file),
        password=password,
        image=read_upload(image),
    )
    return {
        "unit": unit.code,
        "subject": made.subject,
        "organisation": made.organisation,
        "not_after": made.not_after,
        "fingerprint": made.fingerprint,
    }


@router.post("/documents/{int:document_id}/sign", response=SignatureOut)
def sign(request, document_id: int):
    """Seal the issued document's PDF with its unit's certificate; the new signature."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    return signing.seal(acting_user=request.auth, document=document)


def _pdf_response(document: Document, data: bytes, suffix: str = "") -> HttpResponse:
    stem = re.sub(r"[^\w.-]+", "-", document.symbol or f"van-ban-{document.pk}", flags=re.ASCII)
    stem += suffix
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


@router.get("/documents/{int:document_id}/pdf", url_name="document_pdf")
def pdf(request, document_id: int):
    """The document's PDF as it now stands: with every signature added to it."""
    document = access.get_document(request.auth, document_id)
    current = signing.current_pdf(document)
    if current is None:
        raise NotFound("tệp PDF của văn bản / the document's PDF", str(document_id))
    return _pdf_response(document, current.data)


@router.get("/documents/{int:document_id}/signatures", response=list[SignatureOut])
def signatures(request, document_id: int):
    """The signatures of the document's PDF as it now stands ([] if none, or no PDF)."""
    document = access.get_document(request.auth, document_id)
    return signing.signatures_of(document)


@router.post("/documents/{int:document_id}/copies", response={201: CopyOut})
def make_copy(request, document_id: int, payload: CopyIn):
    """An electronic copy (bản sao điện tử) of the document's PDF as it now stands, signed
    with its unit's seal, the form of copy, the unit and the time printed top right of page
    1. 409 without a seal or a PDF, or for a draft; 503 ``font_unavailable``."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    made = signing.make_copy(acting_user=request.auth, document=document, kind=payload.kind)
    return Status(201, _copy_out(request, made))


@router.get("/documents/{int:document_id}/copies", response=list[CopyOut])
def copies(request, document_id: int):
    """The document's electronic copies, oldest first."""
    document = access.get_document(request.auth, document_id)
    return [_copy_out(request, c) for c in document.copies.all()]


@router.get("/documents/{int:document_id}/copies/{int:copy_id}/pdf", url_name="document_copy_pdf")
def copy_pdf(request, document_id: int, copy_id: int):
    """One electronic copy's signed PDF."""
    document = access.get_document(request.auth, document_id)
    copy = document.copies.filter(pk=copy_id).first()
    if copy is None:
        raise NotFound("bản sao điện tử / electronic copy", str(copy_id))
    return _pdf_response(document, signing.copy_pdf(copy), f"-{copy.kind}-{copy.pk}")


@router.post("/signatures/verify", response=list[SignatureOut])
def verify(request, file: File[UploadedFile]):
    """The signatures of any PDF (issued here or received): 400 for what is not a PDF."""
    policy.require(request.auth, policy.Action.VIEW)
    return signing.verify(read_upload(file))


@router.post("/documents/{int:document_id}/signing-links", response={201: LinkOut})
def open_link(request, document_id: int):
    """One-time URLs (15 minutes) for the signer's own signing tool: it downloads the PDF
    from ``download_url`` and posts it back signed (multipart ``uploadfile``) to
    ``upload_url``, without the browser's session."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    link, token = signing.open_link(acting_user=request.auth, document=document)
    download = request.build_absolute_uri(reverse("api:signing_pdf", args=[token]))
    upload = request.build_absolute_uri(reverse("api:signing_upload", args=[token]))
    return Status(
        201,
        {
            "download_url": download,
            "upload_url": upload,
            "expires": link.expires,
            "vgca": {
                "FileName": download,
                "FileUploadHandler": upload,
                "SessionId": "",
                "JWTToken": "",
                "MetaData": [{"Key": "document", "Value": str(document.pk)}],
            },
        },
    )


@router.get("/signing/{token}/pdf", auth=None, url_name="signing_pdf")
def linked_pdf(request, token: str):
    """The PDF to sign, for the signer's tool (the token is the credential)."""
    link, data = signing.linked_pdf(token)
    return _pdf_response(link.document, data)


@router.post("/signing/{token}/upload", auth=None, response=UploadOut, url_name="signing_upload")
def upload(request, token: str, uploadfile: File[UploadedFile]):
    """The signed PDF back from the signer's tool: kept once verified (400 otherwise,
    nothing kept); the answer in the shape VGCA's tool reads, with the signature."""
    made = signing.accept_signed(token=token, data=read_upload(uploadfile))
    return {
        "Status": 0,
        "Message": "Đã nhận văn bản đã ký / signed document received",
        "FileName": uploadfile.name or "",
        "FileServer": "",
        "signature": made,
    }
