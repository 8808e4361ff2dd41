"""Who is calling: HTTP Basic, a personal access token, or (for reads) the browser session.

DHIS2 clients send ``Authorization: Basic …`` or ``Authorization: ApiToken <token>``
(DHIS2's personal access tokens); trienkhai's own clients send ``Bearer <token>``. Both
token forms take the tokens of ``POST /api/v1/auth/token``.
"""

import base64
import binascii
import functools
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate as check_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from trienkhai.accounts import lockout, two_factor
from trienkhai.accounts.models import User
from trienkhai.accounts.services import user_for_token
from trienkhai.analytics.dhis2.responses import Dhis2Error, web_message
from trienkhai.common.errors import BadInput

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def caller(request: HttpRequest):
    """The active user the request authenticates as, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.strip().partition(" ")
    scheme, credentials = scheme.lower(), credentials.strip()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(":")
        if not sep:
            return None
        return _basic(request, username, password)
    if scheme in {"apitoken", "bearer"} and credentials:
        return user_for_token(credentials)
    if not header and request.method in SAFE_METHODS:
        # A browser that is logged in may read; writes need credentials, so a page on
        # another site cannot post data with the session cookie (no CSRF token here).
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
    return None


def signed_in(request: HttpRequest) -> User:
    """The user ``endpoint`` signed the request in as: the actor of the writes."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


BASIC_TTL = 300
"""Seconds a checked Basic login is remembered (in this process's memory)."""


def _basic(request: HttpRequest, username: str, password: str):
    """The user of a Basic login, the password checked once per ``BASIC_TTL`` seconds.

    DHIS2 clients send Basic credentials with every request, and a password hash is
    made slow on purpose (most of a second here): the login is remembered under a keyed
    hash of the credentials, together with the stored password hash, so that a changed
    password or a deactivated account takes effect on the next request; so does a lock
    after too many failures (django-axes). An account with two-factor on needs a token.
    """
    key = (
        "dhis2-basic:"
        + hmac.new(
            settings.SECRET_KEY.encode(), f"{username}\0{password}".encode(), hashlib.sha256
        ).hexdigest()
    )
    known = cache.get(key)
    if known is not None and not lockout.is_locked(request, username):
        user = User.objects.filter(pk=known[0], is_active=True).first()
        if user is not None and user.password == known[1]:
            return user
    user = check_password(request, username=username, password=password)
    if user is None or not user.is_active or two_factor.has_two_factor(user):
        return None  # a locked account is answered 429 by accounts.lockout
    lockout.record_success(request, user)
    cache.set(key, (user.pk, user.password), BASIC_TTL)
    return user


def endpoint(*methods: str):
    """A DHIS2 view: allowed methods, authentication, and errors as DHIS2 web messages."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method not in allowed:
                response = web_message(
                    405,
                    f"Phương thức không hỗ trợ / method not allowed: {request.method}",
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            user = caller(request)
            if user is None:
                return _unauthorized()
            request.user = user
            try:
                return view(request, *args, **kwargs)
            except Dhis2Error as exc:
                return exc.response()
            except PermissionDenied as exc:
                return web_message(403, str(exc) or "Không có quyền / access denied")
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
                return web_message(
                    413,
                    f"Dữ liệu quá lớn (tối đa {limit} MiB) / payload too large (limit {limit} MiB)",
                )
            except BadInput as exc:
                return web_message(exc.status if exc.status != 400 else 409, exc.message)

        return wrapper

    return decorate


def _unauthorized() -> JsonResponse:
    response = web_message(401, "Cần đăng nhập hoặc token / Unauthorized")
    response["WWW-Authenticate"] = 'Basic realm="DHIS2"'
    return response
