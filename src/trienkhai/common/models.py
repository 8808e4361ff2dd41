"""Abstract base models for fields that many models share (STYLE.md §7)."""

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from trienkhai.common import lookups  # noqa: F401  (registers field__among)

M = TypeVar("M", bound=models.Model)


class TimeStamped(models.Model):
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class ValidityInterval(models.Model):
    """A half-open interval of days [valid_from, valid_to); valid_to empty = still valid.

    valid_to is the effective date of the event that ended it (a unit merged on
    2025-07-01 has valid_to 2025-07-01 and was last valid on 2025-06-30).
    """

    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def last_day(self) -> dt.date | None:
        return self.valid_to - dt.timedelta(days=1) if self.valid_to else None


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """The filter for rows whose validity interval contains ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlaps(start: dt.date, end: dt.date | None, prefix: str = "") -> Q:
    """The filter for rows whose validity interval overlaps [start, end)."""
    query = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is not None:
        query &= Q(**{f"{prefix}valid_from__lt": end})
    return query


def locked_row(model: type[M], **keys: Any) -> M:
    """The row of ``model`` with ``keys`` (a unique constraint's fields), created if new,
    locked until the end of the caller's transaction (``select_for_update``): the counter
    of a number series, which two issues at once must take in turn (decision 0006)."""
    rows = model._default_manager.select_for_update()
    found = rows.filter(**keys).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            model._default_manager.create(**keys)
    except IntegrityError:
        pass  # another transaction created it first: lock theirs
    return rows.get(**keys)
