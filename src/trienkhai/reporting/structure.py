"""A form's structure — its dated indicators, their options, its dated assignments —
read once per process and kept until it changes.

Every save of a value needs the structure of its form, and it changes a few times a
year. Each process keeps it keyed by ``(form id, form.structure_key)``; any change of a
form's sections, indicators, assignments or rules, or of an indicator, breakdown or
option that a form uses, gives the form a new ``structure_key`` in the same
transaction (the receivers below, whoever writes: services, the Django admin, tests),
so a process that reads the form row afterwards builds the structure again. A
transaction that rolls back rolls the new key back with it. The key is a random UUID,
not a counter, so that rolled-back test databases that reuse ids never meet a stale
entry.

The objects handed out are shared between requests: read them, never change them.
"""

import datetime as dt
import threading
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from trienkhai.reporting.models import (
    Disaggregation,
    DisaggregationOption,
    Form,
    FormAssignment,
    FormIndicator,
    FormSection,
    Indicator,
    ValidationRule,
)
from trienkhai.reporting.periods import Period

_SIZE = 256
"""Forms kept per process; the least recently used one goes first."""


@dataclass(frozen=True)
class Structure:
    items: tuple[FormIndicator, ...]
    """Every membership of an indicator in the form, any date, in display order."""
    options: dict[int, tuple[str, ...]]
    """Disaggregation id → its option codes, in order."""
    assignments: tuple[FormAssignment, ...]
    """Every assignment, any date: ids only (units and kinds change on their own)."""

    def items_during(self, period: Period) -> list[FormIndicator]:
        after_end = period.end + dt.timedelta(days=1)
        return [
            item
            for item in self.items
            if item.valid_from < after_end
            and (item.valid_to is None or item.valid_to > period.start)
        ]

    def items_on(self, day: dt.date) -> list[FormIndicator]:
        return [item for item in self.items if item.is_valid_on(day)]

    def assignments_on(self, day: dt.date) -> list[FormAssignment]:
        return [a for a in self.assignments if a.is_valid_on(day)]

    def option_codes(self, indicator: Indicator) -> set[str]:
        """The option codes a value of ``indicator`` may carry ({""} if not disaggregated)."""
        if indicator.disaggregation_id is None:
            return {""}
        return set(self.options.get(indicator.disaggregation_id, ()))


_memo: "OrderedDict[tuple[int, uuid.UUID], Structure]" = OrderedDict()
_lock = threading.Lock()
_local = threading.local()


def _dirty() -> set[int]:
    """Forms this thread changed in a transaction not yet committed."""
    if not hasattr(_local, "dirty"):
        _local.dirty = set()
    return _local.dirty


def of(form: Form) -> Structure:
    """The structure of ``form`` as of the row read: from memory, or three queries."""
    dirty = _dirty()
    if dirty:
        if connection.in_atomic_block and form.pk in dirty:
            # Changed by this very transaction: read it as it stands, remember nothing
            # that a rollback could leave behind.
            return _build(form)
        if not connection.in_atomic_block:
            dirty.clear()  # what a rolled-back transaction left
    key = (form.pk, form.structure_key)
    with _lock:
        found = _memo.get(key)
        if found is not None:
            _memo.move_to_end(key)
            return found
    found = _build(form)
    with _lock:
        _memo[key] = found
        while len(_memo) > _SIZE:
            _memo.popitem(last=False)
    return found


def _build(form: Form) -> Structure:
    items = tuple(
        FormIndicator.objects.filter(form_id=form.pk)
        .select_related("indicator__disaggregation", "section")
        # Indicators outside any section first, on both databases (NULLs sort
        # differently by default).
        .order_by(F("section__order").asc(nulls_first=True), "order", "id")
    )
    groups = {i.indicator.disaggregation_id for i in items if i.indicator.disaggregation_id}
    options: dict[int, list[str]] = defaultdict(list)
    for group, code in DisaggregationOption.objects.filter(
        disaggregation_id__in=groups
    ).values_list("disaggregation_id", "code"):
        options[group].append(code)
    assignments = tuple(FormAssignment.objects.filter(form_id=form.pk))
    return Structure(items, {k: tuple(v) for k, v in options.items()}, assignments)


def changed(form_ids) -> None:
    """Give these forms a new structure key (call inside the transaction that changed them)."""
    ids = set(form_ids)
    if not ids:
        return
    Form.objects.filter(pk__in=ids).update(structure_key=uuid.uuid4())
    _dirty().update(ids)
    transaction.on_commit(lambda: _forget(ids))


def _forget(ids: set[int]) -> None:
    """After the commit: drop this process's entries, so that a form object read before
    the change (its old key in memory) is read again rather than served the old shape."""
    _dirty().difference_update(ids)
    with _lock:
        for key in [key for key in _memo if key[0] in ids]:
            del _memo[key]


# Invalidation: the only use of signals here (STYLE.md §5), so that no write path can
# forget it.


@receiver([post_save, post_delete], sender=FormIndicator)
@receiver([post_save, post_delete], sender=FormSection)
@receiver([post_save, post_delete], sender=FormAssignment)
@receiver([post_save, post_delete], sender=ValidationRule)
def _form_part_changed(sender, instance, **kwargs) -> None:
    changed([instance.form_id])


@receiver([post_save, post_delete], sender=Indicator)
def _indicator_changed(sender, instance, **kwargs) -> None:
    changed(
        FormIndicator.objects.filter(indicator_id=instance.pk)
        .values_list("form_id", flat=True)
        .distinct()
    )


@receiver([post_save, post_delete], sender=DisaggregationOption)
@receiver([post_save, post_delete], sender=Disaggregation)
def _breakdown_changed(sender, instance, **kwargs) -> None:
    group = instance.pk if isinstance(instance, Disaggregation) else instance.disaggregation_id
    changed(
        FormIndicator.objects.filter(indicator__disaggregation_id=group)
        .values_list("form_id", flat=True)
        .distinct()
    )
