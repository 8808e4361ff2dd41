"""Check-in from a phone (decision 0045): a session's code, the secretary's queue and a
participant's own check-in, counted once whatever is replayed.

- The code: 8 characters of Crockford's base32 (40 random bits), kept on the session
  with its expiry; opened, renewed and closed by whoever may CHANGE the organiser.
- The secretary (CHANGE on the organiser) sends a queue of check-ins made on a phone,
  perhaps offline: each is answered on its own (counted, already present, refused).
- A participant checks themselves in with the code (no log-in), from the page the QR
  code opens. A check-in that arrives after the code expired counts only with the pass
  of a page served before the expiry, within ``GRACE`` of it.

Nobody counts twice: each attendance is inserted in its own savepoint and the unique
(session, person) constraint ``attendance_once`` turns a second one into "already".
A new person is found or added by name and unit, as an attendance list does. People
come from the event's owner and the units under and above it (``scope``), named as the
pages offer them (``reach``, ``matching``). A wrong check-in is taken back by the
secretary (``remove``), with an audit row.
"""

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from trienkhai import vn
from trienkhai.accounts import policy
from trienkhai.activities import certificates, lists
from trienkhai.activities.models import (
    Attendance,
    AttendanceRemoval,
    Audience,
    Certificate,
    Person,
    Session,
)
from trienkhai.activities.services import NAME_LENGTH, name_key
from trienkhai.common import brake
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput, Conflict, NotFound
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.vn.text import fold, nfc, spellings

CODE_LENGTH = 8
"""Characters of a check-in code: 8 × 5 = 40 random bits, typed as XXXX-XXXX."""
HOURS = (1, 3, 8)
"""How long a code may be opened for; ``DEFAULT_HOURS`` unless the organiser chooses."""
DEFAULT_HOURS = 3
GRACE = dt.timedelta(hours=24)
"""How long after the expiry a check-in made before it (its page's pass) still counts."""
MAX_BATCH = 500
"""Check-ins in one request of the secretary's queue."""
UNITS_LISTED = 500
"""Units a check-in page carries (``reach``'s first), to offer them without network: a
district's whole subtree; a larger one is searched on the server as one types."""
CLIENT_ID_LENGTH = 64
PASS_SALT = "trienkhai.activities.check-in"


def new_code() -> str:
    value = secrets.randbits(5 * CODE_LENGTH)
    alphabet = certificates.ALPHABET
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def read_code(text: str) -> str | None:
    """The stored form of a code as typed ("7k3m 9qxr", O for 0, I or L for 1), or None."""
    return certificates.read_code(text, length=CODE_LENGTH)


def grouped(code: str) -> str:
    return certificates.grouped(code)


# The code -------------------------------------------------------------------------------------


def _saved_by(session: Session, acting_user: Actor) -> None:
    user = user_of(acting_user)
    if user is not None:
        session._history_user = user  # type: ignore[attr-defined]
    session.save(update_fields=["check_in_code", "check_in_expires"])


def open_code(
    *, acting_user: Actor, session: Session, hours: int = DEFAULT_HOURS, new: bool = False
) -> Session:
    """Open the session's check-in for ``hours`` from now, keeping its code (a phone's
    queued check-ins stay valid) unless there is none or ``new`` asks for another one
    (the old code, photographed and sent away, stops at once)."""
    policy.require(acting_user, policy.Action.CHANGE, session.event.organiser)
    if hours not in HOURS:
        allowed = ", ".join(map(str, HOURS))
        raise BadInput(
            "invalid_hours",
            f"Thời gian mở điểm danh phải là {allowed} giờ / the check-in opens for {allowed} hours",
        )
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if new or not locked.check_in_code:
            locked.check_in_code = _fresh_code()
        locked.check_in_expires = timezone.now() + dt.timedelta(hours=hours)
        _saved_by(locked, acting_user)
    return locked


def _fresh_code() -> str:
    while True:  # 40 bits: a clash is a one in a billion event, but the index says no
        code = new_code()
        if not Session.objects.filter(check_in_code=code).exists():
            return code


