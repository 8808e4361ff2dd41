import datetime as dt

from tests.committees.conftest import FOUNDED, issued, seat
from trienkhai.committees.models import Committee, Conclusion, Meeting, Membership


def test_it_creates_a_committee_from_its_decision(setting, personas, api):
    answer = api(personas.manager).post(
        "committees",
        {
            "unit": "HUT",
            "name": "Ban Chỉ đạo 35 (kiện toàn)",
            "founded": "2019-09-01",
            "decision": setting.decision.pk,
        },
    )
    assert answer.status_code == 201, answer.content
    created = Committee.objects.get(pk=answer.json()["id"])
    assert (created.unit, created.founding_decision) == (setting.hu, setting.decision)
    listed = api(personas.viewer).get("committees", unit="HUT").json()
    assert [c["name"] for c in listed] == ["Ban Chỉ đạo 35 (kiện toàn)", setting.committee.name]


def test_a_user_of_another_unit_is_refused(setting, personas, api):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head")
    outsider = api(personas.outsider)
    before = Membership.objects.count()
    assert outsider.get(f"committees/{c.pk}").status_code == 403
    assert outsider.get("committees", unit="HUT").status_code == 403
    assert outsider.get(f"committees/{c.pk}/meetings").status_code == 403
    body = {"name": "Hà Thị Lan", "role": "member", "valid_from": "2020-01-01"}
    assert outsider.post(f"committees/{c.pk}/members", body).status_code == 403
    assert (
        outsider.post(
            "committees", {"unit": "HUT", "name": "BCĐ", "founded": "2020-01-01"}
        ).status_code
        == 403
    )
    assert outsider.get(f"committees/people/{head.person_id}").status_code == 403
    assert outsider.post(f"committees/people/{head.person_id}/erase").status_code == 403
    assert Membership.objects.count() == before
    assert api(None).get(f"committees/{c.pk}").status_code == 401
    assert api(personas.nobody).get("committees/999999").status_code == 403
    assert api(personas.viewer).get("committees/999999").status_code == 404


def test_viewers_read_and_only_managers_write(setting, personas, api):
    c = setting.committee
    body = {
        "name": "Hà Thị Lan",
        "role": "deputy",
        "position": "Trưởng Ban Tuyên giáo Huyện ủy",
        "unit": "BTGT",
        "valid_from": FOUNDED.isoformat(),
    }
    assert api(personas.viewer).post(f"committees/{c.pk}/members", body).status_code == 403
    assert api(personas.reporter).post(f"committees/{c.pk}/members", body).status_code == 403
    added = api(personas.manager).post(f"committees/{c.pk}/members", body)
    assert added.status_code == 201, added.content
    assert added.json()["unit"] == "BTGT"
    read = api(personas.viewer).get(f"committees/{c.pk}", on="2019-08-28").json()
    assert [(m["name"], m["role"]) for m in read["members"]] == [("Hà Thị Lan", "deputy")]
    assert api(personas.viewer).get(f"committees/{c.pk}", on="2019-08-27").json()["members"] == []
    twice = api(personas.manager).post(f"committees/{c.pk}/members", body)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "overlapping_seat"


def test_a_seat_changes_from_a_day(setting, personas, api):
    c = setting.committee
    deputy = seat(c, "Hà Thị Lan", "deputy")
    manager = api(personas.manager)
    changed = manager.post(
        f"committees/{c.pk}/members/{deputy.pk}/change", {"on": "2021-01-01", "role": "head"}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["role"], changed.json()["valid_from"]) == ("head", "2021-01-01")
    before = manager.get(f"committees/{c.pk}", on="2020-12-31").json()["members"]
    assert [m["role"] for m in before] == ["deputy"]
    left = manager.post(
        f"committees/{c.pk}/members/{changed.json()['id']}/change",
        {"on": "2022-01-01", "leaves": True},
    )
    assert left.json()["valid_to"] == "2022-01-01"
    assert manager.get(f"committees/{c.pk}", on="2022-01-01").json()["members"] == []
    bad = manager.post(
        f"committees/{c.pk}/members/{deputy.pk}/change", {"on": "2018-01-01", "role": "member"}
    )
    assert bad.status_code == 400


