"""Log-in in two steps, and the account page (tài khoản): two-factor and API tokens.

password (/dang-nhap/) → a code (/xac-thuc/ma/) if the account has two-factor on, or
the setup (/xac-thuc/thiet-lap/) if the rule obliges it and it has none → the page asked
for. ``TwoFactorMiddleware`` keeps a session between the steps away from every other page.
"""

import base64
import math
from urllib.parse import urlencode

import segno
from axes.models import AccessLog
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import lockout, services, two_factor
from trienkhai.accounts.forms import CodeForm, EnrolForm, TokenForm
from trienkhai.accounts.models import ApiToken, TwoFactorEvent
from trienkhai.common.errors import BadInput
from trienkhai.web.forms import posted, render_form


class LoginView(auth_views.LoginView):
    """The password step. A locked account gets the log-in page with the lock's message
    (429); an account that needs a second factor goes on to it."""

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            seconds = lockout.seconds_left(form.data.get("username", ""))
            response = lockout.locked_page(self.request, lockout.message(math.ceil(seconds / 60)))
            response["Retry-After"] = str(seconds)
            return response
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if two_factor.needs_code(user):
            self.request.session[two_factor.PENDING] = True
            step = "verify" if two_factor.has_two_factor(user) else "enrol"
            target = reverse(f"accounts:two_factor_{step}")
            return redirect(_with_next(target, _safe_next(self.request, self.get_success_url())))
        return response


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _safe_next(request, candidate: str | None = None) -> str:
    """Where to go after the log-in: ``next`` if it is on this site, else the home page."""
    target = candidate or request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code step: six digits from the app, or a recovery code."""
    user = request.user
    if user.is_verified() or not two_factor.has_two_factor(user):
        return redirect(_safe_next(request))
    form = CodeForm(posted(request))
    wait = 0
    if form.is_valid():
        wait = two_factor.wait_seconds(user)
        if not wait and two_factor.verify(
            request=request, user=user, code=form.cleaned_data["otp_token"]
        ):
            return redirect(_safe_next(request))
        wait = two_factor.wait_seconds(user)
        form.add_error(
            "otp_token",
            _("Mã không đúng hoặc đã dùng rồi.")
            + (" " + _("Chờ %(seconds)d giây rồi thử lại.") % {"seconds": wait} if wait else ""),
        )
    context = {"form": form, "next": _safe_next(request), "two_factor_step": True}
    return render_form(request, "accounts/two_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: scan, type its code, see the recovery codes once."""
    user = request.user
    if two_factor.has_two_factor(user) and not user.is_verified():
        return redirect(_with_next(reverse("accounts:two_factor_verify"), _safe_next(request)))
    form = EnrolForm(posted(request))
    if form.is_valid():
        try:
            codes = two_factor.confirm(
                acting_user=user, request=request, code=form.cleaned_data["otp_token"]
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request), "first": True},
            )
    device = two_factor.pending_device(user)
    secret = base64.b32encode(device.bin_key).decode()
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(
        scale=4, border=2, title=_("Mã QR để quét bằng ứng dụng xác thực")
    )
    context = {
        "form": form,
        "qr": mark_safe(qr),  # made here from our own URI, not from input
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": uri,
        "must": two_factor.must_use(user),
        "next": _safe_next(request),
        "two_factor_step": two_factor.missing_step(request) is not None,
    }
    return render_form(request, "accounts/two_factor_enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The user's own account: roles, two-factor, API tokens, recent log-ins."""
    user = request.user
    form = TokenForm(posted(request))
    new_token = None
    if form.is_valid():
        days = form.cleaned_data["days"]
        try:
            new_token = services.issue_token(
                user=user, name=form.cleaned_data["name"] or "web", days=days
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            form = TokenForm(None)
    context = {
        "form": form,
        "new_token": new_token,
        "roles": services.roles_held(user),
        "tokens": services.tokens_of(user),
        "two_factor_on": two_factor.has_two_factor(user),
        "must": two_factor.must_use(user),
        "recovery_left": two_factor.remaining_recovery_codes(user),
        "logins": AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")[
            :5
        ],
        "events": TwoFactorEvent.objects.filter(user=user).order_by("-created")[:5],
    }
    return render_form(request, "accounts/account.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    # Another user's token is a 404, as in the API: no probing for ids.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(acting_user=request.user, token=token)
    messages.success(request, _("Đã thu hồi khóa %(prefix)s….") % {"prefix": token.prefix})
    return redirect("accounts:account")


@login_required
@require_POST
def renew_recovery_codes(request):
    try:
        codes = two_factor.renew_recovery_codes(acting_user=request.user, request=request)
    except BadInput as exc:
        messages.error(request, exc.shown)
        return redirect("accounts:account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "first": False},
    )


@login_required
@require_POST
def turn_off(request):
    two_factor.turn_off(acting_user=request.user, request=request)
    messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("accounts:account")
