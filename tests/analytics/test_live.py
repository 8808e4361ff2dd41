"""The live totals follow every save, bulk import and change of the hierarchy."""

import datetime as dt
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.analytics.conftest import D, assert_live_matches_scratch
from tests.factories import SYSTEM
from trienkhai.analytics import engine, live, rebuild
from trienkhai.analytics.models import Total
from trienkhai.orgs import services as orgs
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting.models import FormAssignment, Indicator
from trienkhai.reporting.signals import values_changed

# Drafts too: these tests are about the rules of the totals, whatever their status.
rollup = partial(engine.rollup, status="all")

PERIODS = ["2020S1", "2020S2", "2020", "2019..2021"]


def total(indicator, period, unit):
    return rollup(indicators=[indicator], periods=[period], units=[unit])[0].value


def test_the_total_reflects_a_value_in_the_transaction_that_saved_it(org, put):
    put(org.c1, "2020S1", lop=3)
    with transaction.atomic():
        put(org.c2, "2020S1", lop=4)
        assert total("lop", "2020S1", "VN") == 7
        assert Total.objects.filter(unit=org.root, period="2020S1").exists()


def test_edits_and_removals_keep_every_rule_in_step(org, put):
    put(org.c1, "2020S1", lop=3, diem=4, thap=2, cao=9, dang_vien=5, nguoi__nu=1, nguoi__nam=2)
    put(org.c2, "2020S1", lop=4, diem=6, thap=1, cao=3, dang_vien=6, nguoi__nu=3)
    put(org.c1, "2020S2", lop=1, thap=5, cao=1, dang_vien=7)
    put(org.d2, "2020S2", thap=0, cao=100)
    assert_live_matches_scratch(PERIODS)
    # The minimum and maximum are removed or made less extreme: recomputed, not guessed.
    put(org.c2, "2020S1", thap=8, cao=None, dang_vien=None)
    put(org.d2, "2020S2", thap=None, cao=50)
    put(org.c1, "2020S2", dang_vien=None, lop=None)
    rows = assert_live_matches_scratch(PERIODS)
    assert any(c.value is not None for c in rows)
    assert total("thap", "2020S1", "D1") == 2
    assert total("cao", "2020", "VN") == 50
    assert total("dang_vien", "2020", "D1") == 5


def test_a_reorganisation_entered_after_the_values_rebuilds_what_it_reaches(org, put):
    put(org.c1, "2025S1", lop=3)
    put(org.c1, "2025S2", lop=5)
    put(org.c2, "2025S2", lop=7, thap=7)
    day = dt.date(2025, 7, 1)
    new = f.make_unit("N", parent=org.p2, valid_from=day)
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=day)
    orgs.change_unit(acting_user=SYSTEM, unit=org.c2, on=day, parent=org.d2)
    assert_live_matches_scratch(["2025S1", "2025S2", "2025"])
    assert total("lop", "2025S2", "D2") == 7
    assert total("lop", "2025S1", "D1") == 3
    assert total("lop", "2025", "P1") == 8  # C1 ended: its 2025S2 figure stays in D1's day


def test_a_rebuild_from_scratch_gives_the_same_tables(org, put):
    put(org.c1, "2020S1", lop=3, thap=2, dang_vien=4)
    put(org.d1, "2020S2", lop=1, cao=2, dang_vien=1)
    before = set(
        Total.objects.values_list("indicator_id", "option", "period", "unit_id", "total", "count")
    )
    live.rebuild_totals()
    after = set(
        Total.objects.values_list("indicator_id", "option", "period", "unit_id", "total", "count")
    )
    assert before - {row for row in before if row[5] == 0} == after
    assert total("lop", "2020", "VN") == D(4)


def test_removing_a_periods_last_value_after_a_move_rebuilds_that_period(org, put):
    # The property test's counterexample: C1's only 2021S2 value totals into D1; C1 is
    # then moved to D2 from an earlier day, and the value is removed by the save that
    # rebuilds after the move. The rebuild only knew the periods with values, so D1 kept
    # 26 for 2021S2 and the removal was taken off D2 (count -1: the next value vanished).
    put(org.c1, "2021S2", lop=4, cao=26)
    orgs.change_unit(acting_user=SYSTEM, unit=org.c1, on=dt.date(2020, 7, 1), parent=org.d2)
    put(org.c1, "2021S2", lop=None, cao=None)
    assert total("cao", "2021S2", "D1") is None
    assert total("lop", "2021S2", "D1") is None
    put(org.c1, "2021S2", lop=3, cao=2)
    assert_live_matches_scratch(["2021S1", "2021S2", "2021"], ["lop", "cao", "thap"])
    assert total("cao", "2021", "D2") == 2
    assert total("lop", "2021", "D2") == 3


def test_a_rebuild_keeps_the_latest_value_of_a_year_from_before_the_change(org, figures, put):
    # A unit created on 01/07/2021 and moved later marks the totals stale from 01/07/2021:
    # the rebuilt "last" row of 2021 must still see C2's 2021S1 value (a period ending
    # before that day, so not among the periods re-read).
    day = dt.date(2021, 7, 1)
    new = f.make_unit("N", parent=org.d1, valid_from=day)
    FormAssignment.objects.create(form=figures, unit=new, valid_from=day)
    put(org.c2, "2021S1", dang_vien=5)
    put(new, "2021S2", dang_vien=1)
    orgs.change_unit(acting_user=SYSTEM, unit=new, on=dt.date(2022, 1, 1), parent=org.d2)
    assert_live_matches_scratch(["2021S1", "2021S2", "2021"], ["dang_vien"])
    assert total("dang_vien", "2021", "D1") == 6