def test_a_meeting_its_minutes_and_a_conclusion(setting, personas, api):
    c = setting.committee
    head = seat(c, "Lê Văn Tuấn", "deputy")
    manager = api(personas.manager)
    answer = manager.post(
        f"committees/{c.pk}/meetings",
        {
            "date": "2021-08-05",
            "kind": "interim_review",
            "title": "Sơ kết 6 tháng đầu năm 2021",
            "agenda": "Báo cáo kết quả\nNhiệm vụ 6 tháng cuối năm",
            "attendees": [head.person_id],
            "chair": head.person_id,
            "guests": [{"name": "Đại diện UBMTTQ huyện", "position": "Khách mời"}],
        },
    )
    assert answer.status_code == 201, answer.content
    meeting = answer.json()
    assert [(a["name"], a["is_chair"], a["is_invited"]) for a in meeting["attendees"]] == [
        ("Lê Văn Tuấn", True, False),
        ("Đại diện UBMTTQ huyện", False, True),
    ]
    no_doc = manager.post(
        f"committees/{c.pk}/meetings/{meeting['id']}/conclusions",
        {"task": "Tuyên truyền", "due": "2021-09-30", "units": ["CBA"]},
    )
    assert no_doc.status_code == 400
    minutes = issued(setting.hu, "BB", dt.date(2021, 8, 5), "Biên bản hội nghị sơ kết")
    set_ = manager.post(
        f"committees/{c.pk}/meetings/{meeting['id']}/minutes", {"document": minutes.pk}
    )
    assert set_.status_code == 200 and set_.json()["minutes_symbol"] == minutes.symbol
    concluded = manager.post(
        f"committees/{c.pk}/meetings/{meeting['id']}/conclusions",
        {
            "task": "Tuyên truyền phòng, chống dịch Covid-19",
            "due": "2021-09-30",
            "expects": "BC",
            "units": ["CBA", "BTGT"],
        },
    )
    assert concluded.status_code == 201, concluded.content
    assert sorted(concluded.json()["units"]) == ["BTGT", "CBA"]
    assert Conclusion.objects.get().assignment.document == minutes
    listed = api(personas.viewer).get(f"committees/{c.pk}/meetings").json()
    assert listed[0]["conclusions"][0]["task"] == "Tuyên truyền phòng, chống dịch Covid-19"
    outside = manager.post(
        f"committees/{c.pk}/meetings/{meeting['id']}/conclusions",
        {"task": "Việc", "due": "2021-09-30", "units": ["C2"]},
    )
    assert outside.status_code == 400
    assert Conclusion.objects.count() == 1


def test_a_meeting_refuses_a_non_member_and_bad_kind(setting, personas, api):
    c = setting.committee
    gone = seat(c, "Ma Văn Dũng", valid_to=dt.date(2020, 1, 1))
    manager = api(personas.manager)
    base = {"date": "2021-08-05", "kind": "regular", "title": "Họp"}
    assert (
        manager.post(f"committees/{c.pk}/meetings", {**base, "attendees": [gone.person_id]}).json()[
            "error"
        ]["code"]
        == "not_a_member"
    )
    assert manager.post(f"committees/{c.pk}/meetings", {**base, "kind": "x"}).status_code == 400
    assert (
        manager.post(f"committees/{c.pk}/meetings", {**base, "date": "2019-01-01"}).status_code
        == 400
    )
    assert not Meeting.objects.exists()


def test_a_person_is_exported_and_erased(setting, personas, api):
    c = setting.committee
    member = seat(c, "Ma Văn Dũng", position="Trưởng Công an huyện")
    viewer, manager = api(personas.viewer), api(personas.manager)
    assert viewer.get(f"committees/people/{member.person_id}").status_code == 403
    assert viewer.post(f"committees/people/{member.person_id}/erase").status_code == 403
    exported = manager.get(f"committees/people/{member.person_id}").json()
    assert exported["name"] == "Ma Văn Dũng"
    assert exported["seats"][0]["position"] == "Trưởng Công an huyện"
    erased = manager.post(f"committees/people/{member.person_id}/erase")
    assert erased.status_code == 200
    assert (erased.json()["name"], erased.json()["seats"][0]["position"]) == ("—", "")
    assert manager.post(f"committees/people/{member.person_id}/erase").status_code == 409
    shown = viewer.get(f"committees/{c.pk}", on="2020-01-01").json()["members"]
    assert [(m["name"], m["role"]) for m in shown] == [("—", "member")]


def test_ids_out_of_range_are_refused_not_a_server_error(setting, personas, api):
    c = setting.committee
    manager = api(personas.manager)
    huge = 2**63
    assert manager.get(f"committees/{huge}").status_code in (400, 404)
    assert manager.get(f"committees/people/{huge}").status_code in (400, 404)
    meeting = {"date": "2021-08-05", "kind": "regular", "title": "Họp"}
    for field in ("minutes", "chair"):
        assert (
            manager.post(f"committees/{c.pk}/meetings", {**meeting, field: huge}).status_code == 400
        )
    assert (
        manager.post(f"committees/{c.pk}/meetings", {**meeting, "attendees": [huge]}).status_code
        == 400
    )
    founded = {"unit": "HUT", "name": "BCĐ", "founded": "2020-01-01", "decision": huge}
    assert manager.post("committees", founded).status_code == 400
    assert not Meeting.objects.exists()
