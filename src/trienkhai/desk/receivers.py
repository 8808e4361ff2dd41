"""The header's desk count of whoever acts on a report is forgotten, so that it is not
shown stale on the page the act leads to (desk.context); the desk recomputes it."""

from django.core.cache import cache
from django.dispatch import receiver

from trienkhai.desk import context
from trienkhai.reporting import signals as reporting


@receiver(reporting.report_submitted)
@receiver(reporting.report_approved)
@receiver(reporting.report_returned)
def forget_count(sender, acting_user, **kwargs) -> None:
    if getattr(acting_user, "is_authenticated", False):
        cache.delete(context.key(acting_user))
