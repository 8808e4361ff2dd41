"""A real gettext catalogue for a test: English entries for msgids the shipped catalogue
may not have translated yet (the lead regenerates src/trienkhai/locale at the end).

``english(tmp_path, {"Năm %(year)s": "Year %(year)s"})`` compiles a django.po with
msgfmt into a locale folder placed before the project's, and activates English: what
gettext answers inside is what the translated interface will show.
"""

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.utils import translation

PERIODS = {
    "Năm %(year)s": "Year %(year)s",
    "6 tháng đầu năm %(year)s": "First half of %(year)s",
    "6 tháng cuối năm %(year)s": "Second half of %(year)s",
    "Quý %(roman)s/%(year)s": "Q%(number)s %(year)s",
    "Tháng %(number)s/%(year)s": "%(month)s %(year)s",
}
"""English period labels, as the lead's catalogue will have them."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@contextlib.contextmanager
def english(folder: Path, entries: dict[str, str]) -> Iterator[None]:
    messages = folder / "locale" / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True, exist_ok=True)
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, msgstr in entries.items():
        lines += [f"msgid {_quote(msgid)}", f"msgstr {_quote(msgstr)}", ""]
    (messages / "django.po").write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(
        ["msgfmt", "-o", str(messages / "django.mo"), str(messages / "django.po")], check=True
    )
    # Changing LOCALE_PATHS empties Django's catalogue cache (django.test.signals), before
    # and after: the next gettext reads the folders again.
    with (
        override_settings(LOCALE_PATHS=[folder / "locale", *settings.LOCALE_PATHS]),
        translation.override("en"),
    ):
        yield
