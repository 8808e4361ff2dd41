"""Words of the commendation pages in the reader's language:
{{ nomination.kind|kind_name }}, {{ nomination.status|status_word }},
{{ nomination.status|status_class }}."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trienkhai.web.labels import is_english

register = template.Library()

STATUS_WORDS = {
    "submitted": _("Đã trình"),
    "returned": _("Trả lại để bổ sung"),
    "resubmitted": _("Đã trình lại"),
    "accepted": _("Đã đồng ý, chờ quyết định"),
    "refused": pgettext_lazy("a nomination's status", "Không đồng ý"),
    "awarded": _("Đã khen thưởng"),
}
STATUS_CLASSES = {
    "submitted": "status-submitted",
    "resubmitted": "status-submitted",
    "returned": "status-returned",
    "refused": "status-overdue",
    "accepted": "status-due_soon",
    "awarded": "status-approved",
}


@register.filter
def kind_name(kind) -> str:
    return kind.name_en if is_english() and kind.name_en else kind.name


@register.filter
def status_word(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "")
