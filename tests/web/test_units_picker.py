"""Units chosen by name (issue 14): web.forms.UnitField and web.units."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts.services import grant_role
from trienkhai.orgs import queries, services
from trienkhai.orgs.models import Unit
from trienkhai.web import units
from trienkhai.web.forms import UnitField, for_user


class Chosen(forms.Form):
    don_vi = UnitField(label="Đơn vị")


def chosen(user, text):
    form = for_user(Chosen({"don_vi": text}), user)
    return form.cleaned_data["don_vi"] if form.is_valid() else form.errors["don_vi"][0]


def test_it_takes_a_name_without_accents_a_picked_name_or_a_code(org, personas):
    assert chosen(personas.viewer, "huyen vinh thuan") == org.d1
    assert chosen(personas.viewer, "Xã Vĩnh Bình Bắc (C2)") == org.c2
    assert chosen(personas.viewer, "C1") == org.c1


def test_a_name_several_units_bear_asks_to_choose_and_names_them(org, personas):
    answer = chosen(personas.viewer, "vinh thuan")
    assert "Có nhiều đơn vị" in answer
    # As the picker names them: where each sits, then the code.
    assert "Huyện Vĩnh Thuận — Tỉnh Kiên Giang (D1)" in answer
    assert "Thị trấn Vĩnh Thuận — Huyện Vĩnh Thuận (C1)" in answer


def test_names_outside_the_users_reach_are_neither_found_nor_shown(org, personas):
    # Huyện Cầu Kè is D2's; the viewer holds a role at D1 only.
    assert "Không tìm thấy" in chosen(personas.viewer, "huyen cau ke")
    assert chosen(personas.outsider, "huyen cau ke") == org.d2
    # A code is that unit (the page then answers 403), but its name is not shown back.
    assert units.shown("D2", personas.viewer) == "D2"
    assert units.shown("D2", personas.outsider) == "Huyện Cầu Kè (D2)"
    assert units.shown("huyen vinh thuan", personas.viewer) == "Huyện Vĩnh Thuận (D1)"


def test_the_picker_offers_the_users_own_units_first(org, personas):
    offered = units.own_units(personas.viewer)
    assert [o.value for o in offered] == [
        "Huyện Vĩnh Thuận (D1)",
        "Thị trấn Vĩnh Thuận (C1)",  # townships and communes side by side, by name
        "Xã Vĩnh Bình Bắc (C2)",
    ]
    assert [o.context for o in offered] == [
        "Tỉnh Kiên Giang",
        "Huyện Vĩnh Thuận",
        "Huyện Vĩnh Thuận",
    ]
    assert units.own_units(f.make_user("khong_vai_tro")) == []
    html = str(for_user(Chosen(initial={"don_vi": "D1"}), personas.viewer)["don_vi"])
    assert 'value="Huyện Vĩnh Thuận (D1)"' in html and 'data-units="/api/v1/units"' in html
    assert '<option value="Xã Vĩnh Bình Bắc (C2)" label="Huyện Vĩnh Thuận">' in html


def test_own_units_stay_first_and_each_group_is_in_office_order(
    org, personas, django_assert_max_num_queries
):
    """GIVEN a user at the district and at one of its communes WHEN the picker opens THEN
    both their units come first (the district first), then the rest of the district."""
    grant_role(acting_user=SYSTEM, user=personas.viewer, unit=org.c2, role="viewer")
    with django_assert_max_num_queries(4):
        offered = [o.value for o in units.own_units(personas.viewer)]
    assert offered == ["Huyện Vĩnh Thuận (D1)", "Xã Vĩnh Bình Bắc (C2)", "Thị trấn Vĩnh Thuận (C1)"]
    for n in range(50):
        f.make_unit(f"X{n}", name=f"Xã Thêm {n}", parent=org.d1)
    with django_assert_max_num_queries(4):
        offered = [o.value for o in units.own_units(personas.viewer)]
    assert len(offered) == 2 + units.OWN_LIMIT and offered[2] == "Thị trấn Vĩnh Thuận (C1)"


@pytest.fixture
def tan_hoa(org):
    """Three "Xã Tân Hòa": under Huyện Vĩnh Thuận, and under a Huyện Châu Thành in each of
    two provinces (names that recur across the country)."""
    f.make_unit("T1", name="Xã Tân Hòa", parent=org.d1)
    for n, province in ((2, "Tỉnh Tiền Giang"), (3, "Tỉnh Bến Tre")):
        top = f.make_unit(f"P{n}0", name=province, kind_code="province")
        district = f.make_unit(f"D{n}0", name="Huyện Châu Thành", kind_code="district", parent=top)
        f.make_unit(f"T{n}", name="Xã Tân Hòa", parent=district)


def test_units_of_one_name_are_told_apart_by_where_they_sit(tan_hoa):
    offered = units.options(queries.search("tan hoa"))
    assert [(o.label, o.code) for o in offered] == [
        ("Xã Tân Hòa — Huyện Vĩnh Thuận", "T1"),
        ("Xã Tân Hòa — Huyện Châu Thành, Tỉnh Tiền Giang", "T2"),
        ("Xã Tân Hòa — Huyện Châu Thành, Tỉnh Bến Tre", "T3"),
    ]
    assert offered[0].value == "Xã Tân Hòa (T1)"  # what the field takes, as before
    # Alone in its list, a unit needs only its parent; the country is never named.
    assert [o.label for o in units.options(queries.search("chau thanh"))] == [
        "Huyện Châu Thành — Tỉnh Tiền Giang",
        "Huyện Châu Thành — Tỉnh Bến Tre",
    ]
    assert [o.label for o in units.options(queries.search("ben tre"))] == ["Tỉnh Bến Tre"]


def test_the_api_names_where_each_unit_sits_in_one_query(tan_hoa, personas, api):
    def listed():
        with CaptureQueriesContext(connection) as done:
            rows = api(personas.admin).get("units", q="tan hoa").json()
        return rows, len(done)

    rows, few = listed()
    assert [(r["name"], r["context"]) for r in rows] == [
        ("Xã Tân Hòa", "Huyện Vĩnh Thuận"),
        ("Xã Tân Hòa", "Huyện Châu Thành, Tỉnh Tiền Giang"),
        ("Xã Tân Hòa", "Huyện Châu Thành, Tỉnh Bến Tre"),
    ]
    district = Unit.objects.get(code="D30")
    for n in range(12):
        f.make_unit(f"TX{n}", name=f"Xã Tân Hòa {n}", parent=district)
    rows, many = listed()
    assert len(rows) == 15 and many == few


def test_an_unknown_unit_is_a_form_error_not_an_exception(org, personas):
    with pytest.raises(ValidationError):
        UnitField().clean("khong co")
    assert "Không tìm thấy" in chosen(personas.viewer, "khong co don vi nay")


def test_units_of_one_name_typed_are_told_apart_in_the_error(
    tan_hoa, personas, django_assert_num_queries
):
    """GIVEN three "Xã Tân Hòa" (two under a "Huyện Châu Thành") WHEN "xa tan hoa" is typed
    THEN the form asks which one, naming each as the picker does, in one query."""
    answer = chosen(personas.admin, "xa tan hoa")
    assert answer == (
        "Có nhiều đơn vị tên “xa tan hoa”: Xã Tân Hòa — Huyện Vĩnh Thuận (T1); "
        "Xã Tân Hòa — Huyện Châu Thành, Tỉnh Tiền Giang (T2); "
        "Xã Tân Hòa — Huyện Châu Thành, Tỉnh Bến Tre (T3). Chọn một trong danh sách."
    )
    found = queries.search("tan hoa")
    with django_assert_num_queries(1):
        units.listed(found)


def test_a_unit_that_ended_or_is_to_come_says_when_it_held(org, personas, api):
    """GIVEN Thị trấn Vĩnh Thuận ended in the 2025 reform and a commune to come in 2030
    WHEN they are offered THEN each says so in words: in the option, the page's list and
    the API."""
    services.dissolve_unit(acting_user=SYSTEM, unit=org.c1, on=dt.date(2025, 7, 1))
    f.make_unit("C9", name="Xã Vĩnh Mới", parent=org.d1, valid_from=dt.date(2030, 1, 1))
    offered = {o.code: o for o in units.options(queries.search("vinh"))}
    assert offered["C1"].label == "Thị trấn Vĩnh Thuận (đến 30/06/2025) — Huyện Vĩnh Thuận"
    assert offered["C9"].label == "Xã Vĩnh Mới (từ 01/01/2030) — Huyện Vĩnh Thuận"
    assert offered["D1"].label == "Huyện Vĩnh Thuận — Tỉnh Kiên Giang"
    # The user's own units, before anything is typed (the script reads data-context).
    grant_role(acting_user=SYSTEM, user=personas.viewer, unit=org.c1, role="viewer")
    html = str(for_user(Chosen(), personas.viewer)["don_vi"])
    assert (
        '<option value="Thị trấn Vĩnh Thuận (C1)" label="(đến 30/06/2025) — Huyện Vĩnh Thuận"'
        ' data-when="đến 30/06/2025" data-context="Huyện Vĩnh Thuận">'
    ) in html
    rows = {r["code"]: r for r in api(personas.viewer).get("units", q="vinh thuan").json()}
    assert (rows["C1"]["when"], rows["D1"]["when"]) == ("đến 30/06/2025", "")
    in_2020 = api(personas.viewer).get("units", q="vinh thuan", as_of="01/01/2020").json()
    assert [(r["code"], r["when"]) for r in in_2020] == [("D1", ""), ("C1", "")]
