"""No page before the second factor: a session whose password was accepted but whose
code (or enrolment) is still to come reaches only the two-factor pages and log-out.

Fails closed: every other path is refused, the API and DHIS2 included (there the session
counts as anonymous, so a bearer token or Basic login still works on its own)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from trienkhai.accounts import two_factor

OPEN_PATHS = ("/dang-xuat/", "/i18n/", "/xac-thuc/")
"""What a half-logged-in session may reach: log-out, the language switch, the code
and enrolment pages (accounts.urls)."""


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
