"""Roles at a unit: list, grant, revoke. Thin: access → form → service → redirect.

Who may do what is the policy's answer: the page needs MANAGE_ROLES at the unit
(through ``orgs.access``), the form offers only the roles ``policy.can_grant`` allows,
and a role can be revoked by whoever could have granted it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import policy, services
from trienkhai.accounts.audit import role_audit
from trienkhai.accounts.forms import GrantRoleForm
from trienkhai.accounts.models import Role
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import access
from trienkhai.orgs.models import Unit
from trienkhai.web.forms import posted, render_form


@login_required
@require_http_methods(["GET", "POST"])
def roles(request, code: str):
    """The roles held at a unit, and the form that grants one."""
    unit = access.get_unit(request.user, code, policy.Action.MANAGE_ROLES)
    grantable = [role for role in Role if policy.can_grant(request.user, role, unit)]
    form = GrantRoleForm(posted(request), roles=grantable)
    if form.is_valid():
        user, role = form.cleaned_data["username"], form.cleaned_data["role"]
        try:
            services.grant_role(acting_user=request.user, user=user, unit=unit, role=role)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            label = Role(role).label
            messages.success(
                request, _("Đã giao vai trò %(role)s cho %(user)s.") % {"role": label, "user": user}
            )
            return redirect("accounts:roles", unit.code)
    return render_form(request, "accounts/roles.html", {"form": form, **_page(unit, grantable)})


@login_required
@require_POST
def revoke(request, code: str, pk: int):
    """Take a role away. Only a role held at this unit, by someone who could grant it."""
    unit = access.get_unit(request.user, code, policy.Action.MANAGE_ROLES)
    assignment = get_object_or_404(unit.role_assignments.select_related("user", "unit"), pk=pk)
    if not policy.can_grant(request.user, assignment.role, unit):
        raise PermissionDenied
    try:
        services.revoke_role(acting_user=request.user, assignment=assignment)
    except Conflict as refusal:
        messages.error(request, refusal.shown)
        return redirect("accounts:roles", unit.code)
    label = Role(assignment.role).label
    messages.success(
        request,
        _("Đã thu hồi vai trò %(role)s của %(user)s.") % {"role": label, "user": assignment.user},
    )
    return redirect("accounts:roles", unit.code)


def _page(unit: Unit, grantable: list[Role]) -> dict:
    """The page around the form. A role may be revoked by whoever may grant it."""
    assignments = list(
        unit.role_assignments.select_related("user").order_by("user__username", "role")
    )
    version = unit.latest_version()
    return {
        "unit": unit,
        "version": version,
        "assignments": [(a, a.role in grantable) for a in assignments],
        "audit": role_audit(unit),
    }
