"""The page of one form under /bao-cao/quan-tri/: what it shows, in the reader's language."""

import re

from django.urls import reverse

from tests.reporting.test_manage_views import new_form
from trienkhai.reporting.models import Indicator


def test_it_names_an_assigned_kind_in_the_readers_language(org, personas, web):
    """GIVEN a form assigned to the communes one level down WHEN its page is read in
    Vietnamese, then in English THEN the kind reads "Xã", then "Commune" (its name_en)."""
    for code in ("lop_ke_hoach", "lop_da_mo"):
        Indicator.objects.create(code=code, name=code)
    client = web(personas.manager)
    data = new_form(units="", kind="commune", level="1")
    assert client.post(reverse("reporting:create_form"), data).status_code == 302
    url = reverse("reporting:form", args=["QUY"])

    def assigned(page: str) -> str:
        return re.findall(r"<tbody>(.*?)</tbody>", page, re.S)[-1]  # the units table, last

    page = client.get(url).content.decode()
    assert "Xã" in assigned(page)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(url).content.decode()
    assert "Commune" in assigned(page) and "Xã" not in assigned(page)


def test_its_title_is_the_forms_name_alone(form, personas, web):
    page = web(personas.manager).get(reverse("reporting:form", args=["HK"])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and form.name in title


def test_its_units_box_starts_from_who_reports_today(org, personas, web):
    """GIVEN a form reported by every commune one level down and by one unit picked
    WHEN its page opens THEN "Đổi đơn vị báo cáo" starts from that choice (the kind and
    level selected, the kind and the unit checked), so its count says what a change would do."""
    for code in ("lop_ke_hoach", "lop_da_mo"):
        Indicator.objects.create(code=code, name=code)
    client = web(personas.manager)
    data = new_form(units="C1", kind="commune", level="1")
    assert client.post(reverse("reporting:create_form"), data).status_code == 302
    page = client.get(reverse("reporting:form", args=["QUY"])).content.decode()
    box = page.split('action="' + reverse("reporting:change_units", args=["QUY"]), 1)[1]
    box = box.split("</form>", 1)[0]
    assert re.search(r'<input type="checkbox" name="don_vi-kind" value="commune"[^>]*checked', box)
    assert re.search(r'<option value="1"[^>]*selected', box)
    assert 'name="don_vi-units" value="C1" checked' in box


def test_it_makes_a_form_reported_by_several_kinds(org, personas, web):
    """GIVEN the town C1 and the commune C2 under D1 WHEN a form is made for both kinds,
    one level down THEN both report, and its page shows both kinds checked."""
    for code in ("lop_ke_hoach", "lop_da_mo"):
        Indicator.objects.create(code=code, name=code)
    client = web(personas.manager)
    data = new_form(units="", kind=["commune", "town"], level="1")
    assert client.post(reverse("reporting:create_form"), data).status_code == 302
    page = client.get(reverse("reporting:form", args=["QUY"])).content.decode()
    assert "2 đơn vị báo cáo" in page
    box = page.split('action="' + reverse("reporting:change_units", args=["QUY"]), 1)[1]
    for kind in ("commune", "town"):
        assert re.search(rf'name="don_vi-kind" value="{kind}"[^>]*checked', box)
