"""Refusals to serve with settings that would be unsafe in production."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def development_key_allowed() -> bool:
    """The development key may serve only in debug mode or when explicitly allowed
    (`trienkhai demo` allows it for itself)."""
    explicit = os.environ.get("TRIENKHAI_INSECURE_DEV_KEY", "").strip().lower()
    return settings.DEBUG or explicit in {"1", "true", "yes", "on"}


def require_secret_key() -> None:
    """Refuse to serve on the development key: anyone could forge sessions and signed
    files with it. Called by `trienkhai serve` and wsgi.py before the first request."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_KEY and not development_key_allowed():
        raise ImproperlyConfigured(
            "Chưa đặt TRIENKHAI_SECRET_KEY: không phục vụ bằng khóa phát triển "
            "(docs/OPERATIONS.md) / TRIENKHAI_SECRET_KEY is not set: refusing to serve on "
            "the development key"
        )


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    if settings.SECRET_KEY == settings.DEVELOPMENT_KEY:
        return [
            Error(
                "TRIENKHAI_SECRET_KEY is not set: the development key is in use.",
                hint="Set TRIENKHAI_SECRET_KEY to a long random value (docs/OPERATIONS.md).",
                id="trienkhai.E001",
            )
        ]
    return []
