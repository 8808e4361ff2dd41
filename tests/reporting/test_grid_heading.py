"""The entry grid's heading (names first, codes in small print after) and its help (keys
on a screen, touch on a phone)."""

import re

from django.urls import reverse

from tests.reporting.test_grid_cells import PERIOD, page_of


def test_it_heads_the_grid_with_names_and_keeps_the_codes_small(activity_form, cell_reporter, web):
    page = page_of(web(cell_reporter))
    assert "<h1>Báo cáo hoạt động 6 tháng</h1>" in page
    assert 'class="tag"' not in page and "<code>C1</code>" not in page
    assert "<dd>Thị trấn Vĩnh Thuận</dd>" in page
    assert re.search(r'id="grid-codes">Mã biểu HD · mã đơn vị C1 · mã kỳ 2021S1<', page)
    client = web(cell_reporter)
    client.cookies["django_language"] = "en"
    page = page_of(client)
    assert "<h1>Half-year activity report</h1>" in page
    assert re.search(r'id="grid-codes">Form code HD · unit code C1 · period code 2021S1<', page)


def test_it_gives_keyboard_help_and_phone_help_without_compulsory_cells(
    activity_form, cell_reporter, personas, web
):
    page = page_of(web(cell_reporter))
    assert "Ô bắt buộc: phải nhập" not in page  # the form has no compulsory cell
    assert 'id="keys-keyboard"' in page and "Enter xuống dòng" in page
    touch = re.search(r'id="keys-touch">([^<]*)<', page)
    assert touch and "Chạm vào ô" in touch.group(1)
    assert not re.search(r"Enter|Tab|Alt\+|mũi tên", touch.group(1))
    assert 'id="keys-touch"' not in page_of(web(personas.viewer))


def test_it_heads_many_units_entry_the_same_way(activity_form, personas, web):
    response = web(personas.manager).get(reverse("reporting:multi", args=["HD", PERIOD]))
    text = response.content.decode()
    assert "<h1>Báo cáo hoạt động 6 tháng · 6 tháng đầu năm 2021</h1>" in text
    assert '<p class="grid-codes">Mã biểu HD · mã kỳ 2021S1</p>' in text
    assert (
        web(personas.outsider).get(reverse("reporting:multi", args=["HD", PERIOD])).status_code
        == 403
    )
