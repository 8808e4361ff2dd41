"""The notifications page, the choices page and the unsubscribe link."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import services as accounts
from trienkhai.common.errors import BadInput
from trienkhai.notifications import access, services, texts
from trienkhai.notifications.models import Kind

PAGE = 50


@login_required
@require_GET
def inbox(request):
    """The user's notifications, newest first (``?chua-doc=1``: unread only)."""
    found = access.mine(request.user)
    unread_only = request.GET.get("chua-doc") == "1"
    if unread_only:
        found = found.filter(read__isnull=True)
    page = Paginator(found, PAGE).get_page(request.GET.get("trang"))
    # Each said in the page's language, whatever language it was written in.
    shown = [(n, *texts.words(n)) for n in page.object_list]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "shown": shown, "unread_only": unread_only},
    )


def _back(request, default: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def read(request, pk: int):
    found = access.get_mine(request.user, pk)
    services.mark_read(acting_user=request.user, notification=found)
    if request.POST.get("go") and found.url.startswith("/"):
        return redirect(found.url)
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(acting_user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return _back(request, "notifications:inbox")


class ChoicesForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Địa chỉ e-mail"), required=False)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Gửi e-mail khi"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_digest = forms.TypedChoiceField(
        label=gettext_lazy("Cách gửi"),
        choices=[
            ("0", gettext_lazy("Gửi ngay từng thông báo")),
            ("1", gettext_lazy("Gộp thành một thư mỗi ngày")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    quiet_from = forms.TimeField(
        label=gettext_lazy("Không gửi e-mail từ"),
        help_text=gettext_lazy("Ví dụ 21:00 đến 07:00; để trống: gửi mọi lúc."),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    quiet_to = forms.TimeField(
        label=gettext_lazy("đến"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


def _initial(user) -> dict:
    chosen = services.choices_of(user)
    return {
        "email": user.email,
        "kinds": [] if "*" in chosen.muted else [k for k in Kind.values if k not in chosen.muted],
        "is_digest": "1" if chosen.is_digest else "0",
        "quiet_from": chosen.quiet_from,
        "quiet_to": chosen.quiet_to,
    }


@login_required
@require_http_methods(["GET", "POST"])
def choices(request):
    """Which events come by e-mail, at once or in a daily digest, and the quiet hours.
    The e-mails are written in the language the page is in when saved."""
    form = ChoicesForm(request.POST or None, initial=_initial(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.set_email(acting_user=request.user, user=request.user, email=data["email"])
            services.set_choices(
                acting_user=request.user,
                muted=[k for k in Kind.values if k not in data["kinds"]],
                is_digest=data["is_digest"],
                quiet_from=data["quiet_from"],
                quiet_to=data["quiet_to"],
                language=get_language() or "vi",
            )
        except BadInput as refusal:
            form.add_error(None, refusal.shown or refusal.message)
        else:
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect("notifications:choices")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/choices.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The link in every e-mail: works without logging in. GET asks (mail scanners open
    links), POST stops the e-mails; a tampered link is a 400 that changes nothing."""
    try:
        user, kind = services.read_unsubscribe_token(token)
    except BadInput as refusal:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"refused": refusal.shown or refusal.message},
            status=400,
        )
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    label = Kind(kind).label if kind != services.ALL else None
    return render(
        request,
        "notifications/unsubscribe.html",
        {"who": user, "kind_label": label, "done": done},
    )
