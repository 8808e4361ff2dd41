"""GET /api/v1/analytics: JSON rows, CSV and XLSX files, permissions, bad input."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.analytics.conftest import TODAY, D, submit_all  # noqa: F401
from tests.factories import SYSTEM
from trienkhai.reporting import services


@pytest.fixture
def data(org, put, figures):
    put(org.c1, "2020S1", lop=3, nguoi__nam=1, nguoi__nu=2)
    put(org.c2, "2020S1", lop=4, nguoi__nu=5)
    put(org.c1, "2020S2", lop=5)
    put(org.d2, "2020S1", lop=100)
    submit_all(figures)


def test_it_answers_rows_for_a_unit_and_its_children(api, personas, data):
    client = api(personas.viewer)
    answer = client.get("analytics", indicator=["lop", "nguoi"], period="2020", unit="D1")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "rows": [
            {"indicator": "lop", "option": "", "period": "2020", "unit": "D1", "value": 12},
            {"indicator": "nguoi", "option": "", "period": "2020", "unit": "D1", "value": 8},
        ]
    }
    children = client.get("analytics", indicator="lop", period="2020S1", unit="D1", level=1)
    assert [(r["unit"], r["value"]) for r in children.json()["rows"]] == [("C1", 3), ("C2", 4)]


def test_it_splits_by_option_and_takes_spans(api, personas, data):
    answer = api(personas.viewer).get(
        "analytics", indicator="nguoi", period="2019..2021", unit="C1", by_option="true"
    )
    rows = {r["option"]: r["value"] for r in answer.json()["rows"]}
    assert rows == {"": 3, "nam": 1, "nu": 2}


def test_the_same_rows_as_csv_and_xlsx(api, personas, data):
    client = api(personas.viewer)
    params = {"indicator": "lop", "period": "2020S1", "unit": "D1", "level": 1}
    for answer in (
        client.get("analytics", format="csv", **params),
        client.get("analytics.csv", **params),
    ):
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert table == [
            ["indicator", "option", "period", "unit", "value"],
            ["lop", "", "2020S1", "C1", "3"],
            ["lop", "", "2020S1", "C2", "4"],
        ]
    for answer in (
        client.get("analytics", format="xlsx", **params),
        client.get("analytics.xlsx", **params),
    ):
        assert answer.status_code == 200
        sheet = load_workbook(io.BytesIO(answer.content)).active
        assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
            ["indicator", "option", "period", "unit", "value"],
            ["lop", None, "2020S1", "C1", 3],
            ["lop", None, "2020S1", "C2", 4],
        ]


def test_another_units_user_is_refused(api, personas, data):
    answer = api(personas.outsider).get("analytics", indicator="lop", period="2020", unit="D1")
    assert answer.status_code == 403
    answer = api(personas.viewer).get("analytics", indicator="lop", period="2020", unit="P2")
    assert answer.status_code == 403
    assert (
        api(personas.outsider)
        .get("analytics", indicator="lop", period="2020", unit="D2")
        .status_code
        == 200
    )


def test_anonymous_callers_must_authenticate(api, data):
    assert api(None).get("analytics", indicator="lop", period="2020", unit="D1").status_code == 401


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"indicator": "khong_co", "period": "2020", "unit": "D1"}, "khong_co"),
        ({"indicator": "lop", "period": "2020X", "unit": "D1"}, "2020X"),
        ({"indicator": "lop", "period": "2021..2020", "unit": "D1"}, "2021..2020"),
        ({"indicator": "lop", "period": "2020", "unit": "ZZZ"}, "ZZZ"),
        ({"indicator": "lop", "period": "2020", "unit": "D1", "format": "pdf"}, "pdf"),
        ({"indicator": "lop", "unit": "D1"}, "period"),
    ],
)
def test_bad_input_is_a_bilingual_400_naming_it(api, personas, data, params, named):
    answer = api(personas.viewer).get("analytics", **params)
    assert answer.status_code == 400, answer.content
    message = answer.json()["error"]["message"]
    assert named in message and " / " in message


def test_wrong_method_is_refused(api, personas, data):
    assert api(personas.viewer).post("analytics", {}).status_code == 405


def test_it_counts_the_status_asked_and_submitted_by_default(api, personas, org, put, figures):
    """GIVEN C1 submitted (3) and C2 only drafted (4) THEN D1's total is 3 by default and
    for ``submitted``, 7 for ``all``, none for ``approved``."""
    put(org.c1, "2020S1", lop=3)
    put(org.c2, "2020S1", lop=4)
    services.submit(acting_user=SYSTEM, form=figures, unit=org.c1, period_id="2020S1", today=TODAY)
    client = api(personas.viewer)

    def value(**status):
        answer = client.get("analytics", indicator="lop", period="2020S1", unit="D1", **status)
        assert answer.status_code == 200, answer.content
        return answer.json()["rows"][0]["value"]

    assert value() == value(status="submitted") == 3
    assert value(status="all") == 7
    assert value(status="approved") is None


def test_an_unknown_status_is_a_400_naming_it(api, personas, data):
    answer = api(personas.viewer).get(
        "analytics", indicator="lop", period="2020", unit="D1", status="draft"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_status"
