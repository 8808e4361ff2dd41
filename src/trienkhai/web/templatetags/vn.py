"""Template filters over trienkhai.vn: {{ day|vn_date }}, {{ n|vn_number }}, {{ day|vn_long_date }}."""

from django import template

from trienkhai import vn

register = template.Library()


@register.filter
def vn_date(value):
    return vn.format_date(value) if value else ""


@register.filter
def vn_long_date(value):
    return vn.long_date(value) if value else ""


@register.filter
def vn_number(value, decimals=0):
    return "" if value is None else vn.format_number(value, int(decimals))
