"""Reads that return the object or raise: 404 if it does not exist, 403 if the policy says no."""

from django.core.exceptions import PermissionDenied

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.orgs.access import get_unit
from trienkhai.orgs.models import Unit


def require_any_view(user) -> None:
    """Template lists are for anyone who may view some unit."""
    if not policy.can(user, policy.Action.VIEW):
        raise PermissionDenied


def get_template(code: str) -> ReportTemplate:
    """An active template; an unknown code is bad input (400) naming the known ones."""
    template = ReportTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        known = ", ".join(
            ReportTemplate.objects.filter(is_active=True).values_list("code", flat=True)
        )
        raise BadInput(
            "unknown_template",
            f"Không có mẫu báo cáo / unknown template: {code!r} (có/known: {known})",
            details=[{"template": code}],
        )
    return template


def get_report_unit(user, code: str, action: policy.Action = policy.Action.VIEW) -> Unit:
    """A unit named in a request body: unknown is bad input (400), outside the scope 403."""
    try:
        return get_unit(user, code, action)
    except NotFound:
        raise BadInput(
            "unknown_unit", f"Không có đơn vị / unknown unit: {code}", details=[{"unit": code}]
        ) from None


def get_report(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Report:
    """A report seen by those who may view its issuer; changed by those who may change it."""
    report = (
        Report.objects.select_related("template", "unit", "issuer", "directive", "document")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise policy.unknown(user, "báo cáo / report", pk)
    policy.require(user, action, report.issuer)
    return report


def reports_seen_by(user, limit: int = 100) -> list[Report]:
    """The newest reports whose issuer and unit ``user`` may view."""
    rows = (
        Report.objects.select_related("template", "unit", "issuer", "document")
        .prefetch_related("unit__versions", "issuer__versions")
        .order_by("-created", "-id")[: limit * 4]
    )
    units = {r.issuer_id: r.issuer for r in rows} | {r.unit_id: r.unit for r in rows}
    seen = {u.pk for u in policy.allowed(user, policy.Action.VIEW, units.values())}
    # Both: a report names its unit and its directive, not only its issuer.
    return [r for r in rows if r.issuer_id in seen and r.unit_id in seen][:limit]
