"""The organiser's screens (issue 17): create a contest; its categories, the judges of its
rounds, the entries received (upload, receipt, disqualification); the results decision
and the prize certificates of a round (decision 0062). What the API does
(/api/v1/contests…), for office staff: names rather than codes, dd/mm/yyyy, 7,5.

Every page but the new contest's asks ``access.get_contest_for_organiser``: CHANGE on the
organiser and no judge of the contest (a judge is blind even if they manage the unit,
decision 0053). Each view: decorators → access → form → service → redirect or render
(400 with the errors beside the fields, nothing saved).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.activities.certificate_views import RevokeForm
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.contests import access, certificates, results, services
from trienkhai.contests.models import Category, Entry, Judge, PrizeCertificate
from trienkhai.contests.organiser_forms import (
    CategoryForm,
    CertificatesForm,
    ConflictForm,
    ContestForm,
    DisqualifyForm,
    EntryForm,
    JudgeForm,
    ResultsDecisionForm,
    people_near,
)
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import read_upload, require_some
from trienkhai.vn import format_number
from trienkhai.web.forms import for_user, posted, render_form

ENTRIES_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def create_contest(request):
    """Tạo cuộc thi: title, organiser, the days entries are taken, rounds and rubric."""
    require_some(request.user, policy.Action.CHANGE)
    form = for_user(ContestForm(posted(request)), request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = org_access.get_unit(request.user, data["unit"].code, policy.Action.CHANGE)
        except PermissionDenied:
            form.add_error("unit", _("Bạn không có quyền tổ chức cuộc thi cho đơn vị này."))
        else:
            try:
                contest = services.create_contest(
                    acting_user=request.user,
                    unit=unit,
                    title=data["title"],
                    opens=data["opens"],
                    closes=data["closes"],
                    rounds=[services.RoundInput(n, k) for n, k in data["rounds"]],
                    criteria=[services.CriterionInput(*c) for c in data["criteria"]],
                    categories=data["category_names"],
                )
            except BadInput as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã tạo cuộc thi: %(title)s.") % {"title": contest})
                return redirect("contests:contest", contest.pk)
    return render_form(request, "contests/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def categories(request, pk: int):
    """The contest's categories (thể loại) and the form adding one."""
    contest = access.get_contest_for_organiser(request.user, pk)
    form = CategoryForm(posted(request))
    status = None
    if form.is_valid():
        try:
            made = services.add_category(
                acting_user=request.user, contest=contest, name=form.cleaned_data["name"]
            )
        except BadInput as exc:  # a Conflict too: the name taken (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(request, _("Đã thêm thể loại %(name)s.") % {"name": made.name})
            return redirect("contests:categories", contest.pk)
    context = {
        "contest": contest,
        "form": form,
        "categories": list(Category.objects.filter(contest=contest)),
    }
    return _shown(request, "contests/categories.html", context, status)


def _shown(request, template: str, context: dict, status: int | None, *, form_key="form"):
    """The page with its form: the service's status when it refused, else 400 for a
    form with errors (``render_form``), else 200."""
    if status is not None:
        return render(request, template, context, status=status)
    return render_form(request, template, context, form_key=form_key)


@login_required
@require_http_methods(["GET", "POST"])
def judges(request, pk: int):
    """The judges of each round and the form naming one, with a cap on their pile."""
    contest = access.get_contest_for_organiser(request.user, pk)
    rounds = list(contest.rounds.all())
    form = JudgeForm(posted(request), rounds=rounds, initial={"round": request.GET.get("vong")})
    status = None
    if form.is_valid():
        data = form.cleaned_data
        round = access.get_round(contest, data["round"])
        try:
            services.add_judge(
                acting_user=request.user,
                contest=contest,
                round=round,
                user=data["user"],
                cap=data["cap"],
            )
        except BadInput as exc:  # a Conflict too: a judge of the round already (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            user = data["user"]
            messages.success(
                request,
                _("Đã thêm giám khảo %(name)s cho vòng %(round)s.")
                % {"name": user.full_name or user.username, "round": round.name},
            )
            return redirect(reverse("contests:judges", args=[contest.pk]) + f"?vong={round.number}")
    return _judges_page(request, contest, form, status=status)


