"""Reads for the contest pages (``contests.views``): lists, counts and the text a judge
reads. Only reads; who may see what is asked of ``contests.access`` and
``accounts.policy`` by the views before they call here.

Nothing here returns an entry's author, unit or receipt to a judge: a judge's rows carry
the entry's title and kind, and its number in their pile (``pile``), never shown by id
(decision 0053).
"""

import hashlib
import hmac
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from trienkhai.accounts import policy
from trienkhai.contests import anonymise
from trienkhai.contests.models import (
    Assignment,
    Contest,
    Criterion,
    DeclaredConflict,
    Entry,
    Judge,
    Round,
    Score,
)
from trienkhai.vn.text import name_order


@dataclass
class Judged:
    """A contest the user judges in, with their readings and sheets per round."""

    contest: Contest
    rounds: list[dict] = field(default_factory=list)
    """{"round", "assigned", "scored"} of each round they judge, in order."""

    @property
    def waiting(self) -> int:
        return sum(r["assigned"] - r["scored"] for r in self.rounds)


def organised(user) -> list[Contest]:
    """The contests whose organiser the user may change and that they do not judge
    (their organiser's pages refuse a judge, decision 0053), newest first, each with
    ``n_entries``."""
    found = (
        Contest.objects.select_related("unit")
        .exclude(judges__user=user)
        .annotate(n_entries=Count("entries"))
    )
    return policy.allowed(user, policy.Action.CHANGE, found.order_by("-opens", "-pk"))


def judged(user) -> list[Judged]:
    """The contests ``user`` is a judge of (three queries, whatever their number)."""
    judges = list(
        Judge.objects.filter(user=user)
        .select_related("contest__unit", "round")
        .order_by("-contest__opens", "contest_id", "round__number")
    )
    if not judges:
        return []
    assigned = _per_judge(Assignment, judge__in=judges)
    scored = _per_judge(Score, judge__in=judges)
    shown: dict[int, Judged] = {}
    for judge in judges:
        row = shown.setdefault(judge.contest_id, Judged(judge.contest))
        row.rounds.append(
            {
                "round": judge.round,
                "assigned": assigned.get(judge.pk, 0),
                "scored": scored.get(judge.pk, 0),
            }
        )
    return list(shown.values())


def _per_judge(model: type[Assignment] | type[Score], **found) -> dict[int, int]:
    """How many readings (or sheets) each judge has among ``found``: judge id → count."""
    rows = model.objects.filter(**found).values("judge").annotate(n=Count("pk"))
    return dict(rows.values_list("judge", "n"))


def _pile_key(round_id: int, judge_id: int, entry_id: int) -> str:
    """An entry's place in a judge's pile: a keyed hash of (round, judge, entry), which
    says nothing of the order the entries arrived in (their ids) and differs per judge."""
    message = f"contests.pile:{round_id}:{judge_id}:{entry_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def pile(user, round: Round) -> list[int]:
    """The ids of the entries assigned to ``user`` in ``round`` in their pile's order: a
    judge's "Bài số n" is an entry's position here, 1 first (decision 0053)."""
    rows = Assignment.objects.filter(round=round, judge__user=user).values_list(
        "judge_id", "entry_id"
    )
    return [e for j, e in sorted(rows, key=lambda r: _pile_key(round.pk, r[0], r[1]))]


def number_in_pile(user, round: Round, entry_id: int) -> int:
    """The number ``user`` reads entry ``entry_id`` under in ``round`` (0 if not theirs)."""
    found = pile(user, round)
    return found.index(entry_id) + 1 if entry_id in found else 0


@dataclass(frozen=True)
class Reading:
    """One entry assigned to the judge in a round, as the judge sees it."""

    round: Round
    number: int
    """Its number in the judge's pile of the round (``pile``), never its id."""
    entry_id: int
    """For the link only: the page shows ``number``."""
    title: str
    kind: str
    total: object | None
    """The weighted total of their sheet, None before they score it."""


def readings(user, contest: Contest) -> list[Reading]:
    """The entries assigned to ``user`` in ``contest``, by round then by their number in
    the pile: title and kind only (never author, unit, receipt or the order of arrival),
    with their own sheet's total."""
    rounds = {r.pk: r for r in Round.objects.filter(contest=contest)}
    totals = {
        (round_id, entry_id): total
        for round_id, entry_id, total in Score.objects.filter(
            round__contest=contest, judge__user=user
        ).values_list("round_id", "entry_id", "total")
    }
    rows = sorted(
        Assignment.objects.filter(round__contest=contest, judge__user=user).values_list(
            "round_id", "judge_id", "entry_id", "entry__title", "entry__file_name"
        ),
        key=lambda r: (rounds[r[0]].number, _pile_key(r[0], r[1], r[2])),
    )
    shown: list[Reading] = []
    for round_id, _, entry_id, title, file_name in rows:
        same_round = bool(shown) and shown[-1].round.pk == round_id
        shown.append(
            Reading(
                round=rounds[round_id],
                number=shown[-1].number + 1 if same_round else 1,
                entry_id=entry_id,
                title=title,
                kind=anonymise_kind(file_name),
                total=totals.get((round_id, entry_id)),
            )
        )
    return shown


