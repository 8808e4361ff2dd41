"""Every write to the hierarchy asks the policy (through common.actors): None, a user of
another unit and a reporter are refused and nothing changes; a manager of the unit and
a system actor pass."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.common import actors
from trienkhai.common.errors import BadInput
from trienkhai.orgs import divisions, imports, services
from trienkhai.orgs.models import LineageEvent, Unit, UnitVersion

ON = dt.date(2024, 1, 1)


def _create(org, actor):
    return services.create_unit(
        acting_user=actor, code="X1", name="Xã mới", kind=f.kind("commune"), valid_from=ON,
        parent=org.d1,
    )  # fmt: skip


def _rename(org, actor):
    return services.change_unit(acting_user=actor, unit=org.c1, on=ON, name="Tên mới")


def _move(org, actor):
    return services.change_unit(acting_user=actor, unit=org.c1, on=ON, parent=org.c2)


def _merge(org, actor):
    return services.merge_units(acting_user=actor, predecessors=[org.c1], into=org.c2, on=ON)


def _split(org, actor):
    return services.split_unit(acting_user=actor, unit=org.c1, into=[org.c2], on=ON)


def _dissolve(org, actor):
    return services.dissolve_unit(acting_user=actor, unit=org.c1, on=ON)


def _import(org, actor):
    data = "code,name,kind,parent,valid_from\nX1,Xã mới,commune,D1,01/01/2024\n".encode()
    return imports.import_units_file(acting_user=actor, name="units.csv", data=data)


WRITES = [_create, _rename, _move, _merge, _split, _dissolve, _import]


def snapshot():
    return (
        Unit.objects.count(),
        UnitVersion.objects.count(),
        LineageEvent.objects.count(),
        sorted(Unit.objects.values_list("code", "valid_to")),
    )


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["none", "outsider", "reporter", "viewer", "nobody"])
def test_it_refuses_whoever_may_not_change_the_units(org, personas, write, who):
    actor = None if who == "none" else getattr(personas, who)
    before = snapshot()
    # The import answers a parent one may not add under as a row error (400) when the
    # actor may change some other unit (the outsider); anyone else gets a 403.
    refusal = (PermissionDenied, BadInput) if write is _import else PermissionDenied
    with pytest.raises(refusal):
        write(org, actor)
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_it_lets_a_manager_of_the_units_change_them(org, personas, write):
    before = snapshot()
    write(org, personas.manager)
    assert snapshot() != before


@pytest.mark.parametrize("write", WRITES)
def test_it_lets_a_system_actor_change_anything(org, write):
    before = snapshot()
    write(org, SYSTEM)
    assert snapshot() != before


def test_it_records_a_user_in_the_history_and_no_one_for_a_system_actor(org, personas):
    _rename(org, personas.manager)
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=ON, name="Tên khác")
    assert UnitVersion.history.filter(unit=org.c1).latest("history_id").history_user == (
        personas.manager
    )
    assert UnitVersion.history.filter(unit=org.c2).latest("history_id").history_user is None
    assert LineageEvent.objects.get(unit=org.c1, kind="rename").created_by == personas.manager
    assert LineageEvent.objects.get(unit=org.c2, kind="rename").created_by is None


def test_it_refuses_a_move_under_a_unit_the_actor_may_not_change(org, personas):
    """GIVEN a manager of D1 WHEN they move C1 under D2 (the outsider's) THEN 403."""
    with pytest.raises(PermissionDenied):
        services.change_unit(acting_user=personas.manager, unit=org.c1, on=ON, parent=org.d2)
    assert org.c1.versions.count() == 1


def test_it_refuses_a_merge_that_takes_in_a_unit_of_another_district(org, personas):
    with pytest.raises(PermissionDenied):
        services.merge_units(
            acting_user=personas.manager, predecessors=[org.d2], into=org.c2, on=ON
        )
    assert LineageEvent.objects.filter(kind="merge").count() == 0


def test_it_leaves_new_roots_to_the_country_s_admins(org, personas):
    """A root (a unit without a parent) is global: an admin held at a province may not add one."""
    province_admin = f.make_user("province-admin", unit=org.p1, role="admin")
    for actor in (personas.manager, province_admin):
        with pytest.raises(PermissionDenied):
            services.create_unit(
                acting_user=actor, code="R1", name="Gốc", kind=f.kind("province"), valid_from=ON
            )
    services.create_unit(
        acting_user=personas.admin, code="R1", name="Gốc", kind=f.kind("province"), valid_from=ON
    )
    assert Unit.objects.filter(code="R1").exists()


@pytest.mark.parametrize("who", ["none", "manager"])
def test_it_leaves_the_divisions_import_to_the_country_s_admins(org, personas, who):
    actor = None if who == "none" else personas.manager
    before = snapshot()
    with pytest.raises(PermissionDenied):
        divisions.import_divisions(acting_user=actor, provinces=["91"])
    assert snapshot() == before


def test_it_refuses_every_write_when_no_policy_is_installed(org, monkeypatch):
    """The seam fails closed: without the checker accounts installs, even a system actor
    is refused (a misconfigured installation writes nothing rather than everything)."""
    monkeypatch.setattr(actors, "_checker", None)
    for write in WRITES:
        with pytest.raises(PermissionDenied):
            write(org, SYSTEM)


def test_it_names_units_in_its_refusals_not_their_codes(org):
    """GIVEN Huyện Vĩnh Thuận (D1) with two units under it
    WHEN it is dissolved, or named as a parent before it existed, in either language
    THEN the screen's words name the units; the API's message keeps the codes."""
    with pytest.raises(BadInput) as caught:
        services.dissolve_unit(acting_user=SYSTEM, unit=org.d1, on=ON)
    assert caught.value.code == "unit_has_children"
    assert caught.value.message.startswith("D1 còn đơn vị trực thuộc")
    assert caught.value.shown == (
        "Huyện Vĩnh Thuận còn đơn vị trực thuộc vào ngày 01/01/2024: hãy chuyển hoặc giải thể "
        "các đơn vị đó trước."
    )
    with translation.override("en"), pytest.raises(BadInput) as caught:
        services.check_alive(org.d1, dt.date(2000, 1, 1), "parent")
    assert caught.value.code == "parent_not_alive"
    assert caught.value.shown == "The parent Huyện Vĩnh Thuận did not exist on 01/01/2000."
    assert "D1" in caught.value.message
    with pytest.raises(BadInput) as caught:
        services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=org.c1, on=ON)
    assert caught.value.shown == "Thị trấn Vĩnh Thuận không thể hợp nhất vào chính nó."
    assert not LineageEvent.objects.filter(kind=LineageEvent.Kind.MERGE).exists()
