"""The audit trail of a unit: who changed what, when, before → after.

Rows come from django-simple-history: the unit's own history, its versions' (names,
parents) and the roles held at it. Each row lists the fields that changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from trienkhai.orgs.models import Unit, UnitVersion

_HIDDEN = {"search_key", "modified", "created"}
_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class AuditRow:
    when: datetime
    who: str | None
    what: str
    """unit, version (from dd/mm/yyyy) or role."""
    action: str
    """created, changed or deleted."""
    changes: list[dict] = field(default_factory=list)
    """[{"field", "before", "after"}] — for a creation, before is None."""


def _rows(records, what) -> list[AuditRow]:
    rows = []
    records = list(records)
    for record in records:
        previous = record.prev_record
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            changes = [
                {"field": c.field, "before": c.old, "after": c.new}
                for c in delta.changes
                if c.field not in _HIDDEN
            ]
        elif record.history_type == "+":
            changes = [
                {"field": f.attname, "before": None, "after": getattr(record, f.attname)}
                for f in record.instance_type._meta.concrete_fields
                if f.attname not in _HIDDEN
                and f.attname != "id"
                and getattr(record, f.attname) not in ("", None)
            ]
        user = record.history_user
        rows.append(
            AuditRow(
                when=record.history_date,
                who=user.get_username() if user else None,
                what=what(record),
                action=_TYPES[record.history_type],
                changes=changes,
            )
        )
    return rows


def unit_audit(unit: Unit) -> list[AuditRow]:
    """Every recorded change of the unit, its versions and the roles held at it, newest first."""
    from trienkhai.accounts.models import RoleAssignment
    from trienkhai.vn import format_date

    rows = _rows(Unit.history.filter(id=unit.pk).select_related("history_user"), lambda r: "unit")
    rows += _rows(
        UnitVersion.history.filter(unit_id=unit.pk).select_related("history_user"),
        lambda r: f"version {format_date(r.valid_from)}",
    )
    rows += _rows(
        RoleAssignment.history.filter(unit_id=unit.pk).select_related("history_user", "user"),
        lambda r: f"role {r.role} {r.user.get_username() if r.user else ''}".strip(),
    )
    return sorted(rows, key=lambda row: row.when, reverse=True)
