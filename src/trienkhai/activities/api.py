"""/api/v1/activities: events, attendance lists and the figures they make (issue 16).

Thin: parse, access, service. An attendance list comes as JSON ``{"rows": [...]}`` or
as a multipart .xlsx/.csv ``file`` (columns session, name, unit, position, audience,
person); the file is read and parsed before the service's transaction starts.
"""

import datetime as dt
import json

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from trienkhai.accounts import policy
from trienkhai.activities import access, figures, people, services, tables
from trienkhai.common.errors import BadInput
from trienkhai.orgs.access import read_upload
from trienkhai.reporting.periods import parse_span

router = Router(tags=["activities"])


class ActivitySessionIn(Schema):
    date: dt.date


class ActivityEventIn(Schema):
    unit: str
    kind: str = Field(description="class, study_conference, online_conference, club_session")
    title: str
    start: dt.date
    end: dt.date
    place: str = ""
    link: str = ""
    audience: list[str] = []
    sessions: list[ActivitySessionIn] = []


class ActivitySessionOut(Schema):
    id: int
    date: dt.date


class ActivityEventOut(Schema):
    id: int
    sessions: list[ActivitySessionOut]


@router.post("/activities/events", response={201: ActivityEventOut})
def create_event(request, payload: ActivityEventIn):
    organiser = access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    event = services.create_event(
        acting_user=request.auth,
        organiser=organiser,
        kind=payload.kind,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        session_dates=[s.date for s in payload.sessions],
        place=payload.place,
        link=payload.link,
        audience=payload.audience,
    )
    sessions = [{"id": s.pk, "date": s.date} for s in event.sessions.all()]
    return Status(201, {"id": event.pk, "sessions": sessions})


class AttendanceRowIn(Schema):
    session: int | str
    name: str = ""
    unit: str = ""
    position: str = ""
    audience: str = ""
    person: int | str | None = None


class AttendanceIn(Schema):
    rows: list[AttendanceRowIn]


class AttendanceSavedOut(Schema):
    saved: int


def _inlined(schema: dict) -> dict:
    """A model's JSON schema with its ``$defs`` put in place: the OpenAPI document has
    no ``$defs`` for a reference to point into."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


_ATTENDANCE_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": _inlined(AttendanceIn.model_json_schema())},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
        "required": True,
    }
}


def _rows_of(request) -> list[services.AttendanceRow]:
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise BadInput("missing_file", "Cần tệp danh sách (file) / send the list as 'file'")
        return tables.attendance_rows(upload.name or "", read_upload(upload))
    try:
        payload = AttendanceIn.model_validate(json.loads(request.body or b"null"))
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ValidationError):
            raise NinjaValidationError([dict(e) for e in error.errors()]) from error
        raise BadInput("invalid_json", "JSON không hợp lệ / invalid JSON") from error
    return [
        services.AttendanceRow(
            session=str(row.session),
            name=row.name,
            unit=row.unit,
            position=row.position,
            audience=row.audience,
            person="" if row.person is None else str(row.person),
        )
        for row in payload.rows
    ]


@router.post(
    "/activities/events/{int:event_id}/attendance",
    response=AttendanceSavedOut,
    openapi_extra=_ATTENDANCE_BODY,
)
def record_attendance(request, event_id: int):
    """An attendance list: every row or none (400 ``invalid_rows`` with details)."""
    event = access.get_event(request.auth, event_id, policy.Action.CHANGE)
    rows = _rows_of(request)
    saved = services.record_attendance(acting_user=request.auth, event=event, rows=rows)
    return {"saved": saved}


class ActivityFiguresQuery(Schema):
    unit: str
    period: str = Field(
        description="a period id (2021, 2021S1, 2021Q3, 202107) or a span 2019..2021"
    )


class ActivityFigureOut(Schema):
    code: str
    name: str
    name_en: str
    value: int


@router.get("/activities/figures", response=list[ActivityFigureOut])
def activity_figures(request, query: Query[ActivityFiguresQuery]):
    """The figures of the events organised in the unit's subtree within the period."""
    unit = access.get_unit(request.auth, query.unit)
    periods = parse_span(query.period)
    start, end = periods[0].start, periods[-1].end
    values = figures.subtree_figures(unit, start, end)
    return [
        {"code": f.code, "name": f.name, "name_en": f.name_en, "value": int(values[(f.code, "")])}
        for f in figures.FIGURES
    ]


class PersonOut(Schema):
    id: int
    name: str
    unit: str
    position: str
    audience: str


class PeopleQuery(Schema):
    unit: str
    q: str = Field("", description="part of the name, accents optional")


@router.get("/activities/people", response=list[PersonOut])
def list_people(request, query: Query[PeopleQuery]):
    """Participants of the unit and the units below it (personal data: CHANGE on the unit)."""
    unit = access.get_unit(request.auth, query.unit, policy.Action.CHANGE)
    return [
        {
            "id": p.pk,
            "name": p.name,
            "unit": p.unit.code,
            "position": p.position,
            "audience": p.audience,
        }
        for p in people.find(unit, query.q)
    ]


@router.get("/activities/people/{int:person_id}", response=dict)
def export_person(request, person_id: int):
    """Everything kept about one participant, with their attendances (export on request)."""
    return people.record(access.get_person(request.auth, person_id))


class ErasedOut(Schema):
    id: int
    erased: dt.datetime


@router.post("/activities/people/{int:person_id}/erase", response=ErasedOut)
def erase_person(request, person_id: int):
    """Erase a participant's name, position and group; the figures stay (409 if erased)."""
    person = people.erase(
        acting_user=request.auth, person=access.get_person(request.auth, person_id)
    )
    return {"id": person.pk, "erased": person.erased}
