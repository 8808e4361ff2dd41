"""{{ value|figure }}: a figure as the analytics pages write it ('20.673', '12,5', '')."""

from django import template

from trienkhai.analytics.charts import display

register = template.Library()


@register.filter
def figure(value) -> str:
    return display(value)
