"""/api/v1/activities: a session's check-in code, the secretary's queue and a participant's
own check-in (decision 0045), with their forbidden cases."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import checkin
from trienkhai.activities.models import Attendance, AttendanceRemoval, Person, Session

pytestmark = pytest.mark.usefixtures("fresh_brake")


@pytest.fixture
def session(org):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An"], unit=org.c1)
    return event.sessions.order_by("date")[1]


def code_url(session) -> str:
    return f"activities/sessions/{session.pk}/check-in-code"


def test_the_organiser_s_manager_opens_renews_and_closes_the_code(api, personas, session):
    client = api(personas.manager)
    never = client.get(code_url(session))
    assert never.status_code == 200
    assert never.json() == {
        "session": session.pk,
        "code": None,
        "expires": None,
        "open": False,
        "url": None,
    }
    opened = client.post(code_url(session), {"hours": 1})
    assert opened.status_code == 200
    body = opened.json()
    code = body["code"]
    assert body["open"] and len(code) == 9 and code[4] == "-"
    assert body["url"] == f"http://testserver/diem-danh/{code}/"
    expires = dt.datetime.fromisoformat(body["expires"])
    assert dt.timedelta(minutes=59) < expires - timezone.now() <= dt.timedelta(hours=1)
    assert client.post(code_url(session), {}).json()["code"] == code
    renewed = client.post(code_url(session), {"new": True}).json()["code"]
    assert renewed != code
    bad = client.post(code_url(session), {"hours": 24})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_hours"
    closed = client.delete(code_url(session))
    assert closed.status_code == 200 and closed.json()["open"] is False
    again = client.delete(code_url(session))
    assert again.status_code == 409
    assert again.json()["error"]["message"] == (
        "Điểm danh đang không mở / the check-in is not open"
    )


def test_only_the_organiser_s_managers_reach_the_code_and_the_queue(api, personas, session):
    for who in (personas.viewer, personas.reporter, personas.outsider):
        client = api(who)
        assert client.get(code_url(session)).status_code == 403
        assert client.post(code_url(session), {}).status_code == 403
        assert client.delete(code_url(session)).status_code == 403
        queue = {"check_ins": [{"client_id": "a", "name": "A", "unit": "C1"}]}
        assert client.post(f"activities/sessions/{session.pk}/check-ins", queue).status_code == 403
    assert api().get(code_url(session)).status_code == 401
    assert api(personas.manager).get("activities/sessions/999999/check-in-code").status_code == 404
    manager = api(personas.manager)
    put = manager.client.put(f"/api/v1/{code_url(session)}", headers=manager.headers)
    assert put.status_code == 405
    assert Session.objects.get(pk=session.pk).check_in_code == ""
    assert Attendance.objects.filter(session=session).count() == 0


def test_the_secretary_s_queue_is_answered_one_by_one(api, personas, session):
    client = api(personas.manager)
    an = Person.objects.get(name="Nguyễn Văn An")
    queue = {
        "check_ins": [
            {"client_id": "1", "person": an.pk},
            {"client_id": "2", "name": "Hồ Văn Em", "unit": "C1", "position": "Đảng viên"},
            {"client_id": "3", "name": "Lý Văn Sáu", "unit": "D2"},
        ]
    }
    url = f"activities/sessions/{session.pk}/check-ins"
    first = client.post(url, queue)
    assert first.status_code == 200
    assert first.json() == {
        "session": session.pk,
        "attendances": 2,
        "results": [
            {"client_id": "1", "status": "counted", "person": an.pk, "code": None, "message": None},
            {
                "client_id": "2",
                "status": "counted",
                "person": Person.objects.get(name="Hồ Văn Em").pk,
                "code": None,
                "message": None,
            },
            {
                "client_id": "3",
                "status": "refused",
                "person": None,
                "code": "out_of_scope",
                "message": "Đơn vị D2 không thuộc phạm vi của hoạt động này / "
                "D2 is not among the units of this event",
            },
        ],
    }
    replay = client.post(url, queue).json()
    assert [r["status"] for r in replay["results"]] == ["already", "already", "refused"]
    assert replay["attendances"] == 2
    too_many = {"check_ins": [{"client_id": str(n), "person": an.pk} for n in range(501)]}
    assert client.post(url, too_many).json()["error"]["code"] == "too_many"
    assert client.post(url, {"check_ins": []}).json()["error"]["code"] == "empty_list"
    assert client.post(url, {"rows": []}).status_code == 400
    long_id = {"check_ins": [{"client_id": "x" * 65, "person": an.pk}]}
    assert client.post(url, long_id).status_code == 400
    assert Attendance.objects.filter(session=session).count() == 2


def test_a_participant_checks_in_with_the_code_alone(api, session, org):
    session = checkin.open_code(acting_user=SYSTEM, session=session)
    code = checkin.grouped(session.check_in_code)
    client = api()
    me = {"code": code.lower(), "client_id": "p1", "name": "Đỗ Thị Hoa", "unit": "Xã Vĩnh Bình Bắc"}
    counted = client.post("activities/check-in", me)
    assert counted.status_code == 201
    hoa = Person.objects.get(name="Đỗ Thị Hoa")
    assert counted.json() == {
        "client_id": "p1",
        "status": "counted",
        "person": hoa.pk,
        "session": session.pk,
    }
    assert hoa.unit == org.c2
    again = client.post("activities/check-in", {**me, "client_id": "p2"})
    assert again.status_code == 200 and again.json()["status"] == "already"
    other = client.post("activities/check-in", {**me, "session": session.pk + 1})
    assert other.status_code == 400 and other.json()["error"]["code"] == "wrong_session"
    far = client.post("activities/check-in", {**me, "unit": "D2"})
    assert far.status_code == 400 and far.json()["error"]["code"] == "out_of_scope"
    Session.objects.filter(pk=session.pk).update(
        check_in_expires=timezone.now() - dt.timedelta(minutes=1)
    )
    late = client.post("activities/check-in", {**me, "name": "Lê Văn Tám"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "check_in_closed"
    served = checkin.make_pass(session, timezone.now() - dt.timedelta(hours=1))
    in_time = client.post("activities/check-in", {**me, "name": "Lê Văn Tám", "pass": served})
    assert in_time.status_code == 201
    missing = client.post("activities/check-in", {**me, "code": "AAAA-AAAA"})
    assert missing.status_code == 404
    assert client.post("activities/check-in", {"code": code}).status_code == 400
    assert Attendance.objects.filter(session=session).count() == 2


def test_guessing_codes_is_braked(api, session):
    session = checkin.open_code(acting_user=SYSTEM, session=session)
    client = api()
    body = {"client_id": "p", "name": "A", "unit": "C1"}
    for n in range(20):
        assert client.post("activities/check-in", {**body, "code": f"{n:08d}"}).status_code == 404
    braked = client.post("activities/check-in", {**body, "code": session.check_in_code})
    assert braked.status_code == 429 and int(braked["Retry-After"]) > 0
    assert braked.json()["error"]["code"] == "too_many_attempts"
    assert Attendance.objects.filter(session=session).count() == 0


def test_a_manager_takes_a_check_in_back_and_others_may_not(api, personas, session, org):
    """DELETE …/check-ins/{person}: the organiser's manager who may name the person; the
    count without them, 404 once they are not present, 409 while a certificate counts
    the session; the viewer, reporter and outsider 403, anonymous 401, PUT 405."""
    an = Person.objects.get(name="Nguyễn Văn An")
    manager = api(personas.manager)
    queue = {"check_ins": [{"client_id": "1", "person": an.pk}]}
    assert manager.post(f"activities/sessions/{session.pk}/check-ins", queue).status_code == 200
    url = f"activities/sessions/{session.pk}/check-ins/{an.pk}"
    for who in (personas.viewer, personas.reporter, personas.outsider):
        assert api(who).delete(url).status_code == 403
    assert api().delete(url).status_code == 401
    put = manager.client.put(f"/api/v1/{url}", headers=manager.headers)
    assert put.status_code == 405
    assert Attendance.objects.filter(session=session).count() == 1
    done = manager.delete(url)
    assert done.status_code == 200
    assert done.json() == {"session": session.pk, "person": an.pk, "attendances": 0}
    gone = manager.delete(url)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert AttendanceRemoval.objects.filter(session=session, person=an).count() == 1
    # A certificate of the event counted the session: revoke it first.
    manager.post(f"activities/sessions/{session.pk}/check-ins", queue)
    from trienkhai.activities import certificates

    certificates.issue(
        acting_user=SYSTEM, event=session.event, day=dt.date(2021, 3, 10), signer_position="X"
    )
    held = manager.delete(url)
    assert held.status_code == 409 and held.json()["error"]["code"] == "has_certificate"
    assert Attendance.objects.filter(session=session, person=an).exists()
