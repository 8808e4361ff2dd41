"""Every write of contests: one function per change, one transaction each (issue 17).

The caller needs CHANGE on the contest's organising unit (``accounts.policy``; a system
actor may do everything), but for a judge's score sheet and the conflicts a judge
declares for themself. An entry's file is inspected, hashed and written before the
transaction, which only records it (the project's rule for uploads). Intake refuses a
late entry, a wrong category and the same file twice, and flags a near-same text for
the organiser (decision 0056).
"""

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.accounts.models import User
from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import anonymise, assignment, ranking, similarity
from trienkhai.contests.models import (
    Advancement,
    Assignment,
    Category,
    Contest,
    Criterion,
    DeclaredConflict,
    Entry,
    Judge,
    Round,
    Score,
)
from trienkhai.contests.results import results_issued
from trienkhai.documents import attachments
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn import format_date
from trienkhai.vn.numbers import format_number
from trienkhai.vn.text import nfc


@dataclass(frozen=True)
class RoundInput:
    name: str
    judges_per_entry: int


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: Decimal
    max: Decimal


def create_contest(
    *,
    acting_user: Actor,
    unit: Unit,
    title: str,
    opens: dt.date,
    closes: dt.date,
    rounds: list[RoundInput],
    criteria: list[CriterionInput],
    categories: list[str] | None = None,
) -> Contest:
    """A contest held by ``unit`` with its rounds (numbered 1, 2, … in order), rubric and
    categories (none: entries name no category)."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    title = title.strip()
    if not title:
        raise BadInput("invalid_title", "Chưa có tên cuộc thi / the title is missing")
    if closes < opens:
        raise BadInput(
            "invalid_dates",
            "Ngày kết thúc trước ngày bắt đầu / the contest closes before it opens",
        )
    if not rounds:
        raise BadInput("invalid_rounds", "Cuộc thi cần ít nhất một vòng / at least one round")
    if any(r.judges_per_entry < 1 or not r.name.strip() for r in rounds):
        raise BadInput(
            "invalid_rounds",
            "Mỗi vòng cần tên và ít nhất 1 giám khảo mỗi bài / each round needs a name and "
            "at least 1 judge per entry",
        )
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise BadInput(
            "invalid_criteria",
            "Tiêu chí cần tên, không trùng nhau / criteria need distinct names",
        )
    if any(c.weight <= 0 or c.max <= 0 for c in criteria):
        raise BadInput(
            "invalid_criteria",
            "Trọng số và điểm tối đa phải lớn hơn 0 / weight and max must be above 0",
        )
    kinds = [_category_name(c) for c in categories or []]
    if len(set(kinds)) != len(kinds):
        raise BadInput("invalid_categories", "Thể loại bị lặp / a category is named twice")
    with transaction.atomic():
        contest = Contest.objects.create(
            unit=unit,
            title=title,
            opens=opens,
            closes=closes,
            created_by=actors.user_of(acting_user),
        )
        Round.objects.bulk_create(
            Round(
                contest=contest,
                number=i,
                name=r.name.strip(),
                judges_per_entry=r.judges_per_entry,
            )
            for i, r in enumerate(rounds, start=1)
        )
        Criterion.objects.bulk_create(
            Criterion(contest=contest, name=n, weight=c.weight, max=c.max)
            for n, c in zip(names, criteria, strict=True)
        )
        Category.objects.bulk_create(Category(contest=contest, name=n) for n in kinds)
    return contest


def _category_name(name: str) -> str:
    name = nfc(name).strip()
    if not name or len(name) > 200:
        raise BadInput(
            "invalid_categories",
            "Tên thể loại từ 1 đến 200 ký tự / a category's name has 1 to 200 characters",
        )
    return name


def add_category(*, acting_user: Actor, contest: Contest, name: str) -> Category:
    """A category (thể loại) of the contest; 409 if it has one of that name."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    name = _category_name(name)
    duplicate = Conflict(
        "duplicate_category", f"Đã có thể loại {name} / the category {name} exists already"
    )
    if Category.objects.filter(contest=contest, name=name).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Category.objects.create(contest=contest, name=name)
    except IntegrityError:
        raise duplicate from None


