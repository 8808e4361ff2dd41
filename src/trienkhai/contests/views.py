"""The contest pages under /cuoc-thi/ (issue 17): for organisers the contests they hold,
a contest with its rounds, rubric and judges, the assignment of a round, its ranking,
its closing, prizes and the entries forwarded to the higher level (decision 0056);
for a judge "Bài được giao chấm": the entries assigned to them, anonymously, and a
score sheet per entry.

Each view: decorators → access (``contests.access``, which asks ``accounts.policy``) →
form → service → render or redirect. A judge never sees an entry's author, unit or
receipt, even one who also manages the organiser (decision 0053).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import access, pages, ranking, results, services
from trienkhai.contests.forms import PrizesForm, ScoreForm, shown
from trienkhai.contests.models import Category, Entry
from trienkhai.vn import format_number
from trienkhai.web.forms import render_form

READINGS_PER_PAGE = 50
RANKED_PER_PAGE = 100


@login_required
@require_GET
def contest_list(request):
    """The contests the user organises (CHANGE on the organiser) and those they judge."""
    context = {
        "organised": pages.organised(request.user),
        "judged": pages.judged(request.user),
    }
    return render(request, "contests/list.html", context)


def _contest_page(request, contest, *, error: str = "", status: int = 200):
    context = {
        "contest": contest,
        "rounds": pages.summary(contest),
        "criteria": pages.criteria(contest),
        "conflicts": pages.conflicts(contest),
        "n_entries": Entry.objects.filter(contest=contest).count(),
        "n_units": Entry.objects.filter(contest=contest).values("unit").distinct().count(),
        "error": error,
    }
    return render(request, "contests/contest.html", context, status=status)


@login_required
@require_GET
def contest_page(request, pk: int):
    """A contest for its organisers: rounds, rubric, judges with their load, entries."""
    return _contest_page(request, access.get_contest_for_organiser(request.user, pk))


@login_required
@require_POST
def assign(request, pk: int, number: int):
    """Assign the round's judges to every entry (decision 0052), replacing the round's
    earlier assignment; refused (409) once a sheet is in."""
    contest, round = _organised(request, pk, number)
    try:
        result = services.assign_round(acting_user=request.user, contest=contest, round=round)
    except Conflict as exc:
        return _contest_page(request, contest, error=exc.shown, status=exc.status)
    messages.success(
        request,
        _("Đã phân công %(readings)s lượt chấm cho vòng %(round)s.")
        % {"readings": format_number(len(result.pairs)), "round": round.name},
    )
    if result.unassigned:
        messages.warning(
            request,
            _(
                "%(n)s bài chưa đủ %(k)s giám khảo (trùng đơn vị hoặc hết giới hạn): "
                "thêm giám khảo rồi phân công lại."
            )
            % {"n": format_number(len(result.unassigned)), "k": round.judges_per_entry},
        )
    return redirect("contests:contest", contest.pk)


def _round_page(request, contest, round, *, prizes_form=None, error: str = "", status=200):
    """The round's ranking (decision 0053): raw and normalised scores, the disagreement
    flag, 100 entries a page (``?lech=1``: only the entries the judges split on); then its
    end: closing, the prizes and the quota forwarded, the results (decision 0056)."""
    ranked = ranking.of_round(round)
    split_only = request.GET.get("lech") == "1"
    shown = [r for r in ranked if r.disagreement] if split_only else ranked
    page = Paginator(shown, RANKED_PER_PAGE).get_page(request.GET.get("trang"))
    titles = pages.titles([r.entry for r in page.object_list])
    year = contest.opens.year
    rows = [
        {"r": r, "title": titles.get(r.entry, ""), "receipt": Entry.receipt_of(r.number, year)}
        for r in page.object_list
    ]
    prizes = list(round.prizes.select_related("category"))
    found = results.winners(round)
    context = {
        "contest": contest,
        "round": round,
        "rows": rows,
        "page": page,
        "split_only": split_only,
        "n_ranked": sum(1 for r in ranked if r.rank is not None),
        "n_split": sum(1 for r in ranked if r.disagreement),
        "n_all": len(ranked),
        "threshold": ranking.DISAGREEMENT,
        "prizes": prizes,
        "prizes_form": prizes_form
        or PrizesForm(
            categories=_categories(contest), initial=PrizesForm.shown(prizes, round.forward_quota)
        ),
        "results": found,
        "n_prized": sum(1 for r in found if r.prize_id is not None),
        "n_forwarded": sum(1 for r in found if r.is_forwarded),
        "year": year,
        "error": error,
    }
    return render(request, "contests/round.html", context, status=status)


@login_required
@require_GET
def round_page(request, pk: int, number: int):
    contest = access.get_contest_for_organiser(request.user, pk)
    return _round_page(request, contest, access.get_round(contest, number))


def _organised(request, pk: int, number: int):
    """The contest and its round ``number``, for whoever may change its organiser."""
    contest = access.get_contest_for_organiser(request.user, pk)
    return contest, access.get_round(contest, number)


def _to_round(contest, round):
    return redirect(reverse("contests:round", args=[contest.pk, round.number]) + "#end")


@login_required
@require_POST
def close(request, pk: int, number: int):
    """End scoring in the round (409 if it is closed already)."""
    contest, round = _organised(request, pk, number)
    try:
        services.close_round(acting_user=request.user, contest=contest, round=round)
    except Conflict as exc:
        return _round_page(request, contest, round, error=exc.shown, status=exc.status)
    messages.success(request, _("Đã kết thúc chấm vòng %(round)s.") % {"round": round.name})
    return _to_round(contest, round)


def _categories(contest) -> list[str]:
    return list(Category.objects.filter(contest=contest).values_list("name", flat=True))


@login_required
@require_POST
def set_prizes(request, pk: int, number: int):
    """The round's prizes and its quota forwarded; replaces the results drawn."""
    contest, round = _organised(request, pk, number)
    form = PrizesForm(request.POST, categories=_categories(contest))
    if form.is_valid():
        try:
            results.set_prizes(
                acting_user=request.user,
                contest=contest,
                round=round,
                prizes=[results.PrizeInput(*p) for p in form.cleaned_data["prizes"]],
                forward_quota=form.cleaned_data.get("gui_cap_tren"),
            )
        except Conflict as exc:
            form.add_error(None, exc.shown)
            return _round_page(request, contest, round, prizes_form=form, status=exc.status)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã lưu cơ cấu giải vòng %(round)s.") % {"round": round.name}
            )
            return _to_round(contest, round)
    return _round_page(request, contest, round, prizes_form=form, status=400)


