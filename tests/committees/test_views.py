import datetime as dt

from django.utils import timezone

from tests.committees.conftest import issued, seat
from tests.factories import SYSTEM
from trienkhai.committees import services


def test_the_page_shows_the_members_of_the_chosen_day(setting, personas, web):
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head", position="Phó Bí thư Thường trực Huyện ủy")
    seat(c, "Lục Thị Hoa", "secretariat", since=dt.date(2020, 3, 2))
    services.hold_meeting(
        acting_user=SYSTEM,
        committee=c,
        date=dt.date(2021, 8, 5),
        kind="interim_review",
        title="Sơ kết 6 tháng đầu năm 2021",
        agenda="Báo cáo kết quả",
        attendees=[head.person_id],
        chair=head.person_id,
    )
    client = web(personas.viewer)
    early = client.get(f"/ban-chi-dao/{c.pk}/?ngay=01/09/2019")
    assert early.status_code == 200
    text = early.content.decode()
    assert "Nguyễn Văn Hùng" in text and "Lục Thị Hoa" not in text
    assert "Thành phần ngày 01/09/2019" in text
    assert "Trưởng ban" in text and "Phó Bí thư Thường trực Huyện ủy" in text
    assert "?ngay=02/03/2020" in text  # a day the composition changed
    assert "Sơ kết 6 tháng đầu năm 2021" in text and "chủ trì" in text
    later = client.get(f"/ban-chi-dao/{c.pk}/?ngay=02/03/2020").content.decode()
    assert "Lục Thị Hoa" in later and "Tổ giúp việc" in later


def test_the_page_refuses_a_bad_day_and_other_units(setting, personas, web):
    c = setting.committee
    assert web(personas.viewer).get(f"/ban-chi-dao/{c.pk}/?ngay=31/02/2020").status_code == 400
    assert web(personas.outsider).get(f"/ban-chi-dao/{c.pk}/").status_code == 403
    assert web(personas.outsider).get("/ban-chi-dao/?don-vi=HUT").status_code == 403
    assert web(personas.viewer).get("/ban-chi-dao/999999/").status_code == 404
    assert web(None).get(f"/ban-chi-dao/{c.pk}/").status_code == 302
    assert web(personas.viewer).post(f"/ban-chi-dao/{c.pk}/").status_code == 405


def test_the_unit_lists_its_committees_and_links_them(setting, personas, web):
    client = web(personas.viewer)
    listed = client.get("/ban-chi-dao/?don-vi=HUT").content.decode()
    assert "Ban Chỉ đạo 35 huyện Chợ Đồn" in listed and "28/08/2019" in listed
    assert setting.decision.symbol in listed
    unit_page = client.get("/don-vi/HUT/").content.decode()
    assert 'id="committees-link"' in unit_page and "/ban-chi-dao/?don-vi=HUT" in unit_page


def test_the_list_opens_on_the_user_s_unit_with_the_units_under_it(setting, org, personas, web):
    """GIVEN D1's BCĐ 35 of its Huyện ủy and D2's own WHEN a viewer of D1 opens the list
    without choosing THEN it is D1's, with HUT's committee and the unit that set it up, and
    not D2's; chosen by name, HUT's alone; D2 chosen is refused."""
    d2 = services.create_committee(
        acting_user=SYSTEM,
        unit=org.d2,
        name="Ban Chỉ đạo của D2",
        valid_from=dt.date(2020, 1, 1),
    )
    client = web(personas.viewer)
    opened = client.get("/ban-chi-dao/")
    assert opened.status_code == 200
    text = opened.content.decode()
    assert "Ban Chỉ đạo 35 huyện Chợ Đồn" in text and "Huyện ủy Chợ Đồn" in text
    assert d2.name not in text
    assert 'name="don-vi"' in text  # the picker, to choose another unit by name
    chosen = client.get("/ban-chi-dao/", {"don-vi": "Huyện ủy Chợ Đồn"})
    assert chosen.status_code == 200 and "Ban Chỉ đạo 35 huyện Chợ Đồn" in chosen.content.decode()
    assert client.get("/ban-chi-dao/", {"don-vi": "Không có đơn vị này"}).status_code == 400
    assert client.get("/ban-chi-dao/", {"don-vi": d2.unit.code}).status_code == 403
    assert web(personas.nobody).get("/ban-chi-dao/").status_code == 403


def test_the_page_in_english(setting, personas, web):
    seat(setting.committee, "Nguyễn Văn Hùng", "head")
    client = web(personas.viewer)
    client.cookies["django_language"] = "en"
    text = client.get(f"/ban-chi-dao/{setting.committee.pk}/?ngay=01/09/2019").content.decode()
    assert "Members on 01/09/2019" in text and "Head" in text


def test_the_page_costs_the_same_with_more_meetings(
    setting, personas, web, django_assert_max_num_queries
):
    """GIVEN a committee with one meeting, then four WHEN its page is read THEN the
    number of queries does not grow with the meetings, attendees and conclusions."""
    c = setting.committee
    head = seat(c, "Nguyễn Văn Hùng", "head")

    def meeting(day):
        # A notice per meeting: one document gives one unit one task per expected type.
        notice = issued(setting.hu, "TB", day, f"Thông báo kết luận {day.day}")
        held = services.hold_meeting(
            acting_user=SYSTEM,
            committee=c,
            date=day,
            kind="regular",
            title="Họp",
            attendees=[head.person_id],
            guests=[services.Guest(f"Khách {day.day}")],
        )
        services.conclude(
            acting_user=SYSTEM,
            meeting=held,
            document=notice,
            task=f"Nhiệm vụ kết luận số {day.day}",
            due=dt.date(2021, 9, 30),
            expects="BC",
            units=["CBA"],
        )

    client = web(personas.viewer)
    meeting(dt.date(2021, 8, 1))
    client.get(f"/ban-chi-dao/{c.pk}/")  # warm the session and the caches
    with django_assert_max_num_queries(40) as one:
        client.get(f"/ban-chi-dao/{c.pk}/")
    for day in (2, 3, 4):
        meeting(dt.date(2021, 8, day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(f"/ban-chi-dao/{c.pk}/")
    assert page.content.decode().count("Nhiệm vụ kết luận số") == 4


def test_an_ended_unit_s_committee_stays_under_the_units_above_it(setting, org, personas, web):
    """GIVEN Huyện ủy Chợ Đồn (HUT) and its cell dissolved, as the districts ended on
    01/07/2025 WHEN D1's viewer and the national admin open the list THEN Chợ Đồn's BCĐ
    35 is still there: under D1 on HUT's last day, not in today's tree."""
    from trienkhai.orgs.services import dissolve_unit

    day = timezone.localdate() - dt.timedelta(days=1)
    for unit in (setting.board, setting.cell, setting.hu):
        dissolve_unit(acting_user=SYSTEM, unit=unit, on=day)
    for who in (personas.viewer, personas.admin):
        listed = web(who).get("/ban-chi-dao/")
        assert listed.status_code == 200
        assert "Ban Chỉ đạo 35 huyện Chợ Đồn" in listed.content.decode()
    assert "Ban Chỉ đạo 35" not in web(personas.outsider).get("/ban-chi-dao/").content.decode()