def add_judge(
    *, acting_user: Actor, contest: Contest, round: Round, user: User, cap: int | None = None
) -> Judge:
    """Name ``user`` a judge of ``round``; 409 if they already are. An organiser naming
    themselves is refused (400): a judge is blind (decision 0053), so they would lose the
    organiser's pages of the contest, authors and scores included."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    if isinstance(acting_user, User) and acting_user.pk == user.pk:
        raise BadInput(
            "self_judge",
            "Bạn không tự cử mình làm giám khảo được: giám khảo không được biết tác giả, nên "
            "bạn sẽ mất các trang tổ chức cuộc thi này. Hãy nhờ một người tổ chức khác cử "
            "bạn, hoặc cử một tài khoản khác / you cannot name yourself a judge: a judge may "
            "not know the authors, so you would lose this contest's organiser pages. Ask "
            "another organiser to name you, or name another account",
        )
    if round.contest_id != contest.pk:
        raise BadInput("invalid_round", "Vòng không thuộc cuộc thi / not this contest's round")
    if cap is not None and cap < 1:
        raise BadInput("invalid_cap", "Giới hạn bài phải từ 1 / the cap must be at least 1")
    if Judge.objects.filter(round=round, user=user).exists():
        raise _already_judge(user)
    try:
        with transaction.atomic():
            return Judge.objects.create(contest=contest, round=round, user=user, cap=cap)
    except IntegrityError:  # named meanwhile by another request
        raise _already_judge(user) from None


def _already_judge(user: User) -> Conflict:
    return Conflict(
        "duplicate_judge",
        f"{user.username} đã là giám khảo của vòng này / is already a judge of this round",
    )


def receive_entry(
    *,
    acting_user: Actor,
    contest: Contest,
    title: str,
    author_name: str,
    unit: Unit,
    file_name: str,
    data: bytes,
    category: str | None = None,
    sent_on: dt.date | None = None,
) -> Entry:
    """Receive an entry from ``unit`` (the organiser or a unit below it) and number its
    receipt. Refused (400, nothing stored): sent after the contest closes or before it
    opens (``sent_on``, the postmark or dispatch day, else today), a category the contest
    lacks or none when it has some, a file that cannot be read or made anonymous. The
    same file twice in a contest is a 409 naming the first receipt. A text near the same
    as an earlier entry's is received and flagged: ``similar_to``, ``similarity``
    (decision 0056)."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    title, author_name = title.strip(), author_name.strip()
    if not title or not author_name:
        raise BadInput(
            "invalid_entry", "Bài dự thi cần tên bài và tác giả / title and author are required"
        )
    if len(title) > 500 or len(author_name) > 200 or "\x00" in title + author_name:
        raise BadInput(
            "invalid_entry",
            "Tên bài tối đa 500 ký tự, tên tác giả tối đa 200, không có ký tự NUL / a title of "
            "at most 500 characters, an author of at most 200, no NUL character",
        )
    day = contest.unit.reference_date()
    if not queries.is_descendant_or_self(unit.pk, [contest.unit.pk], day):
        raise BadInput(
            "invalid_unit",
            f"Đơn vị {unit.code} không thuộc đơn vị tổ chức cuộc thi / {unit.code} is not "
            "under the contest's organiser",
        )
    kind = _category(contest, category)
    _refuse_late(contest, sent_on)
    found = attachments.inspect(file_name, data)  # 400 for an empty, damaged or odd file
    anonymise.anonymous_copy(found.kind, data)  # 400 now rather than before a judge
    digest = hashlib.sha256(data).hexdigest()
    _refuse_duplicate(contest, digest)
    signature = similarity.signature(found.text)
    like = similarity.most_like(
        signature,
        list(
            Entry.objects.filter(contest=contest)
            .exclude(text_signature=b"")
            .values_list("pk", "text_signature")
        ),
    )
    path = attachments._store(data, digest)  # the documents' blob store, by digest
    try:
        with transaction.atomic():
            _refuse_duplicate(contest, digest)
            last = Entry.objects.filter(contest=contest).aggregate(n=Max("number"))["n"]
            return Entry.objects.create(
                contest=contest,
                number=(last or 0) + 1,
                title=title,
                author_name=author_name,
                unit=unit,
                file_name=found.name,
                path=path,
                size=len(data),
                sha256=digest,
                received_by=actors.user_of(acting_user),
                category=kind,
                sent_on=sent_on,
                text_signature=signature,
                similar_to_id=like[0] if like else None,
                similarity=like[1] if like else None,
            )
    except IntegrityError:  # the same file, or the same number, taken meanwhile
        _refuse_duplicate(contest, digest)
        raise Conflict(
            "busy", "Đơn vị khác vừa nộp bài, xin gửi lại / another entry came in: send again"
        ) from None


