"""/api/v1/contests: contests, judges, entries, judge assignment, blind reading, scores
and the ranking (issue 17).

Thin: parse, access, service. An entry comes as multipart (``file``, ``title``,
``author_name``, ``unit``); the file is read, inspected and hashed before the service's
transaction starts.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.contests import (
    access,
    anonymise,
    certificates,
    package,
    pages,
    ranking,
    results,
    services,
)
from trienkhai.contests.models import DeclaredConflict, Entry
from trienkhai.documents.attachments import CONTENT_TYPES
from trienkhai.orgs import access as org_access
from trienkhai.orgs.access import read_upload
from trienkhai.vn import parse_date

router = Router(tags=["contests"])


class RoundIn(Schema):
    name: str = Field(max_length=200)
    judges_per_entry: int = Field(ge=1, le=50)


class CriterionIn(Schema):
    name: str = Field(max_length=200)
    weight: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    max: Decimal = Field(gt=0, max_digits=6, decimal_places=2)


class ContestIn(Schema):
    unit: str
    title: str = Field(max_length=300)
    opens: dt.date
    closes: dt.date
    rounds: list[RoundIn] = Field(min_length=1, max_length=10)
    criteria: list[CriterionIn] = Field([], max_length=50)
    categories: list[str] = Field([], max_length=50, description="names of its categories")


class IdOut(Schema):
    id: int


@router.post("/contests", response={201: IdOut})
def create_contest(request, payload: ContestIn):
    """A contest with its rounds (numbered 1, 2, … in order) and its rubric."""
    unit = org_access.get_unit(request.auth, payload.unit, policy.Action.CHANGE)
    contest = services.create_contest(
        acting_user=request.auth,
        unit=unit,
        title=payload.title,
        opens=payload.opens,
        closes=payload.closes,
        rounds=[services.RoundInput(r.name, r.judges_per_entry) for r in payload.rounds],
        criteria=[services.CriterionInput(c.name, c.weight, c.max) for c in payload.criteria],
        categories=payload.categories,
    )
    return Status(201, {"id": contest.pk})


class CategoryIn(Schema):
    name: str = Field(max_length=200)


@router.post("/contests/{int:contest_id}/categories", response={201: IdOut})
def add_category(request, contest_id: int, payload: CategoryIn):
    """A category (thể loại) of the contest; 409 if it has one of that name (organisers;
    a judge of the contest → 403, decision 0053)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    category = services.add_category(acting_user=request.auth, contest=contest, name=payload.name)
    return Status(201, {"id": category.pk})


class ConflictIn(Schema):
    entry: int | None = Field(None, ge=1, le=2**31 - 1)
    unit: str | None = Field(None, max_length=50, description="a unit's code")
    user: str | None = Field(None, max_length=150, description="organisers: the judge")
    reason: str = Field("", max_length=500)


@router.post("/contests/{int:contest_id}/conflicts", response={201: IdOut})
def declare_conflict(request, contest_id: int, payload: ConflictIn):
    """A conflict of interest with an entry or a unit: a judge declares their own, an
    organiser anyone's (``user``); the assignment keeps them apart (decision 0056)."""
    if payload.user is None:
        contest = access.get_contest_for_judge(request.auth, contest_id)
        user = request.auth
    else:  # an organiser's, who is no judge of the contest (decision 0053)
        contest = access.get_contest_for_organiser(request.auth, contest_id)
        user = access.get_user(payload.user)
    entry = None
    if payload.entry is not None and payload.user is None:
        # A judge names only an entry in their pile: any other, existing or not, is the
        # same 403 (no oracle of what exists).
        entry = access.read_entry(request.auth, contest.pk, payload.entry).entry
    elif payload.entry is not None:
        entry = Entry.objects.filter(pk=payload.entry, contest=contest).first()
        if entry is None:
            raise NotFound("bài dự thi / entry", str(payload.entry))
    unit = None
    if payload.unit is not None:
        unit = access.get_unit_under(contest, payload.unit)
    conflict = services.declare_conflict(
        acting_user=request.auth,
        contest=contest,
        user=user,
        entry=entry,
        unit=unit,
        reason=payload.reason,
    )
    return Status(201, {"id": conflict.pk})


