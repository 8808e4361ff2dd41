"""/api/v1/documents: register, issue, cancel, search, assignments. Thin: parse, access, service."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.documents import access, directives, outputs, search, services
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
    received_date: dt.date | None = None
    received_number: int | None = None


class DocumentPatch(Schema):
    """The fields of a draft to change; those left out stay as they are."""

    summary: str | None = None
    recipients: str | None = Field(None, description="Nơi nhận, one a line (lines kept).")
    signer: str | None = None
    signer_authority: str | None = Field(
        None, description='"own", "tm", "kt", "tl", "tuq", "q", or "" (not chosen yet).'
    )
    date: dt.date | None = None


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
    received_number: int | None
    received_date: dt.date | None
    pdf: str | None = None
    """A report's entry: "ready" (its PDF downloads) or "pending" (being prepared)."""


class IssuedOut(Schema):
    id: int
    number: int
    symbol: str


def document_out(document: Document, pdf: str | None = None) -> dict:
    return {
        "pdf": pdf,
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
        "received_number": document.received_number,
        "received_date": document.received_date,
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


@router.patch("/documents/{int:document_id}", response=DocumentOut)
def update_draft(request, document_id: int, payload: DocumentPatch):
    """Change a draft's summary, recipients, signer, authority or date (only those sent).

    409 ``not_a_draft`` once it has a number; 403 outside the user's registers; 400 for
    an empty summary, an unknown authority, a date the issuer did not exist on."""
    document = access.get_document(request.auth, document_id, policy.Action.CHANGE)
    changes = payload.dict(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None)
    if nulls:
        raise BadInput(
            "null_field", f"Không để trống bằng null / null is not a value: {', '.join(nulls)}"
        )
    services.update_draft(acting_user=request.auth, document=document, **changes)
    return document_out(access.get_document(request.auth, document_id))


@router.get("/documents/{int:document_id}", response=DocumentOut)
def get_document(request, document_id: int):
    document = access.get_document(request.auth, document_id)
    state = outputs.pdf_states([document.pk]).get(document.pk)
    return document_out(document, state[0] if state else None)


class SearchIn(Schema):
    q: str = ""
    issuer: str = ""
    type: str = ""
    year: int | None = Field(None, ge=1, le=9999)
    status: str = ""
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    limit: int = Field(100, ge=0, le=search.MAX_PAGE)
    offset: int = Field(0, ge=0, le=2**31 - 1)
    """Bounded so that the database's integer takes it (a larger one is a 400, not a 500)."""


@router.get("/documents", response=list[DocumentOut])
def list_documents(request, response: HttpResponse, filters: Query[SearchIn]):
    """Full-text search of the registers the user may view, newest first, one page.

    The number of all matches is in the ``X-Total-Count`` header.
    """
    policy.require(request.auth, policy.Action.VIEW)
    found = search.find(request.auth, **filters.dict())
    response["X-Total-Count"] = str(found.total)
    states = outputs.pdf_states(d.pk for d in found.documents)
    return [document_out(d, states.get(d.pk, (None,))[0]) for d in found.documents]


# Directives: assignments and answers ----------------------------------------------------


class AssignmentIn(Schema):
    units: list[str] | None = None
    kind: str | None = None
    level: int | None = None
    due: dt.date
    expects: str | dict[str, Any]
    task: str = ""
    by: str | None = None
    """The assigning unit when it passes down a task it was given (a cascade)."""


class AssignmentOut(Schema):
    id: int
    document: int
    by: str
    parent: int | None
    due: dt.date
    expects: str
    selection: str
    units: list[str]


class AnswerDocumentIn(Schema):
    type: str
    date: dt.date
    summary: str
    signer: str = ""
    signer_authority: str = ""
    recipients: str = ""


class AnswerIn(Schema):
    unit: str
    document: int | None = None
    """An issued document of the unit; or ``new`` to register and issue one."""
    new: AnswerDocumentIn | None = None
    kind: str = "implements"


@router.post("/documents/{int:document_id}/assignments", response={201: AssignmentOut})
def assign(request, document_id: int, payload: AssignmentIn):
    document = access.get_document(request.auth, document_id)
    by = access.get_issuer(request.auth, payload.by) if payload.by else None
    made = directives.assign(
        acting_user=request.auth,
        document=document,
        due=payload.due,
        expects=payload.expects,
        units=payload.units,
        kind=payload.kind,
        level=payload.level,
        task=payload.task,
        by=by,
    )
    codes = made.rows.order_by("unit__code").values_list("unit__code", flat=True)
    return Status(
        201,
        {
            "id": made.pk,
            "document": document.pk,
            "by": made.unit.code,
            "parent": made.parent_id,
            "due": made.due,
            "expects": made.expects_label,
            "selection": made.selection,
            "units": list(codes),
        },
    )


@router.get("/documents/{int:document_id}/assignments", response=dict[str, Any])
def assignments(request, document_id: int, by: str = ""):
    """{"expected", "answered", "on_time", "late", "missing", "units", "reminders", "tree", ...}"""
    document = access.get_document(request.auth, document_id)
    assigner = access.get_issuer(request.auth, by, policy.Action.VIEW) if by else None
    found = directives.progress(document, by=assigner)
    if not access.may_see_all_progress(request.auth, document) and assigner is None:
        seen = {u.pk for u in access.assigned_units_seen_by(request.auth, document)}
        found = found.visible(seen)
    return found.to_dict()


@router.post("/documents/{int:document_id}/answers", response={201: dict[str, Any]})
def answer(request, document_id: int, payload: AnswerIn):
    directive = access.get_document(request.auth, document_id)
    unit = access.get_issuer(request.auth, payload.unit)
    if (payload.document is None) == (payload.new is None):
        raise BadInput(
            "invalid_answer",
            'Cần "document" (văn bản đã có) hoặc "new" (văn bản mới) / '
            'give either "document" (an existing one) or "new"',
        )
    if payload.document is not None:
        answering = access.get_document(request.auth, payload.document)
        directives.answer(
            acting_user=request.auth,
            directive=directive,
            unit=unit,
            document=answering,
            kind=payload.kind,
        )
    else:
        assert payload.new is not None
        answering = directives.answer_with_new(
            acting_user=request.auth, directive=directive, unit=unit, **payload.new.dict()
        )
    rows = directives.rows_of(directives.assigned_rows(directive, unit))
    today = timezone.localdate()
    return Status(
        201,
        {
            "document": {"id": answering.pk, "symbol": answering.symbol},
            "rows": [r.to_dict(today) for r in rows],
        },
    )


@router.get("/documents/tasks", response=list[dict[str, Any]])
def tasks(request, unit: str):
    """The assignments given to ``unit`` ("assigned to us"), newest first, with their state."""
    found = access.get_register(request.auth, unit)
    today = timezone.localdate()
    return [
        {
            **r.to_dict(today),
            "directive": {
                "id": r.row.assignment.document_id,
                "symbol": r.row.assignment.document.symbol,
                "summary": r.row.assignment.document.summary,
                "by": r.row.assignment.unit.code,
            },
            "task": r.row.assignment.task,
        }
        for r in directives.tasks_of([found])
    ]
