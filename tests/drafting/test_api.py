"""/api/v1/reports and /api/v1/reports/templates: the file back, errors with where, the policy."""

import pytest

from trienkhai.documents.models import Document

from .reading import docx_text, pdf_text

BODY = {"template": "so-ket-6-thang", "unit": "HUT", "period": "2020S1", "issuer": "BTGT"}


def test_it_lists_the_templates_with_their_codes(api, personas, templates):
    response = api(personas.viewer).get("reports/templates")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == {"bao-cao-nam", "so-ket-6-thang", "so-ket-nhieu-nam"}
    assert rows["so-ket-nhieu-nam"]["spans"] is True
    assert rows["so-ket-6-thang"]["period_type"] == "sixmonthly"


def test_the_template_list_refuses_anonymous_and_roleless_users(api, personas, templates):
    assert api().get("reports/templates").status_code == 401
    assert api(personas.nobody).get("reports/templates").status_code == 403


def test_it_returns_the_docx_with_the_figures(api, personas, district):
    response = api(personas.viewer).post("reports", {**BODY, "format": "docx"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # Named in words, not codes; ASCII for old clients, Vietnamese for the others.
    assert response["Content-Disposition"] == (
        'attachment; filename="du-thao_bao-cao-so-ket-6-thang-dau-nam-2020_huyen-uy-vinh-thuan'
        ".docx\"; filename*=UTF-8''D%E1%BB%B1%20th%E1%BA%A3o%20-%20B%C3%A1o%20c%C3%A1o%20s%C6%A1"
        "%20k%E1%BA%BFt%206%20th%C3%A1ng%20%C4%91%E1%BA%A7u%20n%C4%83m%202020%20-%20Huy%E1%BB%87n"
        "%20%E1%BB%A7y%20V%C4%A9nh%20Thu%E1%BA%ADn.docx"
    )
    text = docx_text(response.content)
    assert "20.673 lượt người tham gia" in text
    assert "Số      -BC/BTGHU" in text  # a draft: the number left blank
    assert not Document.objects.filter(type__code="BC").exists()  # nothing issued


def test_it_returns_the_pdf_with_vietnamese_text(api, personas, district):
    response = api(personas.manager).post("reports", {**BODY, "format": "pdf"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Nhìn chung, 2/2 chi, đảng ủy trực thuộc đã báo cáo triển khai công văn số 217" in text
    assert "Hạn chế, nguyên nhân" in text


def test_another_units_user_is_refused(api, personas, district):
    response = api(personas.outsider).post("reports", BODY)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_anonymous_is_refused_and_get_is_not_allowed(api, personas, district):
    assert api().post("reports", BODY).status_code == 401
    assert api(personas.viewer).get("reports").status_code == 405


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        ({"template": "khong-co"}, "unknown_template", "khong-co"),
        ({"unit": "NOPE"}, "unknown_unit", "NOPE"),
        ({"period": "2022S1"}, "no_data", "2022S1"),
        ({"period": "2021"}, "invalid_period", "so-ket-6-thang"),
        ({"format": "odt"}, "invalid_format", "odt"),
    ],
)
def test_bad_input_is_a_400_saying_which(api, personas, district, change, code, where):
    response = api(personas.manager).post("reports", {**BODY, **change})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert where in error["message"]


def test_an_unknown_indicator_answers_with_section_and_block(api, personas, district, templates):
    template = templates["so-ket-6-thang"]
    template.definition["sections"][1]["blocks"][0] = {"kind": "figure", "indicator": "khong_co"}
    template.save()
    response = api(personas.manager).post("reports", BODY)
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"template": "so-ket-6-thang", "section": 2, "block": 1, "indicator": "khong_co"}
    ]
