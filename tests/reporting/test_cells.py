"""The rules of one cell (reporting.cells): reading, digits, sign, and their messages.

Form HK (tests/reporting/conftest.py) is half-yearly, reported by C1 and C2.
"""

import json
from decimal import Decimal

import pytest
from django.utils import translation

from trienkhai.common.errors import BadInput
from trienkhai.reporting import cells
from trienkhai.reporting.models import DataValue, DataValueChange, Indicator


def kind(value_type: str, **fields) -> Indicator:
    return Indicator(
        code="x", name="Số lớp đã mở", name_en="Classes held", value_type=value_type, **fields
    )


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("20.673", Decimal(20673)),  # the Vietnamese thousands separator
        ("20673", Decimal(20673)),
        (" 1.234.567 ", Decimal(1234567)),
        ("6,93", Decimal("6.93")),
        ("1.234,5", Decimal("1234.5")),
        ("6.93", Decimal("6.93")),  # pasted from English software
        ("20 673", Decimal(20673)),
        ("+5", Decimal(5)),
        ("007", Decimal(7)),
        ("999.999.999.999", Decimal(999_999_999_999)),
        ("0,1234", Decimal("0.1234")),
        ("1,50000", Decimal("1.5")),  # trailing zeros are no digits
        (12, Decimal(12)),
        (12.0, Decimal(12)),
        (0.25, Decimal("0.25")),
        (Decimal("3.5000"), Decimal("3.5")),
    ],
)
def test_it_reads_numbers_as_people_write_them(raw, number):
    assert cells.parse_value(kind("decimal"), raw) == (number, "")


@pytest.mark.parametrize(
    "raw",
    [
        "1e3",
        "1E3",
        "1e-3",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "0x10",
        "1_000",
        "١٢",  # Arabic-Indic digits: digits to Python, not to a report
        "²",
        "1,234.5",
        "1..2",
        ".",
        "-",
        "ba",
        "1 000 000 000 000 000 000 000 000 000 000 000 000",
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        [1, 2],
        {"a": 1},
    ],
)
def test_it_refuses_what_is_not_a_plain_finite_number(raw):
    with pytest.raises(BadInput) as caught:
        cells.parse_value(kind("decimal"), raw)
    assert caught.value.code == "invalid_value"
    assert caught.value.message.startswith("Số lớp đã mở: ")


@pytest.mark.parametrize(
    "raw",
    [
        "1.000.000.000.000",  # 10¹²: 13 digits
        "1000000000000",
        10**12,
        10**400,  # no int-to-text conversion of a huge number on the way
        -(10**12),
        1e15,
        "0,12345",  # 5 decimals
        "1,00001",
        1e-5,
    ],
)
def test_it_refuses_more_digits_than_a_total_can_hold(raw):
    with pytest.raises(BadInput) as caught:
        cells.parse_value(kind("decimal", allow_negative=True), raw)
    assert "tối đa 12 chữ số phần nguyên và 4 chữ số thập phân" in caught.value.message


@pytest.mark.parametrize(
    ("value_type", "allow_negative", "accepted"),
    [
        ("integer", False, False),
        ("integer", True, True),
        ("decimal", False, False),
        ("decimal", True, True),
        ("percent", True, False),  # a percent stays between 0 and 100
    ],
)
def test_a_negative_number_needs_an_indicator_that_allows_it(value_type, allow_negative, accepted):
    indicator = kind(value_type, allow_negative=allow_negative)
    if accepted:
        assert cells.parse_value(indicator, "-3") == (Decimal(-3), "")
    else:
        with pytest.raises(BadInput):
            cells.parse_value(indicator, "-3")
    assert cells.parse_value(indicator, "-0") == (Decimal(0), "")


def test_the_sign_rule_says_so():
    with pytest.raises(BadInput) as caught:
        cells.parse_value(kind("integer"), "-3")
    assert caught.value.message == "Số lớp đã mở: “-3” không hợp lệ: chỉ tiêu này không nhận số âm."