class ConflictOut(Schema):
    id: int
    judge: str = Field(description="the judge's username")
    entry: int | None = Field(None, description="the entry's id, for a conflict with one")
    receipt: str | None = Field(None, description="its receipt, number/year")
    unit: str | None = Field(None, description="the unit's code, for a conflict with a unit")
    reason: str
    created: dt.datetime
    declared_by: str | None = Field(None, description="who recorded it: the judge or an organiser")


@router.get("/contests/{int:contest_id}/conflicts", response=list[ConflictOut], exclude_none=True)
def list_conflicts(request, contest_id: int):
    """The conflicts declared in the contest, oldest first: organisers only (they name
    entries and units; a judge of the contest → 403, decision 0053)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    year = contest.opens.year
    return [
        {
            "id": c.pk,
            "judge": c.user.username,
            "entry": c.entry_id,
            "receipt": Entry.receipt_of(c.entry.number, year) if c.entry else None,
            "unit": c.unit.code if c.unit else None,
            "reason": c.reason,
            "created": c.created,
            "declared_by": c.created_by.username if c.created_by else None,
        }
        for c in DeclaredConflict.objects.filter(contest=contest)
        .select_related("user", "entry", "unit", "created_by")
        .order_by("created", "pk")
    ]


class JudgeIn(Schema):
    user: str = Field(description="the judge's username", max_length=150)
    round: int = Field(description="the round's number", ge=1, le=32767)
    cap: int | None = Field(None, ge=1, le=1_000_000)


@router.post("/contests/{int:contest_id}/judges", response={201: IdOut})
def add_judge(request, contest_id: int, payload: JudgeIn):
    """Name a judge of a round; 409 if they already are one (organisers; a judge of the
    contest → 403)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    judge = services.add_judge(
        acting_user=request.auth,
        contest=contest,
        round=access.get_round(contest, payload.round),
        user=access.get_user(payload.user),
        cap=payload.cap,
    )
    return Status(201, {"id": judge.pk})


class SimilarOut(Schema):
    entry: int
    receipt: str
    similarity: float = Field(description="estimated Jaccard index of 5-word shingles")


class EntryOut(Schema):
    id: int
    receipt: str = Field(description="number/year, e.g. 001/2022")
    sha256: str
    category: str | None = None
    similar: SimilarOut | None = Field(None, description="an earlier entry of near-same text")


@router.post("/contests/{int:contest_id}/entries", response={201: EntryOut})
def receive_entry(
    request,
    contest_id: int,
    file: File[UploadedFile],
    title: Form[str],
    author_name: Form[str],
    unit: Form[str],
    category: Form[str] = "",
    sent_on: Form[str] = "",
):
    """Receive an entry (.docx, .pdf or a scan); 409 naming the first receipt when the
    same file was entered already; 400 with the reason for a refused file, a late entry
    or a wrong category; a near-same text is received and named in ``similar``
    (organisers; a judge of the contest → 403)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    if "\x00" in unit + title + author_name + category + sent_on:  # no body parser
        raise BadInput(
            "invalid_character",
            "Ký tự NUL (\\u0000) không hợp lệ / a NUL character (\\u0000) is not allowed",
        )
    day = _day(sent_on) if sent_on.strip() else None
    data = read_upload(file)
    from_unit = org_access.get_unit(request.auth, unit, policy.Action.VIEW)
    entry = services.receive_entry(
        acting_user=request.auth,
        contest=contest,
        title=title,
        author_name=author_name,
        unit=from_unit,
        file_name=file.name or "",
        data=data,
        category=category,
        sent_on=day,
    )
    shown: dict = {"id": entry.pk, "receipt": entry.receipt, "sha256": entry.sha256}
    if entry.category:
        shown["category"] = entry.category.name
    if entry.similar_to is not None:
        shown["similar"] = {
            "entry": entry.similar_to.pk,
            "receipt": entry.similar_to.receipt,
            "similarity": entry.similarity,
        }
    return Status(201, shown)


def _day(text: str) -> dt.date:
    """dd/mm/yyyy or yyyy-mm-dd; 400 otherwise."""
    try:
        return parse_date(text.strip())
    except ValueError as error:
        raise BadInput("invalid_sent_on", str(error)) from None


class DisqualifyIn(Schema):
    reason: str = Field(max_length=2000)


class DisqualifiedOut(Schema):
    id: int
    disqualified_at: dt.datetime


@router.post(
    "/contests/{int:contest_id}/entries/{int:entry_id}/disqualify", response=DisqualifiedOut
)
def disqualify_entry(request, contest_id: int, entry_id: int, payload: DisqualifyIn):
    """Take an entry out of the ranking and results, saying why (organisers; a judge of
    the contest → 403)."""
    entry = access.get_entry_for_organiser(request.auth, contest_id, entry_id)
    done = services.disqualify_entry(
        acting_user=request.auth, contest=entry.contest, entry=entry, reason=payload.reason
    )
    assert done.disqualified_at is not None
    return {"id": done.pk, "disqualified_at": done.disqualified_at}


class AssignmentOut(Schema):
    entry: int
    judge: int


class AssignOut(Schema):
    assignments: list[AssignmentOut]
    unassigned: list[int] = Field(description="entries that could not get k judges")


@router.post("/contests/{int:contest_id}/rounds/{int:number}/assign", response=AssignOut)
def assign_round(request, contest_id: int, number: int):
    """Assign k judges per entry (min-cost flow, decision 0052), replacing the round's
    earlier assignments: round 1 every entry not disqualified, a later round those
    advanced into it (organisers; a judge of the contest → 403)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    result = services.assign_round(
        acting_user=request.auth, contest=contest, round=access.get_round(contest, number)
    )
    return {
        "assignments": [{"entry": e, "judge": j} for e, j in result.pairs],
        "unassigned": result.unassigned,
    }


