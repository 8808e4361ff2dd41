"""The check-in pages (decision 0045): a session's page for the organiser's secretary
(/hoat-dong/buoi/<id>/diem-danh/, its code and its queue), and the public pages a
participant's phone opens (/diem-danh/, /diem-danh/<code>/). Each with its forbidden
cases: the outsider (a manager of D2), the viewer and the reporter of D1, anonymous, the
wrong method. The service itself: test_checkin.py; in a browser: tests/browser/test_checkin.py."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.activities.conftest import attend, make_event
from tests.activities.test_views import count_queries, english, main
from tests.factories import SYSTEM
from trienkhai.activities import checkin, checkin_views
from trienkhai.activities.models import Attendance, Person, Session
from trienkhai.vn.text import UNIT_ABBREVIATIONS

pytestmark = pytest.mark.usefixtures("fresh_brake")


@pytest.fixture
def course(org):
    """D1's class of two days; An and Bình of C1 on the first day's list, Dũng of D2
    too (a person the manager of D1 may not name)."""
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An", "Lê Thị Bình"], unit=org.c1)
    attend(event, ["Phạm Dũng"], unit=org.d2)
    return event.sessions.order_by("date")[1]


def page_url(session) -> str:
    return f"/hoat-dong/buoi/{session.pk}/diem-danh/"


def opened(session) -> Session:
    return checkin.open_code(acting_user=SYSTEM, session=session)


def send(client, session, rows):
    return client.post(
        f"{page_url(session)}gui/",
        data=json.dumps({"check_ins": rows}),
        content_type="application/json",
        headers={"accept": "application/json"},
    )


# The secretary's page -----------------------------------------------------------------------


def test_it_shows_the_list_to_tick_and_opens_the_code(personas, web, course):
    """GIVEN a session whose check-in was never opened WHEN the manager opens its page,
    then opens the check-in THEN the list names An and Bình (not Dũng of D2), and the
    page shows the QR code, the typed code and the address people type it at."""
    client = web(personas.manager)
    event_page = client.get(f"/hoat-dong/{course.event_id}/").content.decode()
    assert page_url(course) in event_page  # each session links to its check-in
    page = main(client.get(page_url(course)))
    assert "Điểm danh buổi 02/03/2021" in page
    assert "Chưa mở điểm danh" in page
    assert "Nguyễn Văn An" in page and "Lê Thị Bình" in page
    assert "Phạm Dũng" not in page
    response = client.post(f"{page_url(course)}ma/", {"viec": "mo", "gio": "1"}, follow=True)
    assert response.redirect_chain == [(page_url(course), 302)]
    course.refresh_from_db()
    assert course.is_check_in_open()
    assert course.check_in_expires - timezone.now() <= dt.timedelta(hours=1)
    code = checkin.grouped(course.check_in_code)
    assert f"Đã mở điểm danh, mã {code}." in main(response)
    html = response.content.decode()
    assert "<svg" in html and "Mã QR điểm danh" in html
    assert f'id="typed-code">{code}<' in html
    assert "http://testserver/diem-danh/" in html

    client.post(f"{page_url(course)}ma/", {"viec": "ma_moi"})
    course.refresh_from_db()
    assert checkin.grouped(course.check_in_code) != code
    closed = main(client.post(f"{page_url(course)}ma/", {"viec": "dong"}, follow=True))
    course.refresh_from_db()
    assert not course.is_check_in_open()
    assert "Đã đóng điểm danh." in closed and "Điểm danh bằng mã đã đóng" in closed
    again = main(client.post(f"{page_url(course)}ma/", {"viec": "dong"}, follow=True))
    assert "Điểm danh đang không mở" in again


def test_the_code_s_address_is_the_site_s_when_it_is_set(personas, web, course, settings):
    """GIVEN TRIENKHAI_SITE_URL set (the secretary opened the page at an inner address)
    WHEN the page shows the open code THEN the QR code and "vào … và gõ mã" name the
    site's address; unset, the request's host (as in the test above)."""
    course = opened(course)
    code = checkin.grouped(course.check_in_code)
    client = web(personas.manager)
    inner = client.get(page_url(course)).content.decode()
    assert "http://testserver/diem-danh/" in inner
    assert checkin_views._qr(f"http://testserver/diem-danh/{code}/") in inner
    settings.SITE_URL = "https://baocao.example.vn/"
    page = client.get(page_url(course)).content.decode()
    assert 'vào <span class="break">https://baocao.example.vn/diem-danh/</span> và gõ mã' in page
    assert checkin_views._qr(f"https://baocao.example.vn/diem-danh/{code}/") in page
    assert "testserver" not in page


def test_its_queries_do_not_grow_with_the_list(personas, web, course, org):
    client = web(personas.manager)
    opened(course)
    few = count_queries(client, page_url(course))
    attend(course.event, [f"Người thứ {n}" for n in range(30)], unit=org.c2)
    assert count_queries(client, page_url(course)) == few


def test_only_the_organiser_s_managers_reach_the_secretary_s_pages(personas, web, course, client):
    for who in (personas.viewer, personas.reporter, personas.outsider):
        other = web(who)
        assert other.get(page_url(course)).status_code == 403
        assert other.post(f"{page_url(course)}ma/", {"viec": "mo"}).status_code == 403
        refused = send(other, course, [{"client_id": "a", "name": "A", "unit": "C1"}])
        assert refused.status_code == 403
        assert refused.json()["error"]["message"] == "Bạn không có quyền điểm danh buổi này."
    assert client.get(page_url(course))["Location"].startswith("/dang-nhap/")
    logged_out = send(client, course, [{"client_id": "a", "name": "A", "unit": "C1"}])
    assert logged_out.status_code == 302  # the page's script reads it as "log in again"
    assert logged_out["Location"].startswith("/dang-nhap/")
    manager = web(personas.manager)
    assert manager.post(page_url(course)).status_code == 405
    assert manager.get(f"{page_url(course)}ma/").status_code == 405
    assert manager.get(f"{page_url(course)}gui/").status_code == 405
    assert manager.get("/hoat-dong/buoi/999999/diem-danh/").status_code == 404
    assert Attendance.objects.filter(session=course).count() == 0
    assert not Session.objects.get(pk=course.pk).check_in_code


def test_the_queue_is_answered_one_by_one_and_counted_once(personas, web, course):
    """GIVEN the phone's queue: An ticked, a new person, a unit of D2, no name WHEN it is
    sent twice THEN two are counted the first time and none the second, the refusals
    say why in the reader's language, and the count of the session is 2."""
    client = web(personas.manager)
    an = Person.objects.get(name="Nguyễn Văn An")
    rows = [
        {"client_id": "1", "person": an.pk},
        {"client_id": "2", "name": "Hồ Văn Em", "unit": "Thị trấn Vĩnh Thuận (C1)"},
        {"client_id": "3", "name": "Lý Văn Sáu", "unit": "D2"},
        {"client_id": "4", "name": "", "unit": "C1"},
    ]
    first = send(client, course, rows)
    assert first.status_code == 200
    body = first.json()
    assert body["attendances"] == 2
    assert [r["status"] for r in body["results"]] == ["counted", "counted", "refused", "refused"]
    assert body["results"][2]["message"] == "Đơn vị D2 không thuộc phạm vi của hoạt động này"
    assert body["results"][3]["message"] == "Cần họ và tên"
    second = send(client, course, rows).json()
    assert [r["status"] for r in second["results"]] == ["already", "already", "refused", "refused"]
    assert second["attendances"] == 2
    in_english = send(english(client), course, rows[2:3]).json()
    assert in_english["results"][0]["message"] == "D2 is not among the units of this event"
    for body, problem in ((b"{", "JSON không hợp lệ"), (b'{"check_ins": 1}', "Cần danh sách")):
        client.cookies.pop("django_language", None)
        bad = client.post(f"{page_url(course)}gui/", data=body, content_type="application/json")
        assert bad.status_code == 400 and problem in bad.json()["error"]["message"]
    assert Attendance.objects.filter(session=course).count() == 2


