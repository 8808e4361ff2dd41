import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.committees.conftest import FOUNDED, issued, seat
from tests.factories import SYSTEM
from trienkhai.committees import services
from trienkhai.committees.models import Attendance, Membership, Person
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents.models import AssignedUnit


def names_on(committee, day):
    return [(s.person.name, s.role, s.position) for s in committee.members_on(day)]


def test_it_shows_the_committee_of_each_day(setting):
    """GIVEN a head, a deputy who later becomes head, and a member who leaves
    WHEN the committee is read on three days THEN each day shows who sat then."""
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head", position="Phó Bí thư Thường trực Huyện ủy")
    deputy = seat(c, "Hà Thị Lan", "deputy", position="Trưởng Ban Tuyên giáo Huyện ủy")
    member = seat(c, "Ma Văn Dũng", unit=setting.cell, position="Trưởng Công an huyện")
    seat(c, "Lục Thị Hoa", "secretariat", position="Chuyên viên Ban Tuyên giáo")
    services.end_membership(acting_user=SYSTEM, membership=head, on=dt.date(2021, 1, 1))
    services.change_seat(
        acting_user=SYSTEM,
        membership=deputy,
        on=dt.date(2021, 1, 1),
        role="head",
        position="Phó Bí thư Huyện ủy",
    )
    services.end_membership(acting_user=SYSTEM, membership=member, on=dt.date(2020, 6, 1))

    assert names_on(c, FOUNDED) == [
        ("Nguyễn Văn Hùng", "head", "Phó Bí thư Thường trực Huyện ủy"),
        ("Hà Thị Lan", "deputy", "Trưởng Ban Tuyên giáo Huyện ủy"),
        ("Ma Văn Dũng", "member", "Trưởng Công an huyện"),
        ("Lục Thị Hoa", "secretariat", "Chuyên viên Ban Tuyên giáo"),
    ]
    assert names_on(c, dt.date(2020, 12, 31)) == [
        ("Nguyễn Văn Hùng", "head", "Phó Bí thư Thường trực Huyện ủy"),
        ("Hà Thị Lan", "deputy", "Trưởng Ban Tuyên giáo Huyện ủy"),
        ("Lục Thị Hoa", "secretariat", "Chuyên viên Ban Tuyên giáo"),
    ]
    assert names_on(c, dt.date(2021, 1, 1)) == [
        ("Hà Thị Lan", "head", "Phó Bí thư Huyện ủy"),
        ("Lục Thị Hoa", "secretariat", "Chuyên viên Ban Tuyên giáo"),
    ]
    assert names_on(c, dt.date(2019, 8, 27)) == []
    assert Person.objects.filter(committee=c).count() == 4  # a new role keeps the person
    assert Membership.objects.filter(person__committee=c).count() == 5  # nothing lost


def test_it_refuses_a_second_head_and_a_seat_twice(setting):
    c = setting.committee
    seat(c, "Nguyễn Văn Hùng", "head")
    with pytest.raises(Conflict) as second_head:
        seat(c, "Hà Thị Lan", "head", since=dt.date(2020, 1, 1))
    assert second_head.value.code == "one_head"
    with pytest.raises(Conflict) as twice:
        seat(c, "nguyen van hung", "member", since=dt.date(2020, 1, 1))  # folded: the same
    assert twice.value.code == "overlapping_seat"
    assert Membership.objects.count() == 1


def test_it_refuses_days_outside_the_committee(setting):
    with pytest.raises(BadInput):
        seat(setting.committee, "Hà Thị Lan", since=dt.date(2019, 8, 27))
    with pytest.raises(BadInput):
        seat(setting.committee, "Hà Thị Lan", since=FOUNDED, valid_to=FOUNDED)
    assert not Membership.objects.exists()


def test_it_ends_the_committee_and_its_open_seats(setting):
    c = setting.committee
    open_seat = seat(c, "Nguyễn Văn Hùng", "head")
    services.end_committee(acting_user=SYSTEM, committee=c, on=dt.date(2025, 7, 1))
    open_seat.refresh_from_db()
    assert open_seat.valid_to == dt.date(2025, 7, 1)
    with pytest.raises(BadInput):
        seat(c, "Hà Thị Lan", since=dt.date(2025, 7, 1))


def test_it_refuses_a_decision_of_another_register(setting):
    other = issued(setting.board, "QĐ", FOUNDED, "Quyết định của Ban")
    with pytest.raises(BadInput) as refused:
        services.create_committee(
            acting_user=SYSTEM,
            unit=setting.hu,
            name="BCĐ",
            valid_from=FOUNDED,
            founding_decision=other,
        )
    assert refused.value.code == "invalid_document"


