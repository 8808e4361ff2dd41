"""What keeps the rollups in step: saved values, and changes of the hierarchy.

Connected in ``AnalyticsConfig.ready``. The values receiver runs inside the write
transaction (a failure rolls the save back, so totals never drift from the values);
the hierarchy receivers only leave a ``StaleMark``, folded into the closure and the
totals by ``rebuild.refresh`` after the commit (reads answer from the values meanwhile).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from trienkhai.analytics import live, rebuild
from trienkhai.analytics.models import StaleMark
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting.signals import rule_changed, values_changed


def on_values_changed(sender, changes, **kwargs) -> None:
    live.apply(changes)


def on_rule_changed(sender, indicator, **kwargs) -> None:
    rebuild.rebuild_indicator(indicator)


def _mark(day) -> None:
    """The hierarchy changed (around ``day``, for the record: ``rebuild.refresh`` works out
    what changed from the closure itself), folded in after the commit, in the server's
    thread."""
    StaleMark.objects.create(day=day)
    transaction.on_commit(rebuild.schedule)


def on_version_changed(sender, instance: UnitVersion, created: bool = False, **kwargs) -> None:
    _mark(instance.valid_from)


def on_unit_changed(sender, instance: Unit, created: bool = False, **kwargs) -> None:
    # The end of a unit's life moves the day its later values total on.
    _mark(instance.valid_to)


def connect() -> None:
    values_changed.connect(on_values_changed, dispatch_uid="analytics.live")
    rule_changed.connect(on_rule_changed, dispatch_uid="analytics.rule")
    post_save.connect(on_version_changed, sender=UnitVersion, dispatch_uid="analytics.version")
    post_delete.connect(on_version_changed, sender=UnitVersion, dispatch_uid="analytics.version-")
    post_save.connect(on_unit_changed, sender=Unit, dispatch_uid="analytics.unit")
