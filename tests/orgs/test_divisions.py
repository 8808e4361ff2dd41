"""The official divisions before and after 2025-07-01, imported from vietnam-provinces."""

import datetime as dt
from collections import Counter

import pytest

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs import divisions, queries
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import LineageEvent, LineageLink, OfficialCode, Unit, UnitVersion

BEFORE = dt.date(2020, 1, 1)
AFTER = dt.date(2026, 1, 1)
FOUR = ["91", "84", "06", "38"]
"""Kiên Giang, Trà Vinh, Bắc Kạn, Thanh Hóa: the provinces of the source documents."""


@pytest.fixture
def four(db):
    return divisions.import_divisions(acting_user=SYSTEM, provinces=FOUR)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def name(code: str, day: dt.date) -> str:
    version = unit(code).version_on(day)
    assert version is not None, f"{code} does not exist on {day}"
    return version.name


def carried_by(code: str, day: dt.date = AFTER) -> list[tuple[str, bool]]:
    return [(s.unit.code, s.is_partial) for s in queries.successors(unit(code), day)]


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "versions": UnitVersion.objects.count(),
        "codes": OfficialCode.objects.count(),
        "events": LineageEvent.objects.count(),
        "links": LineageLink.objects.count(),
        "unit history": Unit.history.count(),
        "version history": UnitVersion.history.count(),
    }


def test_it_imports_the_selected_provinces_and_the_provinces_they_went_into(four):
    old = Unit.objects.filter(code__regex=r"^HC04-\d\d$").values_list("code", flat=True)
    new = Unit.objects.filter(code__regex=r"^HC25-\d\d$").values_list("code", flat=True)
    assert sorted(old) == ["HC04-06", "HC04-38", "HC04-84", "HC04-91"]
    assert sorted(new) == ["HC25-19", "HC25-38", "HC25-86", "HC25-91"]
    planned = divisions.plan(FOUR).divisions
    assert four["units_created"] == len(planned) == Unit.objects.exclude(code="VN").count()
    kien_giang = unit("HC04-91")
    assert (kien_giang.valid_from, kien_giang.valid_to) == (
        dt.date(2008, 8, 1),
        dt.date(2025, 7, 1),
    )
    assert unit("HC25-91").valid_to is None
    # Every commune of the new provinces came along, not only those of the old four.
    assert name("HC25-30292", AFTER) == "Phường Bình Đức"  # formed from old 89 An Giang


def test_it_follows_the_facts_of_the_source_documents(four):
    assert name("HC04-91", BEFORE) == "Tỉnh Kiên Giang"
    assert carried_by("HC04-91") == [("HC25-91", False)]
    assert name("HC25-91", AFTER) == "Tỉnh An Giang"
    assert carried_by("HC04-84") == [("HC25-86", False)]
    assert name("HC25-86", AFTER) == "Tỉnh Vĩnh Long"
    assert carried_by("HC04-06") == [("HC25-19", False)]
    assert name("HC25-19", AFTER) == "Tỉnh Thái Nguyên"
    assert carried_by("HC04-38") == [("HC25-38", False)]
    assert name("HC04-38", BEFORE) == name("HC25-38", AFTER) == "Tỉnh Thanh Hóa"


def test_it_plans_ben_tre_and_tra_vinh_into_vinh_long_without_the_database():
    planned = divisions.plan()
    assert planned.merges["HC25-86"] == {"HC04-83": False, "HC04-84": False, "HC04-86": False}
    assert planned.merges["HC25-91"] == {"HC04-89": False, "HC04-91": False}


def test_it_derives_the_package_province_table_but_for_its_one_artefact():
    """GIVEN the package's own province table (derived from its ward rows)
    WHEN compared with the mapping derived from where the pre-2025 list puts each commune
    THEN they agree, except that one mislabelled row made old 82 a source of new 80."""
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW

    planned = divisions.plan()
    ours: dict[int, set[int]] = {}
    for new, olds in planned.merges.items():
        if len(new) == len("HC25-91"):
            for old in olds:
                ours.setdefault(int(old[5:]), set()).add(int(new[5:]))
    package = {old: {ref.code for ref in e.new_provinces} for old, e in OLD_TO_NEW.items()}
    assert package[82] == {80, 82}
    package[82] = {82}
    assert ours == package
    assert len(ours) == 63
    assert len({new for news in ours.values() for new in news}) == 34


