"""A real DHIS2 client library, unchanged, against a live trienkhai server.

dhis2-client (the DHIS2 organisation's own Python client) is pointed at
``<live server>/dhis2`` as it would be at a DHIS2 instance: it pushes a data value set,
reads analytics back, pages through organisation units and reads the values again.
"""

import threading

import httpx
import pytest
from dhis2_client import DHIS2Client
from dhis2_client.errors import DHIS2HTTPError

from tests import factories
from tests.analytics.conftest import submit_all
from tests.reporting import conftest as reporting
from trienkhai.accounts.services import issue_token
from trienkhai.reporting.models import Form

audience, form = reporting.audience, reporting.form  # fixtures: form HK, C1 and C2 report


@pytest.fixture
def client_for(live_server):
    made: list[DHIS2Client] = []

    def make(**auth) -> DHIS2Client:
        client = DHIS2Client(base_url=f"{live_server.url}/dhis2", retries=0, **auth)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    # Let the server threads finish with the (shared, in-memory) test database first.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(5)


def _table(analytics: dict) -> dict[tuple, float]:
    names = [h["name"] for h in analytics["headers"]]
    return {
        tuple(row[names.index(n)] for n in names if n != "value"): float(row[names.index("value")])
        for row in analytics["rows"]
    }


def test_a_dhis2_client_posts_a_data_value_set_and_reads_analytics_back(
    transactional_db, client_for, org, personas, form
):
    reporter = client_for(username="reporter", password=factories.PASSWORD)
    assert reporter.get_system_info()["version"].startswith("2.")
    for unit, planned, held, party in (("C1", 12, 10, 250), ("C2", 8, 7, 130)):
        answer = reporter.post_data_value_set(
            {
                "dataSet": "HK",
                "period": "2020S1",
                "orgUnit": unit,
                "dataValues": [
                    {
                        "dataElement": "lop_ke_hoach",
                        "categoryOptionCombo": "default",
                        "value": str(planned),
                    },
                    {"dataElement": "lop_da_mo", "value": str(held)},
                    {
                        "dataElement": "luot_nguoi_doi_tuong",
                        "categoryOptionCombo": "dang_vien",
                        "value": str(party),
                    },
                ],
            }
        )
        assert answer["response"]["status"] == "SUCCESS"
        assert answer["response"]["importCount"]["imported"] == 3

    # The communes submit their reports (analytics count submitted figures by default);
    # a manager of the district reads the totals, with a token as a DHIS2 PAT.
    submit_all(Form.objects.get(code="HK"))
    manager = client_for(token=issue_token(user=personas.manager))
    totals = _table(
        manager.get_analytics_data(
            dx=["lop_ke_hoach", "lop_da_mo", "luot_nguoi_doi_tuong"], pe=["2020S1"], ou=["D1"]
        )
    )
    assert totals == {
        ("lop_ke_hoach", "2020S1", "D1"): 20.0,
        ("lop_da_mo", "2020S1", "D1"): 17.0,
        ("luot_nguoi_doi_tuong", "2020S1", "D1"): 380.0,
    }
    # LEVEL-4 under D1: its two communes (VN is level 1).
    by_commune = _table(manager.get_analytics_data(dx="lop_da_mo", pe="2020S1", ou="D1;LEVEL-4"))
    assert by_commune == {("lop_da_mo", "2020S1", "C1"): 10.0, ("lop_da_mo", "2020S1", "C2"): 7.0}

    # The values read back as a data value set, and the units page as DHIS2's pager does.
    values = manager.get_data_value_set(
        {"dataSet": "HK", "period": "2020S1", "orgUnit": "D1", "children": "true"}
    )["dataValues"]
    assert sorted((v["orgUnit"], v["dataElement"], v["value"]) for v in values)[:2] == [
        ("C1", "lop_da_mo", "10"),
        ("C1", "lop_ke_hoach", "12"),
    ]
    units = list(manager.get_organisation_units(fields="id,name,level", pageSize=2))
    assert {u["id"] for u in units} == {"D1", "C1", "C2"}
    assert {u["level"] for u in units if u["id"] == "D1"} == {3}


def test_a_dhis2_client_sees_the_conflicts_and_nothing_lands(
    transactional_db, client_for, org, personas, form
):
    reporter = client_for(username="reporter", password=factories.PASSWORD)
    with pytest.raises(DHIS2HTTPError) as refused:
        reporter.post_data_value_set(
            {
                "dataSet": "HK",
                "period": "2020S1",
                "orgUnit": "C1",
                "dataValues": [
                    {"dataElement": "lop_ke_hoach", "value": "12"},
                    {"dataElement": "lop_da_mo", "value": "nhiều"},
                ],
            }
        )
    assert refused.value.status_code == 409
    conflicts = refused.value.payload["response"]["conflicts"]
    assert [(c["indexes"], c["errorCode"]) for c in conflicts] == [([1], "E7619")]
    analytics = reporter.get_analytics_data(dx="lop_ke_hoach", pe="2020S1", ou="C1")
    assert analytics["rows"] == []
    outsider = client_for(username="outsider", password=factories.PASSWORD)
    with pytest.raises(DHIS2HTTPError) as forbidden:
        outsider.get_analytics_data(dx="lop_ke_hoach", pe="2020S1", ou="D1")
    assert forbidden.value.status_code == 403


def test_a_dhis2_client_sets_reads_and_deletes_one_value(
    transactional_db, client_for, live_server, org, personas, form
):
    reporter = client_for(username="reporter", password=factories.PASSWORD)
    assert reporter.set_data_value("lop_ke_hoach", "2020S1", "C1", 12, co="default") == {}
    assert reporter.get_data_value("lop_ke_hoach", "2020S1", "C1", co="default") == ["12"]
    # DHIS2's own shape: every parameter in the query string, as curl or a script sends it.
    answer = httpx.post(
        f"{live_server.url}/dhis2/api/dataValues",
        params={"de": "luot_nguoi_doi_tuong", "pe": "2020S1", "ou": "C1", "co": "dang_vien"}
        | {"value": "40"},
        auth=("reporter", factories.PASSWORD),
    )
    assert answer.status_code == 201, answer.text
    assert reporter.get_data_value("luot_nguoi_doi_tuong", "2020S1", "C1", co="dang_vien") == ["40"]
    # A manager of another district is refused, and the value stays.
    outsider = client_for(username="outsider", password=factories.PASSWORD)
    with pytest.raises(DHIS2HTTPError) as refused:
        outsider.set_data_value("lop_ke_hoach", "2020S1", "C1", 99, co="default")
    assert refused.value.status_code == 409
    assert refused.value.payload["errorCode"] == "E2020"
    with pytest.raises(DHIS2HTTPError) as hidden:
        outsider.get_data_value("lop_ke_hoach", "2020S1", "C1", co="default")
    assert hidden.value.status_code == 409
    assert reporter.delete_data_value("lop_ke_hoach", "2020S1", "C1", co="default") == {}
    with pytest.raises(DHIS2HTTPError) as gone:
        reporter.get_data_value("lop_ke_hoach", "2020S1", "C1", co="default")
    assert gone.value.payload["errorCode"] == "E2032"
