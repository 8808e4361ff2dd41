"""Collectives and individuals commended, counted from the register for a subtree and
a span like any indicator (decision 0039)."""

import datetime as dt

from tests.commendations.conftest import awarded, nominate
from trienkhai.analytics import engine
from trienkhai.commendations import figures
from trienkhai.reporting import sources
from trienkhai.reporting.models import Indicator


def test_it_registers_its_figures_as_indicators_of_a_source(db):
    assert sources.get("commendations") is figures.SOURCE
    sourced = Indicator.objects.filter(source="commendations").values_list("code", flat=True)
    assert set(sourced) == {"cmd_collectives", "cmd_individuals"}


def test_it_counts_distinct_collectives_and_people_of_a_subtree_in_a_span(org):
    """GIVEN C1 commended twice in 2023 (two achievements), C2 once, An (of C1) twice and
    Bình once, one nomination not yet awarded and one award in 2024 and one in D2
    THEN D1 counts 2 collectives and 2 individuals in 2023."""
    awarded(org.c1, org.p1)
    awarded(org.c1, org.p1, achievement="Dẫn đầu phong trào thi đua")
    awarded(org.c2, org.d1, kind="giay_khen_ban_dang")
    awarded(org.c1, org.p1, name="Nguyễn Văn An")
    awarded(
        org.c1,
        org.d1,
        name="Nguyễn Văn An",
        achievement="Gương điển hình",
        kind="giay_khen_ubnd_huyen",  # a district gives its own Giấy khen (decision 0057)
    )
    awarded(org.c2, org.p1, name="Lê Thị Bình")
    nominate(org.c2, org.p1, name="Trần Cường")
    awarded(org.c2, org.p1, year=2024, on=dt.date(2024, 3, 1), achievement="Năm 2024")
    awarded(org.d2, org.p2)
    cells = engine.rollup(
        indicators=["cmd_collectives", "cmd_individuals"],
        periods=["2023", "2024", "2023..2024"],
        units=["D1", "C1", "C2", "P2"],
    )
    got = {(c.indicator, c.period, c.unit): c.value for c in cells}
    assert got[("cmd_collectives", "2023", "D1")] == 2
    assert got[("cmd_individuals", "2023", "D1")] == 2
    assert got[("cmd_collectives", "2023", "C1")] == 1
    assert got[("cmd_individuals", "2023", "C1")] == 1
    assert got[("cmd_individuals", "2023", "C2")] == 1
    assert got[("cmd_collectives", "2024", "D1")] == 1
    assert got[("cmd_collectives", "2023..2024", "D1")] == 2  # C2 twice: once
    assert got[("cmd_collectives", "2023", "P2")] == 1
    assert got[("cmd_individuals", "2024", "P2")] == 0
