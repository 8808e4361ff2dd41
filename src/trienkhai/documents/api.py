"""/api/v1/documents: register, issue, cancel, search. Thin: parse, access, service."""

import datetime as dt

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.documents import access, search, services
from trienkhai.documents.models import Document

router = Router(tags=["documents"])


class DocumentIn(Schema):
    issuer: str
    type: str
    date: dt.date
    summary: str
    place: str = ""
    signer: str = ""
    signer_authority: str = ""
    recipients: str = ""
    unit_suffix: str = ""
    is_congress: bool = False


class IncomingIn(Schema):
    unit: str
    type: str
    symbol: str
    date: dt.date
    summary: str
    issuer: str | None = None
    issuer_name: str = ""
    profile: str | None = None
    signer: str = ""
    recipients: str = ""


class LinkIn(Schema):
    target: int
    kind: str


class LinkOut(Schema):
    source: int
    target: int
    kind: str


class CancelIn(Schema):
    reason: str


class DocumentOut(Schema):
    id: int
    direction: str
    unit: str
    issuer: str | None
    issuer_name: str
    type: str
    number: int | None
    symbol: str
    date: dt.date
    place: str
    signer: str
    signer_authority: str
    summary: str
    recipients: str
    status: str


class IssuedOut(Schema):
    id: int
    number: int
    symbol: str


def document_out(document: Document) -> dict:
    return {
        "id": document.pk,
        "direction": document.direction,
        "unit": document.unit.code,
        "issuer": document.issuer.code if document.issuer else None,
        "issuer_name": document.issuer_name,
        "type": document.type.label,
        "number": document.number,
        "symbol": document.symbol,
        "date": document.date,
        "place": document.place,
        "signer": document.signer,
        "signer_authority": document.signer_authority,
        "summary": document.summary,
        "recipients": document.recipients,
        "status": document.status,
    }


@router.post("/documents", response={201: DocumentOut})
def register_draft(request, payload: DocumentIn):
    issuer = access.get_issuer(request.auth, payload.issuer)
    document = services.register_draft(
        acting_user=request.auth, **payload.dict(exclude={"issuer"}), issuer=issuer
    )
    return Status(201, document_out(document))


@router.post("/documents/incoming", response={201: DocumentOut})
def register_incoming(request, payload: IncomingIn):
    unit = access.get_issuer(request.auth, payload.unit)
    issuer = (
        access.get_issuer(request.auth, payload.issuer, policy.Action.VIEW)
        if payload.issuer
        else None
    )
    document = services.register_incoming(
        acting_user=request.auth,
        **payload.dict(exclude={"unit", "issuer"}),
        unit=unit,
        issuer=issuer,
    )
    return Status(201, document_out(document))


@router.post("/documents/{int:document_id}/issue", response=IssuedOut)
def issue(request, document_id: int):
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    document = services.issue(acting_user=request.auth, document=document)
    return {"id": document.pk, "number": document.number, "symbol": document.symbol}


@router.post("/documents/{int:document_id}/cancel", response=DocumentOut)
def cancel(request, document_id: int, payload: CancelIn):
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    document = services.cancel(acting_user=request.auth, document=document, reason=payload.reason)
    return document_out(access.get_document(request.auth, document.pk))


@router.post("/documents/{int:document_id}/links", response={201: LinkOut})
def add_link(request, document_id: int, payload: LinkIn):
    source = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    target = access.get_document(request.auth, payload.target)
    made = services.link(acting_user=request.auth, source=source, target=target, kind=payload.kind)
    return Status(201, {"source": made.source_id, "target": made.target_id, "kind": made.kind})


@router.get("/documents/{int:document_id}", response=DocumentOut)
def get_document(request, document_id: int):
    return document_out(access.get_document(request.auth, document_id))


class SearchIn(Schema):
    q: str = ""
    issuer: str = ""
    type: str = ""
    year: int | None = None
    status: str = ""
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    limit: int = Field(100, ge=0, le=search.MAX_PAGE)
    offset: int = Field(0, ge=0)


@router.get("/documents", response=list[DocumentOut])
def list_documents(request, response: HttpResponse, filters: Query[SearchIn]):
    """Full-text search of the registers the user may view, newest first, one page.

    The number of all matches is in the ``X-Total-Count`` header.
    """
    policy.require(request.auth, policy.Action.VIEW)
    found = search.find(request.auth, **filters.dict())
    response["X-Total-Count"] = str(found.total)
    return [document_out(d) for d in found.documents]
