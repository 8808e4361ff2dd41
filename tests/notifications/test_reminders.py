"""``trienkhai remind``: deadlines near, reports late and escalated, once each."""

import datetime as dt

from tests.reporting.test_review import fill, submit
from trienkhai import cli
from trienkhai.notifications import outbox, reminders
from trienkhai.notifications.models import Kind, Notification

# Form HK, 2020S1: the half-year ends 30/06/2020, the report is due 10/07/2020.
DUE_SOON = dt.date(2020, 7, 8)
LATE_10_DAYS = dt.date(2020, 7, 20)


def kinds(user) -> list[tuple[str, str]]:
    return sorted(
        (n.kind, n.url) for n in Notification.objects.filter(user=user, url__contains="2020S1")
    )


def test_it_reminds_of_a_deadline_once(form, org, people, smtp):
    """GIVEN C1 and C2 owe HK 2020S1, due in 2 days WHEN remind runs twice THEN each
    reporter is told once of their own unit, the second run makes and sends nothing."""
    made = reminders.remind(DUE_SOON)
    assert made.created >= 2
    assert kinds(people.reporter) == [(Kind.DUE_SOON, "/bao-cao/HK/C1/2020S1/")]
    assert kinds(people.other) == [(Kind.DUE_SOON, "/bao-cao/HK/C2/2020S1/")]
    assert kinds(people.outsider) == []
    first = outbox.flush(digests=True)
    assert first.sent == len(smtp.messages) >= 2
    text = smtp.to(people.reporter.email)[0].get_body(("plain",)).get_content()
    assert "Hạn gửi 10/07/2020 (còn 2 ngày)." in text
    assert reminders.remind(DUE_SOON).created == 0
    assert outbox.flush(digests=True).sent == 0
    assert len(smtp.messages) == first.sent


def test_it_does_not_remind_of_a_report_that_is_in(form, org, people, smtp):
    fill(form, org.c1, people.reporter)
    submit(form, org.c1, people.reporter)
    reminders.remind(DUE_SOON)
    assert kinds(people.reporter) == []
    assert kinds(people.other) == [(Kind.DUE_SOON, "/bao-cao/HK/C2/2020S1/")]


def test_it_tells_overdue_once_a_day_and_escalates_once(form, org, people, smtp):
    """10 days late (escalation after 7): the reporter is told it is overdue, the
    district's manager that C1 is late; the next day the reporter again, the manager
    not."""
    reminders.remind(LATE_10_DAYS)
    assert kinds(people.reporter) == [(Kind.OVERDUE, "/bao-cao/HK/C1/2020S1/")]
    escalated = Notification.objects.filter(user=people.manager, kind=Kind.ESCALATED)
    assert sorted(n.url for n in escalated) == [
        "/bao-cao/HK/C1/2020S1/",
        "/bao-cao/HK/C2/2020S1/",
    ]
    # Said by the deadline, not "10 days late": still true when read a year later.
    assert escalated.first().title.startswith("Đơn vị cấp dưới quá hạn lâu: ")
    assert "hạn gửi là 10/07/2020" in escalated.first().body
    outbox.flush()
    assert len(smtp.to(people.manager.email)) == 2
    reminders.remind(LATE_10_DAYS + dt.timedelta(days=1))
    overdue = Notification.objects.filter(user=people.reporter, kind=Kind.OVERDUE)
    assert overdue.count() == 2
    assert escalated.count() == 2


def test_the_reminders_of_a_report_are_read_once_it_is_in(form, org, people, smtp):
    """GIVEN C1 overdue two days running and escalated WHEN its report is sent THEN its
    reminders are read for the reporter and the manager (the bell counts none of them);
    C2's stay unread."""
    from trienkhai.accounts.models import User

    reminders.remind(LATE_10_DAYS)
    reminders.remind(LATE_10_DAYS + dt.timedelta(days=1))
    fill(form, org.c1, people.reporter)
    submit(form, org.c1, people.reporter)
    about_c1 = Notification.objects.filter(url="/bao-cao/HK/C1/2020S1/").exclude(
        kind=Kind.SUBMITTED
    )
    assert {n.kind for n in about_c1} == {Kind.OVERDUE, Kind.ESCALATED}
    assert not about_c1.filter(read__isnull=True).exists()
    c2 = Notification.objects.filter(url="/bao-cao/HK/C2/2020S1/")
    assert c2.exists() and not c2.filter(read__isnull=False).exists()
    for user in (people.reporter, people.manager):
        unread = Notification.objects.filter(user=user, read__isnull=True).count()
        assert User.objects.get(pk=user.pk).unread_notifications == unread


def test_it_waits_before_escalating(form, org, people, settings):
    settings.ESCALATE_DAYS = 11
    reminders.remind(LATE_10_DAYS)
    assert not Notification.objects.filter(kind=Kind.ESCALATED).exists()


def test_the_command_acts_as_if_it_were_the_date_given(form, org, people, smtp, capsys):
    assert cli.main(["remind", "--date", "08/07/2020"]) == 0
    said = capsys.readouterr().out
    assert "(08/07/2020)" in said
    assert kinds(people.reporter) == [(Kind.DUE_SOON, "/bao-cao/HK/C1/2020S1/")]
    assert len(smtp.to(people.reporter.email)) == 1
    assert cli.main(["remind", "--date", "08/07/2020"]) == 0
    assert "0 thông báo mới" in capsys.readouterr().out
    assert len(smtp.to(people.reporter.email)) == 1


def test_the_command_refuses_a_date_it_cannot_read(capsys, db):
    assert cli.main(["remind", "--date", "31/02/2020"]) == 2
    assert "Ngày không hợp lệ" in capsys.readouterr().err
