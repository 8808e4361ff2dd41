"""Locked accounts: what a log-in of a locked account is answered, everywhere.

django-axes counts failed log-ins per user name (settings ``LOGIN_FAILURES`` within
``LOGIN_LOCK_MINUTES``) and refuses the account's log-ins, right password or not,
until the lock ends. Every log-in goes through ``django.contrib.auth.authenticate`` with
the request, so the same count and the same lock cover the web page, the admin's log-in
page, ``POST /api/v1/auth/token`` and DHIS2's Basic auth. This module shapes the answer
(``locked_response``, called by ``axes.middleware.AxesMiddleware``) for each of them.
"""

import datetime as dt
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether ``username``'s log-ins are refused now."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.is_locked(request, {"username": username})


def record_success(request: HttpRequest, user) -> None:
    """A password accepted outside a session log-in (an API token, a DHIS2 Basic login):
    written to the access log, and the account's failures forgotten, as a web log-in
    does through the ``user_logged_in`` signal."""
    if not getattr(settings, "AXES_ENABLED", True):
        return
    AxesProxyHandler.update_request(request)
    r = request  # axes' handler would also make a session for a script: not wanted
    AccessLog.objects.create(
        username=user.get_username(),
        ip_address=r.axes_ip_address,  # type: ignore[attr-defined]
        user_agent=r.axes_user_agent,  # type: ignore[attr-defined]
        http_accept=r.axes_http_accept,  # type: ignore[attr-defined]
        path_info=r.axes_path_info,  # type: ignore[attr-defined]
        attempt_time=r.axes_attempt_time,  # type: ignore[attr-defined]
    )
    AxesProxyHandler.reset_attempts(username=user.get_username())


def lock_ends(username: str) -> dt.datetime | None:
    """When the lock of ``username`` ends (``LOGIN_LOCK_MINUTES`` after the failure that
    began it), or None if no failure is counted."""
    latest = (
        AccessAttempt.objects.filter(username=username)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return None if latest is None else latest + settings.AXES_COOLOFF_TIME


def seconds_left(username: str) -> int:
    """Seconds until the lock of ``username`` ends (at least 1)."""
    ends = lock_ends(username) if username else None
    return max(1, math.ceil((ends - timezone.now()).total_seconds())) if ends else 60


def message(minutes: int) -> str:
    return _(
        "Tài khoản tạm khóa vì đăng nhập sai quá nhiều lần. Hãy thử lại sau %(minutes)d phút, "
        "hoặc nhờ quản trị viên mở khóa."
    ) % {"minutes": minutes}


def bilingual_message(seconds: int) -> str:
    """The message for scripts (the API's and DHIS2's "tiếng Việt / English" style)."""
    minutes = math.ceil(seconds / 60)
    return (
        f"Tài khoản tạm khóa vì đăng nhập sai quá nhiều lần: thử lại sau {minutes} phút / "
        f"account locked after too many failed log-ins: try again in {minutes} minutes"
    )


def locked_response(request: HttpRequest, original_response=None, credentials=None):
    """The answer to a log-in of a locked account: 429 with ``Retry-After``; JSON in the
    API's shape under /api/, a DHIS2 web message under /dhis2/, else the log-in page
    with the message."""
    seconds = seconds_left((credentials or {}).get("username") or "")
    text = bilingual_message(seconds)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"code": "locked", "message": text}}, status=429)
    elif request.path.startswith("/dhis2/"):
        body = {
            "httpStatus": "Too Many Requests",
            "httpStatusCode": 429,
            "status": "ERROR",
            "errorCode": "locked",
            "message": text,
        }
        response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    elif original_response is not None and original_response.status_code == 429:
        response = original_response  # the log-in page already says so
    else:
        response = locked_page(request, message(math.ceil(seconds / 60)))
    response["Retry-After"] = str(seconds)
    return response


def locked_page(request: HttpRequest, text: str) -> HttpResponse:
    """The log-in page, saying the account is locked (rendered by the log-in view too)."""
    from django.contrib.auth.forms import AuthenticationForm

    return render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "locked": text, "next": request.GET.get("next", "")},
        status=429,
    )


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address for the audit (never for the lock, which is per account):
    behind the reverse proxy (TRIENKHAI_BEHIND_PROXY) the last address the proxy added
    to X-Forwarded-For, which a client cannot forge."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:45]
    return request.META.get("REMOTE_ADDR")
