"""Two-factor log-in (xác thực hai bước): a TOTP app, and ten recovery codes.

Who: every admin (the admin role at any unit) and every superuser must use it on the
web (``must_use``), unless ``settings.ADMIN_2FA`` is off (the demo); anyone else may
turn it on from the account page. Whoever has it on is asked for a code at each web
log-in (``has_two_factor``). Scripts use API tokens and never need a code
(docs/decisions/0019-log-in-protection.md).

The devices are django-otp's: a ``TOTPDevice`` for the app (confirmed once the user
typed a code from it) and a ``StaticDevice`` whose tokens are the recovery codes, each
good once. Both throttle wrong codes (1, 2, 4, … seconds). Every event is written to
``TwoFactorEvent``; a code never is.
"""

import re

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trienkhai.accounts import policy
from trienkhai.accounts.lockout import client_ip
from trienkhai.accounts.models import TwoFactorEvent, User
from trienkhai.common import actors
from trienkhai.common.errors import BadInput

RECOVERY_CODES = 10
PENDING = "two_factor_pending"
"""Session key: a password was accepted and the second factor is still to come."""

Kind = TwoFactorEvent.Kind


def must_use(user) -> bool:
    """Whether the rule obliges ``user`` to log in to the web with a second factor."""
    if not settings.ADMIN_2FA or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or policy.holds_admin_role(user)


def has_two_factor(user) -> bool:
    """Whether ``user`` has a confirmed authenticator app: their web log-ins ask a code,
    and a password alone no longer gets an API token."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(user) -> bool:
    """Whether a web log-in of ``user`` needs a second step (a code, or enrolment)."""
    return has_two_factor(user) or must_use(user)


def missing_step(request: HttpRequest) -> str | None:
    """The URL name of the log-in step this session still owes, or None: the code if the
    account has two-factor on, the setup if the rule obliges it and it has none. Asked
    of every request (``TwoFactorMiddleware``): a verified session or a user without an
    admin role nor a pending log-in costs no query beyond the roles the policy reads."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
        return None
    if not request.session.get(PENDING) and not must_use(user):
        return None
    if has_two_factor(user):
        return "accounts:two_factor_verify"
    if must_use(user):
        return "accounts:two_factor_enrol"
    request.session.pop(PENDING, None)  # two-factor was turned off meanwhile
    return None


def record(request: HttpRequest | None, user: User, kind: str) -> None:
    """Write an event of the audit (who, what, from where; never a code)."""
    meta = request.META if request is not None else {}
    TwoFactorEvent.objects.create(
        user=user,
        kind=kind,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:255],
    )


def pending_device(user: User) -> TOTPDevice:
    """The app being set up: the same secret until it is confirmed (a reload of the
    enrolment page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


@transaction.atomic
def confirm(*, acting_user: User, request: HttpRequest, code: str) -> list[str]:
    """Turn two-factor on: ``code`` must come from the app being set up. Replaces any
    earlier app and recovery codes, marks this session verified, and returns the new
    recovery codes (shown once)."""
    actors.require_person(acting_user)
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=acting_user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    code = _digits(code)
    if device is None:
        raise BadInput("no_pending_device", "Hãy mở lại trang thiết lập / open the setup again")
    if not re.fullmatch(r"\d{6}", code) or not device.verify_token(code):
        raise BadInput("wrong_code", "Mã không đúng / wrong code")
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(acting_user)
    otp_login(request, device)
    request.session.pop(PENDING, None)
    record(request, acting_user, Kind.ENROLLED)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def renew_recovery_codes(*, acting_user: User, request: HttpRequest) -> list[str]:
    """New recovery codes (the old ones stop working), shown once."""
    actors.require_person(acting_user)
    if not has_two_factor(acting_user):
        raise BadInput("two_factor_off", "Chưa bật xác thực hai bước / two-factor is off")
    codes = _new_recovery_codes(acting_user)
    record(request, acting_user, Kind.RECOVERY_RENEWED)
    return codes


@transaction.atomic
def turn_off(*, acting_user: User, request: HttpRequest) -> None:
    """Turn two-factor off for oneself: only those the rule does not oblige."""
    actors.require_person(acting_user)
    if must_use(acting_user):
        raise policy.PermissionDenied(
            "Quản trị viên phải dùng xác thực hai bước / admins must keep two-factor on"
        )
    TOTPDevice.objects.filter(user=acting_user).delete()
    StaticDevice.objects.filter(user=acting_user).delete()
    record(request, acting_user, Kind.TURNED_OFF)


def verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """Check a code typed at log-in: six digits from the app, or one recovery code (then
    used up). On success the session is verified."""
    code = _digits(code).lower()
    devices: list = []
    if re.fullmatch(r"\d{6}", code):
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif re.fullmatch(r"[a-z2-7]{8}", code):
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(code):
                otp_login(request, locked)
                request.session.pop(PENDING, None)
                is_recovery = isinstance(locked, StaticDevice)
                record(request, user, Kind.RECOVERY_USED if is_recovery else Kind.VERIFIED)
                return True
    record(request, user, Kind.FAILED)
    return False


def wait_seconds(user: User) -> int:
    """How long a wrong code makes the next try wait (django-otp's throttling), 0 if none."""
    from django.utils import timezone

    longest = 0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                seconds = (data["locked_until"] - timezone.now()).total_seconds()
                longest = max(longest, int(seconds) + 1)
    return longest


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
