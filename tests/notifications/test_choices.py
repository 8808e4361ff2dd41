"""Each user's choices: which kinds by e-mail, quiet hours, the daily digest, and the
unsubscribe link that works without logging in."""

import datetime as dt

from django.utils import timezone

from tests.factories import SYSTEM
from trienkhai.notifications import outbox, services, texts
from trienkhai.notifications.models import Delivery, Kind, Notification, Preference
from trienkhai.notifications.services import Event


def tell(user, key="k1", kind=Kind.TASK):
    """A task (or a document received) whose document is named "Tiêu đề <key>"."""
    named = f"Tiêu đề {key}"
    if kind == Kind.DOCUMENT:
        params = texts.document(named, "Huyện Vĩnh Thuận", "UBND tỉnh Kiên Giang")
    else:
        params = texts.task(named, "Huyện Vĩnh Thuận", dt.date(2020, 6, 30), "Nội dung")
    return services.tell([Event(user, kind, key, "/viec-cua-toi/", params)], send=False)


def choose(user, **changes):
    chosen = services.choices_of(user)
    for name, value in changes.items():
        setattr(chosen, name, value)
    chosen.save()
    return chosen


def local(hour: int) -> dt.datetime:
    """Tomorrow at ``hour``:30, Vietnam time (after the notifications made now)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(hour, 30)))


def test_it_holds_an_email_in_quiet_hours_until_they_end(people, smtp):
    choose(people.reporter, quiet_from=dt.time(21, 0), quiet_to=dt.time(7, 0))
    tell(people.reporter)
    held = outbox.flush(now=local(22))
    assert (held.sent, held.held) == (0, 1)
    row = Delivery.objects.get(notification__user=people.reporter)
    assert timezone.localtime(row.next_attempt) == local(7) + dt.timedelta(days=1, minutes=-30)
    assert outbox.flush(now=local(23)).sent == 0
    assert smtp.messages == []
    assert outbox.flush(now=local(22) + dt.timedelta(hours=9)).sent == 1
    assert len(smtp.to(people.reporter.email)) == 1


def test_it_collects_a_digest_into_one_email_a_day(people, smtp):
    choose(people.reporter, is_digest=True)
    tell(people.reporter, "k1")
    tell(people.reporter, "k2", Kind.DOCUMENT)
    assert outbox.flush(now=local(10)).sent == 0  # instant sweeps leave digests alone
    done = outbox.flush(now=local(10), digests=True)
    assert done.sent == 2
    mails = smtp.to(people.reporter.email)
    assert len(mails) == 1
    text = mails[0].get_body(("plain",)).get_content()
    assert "Tiêu đề k1" in text and "Tiêu đề k2" in text
    assert str(mails[0]["Subject"]).strip() == "[trienkhai] 2 thông báo mới"
    tell(people.reporter, "k3")
    assert outbox.flush(now=local(11), digests=True).sent == 0  # one digest a day
    assert outbox.flush(now=local(10) + dt.timedelta(days=1), digests=True).sent == 1


def test_a_muted_kind_is_shown_in_app_and_not_emailed(people, smtp):
    choose(people.reporter, muted=[Kind.TASK])
    tell(people.reporter)
    assert Notification.objects.filter(user=people.reporter).count() == 1
    assert not Delivery.objects.exists()


def test_it_writes_in_english_for_a_user_who_chose_english(people, smtp, form, org):
    from tests.reporting.test_review import fill, submit
    from trienkhai.reporting import services as reporting

    choose(people.reporter, language="en")
    fill(form, org.c1, people.reporter)
    submission = submit(form, org.c1, people.reporter)
    reporting.return_submission(acting_user=people.manager, submission=submission, comment="Sai")
    outbox.flush()
    mail = smtp.to(people.reporter.email)[0]
    assert str(mail["Subject"]).strip().startswith("Report returned: ")
    assert "Reason: Sai" in mail.get_body(("plain",)).get_content()


def test_the_unsubscribe_link_works_logged_out(people, client):
    token = services.unsubscribe_token(people.reporter, Kind.TASK)
    url = f"/thong-bao/huy-nhan/{token}/"
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Ngừng gửi e-mail “Nhiệm vụ được giao”" in asked.content.decode()
    assert not Preference.objects.filter(user=people.reporter).exists()  # GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert Preference.objects.get(user=people.reporter).muted == [Kind.TASK]
    every = services.unsubscribe_token(people.reporter)
    client.post(f"/thong-bao/huy-nhan/{every}/")
    assert not Preference.objects.get(user=people.reporter).wants_email(Kind.RETURNED)


def test_a_tampered_unsubscribe_link_is_refused(people, client):
    token = services.unsubscribe_token(people.reporter, Kind.TASK)
    forged = token.replace(token[3], "A" if token[3] != "A" else "B", 1)
    for method in (client.get, client.post):
        refused = method(f"/thong-bao/huy-nhan/{forged}/")
        assert refused.status_code == 400
        assert "không hợp lệ" in refused.content.decode()
    assert not Preference.objects.exists()


def test_the_unsubscribe_link_refuses_other_methods(people, client):
    token = services.unsubscribe_token(people.reporter)
    assert client.put(f"/thong-bao/huy-nhan/{token}/").status_code == 405


def test_the_choices_page_saves_the_users_own_choices(people, web):
    client = web(people.reporter)
    page = client.get("/thong-bao/cai-dat/")
    assert page.status_code == 200
    saved = client.post(
        "/thong-bao/cai-dat/",
        {
            "email": "moi@example.vn",
            "kinds": [Kind.RETURNED, Kind.OVERDUE],
            "is_digest": "1",
            "quiet_from": "21:00",
            "quiet_to": "07:00",
        },
    )
    assert saved.status_code == 302
    chosen = Preference.objects.get(user=people.reporter)
    assert chosen.is_digest and chosen.quiet_from == dt.time(21, 0)
    assert chosen.wants_email(Kind.RETURNED) and not chosen.wants_email(Kind.TASK)
    people.reporter.refresh_from_db()
    assert people.reporter.email == "moi@example.vn"


def test_the_choices_page_refuses_half_quiet_hours_and_bad_addresses(people, web):
    client = web(people.reporter)
    refused = client.post(
        "/thong-bao/cai-dat/",
        {"email": "khong-phai-email", "is_digest": "0", "quiet_from": "21:00"},
    )
    assert refused.status_code == 400
    refused = client.post("/thong-bao/cai-dat/", {"is_digest": "0", "quiet_from": "21:00"})
    assert refused.status_code == 400
    assert "Giờ yên lặng" in refused.content.decode()
    assert not Preference.objects.exists()


def test_the_choices_page_is_for_logged_in_users(client, db):
    assert client.get("/thong-bao/cai-dat/").status_code == 302


def test_an_admin_sets_a_users_address_from_the_command_line(people):
    from trienkhai.accounts import services as accounts

    accounts.set_email(acting_user=SYSTEM, user=people.other, email="")
    people.other.refresh_from_db()
    assert people.other.email == ""


def test_many_at_once_are_written_as_plain_rows_once(people, form):
    """A reminder run's hundreds of events take the plain-rows path (COPY on PostgreSQL,
    executemany on SQLite), with their parameters, outbox rows and the bell's count;
    told again, nothing is written."""
    many = services.MANY + 50
    period = form.period("2020S1")
    events = [
        Event(
            people.reporter,
            Kind.OVERDUE,
            f"k{n}",
            "/viec-cua-toi/",
            texts.deadline(form, period, f"Xã {n}", dt.date(2020, 7, 10), n),
        )
        for n in range(many)
    ]
    assert services.tell_many(events, send=False) == many
    assert Delivery.objects.filter(notification__user=people.reporter).count() == many
    people.reporter.refresh_from_db()
    assert people.reporter.unread_notifications == many
    assert services.tell_many(events, send=False) == 0
    assert Notification.objects.filter(user=people.reporter).count() == many
    last = Notification.objects.get(user=people.reporter, key=f"k{many - 1}")
    assert last.params == {**events[-1].params}
    assert last.params["days"] == many - 1 and last.params["unit"] == f"Xã {many - 1}"
    assert texts.words(last)[1] == "Hạn gửi 10/07/2020 đã qua. Xin gửi báo cáo."
