"""A kind of commendation is given only by the level it belongs to (decision 0057)."""

import datetime as dt

import pytest

from tests import factories as f
from tests.commendations.conftest import nominate
from trienkhai.commendations import levels
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
