"""Locking an account after repeated failed log-ins (django-axes), on every way in:
the web page, POST /api/v1/auth/token and DHIS2's Basic auth.

The lock is per account: the test client always calls from 127.0.0.1, like an office
behind one address, and the other accounts keep logging in.
"""

import base64
import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

LIMIT = 10


def token(username: str, password: str):
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def web_login(client: Client, username: str, password: str):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def basic(username: str, password: str):
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return Client().get("/dhis2/api/me", HTTP_AUTHORIZATION=f"Basic {raw}")


def fail(username: str, times: int = LIMIT) -> None:
    for _ in range(times):
        assert token(username, "mat-khau-sai").status_code in (401, 429)


def move_failures_back(minutes: int) -> None:
    """As if the failures were ``minutes`` older (the clock moved on)."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def test_the_documented_limits_are_the_settings():
    assert settings.LOGIN_FAILURES == LIMIT and settings.AXES_FAILURE_LIMIT == LIMIT
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_it_locks_the_token_endpoint_after_ten_failures_even_with_the_right_password(personas):
    fail("manager", LIMIT - 1)
    assert token("manager", "mat-khau-sai").status_code == 429  # the tenth locks
    refused = token("manager", PASSWORD)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "locked"
    assert "thử lại sau 15 phút" in error["message"] and "try again in" in error["message"]
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60


def test_another_account_from_the_same_address_still_logs_in(personas):
    fail("manager")
    assert token("manager", PASSWORD).status_code == 429
    assert token("reporter", PASSWORD).status_code == 200
    client = Client()
    assert web_login(client, "viewer", PASSWORD).status_code == 302


def test_nine_failures_then_the_right_password_logs_in_and_starts_the_count_again(personas):
    fail("manager", LIMIT - 1)
    assert token("manager", PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="manager").exists()
    fail("manager", LIMIT - 1)
    assert token("manager", PASSWORD).status_code == 200


def test_the_lock_ends_after_the_cool_off_and_a_success_resets_the_count(personas):
    fail("manager")
    move_failures_back(14)
    assert token("manager", PASSWORD).status_code == 429  # 14 minutes on: still locked
    move_failures_back(2)
    assert token("manager", PASSWORD).status_code == 200  # 16 minutes on: open again
    assert not AccessAttempt.objects.filter(username="manager").exists()
    assert token("manager", "mat-khau-sai").status_code == 401  # counting from one again


def test_tries_while_locked_do_not_push_the_end_of_the_lock(personas):
    fail("manager")
    move_failures_back(10)
    for _ in range(5):
        assert token("manager", "mat-khau-sai").status_code == 429
    move_failures_back(6)
    assert token("manager", PASSWORD).status_code == 200


def test_the_web_page_says_the_account_is_locked_in_vietnamese_and_logs_nobody_in(personas):
    client = Client()
    for _ in range(LIMIT - 1):
        assert web_login(client, "manager", "mat-khau-sai").status_code == 200
    assert web_login(client, "manager", "mat-khau-sai").status_code == 429
    page = web_login(client, "manager", PASSWORD)
    assert page.status_code == 429
    text = page.content.decode()
    assert "Tài khoản tạm khóa vì đăng nhập sai quá nhiều lần" in text
    assert 'id="id_username"' in text  # the log-in page, not a bare error page
    assert "Retry-After" in page.headers
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_web_page_in_english(personas):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(LIMIT):
        web_login(client, "manager", "mat-khau-sai")
    page = web_login(client, "manager", PASSWORD)
    assert page.status_code == 429
    assert "Account locked after too many failed log-ins" in page.content.decode()


def test_failures_on_the_web_and_the_api_count_together(personas):
    client = Client()
    for _ in range(5):
        web_login(client, "manager", "mat-khau-sai")
    fail("manager", 5)
    assert token("manager", PASSWORD).status_code == 429
    assert web_login(Client(), "manager", PASSWORD).status_code == 429


def test_the_dhis2_basic_login_is_locked_too_even_when_remembered(personas):
    assert basic("manager", PASSWORD).status_code == 200  # remembered for BASIC_TTL
    for _ in range(LIMIT - 1):
        assert basic("manager", "mat-khau-sai").status_code == 401
    assert basic("manager", "mat-khau-sai").status_code == 429
    refused = basic("manager", PASSWORD)
    assert refused.status_code == 429
    body = refused.json()
    assert body["httpStatusCode"] == 429 and body["errorCode"] == "locked"
    assert "Retry-After" in refused.headers
    assert basic("reporter", PASSWORD).status_code == 200
    move_failures_back(16)
    assert basic("manager", PASSWORD).status_code == 200


def test_it_records_logins_failures_and_locks_without_passwords(personas):
    client = Client()
    for _ in range(LIMIT):
        web_login(client, "manager", "mat-khau-sai")
    web_login(client, "reporter", PASSWORD)
    attempt = AccessAttempt.objects.get(username="manager")
    assert attempt.failures_since_start == LIMIT
    assert AccessFailureLog.objects.filter(username="manager").count() == LIMIT
    assert AccessFailureLog.objects.filter(username="manager", locked_out=True).exists()
    assert AccessLog.objects.filter(username="reporter").count() == 1
    stored = " ".join(
        [attempt.post_data, attempt.get_data]
        + [f.user_agent for f in AccessFailureLog.objects.all()]
    )
    assert "mat-khau-sai" not in stored and PASSWORD not in stored


@pytest.mark.parametrize("method", ["get", "put"])
def test_the_token_endpoint_still_refuses_other_methods(personas, method):
    assert getattr(Client(), method)("/api/v1/auth/token").status_code == 405
