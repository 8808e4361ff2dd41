"""The entry grid's outliers: the yardsticks in the page, the check of a typed value, the
explanation (reporting/outlier_views.py)."""

import json

from django.urls import reverse

from tests.reporting.test_outliers import HISTORY, NOW, put, steady, towns
from trienkhai.reporting.models import DataValue, Indicator, OutlierComment


def url(name, unit="C1", period=NOW, form="HK"):
    return reverse(f"reporting:{name}", args=[form, unit, period])


def check(client, value, indicator="luot_nguoi", option="", unit="C1"):
    params = {"chi_tieu": indicator, "lua_chon": option, "gia_tri": value}
    return client.get(url("check_value", unit), params)


def test_it_sends_each_cells_yardsticks_with_the_grid(form, org, cell_reporter, web):
    steady(form, org.c1)
    response = web(cell_reporter).get(url("grid"))
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('<script id="outlier-hints" type="application/json">')
    hints = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert hints["cells"]["luot_nguoi|"] == {
        "history": [165, 235],
        "bounds": None,
        "siblings": None,
        "previous": 200,
        "whole": True,  # a count: its range is shown in whole numbers
    }
    assert hints["cells"]["lop_da_mo|"]["bounds"] == [0, 50]  # the indicator's own min/max
    assert hints["text"]["times"] == "Gấp {ratio} lần kỳ trước ({previous})"
    assert hints["explain_url"] == url("explain_outlier")
    assert "reporting/outliers.js" in page


def test_it_warns_of_a_typed_value_far_from_the_history(form, org, cell_reporter, web):
    steady(form, org.c1)
    client = web(cell_reporter)
    body = check(client, "20.673").json()
    assert body["warning"] == "Gấp 103 lần kỳ trước (200)"
    assert [o["method"] for o in body["outliers"]] == ["modified_z"]
    assert check(client, "201").json() == {"warning": "", "outliers": []}
    assert check(client, "").json() == {"warning": "", "outliers": []}


def test_it_warns_in_english_for_an_english_reader(form, org, cell_reporter, web):
    steady(form, org.c1)
    client = web(cell_reporter)
    client.cookies["django_language"] = "en"
    assert check(client, "20.673").json()["warning"] == "103 times the previous period (200)"
    # One unit's report: "Unit", where the menu's tree of units says "Units".
    page = client.get(url("grid")).content.decode()
    assert "<dt>Unit</dt>" in page and ">Units</a>" in page


def test_it_answers_a_bad_check_with_a_json_4xx(form, org, cell_reporter, personas, web):
    client = web(cell_reporter)
    assert check(client, "abc").status_code == 400
    assert check(client, "1", indicator="khong_co").status_code == 400
    assert check(client, "1", option="nu").status_code == 400
    assert check(web(personas.outsider), "1").status_code == 403
    assert check(web(None), "1").status_code == 302  # to the log-in page
    assert client.post(url("check_value")).status_code == 405
    missing = client.get(url("check_value", form="NOPE"), {"chi_tieu": "luot_nguoi"})
    assert missing.status_code == 404


def explain(client, unit="C1", **body):
    payload = {"indicator": "luot_nguoi", "option": "", "comment": "Sáp nhập hai xã", **body}
    return client.post(
        url("explain_outlier", unit), data=json.dumps(payload), content_type="application/json"
    )


def test_it_keeps_an_explanation_typed_in_the_grid(form, org, cell_reporter, web):
    steady(form, org.c1)
    put(form, org.c1, NOW, "draft", luot_nguoi=200)
    client = web(cell_reporter)
    response = explain(client, value="20.673")
    assert response.status_code == 200
    assert response.json() == {
        "indicator": "luot_nguoi",
        "option": "",
        "value": 20673.0,
        "comment": "Sáp nhập hai xã",
    }
    comment = OutlierComment.objects.get()
    assert (comment.created_by, comment.value) == (cell_reporter, 20673)
    page = client.get(url("grid")).content.decode()
    assert '"explained": {"luot_nguoi|": 20673.0}' in page


def test_it_refuses_an_explanation_from_outside_or_of_nothing(
    form, org, cell_reporter, personas, web
):
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    assert explain(web(personas.outsider)).status_code == 403
    assert explain(web(personas.viewer)).status_code == 403
    assert explain(web(cell_reporter), comment="").status_code == 400
    assert explain(web(cell_reporter), unit="C2").status_code == 403
    bad = web(cell_reporter).post(
        url("explain_outlier"), data=b"[", content_type="application/json"
    )
    assert bad.status_code == 400
    assert web(cell_reporter).get(url("explain_outlier")).status_code == 405
    assert explain(web(None)).status_code == 302
    assert not OutlierComment.objects.exists()


