"""``GET /api/v1/me/notifications`` and ``POST /api/v1/me/notifications/{id}/read``."""

from tests.notifications.test_choices import tell
from trienkhai.notifications.models import Notification

TASK = "Nhiệm vụ mới cho Huyện Vĩnh Thuận: "
"""How ``tell``'s notifications start."""


def test_it_lists_the_callers_notifications_newest_first(people, api):
    tell(people.reporter, "k1")
    tell(people.reporter, "k2")
    tell(people.other, "k3")
    body = api(people.reporter).get("me/notifications").json()
    assert body["count"] == 2 and body["unread"] == 2
    assert [n["title"] for n in body["results"]] == [f"{TASK}Tiêu đề k2", f"{TASK}Tiêu đề k1"]
    assert body["results"][0]["url"] == "/viec-cua-toi/" and body["results"][0]["read"] is None


def test_it_pages_and_filters_unread(people, api):
    for n in range(3):
        tell(people.reporter, f"k{n}")
    client = api(people.reporter)
    first = Notification.objects.filter(user=people.reporter).order_by("pk").first()
    assert client.post(f"me/notifications/{first.pk}/read").status_code == 200
    unread = client.get("me/notifications", unread="true", limit=1).json()
    assert unread["count"] == 2 and unread["unread"] == 2
    assert [n["title"] for n in unread["results"]] == [f"{TASK}Tiêu đề k2"]
    assert client.get("me/notifications", offset=2).json()["results"][0]["title"] == (
        f"{TASK}Tiêu đề k0"
    )
    assert client.get("me/notifications", limit=0).status_code in (400, 422)


def test_it_marks_read_and_the_bell_counts_down(people, api):
    (made,) = tell(people.reporter)
    people.reporter.refresh_from_db()
    assert people.reporter.unread_notifications == 1
    read = api(people.reporter).post(f"me/notifications/{made.pk}/read")
    assert read.status_code == 200 and read.json()["read"] is not None
    people.reporter.refresh_from_db()
    assert people.reporter.unread_notifications == 0


def test_another_users_notification_is_not_found(people, api):
    (made,) = tell(people.reporter)
    refused = api(people.other).post(f"me/notifications/{made.pk}/read")
    assert refused.status_code == 404
    assert Notification.objects.get(pk=made.pk).read is None


def test_it_refuses_anonymous_callers_and_other_methods(people, api):
    (made,) = tell(people.reporter)
    assert api().get("me/notifications").status_code == 401
    assert api().post(f"me/notifications/{made.pk}/read").status_code == 401
    assert api(people.reporter).get(f"me/notifications/{made.pk}/read").status_code == 405
    assert api(people.reporter).delete("me/notifications").status_code == 405
