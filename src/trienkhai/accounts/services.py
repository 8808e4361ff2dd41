"""Writes to accounts: users, roles, tokens. Each audited, each in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from trienkhai.accounts import policy
from trienkhai.accounts.models import (
    ApiToken,
    Role,
    RoleAssignment,
    User,
    hash_token,
    password_stamp,
)
from trienkhai.common import actors, rows
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import LineageLink, Unit, UnitVersion


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(Role.values)
        raise BadInput(
            "invalid_role", f"Vai trò không hợp lệ / invalid role: {role!r} ({choices})"
        ) from None


@transaction.atomic
def add_user(
    *,
    acting_user: Actor,
    username: str,
    password: str,
    unit: Unit | None = None,
    role: str | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a user, optionally with one role and an e-mail address (where notifications
    go). The actor must manage roles somewhere
    (a system actor for the command line and the demo) and may grant that role there."""
    policy.require(acting_user, policy.Action.MANAGE_ROLES)
    username = username.strip()
    if not username:
        raise BadInput("username_required", "Tên đăng nhập là bắt buộc / username required")
    if User.objects.filter(username=username).exists():
        raise Conflict("duplicate_user", f"Tên đăng nhập đã có / username taken: {username}")
    if len(password) < 8:
        raise BadInput(
            "weak_password", "Mật khẩu tối thiểu 8 ký tự / password: 8 characters or more"
        )
    email = _checked_email(email)
    user = User(username=username, full_name=full_name, email=email)
    user.set_password(password)
    user.save()
    if unit is not None and role is not None:
        grant_role(acting_user=acting_user, user=user, unit=unit, role=role)
    return user


def _checked_email(email: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise BadInput(
                "invalid_email", f"Địa chỉ e-mail không hợp lệ / invalid e-mail: {email}"
            ) from None
    return email


@transaction.atomic
def set_email(*, acting_user: Actor, user: User, email: str) -> User:
    """The address notifications are sent to ("" for none): the user's own, or an
    admin's act for a command (a system actor)."""
    if actors.user_of(acting_user) != user:
        policy.require(acting_user, policy.Action.MANAGE_ROLES)
    user.email = _checked_email(email)
    user.save(update_fields=["email"])
    return user


@transaction.atomic
def grant_role(*, acting_user: Actor, user: User, unit: Unit, role: str) -> RoleAssignment:
    """Give ``user`` ``role`` at ``unit``, if the policy lets the actor grant it there."""
    role = _check_role(role)
    if not policy.can_grant(acting_user, role, unit):
        raise policy.PermissionDenied(
            "Bạn không thể giao vai trò này ở đơn vị này / you may not grant this role here"
        )
    if RoleAssignment.objects.filter(user=user, unit=unit, role=role).exists():
        raise Conflict(
            "duplicate_role", "Người dùng đã có vai trò này / the user already has this role"
        )
    assignment = RoleAssignment(user=user, unit=unit, role=role)
    if actors.user_of(acting_user) is not None:
        assignment._history_user = acting_user  # type: ignore[attr-defined]
    assignment.save()
    return assignment


@transaction.atomic
def revoke_role(*, acting_user: Actor, assignment: RoleAssignment) -> None:
    if not policy.can_revoke(acting_user, assignment):
        raise policy.PermissionDenied(
            "Bạn không thể thu hồi vai trò này / you may not revoke this role"
        )
    if actors.user_of(acting_user) is not None:
        assignment._history_user = acting_user  # type: ignore[attr-defined]
    if _is_last_national_admin(assignment):
        raise Conflict(
            "last_admin",
            "Không thể thu hồi vai trò quản trị cuối cùng ở cấp toàn quốc: hãy giao vai trò "
            "này cho người khác trước / this is the last national admin role: grant it to "
            "someone else first",
        )
    assignment.delete()


def _is_last_national_admin(assignment: RoleAssignment) -> bool:
    """Whether ``assignment`` is the only admin role at the country held by an active user
    (superusers aside, who manage from the command line). The rows are locked so that two
    admins revoking each other at once cannot both succeed."""
    if assignment.role != Role.ADMIN or assignment.unit.code != ROOT_CODE:
        return False
    national = RoleAssignment.objects.select_for_update(of=("self",)).filter(
        role=Role.ADMIN, unit__code=ROOT_CODE, user__is_active=True
    )
    return not [pk for pk in national.values_list("pk", flat=True) if pk != assignment.pk]


MAX_TOKEN_DAYS = 3660
"""Ten years: the longest a token may live (a script's token, made on the command line)."""


@transaction.atomic
def issue_token(*, user: User, name: str = "", days: int | None = None) -> str:
    """Create an API token and return it; only its hash is kept. It works for ``days``
    (default ``settings.TOKEN_DAYS``) and until the user's password changes."""
    from django.conf import settings

    days = settings.TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise BadInput(
            "invalid_days",
            f"Thời hạn khóa từ 1 đến {MAX_TOKEN_DAYS} ngày / a token lives 1 to {MAX_TOKEN_DAYS} days",
        )
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        prefix=raw[:8],
        expires=timezone.now() + dt.timedelta(days=days),
        password_stamp=password_stamp(user.password),
    )
    return raw