def test_it_lists_the_reports_outliers_with_their_explanations(
    form, org, cell_reporter, personas, web
):
    steady(form, org.c1)
    steady(form, org.c1, code="lop_da_mo", value=4)
    put(form, org.c1, NOW, "submitted", luot_nguoi=20673, lop_da_mo=40)
    OutlierComment.objects.create(
        unit=org.c1,
        indicator=Indicator.objects.get(code="luot_nguoi"),
        period=NOW,
        value=20673,
        text="Sáp nhập hai xã",
        created_by=cell_reporter,
    )
    page = web(personas.manager).get(url("grid")).content.decode()
    section = page[
        page.index('id="outliers"') : page.index("</section>", page.index('id="outliers"'))
    ]
    assert "Lượt người tham gia</strong>: 20.673 — Gấp 103 lần kỳ trước (200)." in section
    assert "Giải trình: “Sáp nhập hai xã”" in section
    assert "Số lớp đã mở</strong>: 40 — Gấp 10 lần kỳ trước (4)." in section
    assert section.count("Chưa giải trình") == 1
    put(form, org.c1, NOW, "submitted", luot_nguoi=210, lop_da_mo=4)
    assert 'id="outliers"' not in web(personas.manager).get(url("grid")).content.decode()


def test_it_names_a_disaggregated_cell_by_its_option_never_its_code(
    form, org, cell_reporter, personas, web
):
    groups = Indicator.objects.get(code="luot_nguoi_doi_tuong")
    for period in HISTORY:
        DataValue.objects.create(
            unit=org.c1, period=period, indicator=groups, option="dang_vien", value_number=200
        )
        put(form, org.c1, period, "approved")
    DataValue.objects.create(
        unit=org.c1, period=NOW, indicator=groups, option="dang_vien", value_number=20673
    )
    put(form, org.c1, NOW, "submitted")
    page = web(personas.manager).get(url("grid")).content.decode()
    section = page[
        page.index('id="outliers"') : page.index("</section>", page.index('id="outliers"'))
    ]
    assert "Lượt người theo đối tượng – Đảng viên</strong>: 20.673" in section
    assert "dang_vien" not in section


def test_the_grid_and_the_review_judge_a_sent_value_against_the_same_peers(
    form, org, cell_reporter, personas, web
):
    """GIVEN three towns beside C1 that reported 100, 110 and 90 people, and C1's 5.000 sent
    WHEN the reporter reads the grid and the manager the review
    THEN both flag it against the same peers (the others, not C1's own 5.000) and write
    the same usual range in whole numbers: 49–151 (100 ± 3,5 × 14,826)."""
    for unit, value in zip(towns(org, 3, 4, 5), [100, 110, 90], strict=True):
        put(form, unit, NOW, "approved", luot_nguoi=value)
    put(form, org.c1, NOW, "submitted", luot_nguoi=5000)
    grid = web(cell_reporter).get(url("grid")).content.decode()
    start = grid.index('<script id="outlier-hints" type="application/json">')
    hints = json.loads(grid[grid.index(">", start) + 1 : grid.index("</script>", start)])
    assert hints["cells"]["luot_nguoi|"]["siblings"] == [48.109, 151.891]
    card = grid[grid.index('id="outliers"') : grid.index("</section>", grid.index('id="outliers"'))]
    assert "Khác xa các đơn vị cùng cấp (thường 49–151)" in card
    # What it was compared with, in its title: the peers, not the periods before.
    assert "Số liệu khác xa các đơn vị cùng cấp</h2>" in card
    review = web(personas.manager).get(url("review")).content.decode()
    table = review[review.index('id="review-outliers"') :]
    assert (
        '<td data-label="Giá trị">5.000</td><td data-label="Khoảng thường gặp">49 – 151</td>'
        in table
    )
    assert "69,5" not in table and "151,89" not in table


def test_the_grid_flags_before_sending_whatever_the_review_would(
    form, org, cell_reporter, personas, web
):
    """GIVEN two towns beside C1 that reported (too few peers to judge by) and C1's 1.250
    THEN the review, once it is sent, does not flag it either: C1's own value is not
    one of its peers (it used to make a third one, and a finding the grid never showed)."""
    for unit, value in zip(towns(org, 3, 4), [10, 12], strict=True):
        put(form, unit, NOW, "approved", luot_nguoi=value)
    put(form, org.c1, NOW, "draft", luot_nguoi=1250)
    assert "luot_nguoi|" not in _hints(web(cell_reporter))["cells"]
    put(form, org.c1, NOW, "submitted", luot_nguoi=1250)
    review = web(personas.manager).get(url("review")).content.decode()
    assert "Không có giá trị bất thường." in review


def _hints(client):
    page = client.get(url("grid")).content.decode()
    start = page.index('<script id="outlier-hints" type="application/json">')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