# The participant's pages ------------------------------------------------------------------------


def test_a_participant_opens_the_code_s_page_and_checks_in_without_a_script(client, course):
    """GIVEN an open code WHEN a phone types it (lower case, no dash) at /diem-danh/ and
    sends the form THEN it lands on the code's page, which names no one, and the
    participant is counted once: the same form again says they were present already."""
    course = opened(course)
    code = checkin.grouped(course.check_in_code)
    assert client.get("/diem-danh/").status_code == 200
    typed = client.get("/diem-danh/", {"ma": course.check_in_code.lower()})
    assert typed.status_code == 302 and typed["Location"] == f"/diem-danh/{code}/"
    bad = client.get("/diem-danh/", {"ma": "ABC"})
    assert bad.status_code == 400 and "gồm 8 chữ và số" in main(bad)
    page = client.get(f"/diem-danh/{code}/")
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex" and page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    text = main(page)
    assert "Lớp bồi dưỡng lý luận" in text and "02/03/2021" in text
    assert "Nguyễn Văn An" not in text  # the list is nobody's business here
    html = page.content.decode()
    # The units by name, the unit above as the label; no codes (they are still read).
    assert '<option value="Thị trấn Vĩnh Thuận" label="Huyện Vĩnh Thuận">' in html
    assert '<option value="Tỉnh Kiên Giang" label="Việt Nam">' in html  # a lecturer from above
    assert "Tỉnh Trà Vinh" not in html and "(C1)" not in html
    me = {"name": "Đỗ Thị Hoa", "unit": "Xã Vĩnh Bình Bắc (C2)", "audience": "can_bo"}
    done = client.post(f"/diem-danh/{code}/", me)
    assert done.status_code == 201 and "Đã điểm danh: Đỗ Thị Hoa." in main(done)
    again = client.post(f"/diem-danh/{code}/", me)
    assert again.status_code == 200
    assert "Đỗ Thị Hoa đã được điểm danh ở buổi này từ trước." in main(again)
    wrong = client.post(f"/diem-danh/{code}/", {**me, "unit": "Huyện Cầu Kè (D2)"})
    assert wrong.status_code == 400
    assert "Đơn vị D2 không thuộc phạm vi của hoạt động này" in main(wrong)
    assert client.put(f"/diem-danh/{code}/").status_code == 405
    assert client.post("/diem-danh/").status_code == 405
    assert Attendance.objects.filter(session=course).count() == 1
    assert Attendance.objects.get(session=course).audience == "can_bo"


