"""/api/v1/committees: steering committees, their dated seats, meetings and conclusions
(issue 17 part 3, decision 0058).

Thin: parse, access, service. Errors are bilingual ``{"error": {"code", "message"}}``.
Viewers of the committee's unit read; its managers write.
"""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.committees import access, services
from trienkhai.committees.models import Committee, Meeting, Membership, Person
from trienkhai.common.errors import BadInput
from trienkhai.documents import access as documents_access
from trienkhai.documents.models import Document
from trienkhai.orgs import access as org_access

router = Router(tags=["committees"])

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""An object's id as a client sends it: a positive number the database can hold."""


def _document(user, pk: int | None) -> Document | None:
    """A document of the register the user may read; an unknown one is bad input."""
    if pk is None:
        return None
    if not Document.objects.filter(pk=pk).exists():
        raise BadInput("unknown_document", f"Không có văn bản / unknown document: {pk}")
    return documents_access.get_document(user, pk)


class CommitteeIn(Schema):
    unit: str = Field(max_length=50, description="the Party committee that sets it up")
    name: str = Field(max_length=services.MAX_NAME)
    founded: dt.date = Field(description="the day it was set up (its decision's effect)")
    decision: Id | None = Field(None, description="the founding decision: a QĐ of the unit")


class CreatedOut(Schema):
    id: int


@router.post("/committees", response={201: CreatedOut})
def create_committee(request, payload: CommitteeIn):
    """Record a steering committee set up by ``unit`` (whoever may change the unit)."""
    unit = org_access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    committee = services.create_committee(
        acting_user=request.auth,
        unit=unit,
        name=payload.name,
        valid_from=payload.founded,
        founding_decision=_document(request.auth, payload.decision),
    )
    return Status(201, {"id": committee.pk})


class CommitteeOut(Schema):
    id: int
    unit: str
    name: str
    founded: dt.date
    ended: dt.date | None = Field(None, description="its first day without the committee")
    decision: int | None = None
    decision_symbol: str | None = None


def _committee(committee: Committee) -> dict:
    decision = committee.founding_decision
    return {
        "id": committee.pk,
        "unit": committee.unit.code,
        "name": committee.name,
        "founded": committee.valid_from,
        "ended": committee.valid_to,
        "decision": decision.pk if decision else None,
        "decision_symbol": decision.symbol if decision else None,
    }


@router.get("/committees", response=list[CommitteeOut])
def list_committees(request, unit: str):
    """The committees ``unit`` set up (viewers of the unit)."""
    found = org_access.get_unit(request.auth, unit, policy.Action.VIEW)
    return [
        _committee(c)
        for c in access.committees_of(found).select_related("unit", "founding_decision")
    ]


class SeatOut(Schema):
    id: int
    person: int
    name: str
    role: str
    position: str
    unit: str | None = Field(None, description="the person's own unit, when known")
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="exclusive: the first day off")


def _seat(seat: Membership) -> dict:
    return {
        "id": seat.pk,
        "person": seat.person_id,
        "name": seat.person.name,
        "role": seat.role,
        "position": seat.position,
        "unit": seat.person.unit.code if seat.person.unit else None,
        "valid_from": seat.valid_from,
        "valid_to": seat.valid_to,
    }


class CommitteeDetailOut(CommitteeOut):
    on: dt.date
    members: list[SeatOut]


@router.get("/committees/{int:committee_id}", response=CommitteeDetailOut)
def read_committee(request, committee_id: int, on: dt.date | None = None):
    """The committee and who sat on it on ``on`` (default: today, or its last day once it
    has ended), head first."""
    committee = access.get_committee(request.auth, committee_id)
    day = on or _default_day(committee)
    seats = [_seat(s) for s in committee.members_on(day)]
    return {**_committee(committee), "on": day, "members": seats}


def _default_day(committee: Committee) -> dt.date:
    today = timezone.localdate()
    if committee.valid_to is not None and committee.valid_to <= today:
        return committee.valid_to - dt.timedelta(days=1)
    return max(today, committee.valid_from)


class SeatIn(Schema):
    name: str = Field(max_length=services.MAX_NAME)
    role: str = Field(max_length=20, description="head, deputy, member or secretariat")
    position: str = Field("", max_length=services.MAX_POSITION)
    unit: str | None = Field(None, max_length=50, description="the person's own unit")
    valid_from: dt.date
    valid_to: dt.date | None = None


