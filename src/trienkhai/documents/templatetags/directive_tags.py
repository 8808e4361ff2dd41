"""{{ row|days_late:today }}: days a task's answer is (or was) past its due date."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def days_late(row, today: dt.date) -> int:
    return row.days_late(today)
