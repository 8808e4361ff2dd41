"""A form that changes keeps the values entered under its earlier version readable."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import SYSTEM
from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.reporting import excel, services
from trienkhai.reporting.models import FormIndicator, Indicator

REMOVED_ON = dt.date(2021, 1, 1)


def enter(form, unit, period_id, indicator, value):
    cells = [services.CellInput(indicator=indicator, value=value)]
    return services.save_values(
        acting_user=SYSTEM, form=form, unit=unit, period_id=period_id, cells=cells
    )


@pytest.fixture
def changed(form, org, personas):
    """GIVEN a note entered for 2020S1, then the note removed from the form from 2021S1."""
    enter(form, org.c1, "2020S1", "ghi_chu", "Lớp học tốt")
    services.remove_indicator_from_form(
        acting_user=personas.manager,
        form=form,
        indicator=Indicator.objects.get(code="ghi_chu"),
        on=REMOVED_ON,
    )
    return form


def test_it_still_shows_values_of_the_earlier_version(changed, org, cell_reporter, web, api):
    assert services.form_values(changed, org.c1, "2020S1")[("ghi_chu", "")].value_text == (
        "Lớp học tốt"
    )
    grid = web(cell_reporter).get(reverse("reporting:grid", args=["HK", "C1", "2020S1"]))
    assert "Lớp học tốt" in grid.content.decode()
    body = api(cell_reporter).get("datavalues", form="HK", unit="C1", period="2020S1").json()
    assert {"ghi_chu"} <= {v["indicator"] for v in body["values"]}


def test_it_still_exports_values_of_the_earlier_version(changed, org):
    book = openpyxl.load_workbook(io.BytesIO(excel.form_workbook(changed, org.c1, "2020S1")))
    texts = {c.value for row in book.worksheets[0].iter_rows() for c in row}
    assert "Lớp học tốt" in texts
    later = openpyxl.load_workbook(io.BytesIO(excel.form_workbook(changed, org.c1, "2021S1")))
    assert "Ghi chú" not in {c.value for row in later.worksheets[0].iter_rows() for c in row}


def test_it_refuses_values_of_a_removed_indicator(changed, org, cell_reporter, web):
    with pytest.raises(BadInput) as caught:
        enter(changed, org.c1, "2021S1", "ghi_chu", "Muộn")
    assert caught.value.code == "invalid_values"
    enter(changed, org.c1, "2021S1", "lop_ke_hoach", "3")
    grid = web(cell_reporter).get(reverse("reporting:grid", args=["HK", "C1", "2021S1"]))
    assert 'data-indicator="ghi_chu"' not in grid.content.decode()


def test_it_lists_the_current_indicators_in_the_api(changed, personas, api):
    forms = api(personas.viewer).get("forms").json()
    hk = next(f for f in forms if f["code"] == "HK")
    assert "ghi_chu" not in hk["indicators"] and "lop_da_mo" in hk["indicators"]


def test_it_adds_an_indicator_back_from_a_later_day(changed, org, personas):
    note = Indicator.objects.get(code="ghi_chu")
    with pytest.raises(Conflict):
        services.add_indicator_to_form(
            acting_user=personas.manager,
            form=changed,
            indicator=note,
            valid_from=dt.date(2020, 7, 1),
        )
    services.add_indicator_to_form(
        acting_user=personas.manager, form=changed, indicator=note, valid_from=dt.date(2022, 1, 1)
    )
    enter(changed, org.c1, "2022S1", "ghi_chu", "Trở lại")
    with pytest.raises(BadInput):
        enter(changed, org.c1, "2021S2", "ghi_chu", "Chưa có")
    rows = FormIndicator.objects.filter(form=changed, indicator=note).order_by("valid_from")
    assert [(r.valid_from, r.valid_to) for r in rows] == [
        (dt.date(2019, 1, 1), REMOVED_ON),
        (dt.date(2022, 1, 1), None),
    ]


def test_it_keeps_who_changed_the_form(changed, personas):
    item = FormIndicator.objects.get(form=changed, indicator__code="ghi_chu")
    last = item.history.first()
    assert last.history_user == personas.manager and last.valid_to == REMOVED_ON


def test_it_refuses_changes_by_those_who_may_not_change_the_owner(form, personas):
    note = Indicator.objects.get(code="ghi_chu")
    for user in (personas.outsider, personas.reporter, personas.viewer):
        with pytest.raises(policy.PermissionDenied):
            services.remove_indicator_from_form(
                acting_user=user, form=form, indicator=note, on=REMOVED_ON
            )


def test_it_refuses_to_remove_an_indicator_not_in_the_form(changed, personas):
    with pytest.raises(BadInput) as caught:
        services.remove_indicator_from_form(
            acting_user=personas.manager,
            form=changed,
            indicator=Indicator.objects.get(code="ghi_chu"),
            on=dt.date(2022, 1, 1),
        )
    assert caught.value.code == "not_in_form"
    assert caught.value.message.startswith("Biểu HK không có chỉ tiêu ghi_chu")  # the API's
    assert (
        caught.value.shown
        == "Biểu “Báo cáo 6 tháng” không có chỉ tiêu “Ghi chú” từ ngày 01/01/2022."
    )
    Indicator.objects.filter(code="ghi_chu").update(name_en="Notes")
    changed.name_en = "Six-month report"
    with pytest.raises(BadInput) as caught, translation.override("en"):
        services.remove_indicator_from_form(
            acting_user=personas.manager,
            form=changed,
            indicator=Indicator.objects.get(code="ghi_chu"),
            on=dt.date(2022, 1, 1),
        )
    with translation.override("en"):
        assert caught.value.shown == (
            "The form “Six-month report” does not have the indicator “Notes” on 01/01/2022."
        )


def test_it_says_which_periods_a_form_takes_in_words(form):
    """A period of another type is refused in words: the form's name, how often it is
    reported, and the period asked for; the API's message keeps its codes."""
    with pytest.raises(BadInput) as caught:
        form.period("2020Q3")
    assert caught.value.code == "wrong_period_type"
    assert caught.value.message.startswith("Biểu HK báo cáo theo kỳ sixmonthly")
    assert (
        caught.value.shown
        == "Biểu “Báo cáo 6 tháng” báo cáo 6 tháng một lần, không nhận kỳ quý III/2020."
    )
    with translation.override("en"), pytest.raises(BadInput) as caught:
        form.period("2020Q3")
    english = caught.value.shown
    assert english.startswith("The form “Báo cáo 6 tháng” is reported every six months")
    assert "2020Q3" not in english and "sixmonthly" not in english


def test_bulk_files_follow_the_form_of_each_period(changed, org):
    """The bulk CSV exports a removed indicator only for the periods it belonged to,
    and refuses it in an import for a later period."""
    from trienkhai.reporting import bulk

    earlier = bulk.export_values(changed, "2020S1", [org.c1]).decode("utf-8-sig")
    later = bulk.export_values(changed, "2021S1", [org.c1]).decode("utf-8-sig")
    assert "ghi_chu" in earlier and "ghi_chu" not in later
    rows = "form,unit,period,indicator,option,value\nHK,C1,2021S1,ghi_chu,,Muộn\n"
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=SYSTEM, name="x.csv", data=rows.encode())
    assert caught.value.details[0]["row"] == 2
    rows = "form,unit,period,indicator,option,value\nHK,C1,2020S1,ghi_chu,,Lớp học rất tốt\n"
    assert bulk.import_values(acting_user=SYSTEM, name="x.csv", data=rows.encode()) == 1
