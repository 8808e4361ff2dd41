"""Tallies of the activity register kept by its writes, so that a big subtree's figures
read a few thousand rows instead of millions (decision 0055).

- ``EventTally``: events per (organiser, month of its start, kind);
- ``AttendanceTally``: named attendances per (organiser, month of the session, group);
- ``Participation``: (organiser, person, group) once, with the years they attended as
  bits: the distinct participants of whole years are counted among these rows (never
  added up).

A span is read from the tallies for its whole months (whole years for participants) and
from the register for the days around them (``Split``), so any span is answered exactly.

Who keeps them: ``services`` calls ``add_attendances`` after writing a list in bulk; an
event or an attendance saved or deleted one at a time (create_event, a check-in, an
attendance taken back, a cascade) keeps them through the signals connected in
``ActivitiesConfig.ready`` (the tallies are a cache of the register). A write that goes
around both (a QuerySet ``update`` of an attendance's date or organiser, ``bulk_create``,
raw SQL) must call ``add_attendances``/``rebuild``; ``differences`` finds a tally out of
step with the register.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F

from trienkhai.activities.models import (
    Attendance,
    AttendanceTally,
    Event,
    EventTally,
    Participation,
)

Span = tuple[dt.date, dt.date]


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Split:
    """A span of days as the tallies read it."""

    months: Span | None
    """The first days of its first and last whole months (None: no whole month)."""
    month_edges: tuple[Span, ...]
    """The days outside those months: read from the register."""
    years: tuple[int, int] | None
    """Its first and last whole years (None: no whole year)."""
    year_edges: tuple[Span, ...]
    """The days outside those years: read from the register."""


def _whole(start: dt.date, end: dt.date, first, last, step) -> tuple[Span | None, tuple[Span, ...]]:
    """The whole units (months, years) within ``start``–``end`` and the days left over:
    ``first(day)`` is the first day of a unit at or after ``day``, ``last(day)`` the last
    day of a unit at or before ``day``."""
    a, b = first(start), last(end)
    if a > b:
        return None, ((start, end),)
    edges = []
    if start < a:
        edges.append((start, a - dt.timedelta(days=1)))
    if b < end:
        edges.append((b + dt.timedelta(days=1), end))
    return (a, step(b)), tuple(edges)


def split(start: dt.date, end: dt.date) -> Split:
    def first_month(day: dt.date) -> dt.date:
        return day if day.day == 1 else _month_end(day) + dt.timedelta(days=1)

    def last_month(day: dt.date) -> dt.date:
        return day if day == _month_end(day) else day.replace(day=1) - dt.timedelta(days=1)

    # Participation holds the years FIRST_YEAR–LAST_YEAR only: any other is an edge.
    def first_year(day: dt.date) -> dt.date:
        whole = day if (day.month, day.day) == (1, 1) else dt.date(day.year + 1, 1, 1)
        return max(whole, dt.date(Participation.FIRST_YEAR, 1, 1))

    def last_year(day: dt.date) -> dt.date:
        whole = day if (day.month, day.day) == (12, 31) else dt.date(day.year - 1, 12, 31)
        return min(whole, dt.date(Participation.LAST_YEAR, 12, 31))

    if end < start:
        return Split(None, (), None, ())
    months, month_edges = _whole(start, end, first_month, last_month, month_of)
    years, year_edges = _whole(start, end, first_year, last_year, lambda day: day)
    return Split(
        (months[0], months[1]) if months else None,
        month_edges,
        (years[0].year, years[1].year) if years else None,
        year_edges,
    )


# Writing ----------------------------------------------------------------------------------------

_SQL = {
    EventTally: ("organiser_id", "month", "kind", "events"),
    AttendanceTally: ("organiser_id", "month", "audience", "attendances"),
}


def _add(model, counts: Counter) -> None:
    """Add ``counts`` ((organiser, month, key) → n, n may be negative) to ``model``'s rows;
    a row taken down to 0 is deleted."""
    table = connection.ops.quote_name(model._meta.db_table)
    organiser, month, key, total = _SQL[model]
    adapt = connection.ops.adapt_datefield_value
    more = sorted((o, adapt(m), k, n) for (o, m, k), n in counts.items() if n > 0)
    # An upsert's row is checked before its conflict is: a negative one would break the
    # column's check (>= 0) even when it only lowers an existing count.
    fewer = sorted((n, o, adapt(m), k) for (o, m, k), n in counts.items() if n < 0)
    with connection.cursor() as cursor:
        if more:
            cursor.executemany(
                f"INSERT INTO {table} ({organiser}, {month}, {key}, {total}) "
                f"VALUES (%s, %s, %s, %s) ON CONFLICT ({organiser}, {month}, {key}) "
                f"DO UPDATE SET {total} = {table}.{total} + excluded.{total}",
                more,
            )
        if fewer:
            where = f"{organiser} = %s AND {month} = %s AND {key} = %s"
            cursor.executemany(f"UPDATE {table} SET {total} = {total} + %s WHERE {where}", fewer)
            cursor.executemany(
                f"DELETE FROM {table} WHERE {where} AND {total} = 0", [row[1:] for row in fewer]
            )


def add_events(events: Iterable[tuple[int, dt.date, str]], sign: int = 1) -> None:
    """Count (organiser id, start, kind) of events written (``sign`` -1: removed)."""
    counts: Counter = Counter()
    for organiser, start, kind in events:
        counts[(organiser, month_of(start), kind)] += sign
    _add(EventTally, counts)


def _years(rows: Iterable[tuple[int, dt.date, int, str]]) -> dict[tuple[int, int, str], int]:
    """(organiser, person, group) → the bits of the years of ``rows`` (organiser id, day,
    person id, group), those Participation holds."""
    found: dict[tuple[int, int, str], int] = {}
    for organiser, day, person, audience in rows:
        if Participation.FIRST_YEAR <= day.year <= Participation.LAST_YEAR:
            key = (organiser, person, audience)
            found[key] = found.get(key, 0) | Participation.bit(day.year)
    return found


def add_attendances(rows: Sequence[tuple[int, dt.date, int, str]]) -> None:
    """Count attendances written: (organiser id, session date, person id, group) each."""
    if not rows:
        return
    with transaction.atomic():
        _add(AttendanceTally, Counter((o, month_of(d), a) for o, d, _p, a in rows))
        table = connection.ops.quote_name(Participation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (organiser_id, person_id, audience, years) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (organiser_id, person_id, audience) "
                f"DO UPDATE SET years = {table}.years | excluded.years",
                [(*key, bits) for key, bits in sorted(_years(rows).items())],
            )


def remove_attendance(organiser: int, date: dt.date, person: int, audience: str) -> None:
    """Take back one attendance already deleted from the register."""
    with transaction.atomic():
        _add(AttendanceTally, Counter({(organiser, month_of(date), audience): -1}))
        if not Participation.FIRST_YEAR <= date.year <= Participation.LAST_YEAR:
            return
        year = (dt.date(date.year, 1, 1), dt.date(date.year, 12, 31))
        others = Attendance.objects.filter(
            organiser_id=organiser, date__range=year, person_id=person, audience=audience
        )
        if others.exists():
            return
        row = Participation.objects.filter(
            organiser_id=organiser, person_id=person, audience=audience
        )
        row.update(years=F("years").bitand(~Participation.bit(date.year)))
        row.filter(years=0).delete()


def _from_register() -> tuple[Counter, Counter, dict]:
    events: Counter = Counter()
    for organiser, start, kind, n in (
        Event.objects.values("organiser_id", "start", "kind")
        .annotate(n=Count("id"))
        .values_list("organiser_id", "start", "kind", "n")
        .iterator()
    ):
        events[(organiser, month_of(start), kind)] += n
    attendances: Counter = Counter()
    people: dict[tuple[int, int, str], int] = {}
    present = Attendance.objects.order_by().values_list(
        "organiser_id", "date", "person_id", "audience"
    )
    first, last = Participation.FIRST_YEAR, Participation.LAST_YEAR
    for organiser, date, person, audience in present.iterator(chunk_size=20_000):
        attendances[(organiser, month_of(date), audience)] += 1
        if first <= date.year <= last:
            key = (organiser, person, audience)
            people[key] = people.get(key, 0) | Participation.bit(date.year)
    return events, attendances, people


def rebuild() -> None:
    """Make every tally again from the register (a migration, a bulk load, a repair)."""
    events, attendances, people = _from_register()
    with transaction.atomic():
        EventTally.objects.all().delete()
        AttendanceTally.objects.all().delete()
        Participation.objects.all().delete()
        from trienkhai.common.bulk_insert import insert_rows

        insert_rows(
            EventTally,
            ("organiser_id", "month", "kind", "events"),
            [(*key, n) for key, n in sorted(events.items())],
        )
        insert_rows(
            AttendanceTally,
            ("organiser_id", "month", "audience", "attendances"),
            [(*key, n) for key, n in sorted(attendances.items())],
        )
        insert_rows(
            Participation,
            ("organiser_id", "person_id", "audience", "years"),
            [(*key, bits) for key, bits in sorted(people.items())],
        )


def differences() -> list[str]:
    """What the tallies say that the register does not (empty: in step)."""
    events, attendances, people = _from_register()
    found = []
    kept_events = Counter(
        {
            (o, m, k): n
            for o, m, k, n in EventTally.objects.values_list(
                "organiser_id", "month", "kind", "events"
            )
            if n
        }
    )
    if kept_events != events:
        found.append(f"events: {kept_events} != {events}")
    kept = Counter(
        {
            (o, m, a): n
            for o, m, a, n in AttendanceTally.objects.values_list(
                "organiser_id", "month", "audience", "attendances"
            )
            if n
        }
    )
    if kept != attendances:
        found.append(f"attendances: {kept} != {attendances}")
    kept_people = {
        (o, p, a): bits
        for o, p, a, bits in Participation.objects.values_list(
            "organiser_id", "person_id", "audience", "years"
        )
    }
    if kept_people != people:
        found.append(f"participations: {kept_people} != {people}")
    return found
