import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import people, services
from trienkhai.activities.models import Attendance, Event, Person
from trienkhai.activities.services import AttendanceRow
from trienkhai.common.errors import BadInput


def test_it_creates_an_event_with_its_sessions(org, personas):
    event = services.create_event(
        acting_user=personas.manager,
        organiser=org.c1,
        kind="online_conference",
        title="Hội nghị trực tuyến quán triệt Nghị quyết",
        start=dt.date(2021, 5, 3),
        end=dt.date(2021, 5, 4),
        session_dates=[dt.date(2021, 5, 4), dt.date(2021, 5, 3)],
        audience=["dang_vien", "can_bo"],
    )
    assert [s.date.day for s in event.sessions.all()] == [3, 4]
    assert event.created_by == personas.manager
    assert event.history.count() == 1


@pytest.mark.parametrize("who", ["outsider", "viewer", "reporter"])
def test_it_refuses_an_event_to_whoever_may_not_change_the_organiser(org, personas, who):
    with pytest.raises(PermissionDenied):
        services.create_event(
            acting_user=getattr(personas, who),
            organiser=org.d1,
            kind="class",
            title="Lớp",
            start=dt.date(2021, 1, 4),
            end=dt.date(2021, 1, 4),
        )
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "party"}, "invalid_kind"),
        ({"title": "  "}, "missing_title"),
        ({"end": dt.date(2020, 12, 31)}, "invalid_dates"),
        ({"session_dates": [dt.date(2021, 2, 1)]}, "session_outside_event"),
        ({"audience": ["khach"]}, "invalid_audience"),
    ],
)
def test_it_refuses_a_bad_event(org, change, code):
    fields = {
        "organiser": org.d1,
        "kind": "class",
        "title": "Lớp",
        "start": dt.date(2021, 1, 4),
        "end": dt.date(2021, 1, 8),
    } | change
    with pytest.raises(BadInput) as refused:
        services.create_event(acting_user=SYSTEM, **fields)
    assert refused.value.code == code
    assert " / " in refused.value.message
    assert not Event.objects.exists()


def test_it_knows_a_person_again_by_name_and_unit_or_by_id(org):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    assert attend(event, ["Nguyễn Văn An", "Lê Thị Bình"], unit=org.c1) == 2
    # Another spelling of the same name (spaces, case), then by id.
    assert attend(event, ["  nguyễn  văn AN "], session=1, unit=org.c1) == 1
    an = Person.objects.get(name="Nguyễn Văn An")
    second = list(event.sessions.all())[1]
    rows = [AttendanceRow(session=str(second.pk), person=str(an.pk))]
    assert services.record_attendance(acting_user=SYSTEM, event=event, rows=rows) == 0
    assert Person.objects.count() == 2
    assert Attendance.objects.filter(person=an).count() == 2


def test_it_counts_a_list_sent_twice_once(org):
    event = make_event(org.d1)
    assert attend(event, ["A", "B", "C"]) == 3
    assert attend(event, ["A", "B", "C", "D"]) == 1
    assert Attendance.objects.count() == 4


def test_it_refuses_a_bad_list_row_by_row_and_saves_nothing(org):
    event = make_event(org.d1, days=("2021-03-01",))
    other = make_event(org.d1, days=("2021-04-01",))
    session = str(event.sessions.get().pk)
    rows = [
        AttendanceRow(session=session, name="Nguyễn Văn An", unit="C1"),  # fine
        AttendanceRow(session=session, name="Trần Văn Cường", unit="ZZ"),  # unknown unit
        AttendanceRow(session=session, name="nguyễn văn an", unit="C1"),  # row 1 again
        AttendanceRow(session=str(other.sessions.get().pk), name="Lê Bình", unit="C1"),
        AttendanceRow(session="2021-03-01", name="", unit="C2"),  # by date; no name
        AttendanceRow(session=session, name="Phạm Dung", unit="C2", audience="khach"),
        AttendanceRow(session=session, person="999999"),
    ]
    with pytest.raises(BadInput) as refused:
        services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)
    assert refused.value.code == "invalid_rows"
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (2, "unit"),
        (3, "name"),
        (4, "session"),
        (5, "name"),
        (6, "audience"),
        (7, "person"),
    ]
    assert all(" / " in d["problem"] for d in refused.value.details)
    assert not Attendance.objects.exists()
    assert not Person.objects.exists()