def post_json(client, code, body):
    return client.post(
        f"/diem-danh/{code}/",
        data=json.dumps(body),
        content_type="application/json",
        headers={"accept": "application/json"},
    )


def test_the_page_s_script_sends_its_queue_as_json(client, course):
    """GIVEN a page served while the code was open, then the code expired WHEN the
    phone's queue arrives THEN a check-in made before the expiry counts (its page's pass
    says so), again it is 'already', and one of another session is refused."""
    course = opened(course)
    code = checkin.grouped(course.check_in_code)
    token = checkin.make_pass(course, timezone.now() - dt.timedelta(minutes=10))
    me = {"client_id": "x1", "name": "Đỗ Thị Hoa", "unit": "C2", "pass": token}
    Session.objects.filter(pk=course.pk).update(
        check_in_expires=timezone.now() - dt.timedelta(minutes=5)
    )
    closed = client.get(f"/diem-danh/{code}/")
    assert closed.status_code == 200 and "đã đóng" in main(closed)
    late = post_json(client, code, {**me, "pass": ""})
    assert late.status_code == 409
    assert late.json()["error"]["message"].startswith("Mã điểm danh đã hết hạn lúc")
    counted = post_json(client, code, {**me, "session": course.pk})
    assert counted.status_code == 201
    assert counted.json() == {
        "client_id": "x1",
        "status": "counted",
        "person": Person.objects.get(name="Đỗ Thị Hoa").pk,
    }
    assert post_json(client, code, me).json()["status"] == "already"
    other = post_json(client, code, {**me, "session": course.pk + 1000})
    assert other.status_code == 400 and other.json()["error"]["code"] == "wrong_session"
    assert post_json(client, code, [1]).status_code == 400
    assert Attendance.objects.filter(session=course).count() == 1


