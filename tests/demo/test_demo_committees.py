"""The demo's steering committees (decision 0058): Chợ Đồn's BCĐ 35 from 28/8/2019
(shared/seeds/003) and Hoằng Hóa's six-month review of 05/08/2021 (shared/seeds/004)."""

import datetime as dt

from trienkhai.accounts.models import User
from trienkhai.committees.models import Committee, Meeting
from trienkhai.orgs.models import Unit


def roles_on(committee, day):
    return [s.role for s in committee.members_on(day)]


def test_chodon_set_up_its_committee_on_28_8_2019(demo, db):
    committee = Committee.objects.get(unit__code="HU-CD")  # once, after two loads
    assert committee.valid_from == dt.date(2019, 8, 28)
    assert committee.founding_decision.symbol == "215-QĐ/HU"
    assert committee.valid_to == dt.date(2025, 7, 1)  # the district level ended
    first = roles_on(committee, dt.date(2019, 8, 28))
    assert (first.count("head"), first.count("deputy")) == (1, 3)
    assert (first.count("member"), first.count("secretariat")) == (6, 3)
    heads = [
        s.person.name
        for day in (dt.date(2020, 9, 30), dt.date(2020, 10, 1))
        for s in committee.members_on(day)
        if s.role == "head"
    ]
    assert heads == ["Hoàng Văn Thắng", "Nông Thị Duyên"]
    assert list(committee.members_on(dt.date(2025, 7, 1))) == []


def test_hoang_hoa_held_its_six_month_review_on_5_8_2021(demo, db):
    meeting = Meeting.objects.get(committee__unit__code="HU-HH")
    assert (meeting.date, meeting.kind) == (dt.date(2021, 8, 5), "interim_review")
    chair = meeting.attendances.get(is_chair=True)
    seat = chair.person.memberships.get()
    assert seat.role == "deputy" and "Trưởng Ban Tuyên giáo" in seat.position
    assert meeting.attendances.count() == 8 and not meeting.attendances.filter(is_invited=True)
    tasks = [c.assignment for c in meeting.conclusions.all()]
    assert [t.due for t in tasks] == [dt.date(2021, 8, 31), dt.date(2021, 12, 15)]
    assert {row.unit.code for t in tasks for row in t.rows.all()} == {"BTGHU-HH"}
    assert {t.document_id for t in tasks} == {meeting.minutes_id}
    assert Unit.objects.get(code="HU-HH").valid_to == dt.date(2025, 7, 1)


def test_the_chodon_manager_reads_the_committee_page(demo, client):
    committee = Committee.objects.get(unit__code="HU-CD")
    client.force_login(User.objects.get(username="ql.chodon"))
    page = client.get(f"/ban-chi-dao/{committee.pk}/?ngay=28/08/2019")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hoàng Văn Thắng" in text and "Tổ giúp việc" in text
    assert client.get("/ban-chi-dao/?don-vi=HU-CD").status_code == 200
