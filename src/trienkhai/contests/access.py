"""Reads that return the object or raise: 404 if unknown, 403 if the policy says no.

A contest belongs to its organising unit: VIEW on it to read, CHANGE to write. Judging is
blind (decision 0053): a judge of a contest reads only the entries assigned to them, and
only anonymously, even if they also hold CHANGE on the organiser."""

from dataclasses import dataclass

from trienkhai.accounts import policy
from trienkhai.accounts.models import User
from trienkhai.common.errors import NotFound
from trienkhai.contests.models import Contest, Entry, Judge, PrizeCertificate, Round
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit


def get_contest(user, pk: int, action: policy.Action = policy.Action.VIEW) -> Contest:
    """The contest ``pk`` if ``user`` may do ``action`` on its organiser."""
    contest = Contest.objects.select_related("unit").filter(pk=pk).first()
    if contest is None:
        raise policy.unknown(user, "cuộc thi / contest", pk)
    policy.require(user, action, contest.unit)
    return contest


JUDGE_IS_BLIND = (
    "Giám khảo của cuộc thi không xem được tác giả, đơn vị hay điểm của người khác "
    "/ a judge of the contest may not see authors, units or others' scores"
)


def get_contest_for_organiser(user, pk: int) -> Contest:
    """The contest ``pk`` for an organiser: CHANGE on its organiser and no judge of the
    contest in any round (403), for every page or endpoint that shows authors, units,
    receipts or the judges' scores (decision 0053: a judge is blind even if they also
    manage the organiser)."""
    contest = get_contest(user, pk, policy.Action.CHANGE)
    if _is_judge(user, contest):
        raise policy.PermissionDenied(JUDGE_IS_BLIND)
    return contest


def get_certificate_for_organiser(user, pk: int, certificate_id: int) -> PrizeCertificate:
    """A prize certificate of the contest ``pk``, for its organiser (as
    ``get_contest_for_organiser``); 404 for one of another contest."""
    contest = get_contest_for_organiser(user, pk)
    found = (
        PrizeCertificate.objects.select_related("result__round__contest__unit", "organiser")
        .filter(pk=certificate_id, result__round__contest=contest)
        .first()
    )
    if found is None:
        raise NotFound("giấy chứng nhận / certificate", str(certificate_id))
    return found


def get_round(contest: Contest, number: int) -> Round:
    """The round ``number`` of a contest already read through ``get_contest``."""
    found = Round.objects.filter(contest=contest, number=number).first()
    if found is None:
        raise NotFound("vòng thi / round", str(number))
    return found


def get_user(username: str) -> User:
    """The user an organiser names a judge: any active user (their unit comes from their
    roles)."""
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise NotFound("người dùng / user", username)
    return found


@dataclass(frozen=True)
class Reading:
    """An entry as its reader may see it: ``rounds`` the rounds it is assigned to them in
    (a judge), or ``is_organiser`` (everything, the author included)."""

    entry: Entry
    is_organiser: bool
    rounds: list[Round]


NOT_ASSIGNED = "Bài này không được phân công cho bạn chấm / this entry is not assigned to you"


def read_entry(user, contest_id: int, entry_id: int) -> Reading:
    """An organiser (CHANGE on the organiser, not a judge of the contest) reads any entry;
    a judge only the entries assigned to them in some round (403 otherwise, whether or
    not the entry exists: a judge learns nothing of the others)."""
    contest = Contest.objects.select_related("unit").filter(pk=contest_id).first()
    if contest is None:
        raise policy.unknown(user, "cuộc thi / contest", contest_id)
    entry = Entry.objects.select_related("contest").filter(pk=entry_id, contest=contest).first()
    if _is_judge(user, contest):
        rounds = list(
            Round.objects.filter(
                contest=contest, assignments__entry=entry, assignments__judge__user=user
            ).distinct()
            if entry is not None
            else []
        )
        if not rounds:
            raise policy.PermissionDenied(NOT_ASSIGNED)
        assert entry is not None
        return Reading(entry, False, rounds)
    policy.require(user, policy.Action.CHANGE, contest.unit)
    if entry is None:
        raise NotFound("bài dự thi / entry", str(entry_id))
    return Reading(entry, True, [])


def get_entry_for_organiser(user, contest_id: int, entry_id: int) -> Entry:
    """The entry with its author, for an organiser who is no judge of the contest: a judge
    asking for the author of any entry is refused (403)."""
    reading = read_entry(user, contest_id, entry_id)
    if not reading.is_organiser:
        raise policy.PermissionDenied(
            "Giám khảo không được biết tác giả bài dự thi / a judge may not know an entry's author"
        )
    return reading.entry


def _is_judge(user, contest: Contest) -> bool:
    return bool(user and user.is_authenticated) and (
        Judge.objects.filter(contest=contest, user=user).exists()
    )


def get_contest_for_judge(user, pk: int) -> Contest:
    """The contest ``pk`` if ``user`` judges in it (403 otherwise; 404 only to whoever
    may view something): which entries they may score is the service's to say."""
    contest = Contest.objects.select_related("unit").filter(pk=pk).first()
    if contest is None:
        raise policy.unknown(user, "cuộc thi / contest", pk)
    if not _is_judge(user, contest):
        raise policy.PermissionDenied(
            "Bạn không là giám khảo của cuộc thi này / you are not a judge of this contest"
        )
    return contest


def get_unit_under(contest: Contest, code: str) -> Unit:
    """The unit ``code`` if it is the contest's organiser or under it (404 otherwise): a
    judge names one in a declared conflict without any role there."""
    unit = Unit.objects.filter(code=code).first()
    day = contest.unit.reference_date()
    if unit is None or not queries.is_descendant_or_self(unit.pk, [contest.unit.pk], day):
        raise NotFound("đơn vị của cuộc thi / unit of the contest", code)
    return unit
