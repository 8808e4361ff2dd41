"""The demo dataset: Vĩnh Thuận's Party bodies in 2020 and today, loaded idempotently."""

import datetime as dt

from tests.demo.conftest import counts
from trienkhai.accounts.models import User
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit

IN_2020 = dt.date(2020, 6, 15)
TODAY = dt.date(2026, 1, 1)


def test_it_loads_idempotently(demo, db):
    assert counts() == demo["counts"]
    assert demo["logins"] == demo["again"]


def test_it_has_one_user_per_role(demo, db):
    roles = {role for _, _, role, _ in demo["logins"]}
    assert roles == {"admin", "manager", "reporter", "viewer"}
    assert User.objects.get(username="quanly").check_password("trienkhai-demo")


def test_it_has_the_42_cells_and_committees_of_vinh_thuan_in_2020(demo, db):
    hu = Unit.objects.get(code="HU-VT")
    children = queries.descendants(hu, IN_2020, depth=1)
    party = [v for v in children if v.kind.code in {"party_committee", "party_cell"}]
    assert len(party) == 42
    assert {v.abbreviation for v in children if v.kind.code == "board"} == {"BTGHU"}
    assert hu.version_on(IN_2020).abbreviation == "HU"


def test_it_maps_the_district_bodies_onto_todays(demo, db):
    hu = Unit.objects.get(code="HU-VT")
    assert hu.valid_to == dt.date(2025, 7, 1)
    carried = {s.unit.code for s in queries.successors(hu, TODAY)}
    assert carried == {"TU-AG", "DU-AG-31051", "DU-AG-31064", "DU-AG-31069"}
    btg = Unit.objects.get(code="BTGHU-VT")
    assert [s.unit.code for s in queries.successors(btg, TODAY)] == ["BTGDVTU-AG"]
    assert Unit.objects.get(code="BTGDVTU-AG").latest_version().abbreviation == "BTGDVTU"
    # Đảng ủy xã Vĩnh Bình Bắc follows Xã Vĩnh Bình Bắc into Xã Vĩnh Bình.
    committee = Unit.objects.get(code="DU-VT-31060")
    assert [s.unit.code for s in queries.successors(committee, TODAY)] == ["DU-AG-31064"]


def test_it_hangs_the_party_bodies_in_the_real_provinces(demo, db):
    tu_kg = Unit.objects.get(code="TU-KG")
    assert tu_kg.version_on(IN_2020).parent.code == "HC04-91"
    assert Unit.objects.get(code="TU-AG").latest_version().parent.code == "HC25-91"
    assert [v.name for v in queries.ancestors(Unit.objects.get(code="HU-VT"), IN_2020)] == [
        "Việt Nam",
        "Tỉnh Kiên Giang",
        "Tỉnh ủy Kiên Giang",
    ]


def test_a_replayed_report_s_trail_is_dated_as_its_history(demo, db):
    """Tân Thuận's 2020S2 report: its values typed before it was sent, its return on the
    day it was returned (January 2021), not the day the demo was loaded."""
    from trienkhai.reporting import review
    from trienkhai.reporting.models import DataValueChange, Submission

    report = Submission.objects.get(
        form__code="BC35-VT-6T", unit__code="DU-VT-31072", period="2020S2"
    )
    changes = DataValueChange.objects.filter(unit=report.unit, period="2020S2")
    assert changes.exists()
    assert all(c.changed < report.first_submitted for c in changes)
    returned = report.history.filter(status=Submission.Status.RETURNED).get()
    assert returned.history_date == report.decided
    assert returned.history_date.year == 2021
    # Returned after it was sent, not before: the review's "what changed" starts there.
    assert report.first_submitted < returned.history_date
    assert review.returned_at(report) == returned.history_date