@transaction.atomic
def revoke_token(*, acting_user: User, token: ApiToken) -> None:
    """End ``token``. Its owner may; so may a superuser. (Audited by the deletion's log.)"""
    actors.require_person(acting_user)
    if token.user_id != acting_user.pk and not acting_user.is_superuser:
        raise policy.PermissionDenied("Không phải khóa của bạn / not your token")
    token.delete()


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first (expired ones are not listed)."""
    return list(ApiToken.objects.filter(user=user, expires__gt=timezone.now()).order_by("-created"))


@rows.statement
def _token_sql() -> str:
    roles, joins = policy.role_columns("u")
    return (
        f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')}, {roles}"
        f" FROM {rows.table(ApiToken)} t JOIN {rows.table(User)} u"
        f" ON u.{rows.column(User, 'id')} = t.{rows.column(ApiToken, 'user')}{joins}"
        f" WHERE t.{rows.column(ApiToken, 'key_hash')} = %s"
    )


def user_for_token(raw: str) -> User | None:
    """The active user of an API token, or None. Asked on every API request: one
    statement written by hand (common.rows) that also reads the user's roles for the
    policy, rather than querysets compiled each time."""
    found = rows.fetch(_token_sql(), [hash_token(raw)])
    if not found:
        return None
    row = found[0]
    token = rows.instance(ApiToken, row)
    user = rows.instance(User, row, rows.width(ApiToken))
    roles = rows.width(ApiToken) + rows.width(User)
    policy.remember_roles(user, [r[roles : roles + policy.ROLE_WIDTH] for r in found])
    now = timezone.now()
    if not user.is_active or token.expires <= now:
        return None
    if not constant_time_compare(token.password_stamp, password_stamp(user.password)):
        return None  # the password changed since the token was issued
    token.user = user
    user.api_token_id = token.pk  # type: ignore[attr-defined]
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return user


@dataclass(frozen=True)
class HeldRole:
    """A role the user holds, as the account page says it: where, what it allows, and the
    units that went into its unit, which it lets the user read and nothing more (0004)."""

    assignment: RoleAssignment
    unit_name: str
    wholly: list[str]
    """Names of the units that went wholly into the role's unit (read with their subtree)."""
    partly: list[str]
    """Names of the units that went partly into it (read alone, not their subtree)."""

    @property
    def predecessors(self) -> int:
        return len(self.wholly) + len(self.partly)


def roles_held(user: User) -> list[HeldRole]:
    """The user's roles, highest first, each with the predecessors it lets them read: the
    units linked straight to the role's unit (the cells under a merged committee come
    with it and are not listed one by one)."""
    assignments = sorted(
        RoleAssignment.objects.filter(user=user).select_related("unit"),
        key=lambda a: (-policy.ROLE_RANK[Role(a.role)], a.unit.code),
    )
    units = {a.unit_id for a in assignments}
    links = list(
        LineageLink.objects.filter(successor_id__in=units).values_list(
            "successor_id", "predecessor_id", "is_partial"
        )
    )
    names = _names({*units, *(predecessor for _, predecessor, _ in links)})
    held = []
    for assignment in assignments:
        mine = [(p, partial) for s, p, partial in links if s == assignment.unit_id]
        held.append(
            HeldRole(
                assignment=assignment,
                unit_name=names[assignment.unit_id],
                wholly=sorted(names[p] for p, partial in mine if not partial),
                partly=sorted(names[p] for p, partial in mine if partial),
            )
        )
    return held


def _names(unit_ids: set[int]) -> dict[int, str]:
    """Each unit's latest name (an ended unit's, the one it ended with)."""
    names: dict[int, str] = {}
    for unit_id, name in (
        UnitVersion.objects.filter(unit_id__in=unit_ids)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "name")
    ):
        names[unit_id] = name
    return names