class AdvanceIn(Schema):
    count: int = Field(ge=1, le=1_000_000, description="the first K of the round's ranking")


class AdvanceOut(Schema):
    advanced: list[int] = Field(description="the entries advanced into the next round, by rank")


@router.post("/contests/{int:contest_id}/rounds/{int:number}/advance", response=AdvanceOut)
def advance_entries(request, contest_id: int, number: int, payload: AdvanceIn):
    """Advance the first ``count`` entries of the closed round's ranking into the next
    round, which then judges only them (decision 0061); again replaces the choice and
    the next round's assignments until it has a score sheet (organisers; a judge of the
    contest → 403)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    advanced = services.advance_entries(
        acting_user=request.auth,
        contest=contest,
        round=access.get_round(contest, number),
        count=payload.count,
    )
    return {"advanced": advanced}


class RoundOut(Schema):
    number: int
    name: str
    pile_number: int = Field(
        description="the entry's number in the judge's pile of the round (its 'Bài số'), "
        "in an order that says nothing of arrival"
    )


class EntryReadOut(Schema):
    id: int
    title: str
    kind: str = Field(description="docx, pdf, jpeg, png or tiff")
    rounds: list[RoundOut] = Field(description="a judge: the rounds it is assigned to them in")
    category: str | None = None
    file: str = Field(description="the anonymous copy (decision 0053)")
    receipt: str | None = Field(None, description="organisers only, as the four below")
    author_name: str | None = None
    unit: str | None = None
    received_by: str | None = None
    original: str | None = Field(None, description="the file as received")


@router.get(
    "/contests/{int:contest_id}/entries/{int:entry_id}",
    response=EntryReadOut,
    exclude_none=True,
)
def read_entry(request, contest_id: int, entry_id: int):
    """An entry as its reader may see it: a judge (assigned to it in some round) its
    title, kind and anonymous copy, never its author, unit or receipt; an organiser
    everything. A judge not assigned to it: 403."""
    reading = access.read_entry(request.auth, contest_id, entry_id)
    entry = reading.entry
    urls = {"contest_id": contest_id, "entry_id": entry.pk}
    shown = {
        "id": entry.pk,
        "title": entry.title,
        "kind": entry.kind,
        "rounds": [
            {
                "number": r.number,
                "name": r.name,
                "pile_number": pages.number_in_pile(request.auth, r, entry.pk),
            }
            for r in reading.rounds
        ],
        "file": reverse("api:contest_entry_file", kwargs=urls),
        "category": entry.category.name if entry.category else None,
    }
    if reading.is_organiser:
        shown |= {
            "receipt": entry.receipt,
            "author_name": entry.author_name,
            "unit": entry.unit.code,
            "received_by": entry.received_by.username if entry.received_by else "",
            "original": reverse("api:contest_entry_original", kwargs=urls),
        }
    return shown


class AuthorOut(Schema):
    author_name: str
    unit: str
    received_by: str
    receipt: str


@router.get("/contests/{int:contest_id}/entries/{int:entry_id}/author", response=AuthorOut)
def entry_author(request, contest_id: int, entry_id: int):
    """Who wrote the entry and who sent it in: organisers only; a judge of the contest →
    403 whatever entry they ask for."""
    entry = access.get_entry_for_organiser(request.auth, contest_id, entry_id)
    return {
        "author_name": entry.author_name,
        "unit": entry.unit.code,
        "received_by": entry.received_by.username if entry.received_by else "",
        "receipt": entry.receipt,
    }


@router.get("/contests/{int:contest_id}/entries/{int:entry_id}/file", url_name="contest_entry_file")
def entry_file(request, contest_id: int, entry_id: int):
    """The anonymous copy (decision 0053) under a name that says nothing: for a judge
    bai-du-thi-{n}, n its number in their pile (of its first round), never its id."""
    reading = access.read_entry(request.auth, contest_id, entry_id)
    entry = reading.entry
    shown = entry.pk
    if not reading.is_organiser:
        shown = pages.number_in_pile(request.auth, reading.rounds[0], entry.pk)
    copy = anonymise.anonymous_copy(entry.kind, _stored(entry))
    return _download(copy, entry, f"bai-du-thi-{shown}{entry.suffix}")


@router.get(
    "/contests/{int:contest_id}/entries/{int:entry_id}/original",
    url_name="contest_entry_original",
)
def entry_original(request, contest_id: int, entry_id: int):
    """The file as received, under its own name: organisers only."""
    entry = access.get_entry_for_organiser(request.auth, contest_id, entry_id)
    return _download(_stored(entry), entry, entry.file_name)


def _stored(entry: Entry) -> bytes:
    path = Path(settings.MEDIA_ROOT) / entry.path
    if not path.is_file():
        raise NotFound("tệp bài dự thi / entry file", entry.receipt)
    return path.read_bytes()


def _download(data: bytes, entry: Entry, name: str) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=CONTENT_TYPES[entry.kind])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class ScoreIn(Schema):
    entry: int = Field(ge=1, le=2**31 - 1)
    scores: dict[str, object] = Field(
        description="criterion name → a number from 0 to its max, two decimals at most",
        max_length=50,
    )


class ScoreOut(Schema):
    entry: int
    total: float = Field(description="the weighted sum of the sheet")


@router.post("/contests/{int:contest_id}/rounds/{int:number}/scores", response=ScoreOut)
def record_score(request, contest_id: int, number: int, payload: ScoreIn):
    """The calling judge's score sheet of an entry assigned to them, replacing their
    earlier one; 400 for a missing, unknown, out-of-range or non-numeric score, 403 if the
    entry is not theirs to score, 409 once the round is closed."""
    contest = access.get_contest_for_judge(request.auth, contest_id)
    round = access.get_round(contest, number)
    entry = Entry.objects.filter(pk=payload.entry, contest=contest).first()
    if entry is None:
        raise policy.PermissionDenied(access.NOT_ASSIGNED)
    sheet = services.record_score(
        acting_user=request.auth,
        contest=contest,
        round=round,
        entry=entry,
        values=payload.scores,
    )
    return {"entry": entry.pk, "total": float(sheet.total)}


class ClosedOut(Schema):
    round: int
    closed_at: dt.datetime


@router.post("/contests/{int:contest_id}/rounds/{int:number}/close", response=ClosedOut)
def close_round(request, contest_id: int, number: int):
    """End scoring in the round (organisers, no judge of the contest); 409 if it is
    closed already."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    closed = services.close_round(
        acting_user=request.auth, contest=contest, round=access.get_round(contest, number)
    )
    assert closed.closed_at is not None
    return {"round": closed.number, "closed_at": closed.closed_at}


