"""/api/v1/activities: the connected sites (điểm cầu) of an online conference and their
head counts (decision 0046). A conference's sites may also come with it
(``POST /activities/events`` ``"sites"``) and are read with it
(``GET /activities/events/{id}``).

Thin: parse, access, service (activities/sites.py)."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from trienkhai.accounts import policy
from trienkhai.activities import access, sites
from trienkhai.activities.models import Event, Session

router = Router(tags=["activities"])


class SiteIn(Schema):
    unit: str = Field(description="the host unit's code: a unit under the organiser")
    place: str = ""


class SiteCountIn(Schema):
    session: int
    people: int | None = Field(description="the whole number there; null: not counted by head")


class SiteChangeIn(Schema):
    place: str | None = None
    counts: list[SiteCountIn] | None = None


class SiteCountOut(Schema):
    session: int
    date: dt.date
    people: int | None = Field(description="the head count; null: not counted by head")
    named: int = Field(description="people recorded by name at the site")


class SiteOut(Schema):
    id: int
    unit: str
    unit_name: str
    place: str
    counts: list[SiteCountOut]


def site_out(row: sites.SiteRow, sessions: list[Session]) -> dict:
    return {
        "id": row.site.pk,
        "unit": row.site.unit.code,
        "unit_name": row.name,
        "place": row.site.place,
        "counts": [
            {"session": s.pk, "date": s.date, "people": people, "named": named}
            for s, people, named in row.cells(sessions)
        ],
    }


def sites_out(event: Event) -> list[dict]:
    """The event's sites as the API shows them (a few queries)."""
    found = sites.rows(event)
    if not found:
        return []
    sessions = list(event.sessions.order_by("date", "id"))
    return [site_out(row, sessions) for row in found]


def _one(site) -> dict:
    return next(s for s in sites_out(site.event) if s["id"] == site.pk)


@router.post("/activities/events/{int:event_id}/sites", response={201: SiteOut})
def add_site(request, event_id: int, payload: SiteIn):
    """A connected site of an online conference (400 ``invalid_sites`` with details)."""
    event = access.get_event(request.auth, event_id, policy.Action.CHANGE)
    (site,) = sites.add_sites(
        acting_user=request.auth,
        event=event,
        sites=[sites.SiteInput(unit=payload.unit, place=payload.place)],
    )
    return Status(201, _one(site))


@router.patch("/activities/sites/{int:site_id}", response=SiteOut)
def change_site(request, site_id: int, payload: SiteChangeIn):
    """A site's place and head counts per session (a session left out keeps its count)."""
    site = access.get_site(request.auth, site_id)
    counts = [(c.session, c.people) for c in payload.counts or ()]
    sites.change_site(acting_user=request.auth, site=site, place=payload.place, counts=counts)
    return _one(site)


@router.delete("/activities/sites/{int:site_id}", response={204: None})
def remove_site(request, site_id: int):
    """Remove a site and its counts (409 ``site_has_attendances`` while people are
    recorded there by name)."""
    site = access.get_site(request.auth, site_id)
    sites.remove_site(acting_user=request.auth, site=site)
    return Status(204, None)
