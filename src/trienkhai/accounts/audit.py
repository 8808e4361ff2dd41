"""The audit trail of the roles held at a unit: who granted or revoked what, when."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.accounts.models import Role, RoleAssignment
from trienkhai.common.audit import AuditRow, audit_rows
from trienkhai.orgs.models import Unit

AUDIT_LABELS = {"user": gettext_lazy("Người dùng"), "role": gettext_lazy("Vai trò")}


def role_audit(unit: Unit) -> list[AuditRow]:
    """Grants and revocations of roles at ``unit``, newest first (one query)."""
    records = list(
        RoleAssignment.history.filter(unit_id=unit.pk).select_related("history_user", "user")
    )
    people = {r.user_id: str(r.user) for r in records if r.user is not None}

    def show(field: str, value) -> str:
        if field == "user":
            return people.get(value, str(value))
        return str(Role(value).label) if value in Role.values else str(value or "")

    return audit_rows(records, labels=AUDIT_LABELS, subject=lambda r: _("vai trò"), show=show)
