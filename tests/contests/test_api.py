from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tests.contests.conftest import STILL_OPEN
from tests.documents.test_attachments import png_file as png
from trienkhai.contests.models import Assignment, Contest, Entry, Judge

CONTEST = {
    "unit": "D1",
    "title": "Cuộc thi viết về Đảng bộ 2022",
    "opens": "2022-03-01",
    "closes": STILL_OPEN.isoformat(),
    "rounds": [
        {"name": "Sơ khảo", "judges_per_entry": 2},
        {"name": "Chung khảo", "judges_per_entry": 3},
    ],
    "criteria": [{"name": "Nội dung", "weight": 6, "max": 60}],
}


def send_entry(api, user, contest_id, shade, unit="C1"):
    client = api(user)
    return client.client.post(
        f"/api/v1/contests/{contest_id}/entries",
        data={
            "file": SimpleUploadedFile("bai.png", png(shade), content_type="image/png"),
            "title": "Bài viết",
            "author_name": "Trần Thị B",
            "unit": unit,
        },
        headers=client.headers,
    )


def test_it_creates_a_contest_with_rounds_and_criteria(org, personas, api):
    response = api(personas.manager).post("contests", CONTEST)
    assert response.status_code == 201, response.content
    contest = Contest.objects.get(pk=response.json()["id"])
    assert contest.unit == org.d1
    assert [(r.number, r.judges_per_entry) for r in contest.rounds.all()] == [(1, 2), (2, 3)]
    assert contest.created_by == personas.manager
    assert contest.history.get().history_user == personas.manager  # the audit row


def test_it_refuses_contests_to_the_outsider_the_anonymous_and_get(org, personas, api):
    assert api(personas.outsider).post("contests", CONTEST).status_code == 403
    assert api(personas.viewer).post("contests", CONTEST).status_code == 403
    assert api().post("contests", CONTEST).status_code == 401
    assert api(personas.manager).get("contests").status_code == 405
    assert not Contest.objects.exists()


def test_it_answers_bad_dates_in_both_languages(org, personas, api):
    response = api(personas.manager).post("contests", CONTEST | {"closes": "2022-01-01"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Ngày kết thúc trước ngày bắt đầu / ")


def test_it_receives_entries_and_refuses_the_same_file_twice(org, personas, api, media):
    contest = api(personas.manager).post("contests", CONTEST).json()["id"]
    first = send_entry(api, personas.manager, contest, 1)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["receipt"] == "001/2022" and len(body["sha256"]) == 64
    entry = Entry.objects.get(pk=body["id"])
    assert entry.received_by == entry.history.get().history_user == personas.manager
    again = send_entry(api, personas.manager, contest, 1, unit="C2")
    assert again.status_code == 409
    assert "biên nhận số 001/2022" in again.json()["error"]["message"]
    assert Entry.objects.count() == 1


def test_it_refuses_a_bad_file_and_stores_nothing(org, personas, api, media):
    contest = api(personas.manager).post("contests", CONTEST).json()["id"]
    client = api(personas.manager)
    response = client.client.post(
        f"/api/v1/contests/{contest}/entries",
        data={
            "file": SimpleUploadedFile("bai.pdf", b"not a pdf"),
            "title": "Bài",
            "author_name": "A",
            "unit": "C1",
        },
        headers=client.headers,
    )
    assert response.status_code == 400
    assert not Entry.objects.exists()
    assert not media.exists() or not any(media.rglob("*"))  # nothing stored


def test_it_names_judges_and_assigns_them_away_from_the_authors_unit(org, personas, api, media):
    manager = api(personas.manager)
    contest = manager.post("contests", CONTEST).json()["id"]
    f.make_user("gk_c1", unit=org.c1, role="viewer")
    f.make_user("gk_p1", unit=org.p1, role="viewer")
    f.make_user("gk")
    for name in ("gk_c1", "gk_p1", "gk"):
        made = manager.post(f"contests/{contest}/judges", {"user": name, "round": 1})
        assert made.status_code == 201, made.content
    twice = manager.post(f"contests/{contest}/judges", {"user": "gk", "round": 1})
    assert twice.status_code == 409
    entries = [send_entry(api, personas.manager, contest, s).json()["id"] for s in (1, 2, 3)]
    response = manager.post(f"contests/{contest}/rounds/1/assign")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unassigned"] == []
    c1_judge = Judge.objects.get(user__username="gk_c1").pk
    assert len(body["assignments"]) == 6
    assert all(a["judge"] != c1_judge for a in body["assignments"])
    assert {a["entry"] for a in body["assignments"]} == set(entries)
    assert Assignment.objects.count() == 6


def test_it_refuses_a_user_of_another_unit_on_every_endpoint(org, personas, api, media):
    contest = api(personas.manager).post("contests", CONTEST).json()["id"]
    outsider = api(personas.outsider)
    judge = {"user": "viewer", "round": 1}
    assert outsider.post(f"contests/{contest}/judges", judge).status_code == 403
    assert send_entry(api, personas.outsider, contest, 5).status_code == 403
    assert outsider.post(f"contests/{contest}/rounds/1/assign").status_code == 403
    assert api().post(f"contests/{contest}/rounds/1/assign").status_code == 401
    assert not Judge.objects.exists() and not Entry.objects.exists()


def test_it_answers_unknown_rounds_users_and_contests_with_404(org, personas, api):
    manager = api(personas.manager)
    contest = manager.post("contests", CONTEST).json()["id"]
    assert manager.post(f"contests/{contest}/rounds/9/assign").status_code == 404
    assert manager.post(f"contests/{contest}/judges", {"user": "ai", "round": 1}).status_code == 404
    assert manager.post("contests/999999/rounds/1/assign").status_code == 404


def test_it_refuses_a_nul_character_or_an_overlong_title_with_400(org, personas, api, media):
    contest = api(personas.manager).post("contests", CONTEST).json()["id"]
    client = api(personas.manager)
    for fields in ({"unit": "C\x001"}, {"title": "x" * 501}):
        response = client.client.post(
            f"/api/v1/contests/{contest}/entries",
            data={
                "file": SimpleUploadedFile("bai.png", png(9), content_type="image/png"),
                "title": "Bài",
                "author_name": "A",
                "unit": "C1",
            }
            | fields,
            headers=client.headers,
        )
        assert response.status_code == 400, response.content
    assert not Entry.objects.exists()
