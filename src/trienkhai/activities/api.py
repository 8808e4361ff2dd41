"""/api/v1/activities: events, attendance lists, members' pledge lists, official channels
and the figures they make (issue 16).

Thin: parse, access, service. An attendance list comes as JSON ``{"rows": [...]}`` or
as a multipart .xlsx/.csv ``file`` (columns session, name, unit, position, audience,
person); the file is read and parsed before the service's transaction starts.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import TypeVar

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from trienkhai.accounts import policy
from trienkhai.activities import (
    access,
    channels,
    figures,
    lists,
    people,
    pledges,
    services,
    sites,
    tables,
)
from trienkhai.activities.models import Event, PledgeList
from trienkhai.activities.sites_api import SiteIn, SiteOut, sites_out
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import queries
from trienkhai.orgs.access import read_upload, visible_subtree_ids
from trienkhai.reporting.periods import parse_span
from trienkhai.vn.dates import parse_date

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
    sites: list[SiteIn] = Field([], description="an online conference's connected sites")


class ActivitySessionOut(Schema):
    id: int
    date: dt.date


class ActivitySiteOut(Schema):
    id: int
    unit: str
    place: str


class ActivityEventOut(Schema):
    id: int
    sessions: list[ActivitySessionOut]
    sites: list[ActivitySiteOut]


@router.post("/activities/events", response={201: ActivityEventOut})
def create_event(request, payload: ActivityEventIn):
    """An event with its sessions, and an online conference's connected sites (all or
    none: 400 ``invalid_sites`` with details)."""
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
        sites=[sites.SiteInput(unit=s.unit, place=s.place) for s in payload.sites],
    )
    sessions = [{"id": s.pk, "date": s.date} for s in event.sessions.all()]
    made = [{"id": s.pk, "unit": s.unit.code, "place": s.place} for s in event.sites.all()]
    return Status(201, {"id": event.pk, "sessions": sessions, "sites": made})


class EventsQuery(Schema):
    unit: str
    year: int | None = Field(None, ge=1900, le=2100)
    kind: str = Field("", description="class, study_conference, online_conference, club_session")


class EventHeadOut(Schema):
    id: int
    unit: str = Field(description="the organiser's code")
    unit_name: str
    kind: str
    title: str
    start: dt.date
    end: dt.date


class EventRowOut(EventHeadOut):
    sessions: int
    attendances: int = Field(description="heads counted at connected sites included")
    participants: int = Field(description="distinct people recorded by name")


@router.get("/activities/events", response=list[EventRowOut])
def list_events(request, query: Query[EventsQuery]):
    """The events organised in the unit's subtree (by the units the caller reaches),
    latest first, at most 200: a year or a kind narrows them."""
    unit = access.get_unit(request.auth, query.unit)
    if query.kind and query.kind not in Event.Kind.values:
        raise BadInput("invalid_kind", f"Loại hoạt động không hợp lệ / invalid kind: {query.kind}")
    found, _more = lists.events(
        visible_subtree_ids(request.auth, unit), year=query.year, kind=query.kind
    )
    return [
        {
            "id": e.pk,
            "unit": e.organiser.code,
            "unit_name": e.organiser_name,  # type: ignore[attr-defined]
            "kind": e.kind,
            "title": e.title,
            "start": e.start,
            "end": e.end,
            "sessions": e.n_sessions,  # type: ignore[attr-defined]
            "attendances": e.n_attendances,  # type: ignore[attr-defined]
            "participants": e.n_people,  # type: ignore[attr-defined]
        }
        for e in found
    ]


class EventSessionOut(Schema):
    id: int
    date: dt.date
    attendances: int = Field(description="heads counted at connected sites included")


class EventDetailOut(EventHeadOut):
    place: str
    link: str
    audience: list[str]
    sessions: list[EventSessionOut]
    sites: list[SiteOut]
    attendances: int = Field(description="heads counted at connected sites included")
    heads: int = Field(description="of the attendances, those counted by head, without names")
    participants: int = Field(description="distinct people recorded by name, never heads")


@router.get("/activities/events/{int:event_id}", response=EventDetailOut)
def event_detail(request, event_id: int):
    """An event with its sessions, sites (head counts, people named there) and totals:
    no names (an attendance list's names are read on its page, by its managers)."""
    event = access.get_event(request.auth, event_id)
    sessions = lists.sessions(event)
    totals = lists.totals(event)
    return {
        "id": event.pk,
        "unit": event.organiser.code,
        "unit_name": queries.latest_versions([event.organiser_id])[event.organiser_id].name,
        "kind": event.kind,
        "title": event.title,
        "start": event.start,
        "end": event.end,
        "place": event.place,
        "link": event.link,
        "audience": event.audience,
        "sessions": [
            {"id": s.pk, "date": s.date, "attendances": s.n_attendances}  # type: ignore[attr-defined]
            for s in sessions
        ],
        "sites": sites_out(event),
        "attendances": totals.attendances,
        "heads": totals.heads,
        "participants": totals.people,
    }


class AttendanceRowIn(Schema):
    session: int | str
    name: str = ""
    unit: str = ""
    position: str = ""
    audience: str = ""
    person: int | str | None = None
    site: int | str | None = Field(
        None, description="the connected site they followed from: its id or host unit's code"
    )


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


SchemaT = TypeVar("SchemaT", bound=Schema)
MISSING_LIST = "Cần tệp danh sách (file) / send the list as 'file'"


def _file_or_json(schema: type[Schema], fields: dict | None = None) -> dict:
    """The OpenAPI body of a list sent as JSON (``schema``), or as a multipart ``file``
    with the form ``fields`` (name → JSON schema) beside it, all required but
    ``deadline`` and ``replace``."""
    properties = {**(fields or {}), "file": {"type": "string", "format": "binary"}}
    required = [name for name in properties if name not in {"deadline", "replace"}]
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": _inlined(schema.model_json_schema())},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": properties, "required": required}
                },
            },
            "required": True,
        }
    }


