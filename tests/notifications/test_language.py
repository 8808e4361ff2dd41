"""A notification is said in the reader's language when it is shown, whatever language
it was written in: the page's, the API caller's, the e-mail's as it is sent."""

from django.conf import settings

from tests.notifications.test_choices import choose
from tests.reporting.test_review import fill, submit
from trienkhai.notifications import outbox, texts
from trienkhai.notifications.models import Kind, Notification
from trienkhai.reporting import services

RETURNED_VI = "Báo cáo bị trả lại: Báo cáo 6 tháng – 6 tháng đầu năm 2020 – Thị trấn Vĩnh Thuận"
RETURNED_EN = "Report returned: Six-month report – First half of 2020 – Thị trấn Vĩnh Thuận"


def returned(form, org, people) -> Notification:
    """C1's report, returned by the district's manager; told to C1's reporter, who has
    chosen nothing (Vietnamese e-mails)."""
    form.name_en = "Six-month report"
    form.save(update_fields=["name_en"])
    fill(form, org.c1, people.reporter)
    submission = submit(form, org.c1, people.reporter)
    services.return_submission(
        acting_user=people.manager, submission=submission, comment="Thiếu số lớp đã mở"
    )
    return Notification.objects.get(user=people.reporter, kind=Kind.RETURNED)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_list_says_a_notification_written_in_vietnamese_in_english(form, org, people, web):
    """GIVEN a notification written in Vietnamese (the reporter's e-mail language) WHEN
    the reporter opens the notifications page in English THEN its heading, title and
    body are English, the form by its English name; in Vietnamese, as written."""
    told = returned(form, org, people)
    assert told.title == RETURNED_VI
    page = in_english(web(people.reporter)).get("/thong-bao/").content.decode()
    assert "<h1>Notifications</h1>" in page
    assert RETURNED_EN in page
    assert f"{people.manager} returned the report. Reason: Thiếu số lớp đã mở" in page
    assert "Báo cáo bị trả lại" not in page and "Lý do" not in page
    vietnamese = web(people.reporter).get("/thong-bao/").content.decode()
    assert "<h1>Thông báo</h1>" in vietnamese and RETURNED_VI in vietnamese


def test_the_api_says_it_in_the_callers_language(form, org, people, api):
    returned(form, org, people)
    caller = api(people.reporter)
    in_english(caller.client)
    assert caller.get("me/notifications").json()["results"][0]["title"] == RETURNED_EN
    assert api(people.reporter).get("me/notifications").json()["results"][0]["title"] == (
        RETURNED_VI
    )


def test_the_email_is_said_in_the_language_chosen_when_it_leaves(form, org, people, smtp):
    """GIVEN a digest reader told in Vietnamese WHEN they choose English before the day's
    digest leaves THEN the digest is in English."""
    choose(people.reporter, is_digest=True)
    returned(form, org, people)
    choose(people.reporter, language="en")
    outbox.flush(digests=True)
    (mail,) = smtp.to(people.reporter.email)
    text = mail.get_body(("plain",)).get_content()
    assert RETURNED_EN in text and "Reason: Thiếu số lớp đã mở" in text


def test_a_row_written_before_its_parameters_were_kept_says_what_it_said(people, web):
    """Rows from before ``params`` existed (and any whose parameters are not what their
    kind reads) keep their stored words in every language."""
    old = Notification.objects.create(
        user=people.reporter,
        kind=Kind.TASK,
        key="old",
        title="Nhiệm vụ cũ",
        body="Hạn: 30/06/2020.",
    )
    broken = Notification.objects.create(
        user=people.reporter, kind=Kind.TASK, key="broken", title="Hỏng", params={"due": "x"}
    )
    assert texts.words(old) == ("Nhiệm vụ cũ", "Hạn: 30/06/2020.")
    assert texts.words(broken) == ("Hỏng", "")
    page = in_english(web(people.reporter)).get("/thong-bao/").content.decode()
    assert "Nhiệm vụ cũ" in page and "Hỏng" in page


def test_every_kind_has_its_words():
    assert set(texts._WORDS) == set(Kind.values)
