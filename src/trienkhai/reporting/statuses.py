"""The review status of each value, kept in step with its report (decision 0020).

A value's ``status`` (``DataValue.Review``) is how far the report it last went through
has been reviewed: draft (also a returned report's), submitted, approved. Totals count
the values at or above a level — ``all`` (drafts too), ``submitted`` (submitted or
approved), ``approved`` — and each is kept live (analytics: a status dimension on
``Total``), so every change of a level is also a ``values_changed`` change:

- ``follow(submission)``: after a report's status changed, its values (the form's
  indicators during the period, for the unit and period) take its level, and their
  numbers move between the levels (one UPDATE, one signal; the receiver adds them
  per level through the closure in one statement);
- ``drafted(...)`` / ``dropped(...)``: a value whose number a save changes is a draft
  again — only possible for a value shared with another form's report (an indicator
  in two forms), since a submitted or approved report locks its own values.

A value saved outside any report does not exist: every writer (the grid, the API, Excel,
the bulk import, DHIS2, ADX) opens the unit's draft report first, so it is a draft until
that report is submitted.
"""

from collections.abc import Iterable

from django.db import connection

from trienkhai.common.bulk_insert import among
from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import DataValue, Submission
from trienkhai.reporting.signals import ValueChange, values_changed

Review = DataValue.Review

LEVELS = {"all": Review.DRAFT, "submitted": Review.SUBMITTED, "approved": Review.APPROVED}
"""The ``status`` parameter of analytics and report drafts → the lowest level counted."""

DEFAULT = "submitted"
"""Analytics (API, pages, DHIS2) count submitted and approved figures unless asked."""

_OF_REPORT = {
    Submission.Status.DRAFT: Review.DRAFT,
    Submission.Status.RETURNED: Review.DRAFT,
    Submission.Status.SUBMITTED: Review.SUBMITTED,
    Submission.Status.APPROVED: Review.APPROVED,
}


def level(name: str | None) -> int:
    """The level a ``status`` parameter names (None: the default); a 400 otherwise."""
    name = DEFAULT if name in (None, "") else name
    try:
        return int(LEVELS[name])  # type: ignore[index]
    except KeyError:
        raise BadInput(
            "invalid_status",
            f"Trạng thái số liệu không hợp lệ / invalid status: {name!r} ({', '.join(LEVELS)})",
        ) from None


def name_of(value: int) -> str:
    return next(name for name, found in LEVELS.items() if found == value)


def statuses_counted(name: str | None) -> set[str]:
    """The report statuses (``Submission.Status``) whose values a ``status`` parameter
    counts: "approved" the approved reports only, "all" a returned one too."""
    wanted = level(name)
    return {str(status) for status, value in _OF_REPORT.items() if value >= wanted}


def follow(submission: Submission) -> int:
    """Give the report's values its level (inside the caller's transaction, after the
    report's status changed); how many values changed level."""
    from trienkhai.reporting import structure

    target = _OF_REPORT[Submission.Status(submission.status)]
    form = submission.form
    period = form.period(submission.period)
    ids = sorted({item.indicator_id for item in structure.of(form).items_during(period)})
    if not ids:
        return 0
    values = DataValue.objects.filter(
        unit_id=submission.unit_id, period=submission.period, indicator_id__in=ids
    ).exclude(status=target)
    rows = list(values.values_list("indicator_id", "option", "value_number", "status"))
    if not rows:
        return 0
    values.update(status=target)
    changes = [
        ValueChange(i, o, submission.unit_id, submission.period, n, n, s, target)
        for i, o, n, s in rows
        if n is not None
    ]
    if changes:
        values_changed.send(sender=__name__, changes=changes)
    return len(rows)


def drafted(stored: Iterable[DataValue], changes: list[ValueChange]) -> list[ValueChange]:
    """``changes`` of a save, preceded by the level drop of each changed value that was
    not a draft (its old number leaves the submitted and approved totals); those values
    are drafts from now on. ``stored``: the values the save read (their ``status`` as
    read; their numbers may be the new ones already)."""
    levels = {(v.indicator_id, v.option): v.status for v in stored if v.status}
    if not levels:
        return changes
    drops = [
        ValueChange(c.indicator_id, c.option, c.unit_id, c.period, c.old, c.old, status)
        for c in changes
        if (status := levels.get((c.indicator_id, c.option))) and c.old is not None
    ]
    keys = {(c.indicator_id, c.option) for c in changes}
    reviewed = [v.pk for v in stored if v.status and (v.indicator_id, v.option) in keys]
    DataValue.objects.filter(pk__in=reviewed).update(status=Review.DRAFT)
    return [*drops, *changes]


def dropped(value_ids: list[int]) -> list[ValueChange]:
    """The level drops of the values ``value_ids`` that are not drafts, before a writer
    replaces them with new rows (drafts: the column's default)."""
    if not value_ids:
        return []
    table = connection.ops.quote_name(DataValue._meta.db_table)
    found: list[ValueChange] = []
    with connection.cursor() as cursor:
        for start in range(0, len(value_ids), 500):
            test, param = among(value_ids[start : start + 500])
            cursor.execute(
                f"""SELECT indicator_id, option, unit_id, period, value_number, status
                FROM {table} WHERE id {test} AND status > 0 AND value_number IS NOT NULL""",
                [param],
            )
            for i, o, u, p, number, status in cursor.fetchall():
                number = _decimal(number)
                found.append(ValueChange(i, o, u, p, number, number, status))
    return found


def _decimal(raw):
    from decimal import Decimal

    # SQLite hands numbers back as floats through a raw cursor.
    return None if raw is None else Decimal(str(raw)).quantize(Decimal("0.0001"))
