"""Individuals' names leave the commendation register after the retention period; the
awards and the counts of collectives and individuals stay (decision 0057)."""

import datetime as dt

from tests.commendations.conftest import awarded, nominate
from tests.factories import SYSTEM
from trienkhai.analytics import engine
from trienkhai.commendations import services
from trienkhai.commendations.models import Award, Individual

TODAY = dt.date(2026, 12, 7)


def _counts() -> dict:
    cells = engine.rollup(
        indicators=["cmd_collectives", "cmd_individuals"], periods=["2013", "2020"], units=["D1"]
    )
    return {(c.indicator, c.period): c.value for c in cells}


def test_it_erases_names_past_the_period_and_keeps_every_count(org, settings):
    """GIVEN C1 and An (of C1) commended for 2013, Bình nominated for 2020, a period of
    10 years on 07/12/2026 THEN An's name is erased, Bình's kept, and D1 counts the same
    collectives and individuals before and after; a period of 0 keeps every name."""
    settings.COMMENDATION_RETENTION_YEARS = 10
    awarded(org.c1, org.p1, year=2013, on=dt.date(2013, 12, 20))
    an = awarded(org.c1, org.p1, name="Nguyễn Văn An", year=2013, on=dt.date(2013, 12, 20))
    binh = nominate(org.c2, org.p1, name="Lê Thị Bình", year=2020)
    before = _counts()
    assert before[("cmd_collectives", "2013")] == 1 and before[("cmd_individuals", "2013")] == 1
    assert services.expired(TODAY, years=0) == []
    assert services.expired(TODAY) == [an.individual_id]
    assert services.erase_expired(acting_user=SYSTEM, today=TODAY) == 1
    assert Individual.objects.get(pk=an.individual_id).name == Individual.ERASED_NAME
    assert Individual.objects.get(pk=binh.individual_id).name == "Lê Thị Bình"
    assert Award.objects.count() == 2
    assert _counts() == before
    assert services.erase_expired(acting_user=SYSTEM, today=TODAY) == 0  # nothing left
    # Bình's 2020 is over on 31/12/2020: 6 years before 07/12/2026 is still within it
    assert services.expired(TODAY, years=6) == []
    assert services.expired(TODAY, years=5) == [binh.individual_id]