def _category(contest: Contest, name: str | None) -> Category | None:
    """The category ``name`` of the contest; 400 if it has none of that name, or if it
    has categories and ``name`` is empty (or none and one is named)."""
    kinds = {c.name: c for c in Category.objects.filter(contest=contest)}
    name = nfc(name or "").strip()
    if not name and not kinds:
        return None
    if not kinds:
        raise BadInput(
            "invalid_category",
            "Cuộc thi này không chia thể loại / this contest has no categories",
        )
    if name not in kinds:
        listed = ", ".join(kinds)
        raise BadInput(
            "invalid_category",
            (f"Không có thể loại {name}" if name else "Chưa chọn thể loại")
            + f"; chọn một trong: {listed} / "
            + (f"no category {name}" if name else "no category named")
            + f"; one of: {listed}",
        )
    return kinds[name]


def _refuse_late(contest: Contest, sent_on: dt.date | None) -> None:
    """400 for an entry sent after the contest closes or before it opens."""
    today = timezone.localdate()
    if sent_on is not None and sent_on > today:
        raise BadInput(
            "invalid_sent_on",
            "Ngày gửi không được sau hôm nay / the day sent cannot be after today",
        )
    day = sent_on or today
    if day > contest.closes:
        raise BadInput(
            "late",
            f"Bài gửi ngày {format_date(day)}, sau hạn nhận bài {format_date(contest.closes)} "
            f"/ sent on {day.isoformat()}, after the contest closed on "
            f"{contest.closes.isoformat()}",
        )
    if day < contest.opens:
        raise BadInput(
            "not_open",
            f"Cuộc thi nhận bài từ ngày {format_date(contest.opens)} / the contest takes "
            f"entries from {contest.opens.isoformat()}",
        )


def disqualify_entry(*, acting_user: Actor, contest: Contest, entry: Entry, reason: str) -> Entry:
    """Take ``entry`` out of the ranking and the results (a copy, a rule broken), saying
    why; 409 once it is out already or the results decision is issued."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    reason = nfc(reason).strip()
    if not reason or len(reason) > 2000:
        raise BadInput(
            "invalid_reason",
            "Cần lý do loại bài, tối đa 2.000 ký tự / say why, in at most 2,000 characters",
        )
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk, contest=contest)
        if locked.disqualified_at is not None:
            raise Conflict("already_disqualified", "Bài đã bị loại / the entry is out already")
        final = Round.objects.filter(
            contest=contest, results_decision__isnull=False, results__entry=locked
        ).first()
        if final is not None:
            raise results_issued(final)
        locked.disqualified_at = timezone.now()
        locked.disqualified_reason = reason
        locked._history_user = actors.user_of(acting_user)  # type: ignore[attr-defined]
        locked.save(update_fields=["disqualified_at", "disqualified_reason"])
    return locked


def _refuse_duplicate(contest: Contest, digest: str) -> None:
    first = Entry.objects.select_related("contest").filter(contest=contest, sha256=digest).first()
    if first is not None:
        raise Conflict(
            "duplicate_entry",
            f"Tệp này đã được nộp, biên nhận số {first.receipt} / this file was already "
            f"received as entry {first.receipt}",
        )


def assign_round(*, acting_user: Actor, contest: Contest, round: Round) -> assignment.Result:
    """Assign ``round.judges_per_entry`` judges to each entry the round judges (min-cost
    flow, decision 0052), replacing the round's earlier assignments; entries that cannot
    have that many are returned unassigned and get none. Round 1 judges every entry not
    disqualified, a later round those advanced into it (``advance_entries``; 409 before
    any is, decision 0061). Once a sheet is in, or the round closed, the assignments stay
    (409): a sheet is the score of an assigned reading."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    _refuse_if_scored(round)
    entries = list(_judged_entries(contest, round).values_list("pk", "unit_id"))
    judges = list(Judge.objects.filter(round=round).select_related("user"))
    day = contest.unit.reference_date()
    judge_units = {j.pk: frozenset(policy.role_unit_ids(j.user)) for j in judges}
    caps = {j.pk: j.cap for j in judges}
    declared = list(
        DeclaredConflict.objects.filter(contest=contest).values_list(
            "user_id", "entry_id", "unit_id"
        )
    )
    judges_of_user: dict[int, list[int]] = {}
    for j in judges:
        judges_of_user.setdefault(j.user_id, []).append(j.pk)
    conflicted: dict[int, frozenset[int]] = {}
    for unit_id in {u for _, u in entries}:
        # The author's unit and its parent may not judge it; nor a judge who declared a
        # conflict with the unit or one above it.
        above = queries.ancestor_ids(unit_id, day)
        near = {uid for uid, depth in above if depth <= 1}
        chain = {uid for uid, _ in above}
        named = {
            j for user, _, unit in declared if unit in chain for j in judges_of_user.get(user, [])
        }
        conflicted[unit_id] = frozenset(
            {j for j, units in judge_units.items() if units & near} | named
        )
    by_entry: dict[int, set[int]] = {}
    for user, entry, _ in declared:
        if entry is not None:
            by_entry.setdefault(entry, set()).update(judges_of_user.get(user, []))
    result = assignment.solve(
        entries=entries,
        judges=caps,
        per_entry=round.judges_per_entry,
        conflicted=conflicted,
        entry_conflicts={e: frozenset(js) for e, js in by_entry.items() if js},
    )
    with transaction.atomic():
        # The round's row is the lock a sheet takes too (record_score).
        _refuse_if_scored(Round.objects.select_for_update().get(pk=round.pk))
        if round.number > 1 and set(
            _judged_entries(contest, round).values_list("pk", "unit_id")
        ) != set(entries):
            # Chosen again (advance_entries takes the same lock) since they were read.
            raise Conflict(
                "busy",
                "Danh sách bài vào vòng vừa thay đổi, xin phân công lại / the round's "
                "entries changed meanwhile: assign again",
            )
        Assignment.objects.filter(round=round).delete()
        Assignment.objects.bulk_create(
            (Assignment(round=round, entry_id=e, judge_id=j) for e, j in result.pairs),
            batch_size=2000,
        )
    return result


