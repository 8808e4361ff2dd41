"""A reorganisation is folded into the totals outside the request, and only where it
reaches; reads stay right meanwhile; a full rebuild gives the same tables."""

import datetime as dt
from functools import partial

import pytest
from django.db import transaction

from tests import factories as f
from tests.analytics.conftest import D, assert_live_matches_scratch
from tests.factories import SYSTEM
from trienkhai import cli
from trienkhai.analytics import engine, rebuild
from trienkhai.analytics.models import Closure, StaleMark, Total
from trienkhai.analytics.structure import Structure
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.orgs import services as orgs
from trienkhai.orgs.models import Unit, UnitKind, UnitVersion

# Drafts too: these tests are about the rules of the totals, whatever their status.
rollup = partial(engine.rollup, status="all")

MOVE = dt.date(2020, 7, 1)
ASKED = ["2020S1", "2020S2", "2020", "2020..2021"]


def total(indicator, period, unit):
    return rollup(indicators=[indicator], periods=[period], units=[unit])[0].value


def rows(**where):
    return set(
        Total.objects.filter(**where).values_list(
            "id", "indicator_id", "option", "period", "unit_id", "total", "count", "low", "high"
        )
    )


def test_a_move_is_read_right_before_and_after_the_refresh_which_touches_only_its_reach(org, put):
    put(org.c1, "2020S1", lop=3, dang_vien=2)
    put(org.c1, "2020S2", lop=5, cao=9, dang_vien=4)
    put(org.c2, "2020S2", lop=7, cao=1)
    untouched = rows(period="2020S1") | rows(unit__in=[org.root, org.c1, org.c2])
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=MOVE, parent=org.d2)

    # The change's own request rebuilt nothing: the totals are as they were, and stale.
    assert rebuild.is_stale()
    assert rows(period="2020S1") | rows(unit__in=[org.root, org.c1, org.c2]) == untouched
    # A reader gets the new structure's answer anyway (from the values).
    assert total("lop", "2020S2", "D2") == 5
    assert total("lop", "2020S2", "P1") == 7
    assert total("dang_vien", "2020", "P2") == 4

    rebuilt = rebuild.refresh()
    assert not rebuild.is_stale()
    assert rebuilt == {"2020S2", "2020"}
    # The units whose units below changed (C1's old and new ancestors), nothing else:
    # C1 keeps its own totals, the country its own, 2020S1 (before the move) all of its.
    assert rows(period="2020S1") | rows(unit__in=[org.root, org.c1, org.c2]) == untouched
    assert total("lop", "2020S2", "D2") == 5
    assert total("lop", "2020S2", "D1") == 7
    assert total("cao", "2020S2", "P2") == 9
    assert total("dang_vien", "2020", "D2") == 4  # C1's latest of 2020, in its new district
    assert total("dang_vien", "2020S1", "D1") == 2
    assert_live_matches_scratch(ASKED)


def test_reached_units_are_the_old_and_new_ancestors_on_the_day():
    # Unit 5 moves from 2 to 3 (both under 0) on 01/07/2020; its own row is unchanged.
    first, move = dt.date(1900, 1, 1), dt.date(2020, 7, 1)
    before = [(91, 5, 2, 1, first, None), (92, 5, 0, 2, first, None)]  # (id, *row)
    after = [(5, 2, 1, first, move), (5, 0, 2, first, move)]
    after += [(5, 3, 1, move, None), (5, 0, 2, move, None)]
    assert rebuild.reached(before, after, dt.date(2020, 6, 30)) == set()
    assert rebuild.reached(before, after, dt.date(2020, 12, 31)) == {2, 3}


def test_saves_before_the_refresh_are_corrected_by_it(org, put):
    put(org.c1, "2020S2", lop=5, thap=4, cao=9, dang_vien=4)
    put(org.c2, "2020S2", thap=2)
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=dt.date(2020, 1, 1), parent=org.d2)
    # Saved while stale: the deltas go through the old closure (C1 → D1 → P1).
    put(org.c1, "2020S2", lop=6, cao=None, dang_vien=1)
    put(org.d2, "2020S2", lop=1)
    assert total("lop", "2020S2", "D2") == 7  # from the values
    rebuild.refresh()
    assert total("lop", "2020S2", "D2") == 7
    assert total("lop", "2020S2", "D1") is None
    assert total("thap", "2020S2", "P2") == 4
    assert total("thap", "2020S2", "P1") == 2
    assert total("cao", "2020S2", "VN") is None
    assert total("dang_vien", "2020", "P2") == 1
    assert_live_matches_scratch(ASKED)


