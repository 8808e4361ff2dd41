"""The user guide stays true: its pictures are the ones the browser tests take
(``shot(..., guide="name")``, written by ``make guide``) and the pages it names exist."""

import re
from pathlib import Path

from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"


def _text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(GUIDE.glob("*.md")))


def _taken() -> set[str]:
    found = set()
    for test in (ROOT / "tests" / "browser").glob("test_*.py"):
        found |= set(re.findall(r'guide="([a-z0-9-]+)"', test.read_text(encoding="utf-8")))
    return found


def test_every_picture_is_taken_by_a_test_and_committed():
    shown = set(re.findall(r"\(img/([a-z0-9-]+)\.png\)", _text()))
    assert len(shown) >= 10
    assert shown - _taken() == set(), "pictures no browser test takes"
    missing = {name for name in shown if not (GUIDE / "img" / f"{name}.png").is_file()}
    assert missing == set(), f"run `make guide`: {sorted(missing)}"


def test_every_page_it_names_exists():
    pages = set(re.findall(r"`(/[a-z0-9\-/]*/)`", _text()))
    assert pages
    broken = []
    for page in sorted(pages):
        try:
            resolve(page)
        except Resolver404:
            broken.append(page)
    assert broken == []


def test_it_says_how_connected_sites_count():
    """Decision 0046: a head count at a connected site is an attendance of the organiser's,
    never a person; the guide says so in both languages."""
    vietnamese, english = _text().split("## English")
    assert "**Hội nghị trực tuyến và điểm cầu.**" in vietnamese
    assert "không tính vào **số người**" in vietnamese
    assert "**Online conferences and connected sites**" in english
    assert "never in **people**" in english
