"""Steering committees in the Django admin: read-only, superusers only (the admin's
gate), each page asking the permission policy."""

import pytest

from tests import factories as f
from tests.committees.conftest import seat
from trienkhai.committees.models import Person

PAGES = ["committee", "person", "membership", "meeting", "attendance", "conclusion"]


@pytest.fixture
def root(org):
    user = f.make_user("root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize("model", PAGES)
def test_a_superuser_reads_every_list(setting, root, web, model):
    seat(setting.committee, "Nguyễn Văn Đọc", role="head")
    response = web(root).get(f"/admin/committees/{model}/")
    assert response.status_code == 200
    assert f"/admin/committees/{model}/add/" not in response.content.decode()  # nothing to add


def test_a_row_is_read_only(setting, root, web):
    """GIVEN a member WHEN a superuser opens their row and posts a new name THEN the page
    shows it without a form to save, and the post changes nothing (403)."""
    person = seat(setting.committee, "Nguyễn Văn Đọc", role="head").person
    url = f"/admin/committees/person/{person.pk}/change/"
    page = web(root).get(url)
    assert page.status_code == 200 and "Nguyễn Văn Đọc" in page.content.decode()
    assert b'name="_save"' not in page.content
    assert web(root).post(url, {"name": "Đổi tên"}).status_code == 403
    assert web(root).get(f"/admin/committees/person/{person.pk}/delete/").status_code == 403
    assert web(root).get("/admin/committees/committee/add/").status_code == 403
    assert Person.objects.get(pk=person.pk).name == "Nguyễn Văn Đọc"


def test_staff_who_are_not_superusers_stay_out(setting, personas, web):
    personas.manager.is_staff = True
    personas.manager.save()
    response = web(personas.manager).get("/admin/committees/committee/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert web().get("/admin/committees/person/").status_code == 302
