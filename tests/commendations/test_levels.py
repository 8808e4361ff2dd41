"""A kind of commendation is given only by the level it belongs to (decision 0057)."""

import datetime as dt

import pytest

from tests import factories as f
from tests.commendations.conftest import nominate
from trienkhai.commendations import levels
from trienkhai.commendations.models import Kind
from trienkhai.common.errors import BadInput


def test_it_ranks_committees_by_where_they_sit(org):
    """GIVEN Tỉnh ủy under the province, Huyện ủy under it, a commune's Đảng ủy under that
    and a board of Huyện ủy THEN they stand at the province's, a district's, a commune's
    and the district's rank; after 01/07/2025 a committee under Tỉnh ủy is a commune's."""
    tu = f.make_unit("TU", kind_code="party_committee", parent=org.p1)
    hu = f.make_unit("HU", kind_code="party_committee", parent=tu)
    du = f.make_unit("DU", kind_code="party_committee", parent=hu)
    board = f.make_unit("BTG", kind_code="board", parent=hu)
    day = dt.date(2023, 1, 1)
    assert [levels.rank(u, day) for u in (org.p1, tu, hu, du, board, org.d1, org.c1)] == [
        1,
        1,
        2,
        3,
        2,
        2,
        3,
    ]
    assert levels.rank(hu, dt.date(2025, 7, 1)) == 3


def test_a_district_may_not_give_the_provincial_standing_committees_bang_khen(org):
    with pytest.raises(BadInput, match="cấp tỉnh") as raised:
        nominate(org.c1, org.d1, kind="bang_khen_btv_tinh_uy")
    assert raised.value.code == "invalid_level"
    assert raised.value.status == 400


def test_a_province_may_not_give_a_district_chairmans_giay_khen(org):
    with pytest.raises(BadInput, match="cấp huyện"):
        nominate(org.c1, org.p1, kind="giay_khen_ubnd_huyen")
    nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen")  # the district itself may


def test_an_agencys_kind_is_given_at_any_level(org):
    nominate(org.c1, org.c1, kind="giay_khen_thu_truong")
    nominate(org.c1, org.p1, kind="giay_khen_thu_truong", achievement="Khác")


def test_a_party_kind_is_given_by_a_party_committee_and_a_state_kind_by_a_state_body(org):
    """GIVEN Huyện ủy under the district (both at the district's rank) and a commune's
    Đảng ủy under it THEN Huyện ủy may not give the district chairman's Giấy khen nor the
    district (Ủy ban nhân dân huyện) the district Standing Committee's; each gives its own."""
    hu = f.make_unit("HU", kind_code="party_committee", parent=org.d1)
    du = f.make_unit("DU", kind_code="party_committee", parent=hu)
    with pytest.raises(BadInput, match="cơ quan Nhà nước quyết định tặng; HU không phải") as raised:
        nominate(du, hu, kind="giay_khen_ubnd_huyen")
    assert raised.value.code == "invalid_level"
    with pytest.raises(BadInput, match="tổ chức Đảng quyết định tặng; D1 không phải") as raised:
        nominate(org.c1, org.d1, kind="giay_khen_btv_huyen_uy")
    assert raised.value.code == "invalid_level"
    assert nominate(du, hu, kind="giay_khen_btv_huyen_uy").giver == hu
    assert nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen").giver == org.d1


def test_the_provincial_standing_committees_bang_khen_is_not_the_peoples_committees(org):
    tu = f.make_unit("TU", kind_code="party_committee", parent=org.p1)
    hu = f.make_unit("HU", kind_code="party_committee", parent=tu)
    with pytest.raises(BadInput, match="P1 không phải"):
        nominate(org.c1, org.p1, kind="bang_khen_btv_tinh_uy")
    with pytest.raises(BadInput, match="TU không phải"):
        nominate(hu, tu, kind="bang_khen_ubnd_tinh")
    nominate(hu, tu, kind="bang_khen_btv_tinh_uy")
    nominate(org.c1, org.p1, kind="bang_khen_ubnd_tinh")


def test_the_common_kinds_record_their_givers_profile(org):
    kinds = {k.code: k.giver_profile for k in Kind.objects.all()}
    assert kinds["bang_khen_btv_tinh_uy"] == kinds["giay_khen_btv_huyen_uy"] == "party"
    assert kinds["bang_khen_ubnd_tinh"] == kinds["giay_khen_ubnd_huyen"] == "state"
    assert kinds["giay_khen_thu_truong"] == kinds["giay_khen_ban_dang"] == ""
