"""Units in time: versions, renames, moves, merges, splits, and the queries over them."""

import datetime as dt

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries, services
from trienkhai.orgs.models import LineageEvent

REFORM = dt.date(2025, 7, 1)
BEFORE = dt.date(2020, 6, 15)
AFTER = dt.date(2026, 1, 1)


def codes(versions):
    return sorted(v.unit.code for v in versions)


def test_it_answers_the_tree_as_of_a_date(org):
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    assert codes(queries.descendants(org.d1, BEFORE)) == ["C1", "C2"]
    assert codes(queries.descendants(org.d1, AFTER)) == ["C1"]
    assert codes(queries.descendants(org.d2, AFTER)) == ["C2"]
    assert codes(queries.descendants(org.root, BEFORE, depth=2)) == ["D1", "D2"]
    assert [v.unit.code for v in queries.ancestors(org.c2, BEFORE)] == ["VN", "P1", "D1"]
    assert [v.unit.code for v in queries.ancestors(org.c2, AFTER)] == ["VN", "P2", "D2"]


def test_it_keeps_old_names_for_old_dates(org):
    services.change_unit(
        acting_user=SYSTEM, unit=org.c1, on=dt.date(2021, 3, 1), name="Thị trấn Mới"
    )
    assert org.c1.version_on(BEFORE).name == "Thị trấn Vĩnh Thuận"
    assert org.c1.version_on(AFTER).name == "Thị trấn Mới"
    kinds = [e.kind for e in queries.events_of(org.c1)]
    assert kinds == ["create", "rename"]


def test_a_change_keeps_the_end_of_a_unit_already_dissolved_later(org):
    """GIVEN C1 dissolved on the reform day WHEN it is renamed the year before THEN the
    new name runs until the reform day, not for ever."""
    services.dissolve_unit(acting_user=SYSTEM, unit=org.c1, on=REFORM)
    new = services.change_unit(
        acting_user=SYSTEM, unit=org.c1, on=dt.date(2024, 1, 1), name="Thị trấn Mới"
    )
    assert (new.valid_from, new.valid_to) == (dt.date(2024, 1, 1), REFORM)
    assert org.c1.version_on(dt.date(2025, 6, 30)).name == "Thị trấn Mới"
    assert org.c1.version_on(AFTER) is None
    assert codes(queries.descendants(org.d1, AFTER)) == ["C2"]


def test_it_finds_successors_through_chains_of_merges(org):
    """GIVEN C1 and C2 merged into N1 in 2025, and N1 merged into N2 in 2026,
    WHEN asking who carries C1 at each date,
    THEN the chain is followed to the unit alive then."""
    n1 = f.make_unit("N1", kind_code="commune", parent=org.p1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=n1, on=REFORM)
    n2 = f.make_unit("N2", kind_code="commune", parent=org.p1, valid_from=dt.date(2026, 3, 1))
    services.merge_units(acting_user=SYSTEM, predecessors=[n1], into=n2, on=dt.date(2026, 3, 1))
    org.c1.refresh_from_db()
    assert [s.unit.code for s in queries.successors(org.c1, BEFORE)] == ["C1"]
    assert [s.unit.code for s in queries.successors(org.c1, AFTER)] == ["N1"]
    assert [s.unit.code for s in queries.successors(org.c1, dt.date(2026, 6, 1))] == ["N2"]
    assert [s.unit.code for s in queries.predecessors(n2, BEFORE)] == ["C1", "C2"]


def test_it_maps_a_split_unit_to_all_its_parts(org):
    a = f.make_unit("A", parent=org.p1, valid_from=REFORM)
    b = f.make_unit("B", parent=org.p1, valid_from=REFORM)
    services.split_unit(acting_user=SYSTEM, unit=org.c2, into=[a, b], on=REFORM)
    found = queries.successors(org.c2, AFTER)
    assert [(s.unit.code, s.is_partial) for s in found] == [("A", True), ("B", True)]


def test_it_looks_up_official_codes_by_date(org):
    """Official code 91 was Kiên Giang before the reform and is An Giang after it."""
    an_giang = f.make_unit(
        "AG", kind_code="province", valid_from=REFORM, official_codes={"gso": "91"}
    )
    from trienkhai.orgs.models import OfficialCode

    OfficialCode.objects.filter(unit=org.p1).update(valid_to=REFORM)
    assert queries.by_official_code("91", BEFORE) == org.p1
    assert queries.by_official_code("91", AFTER) == an_giang
    assert queries.by_official_code("99", AFTER) is None