class RankedOut(Schema):
    entry: int
    receipt: str
    rank: int | None = Field(description="null until the entry has a score sheet")
    raw: float | None = Field(description="mean weighted total of its judges")
    normalised: float | None = Field(description="mean of its judges' median/MAD scores")
    z_score: float | None = Field(description="mean of its judges' z-scores")
    lowest: float | None = Field(description="its lowest judge's total (third tie-break)")
    judges: int
    sheets: int
    spread: float | None = Field(description="range of its judges' normalised scores")
    disagreement: bool = Field(description=f"spread above {ranking.DISAGREEMENT}")


@router.get("/contests/{int:contest_id}/rounds/{int:number}/ranking", response=list[RankedOut])
def round_ranking(request, contest_id: int, number: int):
    """The round's ranking (decision 0053): organisers only."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    year = contest.opens.year
    rows = [
        {**_shown(r), "receipt": Entry.receipt_of(r.number, year)}
        for r in ranking.of_round(access.get_round(contest, number))
    ]
    # Rows made here from typed values, answered without ninja validating each again:
    # that took 250 of 700 ms for Kiên Giang's 6.450 entries (bench contests).
    return JsonResponse(rows, safe=False)


def _shown(ranked: ranking.Ranked) -> dict:
    shown = dict(vars(ranked))
    del shown["number"]
    return shown


class PrizeIn(Schema):
    name: str = Field(max_length=200)
    count: int = Field(ge=1, le=10_000)
    category: str | None = Field(None, description="one of the contest's categories; none: all")


class PrizesIn(Schema):
    prizes: list[PrizeIn] = Field(max_length=results.MAX_PRIZES)
    forward: int | None = Field(None, ge=1, le=10_000, description="entries forwarded up")


class PrizesOut(Schema):
    prizes: list[PrizeIn]
    forward: int | None


@router.put("/contests/{int:contest_id}/rounds/{int:number}/prizes", response=PrizesOut)
def set_prizes(request, contest_id: int, number: int, payload: PrizesIn):
    """The round's prizes in the order they go down the ranking, and the quota forwarded
    to the higher level; replaces the earlier ones and the results drawn (organisers, no
    judge of the contest)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    made = results.set_prizes(
        acting_user=request.auth,
        contest=contest,
        round=access.get_round(contest, number),
        prizes=[results.PrizeInput(p.name, p.count, p.category) for p in payload.prizes],
        forward_quota=payload.forward,
    )
    return {
        "prizes": [
            {"name": p.name, "count": p.count, "category": p.category.name if p.category else None}
            for p in made
        ],
        "forward": payload.forward,
    }


