"""A derived row of the grid: the rollup's value for the report, or "—" and why.

Form HK (tests/reporting/conftest.py): "Bình quân mỗi lớp" = luot_nguoi / lop_da_mo.
"""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from tests.activities.conftest import make_event
from tests.factories import SYSTEM
from trienkhai.analytics import charts, engine
from trienkhai.reporting import services
from trienkhai.reporting.models import Indicator

PERIOD = "2020S1"


def url(name, form="HK"):
    return reverse(f"reporting:{name}", args=[form, "C1", PERIOD])


def save(client, values: dict, form="HK") -> dict:
    cells = [{"indicator": code, "value": value} for code, value in values.items()]
    response = client.post(
        url("save", form), data=json.dumps({"cells": cells}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def shown(client, code: str, form="HK") -> tuple[str, str]:
    """(the value, why there is none) of a derived row as the grid page shows them."""
    page = client.get(url("grid", form)).content.decode()
    found = re.search(
        rf'<output [^>]*data-derived="{code}">([^<]*)</output>\s*'
        rf'<span class="derived-why" id="derived-why-{code}">([^<]*)</span>',
        page,
    )
    assert found, page
    return found.group(1), found.group(2)


def rolled_up(code: str) -> str:
    """The figure the analytics pages show for C1 and the period, drafts counted."""
    [cell] = engine.rollup(indicators=[code], periods=[PERIOD], units=["C1"], status="all")
    return charts.display(cell.value) or "—"


def form_of(org, code: str, derived: str, formula: str, inputs: list[str]) -> None:
    """Form ``code`` of C1 with ``inputs`` and ``derived`` = ``formula`` (an average)."""
    indicator = services.create_indicator(
        acting_user=SYSTEM,
        code=derived,
        name=derived.replace("_", " ").capitalize(),
        value_type="decimal",
        aggregation="average",
        formula=formula,
    )
    services.create_form(
        acting_user=SYSTEM,
        code=code,
        name=f"Báo cáo {code}",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[*Indicator.objects.filter(code__in=inputs), indicator],
        units=[org.c1],
        valid_from=dt.date(2019, 1, 1),
    )


def test_it_names_the_blank_input_instead_of_leaving_the_value_empty(form, cell_reporter, web):
    """GIVEN 40 people entered and the classes left blank
    THEN the average reads "—" with "cần nhập: Số lớp đã mở (nhập 0 nếu không có)", on
    the page and in the save's answer (what the script shows); 0 classes: "phép chia
    cho 0"; 3 classes: 13,33 and nothing to say."""
    client = web(cell_reporter)
    answer = save(client, {"luot_nguoi": "40"})
    why = "cần nhập: Số lớp đã mở (nhập 0 nếu không có)"
    assert answer["derived"] == {"binh_quan_lop": ""}
    assert answer["derived_why"] == {"binh_quan_lop": why}
    assert shown(client, "binh_quan_lop") == ("—", why)

    answer = save(client, {"lop_da_mo": "0"})
    assert answer["derived_why"] == {"binh_quan_lop": "không tính được: phép chia cho 0"}
    assert shown(client, "binh_quan_lop") == ("—", "không tính được: phép chia cho 0")

    answer = save(client, {"lop_da_mo": "3"})
    assert answer["derived"] == {"binh_quan_lop": "13,33"} and answer["derived_why"] == {}
    assert shown(client, "binh_quan_lop") == ("13,33", "")

    client.cookies["django_language"] = "en"
    save(client, {"lop_da_mo": ""})
    assert "(enter 0 if there were none)" in shown(client, "binh_quan_lop")[1]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"luot_nguoi": "40"}, "—"),
        ({"lop_da_mo": "2"}, "—"),
        ({"luot_nguoi": "20.673", "lop_da_mo": "2"}, "10.336,5"),
        # 0,125000125: the engine keeps 0,1250 and shows 0,12 (half to even); rounded
        # straight to 2 decimals the grid said 0,13.
        ({"luot_nguoi": "1.000.001", "lop_da_mo": "8.000.000"}, "0,12"),
    ],
    ids=["classes-blank", "people-blank", "entered", "rounded-as-the-engine"],
)
def test_the_grid_shows_the_figure_the_rollup_gives_for_the_report(
    form, cell_reporter, web, values, expected
):
    client = web(cell_reporter)
    save(client, values)
    assert shown(client, "binh_quan_lop")[0] == expected
    assert rolled_up("binh_quan_lop") == expected


def test_a_formula_over_another_derived_indicator_reads_its_value(org, form, cell_reporter, web):
    """GIVEN "nua_binh_quan" = binh_quan_lop / 2 on a form with the inputs
    THEN the grid shows 5 for 40 people in 4 classes, as the rollup does (the grid read
    the derived input as blank and showed "—"); with the classes blank it names them."""
    form_of(org, "HK2", "nua_binh_quan", "binh_quan_lop / 2", ["luot_nguoi", "lop_da_mo"])
    client = web(cell_reporter)
    save(client, {"luot_nguoi": "40"}, form="HK2")
    assert shown(client, "nua_binh_quan", form="HK2") == (
        "—",
        "cần nhập: Số lớp đã mở (nhập 0 nếu không có)",
    )
    answer = save(client, {"lop_da_mo": "4"}, form="HK2")
    assert answer["derived"] == {"nua_binh_quan": "5"}
    assert shown(client, "nua_binh_quan", form="HK2") == ("5", "")
    assert rolled_up("nua_binh_quan") == "5"


def test_a_formula_over_a_counted_figure_reads_the_figure(org, activity_form, cell_reporter, web):
    """GIVEN "bai_moi_lop" = so_bai / act_classes, the classes counted from the register
    (two in the first half of 2021) and 5 articles typed
    THEN the grid shows 2,5, as the rollup does (it read the counted cell as blank)."""
    form_of(org, "HD2", "bai_moi_lop", "so_bai / act_classes", ["so_bai", "act_classes"])
    make_event(org.c1, days=("2021-03-01",))
    make_event(org.c1, days=("2021-05-10",))
    client = web(cell_reporter)
    target = reverse("reporting:save", args=["HD2", "C1", "2021S1"])
    cells = [{"indicator": "so_bai", "value": "5"}]
    response = client.post(
        target, data=json.dumps({"cells": cells}), content_type="application/json"
    )
    assert response.json()["derived"] == {"bai_moi_lop": "2,5"}
    page = client.get(reverse("reporting:grid", args=["HD2", "C1", "2021S1"])).content.decode()
    assert 'data-derived="bai_moi_lop">2,5</output>' in page
    [cell] = engine.rollup(
        indicators=["bai_moi_lop"], periods=["2021S1"], units=["C1"], status="all"
    )
    assert charts.display(cell.value) == "2,5"
