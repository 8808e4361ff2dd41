"""Two-factor web log-ins: admins must, others may; codes from an app, recovery codes once.

The codes are computed here from the device's secret, as the person's phone would.
"""

import base64
import re

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, SYSTEM, totp_code
from trienkhai.accounts import services, two_factor
from trienkhai.accounts.models import TwoFactorEvent

Kind = TwoFactorEvent.Kind
ENROL = "/xac-thuc/thiet-lap/"
VERIFY = "/xac-thuc/ma/"


def password_step(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/dang-nhap/", data)


def with_app(user) -> tuple[TOTPDevice, list[str]]:
    """``user`` has set up an authenticator app (and got recovery codes)."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, two_factor._new_recovery_codes(user)


def is_logged_in_fully(client: Client) -> bool:
    return client.get("/don-vi/").status_code == 200


def test_an_admin_without_two_factor_must_set_it_up_before_any_page(personas):
    client = Client()
    response = password_step(client, "admin")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    for path in ["/", "/don-vi/", "/bao-cao/", "/tai-khoan/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(ENROL), path
    assert client.post("/tai-khoan/", {"name": "x"}).status_code == 302
    assert not services.tokens_of(personas.admin)
    # The API and DHIS2 do not take the half-done session either.
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/dhis2/api/me").status_code == 401


def test_an_admin_enrols_sees_ten_recovery_codes_once_and_goes_on(personas):
    client = Client()
    password_step(client, "admin", next_url="/don-vi/")
    page = client.get(ENROL + "?next=/don-vi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text.split("<main")[1]  # the QR code (the header's bell is an svg too)
    assert "otpauth://totp/trienkhai%3Aadmin?secret=" in text
    device = TOTPDevice.objects.get(user=personas.admin, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert re.sub(r"\s", "", re.search(r'id="totp-secret">([^<]+)<', text)[1]) == secret
    assert client.get(ENROL).content.decode().count(secret[:4]) >= 1  # same secret on reload

    done = client.post(ENROL + "?next=/don-vi/", {"otp_token": totp_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/don-vi/"' in done.content.decode()
    assert TOTPDevice.objects.get(user=personas.admin).confirmed
    assert is_logged_in_fully(client)
    assert list(TwoFactorEvent.objects.values_list("kind", flat=True)) == [Kind.ENROLLED]
    # Shown once: the account page says how many are left, never which.
    account = client.get("/tai-khoan/").content.decode()
    assert "Còn 10 mã dự phòng" in account and codes[0] not in account


def test_a_wrong_code_at_setup_turns_nothing_on(personas):
    client = Client()
    password_step(client, "admin")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.admin)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(ENROL, {"otp_token": wrong})
    assert refused.status_code == 400
    assert "Mã không đúng" in refused.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not StaticDevice.objects.exists()
    assert client.get("/")["Location"].startswith(ENROL)


def test_an_admin_with_an_app_types_its_code_after_the_password(personas):
    device, _ = with_app(personas.admin)
    client = Client()
    response = password_step(client, "admin", next_url="/van-ban/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get("/")["Location"].startswith(VERIFY)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert "<nav aria-label" not in page.content.decode()  # no menu before the code

    done = client.post(response["Location"], {"otp_token": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/van-ban/"
    assert is_logged_in_fully(client)
    assert TwoFactorEvent.objects.get().kind == Kind.VERIFIED


def test_a_wrong_code_is_refused_recorded_and_slows_the_next_try(personas):
    device, _ = with_app(personas.admin)
    client = Client()
    password_step(client, "admin")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(VERIFY, {"otp_token": wrong})
    assert refused.status_code == 400
    assert "Mã không đúng" in refused.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    # Right away, even the right code must wait (django-otp's throttle: 1, 2, 4… s).
    throttled = client.post(VERIFY, {"otp_token": totp_code(device)})
    assert throttled.status_code == 400 and "Chờ" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"otp_token": totp_code(device)}).status_code == 302
    kinds = list(TwoFactorEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [Kind.FAILED, Kind.VERIFIED]


def test_a_code_is_accepted_once(personas):
    device, _ = with_app(personas.admin)
    code = totp_code(device)
    first = Client()
    password_step(first, "admin")
    assert first.post(VERIFY, {"otp_token": code}).status_code == 302
    second = Client()
    password_step(second, "admin")
    assert second.post(VERIFY, {"otp_token": code}).status_code == 400
    assert second.get("/")["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(personas):
    _, codes = with_app(personas.admin)
    client = Client()
    password_step(client, "admin")
    spaced = f"{codes[0][:4]} {codes[0][4:].upper()}"  # as typed from paper
    assert client.post(VERIFY, {"otp_token": spaced}).status_code == 302
    assert is_logged_in_fully(client)
    assert StaticToken.objects.count() == 9
    client.post("/dang-xuat/")

    again = Client()
    password_step(again, "admin")
    assert again.post(VERIFY, {"otp_token": codes[0]}).status_code == 400
    assert again.get("/")["Location"].startswith(VERIFY)
    kinds = list(TwoFactorEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [Kind.RECOVERY_USED, Kind.FAILED]


def test_a_superuser_without_a_role_must_use_it_too(org):
    from tests.factories import make_user

    root = make_user("root")
    root.is_superuser = root.is_staff = True
    root.save()
    client = Client()
    assert password_step(client, "root")["Location"].startswith(ENROL)


def test_a_reporter_is_not_asked(personas):
    client = Client()
    response = password_step(client, "reporter", next_url="/bao-cao/")
    assert response.status_code == 302 and response["Location"] == "/bao-cao/"
    assert is_logged_in_fully(client)
    assert client.get(VERIFY).status_code == 302  # nothing to verify: sent on


def test_a_manager_made_admin_while_logged_in_must_set_it_up(personas, org):
    client = Client()
    password_step(client, "manager")
    assert is_logged_in_fully(client)
    services.grant_role(acting_user=SYSTEM, user=personas.manager, unit=org.root, role="admin")
    assert client.get("/")["Location"].startswith(ENROL)


@override_settings(ADMIN_2FA=False)
def test_the_rule_can_be_turned_off_for_the_demo(personas):
    client = Client()
    response = password_step(client, "admin")
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in_fully(client)


def test_a_reporter_may_turn_it_on_and_is_then_asked_and_may_turn_it_off(personas, web):
    client = web(personas.reporter)
    page = client.get("/tai-khoan/").content.decode()
    assert "Bật xác thực hai bước" in page
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.reporter)
    assert client.post(ENROL, {"otp_token": totp_code(device)}).status_code == 200
    assert is_logged_in_fully(client)  # this session is verified by the setup

    later = Client()
    assert password_step(later, "reporter")["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"otp_token": totp_code(device)}).status_code == 302
    assert later.post("/tai-khoan/tat-xac-thuc/").status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.reporter).exists()
    assert password_step(Client(), "reporter")["Location"] == "/"


def test_an_admin_cannot_turn_it_off(personas, web):
    client = web(personas.admin)
    assert client.post("/tai-khoan/tat-xac-thuc/").status_code == 403
    assert TOTPDevice.objects.filter(user=personas.admin, confirmed=True).exists()


def test_renewed_recovery_codes_replace_the_old_ones(personas, web):
    client = web(personas.reporter)
    _, old = with_app(personas.reporter)
    page = client.post("/tai-khoan/ma-du-phong/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert client.get("/tai-khoan/ma-du-phong/").status_code == 405


def test_the_token_endpoint_refuses_a_password_alone_for_a_two_factor_account(personas, api):
    with_app(personas.reporter)
    refused = api().post("auth/token", {"username": "reporter", "password": PASSWORD})
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "two_factor_required"
    assert "trienkhai token create" in error["message"] and "/tai-khoan/" in error["message"]
    assert not services.tokens_of(personas.reporter)
    ok = api().post("auth/token", {"username": "viewer", "password": PASSWORD})
    assert ok.status_code == 200


def test_dhis2_basic_auth_refuses_a_password_alone_for_a_two_factor_account(personas):
    with_app(personas.viewer)
    raw = base64.b64encode(f"viewer:{PASSWORD}".encode()).decode()
    assert Client().get("/dhis2/api/me", HTTP_AUTHORIZATION=f"Basic {raw}").status_code == 401
    token = services.issue_token(user=personas.viewer)
    assert Client().get("/dhis2/api/me", HTTP_AUTHORIZATION=f"ApiToken {token}").status_code == 200


def test_an_admins_api_token_needs_no_code(personas, api):
    with_app(personas.admin)
    assert api(personas.admin).get("me").status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x"])
def test_it_never_sends_you_off_the_site_after_the_code(personas, evil):
    device, _ = with_app(personas.admin)
    client = Client()
    password_step(client, "admin")
    done = client.post(VERIFY + "?next=" + evil, {"otp_token": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/"


def test_no_code_reaches_the_log(personas, caplog):
    device, codes = with_app(personas.admin)
    client = Client()
    password_step(client, "admin")
    code = totp_code(device)
    with caplog.at_level("DEBUG"):
        client.post(VERIFY, {"otp_token": codes[1]})
        client.post("/dang-xuat/")
        password_step(client, "admin")
        client.post(VERIFY, {"otp_token": code})
    assert codes[1] not in caplog.text and code not in caplog.text and PASSWORD not in caplog.text


def test_the_pages_answer_anonymous_and_wrong_methods(personas):
    anonymous = Client()
    for path in [VERIFY, ENROL, "/tai-khoan/"]:
        assert anonymous.get(path)["Location"].startswith("/dang-nhap/")
    reporter = Client()
    password_step(reporter, "reporter")
    assert reporter.put(VERIFY).status_code == 405
    assert reporter.get("/tai-khoan/tat-xac-thuc/").status_code == 405
