"""Names of data rows in the reader's language: Vietnamese, or English where the row has one."""

import datetime as dt

from trienkhai.common.language import is_english

__all__ = ["is_english", "local_name", "unit_name"]


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
