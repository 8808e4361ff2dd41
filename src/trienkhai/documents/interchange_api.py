"""/api/v1/documents/…/edxml: edXML packages and status messages, in and out. Thin."""

import datetime as dt

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.documents import access, interchange
from trienkhai.documents.api import DocumentOut, document_out
from trienkhai.documents.models import InterchangeStatus
from trienkhai.orgs.access import read_upload

router = Router(tags=["documents"])

XML = "application/xml"


class ExportIn(Schema):
    to: str = Field(
        "",
        description="Receivers, comma-separated: unit codes or agency codes (000.00.00.G22). "
        "Empty: the package lists only its Nơi nhận lines (ToPlaces).",
        max_length=2000,
    )


class StatusIn(Schema):
    status: str = Field(description="received, accepted, rejected, processing or done")
    description: str = Field("", max_length=10_000)


class StatusOut(Schema):
    id: int
    document: int
    direction: str
    code: str
    status: str
    description: str
    organ_id: str
    at: dt.datetime
    delivered: bool | None = None
    """On sending: whether a transport took the message (None when listing)."""


def status_out(status: InterchangeStatus, delivered: bool | None = None) -> dict:
    return {
        "id": status.pk,
        "document": status.document_id,
        "direction": status.direction,
        "code": status.code,
        "status": interchange.edxml.StatusCode.NAMES.get(status.code, ""),
        "description": status.description,
        "organ_id": status.organ_id,
        "at": status.at,
        "delivered": delivered,
    }


@router.get("/documents/{int:document_id}/edxml")
def export(request, document_id: int, params: Query[ExportIn]):
    """The issued document as an edXML package (QCVN 102:2016), attachments in base64.

    409 ``not_issued`` for a draft or an incoming document; 400 ``no_agency_code`` while
    the issuer has no agency code (``PUT /units/{code}/agency-code``)."""
    document = access.get_document(request.auth, document_id)
    data = interchange.export_package(document, to=params.to.split(",") if params.to else [])
    response = HttpResponse(data, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{interchange.package_name(document)}"'
    return response


@router.post("/documents/incoming/edxml", response={201: DocumentOut})
def import_package(request, file: File[UploadedFile], unit: Form[str] = ""):
    """Enter an edXML package into an incoming register, with its attachments.

    ``unit``: the receiving unit's code, needed when the package's To names no unit known
    here by its agency code. 400 (nothing stored) for a malformed, oversized or hostile
    package; 403 without the right to register incoming documents there; 409 the same
    package twice."""
    receiving = access.get_issuer(request.auth, unit) if unit else None
    document = interchange.import_package(
        acting_user=request.auth, data=read_upload(file), unit=receiving
    )
    return Status(201, document_out(access.get_document(request.auth, document.pk)))


@router.get("/documents/{int:document_id}/edxml/statuses", response=list[StatusOut])
def statuses(request, document_id: int):
    """The status messages sent or received about the document, oldest first."""
    document = access.get_document(request.auth, document_id)
    return [status_out(s) for s in document.interchange_statuses.all()]


@router.post("/documents/{int:document_id}/edxml/statuses", response={201: StatusOut})
def send_status(request, document_id: int, payload: StatusIn):
    """Tell the sender of an incoming document where it stands (a status message)."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    made, delivered = interchange.send_status(
        acting_user=request.auth,
        document=document,
        status=payload.status,
        description=payload.description,
    )
    return Status(201, status_out(made, delivered))


@router.post("/documents/edxml/statuses", response={201: StatusOut})
def receive_status(request, file: File[UploadedFile]):
    """Record a status message (an edXML file) about one of our issued documents."""
    made = interchange.receive_status(acting_user=request.auth, data=read_upload(file))
    return Status(201, status_out(made))
