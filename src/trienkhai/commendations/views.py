"""The commendation pages under /khen-thuong/ (issue 17, decisions 0054 and 0057):
the nominations of a unit, a new nomination with its dossier, a nomination with its
review, the giver's review queue and its award decision, the register of who received
what, and the history of a collective or a person.

Each view: decorators → access (which asks accounts.policy) → form → service → render
or redirect. A person's name needs CHANGE on their unit or on the giver (decision 0040).
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.commendations import access, services
from trienkhai.commendations.forms import (
    FILE_ROLES,
    ROLE_LABELS,
    DecisionForm,
    FileForm,
    Filter,
    NominationForm,
    ReasonForm,
    ResubmitForm,
)
from trienkhai.commendations.models import Nomination
from trienkhai.commendations.templatetags.commendations import status_word
from trienkhai.common.audit import audit_rows
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.documents.attachments import CONTENT_TYPES
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import read_upload
from trienkhai.orgs.models import Unit
from trienkhai.web.downloads import attachment
from trienkhai.web.forms import for_user, posted, render_form

Status = Nomination.Status
WAITING = (Status.SUBMITTED, Status.RESUBMITTED)
SHOWN = 300
"""Rows a list shows (the newest); the rest are reached by year or a unit below."""


def _unit_and_year(request, action=policy.Action.VIEW) -> tuple[Filter, Unit, int | None]:
    """The page's unit (chosen, else the user's first) with ``action`` on it, and year."""
    form = for_user(Filter(request.GET), request.user)
    form.is_valid()
    chosen = form.cleaned_data.get("don-vi")
    code = chosen.code if chosen else org_access.default_unit(request.user).code
    unit = org_access.get_unit(request.user, code, action)
    data = dict(form.data.items())
    form.data = {**data, "don-vi": data.get("don-vi") or unit.code}
    return form, unit, form.cleaned_data.get("nam")


def _named_units(nominations: list[Nomination]) -> list[Nomination]:
    """The units' names read for the whole list at once (``unit_name`` in the rows)."""
    prefetch_related_objects(nominations, "recipient_unit__versions", "giver__versions")
    return nominations


def _rows(user, nominations: list[Nomination]) -> list[tuple[Nomination, bool]]:
    """Each nomination with whether ``user`` reads its person's name (asked once)."""
    _named_units(nominations)
    named = access.named(user, nominations)
    return [(n, n.pk in named) for n in nominations]


