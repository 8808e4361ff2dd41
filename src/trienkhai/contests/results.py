"""The end of a round: its prizes and forwarding quota, the results drawn from the
ranking, and the results decision issued from the register (issue 17; decision 0056).

Writes, as ``services`` (which grew past the size of one module): one function per
change, one transaction each, CHANGE on the contest's organiser.

- ``set_prizes``: the round's prizes in order (Giải A × 2, Giải B × 4, …) and how many
  entries go to the higher level's contest (Kiên Giang 2022: 16 prizes, 21 forwarded).
- ``draw_results``: once the round is closed, the prizes go down its ranking (decision
  0053: normalised, raw, the lowest judge's total, the receipt), a category's prizes
  down the ranking of that category's entries only (decision 0064), and the first
  ``forward_quota`` entries are forwarded; drawing again replaces them.
- ``issue_results``: the organiser's decision (Quyết định) from its register, numbered
  by it, with the list of prize winners attached; the results are final after it.
"""

import datetime as dt
import io
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import ranking
from trienkhai.contests.models import (
    Category,
    Contest,
    Entry,
    Prize,
    PrizeCertificate,
    Result,
    Round,
)
from trienkhai.documents import attachments
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.vn import format_date
from trienkhai.vn.numbers import format_number
from trienkhai.vn.text import nfc

MAX_PRIZES = 20
"""Kinds of prize in a round."""


@dataclass(frozen=True)
class PrizeInput:
    name: str
    count: int
    category: str | None = None
    """The name of one of the contest's categories; None: round-wide."""


def results_issued(round: Round) -> Conflict:
    return Conflict(
        "results_issued",
        f"Kết quả vòng {round.name} đã được công bố bằng quyết định: không thay đổi được / "
        f"the results of round {round.number} were issued by a decision and are final",
    )


def set_prizes(
    *,
    acting_user: Actor,
    contest: Contest,
    round: Round,
    prizes: list[PrizeInput],
    forward_quota: int | None = None,
) -> list[Prize]:
    """The round's prizes, in the order they are given, each round-wide or of one of the
    contest's categories (by name; another → 400 ``invalid_category``), and its
    forwarding quota; replaces the earlier ones and the results drawn from them. 409 once
    the results decision is issued."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    names = [nfc(p.name).strip() for p in prizes]
    if len(prizes) > MAX_PRIZES or any(not n or len(n) > 200 for n in names):
        raise BadInput(
            "invalid_prizes",
            f"Tối đa {MAX_PRIZES} loại giải, mỗi giải có tên 1 đến 200 ký tự / at most "
            f"{MAX_PRIZES} prizes, each named in 1 to 200 characters",
        )
    kinds = {c.name: c for c in Category.objects.filter(contest=contest)}
    unknown = sorted({p.category for p in prizes if p.category and p.category not in kinds})
    if unknown:
        raise BadInput(
            "invalid_category",
            f"Cuộc thi không có thể loại {', '.join(unknown)} / the contest has no category "
            f"{', '.join(unknown)}",
        )
    categories = [kinds[p.category] if p.category else None for p in prizes]
    keys = [(n, c.pk if c else None) for n, c in zip(names, categories, strict=True)]
    if len(set(keys)) != len(keys):
        raise BadInput("invalid_prizes", "Tên giải bị lặp / a prize is named twice")
    if any(not 1 <= p.count <= 10_000 for p in prizes):
        raise BadInput("invalid_prizes", "Số giải từ 1 đến 10.000 / a prize's count is 1 to 10,000")
    if forward_quota is not None and not 1 <= forward_quota <= 10_000:
        raise BadInput(
            "invalid_quota",
            "Số bài gửi dự thi cấp trên từ 1 đến 10.000 / the quota is 1 to 10,000",
        )
    with transaction.atomic():
        locked = _locked(round)
        Result.objects.filter(round=locked).delete()
        Prize.objects.filter(round=locked).delete()
        made = Prize.objects.bulk_create(
            Prize(round=locked, position=i, name=n, count=p.count, category=c)
            for i, (n, p, c) in enumerate(zip(names, prizes, categories, strict=True), start=1)
        )
        locked.forward_quota = forward_quota
        locked.save(update_fields=["forward_quota"])
    round.forward_quota = forward_quota
    return made


def _locked(round: Round) -> Round:
    """The round's row, locked (as sheets and closing take it); 409 once issued, or once
    a certificate names a result (only after the decision; a certificate keeps its row)."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if (
        locked.results_decision_id is not None
        or PrizeCertificate.objects.filter(result__round=locked).exists()
    ):
        raise results_issued(locked)
    return locked