def test_moving_a_district_moves_its_communes_values(org, put):
    put(org.c1, "2020S2", lop=4, cao=3)
    orgs.change_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2020, 7, 1), parent=org.p2)
    assert_live_matches_scratch(["2020S1", "2020S2", "2020"], ["lop", "cao"])
    assert total("lop", "2020", "P2") == 4
    assert total("lop", "2020", "P1") is None


def _statements(put, *args, **values) -> int:
    with CaptureQueriesContext(connection) as ctx:
        put(*args, **values)
    return len(ctx.captured_queries)


def test_a_forms_save_adds_one_statement_once_its_rules_are_known(org, put):
    rebuild.refresh()  # the fixture's units folded in, as the server's thread does
    put(org.c1, "2020S1", lop=3, diem=4)  # the long way: reads and remembers the rules
    with transaction.atomic():
        listeners = list(values_changed.receivers)
        values_changed.receivers.clear()
        values_changed.sender_receivers_cache.clear()
        try:
            alone = _statements(put, org.c1, "2020S1", lop=4, diem=5)
        finally:
            values_changed.receivers[:] = listeners
            values_changed.sender_receivers_cache.clear()
        transaction.set_rollback(True)
    assert _statements(put, org.c1, "2020S1", lop=5, diem=6) == alone + 1
    assert total("lop", "2020S1", "VN") == 5
    assert total("diem", "2020S1", "P1") == 6


def test_a_rule_changed_elsewhere_is_not_applied_under_the_remembered_one(org, put):
    # GIVEN this process remembers "lop" as a sum, and another process makes it a minimum
    # (and rebuilds its totals, as a changed rule needs)
    put(org.c1, "2020S1", lop=3)
    Indicator.objects.filter(code="lop").update(aggregation="min")
    live.rebuild_totals()
    # WHEN a value below the minimum is saved
    put(org.c2, "2020S1", lop=2)
    # THEN the one statement did not write it as a sum (the minimum would have stayed 3)
    assert total("lop", "2020S1", "D1") == 2
    assert_live_matches_scratch(["2020S1", "2020"], ["lop"])


def test_a_large_batch_is_staged_and_reaches_units_new_to_the_closure(
    org, figures, put, monkeypatch
):
    put(org.c1, "2020S1", lop=1, cao=9)
    # A commune written in bulk, as the divisions import does: no receiver saw it.
    day = dt.date(2015, 1, 1)
    (new,) = Unit.objects.bulk_create([Unit(code="MOI", valid_from=day)])
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=new,
                name="Xã mới",
                kind=org.c1.version_on(day).kind,
                parent=org.d1,
                valid_from=day,
            )
        ]
    )
    FormAssignment.objects.create(form=figures, unit=new, valid_from=day)
    monkeypatch.setattr(live, "STAGED_ABOVE", 0)
    put(new, "2020S1", lop=5, cao=7)
    put(org.c1, "2020S1", lop=2, cao=None)  # a maximum removed: recomputed from the values
    assert total("lop", "2020S1", "D1") == 7
    assert total("cao", "2020S1", "VN") == 7
    assert_live_matches_scratch(["2020S1", "2020"], ["lop", "cao"])


def test_an_admin_changing_how_an_indicator_adds_up_recomputes_its_totals(org, personas, put):
    """GIVEN sums kept for "lop" and "cao" WHEN an admin makes "lop" a maximum and "cao"
    a "last in period" THEN their totals follow the new rules at once, for every period."""
    from trienkhai.reporting import editing

    put(org.c1, "2020S1", lop=3, cao=9)
    put(org.c2, "2020S1", lop=4, cao=3)
    put(org.c1, "2020S2", lop=1, cao=1)
    assert total("lop", "2020", "D1") == 8
    for code, aggregation in (("lop", "max"), ("cao", "last")):
        indicator = Indicator.objects.get(code=code)
        editing.update_indicator(
            acting_user=personas.admin,
            indicator=indicator,
            name=indicator.name,
            value_type=indicator.value_type,
            aggregation=aggregation,
        )
    assert total("lop", "2020", "D1") == 4
    assert total("lop", "2020S2", "VN") == 1
    assert total("cao", "2020", "D1") == 1 + 3  # each cell's latest, added up the tree
    assert_live_matches_scratch(PERIODS, ["lop", "cao"])
    put(org.c2, "2020S2", lop=6)  # later saves go by the new rule too
    assert total("lop", "2020", "VN") == 6
    assert_live_matches_scratch(PERIODS, ["lop", "cao"])


def test_it_leaves_room_on_the_totals_pages_for_their_next_versions(db):
    # Every approval rewrites the same totals above its unit: on PostgreSQL a fill factor
    # below 100 keeps those updates on their page (HOT), migration analytics.0007.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no fill factor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'analytics_total'")
        options = cursor.fetchone()[0]
    assert options == ["fillfactor=70"]