def test_it_searches_ignoring_accents_and_stroke(org):
    assert [v.unit.code for v in queries.search("vinh thuan")] == ["D1", "C1"]
    assert [v.unit.code for v in queries.search("VĨNH BÌNH")] == ["C2"]
    f.make_unit("DT", name="Xã Đồng Tâm", parent=org.d2)
    assert [v.unit.code for v in queries.search("dong")] == ["DT"]


def test_it_refuses_a_duplicate_code_and_changes_nothing(org):
    with pytest.raises(BadInput) as err:
        f.make_unit("C1", parent=org.d1)
    assert err.value.code == "duplicate_code"


def test_it_refuses_a_parent_that_did_not_exist_yet(org):
    late = f.make_unit("LATE", kind_code="district", parent=org.p1, valid_from=dt.date(2024, 1, 1))
    with pytest.raises(BadInput) as err:
        f.make_unit("X", parent=late, valid_from=dt.date(2023, 1, 1))
    assert err.value.code == "parent_not_alive"


def test_it_refuses_a_cycle(org):
    with pytest.raises(BadInput) as err:
        services.change_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2022, 1, 1), parent=org.c1)
    assert err.value.code == "cycle"
    assert org.d1.version_on(AFTER).parent == org.p1


def test_it_refuses_a_change_before_the_latest_one(org):
    services.change_unit(acting_user=SYSTEM, unit=org.c1, on=dt.date(2022, 1, 1), name="Tên 2022")
    with pytest.raises(BadInput) as err:
        services.change_unit(
            acting_user=SYSTEM, unit=org.c1, on=dt.date(2021, 1, 1), name="Tên 2021"
        )
    assert err.value.code == "later_change_exists"
    assert [v.name for v in org.c1.versions.order_by("valid_from")] == [
        "Thị trấn Vĩnh Thuận",
        "Tên 2022",
    ]


def test_it_refuses_to_dissolve_a_unit_with_children(org):
    with pytest.raises(BadInput) as err:
        services.dissolve_unit(acting_user=SYSTEM, unit=org.d1, on=REFORM)
    assert err.value.code == "unit_has_children"
    org.d1.refresh_from_db()
    assert org.d1.valid_to is None
    assert not LineageEvent.objects.filter(unit=org.d1, kind="dissolve").exists()


def test_it_answers_the_subtree_as_plain_rows_like_the_model_objects(org):
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    for day in (BEFORE, AFTER):
        for depth in (None, 1, 2):
            nodes = queries.subtree(org.root, day, depth=depth)
            versions = queries.descendants(org.root, day, depth=depth)
            as_rows = sorted(
                (v.unit.code, v.name, v.kind.code, v.parent.code, v.depth, v.unit.valid_from)
                for v in versions
            )
            assert (
                sorted((n.code, n.name, n.kind, n.parent, n.depth, n.valid_from) for n in nodes)
                == as_rows
            )
    assert [(n.code, n.parent) for n in queries.subtree(org.d2, AFTER)] == [("C2", "D2")]


def test_it_walks_up_from_a_few_units_to_the_same_answer_as_down_the_roots(org):
    """reached_ids (up from the units asked) == subtree_ids (down from the roots) ∩ them,
    on a day before and after a unit ended."""
    ended = f.make_unit("C3", name="Xã cũ", parent=org.d1, valid_from=dt.date(2008, 8, 1))
    services.dissolve_unit(acting_user=SYSTEM, unit=ended, on=dt.date(2020, 1, 1))
    ids = {u.code: u.pk for u in (org.root, org.p1, org.d1, org.c1, org.c2, org.p2, org.d2, ended)}
    everyone = set(ids.values())
    for day in (dt.date(2019, 6, 1), dt.date(2021, 6, 1)):
        for roots in (["P1"], ["D1"], ["C1", "D2"], ["VN"], ["C3"]):
            root_ids = [ids[code] for code in roots]
            down = queries.subtree_ids(root_ids, day) & everyone
            assert queries.reached_ids(everyone, root_ids, day) == down, (day, roots)
    assert queries.reached_ids([], [ids["P1"]], dt.date(2021, 6, 1)) == set()


def test_it_tells_whether_the_tree_changed_between_two_days(org):
    """A walk made for one day serves another only if no version began or ended between."""
    before, change, after = dt.date(2021, 1, 1), dt.date(2022, 3, 1), dt.date(2023, 1, 1)
    assert queries.same_tree(before, after)
    f.make_unit("C4", name="Xã mới", parent=org.d1, valid_from=change)
    assert not queries.same_tree(before, after)
    assert not queries.same_tree(after, before)
    assert queries.same_tree(before, change - dt.timedelta(days=1))
    assert queries.same_tree(change, after)
