"""The tallies the figures of big subtrees read (decision 0055): kept in step by every
write, and the figures read through them the same as counted from the register."""

import datetime as dt
import random
from collections import Counter

import pytest

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import checkin, figures, tallies
from trienkhai.activities.models import (
    Attendance,
    AttendanceTally,
    Event,
    EventTally,
    Participation,
)
from trienkhai.orgs import queries


def _counted(units, start, end, groups=()):
    """Every figure of ``units`` over ``start``–``end`` counted from the register itself,
    as decision 0039 first did: the reference the tallies must match."""
    events = Event.objects.filter(organiser_id__in=units, start__range=(start, end))
    kinds = Counter(events.values_list("kind", flat=True))
    present = Attendance.objects.filter(organiser_id__in=units, date__range=(start, end))
    found = {(code, ""): sum(kinds[k] for k in ks) for code, ks in figures.EVENT_FIGURES.items()}
    found[(figures.ATTENDANCES, "")] = present.count()
    found[(figures.PARTICIPANTS, "")] = len(set(present.values_list("person_id", flat=True)))
    for group in groups:
        mine = present.filter(audience=group)
        found[(figures.ATTENDANCES, group)] = mine.count()
        found[(figures.PARTICIPANTS, group)] = len(set(mine.values_list("person_id", flat=True)))
    return found


def _read(unit, start, end, groups=()):
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, end)]
    options = {figures.ATTENDANCES: groups, figures.PARTICIPANTS: groups}
    codes = [*figures.EVENT_FIGURES, figures.ATTENDANCES, figures.PARTICIPANTS]
    values = figures.subtrees_figures(codes, {unit.pk: subtree}, start, end, options)
    return {(code, option): int(v) for (code, option, _key), v in values.items()}


def _day(text):
    return dt.date.fromisoformat(text)


def test_it_splits_a_span_into_whole_months_years_and_the_days_around():
    whole = tallies.split(_day("2019-01-01"), _day("2021-12-31"))
    assert whole.months == (_day("2019-01-01"), _day("2021-12-01"))
    assert whole.years == (2019, 2021)
    assert whole.month_edges == whole.year_edges == ()
    odd = tallies.split(_day("2020-02-15"), _day("2021-03-10"))
    assert odd.months == (_day("2020-03-01"), _day("2021-02-01"))
    assert odd.month_edges == (
        (_day("2020-02-15"), _day("2020-02-29")),
        (_day("2021-03-01"), _day("2021-03-10")),
    )
    assert odd.years is None and odd.year_edges == ((_day("2020-02-15"), _day("2021-03-10")),)
    quarter = tallies.split(_day("2021-07-01"), _day("2021-09-30"))
    assert quarter.months == (_day("2021-07-01"), _day("2021-09-01"))
    assert quarter.month_edges == () and quarter.years is None
    inside = tallies.split(_day("2021-03-05"), _day("2021-03-20"))
    days = (_day("2021-03-05"), _day("2021-03-20"))
    assert inside.months is None and inside.month_edges == inside.year_edges == (days,)


def test_it_keeps_the_tallies_in_step_with_lists_check_ins_and_removals(org):
    """GIVEN classes and conferences over three years, lists recorded twice, a check-in
    and an attendance taken back WHEN the tallies are compared with the register THEN
    they agree, and ``rebuild`` makes the same rows."""
    spring = make_event(org.c1, days=("2020-03-30", "2020-04-02"))
    attend(spring, ["Nguyễn Văn An", "Lê Thị Bình"], group="dang_vien")
    attend(spring, ["Nguyễn Văn An", "Lê Thị Bình"], group="dang_vien")  # again: once
    attend(spring, ["Nguyễn Văn An"], session=1, group="can_bo")
    conference = make_event(org.d1, kind="study_conference", days=("2021-12-31",))
    attend(conference, ["Trần Văn Cường", "Nguyễn Văn An"], unit=org.c1)
    session = conference.sessions.get()
    checkin.check_in(
        acting_user=SYSTEM,
        session=session,
        items=[checkin.CheckIn(client_id="a1", name="Phạm Thị Dung", unit="C2")],
    )
    assert Attendance.objects.filter(session=session).count() == 3
    assert tallies.differences() == []
    bình = Attendance.objects.get(session=spring.sessions.first(), person__name="Lê Thị Bình")
    checkin.remove(acting_user=SYSTEM, session=bình.session, person_id=bình.person_id)
    assert tallies.differences() == []
    assert not Participation.objects.filter(person_id=bình.person_id).exists()
    kept = (
        sorted(EventTally.objects.values_list("organiser", "month", "kind", "events")),
        sorted(
            AttendanceTally.objects.values_list("organiser", "month", "audience", "attendances")
        ),
        sorted(Participation.objects.values_list("organiser", "person", "audience", "years")),
    )
    tallies.rebuild()
    again = (
        sorted(EventTally.objects.values_list("organiser", "month", "kind", "events")),
        sorted(
            AttendanceTally.objects.values_list("organiser", "month", "audience", "attendances")
        ),
        sorted(Participation.objects.values_list("organiser", "person", "audience", "years")),
    )
    assert kept == again


