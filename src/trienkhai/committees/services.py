"""Every write of steering committees: one function per change, one transaction each.

Who may do what (``accounts.policy``; a system actor may do everything): every write
takes CHANGE on the committee's unit, the Party committee that set it up (its managers
and admins, up the tree). A successor of that unit reads the committee of its
predecessor and changes nothing in it (decision 0004).

Seats never overlap for one person, and one head at a time: the committee's row is
locked while a seat is added or changed, so two requests at once are taken in turn.
Conclusions become tasks through ``documents.directives.assign``: nothing of the task
is kept twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.committees.models import (
    Attendance,
    Committee,
    Conclusion,
    Meeting,
    Membership,
    Person,
)
from trienkhai.common import actors, retention
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import overlaps, valid_on
from trienkhai.documents import directives
from trienkhai.documents.models import Document
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn import format_date
from trienkhai.vn.text import nfc, nfc_lines

MAX_NAME = 200
MAX_POSITION = 300
MAX_TITLE = 300
MAX_AGENDA = 4000
REGISTERED = (Document.Status.ISSUED, Document.Status.RECEIVED, Document.Status.ARCHIVED)
Role = Membership.Role


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = nfc(value)
    if required and not value:
        raise BadInput(f"invalid_{field}", f"Chưa ghi {field} / {field} is missing")
    if len(value) > limit:
        raise BadInput(
            f"invalid_{field}",
            f"{field} tối đa {limit} ký tự / {field} is at most {limit} characters",
        )
    return value


def _no_later_than_today(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise BadInput(
            "invalid_date",
            f"{what} ({format_date(day)}) sau hôm nay / {what} is after today",
        )


def _registered(document: Document, *, unit: Unit, day: dt.date, what: str) -> None:
    """``document`` is in the register of ``unit`` or of a unit under it on ``day``,
    registered (not a draft, not cancelled)."""
    if not queries.is_descendant_or_self(document.unit_id, [unit.pk], day):
        raise BadInput(
            "invalid_document",
            f"{what} phải thuộc sổ văn bản của {unit.code} hoặc đơn vị trực thuộc / {what} "
            f"must be in the register of {unit.code} or a unit under it",
        )
    if document.status not in REGISTERED:
        raise BadInput(
            "invalid_document",
            f"{what} phải đã ban hành hoặc đã nhận / {what} must be issued or received "
            f"(status: {document.status})",
        )


def _locked(committee: Committee) -> Committee:
    return Committee.objects.select_for_update().select_related("unit").get(pk=committee.pk)


# Committees --------------------------------------------------------------------------


def create_committee(
    *,
    acting_user: Actor,
    unit: Unit,
    name: str,
    valid_from: dt.date,
    founding_decision: Document | None = None,
) -> Committee:
    """Record a committee set up by ``unit`` from ``valid_from`` (the founding decision's
    effect): the decision, if given, is a Quyết định of ``unit``'s register dated no
    later than that day."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    name = _text(name, field="name", limit=MAX_NAME)
    _no_later_than_today(valid_from, "Ngày thành lập")
    if not unit.is_valid_on(valid_from):
        raise BadInput(
            "invalid_date",
            f"{unit.code} không tồn tại ngày {format_date(valid_from)} / {unit.code} did not "
            f"exist on {valid_from.isoformat()}",
        )
    if founding_decision is not None:
        if founding_decision.unit_id != unit.pk or founding_decision.type.slug != "quyet_dinh":
            raise BadInput(
                "invalid_document",
                f"Quyết định thành lập phải là Quyết định (QĐ) trong sổ văn bản của {unit.code} "
                f"/ the founding decision must be a decision (QĐ) of {unit.code}'s register",
            )
        _registered(founding_decision, unit=unit, day=valid_from, what="Quyết định thành lập")
        if founding_decision.date > valid_from:
            raise BadInput(
                "invalid_date",
                "Ngày thành lập trước ngày quyết định / the committee starts before its decision",
            )
    with transaction.atomic():
        committee = Committee(
            unit=unit,
            name=name,
            valid_from=valid_from,
            founding_decision=founding_decision,
            created_by=actors.user_of(acting_user),
        )
        committee._change_reason = "create"  # type: ignore[attr-defined]
        committee.save()
        return committee