def test_it_quotes_a_value_it_can_write_back():
    with pytest.raises(BadInput) as caught:
        cells.parse_value(kind("integer"), "x\ud800")
    caught.value.message.encode("utf-8")  # a lone surrogate cannot go into a response


def test_it_names_the_indicator_in_the_readers_language_only():
    with translation.override("en"), pytest.raises(BadInput) as caught:
        cells.parse_value(kind("integer"), "2,5")
    assert caught.value.message == "Classes held: “2,5” is not valid: a whole number is needed."
    # No English name: the Vietnamese one, never the code alone.
    with translation.override("en"), pytest.raises(BadInput) as caught:
        cells.parse_value(Indicator(code="x", name="Số lớp", value_type="integer"), "2,5")
    assert caught.value.message.startswith("Số lớp: ")
    with pytest.raises(BadInput) as caught:
        cells.parse_value(kind("integer"), "2,5")
    assert caught.value.message == "Số lớp đã mở: “2,5” không hợp lệ: cần một số nguyên."


@pytest.mark.parametrize(
    ("value_type", "raw", "expected"),
    [
        ("boolean", "có", (Decimal(1), "")),
        ("boolean", "Không", (Decimal(0), "")),
        ("boolean", True, (Decimal(1), "")),
        ("boolean", 0, (Decimal(0), "")),
        ("percent", "6,93%", (Decimal("6.93"), "")),
        ("percent", "100", (Decimal(100), "")),
        ("text", "Tổ chức tốt", (None, "Tổ chức tốt")),
        ("text", 12, (None, "12")),
        ("text", 10**50, (None, "1" + "0" * 50)),
        ("integer", "", (None, "")),
        ("integer", "   ", (None, "")),
        ("integer", None, (None, "")),
    ],
)
def test_it_reads_each_value_type(value_type, raw, expected):
    assert cells.parse_value(kind(value_type), raw) == expected


@pytest.mark.parametrize(
    ("value_type", "raw"),
    [
        ("boolean", "có lẽ"),
        ("boolean", 2),
        ("boolean", float("nan")),
        ("boolean", Decimal("sNaN")),
        ("percent", "101"),
        ("integer", True),
        ("text", "a\x00b"),  # PostgreSQL cannot store a NUL
        ("text", "\ud800"),  # nor a lone surrogate (a JSON "\\ud800")
        ("text", "x" * 10_001),
    ],
)
def test_it_refuses_what_a_type_cannot_hold(value_type, raw):
    with pytest.raises(BadInput):
        cells.parse_value(kind(value_type), raw)


def test_a_yes_no_value_reads_in_the_readers_language_and_comes_back():
    yes_no = kind("boolean")
    assert cells.display(Decimal(1), "", yes_no) == "có"  # the change log's own words
    with translation.override("en"):
        assert cells.display(Decimal(1), "", yes_no) == "có"
        assert cells.shown(Decimal(1), "", yes_no) == "yes"
        assert cells.shown(Decimal(0), "", yes_no) == "no"
        assert cells.in_language("có", yes_no) == "yes"
        assert cells.in_language("có", kind("integer")) == "có"
        assert cells.shown(Decimal(20673), "", kind("integer")) == "20.673"
    with translation.override("vi"):
        assert cells.shown(Decimal(0), "", yes_no) == "không"
    # What an English file says is read back as the same value.
    assert cells.parse_value(yes_no, "yes") == (Decimal(1), "")
    assert cells.parse_value(yes_no, "no") == (Decimal(0), "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", Decimal("12.5")),  # DHIS2's decimal point, never 125
        ("20.673", Decimal("20.673")),
        (7, Decimal(7)),
        ("", ""),
        (None, ""),
    ],
)
def test_it_reads_numbers_as_dhis2_writes_them(raw, expected):
    assert cells.machine_value(kind("decimal"), raw) == expected


