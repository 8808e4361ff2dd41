"""The README tells the truth: every public endpoint of /api/v1 is in its tables, and every
page path it names exists (issue 14: "every URL in the README works")."""

import re
from pathlib import Path

from django.urls import Resolver404, resolve

from trienkhai.api import api

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
_PARAM = re.compile(r"\{[^}]+\}")


def _named_paths() -> set[str]:
    """The paths in the README's code spans, /api/v1 left out and {parameters} alike."""
    found = re.findall(r"`(?:(?:GET|POST|PATCH|DELETE|PUT),?\s*)*(/[^`\s?]*)", README)
    return {_PARAM.sub("{}", p.removeprefix("/api/v1")) for p in found}


def test_it_names_every_public_endpoint_of_the_api():
    schema = api.get_openapi_schema(path_prefix="")
    public = {_PARAM.sub("{}", p.removeprefix("/api/v1")) for p in schema["paths"]}
    missing = sorted(public - _named_paths())
    assert missing == [], f"README's API tables leave out {missing}"


def test_every_page_it_names_exists():
    pages = {
        p
        for p in re.findall(r"`(/[a-z0-9\-/]*/)`", README)
        + re.findall(r"\((/[a-z0-9\-/]*/)\)", README)
        if not p.startswith(("/api/", "/dhis2/"))
    }
    assert pages, "the README names pages"
    broken = []
    for page in sorted(pages):
        try:
            resolve(page)
        except Resolver404:
            broken.append(page)
    assert broken == [], f"README names pages that do not exist: {broken}"
