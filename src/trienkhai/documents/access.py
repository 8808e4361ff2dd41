"""Reads that return the document or raise: 404 if it does not exist, 403 if the policy says no.

A document is seen by those who may view its register's unit, and also by those who
may view a unit it was assigned to: a cell reads the directive it must answer.
"""

from django.core.exceptions import PermissionDenied

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.documents.models import Attachment, Document
from trienkhai.orgs.access import get_unit
from trienkhai.orgs.models import Unit


def get_document(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Document:
    document = Document.objects.select_related("unit", "issuer", "type").filter(pk=pk).first()
    if document is None:
        raise policy.unknown(user, "văn bản / document", pk)
    if action is policy.Action.VIEW and not policy.can(user, action, document):
        if not assigned_units_seen_by(user, document):
            raise PermissionDenied
        return document
    policy.require(user, action, document)
    return document


def assigned_units_seen_by(user, document: Document) -> list[Unit]:
    """The units ``document`` was assigned to that ``user`` may view."""
    units = Unit.objects.filter(document_tasks__assignment__document=document).distinct()
    return policy.allowed(user, policy.Action.VIEW, units)


def get_register(user, code: str) -> Unit:
    """A unit whose register and assignments ("assigned to us") ``user`` may see."""
    return get_unit(user, code, policy.Action.VIEW)


def may_see_all_progress(user, document: Document) -> bool:
    """The issuer's view (every assigned unit) for those who may view the register."""
    return policy.can(user, policy.Action.VIEW, document)


def get_issuer(user, code: str, action: policy.Action = policy.Action.CHANGE) -> Unit:
    """The unit ``code`` as a register owner; an unknown code is bad input, not a 404."""
    try:
        return get_unit(user, code, action)
    except NotFound:
        raise BadInput("unknown_unit", f"Không có đơn vị / unknown unit: {code}") from None


def get_attachment(user, document_id: int, attachment_id: int) -> Attachment:
    """An attachment of a document the user may view (404 if it is not that document's)."""
    document = get_document(user, document_id)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("tệp đính kèm / attachment", str(attachment_id))
    return attachment
