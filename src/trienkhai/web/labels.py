"""Names of data rows in the reader's language: Vietnamese, or English where the row has one."""

from trienkhai.common.language import is_english

__all__ = ["is_english", "local_name"]


def local_name(obj) -> str:
    """``obj.name_en`` when the page is in English and the row has one, else ``obj.name``.

    The one way a page names a row that has an English name: indicators,
    disaggregations and their options, forms, report templates, unit kinds, document
    types (``{{ obj|local_name }}`` in templates; decision 0034). Unit names are proper
    nouns and stay Vietnamese.
    """
    if obj is None:
        return ""
    english: str = getattr(obj, "name_en", "") or ""
    if english and is_english():
        return english
    return str(obj.name)
