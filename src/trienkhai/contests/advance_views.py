"""Chọn bài vào vòng sau: the organiser advances the first K entries of a closed round's
ranking into the next round (``services.advance_entries``, decision 0061), the page of
``POST /api/v1/contests/{id}/rounds/{n}/advance``.

GET shows the round's ranking (rank, receipt, title, author, unit, normalised score; the
first 50, "Xem thêm" for more) and the form; ``?so=K`` previews what choosing K does
(the K-th entry's score and the next one's, the earlier choice and the assignments it
replaces) before the organiser confirms it with a POST. Organisers only, through
``access.get_contest_for_organiser`` (a judge of the contest is refused even if they
manage the organiser, decision 0053). A refusal of the service (409 round_open,
last_round, scoring_started; 400 invalid_count) is shown in words, nothing changed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from trienkhai.common.errors import BadInput
from trienkhai.contests import access, ranking, services
from trienkhai.contests.models import Advancement, Assignment, Contest, Entry, Round, Score
from trienkhai.contests.organiser_forms import WholeNumber
from trienkhai.vn import format_number
from trienkhai.web.forms import ServiceForm

SHOWN = 50
"""Rows of the ranking shown at first; "Xem thêm" shows as many more each time."""


class AdvanceForm(ServiceForm):
    """How many entries, from the top of the ranking, go on to the next round."""

    error_fields = {"invalid_count": "so"}

    so = WholeNumber(
        label=gettext_lazy("Số bài vào vòng sau"),
        high=1_000_000,
        help_text=gettext_lazy("Các bài đứng đầu bảng xếp hạng, theo thứ hạng."),
    )

    def __init__(self, data=None, *, after: Round | None = None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        if after is not None:
            self.fields["so"].label = _("Số bài vào vòng %(round)s") % {"round": after.name}


@dataclass(frozen=True)
class Preview:
    """What choosing ``count`` entries would do, read before the organiser confirms."""

    count: int
    last: ranking.Ranked
    """The ``count``-th entry of the ranking: the last one to go on."""
    first_left: ranking.Ranked | None
    """The entry ranked just after it, the first left behind (none if all go on)."""

    @property
    def is_tie(self) -> bool:
        return self.first_left is not None and self.first_left.normalised == self.last.normalised


@login_required
@require_http_methods(["GET", "POST"])
def advance(request, pk: int, number: int):
    """The round's ranking and the form choosing its first K for the next round; a POST
    chooses them, then goes to the next round's page."""
    contest = access.get_contest_for_organiser(request.user, pk)
    round = access.get_round(contest, number)
    after = Round.objects.filter(contest=contest, number=round.number + 1).first()
    if request.method == "GET":
        form = AdvanceForm(request.GET if "so" in request.GET else None, after=after)
        return _page(request, contest, round, after, form)
    form = AdvanceForm(request.POST, after=after)
    if not form.is_valid():
        return _page(request, contest, round, after, form, status=400)
    try:
        chosen = services.advance_entries(
            acting_user=request.user, contest=contest, round=round, count=form.cleaned_data["so"]
        )
    except BadInput as exc:  # a Conflict too: the round open, the last one, scoring begun
        if exc.code in form.error_fields:
            form.add_service_error(exc)
            return _page(request, contest, round, after, form, status=exc.status)
        blank = AdvanceForm(after=after)
        return _page(request, contest, round, after, blank, error=exc.shown, status=exc.status)
    assert after is not None  # the service refuses the last round
    messages.success(
        request,
        _("Đã chọn %(n)s bài vào vòng %(round)s. Hãy phân công giám khảo chấm.")
        % {"n": format_number(len(chosen)), "round": after.name},
    )
    return redirect("contests:round", contest.pk, after.number)


def _page(
    request,
    contest: Contest,
    round: Round,
    after: Round | None,
    form: AdvanceForm,
    *,
    error: str = "",
    status: int = 200,
):
    """The page: the state of the choice, the form (or why it is not offered), the
    preview of ``?so=K``, the ranking."""
    ranked = [r for r in ranking.of_round(round) if r.rank is not None]
    preview = None
    if form.is_bound and form.is_valid() and request.method == "GET":
        count = form.cleaned_data["so"]
        if count > len(ranked):
            form.add_error("so", _too_many(round, len(ranked)))
        else:
            left = ranked[count] if count < len(ranked) else None
            preview = Preview(count, ranked[count - 1], left)
    if form.is_bound and form.errors and status == 200:
        status = 400
    shown = _shown_count(request, len(ranked), preview)
    rows = _rows(contest, ranked[:shown])
    context = {
        "contest": contest,
        "round": round,
        "after": after,
        "blocked": _blocked(round, after),
        "earlier": _earlier(after),
        "form": form,
        "preview": preview,
        "error": error,
        "rows": rows,
        "n_ranked": len(ranked),
        "more": shown + SHOWN if shown < len(ranked) else None,
    }
    return render(request, "contests/advance.html", context, status=status)


def _too_many(round: Round, ranked: int) -> str:
    return _("Số bài vào vòng sau từ 1 đến %(n)s, số bài đã xếp hạng ở vòng %(round)s.") % {
        "n": format_number(ranked),
        "round": round.name,
    }


def _shown_count(request, ranked: int, preview: Preview | None) -> int:
    """How many rows of the ranking the page lists: ``?hien=`` (50 more each "Xem thêm"),
    at least SHOWN and, in a preview, the entry after the cut-off line."""
    try:
        asked = int(request.GET.get("hien", SHOWN))
    except ValueError:
        asked = SHOWN
    wanted = max(SHOWN, asked)
    if preview is not None:
        wanted = max(wanted, preview.count + 1)
    return min(wanted, ranked)


@dataclass(frozen=True)
class Row:
    r: ranking.Ranked
    entry: Entry
    receipt: str


def _rows(contest: Contest, ranked: list[ranking.Ranked]) -> list[Row]:
    """The listed entries with their title, author and unit (two queries)."""
    found = (
        Entry.objects.filter(pk__in=[r.entry for r in ranked])
        .select_related("unit")
        .prefetch_related("unit__versions")  # the units' names
        .in_bulk()
    )
    year = contest.opens.year
    return [Row(r, found[r.entry], Entry.receipt_of(r.number, year)) for r in ranked]


def _blocked(round: Round, after: Round | None) -> str:
    """Why the form is not offered, as the service would refuse it; "" when it is."""
    if after is None:
        return _("Vòng %(round)s là vòng cuối: không có vòng sau.") % {"round": round.name}
    if round.closed_at is None:
        return _(
            "Vòng %(round)s chưa kết thúc chấm: kết thúc chấm rồi mới chọn bài vào vòng sau."
        ) % {"round": round.name}
    if after.closed_at is not None or Score.objects.filter(round=after).exists():
        return _("Vòng %(round)s đã có phiếu chấm: không chọn lại bài vào vòng này được.") % {
            "round": after.name
        }
    return ""


@dataclass(frozen=True)
class Earlier:
    """The choice already made for the next round, which a new one replaces."""

    count: int
    at: object
    assignments: int


def _earlier(after: Round | None) -> Earlier | None:
    if after is None:
        return None
    made = Advancement.objects.filter(round=after).aggregate(n=Count("pk"), at=Max("created"))
    if not made["n"]:
        return None
    return Earlier(made["n"], made["at"], Assignment.objects.filter(round=after).count())
