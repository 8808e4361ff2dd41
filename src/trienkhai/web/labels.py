"""Names of data rows in the reader's language: Vietnamese, or English where the row has one."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def local_name(obj) -> str:
    """``obj.name_en`` when the page is in English and the row has one, else ``obj.name``.

    Unit kinds carry both names; unit names are proper nouns and stay Vietnamese.
    """
    if obj is None:
        return ""
    english: str = getattr(obj, "name_en", "") or ""
    if english and is_english():
        return english
    return str(obj.name)
