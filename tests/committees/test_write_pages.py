"""The committees' write pages (decision 0063): found, seat, change, end, meet, conclude,
erase; managers of the committee's unit only, 400 with nothing saved on a bad form."""

import datetime as dt

from tests.committees.conftest import FOUNDED, issued, seat
from tests.factories import SYSTEM
from trienkhai.committees import services
from trienkhai.committees.models import Committee, Conclusion, Meeting, Membership, Person

HUT = "Huyện ủy Chợ Đồn (HUT)"


def test_it_founds_a_committee_from_its_decision_in_the_register(setting, personas, web):
    client = web(personas.manager)
    form = client.get("/ban-chi-dao/moi/?don-vi=HUT")
    assert form.status_code == 200
    text = form.content.decode()
    assert "Thành lập ban chỉ đạo" in text and "Huyện ủy Chợ Đồn" in text
    assert f'<option value="{setting.decision.symbol}">' in text  # the register's QĐ offered
    answer = client.post(
        "/ban-chi-dao/moi/?don-vi=HUT",
        {
            "unit": HUT,
            "name": "Ban Chỉ đạo 35 (kiện toàn)",
            "decision": setting.decision.symbol,
            "founded": "01/09/2019",
        },
    )
    created = Committee.objects.get(name="Ban Chỉ đạo 35 (kiện toàn)")
    assert answer.status_code == 302 and answer["Location"] == f"/ban-chi-dao/{created.pk}/"
    assert (created.unit, created.founding_decision) == (setting.hu, setting.decision)
    assert created.valid_from == dt.date(2019, 9, 1)
    listed = web(personas.viewer).get("/ban-chi-dao/?don-vi=HUT").content.decode()
    assert "Ban Chỉ đạo 35 (kiện toàn)" in listed and 'id="create-committee"' not in listed
    assert 'id="create-committee"' in client.get("/ban-chi-dao/?don-vi=HUT").content.decode()


def test_a_bad_founding_form_saves_nothing_and_says_why_beside_the_field(setting, personas, web):
    client = web(personas.manager)
    before = Committee.objects.count()
    unknown = client.post(
        "/ban-chi-dao/moi/",
        {"unit": HUT, "name": "BCĐ", "decision": "999-QĐ/HU", "founded": "01/09/2019"},
    )
    assert unknown.status_code == 400
    text = unknown.content.decode()
    assert 'id="id_decision_error"' in text and "999-QĐ/HU" in text
    assert "trong sổ văn bản của Huyện ủy Chợ Đồn" in text
    notice = issued(setting.hu, "TB", FOUNDED, "Thông báo")  # not a decision
    not_qd = client.post(
        "/ban-chi-dao/moi/",
        {"unit": HUT, "name": "BCĐ", "decision": notice.symbol, "founded": "01/09/2019"},
    )
    assert not_qd.status_code == 400 and 'id="id_decision_error"' in not_qd.content.decode()
    early = client.post(
        "/ban-chi-dao/moi/",
        {"unit": HUT, "name": "BCĐ", "decision": setting.decision.symbol, "founded": "01/08/2019"},
    )
    assert early.status_code == 400 and 'id="id_founded_error"' in early.content.decode()
    bad_day = client.post(
        "/ban-chi-dao/moi/", {"unit": HUT, "name": "BCĐ", "founded": "31/02/2020"}
    )
    assert bad_day.status_code == 400 and "dd/mm/yyyy" in bad_day.content.decode()
    outside = client.post(
        "/ban-chi-dao/moi/", {"unit": "D2", "name": "BCĐ", "founded": "01/09/2019"}
    )
    assert outside.status_code == 400 and 'id="id_unit_error"' in outside.content.decode()
    assert Committee.objects.count() == before


