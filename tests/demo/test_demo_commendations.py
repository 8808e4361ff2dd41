"""Kiên Giang's 2023 commendations in the demo (shared/seeds/002): the Standing
Committee's Bằng khen to 10 collectives and 8 individuals, the Propaganda Board's Giấy
khen to 9; counted by the engine like any indicator."""

from trienkhai.analytics import engine
from trienkhai.commendations.models import Award, Nomination


def test_it_awards_10_and_8_bang_khen_and_9_giay_khen_once(demo, db):
    awards = Award.objects.filter(nomination__year=2023)
    bang_khen = awards.filter(nomination__giver__code="TU-KG")
    assert bang_khen.filter(nomination__individual__isnull=True).count() == 10
    assert bang_khen.filter(nomination__individual__isnull=False).count() == 8
    assert awards.filter(nomination__giver__code="BTGTU-KG").count() == 9
    assert Nomination.objects.filter(year=2023).count() == 27  # the second load added none


def test_the_engine_counts_the_collectives_and_people_commended_in_2023(demo, db):
    cells = engine.rollup(
        indicators=["cmd_collectives", "cmd_individuals"], periods=["2023"], units=["TU-KG"]
    )
    assert {c.indicator: c.value for c in cells} == {
        "cmd_collectives": 15,  # 10 with a Bằng khen, 5 agency cells with a Giấy khen
        "cmd_individuals": 12,
    }
