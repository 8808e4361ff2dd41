"""/api/v1/auth/token, /api/v1/auth/tokens, /api/v1/me and /api/v1/roles."""

import datetime as dt

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from trienkhai.accounts import lockout, policy, services, two_factor
from trienkhai.accounts.models import ApiToken, RoleAssignment, User, hash_token
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import access

router = Router(tags=["accounts"])


class Credentials(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    expires: dt.datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created: dt.datetime
    last_used: dt.datetime | None
    expires: dt.datetime
    current: bool
    """Whether this request came with this token."""


class RoleOut(Schema):
    id: int
    user: str
    unit: str
    role: str


class RoleIn(Schema):
    user: str
    unit: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


def role_out(assignment: RoleAssignment) -> dict:
    return {
        "id": assignment.pk,
        "user": assignment.user.username,
        "unit": assignment.unit.code,
        "role": assignment.role,
    }


class Unauthorized(BadInput):
    status = 401


class Locked(BadInput):
    status = 429


class TwoFactorRequired(BadInput):
    status = 403


@router.post("/auth/token", auth=None, response={200: TokenOut})
def token(request, payload: Credentials):
    """Exchange a user name and password for an API token (send it as ``Bearer``).

    After ``LOGIN_FAILURES`` wrong passwords the account is locked (429, right password
    or not) for ``LOGIN_LOCK_MINUTES``. An account with two-factor on gets no token for
    a password alone (403 ``two_factor_required``): its owner makes one on the account
    page, or an operator with ``trienkhai token create``."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise Locked(
                "locked", lockout.bilingual_message(lockout.seconds_left(payload.username))
            )
        raise Unauthorized(
            "invalid_credentials", "Sai tên đăng nhập hoặc mật khẩu / wrong username or password"
        )
    if two_factor.has_two_factor(user):
        raise TwoFactorRequired(
            "two_factor_required",
            "Tài khoản này dùng xác thực hai bước: tạo khóa API ở trang Tài khoản (/tai-khoan/) "
            "hoặc bằng lệnh `trienkhai token create` / this account uses two-factor: create a "
            "token on the account page (/tai-khoan/) or with `trienkhai token create`",
        )
    lockout.record_success(request, user)
    raw = services.issue_token(user=user, name=payload.name or "api")
    expires = ApiToken.objects.values_list("expires", flat=True).get(key_hash=hash_token(raw))
    return {"token": raw, "expires": expires}


@router.get("/auth/tokens", response=list[TokenInfo])
def list_tokens(request):
    """The caller's own API tokens that still work (never the tokens themselves)."""
    current = getattr(request.auth, "api_token_id", None)
    return [
        {
            "id": t.pk,
            "name": t.name,
            "prefix": t.prefix,
            "created": t.created,
            "last_used": t.last_used,
            "expires": t.expires,
            "current": t.pk == current,
        }
        for t in services.tokens_of(request.auth)
    ]


@router.delete("/auth/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    """End one of the caller's own tokens (another user's answers 404)."""
    token = ApiToken.objects.filter(pk=token_id, user=request.auth).first()
    if token is None:
        raise NotFound("khóa API / API token", str(token_id))
    services.revoke_token(acting_user=request.auth, token=token)
    return Status(204, None)


@router.post("/auth/logout", response={204: None})
def logout(request):
    """End the token this request came with (a script's log-out); a browser session
    logs out at /dang-xuat/."""
    current = getattr(request.auth, "api_token_id", None)
    if current is not None:
        services.revoke_token(acting_user=request.auth, token=ApiToken.objects.get(pk=current))
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    roles = user.roles.select_related("unit", "user")
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": [role_out(r) for r in roles],
    }


@router.get("/roles", response=list[RoleOut])
def list_roles(request, unit: str):
    """The roles held at ``unit``."""
    target = access.get_unit(request.auth, unit, policy.Action.MANAGE_ROLES)
    return [role_out(r) for r in target.role_assignments.select_related("user", "unit")]


@router.post("/roles", response={201: RoleOut})
def grant(request, payload: RoleIn):
    unit = access.get_unit(request.auth, payload.unit, policy.Action.MANAGE_ROLES)
    user = User.objects.filter(username=payload.user).first()
    if user is None:
        raise NotFound("người dùng / user", payload.user)
    assignment = services.grant_role(
        acting_user=request.auth, user=user, unit=unit, role=payload.role
    )
    return Status(201, role_out(assignment))


@router.delete("/roles/{role_id}", response={204: None})
def revoke(request, role_id: int):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit"), pk=role_id)
    policy.require(request.auth, policy.Action.MANAGE_ROLES, assignment.unit)
    services.revoke_role(acting_user=request.auth, assignment=assignment)
    return Status(204, None)
