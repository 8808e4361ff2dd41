"""Numbers of the contest pages as Vietnamese write them."""

from decimal import Decimal

from django import template

from trienkhai.contests.forms import shown
from trienkhai.vn import format_number

register = template.Library()


@register.filter
def score(value) -> str:
    """A weight, a highest score or a sheet's total without trailing zeros: 6, 7,5, 540,25."""
    if value is None or value == "":
        return ""
    return shown(Decimal(str(value)))


@register.filter
def fixed(value, decimals: int = 2) -> str:
    """A float of the ranking at a fixed number of decimals (−0,25; 512,40); "—" for none."""
    if value is None:
        return "—"
    return format_number(value, int(decimals)).replace("-", "−")


@register.filter
def may_hold_contests(user) -> bool:
    """Whether the list offers "Tạo cuộc thi": whoever may change some unit (asked of
    the permission policy; the page asks again)."""
    from trienkhai.accounts import policy

    return policy.can(user, policy.Action.CHANGE)
