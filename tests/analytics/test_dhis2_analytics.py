"""GET /dhis2/api/analytics: DHIS2's shape, the rollup engine's numbers."""

import pytest
from django.test import Client

from tests.analytics.conftest import submit_all
from tests.analytics.test_dhis2_datavalues import basic
from tests.factories import SYSTEM
from tests.reporting import conftest as reporting
from trienkhai.reporting import services
from trienkhai.reporting.services import CellInput

audience, form = reporting.audience, reporting.form  # fixtures: form HK, C1 and C2 report
URL = "/dhis2/api/analytics"


@pytest.fixture
def figures(org, form):
    for unit, planned, party, public in ((org.c1, 12, 250, 40), (org.c2, 8, 130, 0)):
        services.save_values(
            acting_user=SYSTEM,
            form=form,
            unit=unit,
            period_id="2020S1",
            cells=[
                CellInput("lop_ke_hoach", planned),
                CellInput("luot_nguoi_doi_tuong", party, option="dang_vien"),
                CellInput("luot_nguoi_doi_tuong", public, option="nhan_dan"),
            ],
        )
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S2",
        cells=[CellInput("lop_ke_hoach", 5)],
    )
    submit_all(form)


def get(user, *dimensions, **params):
    query = [("dimension", d) for d in dimensions] + list(params.items())
    return Client().get(URL, query, **basic(user))


def test_it_answers_in_dhis2s_shape(org, personas, figures):
    response = get(personas.viewer, "dx:lop_ke_hoach", "pe:2020S1;2020S2;2020", "ou:D1;C1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "value"]
    assert body["width"] == body["headerWidth"] == 4 and body["height"] == len(body["rows"])
    assert sorted(body["rows"]) == [
        ["lop_ke_hoach", "2020", "C1", "17"],
        ["lop_ke_hoach", "2020", "D1", "25"],
        ["lop_ke_hoach", "2020S1", "C1", "12"],
        ["lop_ke_hoach", "2020S1", "D1", "20"],
        ["lop_ke_hoach", "2020S2", "C1", "5"],
        ["lop_ke_hoach", "2020S2", "D1", "5"],
    ]
    meta = body["metaData"]
    assert meta["items"]["2020S1"]["name"] == "6 tháng đầu năm 2020"
    assert meta["items"]["D1"]["name"] == "Huyện Vĩnh Thuận"
    assert meta["dimensions"]["ou"] == ["D1", "C1"]


def test_level_n_counts_from_the_country_and_columns_follow_the_order_asked(org, personas, figures):
    body = get(personas.viewer, "ou:D1;LEVEL-4", "dx:lop_ke_hoach", "pe:2020S1").json()
    assert [h["name"] for h in body["headers"]] == ["ou", "dx", "pe", "value"]
    assert sorted(body["rows"]) == [
        ["C1", "lop_ke_hoach", "2020S1", "12"],
        ["C2", "lop_ke_hoach", "2020S1", "8"],
    ]
    assert (
        get(personas.viewer, "dx:lop_ke_hoach", "pe:2020S1", "ou:D1;LEVEL-2").json()["rows"] == []
    )


def test_options_as_a_dimension_and_as_operands(org, personas, figures):
    body = get(personas.viewer, "dx:luot_nguoi_doi_tuong", "co", "pe:2020S1", "ou:D1").json()
    assert sorted(body["rows"]) == [
        ["luot_nguoi_doi_tuong", "dang_vien", "2020S1", "D1", "380"],
        ["luot_nguoi_doi_tuong", "nhan_dan", "2020S1", "D1", "40"],
    ]
    body = get(
        personas.viewer,
        "dx:luot_nguoi_doi_tuong.nhan_dan;luot_nguoi_doi_tuong",
        "pe:2020S1",
        "ou:D1",
    ).json()
    assert sorted(body["rows"]) == [
        ["luot_nguoi_doi_tuong", "2020S1", "D1", "420"],
        ["luot_nguoi_doi_tuong.nhan_dan", "2020S1", "D1", "40"],
    ]
    assert body["metaData"]["items"]["luot_nguoi_doi_tuong.nhan_dan"]["name"].endswith("Nhân dân")


def test_a_filter_narrows_without_a_column(org, personas, figures):
    body = (
        Client()
        .get(
            URL,
            [("dimension", "dx:lop_ke_hoach"), ("dimension", "ou:C1;C2"), ("filter", "pe:2020S1")],
            **basic(personas.viewer),
        )
        .json()
    )
    assert [h["name"] for h in body["headers"]] == ["dx", "ou", "value"]
    assert sorted(body["rows"]) == [["lop_ke_hoach", "C1", "12"], ["lop_ke_hoach", "C2", "8"]]


def test_a_value_saved_is_in_the_next_answer_with_drafts_and_after_its_submission(
    org, personas, form, figures
):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c2,
        period_id="2020S2",
        cells=[CellInput("lop_ke_hoach", 10)],
    )
    asked = ("dx:lop_ke_hoach", "pe:2020S2", "ou:D1")
    assert get(personas.viewer, *asked, status="all").json()["rows"] == [
        ["lop_ke_hoach", "2020S2", "D1", "15"]
    ]
    assert get(personas.viewer, *asked).json()["rows"] == [["lop_ke_hoach", "2020S2", "D1", "5"]]
    services.submit(acting_user=SYSTEM, form=form, unit=org.c2, period_id="2020S2")
    assert get(personas.viewer, *asked).json()["rows"] == [["lop_ke_hoach", "2020S2", "D1", "15"]]
    assert get(personas.viewer, *asked, status="approved").json()["rows"] == []
    answer = get(personas.viewer, *asked, status="draft")
    assert answer.status_code == 409, answer.content


