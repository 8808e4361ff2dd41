"""ADX import and export at /dhis2/api/dataValueSets, and the ADX period format."""

from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client

from tests.analytics.test_dhis2_datavalues import basic, stored
from tests.reporting import conftest as reporting
from trienkhai.analytics import adx
from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import DataValue
from trienkhai.reporting.periods import parse

audience, form = reporting.audience, reporting.form  # fixtures: form HK, C1 and C2 report
URL = "/dhis2/api/dataValueSets"
NS = "{urn:ihe:qrph:adx:2015}"


def post_adx(user, text: str, query: str = ""):
    return Client().post(URL + query, text.encode(), content_type=adx.CONTENT_TYPE, **basic(user))


DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2020-07-02T10:00:00Z">
  <group dataSet="HK" orgUnit="C1" period="2020-01-01/P6M">
    <dataValue dataElement="lop_ke_hoach" value="12"/>
    <dataValue dataElement="luot_nguoi_doi_tuong" doi_tuong="dang_vien" value="250">
      <annotation>theo biên bản</annotation>
    </dataValue>
    <dataValue dataElement="ghi_chu" value="Đã tổ chức"/>
  </group>
  <group dataSet="HK" orgUnit="C2" period="2020-07-01/P6M">
    <dataValue dataElement="lop_ke_hoach" value="7.0"/>
  </group>
</adx>"""


@pytest.mark.parametrize(
    "period,calendar,text",
    [
        ("2021S1", "gregorian", "2021-01-01/P6M"),
        ("2021S2", "gregorian", "2021-07-01/P6M"),
        ("2021", "gregorian", "2021-01-01/P1Y"),
        ("2021Q3", "gregorian", "2021-07-01/P3M"),
        ("202107", "gregorian", "2021-07-01/P1M"),
        ("2021S1", "nd09", "2020-12-15/P6M"),
        ("2021", "nd09", "2020-12-15/P1Y"),
    ],
)
def test_adx_periods_go_both_ways(period, calendar, text):
    assert adx.adx_period(parse(period, calendar)) == text
    assert adx.period_id(text, calendar) == period


@pytest.mark.parametrize("text", ["2021-02-01/P6M", "2021-01-01/P2W", "2021-13-01/P1M", "soon"])
def test_a_period_that_starts_no_period_is_refused(text):
    with pytest.raises(BadInput):
        adx.period_id(text)


def test_it_imports_an_adx_document(org, personas, form):
    response = post_adx(personas.reporter, DOCUMENT)
    assert response.status_code == 200, response.content
    assert response.json()["response"]["importCount"]["imported"] == 4
    assert stored(org.c1) == {
        ("lop_ke_hoach", ""): Decimal(12),
        ("luot_nguoi_doi_tuong", "dang_vien"): Decimal(250),
        ("ghi_chu", ""): "Đã tổ chức",
    }
    assert DataValue.objects.get(option="dang_vien").comment == "theo biên bản"
    assert stored(org.c2, "2020S2") == {("lop_ke_hoach", ""): Decimal(7)}


def test_bad_adx_rows_are_named_and_nothing_lands(org, personas, form):
    text = """<adx xmlns="urn:ihe:qrph:adx:2015">
      <group dataSet="HK" orgUnit="C1" period="2020-01-01/P6M">
        <dataValue dataElement="lop_ke_hoach" value="12"/>
        <dataValue dataElement="luot_nguoi_doi_tuong" gioi_tinh="nu" value="3"/>
        <dataValue dataElement="lop_da_mo" value="x"/>
      </group>
      <group dataSet="HK" orgUnit="C1" period="2020-02-01/P6M">
        <dataValue dataElement="lop_ke_hoach" value="1"/>
      </group>
      <group orgUnit="C1" period="2020-01-01/P6M">
        <dataValue dataElement="lop_ke_hoach" value="1"/>
      </group>
    </adx>"""
    response = post_adx(personas.reporter, text)
    assert response.status_code == 409
    conflicts = response.json()["response"]["conflicts"]
    assert sorted((c["indexes"][0], c["errorCode"]) for c in conflicts) == [
        (1, "E7634"),
        (2, "E7619"),
        (3, "E7611"),
        (4, "E7602"),
    ]
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs: refused before any entity is expanded
        """<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "aaaaaaaaaa">
        <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
        <adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="HK" orgUnit="C1" period="2020-01-01/P6M">
        <dataValue dataElement="ghi_chu" value="&c;"/></group></adx>""",
        # an external entity
        """<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <adx xmlns="urn:ihe:qrph:adx:2015">&x;</adx>""",
        "<adx><group",
        "<dataValueSet xmlns='http://dhis2.org/schema/dxf/2.0'/>",
    ],
)
def test_unsafe_or_unreadable_xml_is_a_400(org, personas, form, text):
    response = post_adx(personas.reporter, text)
    assert response.status_code == 400
    assert " / " in response.json()["message"]
    assert not DataValue.objects.exists()


def test_adx_import_respects_the_callers_scope(org, personas, form):
    response = post_adx(personas.outsider, DOCUMENT)
    assert response.status_code == 409
    assert {c["errorCode"] for c in response.json()["response"]["conflicts"]} == {"E7617"}
    assert not DataValue.objects.exists()


def test_it_exports_adx_that_imports_back(org, personas, form):
    post_adx(personas.reporter, DOCUMENT)
    response = Client().get(
        URL,
        {"dataSet": "HK", "period": "2020S1", "orgUnit": "D1", "children": "true", "format": "adx"},
        **basic(personas.viewer),
    )
    assert response.status_code == 200
    assert response["Content-Type"] == adx.CONTENT_TYPE
    root = fromstring(response.content)
    assert root.tag == f"{NS}adx"
    (group,) = root.findall(f"{NS}group")
    assert group.attrib == {"dataSet": "HK", "orgUnit": "C1", "period": "2020-01-01/P6M"}
    values = {(v.get("dataElement"), v.get("doi_tuong")): v.get("value") for v in group}
    assert values == {
        ("ghi_chu", None): "Đã tổ chức",
        ("lop_ke_hoach", None): "12",
        ("luot_nguoi_doi_tuong", "dang_vien"): "250",
    }
    assert group.find(f"{NS}dataValue/{NS}annotation").text == "theo biên bản"
    # Posted back unchanged, it changes nothing.
    again = post_adx(personas.reporter, response.content.decode())
    assert again.json()["response"]["importCount"]["ignored"] == 3
    accept = Client().get(
        URL,
        {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1"},
        HTTP_ACCEPT=adx.CONTENT_TYPE,
        **basic(personas.viewer),
    )
    assert accept.content.startswith(b"<?xml")


def test_adx_export_needs_a_data_set_and_the_right_to_view(org, personas, form):
    response = Client().get(
        URL,
        {"dataElement": "lop_ke_hoach", "period": "2020S1", "orgUnit": "C1", "format": "adx"},
        **basic(personas.viewer),
    )
    assert response.status_code == 409 and response.json()["errorCode"] == "E2013"
    response = Client().get(
        URL,
        {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1", "format": "adx"},
        **basic(personas.outsider),
    )
    assert response.status_code == 403
