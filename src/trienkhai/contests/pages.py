"""Reads for the contest pages (``contests.views``): lists, counts and the text a judge
reads. Only reads; who may see what is asked of ``contests.access`` and
``accounts.policy`` by the views before they call here.

Nothing here returns an entry's author, unit or receipt to a judge: a judge's rows carry
the entry's id, title and kind only (decision 0053).
"""

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
    """The contests whose organiser the user may change, newest first, each with
    ``n_entries``."""
    found = Contest.objects.select_related("unit").annotate(n_entries=Count("entries"))
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


@dataclass(frozen=True)
class Reading:
    """One entry assigned to the judge in a round, as the judge sees it."""

    round: Round
    entry_id: int
    title: str
    kind: str
    total: object | None
    """The weighted total of their sheet, None before they score it."""


def readings(user, contest: Contest) -> list[Reading]:
    """The entries assigned to ``user`` in ``contest``, by round then entry: id, title and
    kind only (never author, unit or receipt), with their own sheet's total."""
    rounds = {r.pk: r for r in Round.objects.filter(contest=contest)}
    totals = {
        (round_id, entry_id): total
        for round_id, entry_id, total in Score.objects.filter(
            round__contest=contest, judge__user=user
        ).values_list("round_id", "entry_id", "total")
    }
    rows = (
        Assignment.objects.filter(round__contest=contest, judge__user=user)
        .order_by("round__number", "entry_id")
        .values_list("round_id", "entry_id", "entry__title", "entry__file_name")
    )
    return [
        Reading(
            round=rounds[round_id],
            entry_id=entry_id,
            title=title,
            kind=anonymise_kind(file_name),
            total=totals.get((round_id, entry_id)),
        )
        for round_id, entry_id, title, file_name in rows
    ]


def anonymise_kind(file_name: str) -> str:
    """docx, pdf, jpeg, png or tiff: the kind of an entry's file, from its name."""
    return Entry(file_name=file_name).kind


def next_unscored(user, round: Round, after: int) -> int | None:
    """The next entry of ``round`` assigned to ``user`` that has no sheet of theirs yet
    (after ``after`` by id, else from the first): where a judge goes once they save."""
    scored = Score.objects.filter(round=round, judge__user=user).values("entry_id")
    waiting = Assignment.objects.filter(round=round, judge__user=user).exclude(entry_id__in=scored)
    found = waiting.filter(entry_id__gt=after).order_by("entry_id").first() or (
        waiting.order_by("entry_id").first()
    )
    return found.entry_id if found else None


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
