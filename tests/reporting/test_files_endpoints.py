"""The .xlsx and bulk endpoints, web and API, with the forbidden cases."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import SYSTEM
from trienkhai.reporting import excel, services
from trienkhai.reporting.models import DataValue
from trienkhai.reporting.services import CellInput

PERIOD = "2020S1"
XLSX_URL = f"/bao-cao/HK/C1/{PERIOD}/excel/"
UPLOAD_URL = f"/bao-cao/HK/C1/{PERIOD}/excel/tai-len/"
VALUES_URL = f"/du-lieu/HK/{PERIOD}/"


def filled_workbook(data: bytes, value=7) -> SimpleUploadedFile:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[excel.DATA_SHEET]
    row = next(
        r
        for r in range(excel.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 2).value == "Số lớp đã mở"
    )
    sheet.cell(row, 4).value = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("bieu.xlsx", out.getvalue())


def csv_upload(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["form", "unit", "period", "indicator", "option", "value"])
    writer.writerows(rows)
    return SimpleUploadedFile("so-lieu.csv", out.getvalue().encode())


def held(unit):
    found = DataValue.objects.filter(unit=unit, period=PERIOD, indicator__code="lop_da_mo").first()
    return found.value if found else None


# Web -----------------------------------------------------------------------------------


def test_it_round_trips_the_workbook_through_the_web(form, org, cell_reporter, web):
    client = web(cell_reporter)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="Bao-cao-6-thang-Thi-tran-Vinh-Thuan-6-thang-dau-nam-2020.xlsx"'
    )
    assert client.get(UPLOAD_URL).status_code == 200
    response = client.post(UPLOAD_URL, {"file": filled_workbook(response.content)})
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/HK/C1/{PERIOD}/"
    assert held(org.c1) == 7


def test_it_lists_bad_cells_on_the_page_and_saves_nothing(form, org, cell_reporter, web):
    client = web(cell_reporter)
    data = client.get(XLSX_URL).content
    response = client.post(UPLOAD_URL, {"file": filled_workbook(data, "bảy")})
    assert response.status_code == 400
    page = response.content.decode()
    # The cell, the indicator by its name, the problem in Vietnamese only.
    row = page.split('class="problems"', 1)[1].split("</table>", 1)[0]
    assert "Số lớp đã mở" in row and "lop_da_mo" not in row
    assert "Thị trấn Vĩnh Thuận" in page and " / " not in row
    assert held(org.c1) is None


def test_it_refuses_a_workbook_for_another_unit(form, org, personas, web):
    client = web(personas.manager)
    data = client.get(f"/bao-cao/HK/C2/{PERIOD}/excel/").content
    response = client.post(UPLOAD_URL, {"file": filled_workbook(data)})
    assert response.status_code == 400
    assert held(org.c1) is None and held(org.c2) is None


def test_it_refuses_an_upload_to_a_locked_report(form, org, cell_reporter, web):
    client = web(cell_reporter)
    data = client.get(XLSX_URL).content
    services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id=PERIOD)
    response = client.post(UPLOAD_URL, {"file": filled_workbook(data)})
    assert response.status_code == 409
    assert held(org.c1) is None


@pytest.mark.parametrize("persona", ["viewer", "outsider", "nobody"])
def test_it_refuses_the_workbook_to_those_who_may_not_enter_data(form, personas, web, persona):
    client = web(getattr(personas, persona))
    assert client.get(XLSX_URL).status_code == 403
    assert client.get(UPLOAD_URL).status_code == 403


def test_it_sends_anonymous_readers_to_log_in(form, web):
    for url in (XLSX_URL, UPLOAD_URL, VALUES_URL):
        response = web().get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_it_refuses_wrong_methods(form, cell_reporter, web):
    assert web(cell_reporter).post(XLSX_URL).status_code == 405
    assert web(cell_reporter).put(UPLOAD_URL).status_code == 405


def test_it_refuses_an_oversize_upload_on_the_page(form, org, cell_reporter, web, settings):
    client = web(cell_reporter)
    data = client.get(XLSX_URL).content
    settings.UPLOAD_MAX_BYTES = 100
    response = client.post(UPLOAD_URL, {"file": filled_workbook(data)})
    assert response.status_code == 400
    assert held(org.c1) is None


def test_it_exports_and_imports_bulk_values_on_the_page(form, org, personas, web):
    client = web(personas.manager)
    assert client.get(VALUES_URL).status_code == 200
    response = client.post(
        VALUES_URL, {"file": csv_upload([["HK", "C2", PERIOD, "lop_da_mo", "", "4"]])}
    )
    assert response.status_code == 302
    assert held(org.c2) == 4
    exported = client.get(VALUES_URL, {"format": "csv"})
    assert exported.status_code == 200
    assert "HK,C2,2020S1,lop_da_mo,,4" in exported.content.decode("utf-8-sig")
    assert exported["Content-Disposition"] == (
        'attachment; filename="So-lieu-Bao-cao-6-thang-6-thang-dau-nam-2020.csv"'
    )
    response = client.get(VALUES_URL, {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('6-thang-dau-nam-2020.xlsx"')
    assert openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].cell(2, 6).value == 4


def test_it_names_the_bad_row_of_a_bulk_file_on_the_page(form, org, cell_reporter, web):
    rows = [["HK", "C1", PERIOD, "lop_da_mo", "", "4"], ["HK", "C2", PERIOD, "lop_da_mo", "", "5"]]
    response = web(cell_reporter).post(VALUES_URL, {"file": csv_upload(rows)})
    assert response.status_code == 400
    assert "<td>3</td>" in response.content.decode()
    assert held(org.c1) is None


def test_the_bulk_page_exports_nothing_beyond_the_readers_units(form, org, personas, web):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("lop_da_mo", 2)],
    )
    response = web(personas.outsider).get(VALUES_URL, {"format": "csv"})
    assert response.status_code == 200
    assert "C1" not in response.content.decode("utf-8-sig")


# API -----------------------------------------------------------------------------------


def api_upload(client, url, upload):
    return client.client.post(f"/api/v1/{url}", {"file": upload}, headers=client.headers)


def api_download(client, url):
    return client.client.get(f"/api/v1/{url}", headers=client.headers)


FORM_API = f"forms/HK/xlsx?unit=C1&period={PERIOD}"


def test_it_round_trips_the_workbook_through_the_api(form, org, cell_reporter, api):
    client = api(cell_reporter)
    response = api_download(client, FORM_API)
    assert response.status_code == 200
    response = api_upload(client, FORM_API, filled_workbook(response.content, 9))
    assert response.status_code == 200, response.content
    assert response.json()["saved"] == 1
    assert held(org.c1) == 9


def test_the_api_names_each_bad_cell(form, org, cell_reporter, api):
    client = api(cell_reporter)
    data = api_download(client, FORM_API).content
    response = api_upload(client, FORM_API, filled_workbook(data, 2.5))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_workbook"
    assert error["details"][0]["indicator"] == "lop_da_mo"
    assert error["details"][0]["cell"].startswith("D")


def test_the_api_refuses_a_renamed_file_and_an_oversize_one(
    form, org, cell_reporter, api, settings
):
    client = api(cell_reporter)
    fake = SimpleUploadedFile("bieu.xlsx", b"form,unit\nHK,C1\n")
    response = api_upload(client, FORM_API, fake)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "wrong_content")
    data = api_download(client, FORM_API).content
    settings.UPLOAD_MAX_BYTES = 100
    response = api_upload(client, FORM_API, filled_workbook(data))
    assert (response.status_code, response.json()["error"]["code"]) == (400, "file_too_large")
    assert held(org.c1) is None


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_the_api_refuses_the_workbook_to_those_who_may_not_enter_data(
    form, org, personas, cell_reporter, api, persona
):
    data = api_download(api(cell_reporter), FORM_API).content
    client = api(getattr(personas, persona))
    assert api_download(client, FORM_API).status_code == 403
    assert api_upload(client, FORM_API, filled_workbook(data)).status_code == 403
    assert held(org.c1) is None


def test_the_api_refuses_anonymous_clients(form, api):
    assert api_download(api(), FORM_API).status_code == 401
    assert (
        api_download(api(), f"datavalues/export?form=HK&period={PERIOD}&unit=D1").status_code == 401
    )
    assert api_upload(api(), "datavalues/import", csv_upload([])).status_code == 401


def test_the_api_imports_and_exports_bulk_values(form, org, personas, api):
    client = api(personas.manager)
    rows = [
        ["HK", "C1", PERIOD, "lop_da_mo", "", "3"],
        ["HK", "C2", PERIOD, "lop_da_mo", "", "20.673"],
    ]
    response = api_upload(client, "datavalues/import", csv_upload(rows))
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 2}
    response = api_download(client, f"datavalues/export?form=HK&period={PERIOD}&unit=D1&format=csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["HK,C1,2020S1,lop_da_mo,,3,", "HK,C2,2020S1,lop_da_mo,,20673,"]
    response = api_download(
        client, f"datavalues/export?form=HK&period={PERIOD}&unit=C2&format=xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [sheet.cell(2, c).value for c in (2, 6)] == ["C2", 20673]
    bad = api_download(client, f"datavalues/export?form=HK&period={PERIOD}&unit=D1&format=pdf")
    assert bad.status_code == 400


def test_the_api_import_names_rows_outside_the_users_scope(form, org, cell_reporter, api):
    rows = [["HK", "C1", PERIOD, "lop_da_mo", "", "3"], ["HK", "C2", PERIOD, "lop_da_mo", "", "4"]]
    response = api_upload(api(cell_reporter), "datavalues/import", csv_upload(rows))
    assert response.status_code == 400
    assert [d["row"] for d in response.json()["error"]["details"]] == [3]
    assert held(org.c1) is None


def test_the_api_refuses_bulk_import_to_viewers(form, org, personas, api):
    rows = [["HK", "C1", PERIOD, "lop_da_mo", "", "3"]]
    assert (
        api_upload(api(personas.viewer), "datavalues/import", csv_upload(rows)).status_code == 403
    )
    assert held(org.c1) is None
