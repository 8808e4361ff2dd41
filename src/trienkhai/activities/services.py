"""Every write of the activity registers: keyword-only ``acting_user``, one transaction.

An event is written by whoever may CHANGE its organiser unit (accounts.policy). An
attendance list is all or nothing: every row is checked first, and a list with any bad
row is refused with one entry per problem (row, column, problem) and saves nothing.

Whose people a list may name: a row puts a person of its unit on the list (found again
or added to that unit's people), so it takes CHANGE on the person's unit as well as on
the organiser: the right that reads and erases their names (decision 0040). An event
may gather several units' people (a district's class for its communes, a province's
for its districts): whoever manages all of them records the list; a district's manager
does not write another district's people, by code, by name or by a person's id (a row
that tries is refused with the others, nothing saved). The web upload and the API
both come here.
"""

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.activities import sites as connected
from trienkhai.activities import tallies
from trienkhai.activities.models import Attendance, Audience, Event, Person, Session, Site
from trienkhai.common.actors import Actor
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn.text import fold, nfc


def name_key(name: str) -> str:
    """What makes two spellings of a name the same person's: NFC, single spaces, case folded."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _user(acting_user: Actor):
    return acting_user if getattr(acting_user, "pk", None) else None


def create_event(
    *,
    acting_user: Actor,
    organiser: Unit,
    kind: str,
    title: str,
    start: dt.date,
    end: dt.date,
    session_dates: Sequence[dt.date] = (),
    place: str = "",
    link: str = "",
    audience: Sequence[str] = (),
    sites: Sequence[connected.SiteInput] = (),
) -> Event:
    """A new event with its sessions (one on ``start`` when none is given) and, for an
    online conference, its connected sites (``sites.add_sites``: all or none)."""
    policy.require(acting_user, policy.Action.CHANGE, organiser)
    if kind not in Event.Kind.values:
        raise BadInput(
            "invalid_kind",
            f"Loại hoạt động không hợp lệ / invalid kind: {kind!r} ({', '.join(Event.Kind.values)})",
        )
    title = nfc(title).strip()
    if not title:
        raise BadInput("missing_title", "Cần tên hoạt động / a title is required")
    for field, value, vi in (("title", title, "Tên"), ("place", place, "Địa điểm")):
        if len(value) > 300:
            raise BadInput(
                "too_long", f"{vi} dài quá 300 ký tự / the {field} is at most 300 characters"
            )
    if len(link) > 500:
        raise BadInput(
            "too_long", "Đường dẫn dài quá 500 ký tự / the link is at most 500 characters"
        )
    if end < start:
        raise BadInput(
            "invalid_dates",
            "Ngày kết thúc trước ngày bắt đầu / the end is before the start",
        )
    wrong = [day for day in session_dates if not start <= day <= end]
    if wrong:
        raise BadInput(
            "session_outside_event",
            "Buổi ngoài thời gian của hoạt động / sessions outside the event's dates: "
            + ", ".join(day.isoformat() for day in wrong),
        )
    unknown = [code for code in audience if code not in Audience.values]
    if unknown:
        raise BadInput(
            "invalid_audience",
            f"Đối tượng không hợp lệ / invalid audience groups: {', '.join(unknown)}",
        )
    with transaction.atomic():
        event = Event.objects.create(
            organiser=organiser,
            kind=kind,
            title=title,
            start=start,
            end=end,
            place=nfc(place).strip(),
            link=link.strip(),
            audience=list(dict.fromkeys(audience)),
            created_by=_user(acting_user),
        )
        for day in sorted(session_dates or [start]):
            Session.objects.create(event=event, date=day)
        connected.add_sites(acting_user=acting_user, event=event, sites=sites)
    return event


@dataclass(frozen=True)
class AttendanceRow:
    """One line of an attendance list, as typed (texts): the API's JSON or a file's row."""

    session: str
    """The session's id, or its date (YYYY-MM-DD) when the event has one session that day."""
    name: str = ""
    unit: str = ""
    position: str = ""
    audience: str = ""
    person: str = ""
    """An existing person's id: then name and unit may be left out."""
    site: str = ""
    """The connected site they followed from (an online conference's; decision 0046): its
    host's code or name, or its id; empty: the main site."""
    line: int = 0
    """Its row in the file (the heading is row 1), for the problems; 0: its place in the list."""


class _Checked:
    """The rows of a list resolved: session, person (existing or new), or problems."""

    def __init__(self) -> None:
        self.problems: list[dict] = []
        self.lines: list[tuple[Session, Person | None, tuple[int, str], AttendanceRow]] = []