@login_required
@require_POST
def draw(request, pk: int, number: int):
    """Give the prizes down the closed round's ranking and forward its first entries."""
    contest, round = _organised(request, pk, number)
    try:
        found = results.draw_results(acting_user=request.user, contest=contest, round=round)
    except BadInput as exc:  # a Conflict too: the round open, the results issued
        return _round_page(request, contest, round, error=exc.shown, status=exc.status)
    messages.success(
        request,
        _("Đã xét giải: %(prized)s bài đoạt giải, %(forwarded)s bài gửi dự thi cấp trên.")
        % {
            "prized": format_number(sum(1 for r in found if r.prize_id is not None)),
            "forwarded": format_number(sum(1 for r in found if r.is_forwarded)),
        },
    )
    return _to_round(contest, round)


@login_required
@require_GET
def judging(request, pk: int):
    """Bài được giao chấm: the entries assigned to the user in the contest, anonymously
    (title and kind only), each with their own sheet's total once they have scored it."""
    contest = access.get_contest_for_judge(request.user, pk)
    found = pages.readings(request.user, contest)
    page = Paginator(found, READINGS_PER_PAGE).get_page(request.GET.get("trang"))
    context = {
        "contest": contest,
        "page": page,
        "n_assigned": len(found),
        "n_scored": sum(1 for r in found if r.total is not None),
    }
    return render(request, "contests/judging.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_entry(request, pk: int, number: int, entry_id: int):
    """An entry assigned to the user in round ``number``: its anonymous text and file, and
    their score sheet. Any other entry (or an organiser who does not judge it) → 403."""
    reading = access.read_entry(request.user, pk, entry_id)
    round = next((r for r in reading.rounds if r.number == number), None)
    if reading.is_organiser or round is None:
        raise PermissionDenied(access.NOT_ASSIGNED)
    entry = reading.entry
    contest = entry.contest
    criteria = pages.criteria(contest)
    sheet = pages.sheet_of(request.user, round, entry)
    number = pages.number_in_pile(request.user, round, entry.pk)
    form = ScoreForm(
        request.POST if request.method == "POST" else None, criteria=criteria, sheet=sheet
    )
    status = 200
    if form.is_valid():
        try:
            saved = services.record_score(
                acting_user=request.user,
                contest=contest,
                round=round,
                entry=entry,
                values=form.values(),
            )
        except Conflict as exc:  # the round was closed
            form.add_error(None, exc.shown)
            status = exc.status
        else:
            messages.success(
                request,
                _("Đã lưu phiếu chấm bài %(id)s: tổng điểm %(total)s.")
                % {"id": number, "total": shown(saved.total)},
            )
            after = pages.next_unscored(request.user, round, entry.pk)
            if after is None:
                return redirect("contests:judging", contest.pk)
            return redirect("contests:score", contest.pk, round.number, after)
    context = {
        "contest": contest,
        "round": round,
        "entry": entry,
        "number": number,
        "form": form,
        "sheet": sheet,
        "paragraphs": pages.anonymous_text(entry),
        "file_url": reverse(
            "api:contest_entry_file", kwargs={"contest_id": contest.pk, "entry_id": entry.pk}
        ),
        "closed": round.closed_at is not None,
    }
    if status != 200:
        return render(request, "contests/entry.html", context, status=status)
    return render_form(request, "contests/entry.html", context)
