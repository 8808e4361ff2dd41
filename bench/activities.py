"""Activities as figure sources (issue 16, Speed): an attendance list, a district's and a
province's figures.

A province of 10 districts of 20 communes (211 organisers), 400 people of each unit,
and 100,000 events over 2019–2021 spread evenly over the organisers: classes of three
sessions on three days with the same 10 people (30 attendances), conferences and club
sessions of one session with 30 people; the people of an event are drawn from its
organiser's subtree. 3,000,000 attendances, written in bulk (COPY / executemany), not
through the services. Measured then, with all of it in the tables:

- an attendance list of 5,000 rows (new people of the district's communes, two sessions
  of a new class of the first district) read from an .xlsx file and recorded by a
  district manager, through the path the API and the upload take (``tables`` then
  ``services.record_attendance``), target ≤ 2 s; and the same people again at another
  event;
- the figures of a district (its 21 units: about 10,000 events, 300,000 attendances)
  for 2019–2021, as ``GET /api/v1/activities/figures`` counts them
  (``figures.subtree_figures``), target ≤ 50 ms;
- the figures of the province (3,000,000 attendances) for 2019–2021 and for 2021,
  target ≤ 150 ms.
"""

import datetime as dt
import io
import os
import random

from bench import setup
from bench.measure import Measurement, cpu_timed, repeat_ms, server_pid, timed
from trienkhai.common.actors import BENCH

TITLE = "Hoạt động / activities as figure sources: attendance lists and figures"
EVENTS = int(os.environ.get("BENCH_ACT_EVENTS", "100000"))
DISTRICTS = 10
COMMUNES = 20
PEOPLE = 400
"""People of each unit (province, district or commune)."""
PER_EVENT = 30
LIST_ROWS = 5000
FIRST = dt.date(2019, 1, 1)
LAST = dt.date(2021, 12, 31)
CHUNK = 10_000
"""Events written per round of inserts (their sessions and attendances with them)."""


def _units():
    """The province, its districts and communes: (province, districts, {unit id: the ids
    of the units whose people its events draw from})."""
    province = setup.province(dt.date(2015, 1, 1))
    districts = setup.units(
        province, setup.kind("district"), [f"H{n:02d}" for n in range(DISTRICTS)], name="Huyện"
    )
    commune = setup.kind("commune")
    below: dict[int, list[int]] = {province.pk: [province.pk]}
    for d, district in enumerate(districts):
        communes = setup.units(
            district, commune, [f"X{d:02d}{n:02d}" for n in range(COMMUNES)], name="Xã"
        )
        below[district.pk] = [district.pk, *(c.pk for c in communes)]
        below[province.pk] += below[district.pk]
        for c in communes:
            below[c.pk] = [c.pk]
    return province, districts, below


def _people(below) -> dict[int, list[tuple[int, str]]]:
    """PEOPLE people of each unit; unit id → [(person id, audience group)]."""
    from django.utils import timezone

    from trienkhai.activities.models import Audience, Person
    from trienkhai.common.bulk_insert import insert_rows

    groups = Audience.values
    now = timezone.now()
    rows = [
        (f"Người {unit}-{n}", f"người {unit}-{n}", unit, "", groups[n % len(groups)], now, now)
        for unit in below
        for n in range(PEOPLE)
    ]
    columns = ("name", "name_key", "unit_id", "position", "audience", "created", "modified")
    insert_rows(Person, columns, rows)
    found: dict[int, list[tuple[int, str]]] = {unit: [] for unit in below}
    for pk, unit, audience in Person.objects.order_by("id").values_list("id", "unit", "audience"):
        found[unit].append((pk, audience))
    return found


