"""Units some levels below a unit: the walk stops at the level asked (issue 12: ``level=1``
under a province visited all 5,521 units below it to return its 20 districts)."""

import datetime as dt

import pytest
from django.db import connection

from tests import factories as f
from trienkhai.orgs import queries

DAY = dt.date(2020, 6, 30)


def _steps(function) -> int:
    """SQLite virtual-machine steps (in thousands) while ``function`` runs: the rows it
    visits, counted rather than timed."""
    raw = connection.connection
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    raw.set_progress_handler(tick, 1000)
    try:
        function()
    finally:
        raw.set_progress_handler(None, 0)
    return steps[0]


@pytest.fixture
def province(db):
    root = f.make_unit("T", kind_code="province")
    districts = [f.make_unit(f"H{n}", kind_code="district", parent=root) for n in range(3)]
    return root, districts


def test_it_answers_each_level_as_the_whole_subtree_filtered(province):
    root, districts = province
    for district in districts:
        for n in range(4):
            f.make_unit(f"{district.code}-{n}", parent=district)
    whole = queries.subtree(root, DAY)
    for depth in (1, 2, 3):
        expected = [node for node in whole if node.depth == depth]
        assert queries.subtree(root, DAY, depth=depth) == expected
        assert [v.unit.code for v in queries.descendants(root, DAY, depth=depth)] == [
            node.code for node in expected
        ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's steps")
def test_the_children_of_a_unit_do_not_visit_the_units_below_them(province):
    """GIVEN three districts WHEN 300 communes are added under them THEN asking for the
    province's children visits no more rows than before."""
    root, districts = province
    connection.ensure_connection()
    before = _steps(lambda: queries.subtree(root, DAY, depth=1))
    for district in districts:
        for n in range(100):
            f.make_unit(f"{district.code}-{n}", parent=district)
    after = _steps(lambda: queries.subtree(root, DAY, depth=1))
    whole = _steps(lambda: queries.subtree(root, DAY))
    assert after <= before + 1 < whole
