"""API tokens expire, end with a password change, and are listed and revoked by their owner."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from tests import factories as f
from trienkhai import cli
from trienkhai.accounts.models import ApiToken
from trienkhai.accounts.services import issue_token


def bearer(client, raw):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_it_gives_a_token_an_end_date_and_refuses_it_after(personas, api, client):
    got = api().post("auth/token", {"username": "manager", "password": f.PASSWORD})
    assert got.status_code == 200
    expires = dt.datetime.fromisoformat(got.json()["expires"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)
    raw = got.json()["token"]
    assert bearer(client, raw).status_code == 200
    ApiToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(client, raw).status_code == 401


def test_it_ends_every_token_when_the_password_changes(personas, client):
    raw = issue_token(user=personas.manager)
    dhis2 = {"Authorization": f"ApiToken {raw}"}
    assert bearer(client, raw).status_code == 200
    assert client.get("/dhis2/api/me", headers=dhis2).status_code == 200
    personas.manager.set_password("mot-mat-khau-moi-hon")
    personas.manager.save()
    assert bearer(client, raw).status_code == 401
    assert client.get("/dhis2/api/me", headers=dhis2).status_code == 401
    assert bearer(client, issue_token(user=personas.manager)).status_code == 200


def test_it_lists_and_revokes_only_the_owners_tokens(personas, api, client):
    raw = issue_token(user=personas.manager, name="báo cáo tự động")
    other = issue_token(user=personas.viewer)
    mine = api(personas.manager)  # a second token, the one this client sends
    listed = mine.get("auth/tokens")
    assert listed.status_code == 200
    names = {t["name"]: t for t in listed.json()}
    assert set(names) == {"báo cáo tự động", ""}
    assert names[""]["current"] and not names["báo cáo tự động"]["current"]
    assert all("token" not in t and len(t["prefix"]) == 8 for t in listed.json())
    others = ApiToken.objects.get(user=personas.viewer)
    assert mine.delete(f"auth/tokens/{others.pk}").status_code == 404
    assert bearer(client, other).status_code == 200
    target = names["báo cáo tự động"]["id"]
    assert mine.delete(f"auth/tokens/{target}").status_code == 204
    assert bearer(client, raw).status_code == 401
    assert api().get("auth/tokens").status_code == 401
    assert mine.post("auth/tokens").status_code == 405


def test_a_scripts_log_out_ends_the_token_it_came_with(personas, api):
    client = api(personas.manager)
    assert client.post("auth/logout").status_code == 204
    assert client.get("me").status_code == 401


def test_the_command_line_makes_a_token_for_a_script(personas, client, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["token", "create", "reporter", "--days", "400"]) == 0
    raw = capsys.readouterr().out.strip()
    assert bearer(client, raw).status_code == 200
    token = ApiToken.objects.get(user=personas.reporter)
    assert token.expires - timezone.now() > dt.timedelta(days=399)
    assert cli.main(["token", "create", "nobody-here"]) == 2
    assert cli.main(["token", "create", "reporter", "--days", "0"]) == 2


@pytest.mark.parametrize("days", [0, -1, 10**6])
def test_it_refuses_a_lifetime_out_of_range(personas, days):
    from trienkhai.common.errors import BadInput

    with pytest.raises(BadInput):
        issue_token(user=personas.manager, days=days)