def test_a_code_nobody_holds_is_not_found_and_guessing_is_braked(client, course):
    course = opened(course)
    missing = client.get("/diem-danh/AAAA-AAAA/")
    assert missing.status_code == 404 and "Không có buổi nào đang điểm danh với mã này" in main(
        missing
    )
    assert post_json(client, "AAAA-AAAA", {"name": "A"}).status_code == 404
    for n in range(18):
        client.get(f"/diem-danh/{n:08d}/")
    braked = client.get(f"/diem-danh/{checkin.grouped(course.check_in_code)}/")
    assert braked.status_code == 429 and int(braked["Retry-After"]) > 0
    assert "Đã nhập quá nhiều mã không đúng" in main(braked)


# The units offered as one types ------------------------------------------------------------


def units_url(session) -> str:
    return f"/diem-danh/{checkin.grouped(session.check_in_code)}/don-vi/"


def script_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="checkin-data" type="application/json">') + 42
    return json.loads(html[start : html.index("</script>", start)])


def test_a_page_carries_the_session_s_units_and_searches_the_rest(client, web, personas, course):
    """GIVEN a session that reaches 5 units WHEN a page carries all of them THEN its script
    needs no search; WHEN it may carry only 3 THEN it carries the organiser, the units
    above it, and asks the server for the rest."""
    course = opened(course)
    public = f"/diem-danh/{checkin.grouped(course.check_in_code)}/"
    assert script_data(client.get(public))["units"]["search"] == ""
    secretary = web(personas.manager)
    assert script_data(secretary.get(page_url(course)))["units"]["field"] == "new-unit"
    checkin.UNITS_LISTED, listed = 3, checkin.UNITS_LISTED
    try:
        page = client.get(public)
        mine = secretary.get(page_url(course))
    finally:
        checkin.UNITS_LISTED = listed
    assert script_data(page)["units"] == {
        "field": "id_unit",
        "search": units_url(course),
        "label": "Gợi ý",
        "found": "{n} đơn vị gợi ý",
        "none": "Không tìm thấy đơn vị nào",
        "short": UNIT_ABBREVIATIONS,  # "ĐU Yên Thịnh" offered offline too
    }
    html = page.content.decode()
    carried = html[html.index('<datalist id="id_units">') : html.index("</datalist>")]
    assert carried.count("<option ") == 3
    assert '<option value="Việt Nam">' in carried and "Xã Vĩnh Bình Bắc" not in html
    assert script_data(mine)["units"]["search"] == f"{page_url(course)}don-vi/"


