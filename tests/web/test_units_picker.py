"""Units chosen by name (issue 14): web.forms.UnitField and web.units."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tests import factories as f
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
    assert "Huyện Vĩnh Thuận (D1)" in answer and "Thị trấn Vĩnh Thuận (C1)" in answer


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
    assert offered[0] == "Huyện Vĩnh Thuận (D1)"
    assert set(offered[1:]) == {"Thị trấn Vĩnh Thuận (C1)", "Xã Vĩnh Bình Bắc (C2)"}
    assert units.own_units(f.make_user("khong_vai_tro")) == []
    html = str(for_user(Chosen(initial={"don_vi": "D1"}), personas.viewer)["don_vi"])
    assert 'value="Huyện Vĩnh Thuận (D1)"' in html and 'data-units="/api/v1/units"' in html
    assert '<option value="Xã Vĩnh Bình Bắc (C2)">' in html


def test_an_unknown_unit_is_a_form_error_not_an_exception(org, personas):
    with pytest.raises(ValidationError):
        UnitField().clean("khong co")
    assert "Không tìm thấy" in chosen(personas.viewer, "khong co don vi nay")
