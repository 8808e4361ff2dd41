"""The audit table: who changed what, when, before → after, from django-simple-history rows.

``audit_rows`` takes history records already fetched (with ``history_user`` selected),
groups them by object, diffs each record against the one before it with
``diff_against`` and returns rows for ``web/_audit.html``, newest first. It runs no
queries of its own: foreign keys are shown through ``show``, which the caller fills
from one query per related table.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trienkhai import vn

ACTIONS = {"+": _("Tạo"), "~": _("Sửa"), "-": _("Xoá")}


KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str | Promise
    before: str
    after: str
    field: str = ""
    """The model field's name, for machines (the API)."""


@dataclass
class AuditRow:
    when: dt.datetime
    who: str
    action: str | Promise
    subject: str | Promise
    changes: list[Change] = field(default_factory=list)
    kind: str = ""
    """created, changed or deleted, for machines (the API)."""


def plain(value) -> str:
    """A field value as a person reads it: dates dd/mm/yyyy, nothing as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return vn.format_date(value)
    return str(value)


def audit_rows(
    records: Iterable,
    *,
    labels: Mapping[str, str | Promise],
    subject: Callable[[object], str | Promise],
    show: Callable[[str, object], str] | None = None,
) -> list[AuditRow]:
    """Rows for the history ``records`` of one or more objects, newest first.

    ``labels`` names the fields to show (field name → label), in that order; other
    fields are left out. ``subject`` names the object a record is about.
    ``show(field, value)`` turns a raw value (a foreign key's id) into text.
    """
    display = show or (lambda _name, value: plain(value))
    by_object: dict[tuple[type, object], list] = defaultdict(list)
    for record in records:
        by_object[(type(record), _original_pk(record))].append(record)
    rows = []
    for history in by_object.values():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in history:
            rows.append(
                AuditRow(
                    when=record.history_date,
                    who=str(record.history_user) if record.history_user_id else "",
                    action=ACTIONS.get(record.history_type, record.history_type),
                    subject=subject(record),
                    changes=_changes(record, previous, labels, display),
                    kind=KINDS.get(record.history_type, record.history_type),
                )
            )
            previous = record
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows


def _changes(record, previous, labels, display) -> list[Change]:
    # Field names from the model's meta: getattr on a foreign key would fetch the object.
    own = {f.name for f in record._meta.fields}
    fields = [name for name in labels if name in own]
    if record.history_type == "-":
        # What was deleted: its last values, before → nothing.
        return [
            Change(labels[name], display(name, _raw(record, name)), "", name)
            for name in fields
            if _raw(record, name) not in (None, "")
        ]
    if previous is None:
        return [
            Change(labels[name], "", display(name, _raw(record, name)), name)
            for name in fields
            if _raw(record, name) not in (None, "")
        ]
    delta = record.diff_against(previous, included_fields=fields)
    by_field = {c.field: c for c in delta.changes}
    return [
        Change(
            labels[name], display(name, by_field[name].old), display(name, by_field[name].new), name
        )
        for name in fields
        if name in by_field
    ]


def _raw(record, name: str):
    """The stored value: the id for a foreign key (no query), the value otherwise."""
    attname = record._meta.get_field(name).attname
    return getattr(record, attname)


def _original_pk(record):
    return getattr(record, record.instance_type._meta.pk.attname)
