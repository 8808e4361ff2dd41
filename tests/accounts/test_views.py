"""The roles page of a unit: list, grant, revoke."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from trienkhai.accounts.models import RoleAssignment


def roles_url(code):
    return reverse("accounts:roles", args=[code])


def revoke_url(code, assignment):
    return reverse("accounts:revoke", args=[code, assignment.pk])


def text(response) -> str:
    return response.content.decode()


def held(username, code):
    return set(
        RoleAssignment.objects.filter(user__username=username, unit__code=code).values_list(
            "role", flat=True
        )
    )


def test_it_lists_the_roles_held_at_a_unit(personas, web):
    response = web(personas.manager).get(roles_url("D1"))
    assert response.status_code == 200
    page = text(response)
    for name in ("manager", "reporter", "viewer"):
        assert f"<td>{name}</td>" in page
    assert "Báo cáo viên" in page
    assert "/ reporter" not in page  # the Vietnamese half of the bilingual label


def test_it_offers_only_the_roles_the_user_may_grant(personas, web):
    page = text(web(personas.manager).get(roles_url("D1")))
    assert 'value="manager"' in page and 'value="viewer"' in page
    assert 'value="admin"' not in page
    assert 'value="admin"' in text(web(personas.admin).get(roles_url("D1")))


def test_it_grants_a_role_to_an_existing_user(personas, web):
    client = web(personas.manager)
    response = client.post(roles_url("C1"), {"username": "nobody", "role": "viewer"})
    assert response.status_code == 302
    assert held("nobody", "C1") == {"viewer"}
    assignment = RoleAssignment.objects.get(user=personas.nobody)
    assert assignment.history.get().history_user == personas.manager
    page = text(client.get(response.url))
    assert "Đã giao vai trò" in page
    audit = page.split('id="audit"', 1)[1]
    assert ">manager<" in audit and "<ins>nobody</ins>" in audit


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "khong-co", "role": "viewer"}, "Không có người dùng “khong-co”"),
        ({"username": "viewer", "role": "viewer"}, "Người dùng đã có vai trò này"),
        ({"username": "nobody", "role": "admin"}, "Hãy chọn"),
        ({"username": "nobody", "role": ""}, "bắt buộc"),
        ({"username": "", "role": "viewer"}, "bắt buộc"),
    ],
)
def test_it_shows_a_refused_grant_as_a_form_error(personas, web, data, message):
    before = RoleAssignment.objects.count()
    response = web(personas.manager).post(roles_url("D1"), data)
    assert response.status_code == 400
    assert message in text(response)
    assert RoleAssignment.objects.count() == before


def test_it_refuses_the_roles_page_to_viewers_and_reporters(personas, web):
    for persona in (personas.viewer, personas.reporter, personas.nobody):
        client = web(persona)
        assert client.get(roles_url("D1")).status_code == 403
        assert (
            client.post(roles_url("D1"), {"username": "nobody", "role": "viewer"}).status_code
            == 403
        )
    assert held("nobody", "D1") == set()


def test_it_refuses_the_roles_page_outside_the_managers_subtree(personas, web):
    assert web(personas.manager).get(roles_url("P1")).status_code == 403
    response = web(personas.manager).post(roles_url("D2"), {"username": "nobody", "role": "viewer"})
    assert response.status_code == 403
    assert web(personas.outsider).get(roles_url("D1")).status_code == 403
    assert held("nobody", "D2") == set()


def test_it_revokes_a_role(personas, web):
    assignment = RoleAssignment.objects.get(user=personas.viewer)
    client = web(personas.manager)
    response = client.post(revoke_url("D1", assignment))
    assert response.status_code == 302
    assert held("viewer", "D1") == set()
    audit = text(client.get(roles_url("D1"))).split('id="audit"', 1)[1]
    assert "Xoá" in audit and "<del>viewer</del>" in audit


def test_it_revokes_only_by_post(personas, web):
    assignment = RoleAssignment.objects.get(user=personas.viewer)
    client = web(personas.manager)
    assert client.get(revoke_url("D1", assignment)).status_code == 405
    assert client.delete(revoke_url("D1", assignment)).status_code == 405
    assert client.put(roles_url("D1")).status_code == 405
    assert held("viewer", "D1") == {"viewer"}


def test_it_refuses_to_revoke_to_viewers_reporters_and_outsiders(personas, web):
    assignment = RoleAssignment.objects.get(user=personas.viewer)
    for persona in (personas.viewer, personas.reporter, personas.outsider):
        assert web(persona).post(revoke_url("D1", assignment)).status_code == 403
    assert held("viewer", "D1") == {"viewer"}


def test_it_revokes_only_roles_held_at_the_unit_of_the_url(personas, web, org):
    """A role held at D2 cannot be reached through D1's page, where the manager may act."""
    assignment = RoleAssignment.objects.get(user=personas.outsider)
    assert web(personas.manager).post(revoke_url("D1", assignment)).status_code == 404
    assert held("outsider", "D2") == {"manager"}


def test_it_refuses_to_revoke_a_role_above_the_managers_own(personas, web, org):
    chief = f.make_user("chief", unit=org.d1, role="admin")
    assignment = RoleAssignment.objects.get(user=chief)
    page = text(web(personas.manager).get(roles_url("D1")))
    assert revoke_url("D1", assignment) not in page
    assert web(personas.manager).post(revoke_url("D1", assignment)).status_code == 403
    assert held("chief", "D1") == {"admin"}


def test_it_redirects_anonymous_users_to_log_in(personas, web):
    assignment = RoleAssignment.objects.get(user=personas.viewer)
    for response in (
        web().get(roles_url("D1")),
        web().post(roles_url("D1"), {"username": "nobody", "role": "viewer"}),
        web().post(revoke_url("D1", assignment)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert held("viewer", "D1") == {"viewer"}


def test_it_checks_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.manager)
    response = client.post(roles_url("D1"), {"username": "nobody", "role": "viewer"})
    assert response.status_code == 403
    assert held("nobody", "D1") == set()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_keeps_the_roles_page_query_count_flat(personas, web, org):
    """More people holding roles, and more grants in the audit, cost no more queries."""
    client = web(personas.manager)
    few = count_queries(client, roles_url("D1"))
    assert few <= 25
    for i in range(10):
        user = f.make_user(f"u{i}", unit=org.d1, role="viewer")
        client.post(roles_url("D1"), {"username": user.username, "role": "reporter"})
    assert count_queries(client, roles_url("D1")) == few


def test_it_says_why_the_last_national_admin_stays(org, personas, web):
    own = personas.admin.roles.get()
    response = web(personas.admin).post(revoke_url(org.root.code, own), follow=True)
    assert response.status_code == 200
    assert "vai trò quản trị cuối cùng" in response.content.decode()
    assert own.__class__.objects.filter(pk=own.pk).exists()
