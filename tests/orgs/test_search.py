"""The unit search behind the type-ahead, the API's ``q`` and the unit tree's search box
(issue 14): living units first, names that start with the words typed before names that
only hold them, then office order; the limit cuts that order, not the database's."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from tests.pages import main_text
from trienkhai.orgs import queries, services
from trienkhai.orgs.models import Unit

REFORM = dt.date(2025, 7, 1)
"""The 2025 reform: districts and many communes ended the day before."""


def names(versions) -> list[str]:
    return [v.name for v in versions]


def codes(versions) -> list[str]:
    return [v.unit.code for v in versions]


@pytest.fixture
def yen_phong(db) -> Unit:
    """Over a hundred units that hold "yen" and "phong", made so that the one wanted has
    the highest id: fourteen living "Huyện ... Phong" districts ("yen" only inside
    "Huyện"), fourteen "Xã Yên Phong" that ended in the 2025 reform, and today's Xã Yên
    Phong, made last. Returns today's."""
    province = f.make_unit("TBN", name="Tỉnh Bắc Ninh", kind_code="province")
    for n in range(14):
        f.make_unit(f"H{n:02}", name=f"Huyện Phong {n:02}", kind_code="district", parent=province)
    old = f.make_unit("HYP", name="Huyện Yên Phong", kind_code="district", parent=province)
    for n in range(14):
        ended = f.make_unit(f"X{n:02}", name="Xã Yên Phong", parent=old)
        services.dissolve_unit(acting_user=SYSTEM, unit=ended, on=REFORM)
    services.dissolve_unit(acting_user=SYSTEM, unit=old, on=REFORM)
    return f.make_unit("XYP", name="Xã Yên Phong", parent=province, valid_from=REFORM)


def test_the_living_unit_whose_name_starts_with_the_words_comes_first(yen_phong):
    """GIVEN far more matches than the limit, the one wanted made last WHEN "yen phong"
    is searched THEN today's Xã Yên Phong comes first, then the living units that hold
    the words only inside, then the ended ones."""
    assert codes(queries.search("yen phong", limit=3)) == ["XYP", "H00", "H01"]
    found = queries.search("yen phong", limit=40)
    assert codes(found)[:15] == ["XYP", *(f"H{n:02}" for n in range(14))]
    # Ended units are still found (people look up 2020 units), after: the district
    # before its communes.
    assert codes(found)[15:] == ["HYP", *(f"X{n:02}" for n in range(14))]
    assert codes(queries.search("yen phong", limit=16)) == codes(found)[:16]


def test_on_a_past_day_the_units_of_that_day_come_first(yen_phong):
    found = queries.search("xa yen phong", living_on=dt.date(2020, 1, 1), limit=15)
    assert codes(found) == [*(f"X{n:02}" for n in range(14)), "XYP"]


def test_the_limit_cuts_units_of_one_rank_by_their_vietnamese_names(db):
    """GIVEN communes of one province whose order without accents differs from their
    order in Vietnamese (Đông before Dương without accents, after it with them; Hoa
    before Hòa, the tone only) WHEN the first ones are asked THEN they are the first in
    Vietnamese order, made in whatever order."""
    province = f.make_unit("TQT", name="Tỉnh Quảng Trị", kind_code="province")
    for code, name in [("C1", "Xã Đông"), ("C2", "Xã Hòa"), ("C3", "Xã Dương"), ("C4", "Xã Hoa")]:
        f.make_unit(code, name=name, parent=province)
    assert names(queries.search("xa", limit=1)) == ["Xã Dương"]
    assert names(queries.search("xa", limit=3)) == ["Xã Dương", "Xã Đông", "Xã Hoa"]
    assert names(queries.search("xa", limit=10)) == ["Xã Dương", "Xã Đông", "Xã Hoa", "Xã Hòa"]


def test_a_name_that_starts_with_the_words_comes_before_one_that_holds_them(db):
    province = f.make_unit("TVL", name="Tỉnh Vĩnh Long", kind_code="province")
    for code, name in [
        ("A", "Xã Atân Hòa"),  # "tan" only inside a word
        ("B", "Xã Hòa Tân"),  # each word typed starts a word
        ("C", "Xã Tân Hòa Đông"),  # the words typed start a word
        ("D", "Phường Tân Hòa"),
        ("E", "Tân Hòa"),  # the name starts with them
    ]:
        f.make_unit(code, name=name, parent=province)
    # Each group would come in another order by name alone.
    assert names(queries.search("tan hoa")) == [
        "Tân Hòa",
        "Phường Tân Hòa",
        "Xã Tân Hòa Đông",
        "Xã Hòa Tân",
        "Xã Atân Hòa",
    ]


def test_each_unit_is_found_once_with_its_name_of_the_day(org):
    """GIVEN Thị trấn Vĩnh Thuận renamed in 2021 and C2 moved in 2022 (a second version of
    one name) WHEN searched THEN each once: C2 with today's version, C1 with its old
    name, among the units that do not bear it today."""
    services.change_unit(
        acting_user=SYSTEM, unit=org.c1, on=dt.date(2021, 3, 1), name="Thị trấn Mới"
    )
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    found = queries.search("vinh")
    assert codes(found) == ["P2", "D1", "C2", "C1"]  # Tỉnh Trà Vinh, a level higher
    assert found[2].parent == org.d2 and found[3].valid_to == dt.date(2021, 3, 1)


def test_it_ranks_in_two_queries_and_takes_typed_wildcards_literally(
    yen_phong, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert len(queries.search("phong", limit=20)) == 20
    with django_assert_num_queries(2):
        assert queries.search("%") == [] and queries.search("x_") == []


def test_it_still_filters_by_day_parent_and_kind(yen_phong):
    province = Unit.objects.get(code="TBN")
    in_2020 = queries.search("yen phong", day=dt.date(2020, 1, 1), kind="district", limit=2)
    assert codes(in_2020) == ["HYP", "H00"]
    assert codes(queries.search("phong", parent=province, kind="commune")) == ["XYP"]


def test_the_tree_search_ranks_the_units_of_the_day_shown(yen_phong, personas, web):
    """GIVEN the unit tree shown on 01/01/2020 WHEN "xa yen phong" is searched THEN the
    communes of that day come before today's."""
    admin = f.make_user("qt_tim", unit=f.root(), role="admin")
    page = web(admin).get(reverse("orgs:tree"), {"q": "xa yen phong", "ngay": "01/01/2020"})
    text = main_text(page)
    assert text.index("X00") < text.index("XYP")
    text = main_text(web(admin).get(reverse("orgs:tree"), {"q": "xa yen phong"}))
    assert text.index("XYP") < text.index("X00")


def test_a_user_gets_the_best_of_the_units_they_may_see(yen_phong, api, web):
    """GIVEN a user of Huyện Yên Phong (ended in 2025), whose units rank after the
    country's living ones WHEN they type "yen phong" THEN their own come, ranked among
    themselves, not cut from the country's first and then filtered away."""
    user = f.make_user("ql_yp", unit=Unit.objects.get(code="HYP"), role="viewer")
    rows = api(user).get("units", q="yen phong", limit=3).json()
    assert [r["code"] for r in rows] == ["HYP", "X00", "X01"]
    page = main_text(web(user).get(reverse("orgs:tree"), {"q": "yen phong"}))
    assert "X13" in page and "XYP" not in page and "H00" not in page
    assert queries.search("yen phong", within=[]) == []
