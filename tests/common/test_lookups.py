"""``field__among=ids`` (common/lookups.py): the rows of ``__in``, the ids bound as one
parameter, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from trienkhai.orgs.models import Unit, UnitVersion


def ids_of(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_it_finds_the_rows_of_in_directly_and_across_relations(org):
    asked = [org.c2.pk, org.d1.pk, org.c2.pk, 10**9, org.p2.pk]  # repeated, unknown, unsorted
    assert ids_of(Unit.objects.filter(pk__among=asked)) == ids_of(Unit.objects.filter(pk__in=asked))
    assert len(ids_of(Unit.objects.filter(pk__among=asked))) == 3
    under = Unit.objects.filter(versions__parent_id__among=[org.d1.pk])
    assert ids_of(under) == ids_of(Unit.objects.filter(versions__parent_id__in=[org.d1.pk]))
    assert set(under) == {org.c1, org.c2}
    children = UnitVersion.objects.filter(parent__among=[org.p1.pk, org.p2.pk])
    assert {v.unit for v in children} == {org.d1, org.d2}
    assert ids_of(Unit.objects.exclude(pk__among=asked)) == ids_of(
        Unit.objects.exclude(pk__in=asked)
    )


def test_no_id_finds_nothing_and_leaves_the_rest_of_an_or(org):
    assert not Unit.objects.filter(pk__among=[]).exists()
    either = Unit.objects.filter(Q(pk__among=[]) | Q(code="D1"))
    assert [u.code for u in either] == ["D1"]


@pytest.mark.parametrize("bad", ["C1", [1, "2"], [1.0], [True], 5])
def test_it_takes_integer_ids_only(db, bad):
    with pytest.raises(TypeError):
        Unit.objects.filter(pk__among=bad)


def test_forty_thousand_ids_are_one_parameter(org):
    """More ids than SQLite binds in one statement (32.766), in one query."""
    asked = [org.c1.pk, *range(10**6, 10**6 + 40_000)]
    with CaptureQueriesContext(connection) as seen:
        assert [u.code for u in Unit.objects.filter(pk__among=asked)] == ["C1"]
    assert len(seen) == 1


def test_the_national_list_of_activities_binds_the_subtree_once(org, web):
    """GIVEN a country of 47 units WHEN its admin opens the activities THEN no query
    binds the units one by one (14.000 of them took a second of Python a page)."""
    for n in range(40):
        f.make_unit(f"X{n:02}", parent=org.d2)
    admin = f.make_user("qt_hd", unit=org.root, role="admin")
    bound: list[int] = []

    def count(execute, sql, params, many, context):
        bound.append(len(params or ()))
        return execute(sql, params, many, context)

    client = web(admin)
    with connection.execute_wrapper(count):
        page = client.get(reverse("activities:list"), {"don-vi": org.root.code})
    assert page.status_code == 200
    assert len(bound) > 10 and max(bound) < 40, bound