@pytest.mark.parametrize(
    "dimensions,code",
    [
        (("pe:2020S1", "ou:D1"), "E7102"),
        (("dx:lop_ke_hoach", "ou:D1"), "E7104"),
        (("dx:lop_ke_hoach", "pe:2020S1"), "E7300"),
        (("dx:khong_co", "pe:2020S1", "ou:D1"), "E7124"),
        (("dx:lop_ke_hoach", "pe:2020X1", "ou:D1"), "E7124"),
        (("dx:lop_ke_hoach", "pe:2020S1", "ou:KHONG"), "E7124"),
        (("dx:lop_ke_hoach", "pe:2020S1", "ou:D1;LEVEL-x"), "E7124"),
        (("dx:lop_ke_hoach", "dx:lop_da_mo", "pe:2020S1", "ou:D1"), "E7111"),
        (("xx:1", "pe:2020S1", "ou:D1"), "E7125"),
    ],
)
def test_bad_queries_are_409_with_dhis2s_error_code(org, personas, figures, dimensions, code):
    response = get(personas.viewer, *dimensions)
    assert response.status_code == 409
    assert response.json()["errorCode"] == code
    assert " / " in response.json()["message"]


def test_another_units_totals_are_refused(org, personas, figures):
    response = get(personas.outsider, "dx:lop_ke_hoach", "pe:2020S1", "ou:D1")
    assert response.status_code == 403
    assert response.json()["errorCode"] == "E7120"
    assert "rows" not in response.json()


def test_anonymous_is_401_and_wrong_method_405(org, personas, figures):
    assert Client().get(URL, {"dimension": "dx:lop_ke_hoach"}).status_code == 401
    assert Client().post(URL, **basic(personas.viewer)).status_code == 405


# Relative periods ------------------------------------------------------------------------


