"""Users, their roles at units, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trienkhai.common.models import TimeStamped
from trienkhai.orgs.models import Unit


class User(AbstractUser):
    """A person who logs in. What they may do comes from their ``RoleAssignment`` rows."""

    full_name = models.CharField(max_length=150, blank=True)
    unread_notifications = models.PositiveIntegerField(
        default=0,
        help_text="The bell's count in every page's header: kept by the notifications app "
        "when it writes or reads a notification, read with the user at no extra query.",
    )

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        """The name people know them by (``full_name``; Django's first and last names are
        not used): what every page that names a user shows."""
        return self.full_name or super().get_full_name()


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị / admin")
    MANAGER = "manager", _("Quản lý / manager")
    REPORTER = "reporter", _("Báo cáo viên / reporter")
    VIEWER = "viewer", _("Xem / viewer")


class RoleAssignment(TimeStamped):
    """``user`` holds ``role`` at ``unit``, reaching the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}@{self.unit.code}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_stamp(password_hash: str) -> str:
    """A keyed digest of a user's stored password hash: a token remembers it, and stops
    working when the password changes (the same idea as Django's session auth hash)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("trienkhai.accounts.ApiToken", password_hash, algorithm="sha256").hexdigest()


class ApiToken(TimeStamped):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once.

    A token works until ``expires``, and only while its user's password is the one it
    was issued under (``password_stamp``): changing the password ends every token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell tokens apart.")
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(help_text="The token stops working at this time.")
    password_stamp = models.CharField(
        max_length=64, help_text="password_stamp(user) when the token was issued."
    )

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return "tk_" + secrets.token_urlsafe(32)


class TwoFactorEvent(models.Model):
    """A second-factor event of one account, for the audit (never the code itself).

    Log-ins by password, their failures and lockouts are in django-axes' tables
    (AccessLog, AccessFailureLog, AccessAttempt); this keeps what happens after."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Bật xác thực hai bước")
        VERIFIED = "verified", _("Nhập đúng mã")
        FAILED = "failed", _("Nhập sai mã")
        RECOVERY_USED = "recovery_used", _("Dùng mã dự phòng")
        RECOVERY_RENEWED = "recovery_renewed", _("Tạo lại mã dự phòng")
        TURNED_OFF = "turned_off", _("Tắt xác thực hai bước")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            # The account page lists a user's latest events.
            models.Index(fields=["user", "-created"], name="twofactorevent_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.created:%Y-%m-%d %H:%M}"