def _fill(below, people, progress) -> int:
    """EVENTS events with their sessions and attendances, in rounds of CHUNK."""
    from django.db import connection, transaction
    from django.utils import timezone

    from trienkhai.activities.models import Attendance, Event, Session
    from trienkhai.common.bulk_insert import insert_rows

    rng = random.Random(16)
    organisers = sorted(below)
    pools = {unit: [person for u in units for person in people[u]] for unit, units in below.items()}
    kinds = [
        Event.Kind.CLASS,
        Event.Kind.STUDY_CONFERENCE,
        Event.Kind.CLASS,
        Event.Kind.ONLINE_CONFERENCE,
        Event.Kind.CLUB_SESSION,
    ]
    days = (LAST - FIRST).days - 2
    now = timezone.now()
    nothing = [] if connection.vendor == "postgresql" else "[]"  # JSON, as each driver takes it
    written = 0
    for first in range(0, EVENTS, CHUNK):
        planned = []
        for n in range(first, min(first + CHUNK, EVENTS)):
            kind = kinds[n % len(kinds)]
            start = FIRST + dt.timedelta(days=rng.randrange(days))
            held = 3 if kind == Event.Kind.CLASS else 1
            planned.append((organisers[n % len(organisers)], kind, start, held))
        with transaction.atomic():
            insert_rows(
                Event,
                (
                    "organiser_id",
                    "kind",
                    "title",
                    "start",
                    "end",
                    "audience",
                    "created",
                    "modified",
                ),
                [
                    (
                        o,
                        k,
                        f"Hoạt động {first + i}",
                        s,
                        s + dt.timedelta(days=h - 1),
                        nothing,
                        now,
                        now,
                    )
                    for i, (o, k, s, h) in enumerate(planned)
                ],
            )
            ids = list(Event.objects.order_by("-id").values_list("id", flat=True)[: len(planned)])
            ids.reverse()
            insert_rows(
                Session,
                ("event_id", "date"),
                [
                    (pk, s + dt.timedelta(days=d))
                    for pk, (_o, _k, s, h) in zip(ids, planned, strict=True)
                    for d in range(h)
                ],
            )
            sessions = Session.objects.filter(event_id__gte=ids[0]).order_by("id")
            rows = []
            for event, organiser, date, session in _with_events(sessions, ids, planned):
                held = planned[event][3]
                rng_event = random.Random(first + event)
                who = rng_event.sample(pools[organiser], PER_EVENT // held)
                rows += [
                    (session, person, organiser, date, audience, None, now, None)
                    for person, audience in who
                ]
            insert_rows(
                Attendance,
                (
                    "session_id",
                    "person_id",
                    "organiser_id",
                    "date",
                    "audience",
                    "site_id",
                    "created",
                    "created_by_id",
                ),
                rows,
            )
        written += len(rows)
        progress(f"{min(first + CHUNK, EVENTS):,} events, {written:,} attendances")
    return written


def _with_events(sessions, ids, planned):
    """(index of the event in ``planned``, organiser, date, session id) of each session."""
    index = {pk: i for i, pk in enumerate(ids)}
    for session, event, date in sessions.values_list("id", "event_id", "date"):
        i = index[event]
        yield i, planned[i][0], date, session


def _xlsx(event, communes, day: dt.date, sessions: int) -> bytes:
    """An attendance list of LIST_ROWS rows as offices keep it: day, name, unit, group."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Buổi", "Họ và tên", "Đơn vị", "Chức vụ", "Đối tượng"])
    groups = ["Đảng viên", "Cán bộ", "Đoàn viên", "Hội viên", "Nhân dân"]
    people = LIST_ROWS // sessions
    for s in range(sessions):
        date = (day + dt.timedelta(days=s)).strftime("%d/%m/%Y")
        for n in range(people):
            unit = communes[n % len(communes)]
            sheet.append([date, f"Học viên {n:05d}", unit, "", groups[n % len(groups)]])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _from_register(units):
    """The province's attendances and distinct people of 2019–2021 counted from the
    attendances themselves, as decision 0039 first did: what the tallies spare."""
    from django.db.models import Count

    from trienkhai.activities.models import Attendance

    def once():
        rows = Attendance.objects.filter(organiser_id__in=units, date__range=(FIRST, LAST))
        list(rows.values("organiser_id", "audience").annotate(n=Count("id")))
        return rows.aggregate(people=Count("person", distinct=True))

    return once


def _cpu_ms(function, runs: int = 5) -> str:
    """What one call costs in CPU, ours and the database server's (on a loaded machine
    the wall clock says more about the load than about the read)."""
    import time

    from bench.measure import cpu

    server = server_pid()
    ours, theirs = time.process_time(), cpu(server)
    for _ in range(runs):
        function()
    spent = (time.process_time() - ours) * 1000 / runs
    served = (cpu(server) - theirs) * 1000 / runs
    return f"CPU a read: ours {spent:.0f} ms" + (f", the server {served:.0f} ms" if server else "")


def run(progress=print) -> list[Measurement]:
    from django.db import connection

    from trienkhai.accounts.services import add_user
    from trienkhai.activities import figures, services, tables, tallies

    _province, districts, below = _units()
    province = _province
    people = _people(below)
    progress(f"{sum(len(p) for p in people.values()):,} people; {EVENTS:,} events")
    attendances = _fill(below, people, progress)
    # Written around the services: their tallies (decision 0055) made from the register.
    rebuilt, _result = timed(tallies.rebuild)
    progress(f"tallies made again in {rebuilt:.1f} s")
    setup.settled()

    district = districts[0]
    communes = [
        code
        for code in type(district)
        .objects.filter(pk__in=below[district.pk])
        .values_list("code", flat=True)
        if code != district.code
    ]
    manager = add_user(
        acting_user=BENCH, username="huyen", password="x" * 12, unit=district, role="manager"
    )
    day = dt.date(2021, 10, 4)
    lists = []
    for title in ("Lớp bồi dưỡng 5.000 học viên", "Hội nghị với cùng học viên"):
        event = services.create_event(
            acting_user=manager,
            organiser=district,
            kind="class",
            title=title,
            start=day,
            end=day + dt.timedelta(days=1),
            session_dates=[day, day + dt.timedelta(days=1)],
        )
        data = _xlsx(event, communes, day, 2)

        def imported(event=event, data=data):
            rows = tables.attendance_rows("diem-danh.xlsx", data)
            return services.record_attendance(acting_user=manager, event=event, rows=rows)

        wall, ours, theirs, saved = cpu_timed(imported, server_pid())
        assert saved == LIST_ROWS, saved
        lists.append((wall, ours, theirs))
        day += dt.timedelta(days=7)
    setup.settled()

    def read(unit, start, end):
        def once():
            return figures.subtree_figures(unit, start, end)

        return once

    district_found = read(district, FIRST, LAST)()
    district_ms = repeat_ms(read(district, FIRST, LAST), runs=20, warmup=2)
    district_cpu = _cpu_ms(read(district, FIRST, LAST))
    whole = read(province, FIRST, LAST)()
    province_ms = repeat_ms(read(province, FIRST, LAST), runs=10, warmup=2)
    province_cpu = _cpu_ms(read(province, FIRST, LAST))
    year = read(province, dt.date(2021, 1, 1), LAST)()
    year_ms = repeat_ms(read(province, dt.date(2021, 1, 1), LAST), runs=10, warmup=2)
    year_cpu = _cpu_ms(read(province, dt.date(2021, 1, 1), LAST))
    register_ms = repeat_ms(_from_register(below[province.pk]), runs=3, warmup=1)
    connection.close()

    def said(found) -> str:
        return (
            f"{int(found[('act_attendances', '')]):,} attendances, "
            f"{int(found[('act_participants', '')]):,} people, "
            f"{int(found[('act_classes', '')]):,} classes"
        )

    def cost(wall, ours, theirs) -> str:
        server = f", the server {theirs:.2f} s" if theirs else ""
        return f"CPU: ours {ours:.2f} s{server} (wall {wall:.2f} s)"

    size = f"{EVENTS:,} events, {attendances:,} attendances"
    return [
        Measurement(
            "act_list_new_s",
            f"An attendance list of {LIST_ROWS:,} rows (.xlsx, 2 sessions, new people) "
            "read and recorded by a district manager",
            round(lists[0][0], 2),
            "s",
            2,
            f"{cost(*lists[0])}; into the tables of {size}",
        ),
        Measurement(
            "act_list_known_s",
            f"The same {LIST_ROWS:,} rows at another event (people known)",
            round(lists[1][0], 2),
            "s",
            2,
            cost(*lists[1]),
        ),
        Measurement(
            "act_district_ms",
            f"A district's figures 2019–2021 ({len(below[district.pk])} units), median",
            round(district_ms["median"], 1),
            "ms",
            50,
            f"p95 {district_ms['p95']:.0f} ms; {district_cpu}; {said(district_found)}",
        ),
        Measurement(
            "act_province_ms",
            f"The province's figures 2019–2021 ({len(below[province.pk])} units, {size}), median",
            round(province_ms["median"], 1),
            "ms",
            150,
            f"p95 {province_ms['p95']:.0f} ms; {province_cpu}; {said(whole)}; counted from "
            f"the register alone as before decision 0055: {register_ms['median']:,.0f} ms",
        ),
        Measurement(
            "act_province_year_ms",
            "The province's figures of 2021, median",
            round(year_ms["median"], 1),
            "ms",
            150,
            f"p95 {year_ms['p95']:.0f} ms; {year_cpu}; {said(year)}",
        ),
    ]


NOTES = """Decisions 0039 and 0055. `figures.subtree_figures` is what
`GET /api/v1/activities/figures` and the engine ask of the activities' source for a
subtree and a span (the endpoint adds the pledges', channels' and inspections' sources);
it reads the tallies the writes keep (monthly counts; the years of each person at each
organiser) and the register for the days around whole months and years. Events, sessions and attendances
are written in bulk without their history rows, then `tallies.rebuild()`; the two lists
go through the services, which keep the tallies. The CPU seconds say what an operation
costs on a shared machine, the wall clock what the load let it take.
"""
