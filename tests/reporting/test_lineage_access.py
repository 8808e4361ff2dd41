"""The API across the 2025 reform: a successor reads its predecessors' reports and changes nothing.

GIVEN C1 and C2 reported 2020S1 under D1 and D1's manager approved C1's report,
AND on 2025-07-01 C1 went wholly into N1, C2 wholly into N2, and D1 was split between both,
THEN N1's roles read C1's report and D1's own figures; N2's roles do not read C1's;
AND no role of N1 or N2 may enter, approve, unlock, return or grant roles over the old units.
"""

import datetime as dt

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts.models import RoleAssignment
from trienkhai.orgs import services as org_services
from trienkhai.reporting.models import DataValue, Submission

from .test_api import post_values

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def approved(form, cell_reporter, personas, api, org):
    assert post_values(api(cell_reporter)).status_code == 200
    sid = api(cell_reporter).post("submissions", {"form": "HK", "unit": "C1", "period": "2020S1"})
    sid = sid.json()["id"]
    assert api(personas.manager).post(f"submissions/{sid}/approve").status_code == 200
    n1 = f.make_unit("N1", kind_code="commune", parent=org.p1, valid_from=REFORM)
    n2 = f.make_unit("N2", kind_code="commune", parent=org.p1, valid_from=REFORM)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n1, on=REFORM)
    org_services.merge_units(acting_user=SYSTEM, predecessors=[org.c2], into=n2, on=REFORM)
    org_services.split_unit(acting_user=SYSTEM, unit=org.d1, into=[n1, n2], on=REFORM)
    return sid


def _users(unit_code):
    from trienkhai.orgs.models import Unit

    unit = Unit.objects.get(code=unit_code)
    return {
        role: f.make_user(f"{unit_code.lower()}_{role}", unit=unit, role=role)
        for role in ("viewer", "reporter", "manager")
    }


def test_it_lets_the_successor_read_the_report_it_inherited(approved, api):
    for user in _users("N1").values():
        got = api(user).get("datavalues", form="HK", unit="C1", period="2020S1")
        assert got.status_code == 200, got.content
        assert got.json()["status"] == "approved"


def test_it_hides_a_neighbours_inheritance(approved, api):
    """N2 took part of D1 but none of C1: the split does not open C1 to N2."""
    for user in _users("N2").values():
        got = api(user).get("datavalues", form="HK", unit="C1", period="2020S1")
        assert got.status_code in {403, 404}


@pytest.mark.parametrize("successor", ["N1", "N2"])
def test_it_refuses_successors_every_write_on_the_old_reports(approved, api, successor, personas):
    before = sorted(DataValue.objects.values_list("pk", "value_number", "version"))
    for user in _users(successor).values():
        client = api(user)
        assert client.post(f"submissions/{approved}/unlock", {"comment": "sửa"}).status_code == 403
        assert client.post(f"submissions/{approved}/return", {"comment": "sửa"}).status_code == 403
        assert client.post(f"submissions/{approved}/approve").status_code == 403
        for unit in ("C1", "C2"):
            saved = post_values(client, unit=unit, period="2020S2")
            assert saved.status_code == 403, (user.username, unit, saved.content)
            submitted = client.post("submissions", {"form": "HK", "unit": unit, "period": "2020S2"})
            assert submitted.status_code == 403
        for unit in ("D1", "C1", "C2"):
            granted = client.post(
                "roles", {"user": personas.nobody.username, "unit": unit, "role": "manager"}
            )
            assert granted.status_code == 403, (user.username, unit, granted.content)
    assert Submission.objects.get(pk=approved).status == Submission.Status.APPROVED
    assert sorted(DataValue.objects.values_list("pk", "value_number", "version")) == before
    assert not RoleAssignment.objects.filter(user=personas.nobody).exists()


def test_it_still_lets_the_old_districts_manager_unlock(approved, api, personas):
    unlocked = api(personas.manager).post(f"submissions/{approved}/unlock", {"comment": "Sửa số"})
    assert unlocked.status_code == 200, unlocked.content