@login_required
@require_GET
def nominations_page(request):
    """The nominations of a unit's collectives and people, newest first."""
    form, unit, year = _unit_and_year(request)
    found = list(
        access.nominations_under(org_access.visible_subtree_ids(request.user, unit), year)[:SHOWN]
    )
    context = {
        "form": form,
        "unit": unit,
        "rows": _rows(request.user, found),
        "more": len(found) == SHOWN,
        "may_change": policy.can(request.user, policy.Action.CHANGE, unit),
    }
    return render_form(request, "commendations/nominations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_nomination(request):
    """A new nomination of a collective or a person, with its dossier files."""
    org_access.require_some(request.user, policy.Action.CHANGE)
    initial = {"recipient_unit": request.GET.get("don-vi", "")}
    form = for_user(
        NominationForm(posted(request), request.FILES or None, initial=initial), request.user
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            recipient = org_access.get_unit(
                request.user, data["recipient_unit"].code, policy.Action.CHANGE
            )
            files = [
                (role, upload.name or "", read_upload(upload))
                for role, _label in FILE_ROLES
                if (upload := data.get(role))
            ]
            nomination = services.nominate_with_files(
                acting_user=request.user,
                files=files,
                kind=access.get_kind(data["kind"]),
                giver=data["giver"],
                year=data["year"],
                achievement=data["achievement"],
                recipient_unit=recipient,
                recipient_name=data["recipient_name"],
            )
        except policy.PermissionDenied:
            form.add_error("recipient_unit", _("Bạn không có quyền đề nghị cho đơn vị này."))
        except BadInput as exc:
            form.add_service_error(exc)
            return render(request, "commendations/create.html", {"form": form}, status=exc.status)
        else:
            messages.success(request, _("Đã gửi đề nghị khen thưởng."))
            return redirect("commendations:nomination", nomination.pk)
    return render_form(request, "commendations/create.html", {"form": form})


HISTORY_LABELS = {
    "status": gettext_lazy("Trạng thái"),
    "reason": gettext_lazy("Lý do"),
    "achievement": gettext_lazy("Thành tích"),
}


def _nomination_page(request, nomination: Nomination, *, forms=None, error=None, status=200):
    """The nomination, its dossier and history, and the forms the user may use."""
    user = request.user
    may_review = policy.can(user, policy.Action.CHANGE, nomination.giver)
    may_nominate = policy.can(user, policy.Action.CHANGE, nomination.recipient_unit)
    files = access.files_shown(user, nomination)
    held = {f.role for f in files}
    history = audit_rows(
        nomination.history.select_related("history_user").all(),
        labels=HISTORY_LABELS,
        subject=lambda _record: "",
        show=lambda field, value: status_word(str(value)) if field == "status" else str(value),
    )
    forms = forms or {}
    context = {
        "nomination": nomination,
        "named": access.may_see_name(user, nomination),
        "files": [(f, ROLE_LABELS.get(f.role, f.role)) for f in files],
        "missing": [label for role, label in FILE_ROLES if role not in held],
        "history": history,
        "may_review": may_review and nomination.status in WAITING,
        "may_resubmit": may_nominate and nomination.status == Status.RETURNED,
        "may_add_file": may_nominate and nomination.is_open,
        "may_refuse": may_review
        and nomination.status in (*WAITING, Status.ACCEPTED, Status.RETURNED),
        "return_form": forms.get("return") or ReasonForm(prefix="tra-lai"),
        "refuse_form": forms.get("refuse") or ReasonForm(prefix="khong-dong-y"),
        "resubmit_form": forms.get("resubmit")
        or ResubmitForm(initial={"achievement": nomination.achievement}),
        "file_form": forms.get("file") or FileForm(),
        "error": error,
    }
    return render(request, "commendations/nomination.html", context, status=status)


@login_required
@require_GET
def nomination_page(request, pk: int):
    return _nomination_page(request, access.get_nomination(request.user, pk))


def _act(request, pk: int, done: str, act, form_key: str | None = None, form=None):
    """Run ``act(nomination, form)`` for a POST on a nomination's page: back to the page
    with ``done`` said, or the page again with the form's or the service's error."""
    nomination = access.get_nomination(request.user, pk)
    if form is not None and not form.is_valid():
        return _nomination_page(request, nomination, forms={form_key: form}, status=400)
    try:
        act(nomination, form)
    except BadInput as exc:
        if form is not None and exc.code in (
            "invalid_reason",
            "invalid_achievement",
            "duplicate_achievement",
        ):
            form.add_error(None, exc.shown)
            return _nomination_page(request, nomination, forms={form_key: form}, status=exc.status)
        return _nomination_page(request, nomination, error=exc.shown, status=exc.status)
    messages.success(request, done)
    return redirect("commendations:nomination", nomination.pk)


@login_required
@require_POST
def accept(request, pk: int):
    return _act(
        request,
        pk,
        _("Đã đồng ý đề nghị; đề nghị chờ quyết định khen thưởng."),
        lambda n, _form: services.accept(acting_user=request.user, nomination=n),
    )


def _with_reason(request, pk: int, done: str, service, key: str, prefix: str):
    """Return or refuse: the giver's service called with the reason typed."""
    form = ReasonForm(request.POST, prefix=prefix)

    def act(nomination, form):
        service(acting_user=request.user, nomination=nomination, reason=form.cleaned_data["reason"])

    return _act(request, pk, done, act, key, form)


@login_required
@require_POST
def return_for_correction(request, pk: int):
    done = _("Đã trả lại đề nghị để bổ sung; đơn vị đề nghị thấy lý do.")
    return _with_reason(request, pk, done, services.return_for_correction, "return", "tra-lai")


@login_required
@require_POST
def refuse(request, pk: int):
    done = _("Đã không đồng ý đề nghị.")
    return _with_reason(request, pk, done, services.refuse, "refuse", "khong-dong-y")


@login_required
@require_POST
def resubmit(request, pk: int):
    return _act(
        request,
        pk,
        _("Đã trình lại đề nghị."),
        lambda n, form: services.resubmit(
            acting_user=request.user, nomination=n, achievement=form.cleaned_data["achievement"]
        ),
        "resubmit",
        ResubmitForm(request.POST),
    )


@login_required
@require_POST
def add_file(request, pk: int):
    def act(nomination, form):
        upload = form.cleaned_data["file"]
        services.add_file(
            acting_user=request.user,
            nomination=nomination,
            role=form.cleaned_data["role"],
            file_name=upload.name or "",
            data=read_upload(upload),
        )

    form = FileForm(request.POST, request.FILES)
    return _act(request, pk, _("Đã thêm tệp vào hồ sơ."), act, "file", form)


@login_required
@require_GET
def dossier_file(request, pk: int):
    """A file of a nomination's dossier, to whoever reads the nomination."""
    found = access.get_file(request.user, pk)
    try:
        data = (Path(settings.MEDIA_ROOT) / found.path).read_bytes()
    except FileNotFoundError:
        raise NotFound("tệp hồ sơ / dossier file", found.name) from None
    return attachment(data, CONTENT_TYPES.get(found.kind, "application/octet-stream"), found.name)


def _review_page(request, giver: Unit, year: int | None, filter_form, decision_form, status=200):
    found = list(access.nominations_of(giver, None, year))
    rows = _rows(request.user, found)
    context = {
        "form": filter_form,
        "unit": giver,
        "waiting": [r for r in rows if r[0].status in WAITING],
        "returned": [r for r in rows if r[0].status == Status.RETURNED],
        "accepted": [r for r in rows if r[0].status == Status.ACCEPTED],
        "decided": [r for r in rows if r[0].status in (Status.AWARDED, Status.REFUSED)][-50:],
        "decision_form": decision_form,
    }
    return render(request, "commendations/review.html", context, status=status)


@login_required
@require_GET
def review_page(request):
    """The giver's review: waiting, returned, accepted (to decide), decided."""
    form, giver, year = _unit_and_year(request, policy.Action.CHANGE)
    return _review_page(request, giver, year, form, DecisionForm())


@login_required
@require_POST
def issue_decision(request):
    """Issue the award decision from the giver's register for the accepted nominations
    ticked (``POST /api/v1/commendations/decisions`` from a page)."""
    giver = org_access.get_unit(request.user, request.POST.get("don-vi", ""), policy.Action.CHANGE)
    form = DecisionForm(request.POST)
    status = 400
    chosen = [int(i) for i in request.POST.getlist("de-nghi") if i.isdigit() and len(i) < 12]
    nominations = list(Nomination.objects.filter(pk__in=chosen, giver=giver))
    if form.is_valid() and not nominations:
        form.add_error(None, _("Chọn ít nhất một đề nghị đã đồng ý."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.issue_decision(
                acting_user=request.user,
                giver=giver,
                nominations=nominations,
                date=data["date"],
                signer=data["signer"],
                signer_authority=data["signer_authority"],
                signer_on_behalf=data["signer_on_behalf"],
                signer_position=data["signer_position"],
                recipients=data["recipients"],
                summary=data["summary"],
            )
        except BadInput as exc:
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Đã ban hành Quyết định số %(symbol)s, khen thưởng %(n)s đề nghị.")
                % {"symbol": document.symbol, "n": len(nominations)},
            )
            return redirect("documents:document", document.pk)
    filter_form = for_user(Filter({"don-vi": giver.code}), request.user)
    filter_form.is_valid()
    return _review_page(request, giver, None, filter_form, form, status=status)


@login_required
@require_GET
def register_page(request):
    """Who received what: the awards to the collectives and people of a unit's subtree."""
    form, unit, year = _unit_and_year(request)
    awards = list(access.awards_in(request.user, unit, year)[:SHOWN])
    nominations = _named_units([a.nomination for a in awards])
    named = access.named(request.user, nominations)
    context = {
        "form": form,
        "unit": unit,
        "rows": [(a, a.nomination.pk in named) for a in awards],
        "more": len(awards) == SHOWN,
        "collectives": len({n.recipient_unit_id for n in nominations if n.individual_id is None}),
        "people": len({n.individual_id for n in nominations if n.individual_id is not None}),
    }
    return render_form(request, "commendations/register.html", context)


@login_required
@require_GET
def collective_page(request, code: str):
    """A collective's commendations over the years, and its people's (names as 0040)."""
    unit = org_access.get_unit(request.user, code, policy.Action.VIEW)
    people = list(
        Nomination.objects.select_related(*access.LISTED)
        .filter(recipient_unit=unit, individual__isnull=False)
        .order_by("-year", "-id")
    )
    context = {
        "unit": unit,
        "rows": _named_units(list(access.history_of_collective(unit))),
        "people": _rows(request.user, people),
    }
    return render(request, "commendations/collective.html", context)


@login_required
@require_GET
def person_page(request, pk: int):
    """A person's commendations over the years, with the erasure (decision 0040)."""
    individual = access.get_individual(request.user, pk)
    rows = _named_units(list(access.history_of_individual(individual)))
    context = {"person": individual, "rows": rows}
    return render(request, "commendations/person.html", context)


@login_required
@require_POST
def erase_person(request, pk: int):
    """Erase a person's name after a page that asks (the same POST with ``xac_nhan=1``);
    the awards and every count stay."""
    individual = access.get_individual(request.user, pk)
    if request.POST.get("xac_nhan") != "1":
        return render(request, "commendations/erase.html", {"person": individual})
    services.erase_individual(acting_user=request.user, individual=individual)
    messages.success(request, _("Đã xóa họ tên; khen thưởng và số liệu vẫn giữ nguyên."))
    return redirect(reverse("commendations:person", args=[individual.pk]))
