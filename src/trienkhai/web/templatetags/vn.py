"""Template filters over trienkhai.vn and the shared UI pieces.

{{ day|vn_date }}, {{ n|vn_number }}, {{ n|vn_amount }}, {{ day|vn_long_date }}, {{ when|vn_datetime }},
{{ kind|local_name }}, {{ problem|one_language }}, {{ mapping|get_item:key }},
{{ "2019..2021"|period_words }}, {{ unit|unit_name:day }}.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from trienkhai import vn
from trienkhai.common import errors
from trienkhai.web import labels

register = template.Library()


@register.filter
def vn_date(value):
    return vn.format_date(value) if value else ""


@register.filter
def vn_long_date(value):
    return vn.long_date(value) if value else ""


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    """'05/08/2021 14:30' in the installation's time zone."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{vn.format_date(value.date())} {value:%H:%M}"


@register.filter
def vn_number(value, decimals=0):
    return "" if value is None else vn.format_number(value, int(decimals))


@register.filter
def vn_amount(value) -> str:
    """A figure as it reads, with no more decimals than it has: Decimal('241.0000') →
    '241', '2.5' → '2,5'; a text that is not a number stays as it is."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    decimals = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
    return vn.format_number(number, decimals)


@register.filter
def local_measure(text: str) -> str:
    return labels.local_measure(text or "")


@register.filter
def local_name(obj) -> str:
    return labels.local_name(obj)


@register.filter
def unit_name(unit, day: dt.date | None = None) -> str:
    """The unit's name on ``day`` (its latest name without a day, or when it did not exist
    then); its code only when it has no name."""
    return labels.unit_name(unit, day)


@register.filter
def period_words(value: str) -> str:
    """'2020S1' → '6 tháng đầu năm 2020', '2019..2021' → 'Năm 2019–2021'; other text as is."""
    from trienkhai.common.errors import BadInput
    from trienkhai.reporting import periods

    try:
        return periods.span_label(periods.parse_span(value))
    except BadInput:
        return value or ""


@register.filter
def one_language(message) -> str:
    """The reader's half of a bilingual "Vietnamese / English" text (a refusal's detail)."""
    return errors.one_language(str(message)) if message else ""


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or "" when missing: for lookups a template cannot spell."""
    if not mapping:
        return ""
    return mapping.get(key, "")
