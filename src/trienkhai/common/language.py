"""The reader's language: Vietnamese first, English when the reader chose it."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")