def _judged_entries(contest: Contest, round: Round) -> QuerySet[Entry]:
    """The entries ``round`` judges: in round 1 every entry not disqualified, in a later
    one those advanced into it and not disqualified since (409 while none is)."""
    found = Entry.objects.filter(contest=contest, disqualified_at__isnull=True)
    if round.number == 1:
        return found
    if not Advancement.objects.filter(round=round).exists():
        raise Conflict(
            "not_advanced",
            f"Chưa chọn bài vào vòng {round.name}: chọn các bài cao điểm nhất của vòng "
            f"trước / no entries advanced into round {round.number} yet: advance the best "
            "of the round before first",
        )
    return found.filter(advancements__round=round)


def advance_entries(*, acting_user: Actor, contest: Contest, round: Round, count: int) -> list[int]:
    """Advance the first ``count`` entries of ``round``'s ranking (decision 0053's order
    and tie-breaks; disqualified entries are not ranked) into the round after it, which
    then judges only them (decision 0061). Returns their ids, by rank. Replaces the
    earlier choice and the next round's assignments (assign it again). 409 while
    ``round`` is open, for the last round, or once the next round has a score sheet or
    is closed; 400 unless 1 ≤ ``count`` ≤ the entries ranked."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    if round.contest_id != contest.pk:
        raise BadInput("invalid_round", "Vòng không thuộc cuộc thi / not this contest's round")
    after = Round.objects.filter(contest=contest, number=round.number + 1).first()
    if after is None:
        raise Conflict(
            "last_round",
            f"Vòng {round.name} là vòng cuối: không có vòng sau / round {round.number} is "
            "the last round: there is no round after it",
        )
    if round.closed_at is None:
        raise Conflict(
            "round_open",
            f"Vòng {round.name} chưa kết thúc chấm: kết thúc trước khi chọn bài vào vòng sau "
            f"/ round {round.number} is still open for scoring: close it first",
        )
    with transaction.atomic():
        # The next round's row: the lock its sheets and assign_round take too.
        locked = Round.objects.select_for_update().get(pk=after.pk)
        if locked.closed_at is not None or Score.objects.filter(round=locked).exists():
            raise Conflict(
                "scoring_started",
                f"Vòng {locked.name} đã có điểm chấm: không chọn lại bài vào vòng / round "
                f"{locked.number} has score sheets already: its entries cannot be chosen "
                "again",
            )
        ranked = [r for r in ranking.of_round(round) if r.rank is not None]
        if not 1 <= count <= len(ranked):
            raise BadInput(
                "invalid_count",
                f"Số bài vào vòng sau từ 1 đến {format_number(len(ranked))}, số bài đã xếp "
                f"hạng ở vòng {round.name} / the count is 1 to {len(ranked)}, the entries "
                f"ranked in round {round.number}",
            )
        chosen = ranked[:count]
        Assignment.objects.filter(round=locked).delete()
        Advancement.objects.filter(round=locked).delete()
        Advancement.objects.bulk_create(
            Advancement(
                round=locked,
                entry_id=r.entry,
                rank=r.rank or 0,  # set: the unranked were left out above
                created_by=actors.user_of(acting_user),
            )
            for r in chosen
        )
    return [r.entry for r in chosen]


def declare_conflict(
    *,
    acting_user: Actor,
    contest: Contest,
    user: User,
    entry: Entry | None = None,
    unit: Unit | None = None,
    reason: str = "",
) -> DeclaredConflict:
    """Record that ``user`` (a judge of the contest) may not judge ``entry``, or the
    entries of ``unit`` and the units under it: declared by the judge themself, or by an
    organiser for them. Exactly one of ``entry`` and ``unit``; the unit under the
    organiser; 409 if declared already. Takes effect when the round is assigned (again);
    an assignment made before stays until then."""
    acting = actors.user_of(acting_user)
    if acting is None or acting.pk != user.pk:
        policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    if not Judge.objects.filter(contest=contest, user=user).exists():
        raise BadInput(
            "not_a_judge",
            f"{user.username} không là giám khảo của cuộc thi / is not a judge of the contest",
        )
    if (entry is None) == (unit is None):
        raise BadInput(
            "invalid_conflict",
            "Nêu một bài dự thi hoặc một đơn vị / name one entry or one unit",
        )
    if entry is not None and entry.contest_id != contest.pk:
        raise BadInput("invalid_entry", "Bài không thuộc cuộc thi / not this contest's entry")
    day = contest.unit.reference_date()
    if unit is not None and not queries.is_descendant_or_self(unit.pk, [contest.unit.pk], day):
        raise BadInput(
            "invalid_unit",
            f"Đơn vị {unit.code} không thuộc đơn vị tổ chức cuộc thi / {unit.code} is not "
            "under the contest's organiser",
        )
    reason = nfc(reason).strip()
    if len(reason) > 500:
        raise BadInput("invalid_reason", "Lý do tối đa 500 ký tự / at most 500 characters")
    twice = Conflict(
        "duplicate_conflict", "Xung đột này đã được khai báo / this conflict is declared already"
    )
    if DeclaredConflict.objects.filter(contest=contest, user=user, entry=entry, unit=unit).exists():
        raise twice
    by_themself = acting is not None and acting.pk == user.pk
    try:
        with transaction.atomic():
            if by_themself and unit is not None:
                _refuse_past_own_unit_conflicts(contest, user)
            return DeclaredConflict.objects.create(
                contest=contest,
                user=user,
                entry=entry,
                unit=unit,
                reason=reason,
                created_by=acting,
            )
    except IntegrityError:
        raise twice from None


OWN_UNIT_CONFLICTS = 2
"""Unit conflicts a judge may declare by themself per contest: each one takes a whole
unit's entries out of their pile, so past two they ask the organiser, who may record any
(a judge must not shape their own pile)."""


def _refuse_past_own_unit_conflicts(contest: Contest, user: User) -> None:
    # The judge's rows are the lock: two requests at once do not both pass the count.
    list(Judge.objects.select_for_update().filter(contest=contest, user=user))
    declared = DeclaredConflict.objects.filter(
        contest=contest, user=user, created_by=user, unit__isnull=False
    ).count()
    if declared >= OWN_UNIT_CONFLICTS:
        raise BadInput(
            "too_many_conflicts",
            f"Giám khảo tự khai báo tối đa {OWN_UNIT_CONFLICTS} đơn vị xung đột trong một cuộc "
            "thi; đề nghị ban tổ chức ghi nhận thêm / a judge may declare at most "
            f"{OWN_UNIT_CONFLICTS} unit conflicts in a contest themselves; ask the organiser "
            "to record more",
        )


def _refuse_if_scored(round: Round) -> None:
    if round.closed_at is not None or Score.objects.filter(round=round).exists():
        raise Conflict(
            "scoring_started",
            f"Vòng {round.name} đã có điểm chấm: không phân công lại / round {round.number} "
            "has score sheets already: it cannot be assigned again",
        )


def close_round(*, acting_user: Actor, contest: Contest, round: Round) -> Round:
    """End scoring in ``round``: later score sheets are refused (409). Closing a closed
    round is a 409 naming when it was closed."""
    policy.require(acting_user, policy.Action.CHANGE, contest.unit)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk, contest=contest)
        if locked.closed_at is not None:
            raise _closed(locked)
        locked.closed_at = timezone.now()
        locked.closed_by = actors.user_of(acting_user)
        locked.save(update_fields=["closed_at", "closed_by"])
    return locked


def _closed(round: Round) -> Conflict:
    assert round.closed_at is not None
    when = timezone.localtime(round.closed_at).strftime("%H:%M %d/%m/%Y")
    return Conflict(
        "round_closed",
        f"Vòng {round.name} đã kết thúc chấm lúc {when} / round {round.number} was closed "
        f"for scoring at {when}",
    )


MAX_DECIMALS = 2
"""A score has at most two decimals (7,25): what a judge writes on a paper sheet."""


def record_score(
    *, acting_user: Actor, contest: Contest, round: Round, entry: Entry, values: dict
) -> Score:
    """The acting judge's score sheet of ``entry`` in ``round``, replacing their earlier
    one (the history keeps it). Every criterion of the rubric, each a finite number from
    0 to the criterion's max with at most two decimals (400 otherwise); 403 unless the
    acting user is a judge the entry is assigned to in this round; 409 once the round is
    closed."""
    user = actors.user_of(acting_user)
    judge = (
        Judge.objects.filter(round=round, user=user, assignments__entry=entry).first()
        if user is not None and round.contest_id == contest.pk and entry.contest_id == contest.pk
        else None
    )
    if judge is None:
        raise policy.PermissionDenied(
            "Bài này không được phân công cho bạn chấm ở vòng này / this entry is not "
            "assigned to you in this round"
        )
    criteria = list(Criterion.objects.filter(contest=contest).order_by("pk"))
    scores = _checked(criteria, values)
    total = sum((c.weight * scores[c.name] for c in criteria), Decimal(0))
    sheet = {c.name: str(scores[c.name]) for c in criteria}
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.closed_at is not None:
            raise _closed(locked)
        found = Score.objects.filter(round=round, entry=entry, judge=judge).first()
        if found is None:
            try:
                with transaction.atomic():
                    return Score.objects.create(
                        round=round, entry=entry, judge=judge, values=sheet, total=total
                    )
            except IntegrityError:  # the same judge's other request, meanwhile
                found = Score.objects.get(round=round, entry=entry, judge=judge)
        found.values, found.total, found.modified = sheet, total, timezone.now()
        found.save(update_fields=["values", "total", "modified"])
        return found


def _checked(criteria: list[Criterion], values: dict) -> dict[str, Decimal]:
    """Each criterion's score as a Decimal, or 400 naming every criterion at fault."""
    names = {c.name for c in criteria}
    problems = [
        f"{name}: không có trong thang điểm / not a criterion of the rubric"
        for name in values
        if name not in names
    ]
    scores: dict[str, Decimal] = {}
    for criterion in criteria:
        value = values.get(criterion.name)
        if value is None:
            problems.append(f"{criterion.name}: chưa có điểm / no score")
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            problems.append(f"{criterion.name}: phải là một số / must be a number")
            continue
        score = Decimal(str(value))
        if not 0 <= score <= criterion.max:
            problems.append(
                f"{criterion.name}: từ 0 đến {_number(criterion.max)} / from 0 to "
                f"{criterion.max.normalize():f}"
            )
        elif _decimals(score) > MAX_DECIMALS:
            problems.append(
                f"{criterion.name}: tối đa {MAX_DECIMALS} chữ số thập phân / at most "
                f"{MAX_DECIMALS} decimals"
            )
        else:
            scores[criterion.name] = score
    if problems:
        raise BadInput(
            "invalid_scores",
            "Điểm không hợp lệ / invalid scores: " + "; ".join(problems),
            details=problems,
        )
    return scores


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _number(value: Decimal) -> str:
    """60 or 7,5: a criterion's max as Vietnamese write it."""
    return format_number(value, _decimals(value))
