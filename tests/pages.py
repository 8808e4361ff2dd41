"""What a page says, for assertions about words and codes.

A page's HTML holds random text besides what it shows: every form carries a fresh CSRF
token of 64 letters and digits, so a short code ("C1", "X00") is in the raw HTML now and
then by chance. Assertions that a code is absent, or comes before another, read the text
shown instead: tags and their attributes dropped.
"""

import html
import re


def main_text(response) -> str:
    """What <main> says, tags dropped and spaces collapsed."""
    found = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)
    assert found, response.content[:300]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
