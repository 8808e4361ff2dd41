"""The bell in every page's header, the notifications page, marking read."""

from tests.notifications.test_choices import tell
from trienkhai.notifications.models import Notification


def test_the_bell_shows_the_unread_count_on_every_page(people, web):
    tell(people.reporter, "k1")
    tell(people.reporter, "k2")
    client = web(people.reporter)
    for url in ("/viec-cua-toi/", "/bao-cao/", "/thong-bao/"):
        page = client.get(url).content.decode()
        assert 'class="bell"' in page
        assert "2 thông báo chưa đọc" in page


def test_the_bell_costs_no_query(people, web, django_assert_num_queries):
    """The count is a column of the user row the page reads anyway."""
    client = web(people.reporter)
    client.get("/thong-bao/cai-dat/")
    with django_assert_num_queries(4):  # session, user, roles (the menu), choices: no count
        quiet = client.get("/thong-bao/cai-dat/")
    tell(people.reporter)
    with django_assert_num_queries(4):
        counted = client.get("/thong-bao/cai-dat/")
    assert "thông báo chưa đọc" not in quiet.content.decode()
    assert "1 thông báo chưa đọc" in counted.content.decode()


def test_the_page_lists_them_and_marks_one_or_all_read(people, web):
    first, second = tell(people.reporter, "k1")[0], tell(people.reporter, "k2")[0]
    client = web(people.reporter)
    page = client.get("/thong-bao/").content.decode()
    assert page.index("Tiêu đề k2") < page.index("Tiêu đề k1")
    opened = client.post(f"/thong-bao/{first.pk}/da-doc/", {"go": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/viec-cua-toi/"
    unread = client.get("/thong-bao/?chua-doc=1").content.decode()
    assert "Tiêu đề k2" in unread and "Tiêu đề k1" not in unread
    assert client.post("/thong-bao/da-doc-het/").status_code == 302
    second.refresh_from_db()
    assert second.read is not None
    people.reporter.refresh_from_db()
    assert people.reporter.unread_notifications == 0


def test_another_users_notification_cannot_be_marked(people, web):
    (made,) = tell(people.reporter)
    assert web(people.other).post(f"/thong-bao/{made.pk}/da-doc/").status_code == 404
    assert Notification.objects.get(pk=made.pk).read is None


def test_the_pages_refuse_anonymous_users_and_wrong_methods(people, web, client):
    (made,) = tell(people.reporter)
    assert client.get("/thong-bao/").status_code == 302
    assert client.post(f"/thong-bao/{made.pk}/da-doc/").status_code == 302
    own = web(people.reporter)
    assert own.post("/thong-bao/").status_code == 405
    assert own.get(f"/thong-bao/{made.pk}/da-doc/").status_code == 405
    assert own.get("/thong-bao/da-doc-het/").status_code == 405
