"""Participants' personal data: found, exported and erased per person, and a retention
period after which names go; every figure stays as it was (activities/people.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import figures, people, services
from trienkhai.activities.models import Attendance, Person, PersonErasure
from trienkhai.common.errors import Conflict


@pytest.fixture
def classes(org):
    """A class at C1 on two days (An both, Bình one) and one at C2 in 2015 (Cường)."""
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02"))
    attend(event, ["Nguyễn Văn An", "Lê Thị Bình"], group="dang_vien")
    attend(event, ["Nguyễn Văn An"], session=1)
    old = make_event(org.c2, days=("2015-05-04",), title="Lớp năm 2015")
    attend(old, ["Trần Cường"])
    return event


def an() -> Person:
    return Person.objects.get(name="Nguyễn Văn An")


def test_it_finds_people_of_a_subtree_by_name_without_accents(org, classes):
    assert [p.name for p in people.find(org.d1, "nguyen van")] == ["Nguyễn Văn An"]
    assert [p.name for p in people.find(org.d1)] == ["Lê Thị Bình", "Nguyễn Văn An", "Trần Cường"]
    assert people.find(org.c2, "binh") == []


def test_it_finds_the_people_of_a_unit_that_has_ended(org, classes):
    """GIVEN C2 merged into a new commune on 01/07/2025 THEN its people are found under
    it as it stood on its last day (Chợ Đồn's participants under Huyện ủy Chợ Đồn)."""
    from tests import factories as f
    from trienkhai.orgs import services as orgs

    new = f.make_unit("C9", name="Xã Mới", parent=org.d1, valid_from=dt.date(2025, 7, 1))
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c2], into=new, on=dt.date(2025, 7, 1))
    org.c2.refresh_from_db()
    assert [p.name for p in people.find(org.c2)] == ["Trần Cường"]


def test_it_exports_everything_kept_about_a_person(org, classes):
    record = people.record(an())
    assert record["name"] == "Nguyễn Văn An" and record["unit"] == "C1"
    assert [(a["date"], a["title"]) for a in record["attendances"]] == [
        ("2021-03-01", "Lớp bồi dưỡng lý luận"),
        ("2021-03-02", "Lớp bồi dưỡng lý luận"),
    ]
    assert record["erased"] is None


def test_erasing_a_person_keeps_every_figure(org, personas, classes):
    """GIVEN 3 attendances of 2 people at C1's class in 2021
    WHEN the manager erases An on request
    THEN the name, position and group are gone, an audit row says who and why without
    the name, and the figures of 2021 (by group too) are what they were."""
    span = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    before = figures.subtree_figures(org.d1, *span)
    person = people.erase(acting_user=personas.manager, person=an())
    assert person.name == people.ERASED_NAME and person.position == "" and person.erased
    assert "Nguyễn Văn An" not in str(people.record(person))
    assert figures.subtree_figures(org.d1, *span) == before
    assert before[("act_attendances", "")] == 3 and before[("act_participants", "")] == 2
    (row,) = PersonErasure.objects.all()
    assert (row.person_id, row.erased_by, row.reason) == (person.pk, personas.manager, "request")
    with pytest.raises(Conflict):
        people.erase(acting_user=personas.manager, person=person)


def test_a_name_erased_is_a_new_person_when_it_comes_again(org, personas, classes):
    people.erase(acting_user=personas.manager, person=an())
    later = make_event(org.c1, days=("2022-01-10",))
    attend(later, ["Nguyễn Văn An"])
    assert Person.objects.filter(name="Nguyễn Văn An", erased__isnull=True).count() == 1
    assert Person.objects.count() == 4


def test_only_who_may_change_the_unit_erases(org, personas, classes):
    for user in (personas.outsider, personas.viewer, personas.reporter):
        with pytest.raises(PermissionDenied):
            people.erase(acting_user=user, person=an())
    assert not PersonErasure.objects.exists() and an().erased is None


def test_retention_erases_only_who_has_not_attended_for_years(org, classes):
    today = dt.date(2024, 12, 7)
    assert people.expired(today, years=0) == []
    old = Person.objects.get(name="Trần Cường")
    assert people.expired(today, years=5) == [old.pk]
    assert people.erase_expired(acting_user=SYSTEM, today=today, years=5) == 1
    old.refresh_from_db()
    assert old.erased and old.erasures.get().reason == "retention"
    assert Attendance.objects.filter(person=old).count() == 1
    assert people.erase_expired(acting_user=SYSTEM, today=today, years=5) == 0


def test_the_api_lists_exports_and_erases_for_the_manager_only(org, personas, api, classes):
    person = an()
    manager = api(personas.manager)
    listed = manager.get("activities/people", unit="D1", q="nguyen")
    assert listed.status_code == 200, listed.content
    assert [p["name"] for p in listed.json()] == ["Nguyễn Văn An"]
    exported = manager.get(f"activities/people/{person.pk}")
    assert exported.status_code == 200 and len(exported.json()["attendances"]) == 2
    for user in (personas.outsider, personas.viewer, personas.reporter):
        assert api(user).get("activities/people", unit="D1").status_code == 403
        assert api(user).get(f"activities/people/{person.pk}").status_code == 403
        assert api(user).post(f"activities/people/{person.pk}/erase", {}).status_code == 403
    assert api().get(f"activities/people/{person.pk}").status_code == 401
    assert manager.get(f"activities/people/{person.pk}/erase").status_code == 405
    assert manager.get("activities/people/999999").status_code == 404
    assert an().erased is None
    erased = manager.post(f"activities/people/{person.pk}/erase", {})
    assert erased.status_code == 200, erased.content
    again = manager.post(f"activities/people/{person.pk}/erase", {})
    assert again.status_code == 409
    assert again.json()["error"]["message"].startswith("Người này đã được xóa / ")
    assert services.name_key("Nguyễn Văn An") not in set(
        Person.objects.values_list("name_key", flat=True)
    )