def test_a_full_rebuild_gives_the_tables_of_the_incremental_refresh(org, put):
    put(org.c1, "2020S1", lop=3, thap=2, dang_vien=4, nguoi__nu=1)
    put(org.d1, "2020S2", lop=1, cao=2, dang_vien=1)
    put(org.c2, "2020S2", lop=8, diem=3, cao=5)
    orgs.change_unit(acting_user=SYSTEM, unit=org.d1, on=MOVE, parent=org.p2)
    rebuild.refresh()
    put(org.c2, "2020S2", cao=None)

    def cells():
        return {row[1:7] for row in rows() if row[6] != 0}

    before = cells()
    rebuild.rebuild_all()
    assert cells() == before
    assert total("lop", "2020", "P2") == D(9)
    assert_live_matches_scratch(ASKED)


def test_units_inserted_in_bulk_get_their_closure_rows_on_their_first_save(org, put, figures):
    insert_rows(Unit, ("code", "valid_from"), [("BULK", dt.date(2015, 1, 1))])
    unit = Unit.objects.get(code="BULK")
    kind = UnitKind.objects.get(code="commune").pk
    insert_rows(
        UnitVersion,
        ("unit_id", "name", "search_key", "kind_id", "parent_id", "valid_from"),
        [(unit.pk, "Xã nhập", "xa nhap", kind, org.d1.pk, dt.date(2015, 1, 1))],
    )
    figures.assignments.create(unit=unit, valid_from=dt.date(2015, 1, 1))
    assert not Closure.objects.filter(descendant=unit).exists()
    put(unit, "2020S1", lop=11)
    assert Closure.objects.filter(descendant=unit).count() == 4  # itself, D1, P1, VN
    assert total("lop", "2020S1", "P1") == 11
    assert_live_matches_scratch(ASKED)


def test_rebuild_totals_command_folds_the_reorganisations_in(org, put, capsys):
    put(org.c1, "2020S2", lop=5)
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=MOVE, parent=org.d2)
    assert cli.main(["rebuild-totals"]) == 0
    assert "2 kỳ / periods" in capsys.readouterr().out
    assert not StaleMark.objects.exists()
    assert Total.objects.get(unit=org.d2, period="2020S2", indicator__code="lop").total == 50_000
    assert cli.main(["rebuild-totals", "--all"]) == 0
    assert_live_matches_scratch(ASKED)


@pytest.mark.django_db(transaction=True)
def test_the_server_refreshes_in_a_thread_after_the_commit(org, put, monkeypatch):
    # The fixture's units folded in first: their marks would otherwise start a refresh
    # at the save's commit, racing the move below for the tables. On the tests' in-memory
    # SQLite (shared cache: table locks, no busy timeout) that race failed the move with
    # "database table is locked" on a loaded machine; a file database waits instead.
    rebuild.refresh()
    assert not StaleMark.objects.exists()
    monkeypatch.setattr(rebuild, "BACKGROUND", True)
    put(org.c1, "2020S2", lop=5)
    assert rebuild.wait_idle(timeout=0)  # nothing was stale: the save started no refresh
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=MOVE, parent=org.d2)  # commits
    # Wait for the thread rather than poll the marks: on the tests' in-memory SQLite
    # (shared cache, table locks without a busy timeout) a read racing the thread's
    # writes failed with "database table is locked" on a loaded machine.
    assert rebuild.wait_idle(timeout=120)
    assert not StaleMark.objects.exists()
    assert Total.objects.get(unit=org.d2, period="2020S2", indicator__code="lop").total == 50_000