def end_committee(*, acting_user: Actor, committee: Committee, on: dt.date) -> Committee:
    """The committee ends on ``on`` (dissolved, or carried into another by a reform): its
    last day is the day before; every seat still open ends with it."""
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    with transaction.atomic():
        locked = _locked(committee)
        if locked.valid_to is not None:
            raise Conflict("already_ended", "Ban chỉ đạo đã kết thúc / the committee has ended")
        if on <= locked.valid_from:
            raise BadInput(
                "invalid_date",
                "Ngày kết thúc phải sau ngày thành lập / it must end after it started",
            )
        later = Membership.objects.filter(person__committee=locked, valid_from__gte=on)
        if later.exists():
            raise Conflict(
                "seats_after_end",
                "Có người nhận nhiệm vụ từ ngày kết thúc trở đi / a seat starts on or after "
                "that day",
            )
        Membership.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on), person__committee=locked
        ).update(valid_to=on)
        locked.valid_to, locked.modified = on, timezone.now()
        locked.save(update_fields=["valid_to", "modified"])
        return locked


# Seats -------------------------------------------------------------------------------


def _person(committee: Committee, name: str, unit: Unit | None) -> Person:
    """The person of that (folded) name on the committee, created if new."""
    key = Person.key_of(name)
    found = Person.objects.filter(committee=committee, name_key=key, erased__isnull=True).first()
    if found is not None:
        if unit is not None and found.unit_id != unit.pk:
            found.unit = unit
            found.save(update_fields=["unit"])
        return found
    try:
        with transaction.atomic():
            return Person.objects.create(committee=committee, name=name, name_key=key, unit=unit)
    except IntegrityError:  # created meanwhile by another request
        return Person.objects.get(committee=committee, name_key=key, erased__isnull=True)


