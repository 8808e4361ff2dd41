"""The figures of the registers, read directly and through the one engine."""

import datetime as dt

from tests.activities.conftest import attend, make_event
from trienkhai.activities import figures
from trienkhai.analytics import engine
from trienkhai.reporting import sources
from trienkhai.reporting.models import Indicator


def _figures(unit, start="2021-01-01", end="2021-12-31"):
    values = figures.subtree_figures(unit, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return {code: int(value) for (code, option), value in values.items() if option == ""}


def test_it_counts_attendances_and_distinct_people_apart(org):
    """GIVEN one person at the three sessions of a class WHEN the figures are read
    THEN 3 attendances and 1 participant."""
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02", "2021-03-03"))
    for session in range(3):
        attend(event, ["Nguyễn Văn An"], session=session)
    found = _figures(org.c1)
    assert (found["act_attendances"], found["act_participants"]) == (3, 1)
    assert found["act_classes"] == 1


def test_it_rolls_a_subtree_up_without_counting_a_person_twice(org):
    make_event(org.c1, kind="study_conference")
    make_event(org.c2, kind="online_conference")
    make_event(org.d2, kind="class")  # another district: never in D1's figures
    commune = make_event(org.c1, days=("2021-03-01",))
    district = make_event(org.d1, days=("2021-09-01",))
    attend(commune, ["Nguyễn Văn An", "Lê Thị Bình"], unit=org.c1)
    attend(district, ["Nguyễn Văn An", "Trần Văn Cường"], unit=org.c1)
    d1, c1 = _figures(org.d1), _figures(org.c1)
    assert d1["act_classes"] == 2 and c1["act_classes"] == 1
    assert d1["act_conferences"] == 2 and d1["act_online_conferences"] == 1
    assert d1["act_attendances"] == 4
    assert d1["act_participants"] == 3  # An went to both: not 2 + 2
    assert _figures(org.p1)["act_participants"] == 3
    assert _figures(org.d1, "2021-07-01", "2021-12-31")["act_attendances"] == 2


def test_it_registers_its_figures_as_indicators_of_a_source(org):
    assert sources.get("activities") is figures.SOURCE
    sourced = Indicator.objects.filter(source="activities").values_list("code", flat=True)
    assert {"act_classes", "act_conferences", "act_attendances", "act_participants"} <= set(sourced)


def test_it_answers_the_engine_like_any_indicator(org):
    """Distinct people over a span are counted over the whole span, never summed by year."""
    first = make_event(org.c1, days=("2019-05-01",))
    second = make_event(org.c2, days=("2021-05-01", "2021-05-02"))
    attend(first, ["Nguyễn Văn An"], unit=org.c1)
    attend(second, ["Nguyễn Văn An"], unit=org.c1)
    attend(second, ["Nguyễn Văn An", "Lê Thị Bình"], session=1, unit=org.c1)
    cells = engine.rollup(
        indicators=["act_classes", "act_attendances", "act_participants"],
        periods=["2019", "2021", "2019..2021"],
        units=["D1", "C1", "D2"],
    )
    got = {(c.indicator, c.period, c.unit): c.value for c in cells}
    assert got[("act_participants", "2019..2021", "D1")] == 2
    assert got[("act_participants", "2019", "D1")] + got[("act_participants", "2021", "D1")] == 3
    assert got[("act_attendances", "2019..2021", "D1")] == 4
    assert got[("act_classes", "2021", "C1")] == 0
    assert got[("act_classes", "2019..2021", "D2")] == 0
    as_of = engine.rollup(
        indicators=["act_participants"],
        periods=["2019..2021"],
        units=["D1"],
        as_of=dt.date(2022, 1, 1),
    )
    assert as_of[0].value == 2


def test_it_splits_attendances_by_audience_when_the_indicator_has_the_breakdown(org, audience):
    Indicator.objects.filter(code__in=["act_attendances", "act_participants"]).update(
        disaggregation=audience
    )
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02"))
    for session in range(2):
        attend(event, ["A", "B"], session=session, group="dang_vien")
        attend(event, ["C"], session=session, group="doan_vien")
    cells = engine.rollup(
        indicators=["act_attendances", "act_participants"],
        periods=["2021"],
        units=["P1"],
        by_option=True,
    )
    got = {(c.indicator, c.option): c.value for c in cells}
    assert got[("act_attendances", "")] == 6 and got[("act_participants", "")] == 3
    assert got[("act_attendances", "dang_vien")] == 4
    assert got[("act_participants", "doan_vien")] == 1
    assert got[("act_participants", "nhan_dan")] == 0


def test_it_lets_a_formula_read_a_source(org):
    from tests.factories import SYSTEM
    from trienkhai.reporting import services

    services.create_indicator(
        acting_user=SYSTEM,
        code="luot_moi_nguoi",
        name="Lượt bình quân mỗi người",
        value_type="decimal",
        formula="act_attendances / act_participants",
    )
    event = make_event(org.c1, days=("2021-03-01", "2021-03-02", "2021-03-03"))
    for session in range(3):
        attend(event, ["A"], session=session)
    attend(event, ["B"])
    [cell] = engine.rollup(indicators=["luot_moi_nguoi"], periods=["2021"], units=["D1"])
    assert cell.value == 2


def test_it_refuses_a_typed_value_for_a_figure_the_register_counts(org):
    """A form cell of a sourced indicator is filled from the register and locked."""
    import pytest

    from trienkhai.common.errors import BadInput
    from trienkhai.reporting import cells

    indicator = Indicator.objects.get(code="act_classes")
    with pytest.raises(BadInput) as refused:
        cells.parse_value(indicator, "12")
    assert refused.value.code == "counted_by_source"
    with pytest.raises(BadInput):
        cells.reader(indicator)(12)
    assert cells.parse_value(indicator, "") == (None, "")