def test_the_search_answers_only_the_session_s_units_while_its_code_is_open(client, course):
    course = opened(course)
    found = client.get(units_url(course), {"q": "vinh binh"})
    assert found.status_code == 200 and found["X-Robots-Tag"] == "noindex"
    assert found.json() == {"units": [{"value": "Xã Vĩnh Bình Bắc", "context": "Huyện Vĩnh Thuận"}]}
    assert client.get(units_url(course), {"q": "tinh tra"}).json() == {"units": []}  # P2
    assert client.get(units_url(course), {"q": "cau ke"}).json() == {"units": []}  # D2
    assert client.get(units_url(course), {"q": "v"}).json() == {"units": []}  # too short
    assert client.post(units_url(course), {"q": "vinh"}).status_code == 405
    Session.objects.filter(pk=course.pk).update(check_in_expires=timezone.now())
    closed = client.get(units_url(course), {"q": "vinh"})
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "check_in_closed"
    missing = client.get("/diem-danh/AAAA-AAAA/don-vi/", {"q": "vinh"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_code"
    for n in range(20):
        client.get(f"/diem-danh/{n:08d}/don-vi/", {"q": "vinh"})
    braked = client.get(units_url(course), {"q": "vinh"})  # guessing codes here is braked too
    assert braked.status_code == 429 and int(braked["Retry-After"]) > 0


def test_the_secretary_s_search_is_the_organiser_s_managers_only(personas, web, course, client):
    url = f"{page_url(course)}don-vi/"
    found = web(personas.manager).get(url, {"q": "thi tran"})
    assert found.json() == {
        "units": [{"value": "Thị trấn Vĩnh Thuận", "context": "Huyện Vĩnh Thuận"}]
    }
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert web(who).get(url, {"q": "thi tran"}).status_code == 403
    assert client.get(url, {"q": "thi tran"})["Location"].startswith("/dang-nhap/")
    assert web(personas.manager).post(url).status_code == 405


def test_a_unit_not_found_is_said_in_the_reader_s_language(client, course):
    course = opened(course)
    code = checkin.grouped(course.check_in_code)
    me = {"name": "Đỗ Thị Hoa", "unit": "Xã Không Có"}
    refused = client.post(f"/diem-danh/{code}/", me)
    assert refused.status_code == 400
    assert "Không tìm thấy đơn vị “Xã Không Có” trong các đơn vị của hoạt động này" in main(refused)
    in_english = post_json(english(client), code, {**me, "client_id": "e"})
    assert in_english.status_code == 400
    assert in_english.json()["error"]["message"] == (
        "No unit 'Xã Không Có' among the units of this event: type a few letters of its name "
        "and choose it from the list"
    )
    assert Attendance.objects.filter(session=course).count() == 0


# Taking a check-in back -------------------------------------------------------------------


def test_the_manager_takes_a_wrong_check_in_back_from_the_list(personas, web, course):
    """GIVEN An and Bình present WHEN the manager presses "Bỏ" by An THEN the page comes
    back to the list saying so, counts 1 and offers "Có mặt" for An again."""
    client = web(personas.manager)
    an, binh = Person.objects.get(name="Nguyễn Văn An"), Person.objects.get(name="Lê Thị Bình")
    send(
        client, course, [{"client_id": "1", "person": an.pk}, {"client_id": "2", "person": binh.pk}]
    )
    page = client.get(page_url(course)).content.decode()
    assert 'aria-label="Bỏ có mặt: Nguyễn Văn An"' in page
    assert f'<input type="hidden" name="nguoi" value="{an.pk}">' in page
    done = client.post(f"{page_url(course)}bo/", {"nguoi": an.pk})
    assert done.status_code == 302 and done["Location"] == f"{page_url(course)}#roll"
    shown = client.get(done["Location"])
    assert "Đã bỏ lượt có mặt của Nguyễn Văn An ở buổi này." in main(shown)
    assert 'id="present-count">1<' in shown.content.decode()
    assert 'aria-label="Có mặt: Nguyễn Văn An"' in shown.content.decode()
    again = main(client.post(f"{page_url(course)}bo/", {"nguoi": an.pk}, follow=True))
    assert f"Không tìm thấy lượt điểm danh: {an.pk}" in again
    assert "Cần chọn một người" in main(client.post(f"{page_url(course)}bo/", follow=True))
    in_english = main(
        english(client).post(f"{page_url(course)}bo/", {"nguoi": binh.pk}, follow=True)
    )
    assert "Lê Thị Bình's attendance at this session was taken back." in in_english
    assert Attendance.objects.filter(session=course).count() == 0


def test_only_the_session_s_managers_take_a_check_in_back(personas, web, course, client):
    an, dung = Person.objects.get(name="Nguyễn Văn An"), Person.objects.get(name="Phạm Dũng")
    first = course.event.sessions.order_by("date")[0]  # An and Dũng are present there
    url = f"{page_url(first)}bo/"
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert web(who).post(url, {"nguoi": an.pk}).status_code == 403
    assert web(personas.manager).post(url, {"nguoi": dung.pk}).status_code == 403  # D2's
    assert client.post(url, {"nguoi": an.pk})["Location"].startswith("/dang-nhap/")
    assert web(personas.manager).get(url).status_code == 405
    assert Attendance.objects.filter(session=first).count() == 3


def test_the_page_takes_a_check_in_back_through_the_api_with_its_session(personas, course):
    """The page's script sends "Bỏ" to DELETE /api/v1/…/check-ins/{person} with the log-in
    session and the CSRF token (the address is in the page's data, 0 for the person);
    without the token the API refuses it, and the attendance stays."""
    from django.test import Client

    from tests import factories

    client = Client(enforce_csrf_checks=True)
    factories.log_in(client, personas.manager)
    an = Person.objects.get(name="Nguyễn Văn An")
    checkin.check_in(
        acting_user=personas.manager, session=course, items=[checkin.CheckIn("1", str(an.pk))]
    )
    page = client.get(page_url(course))
    data = script_data(page)
    assert data["undo"] == f"/api/v1/activities/sessions/{course.pk}/check-ins/0"
    assert data["fields"]["unknown_unit"] == "unit" and "roll-said" in page.content.decode()
    url = data["undo"][:-1] + str(an.pk)
    assert client.delete(url).status_code in {401, 403}  # no CSRF token
    assert Attendance.objects.filter(session=course).count() == 1
    token = client.cookies["csrftoken"].value
    done = client.delete(url, headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert done.status_code == 200 and done.json()["attendances"] == 0


def test_after_a_check_in_without_a_script_the_form_is_the_next_person_s(client, course):
    """GIVEN an open code WHEN a participant checks in through the plain form THEN the page
    says so and gives an empty form with the focus at the name; a refusal keeps what was
    typed and says why at the field."""
    course = opened(course)
    url = f"/diem-danh/{checkin.grouped(course.check_in_code)}/"
    done = client.post(
        url, {"name": "Đỗ Thị Hoa", "unit": "Xã Vĩnh Bình Bắc", "position": "Hội viên"}
    )
    html = done.content.decode()
    assert done.status_code == 201 and "Đã điểm danh: Đỗ Thị Hoa." in main(done)
    assert 'value="Đỗ Thị Hoa"' not in html and 'value="Hội viên"' not in html
    assert 'name="name" maxlength="200" autocomplete="off" autofocus' in html
    refused = client.post(url, {"name": "Lê Văn Tư", "unit": "Huyện Cầu Kè", "position": "Bí thư"})
    html = refused.content.decode()
    assert refused.status_code == 400 and 'value="Lê Văn Tư"' in html and 'value="Bí thư"' in html
    assert 'id="id_unit_error"' in html


def test_without_a_script_the_secretary_ticks_the_list_and_adds_someone(personas, web, course):
    """GIVEN the secretary's page served to a browser without the script WHEN the manager
    presses "Có mặt" by An, then by An again, then sends the form for Chí of C2 (not on
    the list), then the form without a unit THEN An counts once ("đã được điểm danh …
    từ trước" the second time), Chí is added and counted, the form without a unit comes
    back as typed with the reason beside it (400), and Dũng of D2 (not the manager's to
    name) is refused; the count reads 2."""
    client = web(personas.manager)
    an, dung = Person.objects.get(name="Nguyễn Văn An"), Person.objects.get(name="Phạm Dũng")
    page = client.get(page_url(course)).content.decode()
    url = f"{page_url(course)}co-mat/"
    assert f'<form method="post" action="{url}" class="tick">' in page
    assert f'<form id="new-person" method="post" action="{url}" novalidate>' in page
    # What only the script does (offline queue, search) is not offered until it runs.
    assert '<p class="muted" data-with-script hidden>Trang này vẫn dùng được khi mất mạng' in page
    assert '<div class="field" data-with-script hidden><label for="find">' in page
    done = client.post(url, {"nguoi": an.pk})
    assert done.status_code == 302 and done["Location"] == f"{page_url(course)}#roll"
    # The message is where the page lands (#roll), not above the fold a phone left.
    roll = client.get(done["Location"]).content.decode().split('id="roll"')
    assert "Đã ghi có mặt: Nguyễn Văn An." in roll[1] and "Đã ghi có mặt" not in roll[0]
    again = main(client.post(url, {"nguoi": an.pk}, follow=True))
    assert "Nguyễn Văn An đã được điểm danh ở buổi này từ trước." in again
    added = client.post(url, {"name": "Trần Văn Chí", "unit": "C2", "position": "Bí thư"})
    assert added.status_code == 302
    assert Person.objects.get(name="Trần Văn Chí").position == "Bí thư"
    missing = client.post(url, {"name": "Hồ Thị Dung", "unit": ""})
    assert missing.status_code == 400 and 'value="Hồ Thị Dung"' in missing.content.decode()
    refused = client.post(url, {"nguoi": dung.pk})
    assert refused.status_code == 400
    assert "Người này thuộc đơn vị bạn không quản lý" in main(refused)
    assert Attendance.objects.filter(session=course).count() == 2
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert web(who).post(url, {"nguoi": an.pk}).status_code == 403
    assert client.get(url).status_code == 405
