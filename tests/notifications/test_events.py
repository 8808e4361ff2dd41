"""Reports returned, submitted and approved, tasks and documents: who is told, by e-mail
through a real SMTP server."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import SYSTEM, make_user
from tests.notifications.conftest import subject, with_email
from tests.reporting.test_review import fill, submit
from trienkhai.notifications import outbox, texts
from trienkhai.notifications import services as services_
from trienkhai.notifications.models import Delivery, Kind, Notification
from trienkhai.reporting import services


def _submitted(form, org, people, capture):
    fill(form, org.c1, people.reporter)
    with capture(execute=True):
        return submit(form, org.c1, people.reporter)


def test_it_emails_the_reporter_once_when_a_report_is_returned(
    form, org, people, smtp, django_capture_on_commit_callbacks
):
    """GIVEN C1's report submitted WHEN the district's manager returns it THEN its
    reporter has one notification and one e-mail, in Vietnamese, with the reason and a
    link to the report; the other commune's reporter nothing."""
    submission = _submitted(form, org, people, django_capture_on_commit_callbacks)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(
            acting_user=people.manager, submission=submission, comment="Thiếu số lớp đã mở"
        )
    told = Notification.objects.filter(user=people.reporter, kind=Kind.RETURNED)
    assert told.count() == 1
    mails = smtp.to(people.reporter.email)
    assert len(mails) == 1
    mail = mails[0]
    assert subject(mail) == (
        "Báo cáo bị trả lại: Báo cáo 6 tháng – 6 tháng đầu năm 2020 – Thị trấn Vĩnh Thuận"
    )
    text = mail.get_body(("plain",)).get_content()
    assert "Lý do: Thiếu số lớp đã mở" in text
    assert "https://baocao.example.vn/bao-cao/HK/C1/2020S1/" in text
    assert "Kính gửi" in text
    html = mail.get_body(("html",)).get_content()
    assert "Thiếu số lớp đã mở" in html
    assert (
        str(mail["List-Unsubscribe"])
        .strip()
        .startswith("<https://baocao.example.vn/thong-bao/huy-nhan/")
    )
    assert smtp.to(people.other.email) == []
    assert Delivery.objects.get(notification=told.get()).state == Delivery.State.SENT


def test_it_tells_the_approvers_of_a_submitted_report_and_nobody_else(
    form, org, people, smtp, django_capture_on_commit_callbacks
):
    _submitted(form, org, people, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=people.manager, kind=Kind.SUBMITTED).count() == 1
    assert len(smtp.to(people.manager.email)) == 1
    for user in (people.other, people.outsider, people.reporter):
        assert not Notification.objects.filter(user=user, kind=Kind.SUBMITTED).exists()
        assert smtp.to(user.email) == []
    assert subject(smtp.to(people.manager.email)[0]).startswith("Báo cáo chờ duyệt: ")


