"""/api/v1/units — read and change the hierarchy. Thin: parse, ask access, call a service."""

import datetime as dt

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.orgs import access, queries, services
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.web import units as typed

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    agency_code: str = Field("", description="Mã định danh (QĐ 20/2020/QĐ-TTg); empty: not set.")


class UnitListOut(UnitOut):
    context: str = Field(
        "",
        description="Where the unit sits, in words, to tell units of one name apart: its "
        "parent's name, and its grandparent's where another unit listed has the same name "
        "under a parent of the same name. Empty for a top unit.",
    )
    when: str = Field(
        "",
        description="For a unit (or a name) that does not hold on as_of (default today), "
        "when it held, in words: 'đến 30/06/2025' for one that ended, 'từ 01/07/2026' for "
        "one to come. Empty for one that holds.",
    )


class EventOut(Schema):
    kind: str
    date: dt.date
    unit: str | None
    predecessors: list[str]
    successors: list[str]
    note: str


class UnitDetailOut(UnitOut):
    abbreviation: str
    official_codes: list[dict]
    predecessors: list[str]
    successors: list[str]
    events: list[EventOut]


class UnitIn(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None
    valid_from: dt.date
    abbreviation: str = ""


class UnitChangeIn(Schema):
    on: dt.date
    name: str | None = None
    abbreviation: str | None = None
    kind: str | None = None
    parent: str | None = Field(None, description="New parent code (a move).")


class MergeIn(Schema):
    predecessors: list[str]
    on: dt.date
    partial: list[str] = []


class SplitIn(Schema):
    into: list[str]
    on: dt.date


class DissolveIn(Schema):
    on: dt.date


class AgencyCodeIn(Schema):
    agency_code: str = Field(description='"000.00.00.G22" form; "" clears it.')


class UnitFilter(Schema):
    q: str | None = None
    parent: str | None = None
    kind: str | None = None
    as_of: str | None = None
    limit: int = Field(50, ge=1, le=500)


def unit_out(version: UnitVersion) -> dict:
    unit = version.unit
    return {
        "code": unit.code,
        "name": version.name,
        "kind": version.kind.code,
        "parent": version.parent.code if version.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "agency_code": unit.agency_code,
    }


def unit_detail(unit: Unit, day: dt.date | None = None) -> dict:
    version = unit.version_on(day) if day else None
    version = version or unit.latest_version()
    before, after = queries.direct_links(unit)
    events = [
        {
            "kind": e.kind,
            "date": e.date,
            "unit": e.unit.code if e.unit else None,
            "predecessors": sorted({link.predecessor.code for link in e.links.all()}),
            "successors": sorted({link.successor.code for link in e.links.all()}),
            "note": e.note,
        }
        for e in queries.events_of(unit)
    ]
    return {
        **unit_out(version),
        "abbreviation": version.abbreviation,
        "official_codes": [
            {"scheme": c.scheme, "code": c.code, "valid_from": c.valid_from, "valid_to": c.valid_to}
            for c in unit.official_codes.all()
        ],
        "predecessors": sorted({link.predecessor.code for link in before}),
        "successors": sorted({link.successor.code for link in after}),
        "events": events,
    }


@router.get("/units", response=list[UnitListOut])
def list_units(request, filters: Query[UnitFilter]):
    """Units matching ``q`` (accents ignored), under ``parent``, of ``kind``, as of a date.

    With ``q``: the best first among the units you may see: those living on ``as_of``
    (default today) before the ended ones (each then says until when, ``when``), names
    that start with the words typed before names that only hold them, then in office
    order. Without ``q``: the children of ``parent`` (or the top of what you may see) on ``as_of``
    (default today; for an ended ``parent``, its last day). In the order an office lists
    units: higher levels first, then by kind, then by name; each with its ``context``.
    """
    day = access.day_or_today(filters.as_of) if filters.as_of else None
    parent = access.get_unit(request.auth, filters.parent) if filters.parent else None
    if filters.q:
        listed = access.find_units(
            request.auth, filters.q, day=day, parent=parent, kind=filters.kind, limit=filters.limit
        )
    else:
        if parent is not None:
            # An ended unit's children as they stood on its last day (a picker browsing
            # a 2020 district), unless a day is asked.
            versions = queries.children(parent, day or parent.reference_date())
        else:
            versions = access.visible_tree(request.auth, day or timezone.localdate())
        if filters.kind:
            versions = [v for v in versions if v.kind.code == filters.kind]
        listed = access.visible(request.auth, versions)[: filters.limit]
    where = typed.contexts(listed)
    return [
        {**unit_out(v), "context": where[v.unit_id], "when": typed.held_when(v, day)}
        for v in listed
    ]


@router.get("/units/{code}", response=UnitDetailOut)
def get_unit(request, code: str, as_of: str | None = None):
    unit = access.get_unit(request.auth, code)
    return unit_detail(unit, access.day_or_today(as_of) if as_of else None)


@router.get("/units/{code}/descendants", response=list[UnitOut])
def unit_descendants(
    request,
    code: str,
    as_of: str | None = None,
    level: int | None = Query(None, ge=0, le=queries.MAX_DEPTH),
):
    """The subtree of a unit on ``as_of`` (default today); ``level`` = that many levels below."""
    unit = access.get_unit(request.auth, code)
    nodes = queries.subtree(unit, access.day_or_today(as_of), depth=level)
    return [
        {
            "code": n.code,
            "name": n.name,
            "kind": n.kind,
            "parent": n.parent,
            "valid_from": n.valid_from,
            "valid_to": n.valid_to,
        }
        for n in nodes
    ]


@router.get("/units/{code}/successors", response=list[dict])
def unit_successors(request, code: str, on: str | None = None):
    """The living units that carry this one on ``on``, following merges and splits."""
    unit = access.get_unit(request.auth, code)
    return [
        {"code": s.unit.code, "is_partial": s.is_partial}
        for s in queries.successors(unit, access.day_or_today(on))
    ]


@router.post("/units", response={201: UnitDetailOut})
def create_unit(request, payload: UnitIn):
    parent = access.get_parent_for_new_unit(request.auth, payload.parent)
    unit = services.create_unit(
        acting_user=request.auth,
        code=payload.code,
        name=payload.name,
        kind=access.get_kind(payload.kind),
        parent=parent,
        valid_from=payload.valid_from,
        abbreviation=payload.abbreviation,
    )
    return Status(201, unit_detail(unit))


@router.post("/units/{code}/changes", response={201: UnitDetailOut})
def change_unit(request, code: str, payload: UnitChangeIn):
    """Rename or move a unit from a date (a new version and an event)."""
    unit = access.get_unit(request.auth, code, policy.Action.CHANGE)
    changes: dict = {}
    if payload.parent is not None:
        changes["parent"] = access.get_parent_for_new_unit(request.auth, payload.parent)
    services.change_unit(
        acting_user=request.auth,
        unit=unit,
        on=payload.on,
        name=payload.name,
        abbreviation=payload.abbreviation,
        kind=access.get_kind(payload.kind) if payload.kind else None,
        **changes,
    )
    return Status(201, unit_detail(Unit.objects.get(pk=unit.pk)))


@router.put("/units/{code}/agency-code", response=UnitDetailOut)
def set_agency_code(request, code: str, payload: AgencyCodeIn):
    """Set the unit's agency identifier code (mã định danh), the OrganId of its edXML
    packages; 400 malformed, 409 another unit's."""
    unit = access.get_unit(request.auth, code, policy.Action.CHANGE)
    services.set_agency_code(acting_user=request.auth, unit=unit, agency_code=payload.agency_code)
    return unit_detail(Unit.objects.get(pk=unit.pk))


@router.post("/units/{code}/merge", response={201: UnitDetailOut})
def merge_into(request, code: str, payload: MergeIn):
    """Merge ``predecessors`` into this unit on ``on``."""
    into = access.get_unit(request.auth, code, policy.Action.CHANGE)
    with transaction.atomic():
        units = [
            access.get_unit(request.auth, c, policy.Action.CHANGE) for c in payload.predecessors
        ]
        partial = frozenset(u.pk for u in units if u.code in set(payload.partial))
        services.merge_units(
            acting_user=request.auth, predecessors=units, into=into, on=payload.on, partial=partial
        )
    return Status(201, unit_detail(Unit.objects.get(pk=into.pk)))


@router.post("/units/{code}/split", response={201: UnitDetailOut})
def split(request, code: str, payload: SplitIn):
    unit = access.get_unit(request.auth, code, policy.Action.CHANGE)
    into = [access.get_unit(request.auth, c, policy.Action.CHANGE) for c in payload.into]
    services.split_unit(acting_user=request.auth, unit=unit, into=into, on=payload.on)
    return Status(201, unit_detail(Unit.objects.get(pk=unit.pk)))


@router.post("/units/{code}/dissolve", response={201: UnitDetailOut})
def dissolve(request, code: str, payload: DissolveIn):
    unit = access.get_unit(request.auth, code, policy.Action.CHANGE)
    services.dissolve_unit(acting_user=request.auth, unit=unit, on=payload.on)
    return Status(201, unit_detail(Unit.objects.get(pk=unit.pk)))


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class AuditOut(Schema):
    when: dt.datetime
    who: str
    what: str
    action: str
    changes: list[ChangeOut]


@router.get("/units/{code}/history", response=list[AuditOut])
def unit_history(request, code: str):
    """Who changed the unit, its names and parents, and the roles held at it: when, before → after."""
    from trienkhai.accounts.audit import role_audit
    from trienkhai.orgs.audit import unit_audit

    unit = access.get_unit(request.auth, code)
    rows = sorted([*unit_audit(unit), *role_audit(unit)], key=lambda r: r.when, reverse=True)
    return [
        {
            "when": row.when,
            "who": row.who,
            "what": str(row.subject),
            "action": row.kind,
            "changes": [
                {"field": c.field, "before": c.before, "after": c.after} for c in row.changes
            ],
        }
        for row in rows
    ]


class ImportOut(Schema):
    created: int
    codes: list[str]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/unit-imports", response={201: ImportOut})
def import_units(request, file: File[UploadedFile]):
    """Create units from a CSV or XLSX file: every row or none; 400 lists each bad row.

    Columns: code, name, kind, parent, valid_from, abbreviation, official_code (Vietnamese
    headers accepted; see ``GET /unit-imports/template``). A row may name as parent any
    unit you may change, or a unit created by an earlier row.
    """
    from trienkhai.orgs.imports import import_units_file

    access.require_some(request.auth, policy.Action.CHANGE)
    created = import_units_file(
        acting_user=request.auth,
        name=file.name or "",
        data=access.read_upload(file),
    )
    return Status(201, {"created": len(created), "codes": [u.code for u in created]})


@router.get("/unit-imports/template")
def import_template(request):
    """An empty .xlsx with the import's header row."""
    from trienkhai.orgs.imports import units_template_xlsx

    access.require_some(request.auth, policy.Action.CHANGE)
    response = HttpResponse(units_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response