NAME_LENGTH = 200
"""Person.name and Person.position."""


def _is_id(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit() and len(text) <= 18


def _problem(row: int, column: str, vi: str, en: str) -> dict:
    return {"row": row, "column": column, "problem": f"{vi} / {en}"}


def checked_name(row: int, name: str) -> tuple[str, dict | None]:
    """A list row's name as a person's key (``name_key``), or "" and its problem."""
    key = name_key(name)
    if not key:
        return "", _problem(row, "name", "Cần họ và tên", "a name is required")
    if len(key) > NAME_LENGTH:
        return "", _problem(
            row,
            "name",
            f"Họ và tên dài quá {NAME_LENGTH} ký tự",
            f"a name is at most {NAME_LENGTH} characters",
        )
    return key, None


def checked_person(
    row: int, text: str, known: Mapping[int, Person], unit: Unit | None = None
) -> tuple[Person | None, dict | None]:
    """The known person a list row names by id (of ``unit`` when given), or its problem:
    no such person, of another unit, or erased (their data is gone for good)."""
    person = known.get(int(text)) if _is_id(text) else None
    if person is None:
        return None, _problem(row, "person", f"Không có người mã {text}", f"no person {text}")
    if unit is not None and person.unit_id != unit.pk:
        return None, _problem(
            row,
            "person",
            f"Người mã {text} không thuộc {unit.code}",
            f"person {text} is not of {unit.code}",
        )
    if person.erased is not None:
        return None, _problem(
            row,
            "person",
            f"Người mã {text} đã bị xóa thông tin",
            f"person {text} was erased",
        )
    return person, None


def recordable(acting_user: Actor, unit_ids: set[int]) -> set[int]:
    """Those of ``unit_ids`` whose people ``acting_user`` may put on a list: CHANGE on
    the unit (one walk of the tree per reference day, whatever the number of units)."""
    if not unit_ids:
        return set()
    units = Unit.objects.filter(pk__in=unit_ids)
    return {unit.pk for unit in policy.allowed(acting_user, policy.Action.CHANGE, units)}


def _not_managed(text: str) -> tuple[str, str]:
    return (
        f"Đơn vị {text} ngoài phạm vi bạn quản lý: không ghi được người của đơn vị này",
        f"{text} is outside what you manage: you may not record its people",
    )


def _units_written(
    acting_user: Actor, event: Event, texts: set[str]
) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    """The units of an attendance list as offices write them: a code, or a name ("Xã
    Vĩnh Bình Bắc", accents and case optional) in force when the event began, among the
    units ``acting_user`` may record (``recordable``). A name several of those bear is
    taken in the organiser's district (its parent's subtree), and left unclear, with the
    choices by name and code, if that does not settle it. Returns ({text: unit id},
    {text: (problem in Vietnamese, in English)}): a unit out of the user's reach is a
    problem, an unknown one is in neither."""
    texts.discard("")
    coded = dict(Unit.objects.filter(code__in=texts).values_list("code", "id"))
    day = event.start
    named: dict[str, list] = {}
    for text in sorted(texts - coded.keys()):
        key = fold(text)
        named[text] = [
            v
            for v in queries.versions_on(day).filter(search_key__startswith=key)
            if key in (fold(v.name), fold(v.abbreviation))
        ]
    ours = recordable(
        acting_user, {*coded.values(), *(v.unit_id for vs in named.values() for v in vs)}
    )
    units = {code: pk for code, pk in coded.items() if pk in ours}
    unclear = {code: _not_managed(code) for code, pk in coded.items() if pk not in ours}
    near: set[int] | None = None
    for text, versions in named.items():
        found = [v for v in versions if v.unit_id in ours]
        if versions and not found:
            unclear[text] = _not_managed(text)
        if len(found) > 1:
            if near is None:
                above = queries.ancestors(event.organiser, day)
                near = queries.subtree_ids([(above[-1].unit if above else event.organiser).pk], day)
            found = [v for v in found if v.unit_id in near] or found
        if len(found) == 1:
            units[text] = found[0].unit_id
        elif found:
            choices = "; ".join(f"{v.name} ({v.unit.code})" for v in found[:5])
            unclear[text] = (
                f"Có {len(found)} đơn vị tên “{text}”, ghi mã đơn vị: {choices}",
                f"{len(found)} units are named {text!r}; write the unit's code: {choices}",
            )
    return units, unclear


def _check_rows(acting_user: Actor, event: Event, rows: Sequence[AttendanceRow]) -> _Checked:
    checked = _Checked()
    sessions = list(event.sessions.all())
    by_id = {str(s.pk): s for s in sessions}
    by_date: dict[str, list[Session]] = {}
    for s in sessions:
        by_date.setdefault(s.date.isoformat(), []).append(s)
    units, unclear = _units_written(acting_user, event, {row.unit.strip() for row in rows})
    person_ids = {int(row.person) for row in rows if _is_id(row.person)}
    persons = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    ours = recordable(acting_user, {p.unit_id for p in persons.values()})
    where = connected.lookup(event) if any(row.site.strip() for row in rows) else {}
    seen: dict[tuple[int, tuple[int, str]], int] = {}
    for place, row in enumerate(rows, start=1):
        number = row.line or place
        problems = []
        text = row.session.strip()
        session = by_id.get(text)
        if session is None and len(by_date.get(text, [])) == 1:
            session = by_date[text][0]
        if session is None:
            problems.append(
                _problem(
                    number,
                    "session",
                    f"Không có buổi “{text}” trong hoạt động này",
                    f"no session {text!r} in this event",
                )
            )
        if len(row.position) > NAME_LENGTH:
            problems.append(
                _problem(
                    number,
                    "position",
                    f"Chức vụ dài quá {NAME_LENGTH} ký tự",
                    f"a position is at most {NAME_LENGTH} characters",
                )
            )
        if row.audience and row.audience not in Audience.values:
            problems.append(
                _problem(
                    number,
                    "audience",
                    f"Đối tượng không hợp lệ: {row.audience}",
                    f"invalid audience group: {row.audience}",
                )
            )
        site = _site(where, row.site)
        if site is None:
            problems.append(_site_problem(number, row.site, bool(where)))
        person: Person | None = None
        key: tuple[int, str] | None = None
        if row.person.strip():
            text = row.person.strip()
            named = persons.get(int(text)) if _is_id(text) else None
            if named is not None and named.unit_id not in ours:
                # Said before anything else about them (erased or not): not this user's.
                problems.append(
                    _problem(
                        number,
                        "person",
                        f"Người mã {text} thuộc đơn vị ngoài phạm vi bạn quản lý",
                        f"person {text} is of a unit outside what you manage",
                    )
                )
            else:
                person, problem = checked_person(number, row.person, persons)
                problems.extend([problem] if problem else [])
            if person is not None:
                key = (person.unit_id, person.name_key)
        else:
            name, problem = checked_name(number, row.name)
            problems.extend([problem] if problem else [])
            code = row.unit.strip()
            if not code:
                problems.append(_problem(number, "unit", "Cần đơn vị", "a unit is required"))
            elif code in unclear:
                problems.append(_problem(number, "unit", *unclear[code]))
            elif code not in units:
                problems.append(
                    _problem(number, "unit", f"Không có đơn vị {code}", f"unknown unit {code}")
                )
            if name and code in units:
                key = (units[code], name)
        if session is not None and key is not None:
            earlier = seen.setdefault((session.pk, key), number)
            if earlier != number:
                problems.append(
                    _problem(
                        number,
                        "name",
                        f"Trùng người với dòng {earlier} trong cùng buổi",
                        f"the same person as row {earlier} at the same session",
                    )
                )
        if problems:
            checked.problems.extend(problems)
        elif session is not None and key is not None:
            # The site as its id, the row's number as in the list: what _save writes
            # and says.
            checked.lines.append((session, person, key, replace(row, line=number, site=site or "")))
    return checked


def _site(where: Mapping[str, Site], text: str) -> str | None:
    """The id (text) of the site a row names, "" for the main site, None if unknown."""
    text = text.strip()
    if not text:
        return ""
    found = where.get(text) or where.get(fold(text))
    return str(found.pk) if found is not None else None


def _site_problem(row: int, text: str, has_sites: bool) -> dict:
    if not has_sites:
        return _problem(
            row,
            "site",
            "Hoạt động này không có điểm cầu: để trống cột điểm cầu",
            "this event has no connected sites: leave the site empty",
        )
    return _problem(
        row,
        "site",
        f"Không có điểm cầu “{text.strip()}” trong hội nghị này",
        f"no connected site {text.strip()!r} in this conference",
    )


def record_attendance(*, acting_user: Actor, event: Event, rows: Sequence[AttendanceRow]) -> int:
    """Record an attendance list of ``event``; the number of attendances newly saved.

    A person is the same when ``person`` (an id) or the name and unit match; people not
    known yet are added. Attendances already recorded are kept (a list sent twice counts
    once). Any bad row: BadInput with ``details`` [{row, column, problem}], nothing saved.
    """
    policy.require(acting_user, policy.Action.CHANGE, event.organiser)
    if not rows:
        raise BadInput("empty_list", "Danh sách điểm danh trống / the attendance list is empty")
    checked = _check_rows(acting_user, event, rows)
    if checked.problems:
        raise BadInput(
            "invalid_rows",
            f"Danh sách có {len(checked.problems)} lỗi, chưa lưu gì / "
            f"{len(checked.problems)} problems in the list, nothing saved",
            details=checked.problems,
        )
    user = _user(acting_user)
    try:
        with transaction.atomic():
            return _save(event, checked, user)
    except IntegrityError:
        # Another list of the same people or event saved between the check and the
        # insert: nothing of this one is kept; sent again, it counts only what is new.
        raise Conflict(
            "concurrent_list",
            "Một danh sách khác vừa được lưu cùng lúc, chưa lưu gì: hãy gửi lại / "
            "another list was saved at the same time, nothing saved: send it again",
        ) from None


def _save(event: Event, checked: _Checked, user) -> int:
    # A new person's details: the first row of the list that gives an audience group
    # (their other rows may leave it out and take it from here).
    wanted: dict[tuple[int, str], AttendanceRow] = {}
    for _, known, key, row in checked.lines:
        if known is None and (key not in wanted or (row.audience and not wanted[key].audience)):
            wanted[key] = row
    people = find_or_add_people(wanted)
    for _, known, key, _row in checked.lines:
        if known is not None:
            people[key] = (known.pk, known.audience)
    existing = set(
        Attendance.objects.filter(session__event=event).values_list("session_id", "person_id")
    )
    now = timezone.now()
    user_id = user.pk if user is not None else None
    new = []
    at_sites: list[tuple[int, int, int]] = []
    for session, _known, key, row in checked.lines:
        person, audience = people[key]
        if (session.pk, person) in existing:
            continue
        existing.add((session.pk, person))
        if row.site:
            at_sites.append((int(row.site), session.pk, row.line))
        new.append(
            (
                session.pk,
                person,
                event.organiser_id,
                session.date,
                row.audience or audience,
                int(row.site) if row.site else None,
                now,
                user_id,
            )
        )
    # A site's head count holds the people named there (decision 0046): a list naming
    # more is refused, and the people it added with it (this transaction) go too.
    over = connected.over_counts(event, at_sites)
    if over:
        raise BadInput(
            "invalid_rows",
            f"Danh sách có {len(over)} lỗi, chưa lưu gì / "
            f"{len(over)} problems in the list, nothing saved",
            details=over,
        )
    # Written as rows, not model objects: bulk_create's preparation of each value was
    # most of a 5,000-row list's time (common.bulk_insert).
    insert_rows(
        Attendance,
        (
            "session_id",
            "person_id",
            "organiser_id",
            "date",
            "audience",
            "site_id",
            "created",
            "created_by_id",
        ),
        new,
    )
    # The tallies the figures of big subtrees read (decision 0055), in this transaction.
    tallies.add_attendances(
        [(event.organiser_id, date, person, group) for _s, person, _o, date, group, *_ in new]
    )
    return len(new)


class PersonDetails(Protocol):
    """What a list's row says about a person not known yet."""

    @property
    def name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def audience(self) -> str: ...


def find_or_add_people(
    wanted: Mapping[tuple[int, str], PersonDetails],
) -> dict[tuple[int, str], tuple[int, str]]:
    """(person id, audience group) for each (unit id, name key), adding the people not
    known yet (attendance lists, members' pledge lists); inside the caller's transaction."""
    found: dict[tuple[int, str], tuple[int, str]] = {}
    if not wanted:
        return found
    units = {unit for unit, _ in wanted}
    names = {name for _, name in wanted}
    fields = ("pk", "unit_id", "name_key", "audience")

    def read() -> None:
        query = Person.objects.filter(unit_id__in=units, name_key__in=names)
        for pk, unit, name, audience in query.values_list(*fields):
            if (unit, name) in wanted:
                found[(unit, name)] = (pk, audience)

    read()
    now = timezone.now()
    missing = [
        (
            " ".join(nfc(row.name).split()),
            key[1],
            key[0],
            nfc(row.position).strip(),
            row.audience,
            now,
            now,
        )
        for key, row in wanted.items()
        if key not in found
    ]
    if missing:
        columns = ("name", "name_key", "unit_id", "position", "audience", "created", "modified")
        insert_rows(Person, columns, missing)
        read()
    return found