@pytest.mark.parametrize(
    "raw", ["1e3", "NaN", "Infinity", "-Infinity", "0x1", "1_0", "20,5", "١", True, [1]]
)
def test_it_refuses_what_dhis2_would_not_write(raw):
    with pytest.raises(BadInput):
        cells.machine_value(kind("decimal"), raw)


def test_its_shortcut_for_digits_reads_as_parse_value_does():
    indicator = kind("integer")
    read = cells.reader(indicator)
    for raw in ["0", "12", "999999999999", "1000000000000", "00000000000012", "-3", "1e3"]:
        try:
            expected: object = cells.parse_value(indicator, raw)
        except BadInput as exc:
            expected = exc.message
        try:
            found: object = read(raw)
        except BadInput as exc:
            found = exc.message
        assert found == expected, raw


# The contract of POST /api/v1/datavalues ------------------------------------------------


BODY = {"form": "HK", "unit": "C1", "period": "2020S1"}


@pytest.mark.parametrize("bad", ["1e3", "NaN", "Infinity", "-3", "1.000.000.000.000", "0,00001"])
def test_the_api_refuses_each_bad_cell_by_name_and_saves_nothing(form, cell_reporter, api, bad):
    values = [
        {"indicator": "lop_ke_hoach", "value": "4"},
        {"indicator": "lop_da_mo", "value": bad},
        {"indicator": "luot_nguoi_doi_tuong", "option": "dang_vien", "value": bad},
    ]
    response = api(cell_reporter).post("datavalues", {**BODY, "values": values})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_values"
    assert [(d["indicator"], d["option"]) for d in error["details"]] == [
        ("lop_da_mo", ""),
        ("luot_nguoi_doi_tuong", "dang_vien"),
    ]
    assert error["details"][0]["problem"].startswith("Số lớp đã mở: ")
    assert error["details"][1]["problem"].startswith("Lượt người theo đối tượng: ")
    assert "Số lớp đã mở" in error["message"]
    assert not DataValue.objects.exists() and not DataValueChange.objects.exists()


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_the_api_refuses_json_numbers_that_are_not_finite(form, cell_reporter, api, literal):
    # Python's JSON reads these literals as floats: a 400 naming the cell, not a 500.
    body = json.dumps({**BODY, "values": [{"indicator": "lop_da_mo", "value": 0}]})
    body = body.replace('"value": 0', f'"value": {literal}')
    client = api(cell_reporter)
    response = client.client.post(
        "/api/v1/datavalues", body, content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"][0]["indicator"] == "lop_da_mo"
    assert not DataValue.objects.exists()


def test_a_negative_count_is_kept_where_the_indicator_allows_it(form, cell_reporter, api):
    client = api(cell_reporter)
    refused = client.post(
        "datavalues", {**BODY, "values": [{"indicator": "luot_nguoi", "value": "-3"}]}
    )
    assert refused.status_code == 400
    indicator = Indicator.objects.get(code="luot_nguoi")
    indicator.allow_negative = True
    indicator.save()  # as the manage page saves it: the forms using it are read again
    saved = client.post(
        "datavalues", {**BODY, "values": [{"indicator": "luot_nguoi", "value": "-3"}]}
    )
    assert saved.status_code == 200, saved.content
    assert DataValue.objects.get(indicator=indicator).value_number == -3


def test_indicators_take_and_show_allow_negative(org, personas, api):
    client = api(personas.admin)
    created = client.post(
        "indicators", {"code": "chenh_lech", "name": "Chênh lệch", "allow_negative": True}
    )
    assert created.status_code == 201, created.content
    assert created.json()["allow_negative"] is True
    plain = client.post("indicators", {"code": "so_lop", "name": "Số lớp"})
    assert plain.json()["allow_negative"] is False
    listed = {
        i["code"]: i["allow_negative"] for i in client.get("indicators").json() if not i["source"]
    }
    assert listed == {"chenh_lech": True, "so_lop": False}