def test_it_refuses_a_list_to_whoever_may_not_change_the_organiser(org, personas):
    event = make_event(org.d1)
    rows = [AttendanceRow(session=str(event.sessions.get().pk), name="A", unit="D1")]
    for who in (personas.outsider, personas.reporter):
        with pytest.raises(PermissionDenied):
            services.record_attendance(acting_user=who, event=event, rows=rows)
    assert services.record_attendance(acting_user=personas.manager, event=event, rows=rows) == 1


def test_it_refuses_people_of_units_the_user_does_not_manage(org, personas):
    """GIVEN a class of Vĩnh Thuận (D1) and people of Cầu Kè (D2) already known
    WHEN D1's manager sends a list naming D2 by code, by name, or a D2 person by id (one
    of them erased) THEN each such row is refused, nothing is saved, and nothing is said
    of the D2 person beyond "not yours"; a role that only views D2 does not change that;
    whoever manages both records the same list."""
    from trienkhai.accounts.services import grant_role

    theirs = make_event(org.d2)
    attend(theirs, ["Trần Văn Cường", "Lê Thị Dung"])
    dung, cuong = Person.objects.order_by("name")  # Lê before Trần
    people.erase(acting_user=SYSTEM, person=dung)
    event = make_event(org.d1)
    session = str(event.sessions.get().pk)
    rows = [
        AttendanceRow(session=session, name="Nguyễn Văn An", unit="C1"),
        AttendanceRow(session=session, name="Phạm Văn Em", unit="D2"),
        AttendanceRow(session=session, name="Võ Thị Giang", unit="huyen cau ke"),
        AttendanceRow(session=session, person=str(cuong.pk)),
        AttendanceRow(session=session, person=str(dung.pk)),
    ]
    grant_role(acting_user=SYSTEM, user=personas.manager, unit=org.d2, role="viewer")
    with pytest.raises(BadInput) as refused:
        services.record_attendance(acting_user=personas.manager, event=event, rows=rows)
    details = refused.value.details
    assert [(d["row"], d["column"]) for d in details] == [
        (2, "unit"),
        (3, "unit"),
        (4, "person"),
        (5, "person"),
    ]
    assert details[0]["problem"] == (
        "Đơn vị D2 ngoài phạm vi bạn quản lý: không ghi được người của đơn vị này / "
        "D2 is outside what you manage: you may not record its people"
    )
    assert "ngoài phạm vi" in details[3]["problem"] and "erased" not in details[3]["problem"]
    assert Attendance.objects.filter(session__event=event).count() == 0
    assert Person.objects.count() == 2

    assert services.record_attendance(acting_user=personas.admin, event=event, rows=rows[:4]) == 4
    assert set(Person.objects.filter(unit=org.d2).values_list("name", flat=True)) == {
        "Trần Văn Cường",
        "—",
        "Phạm Văn Em",
        "Võ Thị Giang",
    }


def test_a_commune_records_its_own_people_and_not_its_neighbours(org):
    """GIVEN a class of C1 WHEN C1's manager names C1 and C2 (its neighbour) people THEN
    the C2 row is refused: the district's manager, who manages both, records it."""
    from tests.factories import make_user

    commune = make_user("c1-manager", unit=org.c1, role="manager")
    district = make_user("d1-manager", unit=org.d1, role="manager")
    event = make_event(org.c1)
    session = str(event.sessions.get().pk)
    rows = [
        AttendanceRow(session=session, name="Nguyễn Văn An", unit="C1"),
        AttendanceRow(session=session, name="Lê Thị Bình", unit="Xã Vĩnh Bình Bắc"),
    ]
    with pytest.raises(BadInput) as refused:
        services.record_attendance(acting_user=commune, event=event, rows=rows)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(2, "unit")]
    assert services.record_attendance(acting_user=commune, event=event, rows=rows[:1]) == 1
    assert services.record_attendance(acting_user=district, event=event, rows=rows) == 1


