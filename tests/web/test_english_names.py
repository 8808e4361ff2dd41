"""In English, every page reachable from the menu names rows by their stored English name.

GIVEN demo-like data (the demo's indicators, audience groups and report templates, a
form with an English name, a cell's report submitted to its district), and a manager
of the district who chose English
WHEN the manager opens every page of the menu, and the report pages the list leads to
THEN no indicator, option, form, report template or unit kind shows its Vietnamese
name where an English one is stored, the English names are shown, and the screen
messages are in English only.
"""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.test import Client

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.demo.reporting import AUDIENCE, INDICATORS
from trienkhai.drafting.catalogue import load_templates
from trienkhai.drafting.models import ReportTemplate
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation, Form, Indicator
from trienkhai.reporting.periods import PeriodType, containing

PERIOD = containing(dt.date.today(), PeriodType.SIXMONTHLY).id
CODES = ("lop_boi_duong_llct", "luot_tham_gia", "luot_theo_doi_tuong", "tin_bai_chinh_thuc")
FORM_NAME = "Báo cáo 6 tháng thực hiện Nghị quyết 35-NQ/TW"
FORM_NAME_EN = "Six-month report on Resolution 35-NQ/TW"


@pytest.fixture
def world(db):
    f.ensure_standard_data()
    district = f.make_unit("HU-VT", name="Huyện ủy Vĩnh Thuận", kind_code="party_committee")
    cell = f.make_unit("CB-1", name="Chi bộ Khu phố 1", kind_code="party_cell", parent=district)
    late = f.make_unit("CB-2", name="Chi bộ Khu phố 2", kind_code="party_cell", parent=district)
    audience = Disaggregation.objects.create(
        code="doi_tuong", name="Đối tượng", name_en="Audience group"
    )
    for order, (code, name, name_en, _share) in enumerate(AUDIENCE[:3]):
        audience.options.create(code=code, name=name, name_en=name_en, sort_order=order)
    made = {}
    for code, name, name_en, value_type, aggregation, measure, formula in INDICATORS:
        if code in CODES:
            made[code] = services.create_indicator(
                acting_user=SYSTEM,
                code=code,
                name=name,
                name_en=name_en,
                value_type=value_type,
                aggregation=aggregation,
                unit_of_measure=measure,
                formula=formula,
                disaggregation=audience if code == "luot_theo_doi_tuong" else None,
            )
    form = services.create_form(
        acting_user=SYSTEM,
        code="BC35-6T",
        name=FORM_NAME,
        name_en=FORM_NAME_EN,
        owner=district,
        period_type="sixmonthly",
        indicators=[],
        sections=[("I. Học tập", list(made.values()))],
        units=[cell, late],
        valid_from=dt.date(2019, 1, 1),
        compulsory=[made["tin_bai_chinh_thuc"]],
    )
    load_templates()
    reporter = f.make_user("bcv", unit=cell, role="reporter")
    services.save_values(
        acting_user=reporter,
        form=form,
        unit=cell,
        period_id=PERIOD,
        cells=[
            services.CellInput(indicator="lop_boi_duong_llct", value="2"),
            services.CellInput(indicator="tin_bai_chinh_thuc", value="12"),
        ],
    )
    services.submit(acting_user=reporter, form=form, unit=cell, period_id=PERIOD)
    manager = f.make_user("quanly", unit=district, role="manager")
    return {
        "form": form,
        "manager": manager,
        "late": f.make_user("bcv2", unit=late, role="reporter"),
    }