def test_it_follows_an_event_moved_or_deleted(org):
    event = make_event(org.c1, days=("2021-03-01",))
    attend(event, ["Nguyễn Văn An"])
    event.start = event.end = _day("2021-05-01")
    event.save()
    assert tallies.differences() == []
    Attendance.objects.filter(session__event=event).delete()
    event.delete()
    assert tallies.differences() == []
    assert not Participation.objects.exists()


@pytest.mark.parametrize("seed", [1, 2])
def test_it_reads_the_same_figures_as_counted_from_the_register(org, seed):
    """GIVEN events of random kinds and days over 2019–2021 in D1's and D2's units, with
    people at random sessions in random groups WHEN the figures of spans whole and odd
    (a day, a month, a quarter, a year, across years, from mid-month to mid-month) are
    read THEN each is what counting the register gives, by group too."""
    rng = random.Random(seed)
    units = [org.d1, org.c1, org.c2, org.d2]
    names = [f"Người {n}" for n in range(12)]
    kinds = [*figures.EVENT_FIGURES["act_conferences"], "class", "club_session"]
    for n in range(14):
        first = _day("2019-01-01") + dt.timedelta(days=rng.randrange(1090))
        days = sorted({first + dt.timedelta(days=rng.randrange(40)) for _ in range(3)})
        organiser = rng.choice(units)
        event = make_event(
            organiser, kind=rng.choice(kinds), days=[d.isoformat() for d in days], title=f"HĐ {n}"
        )
        for session in range(len(days)):
            group = rng.choice(["", "dang_vien", "can_bo"])
            attend(event, rng.sample(names, rng.randint(1, 5)), session=session, group=group)
    assert tallies.differences() == []
    groups = ("dang_vien", "can_bo", "")
    spans = [
        ("2019-01-01", "2021-12-31"),
        ("2020-01-01", "2020-12-31"),
        ("2020-07-01", "2020-09-30"),
        ("2019-06-15", "2021-02-14"),
        ("2020-12-31", "2021-01-01"),
        ("2019-01-01", "2020-06-30"),
        ("2021-02-01", "2021-02-28"),
    ]
    for start, end in spans:
        for unit in (org.d1, org.c1, org.p1):
            subtree = [u for u, _ in queries.descendant_ids(unit.pk, _day(end))]
            expected = _counted(subtree, _day(start), _day(end), groups[:2])
            assert _read(unit, _day(start), _day(end), groups[:2]) == expected, (unit, start, end)


def test_it_counts_people_of_years_the_participations_do_not_hold(org):
    """GIVEN a person at a class of 31/12/1989 (before Participation's first year) and
    at one of 01/01/1990 WHEN the figures of 1989–1990 are read THEN one person, and the
    1989 attendance is in the figures of 1989 alone."""
    old = make_event(org.c1, days=("1989-12-31",))
    new = make_event(org.c1, days=("1990-01-01",))
    attend(old, ["Nguyễn Văn An"])
    attend(new, ["Nguyễn Văn An", "Lê Thị Bình"])
    assert tallies.differences() == []
    both = tallies.split(_day("1989-01-01"), _day("1990-12-31"))
    assert both.years == (1990, 1990) and both.year_edges == (
        (_day("1989-01-01"), _day("1989-12-31")),
    )

    def people(start, end):
        # C1 by id: the fixture's units begin later than 1989.
        found = figures.subtrees_figures(["act_participants"], {0: [org.c1.pk]}, start, end)
        return int(found[("act_participants", "", 0)])

    assert people(_day("1989-01-01"), _day("1990-12-31")) == 2
    assert people(_day("1989-01-01"), _day("1989-12-31")) == 1
    assert people(_day("1990-01-01"), _day("1990-12-31")) == 2
