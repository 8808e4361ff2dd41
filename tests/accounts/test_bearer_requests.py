"""API requests with a bearer token and no session cookie skip the session's middleware
(``accounts.middleware``): the same answers, the same checks, no session made."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from tests import factories as f
from tests.reporting.conftest import audience, form  # noqa: F401 (the reporting fixtures)
from trienkhai.accounts.middleware import is_bearer_api_request
from trienkhai.accounts.services import issue_token
from trienkhai.reporting.models import DataValue, Submission


@pytest.mark.parametrize(
    "path, authorization, cookie, bearer",
    [
        ("/api/v1/datavalues", "Bearer tk_x", False, True),
        ("/api/v1/datavalues", "bearer tk_x", False, True),
        ("/api/v1/datavalues", "Bearer tk_x", True, False),  # a session may apply
        ("/api/v1/datavalues", "", False, False),  # session auth, or nobody
        ("/api/v1/datavalues", "Basic eDp5", False, False),
        ("/bao-cao/", "Bearer tk_x", False, False),  # a page, not the API
        ("/dhis2/api/me", "Bearer tk_x", False, False),
    ],
)
def test_it_knows_a_bearer_api_request(path, authorization, cookie, bearer):
    request = RequestFactory().post(path, HTTP_AUTHORIZATION=authorization)
    if cookie:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert is_bearer_api_request(request) is bearer


def _save(client: Client, headers: dict, value: str):
    body = {
        "form": "HK",
        "unit": "C1",
        "period": "2020S1",
        "values": [{"indicator": "luot_nguoi", "value": value}],
    }
    return client.post("/api/v1/datavalues", body, content_type="application/json", headers=headers)


@pytest.mark.usefixtures("form")
def test_a_bearer_save_makes_no_session_and_records_its_user(org):
    """GIVEN a reporter's token WHEN a value is saved with it THEN it is saved, the
    report's history names the reporter (the history's middleware still runs) and no
    session cookie is set."""
    reporter = f.make_user("bcv", unit=org.c1, role="reporter")
    client = Client()
    response = _save(client, {"Authorization": f"Bearer {issue_token(user=reporter)}"}, "5")
    assert response.status_code == 200, response.content
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert response["X-Frame-Options"] == "DENY"  # the headers' middleware still runs
    assert DataValue.objects.get(unit=org.c1).value_number == 5
    submission = Submission.objects.get(unit=org.c1)
    assert submission.history.earliest().history_user == reporter


@pytest.mark.usefixtures("form")
def test_a_bearer_save_of_another_unit_is_refused(org, personas):
    """The permission policy still decides: the outsider's token saves nothing."""
    token = issue_token(user=personas.outsider)
    response = _save(Client(), {"Authorization": f"Bearer {token}"}, "5")
    assert response.status_code == 403
    assert not DataValue.objects.exists()


@pytest.mark.usefixtures("form")
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_wrong_token_without_a_session_is_anonymous(method):
    """A token nobody holds falls to session auth, which finds nobody: refused, never a
    500 (the user is anonymous, not missing)."""
    client = Client()
    headers = {"Authorization": "Bearer tk_nobody-holds-this"}
    if method == "get":
        response = client.get("/api/v1/me", headers=headers)
    else:
        response = _save(client, headers, "5")
    assert response.status_code in (401, 403)
    assert not DataValue.objects.exists()


def test_a_session_still_reaches_the_api(org, web):
    """A browser's session cookie takes the whole chain: its user is known."""
    manager = f.make_user("ql", unit=org.d1, role="manager")
    response = web(manager).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "ql"


def test_a_bearer_token_beside_a_session_cookie_is_the_tokens_user(org, web):
    """Both sent: the session's middleware runs (the cookie), and the API reads the
    token first, as before."""
    manager = f.make_user("ql", unit=org.d1, role="manager")
    reporter = f.make_user("bcv", unit=org.c1, role="reporter")
    client = web(manager)
    headers = {"Authorization": f"Bearer {issue_token(user=reporter)}"}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json()["username"] == "bcv"