def test_it_tells_the_reporter_that_the_report_was_approved(
    form, org, people, smtp, django_capture_on_commit_callbacks
):
    submission = _submitted(form, org, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(acting_user=people.manager, submission=submission)
    assert Notification.objects.filter(user=people.reporter, kind=Kind.APPROVED).count() == 1
    assert [subject(m) for m in smtp.to(people.reporter.email)] == [
        "Báo cáo đã được duyệt: Báo cáo 6 tháng – 6 tháng đầu năm 2020 – Thị trấn Vĩnh Thuận"
    ]
    told = Notification.objects.get(user=people.reporter, kind=Kind.APPROVED)
    assert texts.words(told)[1] == f"{people.manager} đã duyệt báo cáo."


def _bell(user) -> int:
    user.refresh_from_db()
    return user.unread_notifications


@pytest.mark.parametrize("decide", ["approve", "return"])
def test_a_decided_report_waits_for_no_approver(
    decide, form, org, people, smtp, django_capture_on_commit_callbacks
):
    """GIVEN C1's report submitted, told to the district's two managers WHEN one of
    them approves (or returns) it THEN its "chờ duyệt" is read for both, and both bells
    count one less; the other commune's report still waits for them."""
    second = make_user("ql2", unit=org.d1, role="manager")
    submission = _submitted(form, org, people, django_capture_on_commit_callbacks)
    fill(form, org.c2, people.other)
    services.submit(acting_user=people.other, form=form, unit=org.c2, period_id="2020S1")
    waiting = Notification.objects.filter(kind=Kind.SUBMITTED, read__isnull=True)
    assert waiting.filter(user=second).count() == waiting.filter(user=people.manager).count() == 2
    before = {user: _bell(user) for user in (people.manager, second)}
    with django_capture_on_commit_callbacks(execute=True):
        if decide == "approve":
            services.approve(acting_user=people.manager, submission=submission)
        else:
            services.return_submission(
                acting_user=people.manager, submission=submission, comment="Thiếu số lớp"
            )
    for user in (people.manager, second):
        [still] = waiting.filter(user=user)
        assert still.url == "/bao-cao/HK/C2/2020S1/xem-xet/"
        assert _bell(user) == before[user] - 1 == 1
    assert _bell(people.reporter) == 1  # told it was approved (or returned): unread


def test_a_report_settles_its_own_notices_and_no_other_reports(form, people):
    """Keys of reports 1, 12 and 123 share leading digits: settling report 12 reads its
    own notices only."""
    params = texts.submitted(form, form.period("2020S1"), "Xã", "")
    events = [
        services_.Event(people.manager, Kind.SUBMITTED, f"submitted:{pk}:{moment}", "/", params)
        for pk in (1, 12, 123)
        for moment in ("2021-01-05T08:00:00+00:00", "2021-02-05T08:00:00+00:00")
    ]
    services_.tell_many(events, send=False)
    assert services_.settle_submitted(12) == 2
    unread = Notification.objects.filter(read__isnull=True).values_list("key", flat=True)
    assert sorted({key.split(":")[1] for key in unread}) == ["1", "123"]
    assert _bell(people.manager) == 4


def test_an_act_of_the_system_names_nobody(
    form, org, people, smtp, django_capture_on_commit_callbacks
):
    """GIVEN C1's report submitted WHEN the system approves it (an import, the demo)
    THEN the reporter is told it was approved, without a made-up approver's name."""
    submission = _submitted(form, org, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(acting_user=SYSTEM, submission=submission)
    told = Notification.objects.get(user=people.reporter, kind=Kind.APPROVED)
    assert texts.words(told)[1] == "Báo cáo đã được duyệt."
    mail = smtp.to(people.reporter.email)[-1].get_body(("plain",)).get_content()
    assert "Báo cáo đã được duyệt." in mail and "trienkhai đã duyệt" not in mail


def test_it_writes_nothing_when_the_change_is_refused(form, org, people, smtp):
    """A return without a reason is refused: no notification, no outbox row."""
    from trienkhai.common.errors import BadInput

    fill(form, org.c1, people.reporter)
    submission = submit(form, org.c1, people.reporter)
    before = Notification.objects.count()
    with pytest.raises(BadInput):
        services.return_submission(acting_user=people.manager, submission=submission, comment="")
    assert Notification.objects.count() == before


def test_it_retries_a_failed_send_later_and_sends_once(
    form, org, people, smtp_down, settings, django_capture_on_commit_callbacks
):
    """GIVEN the SMTP server down WHEN the report is returned THEN the e-mail is failed
    and waits; a sweep before its time sends nothing; once the server is up, the sweep
    after its time sends it once, and another sweep sends nothing."""
    submission = _submitted(form, org, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(acting_user=people.manager, submission=submission, comment="Sai")
    row = Delivery.objects.get(notification__user=people.reporter, notification__kind=Kind.RETURNED)
    assert row.state == Delivery.State.FAILED
    assert row.attempts == 1 and row.last_error
    assert row.next_attempt > timezone.now()
    from aiosmtpd.controller import Controller

    from tests.notifications.conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        assert outbox.flush().sent == 0  # not yet its time
        later = row.next_attempt + dt.timedelta(seconds=1)
        assert outbox.flush(now=later).sent >= 1
        assert outbox.flush(now=later + dt.timedelta(days=1)).sent == 0
    finally:
        controller.stop()
    assert len(inbox.to(people.reporter.email)) == 1
    row.refresh_from_db()
    assert row.state == Delivery.State.SENT and row.attempts == 2


def test_it_tells_the_staff_of_an_assigned_unit_of_their_task(
    people, smtp, district, directive, django_capture_on_commit_callbacks
):
    """A directive's task reaches the assigned unit's reporters and managers, not the
    units left out, nor the one who assigned it."""
    from trienkhai.documents import directives

    cell = with_email(make_user("bcv.cb1", unit=district.CB1, role="reporter"))
    left_out = with_email(make_user("bcv.cb2", unit=district.CB2, role="reporter"))
    with django_capture_on_commit_callbacks(execute=True):
        directives.assign(
            acting_user=people.manager,
            document=directive,
            due=dt.date(2020, 6, 30),
            expects="KH",
            units=["CB1"],
            task="Xây dựng kế hoạch",
        )
    told = Notification.objects.get(user=cell, kind=Kind.TASK)
    assert "Triển khai thực hiện Nghị quyết 35-NQ/TW" in told.title
    assert told.body == "Hạn: 30/06/2020. Xây dựng kế hoạch"
    assert told.url == "/van-ban/don-vi/CB1/duoc-giao/"
    assert len(smtp.to(cell.email)) == 1
    assert not Notification.objects.filter(user__in=[left_out, people.manager]).exists()


def test_it_tells_a_unit_of_a_document_it_received(people, org, smtp):
    """An incoming document registered at D1 is told to D1's staff (not the viewer, not
    the clerk who registered it)."""
    from trienkhai.documents import services as documents
    from trienkhai.documents.types import ensure_standard_types

    ensure_standard_types()
    clerk = make_user("van.thu", unit=org.d1, role="manager")
    document = documents.register_incoming(
        acting_user=clerk,
        unit=org.d1,
        type="BC",
        symbol="12/BC-UBND",
        date=dt.date(2024, 3, 1),
        summary="Về việc báo cáo sơ kết",
        issuer_name="UBND tỉnh Kiên Giang",
        profile="state",
    )
    told = Notification.objects.get(user=people.manager, kind=Kind.DOCUMENT)
    assert told.title == "Văn bản đến Huyện Vĩnh Thuận: 12/BC-UBND – Về việc báo cáo sơ kết"
    assert told.url == f"/van-ban/{document.pk}/"
    assert not Notification.objects.filter(user=clerk).exists()
    assert not Notification.objects.filter(kind=Kind.DOCUMENT, user__username="viewer").exists()


def test_it_does_not_tell_people_what_they_did_themselves(form, org, people, smtp):
    """The district's manager enters and submits C1's report himself: nobody else
    approves for C1, so nobody is told it waits; he is not told of his own act."""
    fill(form, org.c1, people.manager)
    submit(form, org.c1, people.manager)
    assert not Notification.objects.filter(user=people.manager).exists()