def _judges_page(request, contest, form=None, conflict_form=None, *, status=None):
    rounds = list(contest.rounds.all())
    named = list(Judge.objects.filter(contest=contest).select_related("user", "round"))
    context = {
        "contest": contest,
        "form": form or JudgeForm(rounds=rounds),
        "conflict_form": conflict_form or for_user(ConflictForm(judges=named), request.user),
        "people": people_near(contest),
        "rounds": [
            {"round": r, "judges": [j for j in named if j.round_id == r.pk]} for r in rounds
        ],
    }
    key = "form" if conflict_form is None else "conflict_form"
    return _shown(request, "contests/judges.html", context, status, form_key=key)


@login_required
@require_POST
def record_conflict(request, pk: int):
    """Record for a judge a conflict of interest with an entry (by its receipt) or a unit
    and the units under it; the assignment keeps them apart once made again."""
    contest = access.get_contest_for_organiser(request.user, pk)
    named = list(Judge.objects.filter(contest=contest).select_related("user", "round"))
    form = for_user(ConflictForm(request.POST, judges=named), request.user)
    status = None
    if form.is_valid():
        data = form.cleaned_data
        entry = None
        if data["receipt"] is not None:
            entry = Entry.objects.filter(contest=contest, number=data["receipt"]).first()
            if entry is None:
                form.add_error("receipt", _("Cuộc thi không có bài mang số biên nhận này."))
        if form.is_valid():
            try:
                services.declare_conflict(
                    acting_user=request.user,
                    contest=contest,
                    user=data["judge"],
                    entry=entry,
                    unit=data["unit"],
                    reason=data["reason"],
                )
            except BadInput as exc:  # a Conflict too: declared already (409)
                form.add_service_error(exc)
                status = exc.status
            else:
                messages.success(request, _("Đã ghi nhận xung đột lợi ích."))
                return redirect(reverse("contests:contest", args=[contest.pk]) + "#conflicts")
    return _judges_page(request, contest, conflict_form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entries(request, pk: int):
    """Bài dự thi: the entries received, 50 a page, and the form receiving one; after it,
    the entry's receipt."""
    contest = access.get_contest_for_organiser(request.user, pk)
    kinds = list(Category.objects.filter(contest=contest).values_list("name", flat=True))
    form = for_user(
        EntryForm(
            posted(request), request.FILES if request.method == "POST" else None, categories=kinds
        ),
        request.user,
    )
    status = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            upload = data["file"]
            entry = services.receive_entry(
                acting_user=request.user,
                contest=contest,
                title=data["title"],
                author_name=data["author_name"],
                unit=data["unit"],
                file_name=upload.name or "",
                data=read_upload(upload),
                category=data.get("category") or None,
                sent_on=data["sent_on"],
            )
        except BadInput as exc:  # a Conflict too: the same file received already (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(
                request, _("Đã nhận bài, biên nhận số %(receipt)s.") % {"receipt": entry.receipt}
            )
            return redirect("contests:entry", contest.pk, entry.pk)
    found = (
        Entry.objects.filter(contest=contest)
        .select_related("unit", "category")
        .prefetch_related("unit__versions")  # the units' names: one query for the page
        .order_by("-number")
    )
    page = Paginator(found, ENTRIES_PER_PAGE).get_page(request.GET.get("trang"))
    context = {"contest": contest, "form": form, "page": page, "year": contest.opens.year}
    return _shown(request, "contests/entries.html", context, status)


def _entry_page(request, contest, entry, form, *, status: int = 200):
    context = {
        "contest": contest,
        "entry": entry,
        "form": form,
        "original": reverse(
            "api:contest_entry_original", kwargs={"contest_id": contest.pk, "entry_id": entry.pk}
        ),
        "anonymous": reverse(
            "api:contest_entry_file", kwargs={"contest_id": contest.pk, "entry_id": entry.pk}
        ),
    }
    return render(request, "contests/receipt.html", context, status=status)


def _entry(request, pk: int, entry_id: int):
    contest = access.get_contest_for_organiser(request.user, pk)
    entry = (
        Entry.objects.select_related("unit", "category", "received_by", "similar_to")
        .filter(pk=entry_id, contest=contest)
        .first()
    )
    if entry is None:
        raise NotFound("bài dự thi / entry", str(entry_id))
    return contest, entry