@router.post("/committees/{int:committee_id}/members", response={201: SeatOut})
def add_member(request, committee_id: int, payload: SeatIn):
    """Seat a person (found again by name) from ``valid_from``; a second seat of theirs in
    the same days or a second head → 409."""
    committee = access.get_committee(request.auth, committee_id, policy.Action.CHANGE)
    unit = None
    if payload.unit:
        unit = org_access.get_unit(request.auth, payload.unit, policy.Action.VIEW)
    seat = services.add_member(
        acting_user=request.auth,
        committee=committee,
        name=payload.name,
        role=payload.role,
        position=payload.position,
        unit=unit,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return Status(201, _seat(seat))


class SeatChangeIn(Schema):
    on: dt.date
    role: str | None = Field(None, max_length=20)
    position: str | None = Field(None, max_length=services.MAX_POSITION)
    leaves: bool = Field(False, description="the seat ends on ``on``; nothing new starts")


@router.post("/committees/{int:committee_id}/members/{int:membership_id}/change", response=SeatOut)
def change_member(request, committee_id: int, membership_id: int, payload: SeatChangeIn):
    """From ``on`` the person sits in a new role or position (a new seat; the old one ends
    that day), or with ``leaves`` their seat ends that day."""
    committee = access.get_committee(request.auth, committee_id, policy.Action.CHANGE)
    seat = access.get_membership(request.auth, committee, membership_id)
    if payload.leaves:
        if payload.role is not None or payload.position is not None:
            raise BadInput(
                "invalid_change",
                "Thôi nhiệm vụ thì không đổi nhiệm vụ, chức vụ / leaving takes no new role",
            )
        changed = services.end_membership(acting_user=request.auth, membership=seat, on=payload.on)
    else:
        changed = services.change_seat(
            acting_user=request.auth,
            membership=seat,
            on=payload.on,
            role=payload.role,
            position=payload.position,
        )
    return _seat(changed)


class GuestIn(Schema):
    name: str = Field(max_length=services.MAX_NAME)
    position: str = Field("", max_length=services.MAX_POSITION)


class MeetingIn(Schema):
    date: dt.date
    kind: str = Field(max_length=20, description="regular, interim_review or final_review")
    title: str = Field(max_length=services.MAX_TITLE)
    agenda: str = Field("", max_length=services.MAX_AGENDA)
    place: str = Field("", max_length=200)
    attendees: list[Id] = Field([], max_length=500, description="people (ids) with a seat that day")
    guests: list[GuestIn] = Field([], max_length=500, description="people invited")
    chair: Id | None = Field(None, description="an attendee (id) who chaired")
    minutes: Id | None = Field(None, description="the minutes, a registered document")


class AttendeeOut(Schema):
    person: int
    name: str
    is_invited: bool
    is_chair: bool
    position: str


class ConclusionOut(Schema):
    id: int
    document: int
    task: str
    due: dt.date
    units: list[str]


class MeetingOut(Schema):
    id: int
    date: dt.date
    kind: str
    title: str
    place: str
    agenda: str
    minutes: int | None = None
    minutes_symbol: str | None = None
    attendees: list[AttendeeOut]
    conclusions: list[ConclusionOut]


def _meeting(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "date": meeting.date,
        "kind": meeting.kind,
        "title": meeting.title,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes_id,
        "minutes_symbol": meeting.minutes.symbol if meeting.minutes else None,
        "attendees": [
            {
                "person": a.person_id,
                "name": a.person.name,
                "is_invited": a.is_invited,
                "is_chair": a.is_chair,
                "position": a.position,
            }
            for a in meeting.attendances.all()
        ],
        "conclusions": [
            {
                "id": c.pk,
                "document": c.assignment.document_id,
                "task": c.assignment.task,
                "due": c.assignment.due,
                "units": [row.unit.code for row in c.assignment.rows.all()],
            }
            for c in meeting.conclusions.all()
        ],
    }


@router.post("/committees/{int:committee_id}/meetings", response={201: MeetingOut})
def hold_meeting(request, committee_id: int, payload: MeetingIn):
    """Record a meeting or review conference; an attendee without a seat that day → 400."""
    committee = access.get_committee(request.auth, committee_id, policy.Action.CHANGE)
    meeting = services.hold_meeting(
        acting_user=request.auth,
        committee=committee,
        date=payload.date,
        kind=payload.kind,
        title=payload.title,
        agenda=payload.agenda,
        place=payload.place,
        attendees=payload.attendees,
        guests=[services.Guest(g.name, g.position) for g in payload.guests],
        chair=payload.chair,
        minutes=_document(request.auth, payload.minutes),
    )
    return Status(201, _meeting(access.meetings_of(committee).get(pk=meeting.pk)))


@router.get("/committees/{int:committee_id}/meetings", response=list[MeetingOut])
def list_meetings(request, committee_id: int):
    """The committee's meetings, newest first, with attendees and conclusions."""
    committee = access.get_committee(request.auth, committee_id)
    return [_meeting(m) for m in access.meetings_of(committee)]


class MinutesIn(Schema):
    document: Id


@router.post(
    "/committees/{int:committee_id}/meetings/{int:meeting_id}/minutes", response=MeetingOut
)
def set_minutes(request, committee_id: int, meeting_id: int, payload: MinutesIn):
    """Name the meeting's registered minutes."""
    committee = access.get_committee(request.auth, committee_id, policy.Action.CHANGE)
    meeting = access.get_meeting(request.auth, committee, meeting_id, policy.Action.CHANGE)
    document = _document(request.auth, payload.document)
    assert document is not None
    services.set_minutes(acting_user=request.auth, meeting=meeting, document=document)
    return _meeting(access.meetings_of(committee).get(pk=meeting.pk))


class ConclusionIn(Schema):
    task: str = Field(max_length=services.MAX_AGENDA, description="what the units must do")
    due: dt.date
    document: Id | None = Field(
        None, description="the notice of conclusions; default: the meeting's minutes"
    )
    expects: str | dict = Field("BC", description='a document type ("BC") or {"form","period"}')
    units: list[Annotated[str, Field(max_length=50)]] | None = Field(None, max_length=1000)
    kind: str | None = Field(None, max_length=50)
    level: int | None = Field(None, ge=1, le=20)


@router.post(
    "/committees/{int:committee_id}/meetings/{int:meeting_id}/conclusions",
    response={201: ConclusionOut},
)
def conclude(request, committee_id: int, meeting_id: int, payload: ConclusionIn):
    """A conclusion becomes a task of the directives: the document (of the committee's
    unit's register) assigns ``task`` to ``units`` (or a ``kind``/``level`` under the
    unit), due ``due``; answers and reminders follow the directives' rules."""
    committee = access.get_committee(request.auth, committee_id, policy.Action.CHANGE)
    meeting = access.get_meeting(request.auth, committee, meeting_id, policy.Action.CHANGE)
    document = _document(request.auth, payload.document) if payload.document else meeting.minutes
    if document is None:
        raise BadInput(
            "missing_document",
            "Cần văn bản kết luận (document) hoặc biên bản của cuộc họp / give the document "
            "of the conclusions, or set the meeting's minutes first",
        )
    conclusion = services.conclude(
        acting_user=request.auth,
        meeting=meeting,
        document=document,
        task=payload.task,
        due=payload.due,
        expects=payload.expects,
        units=payload.units,
        kind=payload.kind,
        level=payload.level,
    )
    assignment = conclusion.assignment
    return Status(
        201,
        {
            "id": conclusion.pk,
            "document": assignment.document_id,
            "task": assignment.task,
            "due": assignment.due,
            "units": [row.unit.code for row in assignment.rows.select_related("unit")],
        },
    )


class PersonOut(Schema):
    id: int
    committee: int
    name: str
    unit: str | None = None
    erased: bool
    seats: list[SeatOut]
    attended: list[dict]


@router.get("/committees/people/{int:person_id}", response=PersonOut)
def export_person(request, person_id: int):
    """Everything kept about a person (decision 0040): name, unit, seats, meetings
    attended; whoever may change the committee's unit."""
    person = access.get_person(request.auth, person_id)
    return _person(person)


def _person(person: Person) -> dict:
    seats = person.memberships.select_related("person__unit").order_by("valid_from", "id")
    attended = person.attendances.select_related("meeting").order_by("meeting__date")
    return {
        "id": person.pk,
        "committee": person.committee_id,
        "name": person.name,
        "unit": person.unit.code if person.unit else None,
        "erased": person.erased is not None,
        "seats": [_seat(s) for s in seats],
        "attended": [
            {
                "meeting": a.meeting_id,
                "date": a.meeting.date.isoformat(),
                "is_invited": a.is_invited,
                "position": a.position,
            }
            for a in attended
        ],
    }


@router.post("/committees/people/{int:person_id}/erase", response=PersonOut)
def erase_person(request, person_id: int):
    """The person's name becomes "—" and their positions are emptied; seats and
    attendances stay; again → 409."""
    person = access.get_person(request.auth, person_id)
    erased = services.erase_person(acting_user=request.auth, person=person)
    return _person(erased)
