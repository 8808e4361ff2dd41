"""/api/v1/activities/...: certificates of an event, issued one by one or for everyone,
one certificate (its PDF, its revocation), and the public verification by code
(decision 0044).

Issuing and revoking: whoever may CHANGE the organiser. A name and a code are answered
only to whoever may also CHANGE the person's unit (decision 0040); others get nulls.
``GET /activities/certificates/verify/{code}`` needs no log-in and answers only what
the paper shows.
"""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.accounts.lockout import client_ip
from trienkhai.activities import access, certificate_pdf, certificates
from trienkhai.activities.models import Certificate, Person
from trienkhai.common import brake
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.vn.text import slug

router = Router(tags=["activities"])


class CertificateOut(Schema):
    id: int
    event: int
    person: int
    year: int
    number: int
    symbol: str = Field(description="As printed: 05-GCN/BTGHU (Party), 05/GCN-UBND (State)")
    issued: dt.date
    state: str = Field(description="valid, revoked or erased (revoked with the person's data)")
    name: str | None = Field(None, description="null unless you may change the person's unit")
    code: str | None = Field(None, description="XXXX-XXXX-XXXX-XXXX; null as for the name")
    verify_url: str | None = None
    revoked: dt.datetime | None = None
    revoked_reason: str = ""


def _out(user, certificate: Certificate, named: bool | None = None) -> dict:
    if named is None:
        named = access.may_name(user, certificate)
    return {
        "id": certificate.pk,
        "event": certificate.event_id,
        "person": certificate.person_id,
        "year": certificate.year,
        "number": certificate.number,
        "symbol": certificate.symbol,
        "issued": certificate.issued,
        "state": certificate.state,
        "name": (certificate.name or None) if named else None,
        "code": certificate.code_shown if named else None,
        "verify_url": certificate_pdf.verification_url(certificate.code) if named else None,
        "revoked": certificate.revoked,
        "revoked_reason": certificate.revoked_reason,
    }


class RuleOut(Schema):
    sessions_held: int
    sessions_needed: int
    eligible: int = Field(description="participants who attended enough sessions")
    to_issue: int = Field(description="of them, those without a valid certificate")


class EventCertificatesOut(RuleOut):
    certificates: list[CertificateOut]


def _rule_out(roll: certificates.Roll) -> dict:
    return {
        "sessions_held": roll.held,
        "sessions_needed": roll.needed,
        "eligible": roll.eligible,
        "to_issue": len(roll.to_issue),
    }


@router.get("/activities/events/{int:event_id}/certificates", response=EventCertificatesOut)
def event_certificates(request, event_id: int):
    """The event's rule, how many may have a certificate, and every certificate issued."""
    event = access.get_event(request.auth, event_id, policy.Action.CHANGE)
    roll = certificates.candidates(event)
    found = list(
        Certificate.objects.filter(event=event)
        .select_related("person__unit")
        .order_by("year", "number")
    )
    named = access.named_people(request.auth, [c.person for c in found])
    return {
        **_rule_out(roll),
        "certificates": [_out(request.auth, c, c.person_id in named) for c in found],
    }


class IssueIn(Schema):
    people: list[int] | None = Field(
        None, description="ids of the people; left out: everyone who may have one and has none"
    )
    date: dt.date | None = Field(None, description="the day of issue; default today")
    signer_position: str = Field(
        "", description="TRƯỞNG BAN …; left out: the organiser's latest certificate's"
    )
    signer_name: str | None = None


class IssuedOut(Schema):
    issued: list[CertificateOut]


@router.post("/activities/events/{int:event_id}/certificates", response={201: IssuedOut})
def issue_certificates(request, event_id: int, payload: IssueIn):
    """Certificates numbered in the order of the names, in one transaction: 400
    ``not_eligible`` naming each person who may not have one, nothing issued; 409
    ``nothing_to_issue`` when everyone eligible holds one."""
    event = access.get_event(request.auth, event_id, policy.Action.CHANGE)
    position, name = certificates.last_signer(event.organiser)
    if payload.signer_position:
        position, name = payload.signer_position, payload.signer_name or ""
    elif payload.signer_name is not None:
        name = payload.signer_name
    people = None
    if payload.people is not None:
        people = list(Person.objects.filter(pk__in=payload.people))
        known = {p.pk for p in people}
        missing = [pk for pk in payload.people if pk not in known]
        if missing or not payload.people:
            raise BadInput(
                "unknown_person",
                f"Không có người mã {missing} / no such people: {missing}",
            )
    made = certificates.issue(
        acting_user=request.auth,
        event=event,
        people=people,
        day=payload.date,
        signer_position=position,
        signer_name=name,
    )
    named = access.named_people(request.auth, [c.person for c in made])
    return Status(201, {"issued": [_out(request.auth, c, c.person_id in named) for c in made]})


class RuleIn(Schema):
    sessions: int | None = Field(description="sessions to attend at least; null: all of them")


@router.put("/activities/events/{int:event_id}/certificate-rule", response=RuleOut)
def set_rule(request, event_id: int, payload: RuleIn):
    event = access.get_event(request.auth, event_id, policy.Action.CHANGE)
    certificates.set_rule(acting_user=request.auth, event=event, sessions=payload.sessions)
    return _rule_out(certificates.candidates(event))


@router.get("/activities/certificates/{int:certificate_id}", response=CertificateOut)
def get_certificate(request, certificate_id: int):
    certificate = access.get_certificate(request.auth, certificate_id)
    return _out(request.auth, certificate)


@router.get("/activities/certificates/{int:certificate_id}/pdf")
def certificate_file(request, certificate_id: int):
    """The PDF (made again from what was issued); 403 unless you may change the person's
    unit too; 409 once revoked; 503 when LibreOffice cannot make it now."""
    certificate = access.get_printable_certificate(request.auth, certificate_id)
    response = HttpResponse(certificate_pdf.pdf(certificate), content_type="application/pdf")
    name = f"giay-chung-nhan-{slug(certificate.symbol)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RevokeIn(Schema):
    reason: str


@router.post("/activities/certificates/{int:certificate_id}/revoke", response=CertificateOut)
def revoke_certificate(request, certificate_id: int, payload: RevokeIn):
    """Revoke a certificate, saying why (409 if it is revoked already)."""
    certificate = access.get_certificate(request.auth, certificate_id)
    certificates.revoke(acting_user=request.auth, certificate=certificate, reason=payload.reason)
    return _out(request.auth, certificate)


class VerifiedOut(Schema):
    state: str = Field(description="valid, revoked or erased (revoked with the person's data)")
    symbol: str
    issued: dt.date
    name: str | None = Field(None, description="null once the person's data is erased")
    title: str
    kind: str
    start: dt.date
    end: dt.date
    organiser: str
    revoked: dt.date | None = None


@router.get("/activities/certificates/verify/{code}", auth=None, response=VerifiedOut)
def verify(request, code: str):
    """Anyone: what the certificate of ``code`` shows and whether it is valid; 404 if no
    certificate has it; 429 with ``Retry-After`` after too many codes found nowhere."""
    found, wait = certificates.check(code, client_ip(request))
    if wait:
        return brake.too_many(wait)
    if found is None:
        raise NotFound("giấy chứng nhận / certificate", code[:40])
    return {
        "state": found.state,
        "symbol": found.symbol,
        "issued": found.issued,
        "name": found.name or None,
        "title": found.title,
        "kind": found.kind,
        "start": found.start,
        "end": found.end,
        "organiser": found.organiser_name,
        "revoked": timezone.localtime(found.revoked).date() if found.revoked else None,
    }