def anonymise_kind(file_name: str) -> str:
    """docx, pdf, jpeg, png or tiff: the kind of an entry's file, from its name."""
    return Entry(file_name=file_name).kind


def next_unscored(user, round: Round, after: int) -> int | None:
    """The next entry of ``round`` in ``user``'s pile that has no sheet of theirs yet
    (after entry ``after`` in the pile's order, else from the first): where a judge goes
    once they save."""
    scored = set(
        Score.objects.filter(round=round, judge__user=user).values_list("entry_id", flat=True)
    )
    order = pile(user, round)
    start = order.index(after) + 1 if after in order else 0
    return next((e for e in order[start:] + order[:start] if e not in scored), None)


PARAGRAPHS = 400
"""Paragraphs of an entry shown on the judge's page (the file has the rest)."""


def anonymous_text(entry: Entry) -> list[str]:
    """The body paragraphs of a .docx entry's anonymous copy, for reading on the page;
    nothing for a PDF or a scan (the judge opens the file) or a file gone from the disk."""
    if entry.kind != "docx":
        return []
    path = Path(settings.MEDIA_ROOT) / entry.path
    if not path.is_file():
        return []
    import docx
    from docx.oxml.ns import qn

    copy = anonymise.anonymous_copy(entry.kind, path.read_bytes())
    try:
        document = docx.Document(io.BytesIO(copy))
    except (KeyError, ValueError, zipfile.BadZipFile):
        return []
    # Every w:t of a paragraph, those of tracked insertions too (python-docx's ``text``
    # reads only the paragraph's own runs); deleted text is w:delText, left out.
    paragraphs = [
        "".join(t.text or "" for t in p._p.iter(qn("w:t"))).strip() for p in document.paragraphs
    ]
    return [p for p in paragraphs if p][:PARAGRAPHS]


def sheet_of(user, round: Round, entry: Entry) -> Score | None:
    return Score.objects.filter(round=round, entry=entry, judge__user=user).first()


def conflicts(contest: Contest) -> list[DeclaredConflict]:
    """The declared conflicts of interest for the organiser's page, newest first: who,
    with which entry or unit, declared by whom and when (one query)."""
    return list(
        DeclaredConflict.objects.filter(contest=contest)
        .select_related("user", "entry__contest", "unit", "created_by")
        .order_by("-created", "-pk")
    )


def criteria(contest: Contest) -> list[Criterion]:
    """The rubric in the order it was given (the service checks sheets in this order)."""
    return list(Criterion.objects.filter(contest=contest).order_by("pk"))


@dataclass
class RoundSummary:
    round: Round
    judges: list[dict]
    """{"judge", "assigned", "scored"} per judge, by name."""
    entries: int
    """Entries with at least one reading in the round."""
    readings: int
    sheets: int


def summary(contest: Contest) -> list[RoundSummary]:
    """Each round with its judges, readings and sheets (four queries)."""
    rounds = list(Round.objects.filter(contest=contest))
    judges = list(Judge.objects.filter(contest=contest).select_related("user"))
    assigned = _per_judge(Assignment, round__contest=contest)
    scored = _per_judge(Score, round__contest=contest)
    entries = dict(
        Assignment.objects.filter(round__contest=contest)
        .values("round")
        .annotate(n=Count("entry", distinct=True))
        .values_list("round", "n")
    )
    shown = []
    for r in rounds:
        mine = sorted(
            (j for j in judges if j.round_id == r.pk),
            key=lambda j: name_order(j.user.full_name or j.user.username),
        )
        rows = [
            {"judge": j, "assigned": assigned.get(j.pk, 0), "scored": scored.get(j.pk, 0)}
            for j in mine
        ]
        shown.append(
            RoundSummary(
                round=r,
                judges=rows,
                entries=entries.get(r.pk, 0),
                readings=sum(assigned.get(j.pk, 0) for j in mine),
                sheets=sum(scored.get(j.pk, 0) for j in mine),
            )
        )
    return shown


def titles(entry_ids: list[int]) -> dict[int, str]:
    return dict(Entry.objects.filter(pk__in=entry_ids).values_list("pk", "title"))
