"""/api/v1/activities: check-in from a phone (decision 0045).

A session's code (read, opened, renewed, closed) and the secretary's queue need CHANGE
on the organiser (access.get_session). A participant's own check-in needs no log-in: the
code is the organiser's leave, braked against guessing (429) like the certificates'.
"""

import datetime as dt

from django.urls import reverse
from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.accounts.lockout import client_ip
from trienkhai.activities import access, checkin
from trienkhai.activities.models import Session
from trienkhai.common import brake
from trienkhai.common.errors import BadInput, NotFound

router = Router(tags=["activities"])


class CheckInCodeOut(Schema):
    session: int
    code: str | None = Field(description="XXXX-XXXX; null before it was ever opened")
    expires: dt.datetime | None
    open: bool
    url: str | None = Field(description="the address the QR code holds: /diem-danh/<code>/")


class CheckInCodeIn(Schema):
    hours: int = Field(checkin.DEFAULT_HOURS, description="1, 3 or 8")
    new: bool = Field(False, description="a new code: the old one stops at once")


def _code_out(request, session: Session) -> dict:
    code = checkin.grouped(session.check_in_code) if session.check_in_code else None
    url = None
    if code:
        url = request.build_absolute_uri(reverse("activities:check_in", args=[code]))
    return {
        "session": session.pk,
        "code": code,
        "expires": session.check_in_expires,
        "open": session.is_check_in_open(),
        "url": url,
    }


@router.get("/activities/sessions/{int:session_id}/check-in-code", response=CheckInCodeOut)
def check_in_code(request, session_id: int):
    """The session's check-in code and whether it is open (the organiser's managers)."""
    session = access.get_session(request.auth, session_id, policy.Action.CHANGE)
    return _code_out(request, session)


@router.post("/activities/sessions/{int:session_id}/check-in-code", response=CheckInCodeOut)
def open_check_in(request, session_id: int, payload: CheckInCodeIn):
    """Open the check-in for ``hours`` from now (the code kept unless ``new``)."""
    session = access.get_session(request.auth, session_id, policy.Action.CHANGE)
    session = checkin.open_code(
        acting_user=request.auth, session=session, hours=payload.hours, new=payload.new
    )
    return _code_out(request, session)


@router.delete("/activities/sessions/{int:session_id}/check-in-code", response=CheckInCodeOut)
def close_check_in(request, session_id: int):
    """Close the check-in now (409 if it is not open); check-ins made before still count
    within 24 hours."""
    session = access.get_session(request.auth, session_id, policy.Action.CHANGE)
    session = checkin.close_code(acting_user=request.auth, session=session)
    return _code_out(request, session)


class CheckInIn(Schema):
    client_id: str = Field(max_length=checkin.CLIENT_ID_LENGTH, description="made by the phone")
    person: int | None = Field(None, description="a person on the list (their id)")
    name: str = ""
    unit: str = Field("", description="a code, a name, or 'Name (CODE)'")
    position: str = ""
    audience: str = ""


class CheckInsIn(Schema):
    check_ins: list[CheckInIn]


class CheckInAnswerOut(Schema):
    client_id: str
    status: str = Field(description="counted, already or refused")
    person: int | None = None
    code: str | None = Field(None, description="why it was refused")
    message: str | None = None


class CheckInsOut(Schema):
    session: int
    attendances: int = Field(description="everyone present at the session now")
    results: list[CheckInAnswerOut]


def _answer(answer: checkin.Answer) -> dict:
    refusal = answer.refusal
    return {
        "client_id": answer.client_id,
        "status": answer.status,
        "person": answer.person,
        "code": refusal.code if refusal else None,
        "message": refusal.message if refusal else None,
    }


@router.post("/activities/sessions/{int:session_id}/check-ins", response=CheckInsOut)
def check_ins(request, session_id: int, payload: CheckInsIn):
    """The secretary's check-ins, each answered on its own; sent again, counted once."""
    session = access.get_session(request.auth, session_id, policy.Action.CHANGE)
    items = [
        checkin.CheckIn(
            client_id=row.client_id,
            person="" if row.person is None else str(row.person),
            name=row.name,
            unit=row.unit,
            position=row.position,
            audience=row.audience,
        )
        for row in payload.check_ins
    ]
    answers = checkin.check_in(acting_user=request.auth, session=session, items=items)
    return {
        "session": session.pk,
        "attendances": session.attendances.count(),
        "results": [_answer(a) for a in answers],
    }


class CheckInRemovedOut(Schema):
    session: int
    person: int
    attendances: int = Field(description="everyone present at the session now")


@router.delete(
    "/activities/sessions/{int:session_id}/check-ins/{int:person_id}",
    response=CheckInRemovedOut,
    url_name="check_in_remove",
)
def remove_check_in(request, session_id: int, person_id: int):
    """Take back one person's attendance at the session (a wrong tap, someone checked in
    who was not there): whoever may change the organiser and the person's unit; 404 when
    they are not present, 409 ``has_certificate`` while they hold a valid certificate of
    the event. Audited (who took it back, when); the figures drop at once."""
    session = access.get_session(request.auth, session_id, policy.Action.CHANGE)
    person = checkin.remove(acting_user=request.auth, session=session, person_id=person_id)
    return {"session": session.pk, "person": person.pk, "attendances": session.attendances.count()}


class SelfCheckInIn(Schema):
    code: str = Field(max_length=40, description="the session's code, XXXX-XXXX")
    client_id: str = Field(max_length=checkin.CLIENT_ID_LENGTH)
    name: str
    unit: str = Field(description="a code, a name, or 'Name (CODE)'")
    position: str = ""
    audience: str = ""
    session: int | None = Field(None, description="the session meant: another one's code → 400")
    pass_: str = Field("", alias="pass", description="the pass of the page, for a late sync")


class SelfCheckInOut(Schema):
    client_id: str
    status: str = Field(description="counted (201) or already (200)")
    person: int
    session: int


@router.post("/activities/check-in", auth=None, response={200: SelfCheckInOut, 201: SelfCheckInOut})
def self_check_in(request, payload: SelfCheckInIn):
    """Anyone with the code: check oneself in; 404 for a code nobody holds, 409 once it
    has expired, 429 with ``Retry-After`` after too many codes found nowhere."""
    session, wait = checkin.session_for_code(payload.code, client_ip(request))
    if wait:
        return brake.too_many(wait)
    if session is None:
        raise NotFound("mã điểm danh / check-in code", payload.code[:40])
    item = checkin.CheckIn(
        client_id=payload.client_id,
        name=payload.name,
        unit=payload.unit,
        position=payload.position,
        audience=payload.audience,
    )
    answer = checkin.self_check_in(
        session=session, item=item, token=payload.pass_, session_named=payload.session
    )
    if answer.person is None:  # never: a check-in not refused has its person
        raise BadInput("refused", "Không ghi được / not recorded")
    out = {
        "client_id": answer.client_id,
        "status": answer.status,
        "person": answer.person,
        "session": session.pk,
    }
    return Status(201 if answer.status == checkin.Answer.COUNTED else 200, out)
