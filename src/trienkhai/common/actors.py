"""Who acts in a service: a user, or the installation itself (a named system actor).

Every service takes a keyword-only ``acting_user: Actor``. There is no "nobody": None is
refused (``require`` raises PermissionDenied for it), so a caller that forgets to say
who acts is stopped instead of skipping the check. Commands, migrations, the demo and a
service acting inside another one's already checked write pass a ``SystemActor`` with a
name that says which (``CLI``, ``DEMO``, ``SystemActor("directives.answer")``); the
policy lets a system actor do everything, and the audit history records no user for it.

The permission seam: apps below ``accounts`` (the hierarchy, ``orgs``) ask here, not
``accounts.policy``, which they may not import. ``accounts`` installs the policy with
``install_checker`` when Django starts (``AccountsConfig.ready``); until then every
question is answered no (fails closed). Decision 0022.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:  # for the type only: common never imports accounts when it runs
    from trienkhai.accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    """The installation acting on its own behalf; ``name`` says which part of it."""

    name: str

    def __str__(self) -> str:
        return f"system:{self.name}"


Actor: TypeAlias = "User | SystemActor"

CLI = SystemActor("cli")
"""The ``trienkhai`` command (create a user, import units or divisions)."""
DEMO = SystemActor("demo")
"""The demo dataset's loader."""
MIGRATION = SystemActor("migration")
"""Data migrations and management commands that set up every installation."""
BENCH = SystemActor("bench")
"""The benchmarks' data generators (``make bench``)."""


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)


def user_of(actor: "Actor") -> "User | None":
    """The user a history row or a ``created_by`` records: None for a system actor."""
    if isinstance(actor, SystemActor) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def require_person(actor: object) -> None:
    """Raise PermissionDenied unless ``actor`` is a signed-in user: for what a person does
    to their own account (tokens, two-factor), which no system actor does for them."""
    if isinstance(actor, SystemActor) or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Cần đăng nhập / sign in first")


Checker: TypeAlias = Callable[[object, str, object], bool]
"""``checker(actor, action, obj)``: may ``actor`` do ``action`` (an ``accounts.policy.Action``
value such as "change") on ``obj`` (a unit, or None for "anywhere")?"""

_checker: Checker | None = None


def install_checker(checker: Checker) -> None:
    """Make ``checker`` the answer of ``can`` and ``require`` (called once at start-up)."""
    global _checker
    _checker = checker


def can(actor: "Actor", action: str, obj: object = None) -> bool:
    """Whether ``actor`` may do ``action`` on ``obj``; no if no checker is installed."""
    if actor is None or _checker is None:
        return False
    return _checker(actor, action, obj)


def require(actor: "Actor", action: str, obj: object = None) -> None:
    """Raise PermissionDenied unless ``can(actor, action, obj)``."""
    if not can(actor, action, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này / you may not do this")