def close_code(*, acting_user: Actor, session: Session) -> Session:
    """End the session's check-in now; the code is kept, so that a phone's check-ins made
    before now still count within ``GRACE``."""
    policy.require(acting_user, policy.Action.CHANGE, session.event.organiser)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if not locked.is_check_in_open():
            raise Conflict("check_in_closed", "Điểm danh đang không mở / the check-in is not open")
        locked.check_in_expires = timezone.now()
        _saved_by(locked, acting_user)
    return locked


def session_for_code(code: str, address: str | None) -> tuple[Session | None, int]:
    """The session whose code ``code`` is (as typed), and 0; (None, 0) for a code nobody
    holds, counted against ``address``; (None, seconds to wait) once it guessed too much
    (common.brake, as the certificates' page)."""

    def find() -> Session | None:
        stored = read_code(code)
        if stored is None:
            return None
        found = Session.objects.select_related("event__organiser").filter(check_in_code=stored)
        return found.first()

    return brake.look_up("check-in", address, find)


def make_pass(session: Session, now: dt.datetime | None = None) -> str:
    """What the participant's page carries: the session, its code and when it was served,
    signed, so that a check-in queued offline says the code was open (decision 0045)."""
    moment = int((now or timezone.now()).timestamp())
    payload = {"s": session.pk, "c": session.check_in_code, "t": moment}
    return signing.dumps(payload, salt=PASS_SALT)


