"""The certificate pages: an event's certificates (rule, issuing one or everyone, PDFs to
print), one certificate (its PDF, revoking it), and the public verification page
/xac-minh/ that anyone may open without logging in (decision 0044).

Issuing and revoking need CHANGE on the organiser (access.get_event, get_certificate);
a name, a code and a PDF also need CHANGE on the person's unit (decision 0040). The
public page answers from the code alone and shows only what the paper shows.
"""

import math

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts import policy
from trienkhai.accounts.lockout import client_ip
from trienkhai.activities import access, certificate_pdf, certificates
from trienkhai.activities.models import Certificate, Event, Person
from trienkhai.common.errors import BadInput
from trienkhai.drafting.pdf import ConversionError
from trienkhai.vn.text import slug
from trienkhai.web.forms import ServiceForm, VnDateField

PDF = "application/pdf"


class IssueForm(ServiceForm):
    """Who signs and the day of issue; ``nguoi``: one person (empty: everyone)."""

    nguoi = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ngay = VnDateField(label=gettext_lazy("Ngày cấp"))
    chuc_vu = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"),
        max_length=100,
        help_text=gettext_lazy("Ví dụ: TRƯỞNG BAN, PHÓ BÍ THƯ, CHỦ TỊCH."),
    )
    nguoi_ky = forms.CharField(
        label=gettext_lazy("Họ tên người ký"), max_length=100, required=False
    )
    error_fields = {
        "invalid_date": "ngay",
        "organiser_not_existing": "ngay",
        "missing_signer": "chuc_vu",
        "too_long": "chuc_vu",
    }