def test_it_refuses_names_too_long_and_ids_too_large_row_by_row(org):
    event = make_event(org.d1)
    session = str(event.sessions.get().pk)
    rows = [
        AttendanceRow(session=session, name="A" * 201, unit="C1"),
        AttendanceRow(session=session, name="B", unit="C1", position="x" * 201),
        AttendanceRow(session=session, person="9" * 40),
    ]
    with pytest.raises(BadInput) as refused:
        services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (1, "name"),
        (2, "position"),
        (3, "person"),
    ]
    assert not Attendance.objects.exists()


def test_it_reads_a_unit_by_its_name_as_offices_write_it(org):
    """GIVEN "Xã Vĩnh Bình Bắc" in Vĩnh Thuận and another one in Cầu Kè (Trà Vinh)
    WHEN a list of Thị trấn Vĩnh Thuận's class names units in words, without accents
    THEN the name means the unit of the organiser's district; a name the district does
    not settle is refused with its choices by name and code."""
    from tests import factories as f

    f.make_unit("C9", name="Xã Vĩnh Bình Bắc", parent=org.d2, valid_from=dt.date(2008, 8, 1))
    event = make_event(org.c1, days=("2021-03-01",))
    session = str(event.sessions.get().pk)
    rows = [
        AttendanceRow(session=session, name="Nguyễn Văn An", unit="xa vinh binh bac"),
        AttendanceRow(session=session, name="Lê Thị Bình", unit="Thị trấn Vĩnh Thuận"),
    ]
    assert services.record_attendance(acting_user=SYSTEM, event=event, rows=rows) == 2
    units = dict(Person.objects.values_list("name", "unit__code"))
    assert units == {"Nguyễn Văn An": "C2", "Lê Thị Bình": "C1"}

    f.make_unit("C8", name="Xã Vĩnh Bình Bắc", parent=org.d1, valid_from=dt.date(2008, 8, 1))
    rows = [AttendanceRow(session=session, name="Trần Văn Cường", unit="Xã Vĩnh Bình Bắc")]
    with pytest.raises(BadInput) as refused:
        services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)
    [problem] = refused.value.details
    assert problem["column"] == "unit"
    assert "Có 2 đơn vị tên “Xã Vĩnh Bình Bắc”" in problem["problem"]
    assert "(C2)" in problem["problem"] and "(C8)" in problem["problem"]
    assert "(C9)" not in problem["problem"]
    assert Person.objects.count() == 2


def test_an_erased_person_is_not_attended_again_by_id(org):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An"], unit=org.c1)
    an = Person.objects.get(name="Nguyễn Văn An")
    people.erase(acting_user=SYSTEM, person=an)
    second = str(list(event.sessions.all())[1].pk)
    with pytest.raises(BadInput) as refused:
        services.record_attendance(
            acting_user=SYSTEM, event=event, rows=[AttendanceRow(session=second, person=str(an.pk))]
        )
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(1, "person")]
    assert Attendance.objects.filter(person=an).count() == 1


def test_the_attendance_list_is_in_the_order_of_the_given_names(org):
    """Hà before Hoàng, Lưu before Lý: as a Vietnamese list is read, not byte by byte."""
    from trienkhai.activities import lists

    event = make_event(org.d1)
    attend(event, ["Lê Văn Hoàng", "Trần Thị Hà", "Đỗ Văn Lý", "Nguyễn Thị Lưu"], unit=org.c1)
    assert [p.name for p in lists.attendance(event)] == [
        "Trần Thị Hà",
        "Lê Văn Hoàng",
        "Nguyễn Thị Lưu",
        "Đỗ Văn Lý",
    ]
