"""Importing units from a file through the API and the web page, and who may."""

import csv
import html
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from trienkhai.orgs.models import Unit

HEADER = ["code", "name", "kind", "parent", "valid_from", "abbreviation"]


def csv_file(rows, name="don-vi.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


GOOD = [
    ["CB1", "Chi bộ Văn phòng", "party_cell", "D1", "01/01/2020", "CB"],
    ["CB2", "Chi bộ Phòng Tư pháp", "party_cell", "D1", "2020-01-01", ""],
]


def post_api(client, upload):
    return client.client.post("/api/v1/unit-imports", {"file": upload}, headers=client.headers)


def test_it_imports_a_file_through_the_api(org, personas, api):
    response = post_api(api(personas.manager), csv_file(GOOD))
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2, "codes": ["CB1", "CB2"]}
    assert Unit.objects.get(code="CB1").latest_version().parent.code == "D1"


def test_it_refuses_rows_outside_the_managers_subtree_and_imports_none(org, personas, api):
    rows = [
        *GOOD,
        ["X1", "Ngoài phạm vi", "commune", "D2", "01/01/2020", ""],
        ["R1", "Gốc", "country", "", "01/01/2020", ""],
    ]
    response = post_api(api(personas.manager), csv_file(rows))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_file"
    assert {d["row"] for d in error["details"]} == {4, 5}
    assert not Unit.objects.filter(code__in=["CB1", "CB2", "X1", "R1"]).exists()


@pytest.mark.parametrize("persona", ["reporter", "viewer", "nobody"])
def test_it_refuses_the_import_to_those_who_change_nothing(org, personas, api, persona):
    assert post_api(api(getattr(personas, persona)), csv_file(GOOD)).status_code == 403
    assert not Unit.objects.filter(code="CB1").exists()


def test_it_refuses_anonymous_imports(org, api):
    assert post_api(api(), csv_file(GOOD)).status_code == 401


def test_it_refuses_an_oversize_file(org, personas, api, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = post_api(api(personas.admin), csv_file(GOOD * 10))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_too_large"


def test_it_serves_the_template(org, personas, api):
    client = api(personas.manager)
    response = client.client.get("/api/v1/unit-imports/template", headers=client.headers)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value
    assert api(personas.viewer).get("unit-imports/template").status_code == 403


def test_it_imports_through_the_web_page(org, personas, web):
    client = web(personas.manager)
    assert client.get("/nhap-don-vi/").status_code == 200
    response = client.post("/nhap-don-vi/", {"file": csv_file(GOOD)})
    assert response.status_code == 302
    assert Unit.objects.filter(code__in=["CB1", "CB2"]).count() == 2


def test_the_web_page_offers_the_template_named_in_words(org, personas, web):
    client = web(personas.manager)
    response = client.get("/nhap-don-vi/mau.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Mau-nhap-don-vi.xlsx"'
    client.cookies["django_language"] = "en"
    english = client.get("/nhap-don-vi/mau.xlsx")
    assert english["Content-Disposition"] == 'attachment; filename="Unit-import-template.xlsx"'
    assert web(personas.viewer).get("/nhap-don-vi/mau.xlsx").status_code == 403


def test_it_lists_every_bad_row_on_the_web_page(org, personas, web):
    rows = [
        *GOOD,
        ["CB3", "Sai loại", "galaxy", "D1", "01/01/2020", ""],
        ["CB4", "Sai ngày", "party_cell", "D1", "31/02/2020", ""],
    ]
    response = web(personas.manager).post("/nhap-don-vi/", {"file": csv_file(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "galaxy" in page and "31/02/2020" in page
    assert not Unit.objects.filter(code__startswith="CB").exists()


def test_it_refuses_the_web_page_to_viewers_and_anonymous(org, personas, web):
    assert web(personas.viewer).get("/nhap-don-vi/").status_code == 403
    assert web(personas.viewer).post("/nhap-don-vi/", {"file": csv_file(GOOD)}).status_code == 403
    assert web().get("/nhap-don-vi/").status_code == 302
    assert web(personas.manager).put("/nhap-don-vi/").status_code == 405
    assert not Unit.objects.filter(code="CB1").exists()


def test_it_names_the_units_a_bad_row_meets_on_the_web_page(org, personas, web):
    """GIVEN a file whose rows reuse D1's code, hang under C1 before it existed, and under
    Huyện Cầu Kè (another district)
    WHEN a manager of Huyện Vĩnh Thuận imports it, in Vietnamese and in English
    THEN each row's problem names the unit it meets (the code typed kept in brackets),
    in the page's language only."""
    rows = [
        ["D1", "Trùng mã", "party_cell", "D1", "01/01/2020", ""],
        ["CB5", "Quá sớm", "party_cell", "C1", "01/01/2000", ""],
        ["CB6", "Ngoài phạm vi", "party_cell", "D2", "01/01/2020", ""],
    ]
    client = web(personas.manager)
    vietnamese = client.post("/nhap-don-vi/", {"file": csv_file(rows)})
    assert vietnamese.status_code == 400
    page = html.unescape(vietnamese.content.decode())
    assert "Mã D1 đã là mã của Huyện Vĩnh Thuận." in page
    assert "Đơn vị cấp trên Thị trấn Vĩnh Thuận (C1) không tồn tại vào ngày 01/01/2000." in page
    assert "Bạn không được thêm đơn vị dưới Huyện Cầu Kè (D2)." in page
    assert "<td>Cấp trên</td>" in page and " / " not in page.split("<table", 1)[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(client.post("/nhap-don-vi/", {"file": csv_file(rows)}).content.decode())
    assert "The code D1 is already Huyện Vĩnh Thuận's." in english
    assert "You may not add units under Huyện Cầu Kè (D2)." in english
    assert "<td>Parent</td>" in english and "Bạn không" not in english
    assert not Unit.objects.filter(code__in=["CB5", "CB6"]).exists()