def test_relative_periods_resolve_on_relative_period_date(org, personas, figures):
    response = get(
        personas.viewer,
        "dx:lop_ke_hoach",
        "pe:LAST_2_SIXMONTHS;THIS_SIX_MONTH;LAST_YEAR",
        "ou:D1",
        relativePeriodDate="2021-03-15",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["rows"]) == [
        ["lop_ke_hoach", "2020", "D1", "25"],
        ["lop_ke_hoach", "2020S1", "D1", "20"],
        ["lop_ke_hoach", "2020S2", "D1", "5"],
    ]  # 2021S1: nobody reported
    meta = body["metaData"]
    assert meta["dimensions"]["pe"] == ["2020S1", "2020S2", "2021S1", "2020"]
    assert meta["items"]["LAST_YEAR"]["name"] == "Năm trước / Last year"
    # A year later the same request reads other periods.
    later = get(
        personas.viewer,
        "dx:lop_ke_hoach",
        "pe:LAST_YEAR;LAST_4_QUARTERS",
        "ou:D1",
        relativePeriodDate="2021-01-10",
    ).json()
    assert later["metaData"]["dimensions"]["pe"] == [
        "2020",
        "2020Q1",
        "2020Q2",
        "2020Q3",
        "2020Q4",
    ]


def test_a_relative_period_as_a_filter_is_one_total_over_its_span(org, personas, figures):
    body = (
        Client()
        .get(
            URL,
            [
                ("dimension", "dx:lop_ke_hoach"),
                ("dimension", "ou:C1;C2"),
                ("filter", "pe:LAST_2_SIXMONTHS"),
                ("relativePeriodDate", "2021-06-30"),
            ],
            **basic(personas.viewer),
        )
        .json()
    )
    assert sorted(body["rows"]) == [["lop_ke_hoach", "C1", "17"], ["lop_ke_hoach", "C2", "8"]]


def test_relative_periods_default_to_today(org, personas, figures):
    from django.utils import timezone

    from trienkhai.analytics.dhis2.relative import resolve

    body = get(personas.viewer, "dx:lop_ke_hoach", "pe:THIS_YEAR;LAST_5_YEARS", "ou:D1").json()
    today = timezone.localdate()  # the day the server reckons in
    expected = [str(today.year)] + [str(today.year - n) for n in range(5, 0, -1)]
    assert body["metaData"]["dimensions"]["pe"] == expected
    assert [p.id for p in resolve("THIS_YEAR", today)] == [str(today.year)]


@pytest.mark.parametrize(
    "params,code",
    [
        ({"dimension": "pe:LAST_7_DAYS"}, "E7124"),
        ({"dimension": "pe:THIS_YEAR", "relativePeriodDate": "15/03/2021"}, "E7106"),
    ],
)
def test_unknown_relative_periods_and_bad_dates_are_refused(org, personas, figures, params, code):
    query = [("dimension", "dx:lop_ke_hoach"), ("dimension", "ou:D1"), *list(params.items())]
    response = Client().get(URL, query, **basic(personas.viewer))
    assert response.status_code == 409
    assert response.json()["errorCode"] == code and " / " in response.json()["message"]


def test_relative_periods_are_refused_to_another_units_user(org, personas, figures):
    response = get(personas.outsider, "dx:lop_ke_hoach", "pe:LAST_YEAR", "ou:D1")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("dims", "params", "code"),
    [
        (("pe:LAST_YEAR", "ou:D1"), {"relativePeriodDate": "9999-12-31"}, "E7106"),
        (("pe:THIS_YEAR", "ou:D1"), {"relativePeriodDate": "0001-01-01"}, "E7106"),
        (("pe:2020", "ou:D1;LEVEL-99999999999999999999"), {}, "E7124"),
        (("pe:2020", "ou:D1;LEVEL-2147483648"), {}, "E7124"),
        (("pe:2020", "ou:D1;LEVEL-0"), {}, "E7124"),
        (("pe:2020", "ou:D1;LEVEL-²"), {}, "E7124"),
        (("pe:2020", "ou:D1;LEVEL-" + "9" * 5000), {}, "E7124"),
    ],
)
def test_a_date_or_level_out_of_range_is_a_409_not_a_500(
    org, personas, figures, dims, params, code
):
    """Found from outside: a relativePeriodDate of 9999-12-31 and a huge LEVEL-n were 500s."""
    response = get(personas.viewer, "dx:lop_ke_hoach", *dims, **params)
    assert response.status_code == 409, response.content[:300]
    assert response.json()["errorCode"] == code