def _upload(request, missing: str) -> tuple[str, bytes]:
    """The multipart ``file`` (its name, its bytes), or BadInput ``missing``."""
    upload = request.FILES.get("file")
    if upload is None:
        raise BadInput("missing_file", missing)
    return upload.name or "", read_upload(upload)


def _json(request, schema: type[SchemaT]) -> SchemaT:
    """The JSON body read as ``schema``: 422 with the fields, or 400 if not JSON."""
    try:
        return schema.model_validate(json.loads(request.body or b"null"))
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ValidationError):
            raise NinjaValidationError([dict(e) for e in error.errors()]) from error
        raise BadInput("invalid_json", "JSON không hợp lệ / invalid JSON") from error


_ATTENDANCE_BODY = _file_or_json(AttendanceIn)


def _rows_of(request) -> list[services.AttendanceRow]:
    if request.content_type == "multipart/form-data":
        return tables.attendance_rows(*_upload(request, MISSING_LIST))
    payload = _json(request, AttendanceIn)
    return [
        services.AttendanceRow(
            session=str(row.session),
            name=row.name,
            unit=row.unit,
            position=row.position,
            audience=row.audience,
            person="" if row.person is None else str(row.person),
            site="" if row.site is None else str(row.site),
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
    """The figures of the registers for the unit's subtree within the period: events
    organised, members' pledges, official channels."""
    unit = access.get_unit(request.auth, query.unit)
    periods = parse_span(query.period)
    start, end = periods[0].start, periods[-1].end
    return [
        {"code": f.code, "name": f.name, "name_en": f.name_en, "value": int(value)}
        for f, value in figures.every_subtree_figure(unit, start, end)
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


# Members' pledges (issue 16 item 3) ----------------------------------------------------


class PledgeRowIn(Schema):
    name: str = ""
    position: str = ""
    unit: str = ""
    person: int | str | None = None
    submitted: str | None = Field(None, description="dd/mm/yyyy or yyyy-mm-dd; empty: not yet")


class PledgesIn(Schema):
    unit: str
    year: int
    deadline: dt.date | None = Field(None, description="needed for a new list")
    replace: bool = Field(False, description="the rows are the whole list")
    rows: list[PledgeRowIn] = []


class PledgeCountsOut(Schema):
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int


class PledgesSavedOut(PledgeCountsOut):
    list: int
    unit: str
    year: int
    deadline: dt.date
    added: int
    changed: int
    removed: int


class PledgeMemberOut(Schema):
    person: int
    name: str
    position: str
    submitted: dt.date | None
    on_time: bool


class PledgeListOut(PledgeCountsOut):
    unit: str
    year: int
    deadline: dt.date
    members: list[PledgeMemberOut]


class PledgeListQuery(Schema):
    unit: str
    year: int


_PLEDGES_BODY = _file_or_json(
    PledgesIn,
    {
        "unit": {"type": "string"},
        "year": {"type": "integer"},
        "deadline": {"type": "string", "description": "dd/mm/yyyy"},
        "replace": {"type": "boolean"},
    },
)


def _pledges_of(request) -> tuple[PledgesIn, list[pledges.PledgeRow]]:
    """The list sent: JSON, or a multipart file with the fields unit, year, deadline,
    replace; the file read and parsed here, before any transaction."""
    if request.content_type == "multipart/form-data":
        fields = request.POST
        try:
            deadline = (fields.get("deadline") or "").strip()
            head = PledgesIn(
                unit=fields.get("unit", ""),
                year=int(fields.get("year", "")),
                deadline=parse_date(deadline) if deadline else None,
                replace=fields.get("replace", "").lower() in {"1", "true", "on", "yes"},
            )
        except ValueError as error:
            raise BadInput(
                "invalid_fields",
                "Cần đơn vị (unit), năm (year) và hạn nộp dd/mm/yyyy (deadline) / "
                f"send unit, year and a deadline dd/mm/yyyy: {error}",
            ) from error
        return head, tables.pledge_rows(*_upload(request, MISSING_LIST))
    payload = _json(request, PledgesIn)
    rows = [
        pledges.PledgeRow(
            name=row.name,
            position=row.position,
            unit=row.unit,
            person="" if row.person is None else str(row.person),
            submitted=row.submitted or "",
        )
        for row in payload.rows
    ]
    return payload, rows


@router.post("/activities/pledges", response=PledgesSavedOut, openapi_extra=_PLEDGES_BODY)
def record_pledges(request):
    """A cell's list of members for a year, who handed in a pledge and when: every row
    or none (400 ``invalid_rows`` with details)."""
    head, rows = _pledges_of(request)
    unit = access.get_unit(request.auth, head.unit, policy.Action.CHANGE)
    done = pledges.record_pledges(
        acting_user=request.auth,
        unit=unit,
        year=head.year,
        deadline=head.deadline,
        replace=head.replace,
        rows=rows,
    )
    found = done.pledge_list
    return {
        "list": found.pk,
        "unit": unit.code,
        "year": found.year,
        "deadline": found.deadline,
        "added": done.added,
        "changed": done.changed,
        "removed": done.removed,
        **pledges.list_counts(found),
    }


@router.get("/activities/pledges", response=PledgeListOut)
def pledge_list(request, query: Query[PledgeListQuery]):
    """The members on a cell's list of a year (personal data: CHANGE on the cell)."""
    unit = access.get_unit(request.auth, query.unit, policy.Action.CHANGE)
    found = PledgeList.objects.filter(unit=unit, year=query.year).first()
    if found is None:
        raise NotFound("danh sách đăng ký / pledge list", f"{unit.code} {query.year}")
    return {
        "unit": unit.code,
        "year": found.year,
        "deadline": found.deadline,
        **pledges.list_counts(found),
        "members": pledges.members(found),
    }


class PledgeListCountsOut(PledgeCountsOut):
    unit: str
    unit_name: str
    deadline: dt.date


class PledgeSubtreeOut(PledgeCountsOut):
    unit: str
    year: int
    percent_submitted: Decimal | None
    percent_on_time: Decimal | None
    lists: list[PledgeListCountsOut]
    hidden: int = Field(
        0, description="lists of units outside the caller's reach: counted, not listed"
    )


@router.get("/activities/pledges/counts", response=PledgeSubtreeOut)
def pledge_counts(request, query: Query[PledgeListQuery]):
    """The counts of every list of the year in the unit's subtree, per list and in total
    ("2.073 bản, 100%"): no names."""
    unit = access.get_unit(request.auth, query.unit)
    return pledges.counts(
        unit, query.year, shown=lambda ids: access.reached(request.auth, unit, ids)
    )


# Official channels (issue 16 item 4) ---------------------------------------------------


class ChannelIn(Schema):
    unit: str
    kind: str = Field(description="website, social_page, radio, bulletin, other")
    name: str
    address: str = Field("", description="its URL (website, page) or where it is heard")
    active_from: dt.date
    active_to: dt.date | None = None


class ChannelChangeIn(Schema):
    kind: str | None = None
    name: str | None = None
    address: str | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = Field(None, description="null: still active")


class ChannelOut(Schema):
    id: int
    unit: str
    kind: str
    name: str
    address: str
    active_from: dt.date
    active_to: dt.date | None


class PostCountOut(Schema):
    period: str
    start: dt.date
    end: dt.date
    posts: int


class ChannelDetailOut(ChannelOut):
    counts: list[PostCountOut]


class ChannelsQuery(Schema):
    unit: str
    as_of: dt.date | None = None


@router.get("/activities/channels", response=list[ChannelOut])
def list_channels(request, query: Query[ChannelsQuery]):
    """The official channels managed in the unit's subtree (those of units the caller
    reaches: decision 0004)."""
    unit = access.get_unit(request.auth, query.unit)
    found = channels.of_subtree(unit, query.as_of)
    shown = access.reached(request.auth, unit, {c.unit_id for c in found})
    return [channels.as_dict(c) for c in found if c.unit_id in shown]


@router.post("/activities/channels", response={201: ChannelOut})
def register_channel(request, payload: ChannelIn):
    unit = access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    channel = channels.register_channel(
        acting_user=request.auth,
        unit=unit,
        kind=payload.kind,
        name=payload.name,
        address=payload.address,
        active_from=payload.active_from,
        active_to=payload.active_to,
    )
    return Status(201, channels.as_dict(channel))


@router.get("/activities/channels/{int:channel_id}", response=ChannelDetailOut)
def get_channel(request, channel_id: int):
    """A channel and the counts its managing unit entered."""
    channel = access.get_channel(request.auth, channel_id)
    return channels.as_dict(channel, with_counts=True)


@router.patch("/activities/channels/{int:channel_id}", response=ChannelOut)
def change_channel(request, channel_id: int, payload: ChannelChangeIn):
    channel = access.get_channel(request.auth, channel_id, policy.Action.CHANGE)
    changes = payload.model_dump(exclude_unset=True)
    missing = [k for k, v in changes.items() if v is None and k != "active_to"]
    if missing:
        raise BadInput("invalid_fields", f"Không để trống được / cannot be empty: {missing}")
    channel = channels.change_channel(acting_user=request.auth, channel=channel, **changes)
    return channels.as_dict(channel)


@router.delete("/activities/channels/{int:channel_id}", response={204: None})
def remove_channel(request, channel_id: int):
    """Delete a channel registered by mistake, with its counts (each in its history);
    409 ``read_by_report`` while a submitted or approved report reads its figures."""
    channel = access.get_channel(request.auth, channel_id, policy.Action.CHANGE)
    channels.remove_channel(acting_user=request.auth, channel=channel)
    return Status(204, None)


@router.delete("/activities/channels/{int:channel_id}/posts/{period}", response={204: None})
def remove_post_count(request, channel_id: int, period: str):
    """Delete the channel's count of ``period`` (202001, 2020Q1 …); 404 when there is none,
    409 ``read_by_report`` while a submitted or approved report reads it."""
    channel = access.get_channel(request.auth, channel_id, policy.Action.CHANGE)
    channels.remove_post_count(acting_user=request.auth, channel=channel, period=period)
    return Status(204, None)


class PostCountIn(Schema):
    period: str
    posts: int | str


class PostCountsIn(Schema):
    counts: list[PostCountIn]


_COUNTS_BODY = _file_or_json(PostCountsIn)


def _counts_of(request) -> list[channels.PostCountRow]:
    if request.content_type == "multipart/form-data":
        missing = "Cần tệp số tin, bài (file) / send the counts as 'file'"
        return tables.post_count_rows(*_upload(request, missing))
    payload = _json(request, PostCountsIn)
    return [channels.PostCountRow(period=c.period, posts=str(c.posts)) for c in payload.counts]


@router.post(
    "/activities/channels/{int:channel_id}/posts",
    response=AttendanceSavedOut,
    openapi_extra=_COUNTS_BODY,
)
def record_post_counts(request, channel_id: int):
    """How many items the channel published per period, as its managing unit counted
    them: every row or none (400 ``invalid_rows`` with details). Nothing is fetched."""
    channel = access.get_channel(request.auth, channel_id, policy.Action.CHANGE)
    rows = _counts_of(request)
    saved = channels.record_post_counts(acting_user=request.auth, channel=channel, rows=rows)
    return {"saved": saved}
