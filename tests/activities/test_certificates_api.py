"""/api/v1/activities/... certificates: an event's, issuing, the rule, one certificate, its
revocation, and the public check by code; with the forbidden cases (the outsider, the
viewer, anonymous, the wrong method) and the brake on guessing."""

import datetime as dt

import pytest

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import certificates
from trienkhai.activities.models import Certificate, Person

pytestmark = pytest.mark.usefixtures("fresh_brake")


@pytest.fixture
def course(org):
    """D1's class of two sessions: An (C1) at both, Bình (C2) at one, Dũng (D2) at both."""
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An"], unit=org.c1)
    attend(event, ["Nguyễn Văn An"], session=1, unit=org.c1)
    attend(event, ["Lê Thị Bình"], unit=org.c2)
    attend(event, ["Phạm Dũng"], unit=org.d2)
    attend(event, ["Phạm Dũng"], session=1, unit=org.d2)
    return event


def an_s_certificate(event) -> Certificate:
    (made,) = certificates.issue(
        acting_user=SYSTEM,
        event=event,
        people=[Person.objects.get(name="Nguyễn Văn An")],
        day=dt.date(2021, 3, 10),
        signer_position="CHỦ TỊCH",
    )
    return made


def url(event, tail="certificates") -> str:
    return f"/api/v1/activities/events/{event.pk}/{tail}"


def test_a_manager_issues_everyone_and_reads_names_only_of_whom_they_may(personas, api, course):
    response = api(personas.manager).post(
        url(course), {"date": "2021-03-10", "signer_position": "Chủ tịch"}
    )
    assert response.status_code == 201, response.content
    issued = response.json()["issued"]
    assert [(c["symbol"], c["name"], c["state"]) for c in issued] == [
        ("01/GCN-HU", "Nguyễn Văn An", "valid"),
        ("02/GCN-HU", None, "valid"),  # Dũng, of D2: no name, no code for D1's manager
    ]
    an = Certificate.objects.get(number=1)
    assert issued[0]["code"] == an.code_shown
    assert issued[0]["verify_url"].endswith(f"/xac-minh/{an.code_shown}/")
    assert issued[1]["code"] is None and issued[1]["verify_url"] is None
    listed = api(personas.manager).get(url(course)).json()
    assert {k: listed[k] for k in ("sessions_held", "sessions_needed", "eligible", "to_issue")} == {
        "sessions_held": 2,
        "sessions_needed": 2,
        "eligible": 2,
        "to_issue": 0,
    }
    assert [c["symbol"] for c in listed["certificates"]] == ["01/GCN-HU", "02/GCN-HU"]
    # Everyone has one: nothing to issue.
    again = api(personas.manager).post(url(course), {"signer_position": "CHỦ TỊCH"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "nothing_to_issue"


def test_it_issues_the_people_named_and_refuses_who_may_not_have_one(personas, api, course):
    bình = Person.objects.get(name="Lê Thị Bình").pk
    refused = api(personas.manager).post(
        url(course), {"people": [bình], "date": "2021-03-10", "signer_position": "CT"}
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "not_eligible"
    assert error["details"] == [
        {"person": bình, "problem": "dự 1/2 buổi, cần 2 / attended 1 of 2 sessions, 2 needed"}
    ]
    unknown = api(personas.manager).post(url(course), {"people": [999999], "signer_position": "CT"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_person"
    rule = api(personas.manager)._call("put", url(course, "certificate-rule"), {"sessions": 1})
    assert rule.status_code == 200
    assert rule.json() == {"sessions_held": 2, "sessions_needed": 1, "eligible": 3, "to_issue": 3}
    done = api(personas.manager).post(
        url(course), {"people": [bình], "date": "2021-03-10", "signer_position": "CT"}
    )
    assert done.status_code == 201 and done.json()["issued"][0]["name"] == "Lê Thị Bình"
    # The signer is the organiser's last unless given.
    later = api(personas.manager).post(url(course), {"date": "2021-03-11"})
    assert later.status_code == 201
    assert set(Certificate.objects.values_list("signer_position", flat=True)) == {"CT"}


def test_without_a_signer_ever_given_it_asks_for_one(personas, api, course):
    response = api(personas.manager).post(url(course), {})
    assert response.status_code == 400 and response.json()["error"]["code"] == "missing_signer"


def test_it_keeps_issuing_from_who_may_not_change_the_organiser(personas, api, course):
    body = {"date": "2021-03-10", "signer_position": "CHỦ TỊCH"}
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert api(user).post(url(course), body).status_code == 403
        assert api(user).get(url(course)).status_code == 403
        put = api(user)._call("put", url(course, "certificate-rule"), {"sessions": 1})
        assert put.status_code == 403
    assert api().post(url(course), body).status_code == 401
    assert api(personas.manager).delete(url(course)).status_code == 405
    assert not Certificate.objects.exists()


def test_a_certificate_is_read_and_revoked_by_the_organiser_s_managers(personas, api, course):
    made = an_s_certificate(course)
    one = f"/api/v1/activities/certificates/{made.pk}"
    assert api(personas.manager).get(one).json()["name"] == "Nguyễn Văn An"
    for user in (personas.outsider, personas.viewer):
        assert api(user).get(one).status_code == 403
        assert api(user).get(f"{one}/pdf").status_code == 403
        assert api(user).post(f"{one}/revoke", {"reason": "x"}).status_code == 403
    assert api().get(one).status_code == 401
    missing = api(personas.manager).post(f"{one}/revoke", {})
    assert missing.status_code == 400
    revoked = api(personas.manager).post(f"{one}/revoke", {"reason": "Cấp nhầm"})
    assert revoked.status_code == 200
    assert (revoked.json()["state"], revoked.json()["revoked_reason"]) == ("revoked", "Cấp nhầm")
    twice = api(personas.manager).post(f"{one}/revoke", {"reason": "Lần nữa"})
    assert twice.status_code == 409
    assert api(personas.manager).get(f"{one}/pdf").status_code == 409


def test_anyone_checks_a_code_and_reads_only_what_the_paper_shows(personas, api, course):
    made = an_s_certificate(course)
    response = api().get(f"/api/v1/activities/certificates/verify/{made.code.lower()}")
    assert response.status_code == 200
    assert response.json() == {
        "state": "valid",
        "symbol": "01/GCN-HU",
        "issued": "2021-03-10",
        "name": "Nguyễn Văn An",
        "title": "Lớp bồi dưỡng lý luận",
        "kind": "class",
        "start": "2021-03-01",
        "end": "2021-03-02",
        "organiser": "Huyện Vĩnh Thuận",
        "revoked": None,
    }
    missing = api().get("/api/v1/activities/certificates/verify/0000-0000-0000-0000")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_checking_codes_found_nowhere_is_braked(api, course):
    client = api()
    for n in range(certificates.VERIFY_MISSES):
        found = client.get(f"/api/v1/activities/certificates/verify/{n:016d}")
        assert found.status_code == 404
    braked = client.get("/api/v1/activities/certificates/verify/0000000000000000")
    assert braked.status_code == 429
    assert braked.json()["error"]["code"] == "too_many_attempts"
    assert int(braked["Retry-After"]) > 0
