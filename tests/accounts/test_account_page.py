"""/tai-khoan/: one's own API tokens (list, create shown once, revoke) and log-ins."""

import re

from django.test import Client

from tests.factories import PASSWORD
from trienkhai.accounts import services
from trienkhai.accounts.models import ApiToken


def test_it_creates_a_token_shown_once_that_works(personas, web, api):
    client = web(personas.reporter)
    page = client.post("/tai-khoan/", {"name": "Excel của phòng", "days": "7"})
    assert page.status_code == 200
    raw = re.search(r'id="new-token">(tk_[^<]+)<', page.content.decode())[1]
    token = ApiToken.objects.get(user=personas.reporter)
    assert token.name == "Excel của phòng" and raw.startswith(token.prefix)
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["username"] == "reporter"
    again = client.get("/tai-khoan/").content.decode()
    assert raw not in again and f"{token.prefix}…" in again and "Excel của phòng" in again


def test_it_refuses_a_token_lifetime_out_of_bounds(personas, web):
    client = web(personas.reporter)
    assert client.post("/tai-khoan/", {"days": "99999"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_it_revokes_ones_own_token_and_not_anothers(personas, web):
    services.issue_token(user=personas.reporter, name="mine")
    services.issue_token(user=personas.manager, name="theirs")
    mine = ApiToken.objects.get(user=personas.reporter)
    theirs = ApiToken.objects.get(user=personas.manager)
    client = web(personas.reporter)
    assert client.post(f"/tai-khoan/khoa-api/{theirs.pk}/thu-hoi/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert client.post(f"/tai-khoan/khoa-api/{mine.pk}/thu-hoi/").status_code == 302
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert client.get(f"/tai-khoan/khoa-api/{theirs.pk}/thu-hoi/").status_code == 405


def test_it_lists_only_ones_own_tokens_and_recent_log_ins(personas):
    services.issue_token(user=personas.manager, name="of-the-manager")
    client = Client()
    client.post("/dang-nhap/", {"username": "reporter", "password": PASSWORD})
    page = client.get("/tai-khoan/").content.decode()
    assert "of-the-manager" not in page
    assert "Chưa có khóa API nào" in page
    assert "127.0.0.1" in page  # the log-in just made, from axes' access log


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get("/tai-khoan/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert Client().post("/tai-khoan/khoa-api/1/thu-hoi/").status_code == 302