def test_it_gives_units_their_kinds_names_parents_and_official_codes(four):
    expected = {
        "HC04-91": ("province", "Tỉnh Kiên Giang", "VN", "91"),
        "HC04-910": ("district", "Huyện Vĩnh Thuận", "HC04-91", "910"),
        "HC04-899": ("district", "Thành phố Rạch Giá", "HC04-91", "899"),
        "HC04-31051": ("town", "Thị trấn Vĩnh Thuận", "HC04-910", "31051"),
        "HC04-31060": ("commune", "Xã Vĩnh Bình Bắc", "HC04-910", "31060"),
        "HC25-91": ("province", "Tỉnh An Giang", "VN", "91"),
        "HC25-31078": ("special_zone", "Đặc khu Phú Quốc", "HC25-91", "31078"),
        "HC25-31069": ("commune", "Xã Vĩnh Thuận", "HC25-91", "31069"),
        "HC25-31051": ("commune", "Xã Vĩnh Phong", "HC25-91", "31051"),  # the code, reused
    }
    for code, (kind, label, parent, official) in expected.items():
        day = BEFORE if code.startswith("HC04") else AFTER
        version = unit(code).version_on(day)
        assert version is not None
        assert (version.kind.code, version.name, version.parent.code) == (kind, label, parent)
        assert queries.by_official_code(official, day) == version.unit
    ward = UnitVersion.objects.get(unit__code="HC04-30733")
    assert (ward.kind.code, ward.name) == ("ward", "Phường Vĩnh Thanh")


def test_it_keeps_search_keys_as_unit_versions_save_them(four):
    version = UnitVersion.objects.get(unit__code="HC04-31060")
    stored = version.search_key
    version.save()
    assert version.search_key == stored == "xa vinh binh bac hc04-31060"
    assert [v.unit.code for v in queries.search("vinh binh bac", day=BEFORE)] == ["HC04-31060"]


def test_it_finds_province_91_by_date(four):
    assert queries.by_official_code("91", BEFORE) == unit("HC04-91")
    assert queries.by_official_code("91", dt.date(2025, 6, 30)) == unit("HC04-91")
    assert queries.by_official_code("91", dt.date(2025, 7, 1)) == unit("HC25-91")
    assert queries.by_official_code("91", AFTER) == unit("HC25-91")
    assert queries.by_official_code("89", AFTER) is None  # old An Giang: not imported


def test_it_tells_truc_bach_from_ba_dinh_by_date(db):
    divisions.import_divisions(acting_user=SYSTEM, provinces=["01"])
    before = queries.by_official_code("00004", BEFORE)
    after = queries.by_official_code("00004", AFTER)
    assert before is not None and after is not None
    assert (before.code, name(before.code, BEFORE)) == ("HC04-00004", "Phường Trúc Bạch")
    assert (after.code, name(after.code, AFTER)) == ("HC25-00004", "Phường Ba Đình")
    assert ("HC25-00004", False) in carried_by("HC04-00004")


def test_it_maps_a_split_commune_to_all_its_new_communes(four):
    """Thị trấn Thiệu Hóa (15772) was split between three new communes."""
    assert name("HC04-15772", BEFORE) == "Thị trấn Thiệu Hóa"
    assert carried_by("HC04-15772") == [
        ("HC25-15772", True),
        ("HC25-15796", True),
        ("HC25-15835", True),
    ]
    predecessors = queries.predecessors(unit("HC25-15796"), BEFORE)
    assert "HC04-15772" in [p.unit.code for p in predecessors]


def test_it_gives_a_district_its_successors(four):
    """Huyện Vĩnh Thuận's communes went into three new communes; none holds all of it."""
    assert carried_by("HC04-910") == [
        ("HC25-31051", True),
        ("HC25-31064", True),
        ("HC25-31069", True),
    ]
    event = LineageEvent.objects.get(unit__code="HC04-910", kind="dissolve")
    assert event.date == divisions.REFORM
    assert event.links.count() == 3


def test_it_dissolves_an_old_commune_without_successor_and_creates_events(four):
    """Xã Đông Khê (16387) is not in the conversion table: it ends with no successor."""
    dong_khe = unit("HC04-16387")
    assert dong_khe.valid_to == divisions.REFORM
    assert [e.kind for e in queries.events_of(dong_khe)] == ["create", "dissolve"]
    assert carried_by("HC04-16387") == []
    assert LineageEvent.objects.filter(kind="create").count() == Unit.objects.count()
    # A new commune: created, formed by a merge, and a successor of the district that ended.
    events = queries.events_of(unit("HC25-31069"))
    assert sorted((e.kind, e.unit.code) for e in events) == [
        ("create", "HC25-31069"),
        ("dissolve", "HC04-910"),
        ("merge", "HC25-31069"),
    ]


def test_it_plans_create_only_for_new_units_without_predecessor():
    planned = divisions.plan()
    assert "HC25-11948" not in planned.merges  # Đặc khu Bạch Long Vĩ
    assert planned.dissolves["HC04-16387"] == {}


