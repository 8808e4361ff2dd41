"""Names of data rows in the reader's language: Vietnamese, or English where the row has one."""

import datetime as dt

from django.utils.translation import pgettext_lazy

from trienkhai.common.language import is_english

__all__ = ["is_english", "local_measure", "local_name", "unit_name"]


def local_name(obj) -> str:
    """``obj.name_en`` when the page is in English and the row has one, else ``obj.name``.

    The one way a page names a row that has an English name: indicators,
    disaggregations and their options, forms and their sections (``title_en``), report
    templates, unit kinds, document types (``{{ obj|local_name }}`` in templates;
    decision 0034). Unit names are proper
    nouns and stay Vietnamese.
    """
    if obj is None:
        return ""
    if not hasattr(obj, "name"):  # a form's section: its title
        english, own = getattr(obj, "title_en", ""), obj.title
    else:
        english, own = getattr(obj, "name_en", ""), obj.name
    if english and is_english():
        return english
    return str(own)


def unit_name(unit, day: dt.date | None = None) -> str:
    """The unit's name on ``day`` (its latest name without a day, or when it did not exist
    then); its code only when it has no name. A proper noun: the same in both languages.

    The one way a screen or a refusal names a unit (``{{ unit|unit_name }}`` in
    templates): "Huyện ủy Vĩnh Thuận", not its code "HU-VT". One query unless the
    unit's versions were prefetched.
    """
    if unit is None:
        return ""
    versions = list(unit.versions.all())
    version = unit.version_on(day) if day else None
    version = version or (max(versions, key=lambda v: v.valid_from) if versions else None)
    return version.name if version else unit.code


_MEASURES = {
    "%": "%",
    "buổi": pgettext_lazy("đơn vị tính", "buổi"),
    "bản": pgettext_lazy("đơn vị tính", "bản"),
    "cuộc": pgettext_lazy("đơn vị tính", "cuộc"),
    "hội nghị": pgettext_lazy("đơn vị tính", "hội nghị"),
    "kiến nghị": pgettext_lazy("đơn vị tính", "kiến nghị"),
    "kênh": pgettext_lazy("đơn vị tính", "kênh"),
    "lượt": pgettext_lazy("đơn vị tính", "lượt"),
    "lớp": pgettext_lazy("đơn vị tính", "lớp"),
    "người": pgettext_lazy("đơn vị tính", "người"),
    "tin, bài": pgettext_lazy("đơn vị tính", "tin, bài"),
    "trang": pgettext_lazy("đơn vị tính", "trang"),
    "văn bản": pgettext_lazy("đơn vị tính", "văn bản"),
    "đơn vị": pgettext_lazy("đơn vị tính", "đơn vị"),
}
"""The units of measure indicators use (Indicator.unit_of_measure is a free text): the
common ones have their English; another stays as it was typed."""


def local_measure(text: str) -> str:
    """An indicator's unit of measure in the page's language: "người" reads "people" in
    English; one the catalogue does not know stays as typed."""
    known = _MEASURES.get(text.strip())
    return str(known) if known is not None and is_english() else text