class RuleForm(ServiceForm):
    so_buoi = forms.IntegerField(
        label=gettext_lazy("Số buổi tối thiểu"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=gettext_lazy("Để trống: phải dự đủ mọi buổi."),
    )
    error_fields = {"invalid_rule": "so_buoi"}


class RevokeForm(ServiceForm):
    ly_do = forms.CharField(
        label=gettext_lazy("Lý do thu hồi"),
        max_length=certificates.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    error_fields = {"missing_reason": "ly_do", "too_long": "ly_do"}


# An event's certificates ------------------------------------------------------------------


def _list_page(request, event: Event, *, issue=None, rule=None, status=200):
    roll = certificates.candidates(event)
    named = access.named_people(request.user, [c.person for c in roll.candidates])
    printable = [c.certificate for c in roll.candidates if c.certificate and c.person.pk in named]
    printable.sort(key=lambda c: (c.year, c.number))
    batches = [
        (n + 1, part[0], part[-1])
        for n, part in enumerate(
            printable[i : i + certificate_pdf.BATCH]
            for i in range(0, len(printable), certificate_pdf.BATCH)
        )
    ]
    position, signer = certificates.last_signer(event.organiser)
    initial = {"ngay": certificates.default_day(event), "chuc_vu": position, "nguoi_ky": signer}
    context = {
        "event": event,
        "roll": roll,
        "named": named,
        "issue": issue or IssueForm(initial=initial),
        "rule": rule or RuleForm(initial={"so_buoi": event.certificate_sessions}),
        "batches": batches,
        "revoked": Certificate.objects.filter(event=event)
        .exclude(state=Certificate.State.VALID)
        .select_related("person")
        .order_by("year", "number"),
    }
    return render(request, "activities/certificates/list.html", context, status=status)


@login_required
@require_GET
def certificate_list(request, pk: int):
    """Who attended enough sessions, who holds a certificate, what can be issued."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    return _list_page(request, event)


@login_required
@require_POST
def issue_certificates(request, pk: int):
    """Issue a certificate to one person (``nguoi``) or to everyone who may have one."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    form = IssueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        people = None
        if data["nguoi"]:
            people = list(Person.objects.filter(pk=data["nguoi"]))
            if not people:
                raise BadInput("unknown_person", "Không có người này / no such person")
        try:
            made = certificates.issue(
                acting_user=request.user,
                event=event,
                people=people,
                day=data["ngay"],
                signer_position=data["chuc_vu"],
                signer_name=data["nguoi_ky"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Đã cấp %(n)s giấy chứng nhận, số %(first)s đến %(last)s.")
                % {"n": len(made), "first": made[0].symbol, "last": made[-1].symbol}
                if len(made) > 1
                else _("Đã cấp giấy chứng nhận số %(symbol)s.") % {"symbol": made[0].symbol},
            )
            return redirect("activities:certificates", event.pk)
    return _list_page(request, event, issue=form, status=400)


@login_required
@require_POST
def certificate_rule(request, pk: int):
    """The sessions a participant must attend to be given a certificate."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            certificates.set_rule(
                acting_user=request.user, event=event, sessions=form.cleaned_data["so_buoi"]
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu điều kiện cấp giấy chứng nhận."))
            return redirect("activities:certificates", event.pk)
    return _list_page(request, event, rule=form, status=400)


@login_required
@require_GET
def certificates_pdf(request, pk: int, part: int):
    """Part ``part`` (100 a part, by number) of the event's valid certificates whose names
    the user may read, in one PDF to print."""
    event = access.get_event(request.user, pk, policy.Action.CHANGE)
    found = list(
        Certificate.objects.filter(event=event, state=Certificate.State.VALID)
        .select_related("person__unit")
        .order_by("year", "number")
    )
    named = access.named_people(request.user, [c.person for c in found])
    found = [c for c in found if c.person_id in named]
    chosen = found[(part - 1) * certificate_pdf.BATCH : part * certificate_pdf.BATCH]
    if part < 1 or not chosen:
        raise BadInput("no_such_part", "Không có phần này / no such part")
    try:
        data = certificate_pdf.pdf_of_many(chosen)
    except ConversionError as exc:
        return _unavailable(request, exc)
    name = f"giay-chung-nhan-{slug(event.title)}-{part}.pdf"
    return _attachment(data, name)


# One certificate ---------------------------------------------------------------------------


def _certificate_page(request, certificate: Certificate, form=None, status=200):
    context = {
        "certificate": certificate,
        "may_name": access.may_name(request.user, certificate),
        "form": form or RevokeForm(),
    }
    return render(request, "activities/certificates/certificate.html", context, status=status)


@login_required
@require_GET
def certificate_page(request, pk: int):
    """What the certificate shows (the name to whoever may read it), its PDF, revoking it."""
    return _certificate_page(request, access.get_certificate(request.user, pk))


@login_required
@require_GET
def certificate_file(request, pk: int):
    """The certificate's PDF (made again each time from what was issued)."""
    certificate = access.get_printable_certificate(request.user, pk)
    try:
        data = certificate_pdf.pdf(certificate)
    except ConversionError as exc:
        return _unavailable(request, exc)
    return _attachment(data, f"giay-chung-nhan-{slug(certificate.symbol)}.pdf")


@login_required
@require_POST
def revoke_certificate(request, pk: int):
    certificate = access.get_certificate(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.revoke(
                acting_user=request.user, certificate=certificate, reason=form.cleaned_data["ly_do"]
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã thu hồi giấy chứng nhận số %(s)s.") % {"s": certificate.symbol}
            )
            return redirect("activities:certificate", certificate.pk)
    return _certificate_page(request, certificate, form, 409 if not certificate.is_valid else 400)


def _attachment(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _unavailable(request, error: ConversionError) -> HttpResponse:
    """503: the PDF cannot be made now (no LibreOffice, or it failed)."""
    context = {"status": 503, "message": error.message.split(" / ")[0]}
    response = render(request, "web/error.html", context, status=503)
    response["Retry-After"] = "60"
    return response


# The public verification page --------------------------------------------------------------


@never_cache
@require_GET
def verify_form(request):
    """The form to type a code (?ma=): a code that cannot be one is said at once."""
    typed = request.GET.get("ma", "")
    error = ""
    if typed:
        code = certificates.read_code(typed)
        if code is not None:
            return redirect("activities:verify", certificates.grouped(code))
        error = _(
            "Mã xác minh gồm 16 chữ và số, ví dụ ABCD-EFGH-JKMN-PQRS. Hãy kiểm tra lại mã in "
            "trên giấy chứng nhận."
        )
    context = {"typed": typed, "error": error}
    return render(
        request, "activities/certificates/verify.html", context, status=400 if error else 200
    )


@never_cache
@require_GET
def verify(request, code: str):
    """Whether the certificate of ``code`` is valid, and what it shows; or revoked, or
    not found. Anyone may open it; a name only while the certificate has one."""
    found, wait = certificates.check(code, client_ip(request))
    context = {"typed": code, "certificate": found, "wait_minutes": math.ceil(wait / 60)}
    status = 429 if wait else 404 if found is None else 200
    response = render(request, "activities/certificates/verify.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the code is in the address
    return response