def draw_results(*, acting_user: Actor, contest: Contest, round: Round) -> list[Result]:
    """The round's results from its ranking: each prize, in order, to the next ``count``
    entries without a prize down it, or down its category's entries only (decision
    0064); the first ``forward_quota`` entries of the round forwarded, whatever their
    category. The round must be closed (409 ``round_open``) and have prizes or a quota
    (400); drawing again replaces the results until the decision is issued. Fewer ranked
    entries than places: the lower prizes stay partly or wholly ungiven."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    with transaction.atomic():
        locked = _locked(round)
        if locked.closed_at is None:
            raise Conflict(
                "round_open",
                f"Vòng {locked.name} chưa kết thúc chấm: kết thúc trước khi xét giải / round "
                f"{locked.number} is still open for scoring: close it first",
            )
        prizes = list(Prize.objects.filter(round=locked))
        if not prizes and not locked.forward_quota:
            raise BadInput(
                "no_prizes",
                "Vòng này chưa có cơ cấu giải hay số bài gửi cấp trên / the round has no "
                "prizes and no forwarding quota",
            )
        ranked = [r for r in ranking.of_round(locked) if r.rank is not None]
        given = _given(locked, prizes, ranked)
        forwarded = {r.entry for r in ranked[: locked.forward_quota or 0]}
        Result.objects.filter(round=locked).delete()
        made = Result.objects.bulk_create(
            Result(
                round=locked,
                entry_id=r.entry,
                rank=r.rank or 0,  # set: the unranked were left out above
                prize=given.get(r.entry),
                is_forwarded=r.entry in forwarded,
                raw=r.raw or 0.0,
                normalised=r.normalised or 0.0,
            )
            for r in ranked
            if r.entry in given or r.entry in forwarded
        )
    return made


def _given(round: Round, prizes: list[Prize], ranked: list[ranking.Ranked]) -> dict[int, Prize]:
    """Entry → its prize: each prize in turn to the next ``count`` entries without one,
    down the round's ranking or, for a category's prize, its entries' (decision 0064)."""
    categories = dict(
        Entry.objects.filter(contest_id=round.contest_id).values_list("pk", "category_id")
        if any(p.category_id for p in prizes)
        else []
    )
    given: dict[int, Prize] = {}
    for prize in prizes:
        down = (
            r.entry
            for r in ranked
            if r.entry not in given
            and (prize.category_id is None or categories.get(r.entry) == prize.category_id)
        )
        given.update((entry, prize) for entry in islice(down, prize.count))
    return given


def winners(round: Round) -> list[Result]:
    """The round's results with their entries, units and prizes, by rank."""
    return list(
        Result.objects.filter(round=round)
        .select_related("entry__unit", "entry__category", "prize__category")
        .order_by("rank")
    )