def test_it_lists_the_descendants_of_kien_giang_in_2020(four):
    found = queries.descendants(unit("HC04-91"), BEFORE)
    by_depth = Counter(v.depth for v in found)
    assert by_depth[1] == 15  # districts
    planned = divisions.plan(["91"]).divisions
    assert by_depth[2] == len(
        [d for d in planned if d.code.startswith("HC04-") and len(d.official) == 5]
    )
    codes = {v.unit.code for v in found}
    assert {"HC04-910", "HC04-31051", "HC04-31060"} <= codes
    assert not any(code.startswith("HC25") for code in codes)
    assert queries.descendants(unit("HC25-91"), BEFORE) == []


def test_it_records_the_import_in_the_audit_history(four):
    history = Unit.history.get(code="HC04-91")
    assert history.history_type == "+"
    assert history.history_change_reason.startswith("vietnam-provinces ")
    assert history.history_user is None  # a system actor is recorded as no user
    assert UnitVersion.history.filter(unit_id=unit("HC04-91").pk).count() == 1
    # Every unit but the root (made by a migration, or again after a transactional test
    # emptied the tables, then with a history row of its own) has its creation recorded.
    assert (
        Unit.history.exclude(code=ROOT_CODE).count() == Unit.objects.exclude(code=ROOT_CODE).count()
    )


def test_it_changes_nothing_the_second_time(four):
    before = counts()
    again = divisions.import_divisions(acting_user=SYSTEM, provinces=FOUR)
    assert counts() == before
    assert again["units_created"] == again["events_created"] == again["links_created"] == 0
    assert again["units_existing"] == four["units_created"]


def test_it_fills_in_the_rest_after_a_partial_import(db):
    """GIVEN Kiên Giang imported alone (its successor An Giang also took old 89)
    WHEN old An Giang (89) is imported later
    THEN its units and links are added to the same events, with no duplicates."""
    divisions.import_divisions(acting_user=SYSTEM, provinces=["91"])
    new_province = LineageEvent.objects.get(unit__code="HC25-91", kind="merge")
    assert [link.predecessor.code for link in new_province.links.all()] == ["HC04-91"]
    assert not Unit.objects.filter(code="HC04-89").exists()
    first = counts()

    added = divisions.import_divisions(acting_user=SYSTEM, provinces=["89", "91"])
    assert added["units_existing"] == first["units"] - 1
    new_province = LineageEvent.objects.get(unit__code="HC25-91", kind="merge")
    codes = sorted(link.predecessor.code for link in new_province.links.all())
    assert codes == ["HC04-89", "HC04-91"]
    assert LineageEvent.objects.filter(kind="merge").values("unit").distinct().count() == (
        LineageEvent.objects.filter(kind="merge").count()
    )
    stored = {
        (link.event.unit.code, link.predecessor.code, link.successor.code, link.is_partial)
        for link in LineageLink.objects.select_related("event__unit", "predecessor", "successor")
    }
    planned = divisions.plan(["89", "91"])
    expected = {
        (new, old, new, p) for new, olds in planned.merges.items() for old, p in olds.items()
    }
    expected |= {
        (old, old, new, p) for old, news in planned.dissolves.items() for new, p in news.items()
    }
    present = {d.code for d in planned.divisions}
    assert stored == {row for row in expected if row[1] in present and row[2] in present}


def test_it_refuses_an_unknown_province_and_changes_nothing(db):
    before = counts()
    with pytest.raises(BadInput) as err:
        divisions.import_divisions(acting_user=SYSTEM, provinces=["91", "99"])
    assert err.value.code == "unknown_province"
    assert "99" in err.value.message
    assert counts() == before


def test_it_reports_progress(db):
    messages: list[str] = []
    divisions.import_divisions(acting_user=SYSTEM, provinces=["06"], progress=messages.append)
    assert len(messages) >= 3
    assert all(" / " in message for message in messages)


def test_it_imports_the_whole_country(db):
    """The whole country (about 2 s on SQLite, 3 s on PostgreSQL): every count of §4."""
    summary = divisions.import_divisions(acting_user=SYSTEM)
    by_prefix_and_kind = Counter(
        (v.unit.code[:4], v.kind.code) for v in UnitVersion.objects.select_related("unit", "kind")
    )
    old_communes = sum(by_prefix_and_kind[("HC04", k)] for k in ("commune", "ward", "town"))
    new_communes = sum(by_prefix_and_kind[("HC25", k)] for k in ("commune", "ward", "special_zone"))
    assert by_prefix_and_kind[("HC04", "province")] == 63
    assert by_prefix_and_kind[("HC04", "district")] == 696
    assert old_communes == 10_051
    assert by_prefix_and_kind[("HC25", "province")] == 34
    assert new_communes == 3_321
    assert by_prefix_and_kind[("HC25", "special_zone")] == 13
    assert summary["units_created"] == 63 + 696 + 10_051 + 34 + 3_321
    assert len(queries.children(unit("VN"), BEFORE)) == 63
    assert len(queries.children(unit("VN"), AFTER)) == 34
    bach_long_vi = unit("HC25-11948")
    assert [e.kind for e in queries.events_of(bach_long_vi)] == ["create"]
