"""POST /api/v1/auth/token, /api/v1/me, /api/v1/roles."""

import json

from tests.factories import PASSWORD
from trienkhai.accounts.models import RoleAssignment


def test_it_exchanges_credentials_for_a_token_that_authenticates(personas, api):
    client = api()
    response = client.post("auth/token", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["roles"] == [
        {"id": me.json()["roles"][0]["id"], "user": "manager", "unit": "D1", "role": "manager"}
    ]


def test_it_refuses_wrong_credentials_with_a_json_error(personas, api):
    response = api().post("auth/token", {"username": "manager", "password": "sai"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_it_refuses_a_bad_token_and_no_token(personas, api):
    client = api()
    assert client.get("me").status_code == 401
    bad = client.client.get("/api/v1/me", headers={"Authorization": "Bearer tk_nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "unauthenticated"


def test_it_refuses_a_malformed_body_with_400(personas, api):
    response = api().client.post(
        "/api/v1/auth/token", data="{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_it_lets_a_manager_grant_roles_inside_their_subtree_only(org, personas, api):
    nobody = personas.nobody.username
    client = api(personas.manager)
    inside = client.post("roles", {"user": nobody, "unit": "C1", "role": "reporter"})
    assert inside.status_code == 201, inside.content
    outside = client.post("roles", {"user": nobody, "unit": "D2", "role": "reporter"})
    assert outside.status_code == 403
    above = client.post("roles", {"user": nobody, "unit": "C1", "role": "admin"})
    assert above.status_code == 403
    assert list(
        RoleAssignment.objects.filter(user=personas.nobody).values_list("unit__code", "role")
    ) == [("C1", "reporter")]


def test_it_refuses_roles_to_reporters_viewers_and_outsiders(org, personas, api):
    for persona in (personas.reporter, personas.viewer, personas.outsider):
        response = api(persona).post("roles", {"user": "nobody", "unit": "C1", "role": "viewer"})
        assert response.status_code == 403, persona
    assert not RoleAssignment.objects.filter(user=personas.nobody).exists()


def test_it_records_who_granted_and_revoked_a_role(org, personas, api):
    client = api(personas.manager)
    created = client.post("roles", {"user": "nobody", "unit": "C1", "role": "viewer"}).json()
    assert client.delete(f"roles/{created['id']}").status_code == 204
    history = RoleAssignment.history.filter(id=created["id"]).order_by("history_date")
    assert [(h.history_type, h.history_user.username) for h in history] == [
        ("+", "manager"),
        ("-", "manager"),
    ]


def test_it_refuses_an_outsider_revoking_a_role(org, personas, api):
    role = personas.viewer.roles.get()
    assert api(personas.outsider).delete(f"roles/{role.pk}").status_code == 403
    assert RoleAssignment.objects.filter(pk=role.pk).exists()


def test_it_refuses_an_unknown_role_name(org, personas, api):
    response = api(personas.manager).post("roles", {"user": "nobody", "unit": "C1", "role": "boss"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_role"
    assert json.dumps(response.json(), ensure_ascii=False).count("invalid role") == 1


def test_it_keeps_the_last_national_admin(org, personas, api):
    """GIVEN one admin at the country, WHEN they revoke their own role, THEN 409 and it stays;
    once a second national admin exists, either role may go, but not both."""
    own = personas.admin.roles.get()
    refused = api(personas.admin).delete(f"roles/{own.pk}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "last_admin"
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    second = api(personas.admin).post(
        "roles", {"user": "nobody", "unit": org.root.code, "role": "admin"}
    )
    assert second.status_code == 201
    assert api(personas.admin).delete(f"roles/{second.json()['id']}").status_code == 204
    assert api(personas.admin).delete(f"roles/{own.pk}").status_code == 409
