"""The demo users' bells and mailboxes show their own work (decision 0038)."""

from trienkhai.accounts.models import User
from trienkhai.notifications.models import Delivery, Kind, Notification
from trienkhai.reporting.models import Submission


def unread(username: str) -> set[str]:
    return set(
        Notification.objects.filter(user__username=username, read__isnull=True).values_list(
            "kind", flat=True
        )
    )


def test_each_demo_user_is_told_of_their_own_work(demo, db):
    assert {Kind.RETURNED, Kind.OVERDUE, Kind.TASK} <= unread("bc.tanthuan")
    assert Kind.OVERDUE in unread("bc.bhxh")
    assert {Kind.ESCALATED, Kind.DOCUMENT} <= unread("quanly")
    assert Kind.ESCALATED in unread("ql.chodon")
    assert Kind.OVERDUE in unread("bc.yenphong")
    returned = Notification.objects.get(
        user__username="bc.tanthuan", kind=Kind.RETURNED, url__contains="BC35-VT-6T"
    )
    assert "Số lượt người tham gia chưa khớp biên bản hội nghị" in returned.body
    assert returned.url == "/bao-cao/BC35-VT-6T/DU-VT-31072/2020S2/"
    # Told when it was returned in the history (January 2021), not the day of loading.
    report = Submission.objects.get(
        form__code="BC35-VT-6T", unit__code="DU-VT-31072", period="2020S2"
    )
    assert returned.created == report.decided
    assert returned.created.year == 2021


def test_the_bell_counts_what_is_unread(demo, db):
    for user in User.objects.filter(username__in=["quanly", "bc.tanthuan", "baocao"]):
        assert user.unread_notifications == len(
            Notification.objects.filter(user=user, read__isnull=True)
        )
        assert user.unread_notifications > 0


def test_the_reports_the_managers_acted_on_are_read(demo, db):
    submitted = Notification.objects.filter(user__username="quanly", kind=Kind.SUBMITTED)
    assert submitted.exists() and not submitted.filter(read__isnull=True).exists()


def test_every_demo_email_went_out_once(demo, db):
    assert Delivery.objects.exists()
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()
    assert all(d.attempts == 1 for d in Delivery.objects.all())
    # One e-mail per notification of a user with an address, though the fixture loaded
    # the demo twice.
    assert Delivery.objects.count() == Notification.objects.filter(user__email__gt="").count()