def test_only_managers_of_the_unit_see_and_use_the_forms(setting, personas, web):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head")
    for who in (personas.viewer, personas.reporter):
        page = web(who).get(f"/ban-chi-dao/{c.pk}/").content.decode()
        assert "/thanh-vien/moi/" not in page and "/hop/moi/" not in page and "/xoa/" not in page
        assert web(who).get("/ban-chi-dao/moi/").status_code == 403
    managed = web(personas.manager).get(f"/ban-chi-dao/{c.pk}/").content.decode()
    for link in (
        f"/ban-chi-dao/{c.pk}/thanh-vien/moi/",
        f"/ban-chi-dao/{c.pk}/hop/moi/",
        f"/ban-chi-dao/{c.pk}/ket-thuc/",
        f"/ban-chi-dao/{c.pk}/thanh-vien/{head.pk}/thay-doi/",
        f"/ban-chi-dao/{c.pk}/thanh-vien/{head.pk}/thoi/",
        f"/ban-chi-dao/{c.pk}/nguoi/{head.person_id}/xoa/",
    ):
        assert link in managed
    body = {"name": "Hà Thị Lan", "role": "member", "valid_from": "01/09/2019"}
    for who in (personas.viewer, personas.reporter, personas.outsider):
        client = web(who)
        assert client.post(f"/ban-chi-dao/{c.pk}/thanh-vien/moi/", body).status_code == 403
        assert (
            client.post(f"/ban-chi-dao/{c.pk}/ket-thuc/", {"on": "01/01/2021"}).status_code == 403
        )
        assert client.post(f"/ban-chi-dao/{c.pk}/nguoi/{head.person_id}/xoa/").status_code == 403
    assert web(None).get(f"/ban-chi-dao/{c.pk}/thanh-vien/moi/").status_code == 302
    assert web(personas.manager).put(f"/ban-chi-dao/{c.pk}/thanh-vien/moi/").status_code == 405
    assert Membership.objects.count() == 1 and c.valid_to is None
    assert Person.objects.get(pk=head.person_id).erased is None


def test_a_manager_seats_changes_and_ends_members(setting, personas, web):
    c = setting.committee
    client = web(personas.manager)
    form = client.get(f"/ban-chi-dao/{c.pk}/thanh-vien/moi/").content.decode()
    assert "Tổ giúp việc" in form and "Phó Trưởng ban" in form and 'value="member"' in form
    added = client.post(
        f"/ban-chi-dao/{c.pk}/thanh-vien/moi/",
        {
            "name": "Hà Thị Lan",
            "unit": "Ban Tuyên giáo Huyện ủy (BTGT)",
            "position": "Trưởng Ban Tuyên giáo Huyện ủy",
            "role": "deputy",
            "valid_from": "28/08/2019",
        },
    )
    assert added.status_code == 302, added.content.decode()
    lan = Membership.objects.get(person__name="Hà Thị Lan")
    assert (lan.role, lan.person.unit, lan.valid_from) == ("deputy", setting.board, FOUNDED)
    seat(c, "Nguyễn Văn Hùng", "head")
    second_head = client.post(
        f"/ban-chi-dao/{c.pk}/thanh-vien/moi/",
        {"name": "Lục Văn Sơn", "role": "head", "valid_from": "01/09/2019"},
    )
    assert second_head.status_code == 400
    assert 'id="id_role_error"' in second_head.content.decode()
    assert not Person.objects.filter(name="Lục Văn Sơn").exists()
    changed = client.post(
        f"/ban-chi-dao/{c.pk}/thanh-vien/{lan.pk}/thay-doi/",
        {"on": "01/03/2020", "role": "member", "position": "Phó Bí thư Huyện ủy"},
    )
    assert changed.status_code == 302
    now = Membership.objects.get(person=lan.person, valid_to__isnull=True)
    assert (now.role, now.position, now.valid_from) == (
        "member",
        "Phó Bí thư Huyện ủy",
        dt.date(2020, 3, 1),
    )
    before = client.post(f"/ban-chi-dao/{c.pk}/thanh-vien/{now.pk}/thoi/", {"on": "01/02/2020"})
    assert before.status_code == 400 and 'id="id_on_error"' in before.content.decode()
    ended = client.post(f"/ban-chi-dao/{c.pk}/thanh-vien/{now.pk}/thoi/", {"on": "01/06/2021"})
    assert ended.status_code == 302
    now.refresh_from_db()
    assert now.valid_to == dt.date(2021, 6, 1)
    other = services.create_committee(
        acting_user=SYSTEM, unit=setting.hu, name="BCĐ khác", valid_from=FOUNDED
    )
    assert client.get(f"/ban-chi-dao/{other.pk}/thanh-vien/{now.pk}/thoi/").status_code == 404
    closed = client.post(f"/ban-chi-dao/{c.pk}/ket-thuc/", {"on": "01/01/2022"})
    assert closed.status_code == 302
    c.refresh_from_db()
    assert c.valid_to == dt.date(2022, 1, 1)
    assert Membership.objects.get(person__name="Nguyễn Văn Hùng").valid_to == dt.date(2022, 1, 1)
    again = client.post(f"/ban-chi-dao/{c.pk}/ket-thuc/", {"on": "01/02/2022"})
    assert again.status_code == 400 and "đã kết thúc" in again.content.decode()