def test_it_records_a_meeting_with_members_of_that_day_and_guests(setting):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head")
    left = seat(c, "Ma Văn Dũng", valid_to=dt.date(2020, 1, 1))
    day = dt.date(2021, 8, 5)
    with pytest.raises(BadInput) as not_member:
        services.hold_meeting(
            acting_user=SYSTEM,
            committee=c,
            date=day,
            kind="interim_review",
            title="Sơ kết 6 tháng",
            attendees=[head.person_id, left.person_id],
        )
    assert not_member.value.code == "not_a_member"
    meeting = services.hold_meeting(
        acting_user=SYSTEM,
        committee=c,
        date=day,
        kind="interim_review",
        title="Sơ kết 6 tháng đầu năm 2021",
        agenda="Báo cáo kết quả 6 tháng\nNhiệm vụ 6 tháng cuối năm",
        attendees=[head.person_id],
        chair=head.person_id,
        guests=[services.Guest("Ma Văn Dũng", "Nguyên thành viên")],
    )
    rows = list(meeting.attendances.order_by("is_invited"))
    assert [(r.person.name, r.is_chair, r.is_invited) for r in rows] == [
        ("Nguyễn Văn Hùng", True, False),
        ("Ma Văn Dũng", False, True),
    ]
    assert meeting.agenda_items == ["Báo cáo kết quả 6 tháng", "Nhiệm vụ 6 tháng cuối năm"]


def test_a_conclusion_becomes_a_task_of_the_directives(setting):
    c = setting.committee
    meeting = services.hold_meeting(
        acting_user=SYSTEM, committee=c, date=dt.date(2021, 8, 5), kind="regular", title="Họp"
    )
    notice = issued(setting.hu, "TB", dt.date(2021, 8, 6), "Thông báo kết luận hội nghị")
    conclusion = services.conclude(
        acting_user=SYSTEM,
        meeting=meeting,
        document=notice,
        task="Xây dựng kế hoạch tuyên truyền phòng, chống dịch Covid-19",
        due=dt.date(2021, 8, 31),
        expects="KH",
        units=["BTGT", "CBA"],
    )
    assignment = conclusion.assignment
    assert assignment.document == notice and assignment.unit == setting.hu
    assert assignment.task.startswith("Xây dựng kế hoạch")
    assert sorted(
        AssignedUnit.objects.filter(assignment=assignment).values_list("unit__code", flat=True)
    ) == ["BTGT", "CBA"]


def test_a_conclusion_takes_a_document_of_the_committees_unit(setting):
    meeting = services.hold_meeting(
        acting_user=SYSTEM,
        committee=setting.committee,
        date=dt.date(2021, 8, 5),
        kind="regular",
        title="Họp",
    )
    board_notice = issued(setting.board, "TB", dt.date(2021, 8, 6), "Thông báo của Ban")
    with pytest.raises(BadInput) as refused:
        services.conclude(
            acting_user=SYSTEM,
            meeting=meeting,
            document=board_notice,
            task="Việc",
            due=dt.date(2021, 8, 31),
            expects="KH",
            units=["CBA"],
        )
    assert refused.value.code == "invalid_document"
    assert not AssignedUnit.objects.exists()


def test_erasing_a_person_keeps_the_seats_and_attendances(setting):
    c = setting.committee
    member = seat(c, "Ma Văn Dũng", position="Trưởng Công an huyện", unit=setting.cell)
    services.hold_meeting(
        acting_user=SYSTEM,
        committee=c,
        date=dt.date(2021, 8, 5),
        kind="regular",
        title="Họp",
        attendees=[member.person_id],
    )
    person = services.erase_person(acting_user=SYSTEM, person=member.person)
    assert (person.name, person.unit, person.name_key) == ("—", None, "")
    assert names_on(c, FOUNDED) == [("—", "member", "")]
    assert Attendance.objects.filter(person=person).count() == 1
    with pytest.raises(Conflict):
        services.erase_person(acting_user=SYSTEM, person=person)
    again = seat(c, "Ma Văn Dũng", since=dt.date(2022, 1, 1))  # never matched again
    assert again.person_id != person.pk


def test_only_managers_of_the_unit_write(setting, personas):
    c = setting.committee
    for user in (personas.viewer, personas.reporter, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.add_member(
                acting_user=user,
                committee=c,
                name="Hà Thị Lan",
                role="member",
                valid_from=FOUNDED,
            )
    services.add_member(
        acting_user=personas.manager,
        committee=c,
        name="Hà Thị Lan",
        role="member",
        valid_from=FOUNDED,
    )
    assert Membership.objects.count() == 1


def test_a_successor_reads_but_does_not_change(org, setting):
    """GIVEN the district committee merged into a new one on 01/07/2025 (the reform)
    WHEN a manager of the successor writes THEN refused; the old unit's manager may."""
    from trienkhai.accounts import policy
    from trienkhai.orgs import services as orgs

    c = setting.committee
    services.end_committee(acting_user=SYSTEM, committee=c, on=dt.date(2025, 7, 1))
    successor = f.make_unit(
        "TUN", kind_code="party_committee", parent=org.p1, valid_from=dt.date(2025, 7, 1)
    )
    for child in (setting.board, setting.cell):
        orgs.merge_units(
            acting_user=SYSTEM, predecessors=[child], into=successor, on=dt.date(2025, 7, 1)
        )
    orgs.merge_units(
        acting_user=SYSTEM, predecessors=[setting.hu], into=successor, on=dt.date(2025, 7, 1)
    )
    heir = f.make_user("heir", unit=successor, role="manager")
    setting.hu.refresh_from_db()
    assert policy.can(heir, policy.Action.VIEW, setting.hu)
    with pytest.raises(PermissionDenied):
        services.add_member(
            acting_user=heir,
            committee=c,
            name="Hà Thị Lan",
            role="member",
            valid_from=FOUNDED,
            valid_to=dt.date(2020, 1, 1),
        )
