"""The web shell: log-in for every page, the language switch and catalogues, error pages."""

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.orgs import services
from trienkhai.web.forms import VnDateField

LOCALE = Path(settings.BASE_DIR) / "locale"
OPEN_TO_ANONYMOUS = {
    "dang-nhap/",
    "i18n/setlang/",
    "admin/login/",
    "thong-bao/huy-nhan/D1/",
    "xac-minh/",
    "xac-minh/D1/",
    "diem-danh/",
    "diem-danh/D1/",
    "diem-danh/D1/don-vi/",
}
"""The log-in pages (ours and the admin's), the language switch the log-in page carries,
the unsubscribe link of the e-mails (its signed token is the permission: decision
0037; tests/notifications/test_choices.py), and the certificates' verification page
(its unguessable code is the permission: decision 0044;
tests/activities/test_certificate_views.py), and a participant's check-in with a session's
code and the search of its units (the organiser's leave: decision 0045;
tests/activities/test_checkin_views.py)."""


def text(response) -> str:
    return response.content.decode()


def _sample(match: re.Match) -> str:
    converter = match.group(1) or "str"
    return "1" if converter == "int" else "D1"


def _regex_sample(regex: str) -> str:
    """A path a regex pattern matches: a group's first alternative, or "1"."""
    regex = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def group(m: re.Match) -> str:
        body = m.group(1)
        return body.split("|")[0] if "|" in body else "1"

    return re.sub(r"\((?:\?P<\w+>)?([^)]*)\)", group, regex)