class ResultOut(Schema):
    entry: int
    receipt: str
    rank: int
    prize: str | None
    prize_category: str | None = Field(None, description="the prize's category, if it has one")
    forwarded: bool
    raw: float
    normalised: float
    title: str
    author_name: str
    unit: str
    certificate: str | None = Field(None, description="the prize certificate's number")


def _results(contest, found: list) -> list[dict]:
    year = contest.opens.year
    return [
        {
            "entry": r.entry_id,
            "receipt": r.entry.receipt_of(r.entry.number, year),
            "rank": r.rank,
            "prize": r.prize.name if r.prize else None,
            "prize_category": r.prize.category.name if r.prize and r.prize.category else None,
            "forwarded": r.is_forwarded,
            "raw": r.raw,
            "normalised": r.normalised,
            "title": r.entry.title,
            "author_name": r.entry.author_name,
            "unit": r.entry.unit.code,
            "certificate": getattr(getattr(r, "certificate", None), "symbol", None),
        }
        for r in found
    ]


@router.post("/contests/{int:contest_id}/rounds/{int:number}/results", response=list[ResultOut])
def draw_results(request, contest_id: int, number: int):
    """Give the prizes down the closed round's ranking and forward its first ``forward``
    entries; again replaces them until the decision is issued (organisers)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    round = access.get_round(contest, number)
    results.draw_results(acting_user=request.auth, contest=contest, round=round)
    return _results(contest, results.winners(round))


@router.get("/contests/{int:contest_id}/rounds/{int:number}/results", response=list[ResultOut])
def round_results(request, contest_id: int, number: int):
    """The round's results with authors: organisers only."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    return _results(contest, results.winners(access.get_round(contest, number)))


@router.get("/contests/{int:contest_id}/rounds/{int:number}/forwarded.zip")
def forwarded_package(request, contest_id: int, number: int):
    """The package for the higher level: the forwarded entries' files as received and
    danh-sach.xlsx (organisers; 409 while none is forwarded)."""
    from django.utils.http import content_disposition_header

    contest = access.get_contest_for_organiser(request.auth, contest_id)
    data = package.forwarded_zip(contest, access.get_round(contest, number))
    response = HttpResponse(data, content_type="application/zip")
    name = f"bai-gui-cap-tren-{contest.pk}-vong-{number}.zip"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class ResultsDecisionIn(Schema):
    date: dt.date
    signer: str = Field(max_length=100)
    signer_authority: str = Field(max_length=10)
    recipients: str = Field("", max_length=2000)
    summary: str = Field("", max_length=1000)