def issue_results(
    *,
    acting_user: Actor,
    contest: Contest,
    round: Round,
    date: dt.date,
    signer: str,
    signer_authority: str,
    recipients: str,
    summary: str = "",
) -> Document:
    """Issue the organiser's decision (Quyết định, QĐ) on the round's results from its
    register, numbered by it, with the list of prize winners (a .docx) attached; the
    results are final after it (409 to change them). 409 without results, or with an
    entry disqualified since they were drawn, or while a later round is still open (its
    judges may read the register); 400 for a day after today or before the round
    closed."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    if round.closed_at is None or date < timezone.localdate(round.closed_at):
        raise BadInput(
            "invalid_date",
            "Ngày quyết định phải từ ngày kết thúc chấm đến hôm nay / the decision's day "
            "must be from the day scoring closed to today",
        )
    if date > timezone.localdate():
        raise BadInput(
            "invalid_date", "Ngày quyết định không sau hôm nay / the day cannot be after today"
        )
    later = (
        Round.objects.filter(contest=contest, number__gt=round.number, closed_at__isnull=True)
        .order_by("number")
        .first()
    )
    if later is not None:
        # The decision and its winners list go into the register, which a later round's
        # judge may read as a viewer of the organiser (decision 0061: blind judging).
        raise Conflict(
            "later_round_open",
            f"Vòng {later.name} còn đang chấm: ban hành quyết định kết quả vòng {round.name} "
            f"sau khi vòng đó kết thúc, để giám khảo không biết kết quả vòng trước / round "
            f"{later.number} is still being judged: issue round {round.number}'s results "
            "after it closes, so that its judges do not learn the earlier results",
        )
    summary = nfc(summary).strip() or f"Về việc công nhận kết quả và trao giải {contest.title}"
    with transaction.atomic():
        locked = _locked(round)
        found = [r for r in winners(locked) if r.prize_id is not None]
        if not found:
            raise Conflict(
                "no_results",
                "Chưa xét giải vòng này / the round's prizes have not been drawn",
            )
        out = [r.entry.receipt_of(r.entry.number, contest.opens.year) for r in found]
        gone = [o for r, o in zip(found, out, strict=True) if r.entry.disqualified_at]
        if gone:
            raise Conflict(
                "results_stale",
                f"Bài {', '.join(gone)} đã bị loại sau khi xét giải: xét lại / entries "
                f"{', '.join(gone)} were disqualified after the prizes were drawn: draw again",
            )
        draft = documents.register_draft(
            acting_user=acting_user,
            issuer=contest.unit,
            type="QĐ",
            date=date,
            summary=summary,
            signer=signer,
            signer_authority=signer_authority,
            recipients=recipients,
        )
        document = documents.issue(acting_user=acting_user, document=draft)
        locked.results_decision = document
        locked.save(update_fields=["results_decision"])
    round.results_decision = document
    # Built and stored after the commit, as commendations' decision is: writing the blob
    # does not hold the round's lock, and a rollback leaves no file behind.
    attachments.attach(
        acting_user=acting_user,
        document=document,
        name="danh-sach-doat-giai.docx",
        data=winners_docx(contest, locked, found, document),
    )
    return document


def winners_docx(contest: Contest, round: Round, found: list[Result], document: Document) -> bytes:
    """The list attached to the decision: each prize winner's prize, title, author and
    unit, by rank (Vietnamese: an official paper)."""
    import docx

    paper = docx.Document()
    paper.add_heading("DANH SÁCH TÁC PHẨM ĐOẠT GIẢI", level=1)
    paper.add_paragraph(
        f"{contest.title} — vòng {round.name}. Kèm theo Quyết định số {document.symbol} "
        f"ngày {format_date(document.date)}."
    )
    table = paper.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["TT", "Giải", "Tên tác phẩm", "Tác giả", "Đơn vị", "Điểm"],
        strict=True,
    ):
        cell.text = text
    for n, r in enumerate(found, start=1):
        row = table.add_row().cells
        values = [
            str(n),
            r.prize.shown if r.prize else "",
            r.entry.title,
            r.entry.author_name,
            unit_name(r.entry, document.date),
            format_number(r.raw, 2),
        ]
        for cell, text in zip(row, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    paper.save(out)
    return out.getvalue()


def unit_name(entry: Entry, day: dt.date) -> str:
    version = entry.unit.version_on(day) or entry.unit.latest_version()
    return version.name if version else entry.unit.code
