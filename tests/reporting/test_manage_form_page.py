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
