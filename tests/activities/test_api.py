import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.activities.conftest import attend, make_event
from trienkhai.activities.models import Attendance, Event

EVENT = {
    "unit": "C1",
    "kind": "class",
    "title": "Lớp bồi dưỡng lý luận chính trị",
    "start": "2021-03-01",
    "end": "2021-03-03",
    "audience": ["dang_vien"],
    "sessions": [{"date": "2021-03-01"}, {"date": "2021-03-03"}],
}


def test_it_creates_an_event(org, personas, api):
    response = api(personas.manager).post("activities/events", EVENT)
    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    assert event.organiser == org.c1
    assert [s["date"] for s in body["sessions"]] == ["2021-03-01", "2021-03-03"]


def test_it_refuses_events_to_the_outsider_the_anonymous_and_get(org, personas, api):
    assert api(personas.outsider).post("activities/events", EVENT).status_code == 403
    assert api(personas.viewer).post("activities/events", EVENT).status_code == 403
    assert api().post("activities/events", EVENT).status_code == 401
    assert api(personas.manager).delete("activities/events").status_code == 405
    assert not Event.objects.exists()


def test_it_answers_a_bad_event_in_both_languages(org, personas, api):
    response = api(personas.manager).post("activities/events", EVENT | {"kind": "party"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Loại hoạt động không hợp lệ / ")


def test_it_records_attendance_from_json(org, personas, api):
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    first, second = (s.pk for s in event.sessions.all())
    rows = [
        {"session": first, "name": "Nguyễn Văn An", "unit": "C1", "audience": "dang_vien"},
        {"session": second, "name": "Nguyễn Văn An", "unit": "C1"},
        {"session": "2021-03-02", "name": "Lê Thị Bình", "unit": "C2", "position": "Bí thư"},
    ]
    path = f"activities/events/{event.pk}/attendance"
    response = api(personas.manager).post(path, {"rows": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 3}
    assert Attendance.objects.filter(audience="dang_vien").count() == 2


def test_it_refuses_a_bad_list_with_details_and_saves_nothing(org, personas, api):
    event = make_event(org.d1)
    session = event.sessions.get().pk
    rows = [
        {"session": session, "name": "Nguyễn Văn An", "unit": "C1"},
        {"session": session, "name": "Lê Thị Bình", "unit": "XX"},
        {"session": 0, "name": "Trần Cường", "unit": "C1"},
    ]
    response = api(personas.manager).post(
        f"activities/events/{event.pk}/attendance", {"rows": rows}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_rows"
    assert [(d["row"], d["column"]) for d in error["details"]] == [(2, "unit"), (3, "session")]
    assert error["details"][0]["problem"] == "Không có đơn vị XX / unknown unit XX"
    assert not Attendance.objects.exists()


def test_it_refuses_attendance_to_the_outsider_and_the_anonymous(org, personas, api):
    event = make_event(org.d1)
    path = f"activities/events/{event.pk}/attendance"
    rows = {"rows": [{"session": event.sessions.get().pk, "name": "A", "unit": "D1"}]}
    assert api(personas.outsider).post(path, rows).status_code == 403
    assert api(personas.reporter).post(path, rows).status_code == 403
    assert api().post(path, rows).status_code == 401
    assert api(personas.manager).get(path).status_code == 405
    assert (
        api(personas.manager).post("activities/events/999999/attendance", rows).status_code == 404
    )
    assert not Attendance.objects.exists()


def test_it_refuses_people_of_another_district_by_json_and_by_file(org, personas, api):
    """GIVEN a class of D1 WHEN D1's manager sends a row of D2 (the outsider's district)
    as JSON or in a file THEN 400 with that row's problem and nothing saved; the admin,
    who manages both districts, records it."""
    event = make_event(org.d1)
    session = event.sessions.get().pk
    path = f"activities/events/{event.pk}/attendance"
    rows = [
        {"session": session, "name": "Nguyễn Văn An", "unit": "C1"},
        {"session": session, "name": "Phạm Văn Em", "unit": "D2"},
    ]
    response = api(personas.manager).post(path, {"rows": rows})
    assert response.status_code == 400, response.content
    [detail] = response.json()["error"]["details"]
    assert (detail["row"], detail["column"]) == (2, "unit")
    assert detail["problem"].startswith("Đơn vị D2 ngoài phạm vi bạn quản lý")
    csv = "session,name,unit\n2021-03-01,Nguyễn Văn An,C1\n2021-03-01,Phạm Văn Em,Huyện Cầu Kè\n"
    response = _upload(personas.manager, event, "diem-danh.csv", csv.encode())
    assert response.status_code == 400, response.content
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [(3, "unit")]
    assert not Attendance.objects.exists()
    assert api(personas.admin).post(path, {"rows": rows}).json() == {"saved": 2}


def _upload(user, event, name, data):
    from trienkhai.accounts.services import issue_token

    client = Client(headers={"Authorization": f"Bearer {issue_token(user=user)}"})
    upload = SimpleUploadedFile(name, data)
    return client.post(f"/api/v1/activities/events/{event.pk}/attendance", {"file": upload})


def test_it_reads_an_attendance_list_from_csv_and_xlsx(org, personas):
    from openpyxl import Workbook

    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    csv = "Ngày,Họ và tên,Đơn vị,Chức vụ,Đối tượng\n2021-03-01,Nguyễn Văn An,C1,,dang_vien\n"
    response = _upload(personas.manager, event, "diem-danh.csv", csv.encode())
    assert response.json() == {"saved": 1}, response.content
    book = Workbook()
    sheet = book.active
    sheet.append(["session", "name", "unit"])
    sheet.append([event.sessions.all()[1].pk, "Nguyễn Văn An", "C1"])
    sheet.append([event.sessions.all()[1].pk, "Lê Thị Bình", "C2"])
    data = io.BytesIO()
    book.save(data)
    response = _upload(personas.manager, event, "diem-danh.xlsx", data.getvalue())
    assert response.json() == {"saved": 2}, response.content
    assert Attendance.objects.values("person").distinct().count() == 2


def test_it_refuses_a_malformed_file_and_saves_nothing(org, personas):
    event = make_event(org.d1)
    response = _upload(personas.manager, event, "diem-danh.xlsx", b"PK\x03\x04 not a workbook")
    assert response.status_code == 400
    bad_rows = "session,name,unit\n\n2020-01-01,A,C1\n"
    response = _upload(personas.manager, event, "diem-danh.csv", bad_rows.encode())
    assert response.status_code == 400
    # Named by its row in the file: the heading is row 1, the blank row 2.
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [
        (3, "session")
    ]
    assert not Attendance.objects.exists()


def test_it_answers_the_figures_of_a_subtree(org, personas, api):
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02", "2021-03-03"))
    for session in range(3):
        attend(event, ["Nguyễn Văn An"], session=session)
    make_event(org.c2, kind="online_conference", days=("2020-06-01",))
    response = api(personas.viewer).get("activities/figures", unit="D1", period="2019..2021")
    assert response.status_code == 200, response.content
    got = {row["code"]: row["value"] for row in response.json()}
    assert got["act_classes"] == 1 and got["act_conferences"] == 1
    assert (got["act_attendances"], got["act_participants"]) == (3, 1)
    response = api(personas.viewer).get("activities/figures", unit="D1", period="2021Q2")
    assert {row["code"]: row["value"] for row in response.json()}["act_attendances"] == 0


def test_it_refuses_figures_to_the_outsider_and_bad_periods(org, personas, api):
    assert (
        api(personas.outsider).get("activities/figures", unit="D1", period="2021").status_code
        == 403
    )
    assert api().get("activities/figures", unit="D1", period="2021").status_code == 401
    assert (
        api(personas.viewer).get("activities/figures", unit="D1", period="2021X").status_code == 400
    )
    assert api(personas.viewer).post("activities/figures").status_code == 405


def test_it_lists_the_figures_as_indicators_and_answers_analytics(org, personas, api):
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02"))
    for session in range(2):
        attend(event, ["Nguyễn Văn An", "Lê Thị Bình"], session=session)
    listed = {i["code"]: i for i in api(personas.viewer).get("indicators").json()}
    assert listed["act_participants"]["source"] == "activities"
    assert listed["act_classes"]["source"] == "activities"
    response = api(personas.viewer).get(
        "analytics",
        indicator=["act_attendances", "act_participants"],
        period="2021",
        unit="D1",
        level=1,
    )
    assert response.status_code == 200, response.content
    got = {(r["indicator"], r["unit"]): r["value"] for r in response.json()["rows"]}
    assert got[("act_attendances", "C1")] == 4 and got[("act_participants", "C1")] == 2
    assert got[("act_attendances", "C2")] == 0