def _check_interval(committee: Committee, valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise BadInput(
            "invalid_date",
            "Ngày thôi nhiệm vụ phải sau ngày nhận / a seat ends after it starts",
        )
    ends = committee.valid_to
    if valid_from < committee.valid_from or (ends is not None and valid_from >= ends):
        raise BadInput(
            "invalid_date",
            f"Ngày {format_date(valid_from)} ngoài thời gian hoạt động của ban chỉ đạo / "
            f"{valid_from.isoformat()} is outside the committee's life",
        )
    if ends is not None and (valid_to is None or valid_to > ends):
        raise BadInput(
            "invalid_date",
            f"Ban chỉ đạo kết thúc ngày {format_date(ends)}; nhiệm vụ phải thôi trước đó / "
            f"the committee ended on {ends.isoformat()}: a seat ends by then",
        )


def _check_free(
    person: Person,
    role: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    *,
    ignore: int | None = None,
) -> None:
    """409 if ``person`` already has a seat in those days, or another head sits then."""
    seats = Membership.objects.filter(overlaps(valid_from, valid_to))
    if ignore is not None:
        seats = seats.exclude(pk=ignore)
    if seats.filter(person=person).exists():
        raise Conflict(
            "overlapping_seat",
            "Người này đã có nhiệm vụ trong ban chỉ đạo trong khoảng thời gian đó / this "
            "person already has a seat on the committee in those days",
        )
    if role == Role.HEAD and seats.filter(person__committee=person.committee, role=role).exists():
        raise Conflict(
            "one_head",
            "Ban chỉ đạo đã có Trưởng ban trong khoảng thời gian đó / the committee already "
            "has a head in those days",
        )


def add_member(
    *,
    acting_user: Actor,
    committee: Committee,
    name: str,
    role: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    position: str = "",
    unit: Unit | None = None,
) -> Membership:
    """Seat ``name`` on the committee in ``role`` from ``valid_from`` (to ``valid_to``,
    exclusive, if known), with their ``position`` in their own ``unit``."""
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    name = _text(name, field="name", limit=MAX_NAME)
    if name == Person.ERASED_NAME:
        raise BadInput("invalid_name", "Họ tên không hợp lệ / not a name")
    position = _text(position, field="position", limit=MAX_POSITION, required=False)
    if role not in Role.values:
        raise BadInput(
            "invalid_role",
            f"Nhiệm vụ phải là một trong {', '.join(Role.values)} / the role must be one of "
            f"{', '.join(Role.values)}",
        )
    if unit is not None:  # naming a unit tells nothing the user may not read
        policy.require(acting_user, policy.Action.VIEW, unit)
    with transaction.atomic():
        locked = _locked(committee)
        _check_interval(locked, valid_from, valid_to)
        person = _person(locked, name, unit)
        _check_free(person, role, valid_from, valid_to)
        return Membership.objects.create(
            person=person,
            role=role,
            position=position,
            valid_from=valid_from,
            valid_to=valid_to,
            created_by=actors.user_of(acting_user),
        )


def end_membership(*, acting_user: Actor, membership: Membership, on: dt.date) -> Membership:
    """The seat ends on ``on`` (exclusive: its last day is the day before)."""
    committee = membership.person.committee
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    with transaction.atomic():
        _locked(committee)
        seat = Membership.objects.select_for_update().get(pk=membership.pk)
        if seat.valid_to is not None:
            raise Conflict("already_ended", "Nhiệm vụ này đã thôi / this seat has ended")
        if on <= seat.valid_from:
            raise BadInput(
                "invalid_date",
                "Ngày thôi nhiệm vụ phải sau ngày nhận / a seat ends after it starts",
            )
        seat.valid_to = on
        seat.save(update_fields=["valid_to"])
        return seat


def change_seat(
    *,
    acting_user: Actor,
    membership: Membership,
    on: dt.date,
    role: str | None = None,
    position: str | None = None,
) -> Membership:
    """From ``on`` the person sits in ``role`` with ``position`` (each unchanged if not
    given): the current seat ends that day and a new one starts, so the committee of
    earlier days stays as it was."""
    committee = membership.person.committee
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    with transaction.atomic():
        locked = _locked(committee)
        seat = Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
        if not seat.is_valid_on(on) or on == seat.valid_from:
            raise BadInput(
                "invalid_date",
                f"Ngày thay đổi phải trong thời gian nhận nhiệm vụ, sau ngày bắt đầu "
                f"({format_date(seat.valid_from)}) / the change must fall within the seat, "
                f"after its first day",
            )
        new_role = role if role is not None else seat.role
        if new_role not in Role.values:
            raise BadInput("invalid_role", f"Nhiệm vụ không hợp lệ / invalid role: {new_role}")
        new_position = (
            _text(position, field="position", limit=MAX_POSITION, required=False)
            if position is not None
            else seat.position
        )
        _check_interval(locked, on, seat.valid_to)
        _check_free(seat.person, new_role, on, seat.valid_to, ignore=seat.pk)
        ends = seat.valid_to
        seat.valid_to = on
        seat.save(update_fields=["valid_to"])
        return Membership.objects.create(
            person=seat.person,
            role=new_role,
            position=new_position,
            valid_from=on,
            valid_to=ends,
            created_by=actors.user_of(acting_user),
        )


# Meetings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Guest:
    """Someone invited to a meeting, with the position they came in."""

    name: str
    position: str = ""


def _check_minutes(committee: Committee, meeting_day: dt.date, document: Document) -> None:
    _registered(document, unit=committee.unit, day=meeting_day, what="Biên bản")
    if document.date < meeting_day:
        raise BadInput(
            "invalid_date",
            "Biên bản không thể trước ngày họp / the minutes cannot predate the meeting",
        )


def hold_meeting(
    *,
    acting_user: Actor,
    committee: Committee,
    date: dt.date,
    kind: str,
    title: str,
    agenda: str = "",
    place: str = "",
    attendees: list[int] | None = None,
    guests: list[Guest] | None = None,
    chair: int | None = None,
    minutes: Document | None = None,
) -> Meeting:
    """Record a meeting held on ``date``: ``attendees`` are people (ids) with a seat that
    day, ``guests`` people invited; ``chair`` one of the attendees (by id)."""
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    if kind not in Meeting.Kind.values:
        raise BadInput(
            "invalid_kind",
            f"Loại cuộc họp phải là một trong {', '.join(Meeting.Kind.values)} / the kind "
            f"must be one of {', '.join(Meeting.Kind.values)}",
        )
    title = _text(title, field="title", limit=MAX_TITLE)
    agenda = nfc_lines(agenda)
    if len(agenda) > MAX_AGENDA:
        raise BadInput("invalid_agenda", f"Nội dung tối đa {MAX_AGENDA} ký tự / agenda too long")
    place = _text(place, field="place", limit=200, required=False)
    _no_later_than_today(date, "Ngày họp")
    if not committee.is_valid_on(date):
        raise BadInput(
            "invalid_date",
            f"Ngày {format_date(date)} ngoài thời gian hoạt động của ban chỉ đạo / "
            f"{date.isoformat()} is outside the committee's life",
        )
    if minutes is not None:
        _check_minutes(committee, date, minutes)
    wanted = list(dict.fromkeys(attendees or []))
    seated = set(
        Membership.objects.filter(
            valid_on(date), person__committee=committee, person_id__in=wanted
        ).values_list("person_id", flat=True)
    )
    unseated = [pk for pk in wanted if pk not in seated]
    if unseated:
        raise BadInput(
            "not_a_member",
            f"Không phải thành viên ngày {format_date(date)} (mời dự thì ghi vào khách mời) / "
            f"no seat on {date.isoformat()} (invite them as guests): "
            f"{', '.join(map(str, unseated))}",
        )
    if chair is not None and chair not in seated:
        raise BadInput(
            "invalid_chair",
            "Người chủ trì phải là thành viên dự họp / the chair must be an attending member",
        )
    cleaned = [
        Guest(
            _text(g.name, field="name", limit=MAX_NAME),
            _text(g.position, field="position", limit=MAX_POSITION, required=False),
        )
        for g in guests or []
    ]
    with transaction.atomic():
        meeting = Meeting(
            committee=committee,
            date=date,
            kind=kind,
            title=title,
            agenda=agenda,
            place=place,
            minutes=minutes,
            created_by=actors.user_of(acting_user),
        )
        meeting._change_reason = "create"  # type: ignore[attr-defined]
        meeting.save()
        rows = [Attendance(meeting=meeting, person_id=pk, is_chair=pk == chair) for pk in wanted]
        for guest in cleaned:
            person = _person(committee, guest.name, None)
            if person.pk in wanted or any(r.person_id == person.pk for r in rows):
                raise BadInput(
                    "duplicate_attendee",
                    f"{guest.name} được ghi hai lần / {guest.name} is listed twice",
                )
            # A guest who has a seat that day came as a member.
            member = person.memberships.filter(valid_on(date)).exists()
            rows.append(
                Attendance(
                    meeting=meeting, person=person, is_invited=not member, position=guest.position
                )
            )
        Attendance.objects.bulk_create(rows)
        return meeting


def set_minutes(*, acting_user: Actor, meeting: Meeting, document: Document) -> Meeting:
    """Name the registered minutes of a meeting (often issued days after it)."""
    committee = meeting.committee
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    _check_minutes(committee, meeting.date, document)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        locked.minutes, locked.modified = document, timezone.now()
        locked.save(update_fields=["minutes", "modified"])
        return locked


def conclude(
    *,
    acting_user: Actor,
    meeting: Meeting,
    document: Document,
    task: str,
    due: dt.date,
    expects,
    units: list[str] | None = None,
    kind: str | None = None,
    level: int | None = None,
) -> Conclusion:
    """A conclusion of ``meeting`` becomes a task: ``directives.assign`` gives ``task`` of
    ``document`` (the notice of conclusions or the minutes, in the register of the
    committee's unit) to units under that unit, due ``due``; the conclusion records which
    assignment it became."""
    committee = meeting.committee
    policy.require(acting_user, policy.Action.CHANGE, committee.unit)
    task = nfc_lines(task)
    if not task:
        raise BadInput("invalid_task", "Chưa ghi nội dung kết luận / the conclusion is missing")
    if len(task) > MAX_AGENDA:
        raise BadInput("invalid_task", "Kết luận quá dài / the conclusion is too long")
    if document.unit_id != committee.unit_id:
        raise BadInput(
            "invalid_document",
            f"Kết luận giao nhiệm vụ bằng văn bản trong sổ của {committee.unit.code} (thông "
            f"báo kết luận, biên bản) / a conclusion assigns tasks by a document of "
            f"{committee.unit.code}'s register",
        )
    if document.date < meeting.date:
        raise BadInput(
            "invalid_date",
            "Văn bản kết luận không thể trước ngày họp / the document predates the meeting",
        )
    with transaction.atomic():
        assignment = directives.assign(
            acting_user=acting_user,
            document=document,
            due=due,
            expects=expects,
            units=units,
            kind=kind,
            level=level,
            task=task,
            by=committee.unit,
        )
        return Conclusion.objects.create(
            meeting=meeting, assignment=assignment, created_by=actors.user_of(acting_user)
        )


# Personal data -----------------------------------------------------------------------


def erase_person(*, acting_user: Actor, person: Person) -> Person:
    """Erase a person (decision 0040's way): the name becomes "—", never matched again,
    and the positions they held and came in are emptied; their seats and attendances
    stay, so the committee of each day keeps its size and the meetings their count. 409
    if erased already."""
    policy.require(acting_user, policy.Action.CHANGE, person.committee.unit)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.erased is not None:
            raise Conflict("already_erased", "Đã xóa từ trước / erased already")
        locked.name, locked.name_key, locked.unit = Person.ERASED_NAME, "", None
        locked.erased, locked.erased_by = timezone.now(), actors.user_of(acting_user)
        locked.save(update_fields=["name", "name_key", "unit", "erased", "erased_by"])
        Membership.objects.filter(person=locked).update(position="")
        Attendance.objects.filter(person=locked).update(position="")
        return locked


def expired(today: dt.date, years: int | None = None) -> list[int]:
    """Ids of the people not erased whose seats all ended more than ``years``
    (``COMMITTEE_RETENTION_YEARS``) before ``today`` and whose last meeting attended is
    as old; with neither seat nor meeting, whose record is. None when the period is 0
    (kept until erased by hand). Decision 0065: a member's name serves the committee's
    record while it may still be asked who sat on it."""
    limit = retention.cutoff(today, settings.COMMITTEE_RETENTION_YEARS if years is None else years)
    if limit is None:
        return []
    seated = Membership.objects.filter(person=OuterRef("pk"))
    # A seat ends on valid_to (exclusive): ended before the limit when valid_to < limit;
    # an open seat (valid_to empty) keeps the person.
    recent = seated.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=limit))
    old = (
        Person.objects.filter(erased__isnull=True)
        .annotate(
            has_seat=Exists(seated),
            has_recent_seat=Exists(recent),
            last_meeting=Max("attendances__meeting__date"),
        )
        .filter(has_recent_seat=False)
        .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lt=limit))
        .filter(Q(has_seat=True) | Q(last_meeting__isnull=False) | Q(created__date__lt=limit))
        .values_list("pk", flat=True)
    )
    return sorted(old)


def erase_expired(*, acting_user: Actor, today: dt.date, years: int | None = None) -> int:
    """Erase every committee person past the retention period as the erase page does
    (``erase_person``: seats and attendances stay, so every committee keeps its size and
    every meeting its count); how many were erased."""
    found = Person.objects.filter(pk__in=expired(today, years)).select_related("committee__unit")
    return retention.erase_each(
        found, lambda person: erase_person(acting_user=acting_user, person=person)
    )