@login_required
@require_http_methods(["GET"])
def entry_page(request, pk: int, entry_id: int):
    """An entry's receipt: its number, SHA-256, who sent it, the near-same earlier entry;
    the form disqualifying it."""
    contest, entry = _entry(request, pk, entry_id)
    return _entry_page(request, contest, entry, DisqualifyForm())


@login_required
@require_POST
def disqualify(request, pk: int, entry_id: int):
    """Take the entry out of the ranking and results, saying why."""
    contest, entry = _entry(request, pk, entry_id)
    form = DisqualifyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.disqualify_entry(
                acting_user=request.user,
                contest=contest,
                entry=entry,
                reason=form.cleaned_data["reason"],
            )
        except BadInput as exc:  # a Conflict too: out already, the results issued (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(request, _("Đã loại bài %(receipt)s.") % {"receipt": entry.receipt})
            return redirect("contests:entry", contest.pk, entry.pk)
    return _entry_page(request, contest, entry, form, status=status)


def _round_end_page(
    request, contest, round, *, decision_form=None, certificates_form=None, status: int = 200
):
    found = results.winners(round)
    issued = list(
        PrizeCertificate.objects.filter(result__round=round)
        .select_related("result")
        .order_by("number")
    )
    decision = round.results_decision
    context = {
        "contest": contest,
        "round": round,
        "n_prized": sum(1 for r in found if r.prize_id is not None),
        "decision": decision,
        "attachments": list(decision.attachments.all()) if decision else [],
        "certificates": issued,
        "decision_form": decision_form or ResultsDecisionForm(organiser=contest.unit),
        "certificates_form": certificates_form or CertificatesForm(),
    }
    return render(request, "contests/decision.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, pk: int, number: int):
    """Công bố kết quả: the round's results decision from the organiser's register, then
    its certificates, each with its file."""
    contest = access.get_contest_for_organiser(request.user, pk)
    round = access.get_round(contest, number)
    if request.method == "GET":
        return _round_end_page(request, contest, round)
    form = ResultsDecisionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = results.issue_results(
                acting_user=request.user,
                contest=contest,
                round=round,
                date=data["date"],
                signer=data["signer"],
                signer_authority=data["signer_authority"],
                recipients=data["recipients"],
                summary=data["summary"],
            )
        except BadInput as exc:  # a Conflict too: no results, or issued already (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Đã ban hành Quyết định số %(symbol)s công nhận kết quả vòng %(round)s.")
                % {"symbol": document.symbol, "round": round.name},
            )
            return redirect("contests:decision", contest.pk, round.number)
    return _round_end_page(request, contest, round, decision_form=form, status=status)


@login_required
@require_POST
def issue_certificates(request, pk: int, number: int):
    """A certificate for each prize winner who has none yet (after the decision)."""
    contest = access.get_contest_for_organiser(request.user, pk)
    round = access.get_round(contest, number)
    form = CertificatesForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = certificates.issue(
                acting_user=request.user,
                contest=contest,
                round=round,
                signer_position=data["signer_position"],
                signer_name=data["signer_name"],
                day=data["day"],
            )
        except BadInput as exc:  # a Conflict too: no decision yet, all issued (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Đã cấp %(n)s giấy chứng nhận.") % {"n": format_number(len(made))},
            )
            return redirect(reverse("contests:decision", args=[contest.pk, round.number]) + "#gcn")
    return _round_end_page(request, contest, round, certificates_form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def revoke_certificate(request, pk: int, certificate_id: int):
    """Thu hồi: the confirmation page asking why; then back to the round's certificates,
    where it reads "Đã thu hồi ngày …: lý do" (and so does /xac-minh/)."""
    certificate = access.get_certificate_for_organiser(request.user, pk, certificate_id)
    round = certificate.result.round
    form = RevokeForm(posted(request))
    status = None
    if form.is_valid():
        try:
            certificates.revoke(
                acting_user=request.user, certificate=certificate, reason=form.cleaned_data["ly_do"]
            )
        except BadInput as exc:  # a Conflict too: revoked already (409)
            form.add_service_error(exc)
            status = exc.status
        else:
            messages.success(
                request, _("Đã thu hồi giấy chứng nhận số %(s)s.") % {"s": certificate.symbol}
            )
            return redirect(reverse("contests:decision", args=[pk, round.number]) + "#gcn")
    context = {"contest": round.contest, "round": round, "certificate": certificate, "form": form}
    return _shown(request, "contests/revoke.html", context, status)
