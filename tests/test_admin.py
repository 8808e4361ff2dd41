"""The Django admin bypasses the unit-scoped policy, so only superusers get in."""

from tests import factories as f


def test_it_keeps_staff_who_are_not_superusers_out_of_the_admin(personas, web):
    personas.manager.is_staff = True
    personas.manager.save()
    response = web(personas.manager).get("/admin/orgs/unit/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_lets_a_superuser_into_the_admin(org, web):
    root = f.make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    assert web(root).get("/admin/orgs/unit/").status_code == 200
