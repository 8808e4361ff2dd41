"""One order for every unit tree and unit list (issue 14): higher levels first, then by
kind as an office lists them (a province's committee before its communes), then by name
in Vietnamese collation; and ``queries.places``, where each unit of a list sits."""

import datetime as dt
import importlib
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts.services import grant_role
from trienkhai.analytics.selection import unit_members
from trienkhai.orgs import access, queries, services
from trienkhai.orgs.models import Unit, UnitKind

REFORM = dt.date(2025, 7, 1)


@dataclass
class AnGiang:
    province: Unit
    committee: Unit
    communes: list[str]
    """The names under the province, in the order an office lists them."""
    bodies: list[str]
    """The names under the committee, in that order."""


@pytest.fixture
def an_giang(db) -> AnGiang:
    """A province with its committee, its people's committee and five communes and wards;
    the committee with its boards, a cell and a commune committee. The codes run against
    the expected order, so that an order by code fails."""
    province = f.make_unit("Z-AG", name="Tỉnh An Giang", kind_code="province")
    names = [
        ("Z-TU", "Tỉnh ủy An Giang", "party_committee"),
        ("Z-UB", "Ủy ban nhân dân tỉnh An Giang", "agency"),
        ("Y-LX", "Phường Long Xuyên", "ward"),
        ("Y-DM", "Xã Dương Minh", "commune"),
        ("Y-DH", "Xã Đông Hòa", "commune"),
        ("Y-EK", "Xã Ea Kao", "commune"),
        ("Y-TH", "Xã Tân Hòa", "commune"),
    ]
    # Made in reverse, so that neither the ids nor the codes give the order.
    made = {
        code: f.make_unit(code, name=name, kind_code=kind, parent=province)
        for code, name, kind in reversed(names)
    }
    committee = made["Z-TU"]
    bodies = [
        ("X-BCD", "Ban Chỉ đạo 35 Tỉnh ủy An Giang", "steering_committee"),
        ("X-BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang", "board"),
        ("X-CB", "Chi bộ Văn phòng", "party_cell"),
        ("X-DU", "Đảng ủy xã Tân Hòa", "party_committee"),
    ]
    for code, name, kind in reversed(bodies):
        f.make_unit(code, name=name, kind_code=kind, parent=committee)
    return AnGiang(province, committee, [n for _, n, _ in names], [n for _, n, _ in bodies])


def names(versions) -> list[str]:
    return [v.name for v in versions]


def in_order(page: str, expected: list[str]) -> bool:
    """Whether the names appear on the page, each once at least, in this order."""
    where = [page.find(name) for name in expected]
    return -1 not in where and where == sorted(where)


def test_a_provinces_committee_comes_before_its_communes(an_giang):
    today = dt.date.today()
    # Parties, then agencies, then wards and communes by name: D < Đ < E (an order by
    # code points puts Đông after Ea; one without accents puts Đông before Dương).
    assert names(queries.children(an_giang.province, today)) == an_giang.communes
    # A committee's boards before the committees and cells below it.
    assert names(queries.children(an_giang.committee, today)) == an_giang.bodies


def test_every_list_of_a_units_children_has_that_order(an_giang, web, api):
    """GIVEN a national admin WHEN the province's children are listed by the tree, the
    unit page, the picker's API, and analytics THEN they come in one order."""
    admin = f.make_user("qt", unit=f.root(), role="admin")
    client = web(admin)
    tree = client.get(reverse("orgs:tree"), {"mo": ["VN", "Z-AG"]}).content.decode()
    assert in_order(tree, an_giang.communes)
    page = client.get(reverse("orgs:unit", args=["Z-AG"])).content.decode()
    assert in_order(page, an_giang.communes)
    listed = api(admin).get("units", parent="Z-AG").json()
    assert [row["name"] for row in listed] == an_giang.communes
    listed = api(admin).get("units", parent="Z-TU").json()
    assert [row["name"] for row in listed] == an_giang.bodies
    below = [v.unit.code for v in queries.versions_on(dt.date.today()).filter(parent__code="Z-AG")]
    assert [m.label for m in unit_members(below, dt.date.today())] == an_giang.communes


def test_lists_from_several_levels_put_higher_levels_first(an_giang):
    found = names(queries.search("an giang"))
    assert found == [
        "Tỉnh An Giang",
        "Tỉnh ủy An Giang",
        "Ủy ban nhân dân tỉnh An Giang",
        "Ban Chỉ đạo 35 Tỉnh ủy An Giang",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang",
    ]


def test_a_users_own_units_are_listed_higher_level_first(an_giang):
    user = f.make_user("ba_noi")
    for code in ("X-DU", "Z-AG", "Y-TH"):
        grant_role(acting_user=SYSTEM, user=user, unit=Unit.objects.get(code=code), role="viewer")
    top = access.visible_tree(user, dt.date.today())
    assert names(top) == ["Tỉnh An Giang", "Xã Tân Hòa", "Đảng ủy xã Tân Hòa"]


def test_it_places_units_in_one_query_as_the_tree_stood_while_they_held(
    org, django_assert_num_queries
):
    """GIVEN Thị trấn Vĩnh Thuận merged into a new commune of Tỉnh Kiên Giang on
    01/07/2025, and Tỉnh Kiên Giang renamed Tỉnh An Giang that day WHEN its last version
    is placed THEN it sits under Huyện Vĩnh Thuận of Tỉnh Kiên Giang, as on its last day."""
    new = f.make_unit("N", name="Xã Vĩnh Thuận", parent=org.p1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=REFORM)
    services.change_unit(acting_user=SYSTEM, unit=org.p1, on=REFORM, name="Tỉnh An Giang")
    versions = [org.c1.latest_version(), new.latest_version(), org.p1.latest_version()]
    versions.append(org.root.latest_version())
    with django_assert_num_queries(1):
        found = queries.places(versions)
    assert found[org.c1.pk] == queries.Place(3, ("Huyện Vĩnh Thuận", "Tỉnh Kiên Giang"))
    assert found[new.pk] == queries.Place(2, ("Tỉnh An Giang",))
    assert found[org.p1.pk] == queries.Place(1, ())  # the top of the tree is never named
    assert found[org.root.pk] == queries.Place(0, ())
    assert queries.places([]) == {}


def test_the_standard_kinds_are_renumbered_unless_an_admin_changed_them(db):
    migration = importlib.import_module("trienkhai.orgs.migrations.0004_kinds_in_office_order")
    UnitKind.objects.filter(code="commune").update(sort_order=30)  # as before issue 14
    UnitKind.objects.filter(code="board").update(sort_order=77)  # an admin's choice
    migration.renumber(apps, None)
    order = dict(UnitKind.objects.values_list("code", "sort_order"))
    assert order["commune"] == 60 and order["board"] == 77
    standard = sorted(UnitKind.objects.exclude(code="board"), key=lambda k: k.sort_order)
    assert [k.code for k in standard if k.code in {"party_committee", "province", "commune"}] == [
        "party_committee",
        "province",
        "commune",
    ]
    migration.back(apps, None)
    assert UnitKind.objects.get(code="commune").sort_order == 30


def test_the_order_does_not_depend_on_the_codes(an_giang):
    # The fixture's codes run against the order; renaming flips the names' order only.
    services.change_unit(
        acting_user=SYSTEM,
        unit=Unit.objects.get(code="Y-TH"),
        on=dt.date.today(),
        name="Xã An Hòa",
    )
    listed = names(queries.children(an_giang.province, dt.date.today()))
    assert listed.index("Xã An Hòa") < listed.index("Xã Dương Minh")
    assert re.match(r"Tỉnh ủy", listed[0])
