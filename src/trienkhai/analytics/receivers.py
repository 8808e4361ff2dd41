"""What keeps the rollups in step: saved values, and changes of the hierarchy.

Connected in ``AnalyticsConfig.ready``. The values receiver runs inside the write
transaction (a failure rolls the save back, so totals never drift from the values);
the hierarchy receivers only leave a ``StaleMark``, folded into the closure and the
totals by ``rebuild.refresh`` after the commit (reads answer from the values meanwhile).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from trienkhai.analytics import live, rebuild
from trienkhai.analytics.models import Closure, StaleMark
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting.models import DataValue
from trienkhai.reporting.signals import values_changed


def on_values_changed(sender, changes, **kwargs) -> None:
    live.apply(changes)


def _has_values_below(unit_id: int) -> bool:
    """Whether ``unit_id`` or a unit ever under it (per the closure) has values: moving a
    district moves its communes' figures, not only its own."""
    below = Closure.objects.filter(ancestor_id=unit_id).values("descendant_id")
    return (
        DataValue.objects.filter(unit_id=unit_id).exists()
        or DataValue.objects.filter(unit_id__in=below).exists()
    )


def _mark(day) -> None:
    """The hierarchy changed from ``day`` (None: no values reached, the closure only);
    ``rebuild.refresh`` folds it in after the commit, in the server's thread."""
    StaleMark.objects.create(day=day)
    transaction.on_commit(rebuild.schedule)


def on_version_changed(sender, instance: UnitVersion, created: bool = False, **kwargs) -> None:
    # A brand-new unit has no values yet: only the closure needs it (day None).
    has_values = _has_values_below(instance.unit_id)
    days = [d for d in (instance.valid_from, instance.valid_to) if d is not None]
    _mark(min(days) if has_values else None)


def on_unit_changed(sender, instance: Unit, created: bool = False, **kwargs) -> None:
    # The end of a unit's life moves the day its later values total on.
    has_values = not created and _has_values_below(instance.pk)
    _mark(instance.valid_to if has_values else None)


def connect() -> None:
    values_changed.connect(on_values_changed, dispatch_uid="analytics.live")
    post_save.connect(on_version_changed, sender=UnitVersion, dispatch_uid="analytics.version")
    post_delete.connect(on_version_changed, sender=UnitVersion, dispatch_uid="analytics.version-")
    post_save.connect(on_unit_changed, sender=Unit, dispatch_uid="analytics.unit")
