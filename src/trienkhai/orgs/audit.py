"""The audit trail of a unit and its versions: who changed what, when, before → after.

Rows come from django-simple-history, diffed by ``trienkhai.common.audit``; the unit
page and ``GET /api/v1/units/{code}/history`` both read them from here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.common.audit import AuditRow, audit_rows, plain
from trienkhai.orgs import queries
from trienkhai.orgs.models import Profile, Unit, UnitKind, UnitVersion
from trienkhai.vn import format_date
from trienkhai.web.labels import local_name

AUDIT_LABELS = {
    "code": gettext_lazy("Mã"),
    "name": gettext_lazy("Tên"),
    "abbreviation": gettext_lazy("Tên viết tắt"),
    "kind": gettext_lazy("Loại"),
    "parent": gettext_lazy("Trực thuộc"),
    "profile_override": gettext_lazy("Thể thức văn bản"),
    "valid_from": gettext_lazy("Hiệu lực từ ngày"),
    "valid_to": gettext_lazy("Hết hiệu lực từ ngày"),
}


def unit_audit(unit: Unit) -> list[AuditRow]:
    """The simple-history rows of the unit and of its versions, diffed (four queries)."""
    records = [
        *Unit.history.filter(id=unit.pk).select_related("history_user"),
        *UnitVersion.history.filter(unit_id=unit.pk).select_related("history_user"),
    ]
    kinds = {kind.pk: local_name(kind) for kind in UnitKind.objects.all()}
    parents = queries.latest_versions(getattr(r, "parent_id", None) for r in records)
    unit_record = Unit.history.model

    def show(field: str, value) -> str:
        if value in (None, ""):
            return ""
        if field == "kind":
            return kinds.get(value, str(value))
        if field == "parent":
            parent = parents.get(value)
            return f"{parent.name} ({parent.unit.code})" if parent else str(value)
        if field == "profile_override":
            return str(Profile(value).label)
        return plain(value)

    def subject(record) -> str:
        if isinstance(record, unit_record):
            return _("đơn vị")
        return _("phiên bản từ ngày %s") % format_date(record.valid_from)

    return audit_rows(records, labels=AUDIT_LABELS, subject=subject, show=show)
