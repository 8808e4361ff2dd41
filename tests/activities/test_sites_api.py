"""The API of connected sites (decision 0046): an online conference created with its
sites, the events read back (a list, one with its sites), a site added, counted and
removed; each with its forbidden cases (outsider and viewer 403, anonymous 401, the
wrong method 405)."""

import datetime as dt

from tests import factories as f
from tests.activities.conftest import attend, make_event
from trienkhai.activities.models import Attendance, Event, Site, SiteCount

CONFERENCE = {
    "unit": "D1",
    "kind": "online_conference",
    "title": "Hội nghị trực tuyến quán triệt Nghị quyết",
    "start": "2021-03-01",
    "end": "2021-03-01",
    "sessions": [{"date": "2021-03-01"}],
    "sites": [{"unit": "C1", "place": "Hội trường thị trấn"}, {"unit": "C2"}],
}


def _created(api, user, body=CONFERENCE):
    response = api(user).post("activities/events", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_it_creates_a_conference_with_its_sites(org, personas, api):
    body = _created(api, personas.manager)
    assert [(s["unit"], s["place"]) for s in body["sites"]] == [
        ("C1", "Hội trường thị trấn"),
        ("C2", ""),
    ]
    assert Site.objects.filter(event_id=body["id"]).count() == 2


def test_the_first_contract_still_holds(org, personas, api):
    """A client that sends no sites gets what it got: id and sessions (and no sites)."""
    body = _created(api, personas.manager, {k: v for k, v in CONFERENCE.items() if k != "sites"})
    assert set(body) == {"id", "sessions", "sites"} and body["sites"] == []


def test_bad_sites_refuse_the_whole_event(org, personas, api):
    bad = CONFERENCE | {"sites": [{"unit": "C1"}, {"unit": "D2"}, {"unit": "XX"}]}
    response = api(personas.manager).post("activities/events", bad)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_sites"
    assert [(d["row"], d["column"]) for d in error["details"]] == [(2, "unit"), (3, "unit")]
    assert error["details"][1]["problem"] == "Không có đơn vị XX / unknown unit XX"
    response = api(personas.manager).post("activities/events", bad | {"kind": "class"})
    assert response.json()["error"]["code"] == "sites_not_online"
    assert not Event.objects.exists()


def test_it_reads_an_event_with_its_sites_and_counts(org, personas, api):
    body = _created(api, personas.manager)
    session = body["sessions"][0]["id"]
    c1 = next(s["id"] for s in body["sites"] if s["unit"] == "C1")
    rows = [{"session": session, "name": "Nguyễn Văn An", "unit": "C1", "site": "C1"}]
    path = f"activities/events/{body['id']}/attendance"
    assert api(personas.manager).post(path, {"rows": rows}).json() == {"saved": 1}
    changed = api(personas.manager).patch(
        f"activities/sites/{c1}",
        {"place": "Nhà văn hóa", "counts": [{"session": session, "people": 40}]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["counts"] == [
        {"session": session, "date": "2021-03-01", "people": 40, "named": 1}
    ]
    for user in (personas.viewer, personas.reporter, personas.manager):
        found = api(user).get(f"activities/events/{body['id']}")
        assert found.status_code == 200
        event = found.json()
        assert (event["attendances"], event["heads"], event["participants"]) == (40, 39, 1)
        assert event["sessions"] == [{"id": session, "date": "2021-03-01", "attendances": 40}]
        assert [(s["unit"], s["unit_name"], s["place"]) for s in event["sites"]] == [
            ("C1", "Thị trấn Vĩnh Thuận", "Nhà văn hóa"),
            ("C2", "Xã Vĩnh Bình Bắc", ""),
        ]
        assert "Nguyễn Văn An" not in found.content.decode()


def test_it_lists_the_events_of_a_subtree(org, personas, api):
    body = _created(api, personas.manager)
    old = make_event(org.c1, days=("2020-05-04",), title="Lớp 2020")
    attend(old, ["Trần Cường"])
    make_event(org.d2, title="Lớp của Cầu Kè")
    listed = api(personas.viewer).get("activities/events", unit="D1")
    assert listed.status_code == 200
    assert [(e["id"], e["unit"], e["kind"]) for e in listed.json()] == [
        (body["id"], "D1", "online_conference"),
        (old.pk, "C1", "class"),
    ]
    assert listed.json()[1]["attendances"] == 1 and listed.json()[1]["participants"] == 1
    only = api(personas.viewer).get("activities/events", unit="D1", year=2020, kind="class")
    assert [e["id"] for e in only.json()] == [old.pk]
    bad = api(personas.viewer).get("activities/events", unit="D1", kind="party")
    assert bad.status_code == 400
    assert api(personas.outsider).get("activities/events", unit="D1").status_code == 403
    assert api().get("activities/events", unit="D1").status_code == 401


def test_a_site_is_added_counted_and_removed(org, personas, api):
    event = make_event(org.d1, kind="online_conference")
    session = event.sessions.get().pk
    client = api(personas.manager)
    added = client.post(f"activities/events/{event.pk}/sites", {"unit": "C2"})
    assert added.status_code == 201, added.content
    site = added.json()["id"]
    assert added.json()["counts"] == [
        {"session": session, "date": "2021-03-01", "people": None, "named": 0}
    ]
    again = client.post(f"activities/events/{event.pk}/sites", {"unit": "C2"})
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_sites"
    bad = client.patch(f"activities/sites/{site}", {"counts": [{"session": 0, "people": 3}]})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["column"] == "session"
    counted = client.patch(
        f"activities/sites/{site}", {"counts": [{"session": session, "people": 12}]}
    )
    assert counted.json()["counts"][0]["people"] == 12
    cleared = client.patch(
        f"activities/sites/{site}", {"counts": [{"session": session, "people": None}]}
    )
    assert cleared.json()["counts"][0]["people"] is None
    assert client.delete(f"activities/sites/{site}").status_code == 204
    assert not Site.objects.exists()


def test_a_site_with_people_named_there_stays(org, personas, api):
    body = _created(api, personas.manager)
    session = body["sessions"][0]["id"]
    rows = [{"session": session, "name": "An", "unit": "C2", "site": "Xã Vĩnh Bình Bắc"}]
    api(personas.manager).post(f"activities/events/{body['id']}/attendance", {"rows": rows})
    c2 = Attendance.objects.get().site
    response = api(personas.manager).delete(f"activities/sites/{c2.pk}")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "site_has_attendances"


def test_it_keeps_the_sites_writes_to_the_organiser_s_managers(org, personas, api):
    body = _created(api, personas.manager)
    session = body["sessions"][0]["id"]
    site = body["sites"][0]["id"]
    count = {"counts": [{"session": session, "people": 5}]}
    f.make_unit("C3", parent=org.d1, valid_from=dt.date(2008, 8, 1))
    for user in (personas.viewer, personas.reporter, personas.outsider, None):
        client = api(user)
        expected = 401 if user is None else 403
        added = client.post(f"activities/events/{body['id']}/sites", {"unit": "C3"})
        assert added.status_code == expected
        assert client.patch(f"activities/sites/{site}", count).status_code == expected
        assert client.delete(f"activities/sites/{site}").status_code == expected
    assert api(personas.outsider).get(f"activities/events/{body['id']}").status_code == 403
    assert api(personas.manager).get(f"activities/sites/{site}").status_code == 405
    assert api(personas.manager).patch("activities/sites/999999", count).status_code == 404
    assert Site.objects.count() == 2 and not SiteCount.objects.exists()