def test_a_unit_moved_before_its_first_value_is_refreshed_once_it_has_one(org, put):
    # The property test's counterexample: C1 had no values when it moved, so the move
    # "reached nothing"; its first value, saved before the refresh, went through the old
    # closure (D1, P1) and the reads trusted the totals.
    rebuild.refresh()  # the units of the fixture, in the closure
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=MOVE, parent=org.d2)
    put(org.c1, "2020S2", lop=28)
    assert rebuild.is_stale()
    assert total("lop", "2020S2", "P1") is None
    assert total("lop", "2020S2", "P2") == 28
    assert rebuild.refresh() == {"2020S2", "2020"}
    assert total("lop", "2020S2", "P1") is None
    assert_live_matches_scratch(ASKED)


def test_a_new_unit_without_values_reaches_no_totals(org, put):
    put(org.c1, "2020S2", lop=5)
    f.make_unit("C3", parent=org.d1, valid_from=dt.date(2020, 1, 1))
    assert rebuild.refresh() == set()
    assert Closure.objects.filter(descendant__code="C3").count() == 4
    assert_live_matches_scratch(ASKED)


@pytest.mark.django_db(transaction=True)
def test_the_structure_is_kept_per_process_while_the_hierarchy_stays_the_same(org):
    rebuild.refresh()  # the fixture's units folded in: no change pending
    first = Structure.cached()
    assert Structure.cached() is first
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=MOVE, parent=org.d2)
    pending = Structure.cached()  # a change not folded in: loaded afresh, not kept
    assert pending is not first and pending.parent(org.c1.pk, MOVE) == org.d2.pk
    rebuild.refresh()
    again = Structure.cached()
    assert again is not first and again.parent(org.c1.pk, MOVE) == org.d2.pk
    assert Structure.cached() is again
    # A change folded in and rolled back leaves nothing behind.
    with transaction.atomic():
        orgs.change_unit(acting_user=SYSTEM, unit=org.c2, on=MOVE, parent=org.d2)
        rebuild.refresh()
        assert Structure.cached().parent(org.c2.pk, MOVE) == org.d2.pk
        transaction.set_rollback(True)
    assert Structure.cached().parent(org.c2.pk, MOVE) == org.d1.pk


def test_totals_stored_with_own_values_are_recomputed_without_them_by_the_migration(org, put):
    import importlib

    from django.apps import apps

    put(org.c1, "2020S1", lop=3, dang_vien=2, cao=9)
    put(org.d1, "2020S1", lop=4)
    # (the rebuild also keeps the extremes of sums, which the live path does not)
    expected = {row[1:7] for row in rows()}
    assert not rows(unit=org.c1)  # C1 has nobody below: no totals of its own
    # As stored before: each unit's own values in its totals (C1's own row, D1's 4 in D1's).
    lop = Total.objects.get(unit=org.d1, period="2020S1", indicator__code="lop")
    Total.objects.filter(pk=lop.pk).update(total=lop.total + 40_000, count=lop.count + 1)
    Total.objects.create(
        indicator=lop.indicator, period="2020S1", unit=org.c1, total=30_000, count=1
    )
    migration = importlib.import_module(
        "trienkhai.analytics.migrations.0004_totals_without_own_values"
    )
    migration.recompute(apps, None)
    assert {row[1:7] for row in rows()} == expected
    assert total("lop", "2020S1", "D1") == 7
    assert total("lop", "2020S1", "C1") == 3
    assert_live_matches_scratch(ASKED)


def test_a_save_that_meets_a_mark_asks_for_the_refresh(
    org, put, monkeypatch, django_capture_on_commit_callbacks
):
    # A mark left outside the server (a command): the first save that meets it, not only
    # the first read, gets it folded in; until then saves go the long way.
    asked: list[bool] = []
    monkeypatch.setattr(rebuild, "schedule", lambda: asked.append(True))
    StaleMark.objects.create()
    with django_capture_on_commit_callbacks(execute=True):
        put(org.c1, "2020S2", lop=5)
    assert asked


def test_a_failed_background_refresh_is_tried_again(monkeypatch):
    """GIVEN a refresh that fails once (a locked database, say), THEN the thread tries again
    after a pause instead of leaving the marks until the next reorganisation."""
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database table is locked")
        return set()

    monkeypatch.setattr(rebuild, "BACKGROUND", True)
    monkeypatch.setattr(rebuild, "RETRY_DELAYS", (0,))
    monkeypatch.setattr(rebuild, "refresh", flaky)
    rebuild.schedule()
    assert rebuild.wait_idle(timeout=60)
    assert len(calls) == 2