def every_path(resolver=None, prefix=""):
    """Each URL pattern of the project as a concrete path, with sample arguments."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            part = _regex_sample(route)
        else:
            part = re.sub(r"<(?:(\w+):)?\w+>", _sample, route)
        if isinstance(pattern, URLResolver):
            yield from every_path(pattern, prefix + part)
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + part


def test_it_redirects_anonymous_users_to_log_in_from_every_page(org, web):
    """GIVEN every URL pattern of the project (the API answers 401 JSON instead, and the
    Django admin sends to its own log-in page), WHEN an anonymous user asks for it,
    THEN they are sent to a log-in page."""
    client = web()
    paths = [p for p in every_path() if not p.startswith(("api/", "dhis2/api/"))]
    assert len(paths) > 10
    checked = 0
    for path in paths:
        if path in OPEN_TO_ANONYMOUS:
            continue
        response = client.get(f"/{path}", follow=True)
        if response.status_code == 405:
            response = client.post(f"/{path}", follow=True)
        assert response.redirect_chain, path
        login = reverse("admin:login") if path.startswith("admin/") else reverse("login")
        assert response.request["PATH_INFO"] == login, path
        assert response.status_code == 200, path
        checked += 1
    assert checked >= 10


def test_it_serves_the_log_in_page_and_static_files_to_anonymous_users(web):
    client = web()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in text(page) and "autofocus" in text(page)
    assert client.get("/static/web/site.css").status_code == 200


def test_it_logs_in_through_the_form_and_returns_to_the_page_asked_for(personas, web):
    client = web()
    response = client.get(reverse("orgs:unit", args=["D1"]))
    response = client.post(
        response.url, {"username": "manager", "password": f.PASSWORD, "next": "/don-vi/D1/"}
    )
    assert response.status_code == 302
    assert response.url == "/don-vi/D1/"
    assert "Huyện Vĩnh Thuận" in text(client.get(response.url))


def test_it_refuses_a_wrong_password_clearly(personas, web):
    response = web().post(reverse("login"), {"username": "manager", "password": "sai"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in text(response)


def test_it_sends_the_home_page_to_the_desk(personas, web):
    assert web(personas.viewer).get("/").url == reverse("desk:desk")


# Languages ------------------------------------------------------------------------------


def test_it_speaks_vietnamese_first(personas, web):
    page = text(web(personas.manager).get(reverse("orgs:unit", args=["D1"])))
    assert '<html lang="vi">' in page
    assert "Đơn vị trực thuộc ngày" in page
    assert "Thành lập" in page
    assert "Thành lập / created" not in page  # the bilingual label shows its Vietnamese half
    assert ">English</button>" in page


def test_it_switches_to_english_and_back(personas, web, org):
    n1 = f.make_unit("N1", name="Xã Vĩnh Thuận Mới", parent=org.d1, valid_from=dt.date(2025, 7, 1))
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n1, on=dt.date(2025, 7, 1))
    client = web(personas.manager)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/don-vi/C1/"})
    assert response.status_code == 302
    page = text(client.get(response.url))
    assert '<html lang="en">' in page
    assert "This unit ended on 01/07/2025" in page  # dates stay dd/mm/yyyy
    assert "Today these units carry it on:" in page
    assert "Merged" in page and "Established" in page  # choice labels, English half only
    assert "Township" in page  # the kind's English name
    assert "Thị trấn Vĩnh Thuận" in page  # names of units are not translated
    assert "Units" in text(client.get(reverse("orgs:tree")))
    form_page = text(client.get(reverse("orgs:create", args=["D1"])))
    assert "Established on" in form_page and "Commune" in form_page
    roles = text(client.get(reverse("accounts:roles", args=["D1"])))
    assert "Reporter" in roles and "Báo cáo viên" not in roles
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đơn vị đã chấm dứt" in text(client.get("/don-vi/C1/"))


def test_it_lets_anonymous_users_switch_language_on_the_log_in_page(web):
    client = web()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = text(client.get(reverse("login")))
    assert "Log in" in page and "Password" in page


@pytest.mark.parametrize("language", ["en", "vi"])
def test_it_ships_compiled_catalogues_that_match_their_sources(language):
    """Every English entry is translated, none is fuzzy, and the committed .mo says the
    same as the .po (CI does not compile them)."""
    folder = LOCALE / language / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    entries = _po_entries(source)
    assert entries
    assert "#, fuzzy" not in source
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for msgid, msgstr in entries.items():
        if language == "en":
            assert msgstr, f"untranslated: {msgid!r}"
        if msgstr and isinstance(msgstr, str):
            assert catalogue.gettext(msgid) == msgstr, msgid


def _po_entries(source: str) -> dict:
    def unquote(lines: str) -> str:
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
        return "".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape")

    entries: dict = {}
    for block in source.split("\n\n"):
        block = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        match = re.match(r'msgid ((?:".*"\n?)+)(msgid_plural ((?:".*"\n?)+))?', block)
        if not match or not unquote(match.group(1)):
            continue
        msgid = unquote(match.group(1))
        if match.group(2):
            entries[msgid] = tuple(unquote(m) for m in re.findall(r"msgstr\[\d\] (.*)", block))
        else:
            entries[msgid] = unquote(block.split("msgstr ", 1)[1])
    return entries


VIETNAMESE_FIRST = [
    "trienkhai.web.middleware.VietnameseFirstLocaleMiddleware"
    if name == "django.middleware.locale.LocaleMiddleware"
    else name
    for name in settings.MIDDLEWARE
]


@override_settings(MIDDLEWARE=VIETNAMESE_FIRST)
def test_it_can_ignore_an_english_browser_until_the_reader_chooses_english(personas, web):
    client = web(personas.viewer)
    page = text(client.get(reverse("orgs:tree"), headers={"accept-language": "en-US,en;q=0.9"}))
    assert '<html lang="vi">' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in text(client.get(reverse("orgs:tree")))


# Error pages and shared pieces ----------------------------------------------------------


def test_it_explains_a_refusal_in_a_readable_page(personas, web):
    response = web(personas.outsider).get(reverse("orgs:unit", args=["D1"]))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in text(response)
    assert 'href="/"' in text(response)


def test_it_explains_a_missing_page(personas, web):
    response = web(personas.viewer).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)


class DateForm(forms.Form):
    day = VnDateField()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("01/07/2025", dt.date(2025, 7, 1)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("01.07.2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),
    ],
)
def test_it_reads_dates_as_vietnamese_users_type_them(typed, day):
    form = DateForm({"day": typed})
    assert form.is_valid()
    assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("typed", ["07/01", "31/02/2025", "mai", "2025/07/01"])
def test_it_refuses_other_dates_with_a_clear_message(typed):
    form = DateForm({"day": typed})
    assert not form.is_valid()
    assert "dd/mm/yyyy" in form.errors["day"][0]


def test_it_shows_dates_as_dd_mm_yyyy_in_forms():
    assert 'value="05/08/2021"' in str(DateForm(initial={"day": dt.date(2021, 8, 5)})["day"])