def english_client(user) -> Client:
    client = Client()
    f.log_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def named() -> list[tuple[str, str]]:
    """(Vietnamese, English) of every stored row that has an English name."""
    rows = [
        *Indicator.objects.all(),
        *Form.objects.all(),
        *Disaggregation.objects.all(),
        *ReportTemplate.objects.all(),
    ]
    for group in Disaggregation.objects.all():
        rows.extend(group.options.all())
    return [(row.name, row.name_en) for row in rows if row.name_en]


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities read."""
    body = response.content.decode()
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def menu_links(client: Client) -> list[str]:
    home = client.get("/", follow=True)
    nav = re.search(r'<nav aria-label="Main menu">(.*?)</nav>', home.content.decode(), re.S)
    assert nav, "the menu is missing"
    links = re.findall(r'href="([^"]+)"', nav.group(1))
    return [*links, "/tai-khoan/"]


def test_it_shows_english_names_on_every_page_of_the_menu(world):
    client = english_client(world["manager"])
    pages = [
        *menu_links(client),
        f"/bao-cao/BC35-6T/CB-1/{PERIOD}/",
        f"/bao-cao/BC35-6T/CB-1/{PERIOD}/xem-xet/",
    ]
    assert len(pages) >= 7
    pairs = named()
    assert len(pairs) >= 10
    kinds = {k.name: k.name_en for k in UnitKind.objects.all() if k.name_en}
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = text_of(response)
        for vietnamese, english in pairs:
            assert vietnamese not in text, (url, vietnamese, english)
        for vietnamese in kinds:
            assert not re.search(rf">\s*{re.escape(vietnamese)}\s*<", response.content.decode())


def test_the_manage_pages_are_headed_by_english_names(world):
    """The pages of a form, an indicator and a breakdown in Quản trị báo cáo: their
    heading and the page's title name the row in English."""
    admin = f.make_user("quantri", unit=f.root(), role="admin")
    client = english_client(admin)
    for url, english in (
        ("/bao-cao/quan-tri/bieu/BC35-6T/", FORM_NAME_EN),
        (f"/bao-cao/quan-tri/bieu/BC35-6T/xem-truoc/?ky={PERIOD}", FORM_NAME_EN),
        ("/bao-cao/quan-tri/chi-tieu/lop_boi_duong_llct/", "Political theory training classes"),
        ("/bao-cao/quan-tri/phan-to/doi_tuong/", "Audience group"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        heading = re.search(r"<h1>(.*?)</h1>", page.content.decode(), re.S)
        title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S)
        assert heading and english in html.unescape(heading.group(1)), (url, heading)
        assert title and english in html.unescape(title.group(1)), (url, title)


def test_it_shows_the_english_names_on_the_report_pages(world):
    client = english_client(world["manager"])
    listed = text_of(client.get("/bao-cao/"))
    assert FORM_NAME_EN in listed
    grid = text_of(client.get(f"/bao-cao/BC35-6T/CB-1/{PERIOD}/"))
    assert "(người)" not in grid and "(lớp)" not in grid  # units of measure too
    for english in (
        FORM_NAME_EN,
        "(classes)",
        "Political theory training classes held",
        "Participant-attendances by audience",
        "Officials",
        "Party members",
    ):
        assert english in grid
    drafting = text_of(client.get("/soan-bao-cao/"))
    assert "Six-month interim report" in drafting
    assert "so-ket-6-thang" not in drafting


def test_a_section_is_headed_by_its_english_title(world):
    """GIVEN the form's section "I. Học tập" WHEN its manager gives it an English title
    on the form's page THEN English pages head the section with it; Vietnamese ones keep
    the Vietnamese title."""
    admin = f.make_user("qtv", unit=f.root(), role="admin")
    section = world["form"].sections.get()
    client = Client()
    f.log_in(client, admin)
    saved = client.post(
        f"/bao-cao/quan-tri/bieu/BC35-6T/phan/{section.pk}/",
        {
            f"phan_{section.pk}-title": "I. Học tập",
            f"phan_{section.pk}-title_en": "I. Study",
            f"phan_{section.pk}-order": "1",
            "luu": "",
        },
    )
    assert saved.status_code == 302
    section.refresh_from_db()
    assert section.title_en == "I. Study"
    english = english_client(world["manager"])
    grid = text_of(english.get(f"/bao-cao/BC35-6T/CB-1/{PERIOD}/"))
    assert "I. Study" in grid and "I. Học tập" not in grid
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = text_of(client.get("/bao-cao/quan-tri/bieu/BC35-6T/"))
    assert "I. Học tập" in page


def test_it_refuses_in_english_only_on_the_screen(world):
    """GIVEN a compulsory cell left empty WHEN the reporter submits, and asks for a form
    that does not exist THEN the pages say why in English only, the cell by its name."""
    client = english_client(world["late"])
    nothing = client.post(f"/bao-cao/BC35-6T/CB-2/{PERIOD}/gui/")
    assert nothing.status_code == 400
    assert "The report has no figures yet" in text_of(nothing)
    services.save_values(
        acting_user=world["late"],
        form=world["form"],
        unit=Unit.objects.get(code="CB-2"),
        period_id=PERIOD,
        cells=[services.CellInput(indicator="lop_boi_duong_llct", value="1")],
    )
    refused = client.post(f"/bao-cao/BC35-6T/CB-2/{PERIOD}/gui/", {"xac_nhan": "1"})
    assert refused.status_code == 400
    box = re.search(
        r'<div class="errors"[^>]*id="action-error">(.*?)</div>', refused.content.decode(), re.S
    )
    assert box
    error = html.unescape(re.sub(r"<[^>]+>", " ", box.group(1)))
    assert "1 compulsory cell is empty: Posts on official pages" in error
    assert " / " not in error and "bắt buộc" not in error
    missing = client.get(f"/bao-cao/NOPE/CB-2/{PERIOD}/")
    assert missing.status_code == 404
    assert "Form not found: NOPE" in text_of(missing)
    assert "Không tìm thấy" not in text_of(missing)
