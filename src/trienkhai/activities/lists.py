"""Reads for the activity pages: events with their counts, an event's sessions and
attendance list, the years a subtree held events in. Each is a fixed number of queries,
whatever the number of events or people; who may read what is access.py's question.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch

from trienkhai.activities import sites
from trienkhai.activities.models import Attendance, Audience, Event, Person, Session
from trienkhai.orgs import queries
from trienkhai.orgs.models import UnitVersion
from trienkhai.vn.text import name_order

LIMIT = 200
"""Events listed on one page: the page says when there are more."""


def events(
    unit_ids: Sequence[int], *, year: int | None = None, kind: str = "", limit: int = LIMIT
) -> tuple[list[Event], bool]:
    """The events organised by ``unit_ids`` (started in ``year``, of ``kind``), latest
    first, each with ``n_sessions``, ``n_attendances`` (heads counted at connected sites
    included) and ``n_people`` (distinct named participants) and its organiser's latest
    name (``organiser_name``); and whether there were more than ``limit``. Two queries,
    three with online conferences."""
    found = Event.objects.filter(organiser_id__among=unit_ids)
    if year is not None:
        found = found.filter(start__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if kind:
        found = found.filter(kind=kind)
    rows: list[Event] = list(
        found.select_related("organiser")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_attendances=Count("sessions__attendances"),
            n_people=Count("sessions__attendances__person", distinct=True),
        )
        .order_by("-start", "-id")[: limit + 1]
    )
    names = queries.latest_versions(e.organiser_id for e in rows[:limit])
    online = [e.pk for e in rows[:limit] if e.kind == Event.Kind.ONLINE_CONFERENCE]
    heads = sites.unnamed_by_event(online) if online else {}
    for event in rows[:limit]:
        version = names.get(event.organiser_id)
        event.organiser_name = version.name if version else ""  # type: ignore[attr-defined]
        event.n_attendances += heads.get(event.pk, 0)  # type: ignore[attr-defined]
    return rows[:limit], len(rows) > limit


def years(unit_ids: Sequence[int]) -> list[int]:
    """The years in which ``unit_ids`` started an event, latest first (one query)."""
    days = Event.objects.filter(organiser_id__among=unit_ids).dates("start", "year", order="DESC")
    return [day.year for day in days]


def sessions(event: Event) -> list[Session]:
    """The event's sessions by date, each with ``n_attendances`` (heads counted at
    connected sites included: ``n_heads`` of them) (one query, two for an online
    conference)."""
    found: list[Session] = list(
        event.sessions.annotate(n_attendances=Count("attendances")).order_by("date", "id")
    )
    heads = sites.unnamed_by_session(event) if event.kind == Event.Kind.ONLINE_CONFERENCE else {}
    for session in found:
        session.n_heads = heads.get(session.pk, 0)  # type: ignore[attr-defined]
        session.n_attendances += session.n_heads  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class Totals:
    attendances: int
    """Every attendance, the heads counted at connected sites included."""
    people: int
    """Distinct people recorded by name (never heads)."""
    groups: list[tuple[Any, int, int]]
    """(the audience group's label, attendances, distinct people) per group; "" for the
    attendances without a group. Named attendances only: a head has no group."""
    heads: int = 0
    """Of ``attendances``, those counted by head at connected sites beyond the names."""


def totals(event: Event) -> Totals:
    """The event's attendances and distinct participants, in all and by the group each
    person had at the session (two queries; three for an online conference, whose heads
    counted at sites add to the attendances, never to the people)."""
    present = Attendance.objects.filter(session__event=event)
    whole = present.aggregate(n=Count("id"), people=Count("person", distinct=True))
    groups = (
        present.values("audience")
        .annotate(n=Count("id"), people=Count("person", distinct=True))
        .order_by("audience")
    )
    heads = sites.total_unnamed(event) if event.kind == Event.Kind.ONLINE_CONFERENCE else 0
    return Totals(
        whole["n"] + heads,
        whole["people"],
        [
            (Audience(g["audience"]).label if g["audience"] else "", g["n"], g["people"])
            for g in groups
        ],
        heads,
    )


def attendance(event: Event) -> list[Person]:
    """The people on the event's attendance list in the order of Vietnamese lists (by
    given name: ``vn.text.name_order``), each with ``n_sessions`` (how many of its
    sessions they attended) and their unit's versions (for its name)."""
    versions = Prefetch("unit__versions", queryset=UnitVersion.objects.order_by("valid_from"))
    found = (
        Person.objects.filter(attendances__session__event=event)
        .annotate(n_sessions=Count("attendances"))
        .select_related("unit")
        .prefetch_related(versions)
    )
    return sorted(found, key=lambda person: (name_order(person.name), person.pk))