class ResultsDecisionOut(Schema):
    document: int
    symbol: str
    prizes: int


@router.post(
    "/contests/{int:contest_id}/rounds/{int:number}/decision", response={201: ResultsDecisionOut}
)
def issue_results(request, contest_id: int, number: int, payload: ResultsDecisionIn):
    """Issue the results decision (QĐ) from the organiser's register with the list of
    prize winners attached; the results are final after it (organisers)."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    round = access.get_round(contest, number)
    document = results.issue_results(
        acting_user=request.auth,
        contest=contest,
        round=round,
        date=payload.date,
        signer=payload.signer,
        signer_authority=payload.signer_authority,
        recipients=payload.recipients,
        summary=payload.summary,
    )
    given = sum(1 for r in results.winners(round) if r.prize_id is not None)
    return Status(201, {"document": document.pk, "symbol": document.symbol, "prizes": given})


class CertificatesIn(Schema):
    signer_position: str = Field(max_length=100)
    signer_name: str = Field("", max_length=100)
    day: dt.date | None = Field(None, description="the date of issue; default the decision's")


class PrizeCertificateOut(Schema):
    id: int
    entry: int
    prize: str
    name: str
    symbol: str = Field(description="in the organiser's series of certificates: 05-GCN/BTGHU")
    code: str = Field(description="the verification code, XXXX-XXXX-XXXX-XXXX")
    verify_url: str
    file: str


@router.post(
    "/contests/{int:contest_id}/rounds/{int:number}/certificates",
    response={201: list[PrizeCertificateOut]},
)
def issue_certificates(request, contest_id: int, number: int, payload: CertificatesIn):
    """Certificates for the prize winners who have none yet, after the results decision
    (organisers); 409 before it or when every winner holds one."""
    contest = access.get_contest_for_organiser(request.auth, contest_id)
    made = certificates.issue(
        acting_user=request.auth,
        contest=contest,
        round=access.get_round(contest, number),
        signer_position=payload.signer_position,
        signer_name=payload.signer_name,
        day=payload.day,
    )
    return Status(201, [_certificate(contest, c) for c in made])


def _certificate(contest, c) -> dict:
    from trienkhai.activities.certificate_pdf import verification_url
    from trienkhai.activities.certificates import grouped

    return {
        "id": c.pk,
        "entry": c.result.entry_id,
        "prize": c.prize_name,
        "name": c.name,
        "symbol": c.symbol,
        "code": grouped(c.code),
        "verify_url": verification_url(c.code),
        "file": reverse(
            "api:contest_certificate_pdf",
            kwargs={"contest_id": contest.pk, "certificate_id": c.pk},
        ),
    }


@router.get(
    "/contests/{int:contest_id}/certificates/{int:certificate_id}/pdf",
    url_name="contest_certificate_pdf",
)
def certificate_pdf(request, contest_id: int, certificate_id: int):
    """The prize certificate as a PDF to print (organisers)."""
    from django.utils.http import content_disposition_header

    found = access.get_certificate_for_organiser(request.auth, contest_id, certificate_id)
    response = HttpResponse(certificates.pdf(found), content_type="application/pdf")
    name = f"giay-chung-nhan-{found.year}-{found.number:02d}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name) or "inline"
    return response


class RevokeIn(Schema):
    reason: str


class RevokedOut(Schema):
    id: int
    state: str
    revoked: dt.datetime
    reason: str


@router.post(
    "/contests/{int:contest_id}/certificates/{int:certificate_id}/revoke", response=RevokedOut
)
def revoke_certificate(request, contest_id: int, certificate_id: int, payload: RevokeIn):
    """Revoke a prize certificate, saying why (organisers); /xac-minh/ then says so. No
    reason → 400 ``missing_reason``; revoked already → 409 ``already_revoked``."""
    found = access.get_certificate_for_organiser(request.auth, contest_id, certificate_id)
    done = certificates.revoke(acting_user=request.auth, certificate=found, reason=payload.reason)
    return {
        "id": done.pk,
        "state": done.state,
        "revoked": done.revoked,
        "reason": done.revoked_reason,
    }
