"""No page before the second factor: a session whose password was accepted but whose
code (or enrolment) is still to come reaches only the two-factor pages and log-out.

Fails closed: every other path is refused, the API and DHIS2 included (there the session
counts as anonymous, so a bearer token or Basic login still works on its own).

And the session's middleware (sessions, the user, django-otp's, messages) made to pass
over an API request with a bearer token and no session cookie, which has none of them.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import middleware as otp

from trienkhai.accounts import two_factor

OPEN_PATHS = ("/dang-xuat/", "/i18n/", "/xac-thuc/")
"""What a half-logged-in session may reach: log-out, the language switch, the code
and enrolment pages (accounts.urls)."""


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_bearer_api_request(request):
            return self.get_response(request)  # anonymous until its token is read
        step = two_factor.missing_step(request)
        if step is not None and not request.path.startswith(
            (*OPEN_PATHS, f"/{settings.STATIC_URL.strip('/')}/")
        ):
            if request.path.startswith(("/api/", "/dhis2/")):
                request.user = AnonymousUser()
            else:
                target = reverse(step)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)


# -- API requests with a bearer token ---------------------------------------------------
#
# A script sends ``Authorization: Bearer …`` and no cookie. Nothing of a browser's session
# can apply to it: the session is empty, the user from the session anonymous, no second
# factor is owed by nobody, no message waits. The middleware below, each a drop-in for
# Django's or django-otp's, hand such a request straight on; every other request (pages,
# the API with a session cookie, a bearer header beside a session cookie) goes through
# them as before. What still runs for a bearer request: security headers and the HTTPS
# redirect, the language, the host check, CSRF's middleware (ninja exempts its views and
# checks session auth itself), the NUL refusal, the history's request, axes; and the
# token, the permission policy and every rule of the endpoint, in the view.


def is_bearer_api_request(request) -> bool:
    """An API request bringing a bearer token and no session cookie."""
    return (
        request.path_info.startswith("/api/")
        and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, not for a bearer API request (no cookie: nothing to load or save)."""

    def __call__(self, request):
        if is_bearer_api_request(request):
            return self.get_response(request)
        return super().__call__(request)


class AuthenticationMiddleware(auth.AuthenticationMiddleware):
    """Django's; a bearer API request is anonymous until its token says who it is (the
    API's ``BearerToken``), as Django's would find with no session."""

    def __call__(self, request):
        if is_bearer_api_request(request):
            request.user = AnonymousUser()
            request.auser = _anonymous
            return self.get_response(request)
        return super().__call__(request)


async def _anonymous() -> AnonymousUser:
    return AnonymousUser()


class OTPMiddleware(otp.OTPMiddleware):
    """django-otp's, not for a bearer API request (no session verified by a device; the
    user its token names replaces ``request.user`` anyway)."""

    def __call__(self, request):
        if is_bearer_api_request(request):
            return self.get_response(request)
        return super().__call__(request)


class MessageMiddleware(messages.MessageMiddleware):
    """Django's, not for a bearer API request (its messages live in the session)."""

    def __call__(self, request):
        if is_bearer_api_request(request):
            return self.get_response(request)
        return super().__call__(request)