def _served(token: str, session: Session) -> dt.datetime | None:
    """When the page of ``token`` was served, if the token is ours and of the session's
    current code; else None."""
    try:
        payload = signing.loads(token, salt=PASS_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != session.pk:
        return None
    if payload.get("c") != session.check_in_code or not isinstance(payload.get("t"), int):
        return None
    return dt.datetime.fromtimestamp(payload["t"], tz=dt.UTC)


def require_open(session: Session, token: str = "", now: dt.datetime | None = None) -> None:
    """Refuse (409 ``check_in_closed``) unless the code is open now, or was open when the
    page of pass ``token`` was served and it is not yet ``GRACE`` past the expiry."""
    now = now or timezone.now()
    if session.is_check_in_open(now):
        return
    expires = session.check_in_expires
    served = _served(token, session) if token else None
    if expires is not None and served is not None and served < expires <= now <= expires + GRACE:
        return
    if expires is None:
        raise Conflict("check_in_closed", "Điểm danh chưa mở / the check-in is not open")
    local = timezone.localtime(expires)
    at = f"{local:%H:%M} {vn.format_date(local.date())}"
    raise Conflict(
        "check_in_closed",
        f"Mã điểm danh đã hết hạn lúc {at} / the check-in code expired at {at}",
    )


# Who may come -----------------------------------------------------------------------------------

ORGANS = frozenset({"board", "steering_committee", "party_cell"})
"""Kinds of unit that hold their classes and conferences for the committee above them."""
FOUND = 15
"""Units a search on the check-in pages answers with (``matching``)."""


@dataclass(frozen=True)
class Place:
    """A unit people may check in from, as the check-in pages offer it."""

    unit_id: int
    code: str
    name: str
    context: str = ""
    """The name of the unit above it: said beside the name, to tell two alike apart."""
    shown: str = ""
    """What the pages write in the field and read back: the name, or where two units of
    the reach bear it "name — the unit above" (with the code if that is shared too)."""


class Scope(NamedTuple):
    """Where a session's people come from (``scope``)."""

    top: Unit
    """The event's owner: its subtree may come."""
    day: dt.date
    above: list[UnitVersion]
    """The units above the owner, the root first: they may come too."""


def owner(organiser: Unit, day: dt.date) -> Unit:
    """The unit an event of ``organiser`` belongs to on ``day``: the organiser itself when
    units sit under it (a district's or a commune's committee), else the unit above it —
    a board, a steering committee or a party cell (``ORGANS``), or a unit with nobody
    under it, holds its classes for its committee: Chi bộ Trung tâm Chính trị's class is
    Huyện ủy Chợ Đồn's, for the communes' people (decision 0045)."""
    version = queries.versions_on(day).filter(unit=organiser).first()
    if version is None or version.parent is None:
        return organiser
    if version.kind.code not in ORGANS and queries.with_children([organiser.pk], day):
        return organiser
    return version.parent


def scope(session: Session) -> Scope:
    """The units whose people may check in to ``session``, on the session's day: the
    event's owner (``owner``) and everything under it, and the units above the owner (a
    lecturer of the province at a district's class); not a neighbouring district's."""
    day = session.event.organiser.reference_date(session.date)
    top = owner(session.event.organiser, day)
    return Scope(top, day, queries.ancestors(top, day))


def reach(session: Session) -> list[Place]:
    """The units of ``scope`` with the names they had that day, as a page offers them:
    the organiser first, then the owner, those above it (nearest first), then those
    under it by depth, so that a page carrying the first ``UNITS_LISTED`` carries these
    few whatever the size of the subtree. No folding here: a province is 10,000 names."""
    organiser = session.event.organiser
    where = scope(session)
    top, day, above = where
    own = queries.versions_on(day).filter(unit=top).first()
    if own is None:
        return []
    below = queries.subtree(top, day)
    names = {top.code: own.name, **{node.code: node.name for node in below}}
    rows = [(top.pk, top.code, own.name, above[-1].name if above else "")]
    rows += [
        (v.unit_id, v.unit.code, v.name, above[i - 1].name if i else "")
        for i, v in reversed(list(enumerate(above)))
    ]
    rows += [(n.unit_id, n.code, n.name, names.get(n.parent or "", "")) for n in below]
    rows.sort(key=lambda row: row[0] != organiser.pk)  # stable: the rest keep their order
    bearing = Counter(row[2] for row in rows)
    alike = Counter((row[2], row[3]) for row in rows)
    return [_place_of(*row, bearing[row[2]], alike[row[2], row[3]]) for row in rows]


def _place_of(unit_id: int, code: str, name: str, context: str, bearing: int, alike: int) -> Place:
    """The place of a unit that ``bearing`` units of the reach are named as, ``alike`` of
    them under units of the same name: "name", "name — above", "name — above (CODE)"."""
    shown = name if bearing == 1 else f"{name} — {context}" if context else name
    if bearing > 1 and (alike > 1 or not context):
        shown = f"{shown} ({code})"
    return Place(unit_id, code, name, context, shown)


def _inside(where: Scope, versions: Sequence[UnitVersion]) -> list[UnitVersion]:
    """Those of ``versions`` (of ``where.day``) whose unit is in the scope (one query)."""
    ids = {v.unit_id for v in versions}
    inside = queries.reached_ids(ids, [where.top.pk], where.day) | {v.unit_id for v in where.above}
    return [v for v in versions if v.unit_id in inside]


def _places(where: Scope, versions: Sequence[UnitVersion]) -> list[Place]:
    """``versions`` of the scope as places, each shown as ``reach`` shows it (3 queries)."""
    if not versions:
        return []
    on_day = queries.versions_on(where.day)
    bearing = _inside(where, list(on_day.filter(name__in={v.name for v in versions})))
    parents = {v.parent_id or 0 for v in bearing}
    names = dict(on_day.filter(unit_id__in=parents).values_list("unit_id", "name"))
    above = {v.unit_id: names.get(v.parent_id or 0, "") for v in bearing}
    named = Counter(v.name for v in bearing)
    alike = Counter((v.name, above[v.unit_id]) for v in bearing)
    return [
        _place_of(
            v.unit_id,
            v.unit.code,
            v.name,
            above[v.unit_id],
            named[v.name],
            alike[v.name, above[v.unit_id]],
        )
        for v in versions
    ]


def matching(session: Session, text: str, limit: int = FOUND) -> list[Place]:
    """The ``limit`` units of the session's scope whose name, abbreviation or code holds
    the words of ``text`` (accents and case optional; "ĐU", "HU", "UBND" … read both as
    typed and spelt out, ``vn.text.spellings``), ranked as the unit search ranks
    them (``orgs.queries.search``: a name starting with them first); the units above the
    owner after. A few queries, however large the subtree."""
    if not fold(text):
        return []
    where = scope(session)
    return _places(where, _holding(where, text, limit))


def _holding(where: Scope, text: str, limit: int, *, first: bool = False) -> list[UnitVersion]:
    """Up to ``limit`` units of the scope whose name, abbreviation or code holds the words
    of ``text``, each spelling of it in turn (``spellings``: "ĐU Yên Thịnh" is read as
    "Đảng ủy Yên Thịnh", then as typed): the owner's subtree as the unit search ranks it,
    then the units above. ``first``: only those of the fullest spelling that finds any."""
    found: dict[int, UnitVersion] = {}
    for spelling in spellings(text):
        words = spelling.split()
        more = queries.search(spelling, day=where.day, within=[where.top.pk], limit=limit)
        more += [
            v
            for v in reversed(where.above)
            if all(word in fold(f"{v.name} {v.abbreviation} {v.unit.code}") for word in words)
        ]
        for v in more:
            found.setdefault(v.unit_id, v)
        if len(found) >= limit or (first and found):
            break
    return list(found.values())[:limit]


def _named(where: Scope, text: str) -> list[UnitVersion]:
    """The units of the scope named ``text``: exactly, else with accents and case aside,
    else with its abbreviations spelt out ("ĐU xã Yên Thịnh": ``spellings``)."""
    for key in spellings(text)[::-1]:  # as typed first: a name may hold "UBND" itself
        # search_key is fold("name abbreviation code"): its start narrows the candidates.
        starts = Q(search_key=key) | Q(search_key__startswith=f"{key} ")
        candidates = queries.versions_on(where.day).filter(starts)
        found = _inside(where, [v for v in candidates if fold(v.name) == key])
        if found:
            return [v for v in found if v.name == text] or found
    return []


def _place(text: str, where: Scope) -> Place:
    """The unit of the scope a check-in names: its name as offered (accents and case
    optional), "name — the unit above" where two bear the name, a code (any case) or
    "Name (CODE)" as pages before wrote it; BadInput if none or several, or outside."""
    text = nfc(text)
    if not text:
        raise BadInput("missing_unit", "Cần đơn vị / a unit is required")
    code = text[text.rfind("(") + 1 : -1].strip() if text.endswith(")") and "(" in text else text
    unit = Unit.objects.filter(code__iexact=code).first()
    if unit is not None:
        version = queries.versions_on(where.day).filter(unit=unit).first()
        if version is None or not _inside(where, [version]):
            raise BadInput(
                "out_of_scope",
                f"Đơn vị {code} không thuộc phạm vi của hoạt động này / "
                f"{code} is not among the units of this event",
            )
        return _places(where, [version])[0]
    named = _named(where, text)
    if not named and " — " in text:  # "name — the unit above", as offered
        name, above = text.rsplit(" — ", 1)
        bearing = _named(where, name)
        named = [
            v
            for v, p in zip(bearing, _places(where, bearing), strict=True)
            if fold(p.context) == fold(above)
        ]
    if not named:
        # Typed, not chosen ("yen phong" and the button, before the list offered it):
        # the words name one unit of the scope, or the choices are said.
        named = _holding(where, text, 6, first=True) if fold(text) else []
    if len(named) == 1:
        return _places(where, named)[0]
    if named:
        choices = "; ".join(p.shown for p in _places(where, named[:5]))
        raise BadInput(
            "unclear_unit",
            f"Có {len(named)} đơn vị tên “{text}”, chọn một: {choices} / "
            f"{len(named)} units are named {text!r}, choose one: {choices}",
        )
    raise BadInput(
        "unknown_unit",
        f"Không tìm thấy đơn vị “{text}” trong các đơn vị của hoạt động này: gõ vài chữ "
        f"của tên rồi chọn trong danh sách / no unit {text!r} among the units of this "
        f"event: type a few letters of its name and choose it from the list",
    )


# Checking in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    """One check-in as a phone sent it: a known person's id (the secretary's list) or a
    name and unit (a participant, or someone not on the list)."""

    client_id: str
    person: str = ""
    name: str = ""
    unit: str = ""
    position: str = ""
    audience: str = ""

    @classmethod
    def of(cls, row: object) -> "CheckIn":
        """A check-in from a page's JSON (a dict of texts; a number for ``person``)."""
        if not isinstance(row, dict):
            raise BadInput("invalid_input", "Lượt điểm danh không hợp lệ / invalid check-in")
        fields = ("client_id", "person", "name", "unit", "position", "audience")
        values = {f: row.get(f) for f in fields}
        if any(not isinstance(v, str | int | None) or isinstance(v, bool) for v in values.values()):
            raise BadInput("invalid_input", "Lượt điểm danh không hợp lệ / invalid check-in")
        return cls(**{f: "" if v is None else str(v) for f, v in values.items()})


@dataclass(frozen=True)
class Answer:
    client_id: str
    status: str
    """``counted``, ``already`` (present before: not counted again) or ``refused``."""
    person: int | None = None
    refusal: BadInput | None = None

    COUNTED = "counted"
    ALREADY = "already"
    REFUSED = "refused"


def _details(item: CheckIn, where: Scope) -> tuple[Place, str]:
    """The unit and the name key of a new person's check-in, or BadInput."""
    if not item.name.strip():
        raise BadInput("missing_name", "Cần họ và tên / a name is required")
    key = name_key(item.name)
    if len(key) > NAME_LENGTH or len(item.position) > NAME_LENGTH:
        raise BadInput(
            "too_long",
            f"Họ và tên, chức vụ dài quá {NAME_LENGTH} ký tự / "
            f"a name or a position is at most {NAME_LENGTH} characters",
        )
    if item.audience and item.audience not in Audience.values:
        raise BadInput(
            "invalid_audience", f"Đối tượng không hợp lệ / invalid audience group: {item.audience}"
        )
    return _place(item.unit, where), key


def _found_or_added(place: Place, key: str, item: CheckIn) -> Person:
    person, _ = Person.objects.get_or_create(
        unit_id=place.unit_id,
        name_key=key,
        defaults={
            "name": " ".join(nfc(item.name).split()),
            "position": nfc(item.position),
            "audience": item.audience,
        },
    )
    return person


def _attend(session: Session, person: Person, audience: str, user) -> bool:
    """Record ``person`` at ``session``; False if they were there already (a replay, a
    second phone, two at once: the unique constraint decides)."""
    try:
        with transaction.atomic():
            Attendance.objects.create(
                session=session,
                person=person,
                organiser_id=session.event.organiser_id,
                date=session.date,
                audience=audience or person.audience,
                created_by=user,
            )
    except IntegrityError:
        return False
    return True


def _one(session: Session, item: CheckIn, where: Scope, acting_user: "Actor | None") -> Answer:
    """One check-in, in its own savepoint; a refusal leaves nothing behind. Without an
    acting user (a participant's own check-in) only a name and unit are taken."""
    user = user_of(acting_user) if acting_user is not None else None
    try:
        if len(item.client_id) > CLIENT_ID_LENGTH:
            raise BadInput("invalid_client_id", "Mã lượt gửi quá dài / the client_id is too long")
        with transaction.atomic():
            if item.person:
                person = _known(item.person, acting_user)
            else:
                place, key = _details(item, where)
                if acting_user is not None:
                    unit = Unit.objects.get(pk=place.unit_id)
                    policy.require(acting_user, policy.Action.CHANGE, unit)
                person = _found_or_added(place, key, item)
            counted = _attend(session, person, item.audience, user)
    except policy.PermissionDenied:
        refusal = BadInput(
            "not_managed",
            "Người này thuộc đơn vị bạn không quản lý / this person's unit is not one you manage",
        )
        return Answer(item.client_id, Answer.REFUSED, refusal=refusal)
    except BadInput as refusal:
        return Answer(item.client_id, Answer.REFUSED, refusal=refusal)
    return Answer(item.client_id, Answer.COUNTED if counted else Answer.ALREADY, person.pk)


def _known(text: str, acting_user: "Actor | None") -> Person:
    """The person of id ``text`` whose unit the acting user may change (their name is
    theirs to read, decision 0040), not erased."""
    text = text.strip()
    person = None
    if text.isascii() and text.isdigit() and len(text) <= 18:
        person = Person.objects.select_related("unit").filter(pk=int(text)).first()
    if person is None:
        raise NotFound("người tham gia / person", text)
    policy.require(acting_user, policy.Action.CHANGE, person.unit)
    if person.erased is not None:
        raise BadInput("erased", f"Người mã {text} đã bị xóa thông tin / person {text} was erased")
    return person


def check_in(*, acting_user: Actor, session: Session, items: Sequence[CheckIn]) -> list[Answer]:
    """The secretary's check-ins at ``session``, each answered on its own: one refused
    does not hold back the rest of a queue. CHANGE on the organiser; a person by id or
    a new one needs CHANGE on their unit too."""
    policy.require(acting_user, policy.Action.CHANGE, session.event.organiser)
    if not items:
        raise BadInput("empty_list", "Không có lượt điểm danh nào / no check-ins sent")
    if len(items) > MAX_BATCH:
        raise BadInput(
            "too_many",
            f"Gửi tối đa {MAX_BATCH} lượt một lần / at most {MAX_BATCH} check-ins at a time",
        )
    where = scope(session)
    with transaction.atomic():
        return [_one(session, item, where, acting_user) for item in items]


def self_check_in(
    *, session: Session, item: CheckIn, token: str = "", session_named: int | None = None
) -> Answer:
    """A participant's own check-in with the session's code (the caller found ``session``
    by it): counted or already; BadInput when the code is closed (``require_open``), of
    another session than ``session_named``, or the details are wrong. Recorded by nobody
    (``created_by`` empty): the code was the organiser's leave."""
    if session_named is not None and session_named != session.pk:
        raise BadInput(
            "wrong_session",
            "Mã điểm danh này là của buổi khác / this check-in code is another session's",
        )
    require_open(session, token)
    if item.person:
        raise BadInput(
            "person_not_allowed",
            "Ghi họ và tên, đơn vị của mình / write your own name and unit",
        )
    answer = _one(session, item, scope(session), None)
    if answer.refusal is not None:
        raise answer.refusal
    return answer


def remove(*, acting_user: Actor, session: Session, person_id: int) -> Person:
    """Take back a person's attendance at ``session`` (a wrong tap, a colleague checked
    in who was not there): CHANGE on the organiser, as for checking in, and on the
    person's unit (their name is theirs to read, decision 0040). Refused while they hold
    a valid certificate of the event (it counted this session: revoke it first). The
    figures read live, so they drop at once; one audit row (``AttendanceRemoval``)."""
    policy.require(acting_user, policy.Action.CHANGE, session.event.organiser)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .select_related("person__unit")
            .filter(session=session, person_id=person_id)
            .first()
        )
        if attendance is None:
            raise NotFound("lượt điểm danh / attendance", str(person_id))
        person = attendance.person
        policy.require(acting_user, policy.Action.CHANGE, person.unit)
        held = Certificate.objects.filter(event_id=session.event_id, person=person)
        if held.filter(state=Certificate.State.VALID).exists():
            raise Conflict(
                "has_certificate",
                "Người này đã được cấp giấy chứng nhận của hoạt động: thu hồi giấy trước khi "
                "bỏ lượt điểm danh / this person holds a certificate of the event: revoke it "
                "before taking the attendance back",
            )
        AttendanceRemoval.objects.create(
            session=session,
            person=person,
            received=attendance.created,
            received_from_id=attendance.created_by_id,
            removed_by=user_of(acting_user),
        )
        attendance.delete()
    return person


# Reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Roster:
    people: list[Person]
    """The people on the event's list whose names the user may read, in list order."""
    present: set[int]
    """Those of them (ids) present at the session."""
    attendances: int
    """Everyone present at the session, named or not."""


def roster(user, session: Session) -> Roster:
    """The secretary's list: the event's people the user may name, who is present."""
    people = lists.attendance(session.event)
    named = {p.pk for p in policy.allowed(user, policy.Action.CHANGE, people)}
    present = set(session.attendances.values_list("person_id", flat=True))
    shown = [p for p in people if p.pk in named and p.erased is None]
    return Roster(shown, present & named, len(present))