def test_a_manager_records_a_meeting_its_minutes_and_a_conclusion(setting, personas, web):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head")
    late = seat(c, "Lục Thị Hoa", "member", since=dt.date(2022, 1, 1))
    client = web(personas.manager)
    form = client.get(f"/ban-chi-dao/{c.pk}/hop/moi/").content.decode()
    assert "Nguyễn Văn Hùng" in form and "Hội nghị sơ kết" in form
    body = {
        "date": "05/08/2021",
        "kind": "interim_review",
        "title": "Sơ kết 6 tháng đầu năm 2021",
        "agenda": "Báo cáo kết quả\nPhương hướng",
        "attendees": [str(head.person_id), str(late.person_id)],
        "chair": str(head.person_id),
        "guests": "Hoàng Thị Mai, Bí thư Chi bộ Công an huyện",
    }
    unseated = client.post(f"/ban-chi-dao/{c.pk}/hop/moi/", body)
    assert unseated.status_code == 400 and 'id="id_attendees_error"' in unseated.content.decode()
    assert not Meeting.objects.exists()
    body["attendees"] = [str(head.person_id)]
    held = client.post(f"/ban-chi-dao/{c.pk}/hop/moi/", body)
    assert held.status_code == 302, held.content.decode()
    meeting = Meeting.objects.get()
    assert held["Location"] == f"/ban-chi-dao/{c.pk}/#meeting-{meeting.pk}"
    assert meeting.agenda_items == ["Báo cáo kết quả", "Phương hướng"]
    guests = [(a.person.name, a.is_invited, a.position) for a in meeting.attendances.all()]
    assert ("Hoàng Thị Mai", True, "Bí thư Chi bộ Công an huyện") in guests
    minutes = issued(setting.hu, "BB", dt.date(2021, 8, 6), "Biên bản hội nghị sơ kết")
    offered = client.get(f"/ban-chi-dao/{c.pk}/hop/{meeting.pk}/bien-ban/").content.decode()
    assert f'<option value="{minutes.symbol}">06/08/2021' in offered
    set_ = client.post(
        f"/ban-chi-dao/{c.pk}/hop/{meeting.pk}/bien-ban/", {"minutes": minutes.symbol}
    )
    assert set_.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == minutes
    no_task = client.post(
        f"/ban-chi-dao/{c.pk}/hop/{meeting.pk}/ket-luan/",
        {"task": "", "unit": "CBA", "due": "30/09/2021", "expects": "BC"},
    )
    assert no_task.status_code == 400 and not Conclusion.objects.exists()
    concluded = client.post(
        f"/ban-chi-dao/{c.pk}/hop/{meeting.pk}/ket-luan/",
        {
            "task": "Báo cáo kết quả đấu tranh phản bác quan điểm sai trái",
            "unit": "Chi bộ Công an huyện (CBA)",
            "due": "30/09/2021",
            "expects": "BC",
        },
    )
    assert concluded.status_code == 302, concluded.content.decode()
    conclusion = Conclusion.objects.get()
    assert conclusion.assignment.document == minutes
    assert [r.unit.code for r in conclusion.assignment.rows.all()] == ["CBA"]
    page = web(personas.viewer).get(f"/ban-chi-dao/{c.pk}/?ngay=05/08/2021").content.decode()
    assert "đấu tranh phản bác" in page and minutes.symbol in page


def test_erasing_a_person_asks_first_and_keeps_the_seats(setting, personas, web):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head", position="Phó Bí thư Thường trực Huyện ủy")
    client = web(personas.manager)
    url = f"/ban-chi-dao/{c.pk}/nguoi/{head.person_id}/xoa/"
    asked = client.get(url).content.decode()
    assert "Xóa dữ liệu cá nhân của Nguyễn Văn Hùng?" in asked and "Còn giữ 1 lần" in asked
    assert Person.objects.get(pk=head.person_id).erased is None
    assert client.post(url).status_code == 302
    person = Person.objects.get(pk=head.person_id)
    assert person.name == "—" and person.erased is not None
    assert Membership.objects.get(pk=head.pk).position == ""
    assert client.post(url).status_code == 409


def test_the_write_pages_in_english(setting, personas, web):
    client = web(personas.manager)
    client.cookies["django_language"] = "en"
    page = client.get(f"/ban-chi-dao/{setting.committee.pk}/thanh-vien/moi/").content.decode()
    assert "Add a member" in page and "Deputy head" in page
