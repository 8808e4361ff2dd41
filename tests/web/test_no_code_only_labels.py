"""A code is never a label on its own: wherever a page shows an indicator's, form's or
unit's code, or a period's id, it also shows the name (issue 14: "codes only as
secondary text").

GIVEN the English-names world (tests/web/test_english_names.py): a district's form with
demo indicators, a cell's report submitted, a manager of the district, in Vietnamese
WHEN the manager opens every page of the menu, the report's pages and the form's
manage pages
THEN for every code found in a page's text the thing's name is on the page too.
"""

import re

from django.test import Client

from tests import factories as f
from tests.web.test_english_names import PERIOD, text_of, world  # noqa: F401
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Form, Indicator
from trienkhai.reporting.periods import parse


def things() -> list[tuple[str, str]]:
    """(code, name) of every indicator, form and unit, and the report's period."""
    pairs = [(i.code, i.name) for i in Indicator.objects.all()]
    pairs += [(form.code, form.name) for form in Form.objects.all()]
    for unit in Unit.objects.exclude(code="VN"):
        version = unit.versions.order_by("-valid_from").first()
        if version is not None:
            pairs.append((unit.code, version.name))
    pairs.append((PERIOD, parse(PERIOD).label()))
    return pairs


def menu_links(client: Client) -> list[str]:
    home = client.get("/", follow=True)
    nav = re.search(r'<nav aria-label="Chức năng">(.*?)</nav>', home.content.decode(), re.S)
    assert nav, "the menu is missing"
    return [*re.findall(r'href="([^"]+)"', nav.group(1)), "/tai-khoan/"]


def test_no_page_of_the_menu_names_a_thing_by_its_code_alone(world):  # noqa: F811
    client = Client()
    f.log_in(client, world["manager"])
    pages = [
        *menu_links(client),
        f"/bao-cao/BC35-6T/CB-1/{PERIOD}/",
        f"/bao-cao/BC35-6T/CB-1/{PERIOD}/xem-xet/",
        "/bao-cao/quan-tri/",
        "/bao-cao/quan-tri/bieu/BC35-6T/",
    ]
    pairs = things()
    assert len(pairs) >= 8
    alone = []
    checked = 0
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = " ".join(text_of(response).split())
        for code, name in pairs:
            if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
                checked += 1
                if " ".join(name.split()) not in text:
                    alone.append((url, code, name))
    assert checked >= 5, "the pages should show some codes, as secondary text"
    assert alone == []
