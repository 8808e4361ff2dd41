"""/api/v1/documents/{id}/attachments: attach a file, list them, download one. Thin."""

import datetime as dt

from django.http import FileResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.common.errors import NotFound
from trienkhai.documents import access, attachments
from trienkhai.documents.models import Attachment
from trienkhai.orgs.access import read_upload

router = Router(tags=["documents"])


class AttachmentOut(Schema):
    id: int
    document: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    has_text: bool
    created: dt.datetime


def attachment_out(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "document": attachment.document_id,
        "name": attachment.name,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "has_text": bool(attachment.text),
        "created": attachment.created,
    }


@router.post("/documents/{int:document_id}/attachments", response={201: AttachmentOut})
def attach(request, document_id: int, file: File[UploadedFile]):
    """Attach a .docx, .pdf or scan (.jpg, .png, .tif); 400 with the reason if refused."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    made = attachments.attach(
        acting_user=request.auth, document=document, name=file.name or "", data=read_upload(file)
    )
    return Status(201, attachment_out(made))


@router.get("/documents/{int:document_id}/attachments", response=list[AttachmentOut])
def list_attachments(request, document_id: int):
    document = access.get_document(request.auth, document_id)
    return [attachment_out(a) for a in document.attachments.all()]


@router.get("/documents/{int:document_id}/attachments/{int:attachment_id}")
def download(request, document_id: int, attachment_id: int):
    """The file as uploaded, under its original name."""
    attachment = access.get_attachment(request.auth, document_id, attachment_id)
    path = attachments.file_path(attachment)
    if not path.is_file():
        raise NotFound("tệp đính kèm / attachment file", attachment.name)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
