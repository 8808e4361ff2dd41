"""Committee people past the retention period lose their names (decision 0065): the
daily ``trienkhai erase-expired-people`` erases them as the erase page does, and every
committee keeps its size and every meeting its count."""

import datetime as dt

from tests.committees.conftest import FOUNDED, seat
from tests.factories import SYSTEM
from trienkhai import cli
from trienkhai.committees import services
from trienkhai.committees.models import Attendance, Membership, Person

TODAY = dt.date(2031, 3, 1)


def test_it_erases_people_whose_seats_all_ended_long_ago(setting):
    """GIVEN a member whose only seat ended on 01/01/2021, one who moved from member to
    deputy and still sits, one whose second seat ended only in 2022, and a guest of a
    meeting of 2020 WHEN ten years are kept and the run is on 01/03/2031 THEN the first
    and the guest are erased (their seat and attendance stay, the position emptied), the
    others keep their names; with five more years kept nobody is."""
    committee = setting.committee
    gone = seat(committee, "Nguyễn Văn Cũ", valid_to=dt.date(2021, 1, 1), position="Trưởng phòng")
    moved = seat(committee, "Trần Thị Mới", valid_to=dt.date(2020, 5, 1))
    seat(committee, "Trần Thị Mới", role="deputy", since=dt.date(2020, 5, 1))
    later = seat(committee, "Lê Văn Sau", valid_to=dt.date(2020, 1, 1))
    seat(committee, "Lê Văn Sau", since=dt.date(2021, 1, 1), valid_to=dt.date(2022, 1, 1))
    services.hold_meeting(
        acting_user=SYSTEM,
        committee=committee,
        date=dt.date(2020, 8, 5),
        kind="interim_review",
        title="Hội nghị sơ kết 6 tháng",
        attendees=[gone.person_id],
        guests=[services.Guest("Phạm Khách Mời", "Phóng viên Báo Bắc Kạn")],
    )
    guest = Person.objects.get(name="Phạm Khách Mời")

    assert services.expired(TODAY, years=15) == []
    assert services.expired(TODAY, years=0) == []
    assert services.expired(TODAY, years=10) == sorted([gone.person_id, guest.pk])
    assert services.erase_expired(acting_user=SYSTEM, today=TODAY, years=10) == 2

    erased = Person.objects.get(pk=gone.person_id)
    assert (erased.name, erased.name_key, erased.erased is not None) == ("—", "", True)
    assert Membership.objects.get(pk=gone.pk).position == ""  # the seat stays, emptied
    assert Attendance.objects.filter(meeting__committee=committee).count() == 2
    assert Person.objects.get(pk=guest.pk).name == "—"
    assert Person.objects.get(pk=moved.person_id).name == "Trần Thị Mới"
    assert Person.objects.get(pk=later.person_id).name == "Lê Văn Sau"
    assert committee.members_on(dt.date(2020, 6, 1)).count() == 2  # its size that day
    # Erased people are not counted again.
    assert services.erase_expired(acting_user=SYSTEM, today=TODAY, years=10) == 0


def test_the_daily_run_erases_them_and_says_how_many(setting, settings, capsys):
    """GIVEN a member whose seat ended in 2020 and a head still sitting WHEN the daily
    command runs with five years kept THEN it prints that one committee person would
    be erased (dry run, nothing changed), then erases that one."""
    settings.COMMITTEE_RETENTION_YEARS = 5
    old = seat(setting.committee, "Đỗ Văn Xưa", since=FOUNDED, valid_to=dt.date(2020, 1, 1))
    head = seat(setting.committee, "Hà Thị Nay", role="head")

    assert cli.main(["erase-expired-people", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Sẽ xóa / would erase: 1 thành viên ban chỉ đạo / committee people (5 năm" in out
    assert Person.objects.get(pk=old.person_id).name == "Đỗ Văn Xưa"

    assert cli.main(["erase-expired-people"]) == 0
    out = capsys.readouterr().out
    assert "Đã xóa / erased: 1 thành viên ban chỉ đạo / committee people (5 năm" in out
    assert Person.objects.get(pk=old.person_id).name == "—"
    assert Person.objects.get(pk=head.person_id).name == "Hà Thị Nay"
