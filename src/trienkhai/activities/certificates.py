"""Certificates (giấy chứng nhận) that a person took part in an event: who may have one,
issuing them one by one or for a whole event, revoking one, and finding one by its
verification code (issue 16 item 2; docs/decisions/0044-certificates.md).

Who may have one: a participant not erased who attended at least the event's
``certificate_sessions`` sessions (all of them when the organiser set none). Issued and
revoked by whoever may CHANGE the organiser (accounts.policy). Numbers run per
organiser and year of issue from a locked series row, in the order of the names; a
number is never given twice. The verification code is 80 random bits written in
Crockford's base32 (16 characters, printed XXXX-XXXX-XXXX-XXXX).
"""

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.activities.models import (
    Attendance,
    Certificate,
    CertificateSeries,
    Event,
    Person,
)
from trienkhai.common import brake
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.models import locked_row
from trienkhai.orgs.models import Profile, Unit, UnitVersion
from trienkhai.vn import format_date
from trienkhai.vn.text import name_order, nfc

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U, so that nothing typed is read two ways."""
CODE_LENGTH = 16
"""Characters of a code: 16 × 5 = 80 random bits."""
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
TYPE_CODE = "GCN"
"""The certificate's type in its number: Số 05-GCN/BTGHU (Party), Số: 05/GCN-UBND."""
MAX_REASON = 500
FIELDS = [f for f in Certificate._meta.concrete_fields if not f.primary_key]
VERIFY_MISSES = 20
"""Codes found nowhere that one address may look up within ``VERIFY_WINDOW``."""
VERIFY_WINDOW = 600
"""Seconds: the window the misses are counted in, and the wait once there were too many."""


def new_code() -> str:
    """A fresh code: 80 bits from the system's random source (``secrets``)."""
    value = secrets.randbits(5 * CODE_LENGTH)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def read_code(text: str, length: int = CODE_LENGTH) -> str | None:
    """The stored form of a code as a person typed it (groups, spaces, lower case, O for
    0, I or L for 1 all accepted), or None if it cannot be a code of ``length``."""
    typed = "".join(text.split()).replace("-", "").upper().translate(_TYPED)
    if len(typed) != length or any(c not in ALPHABET for c in typed):
        return None
    return typed


def grouped(code: str) -> str:
    """ "ABCD-EFGH-JKMN-PQRS": the code as printed and typed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# Who may have one ---------------------------------------------------------------------------


def sessions_needed(event: Event, held: int) -> int:
    """Sessions a participant must have attended: the organiser's rule, at most all."""
    rule = event.certificate_sessions
    return min(rule, held) if rule else held


@dataclass
class Candidate:
    """A participant of the event: how many sessions they attended, and whether that is
    enough; their valid certificate if they hold one."""

    person: Person
    attended: int
    eligible: bool
    certificate: Certificate | None = None


@dataclass
class Roll:
    """An event's participants against its rule (``candidates``)."""

    held: int
    needed: int
    candidates: list[Candidate]

    @property
    def to_issue(self) -> list[Candidate]:
        return [c for c in self.candidates if c.eligible and c.certificate is None]

    @property
    def eligible(self) -> int:
        return sum(c.eligible for c in self.candidates)


def candidates(event: Event) -> Roll:
    """Everyone on the event's attendance list, by name, with their count of sessions
    and their valid certificate (four queries, whatever the number of people)."""
    held = event.sessions.count()
    needed = sessions_needed(event, held)
    counts = dict(
        Attendance.objects.filter(session__event=event)
        .values("person")
        .annotate(n=Count("id"))
        .values_list("person", "n")
    )
    versions = Prefetch("unit__versions", queryset=UnitVersion.objects.order_by("valid_from"))
    people = Person.objects.filter(pk__in=counts).select_related("unit").prefetch_related(versions)
    held_by = {
        c.person_id: c
        for c in Certificate.objects.filter(event=event, state=Certificate.State.VALID)
    }
    found = [
        Candidate(
            person=p,
            attended=counts[p.pk],
            eligible=p.erased is None and counts[p.pk] >= needed,
            certificate=held_by.get(p.pk),
        )
        for p in people
    ]
    found.sort(key=lambda c: (c.person.erased is not None, name_order(c.person.name), c.person.pk))
    return Roll(held=held, needed=needed, candidates=found)


def set_rule(*, acting_user: Actor, event: Event, sessions: int | None) -> Event:
    """The sessions a participant must attend to be given a certificate; None: all."""
    policy.require(acting_user, policy.Action.CHANGE, event.organiser)
    held = event.sessions.count()
    if sessions is not None and not 1 <= sessions <= held:
        raise BadInput(
            "invalid_rule",
            f"Số buổi phải từ 1 đến {held} / the sessions must be between 1 and {held}",
        )
    event.certificate_sessions = None if sessions == held else sessions
    user = user_of(acting_user)
    if user is not None:
        event._history_user = user  # type: ignore[attr-defined]
    event.modified = timezone.now()
    event.save(update_fields=["certificate_sessions", "modified"])
    return event


# Issuing --------------------------------------------------------------------------------------


def profile_of(unit: Unit, day: dt.date) -> str:
    """The layout of the certificates ``unit`` issues on ``day``: "party", "party-2026"
    (Party, from 09/01/2026: Quy định 399-QĐ/TW) or "state"."""
    from trienkhai.drafting.reports import PARTY_2026

    version = unit.version_on(day) or unit.latest_version()
    profile = unit.profile_override or version.kind.profile
    if profile == Profile.PARTY:
        return "party-2026" if day >= PARTY_2026 else "party"
    return "state"


def symbol_of(layout: str, number: int, abbreviation: str) -> str:
    """ "05-GCN/BTGHU" (Party), "05/GCN-UBND" (State); without an abbreviation "05-GCN",
    "05/GCN"."""
    if layout.startswith("party"):
        return f"{number:02d}-{code_of(layout, abbreviation)}"
    return f"{number:02d}/{code_of(layout, abbreviation)}"


def code_of(layout: str, abbreviation: str) -> str:
    """What follows the number and its separator on the number line (FormalDocument.code)."""
    if not abbreviation:
        return TYPE_CODE
    return (
        f"{TYPE_CODE}/{abbreviation}"
        if layout.startswith("party")
        else f"{TYPE_CODE}-{abbreviation}"
    )


def default_day(event: Event) -> dt.date:
    """The event's last day, as certificates are given at the closing; today if that is
    still ahead; never after the organiser's last day."""
    return min(event.end, event.organiser.reference_date(timezone.localdate()))


def last_signer(organiser: Unit) -> tuple[str, str]:
    """(position, name) of the signer of the organiser's latest certificate: what a new
    one starts from."""
    found = (
        Certificate.objects.filter(organiser=organiser)
        .order_by("-created", "-id")
        .values_list("signer_position", "signer_name")
        .first()
    )
    return found or ("", "")


def issue(
    *,
    acting_user: Actor,
    event: Event,
    people: Sequence[Person] | None = None,
    day: dt.date | None = None,
    signer_position: str,
    signer_name: str = "",
) -> list[Certificate]:
    """Certificates for ``people`` of ``event`` (None: everyone who may have one and has
    none yet), dated ``day`` (default today), numbered in the order of their names.

    A person who did not attend enough sessions, is erased or already holds a valid
    certificate of the event: BadInput, nothing issued. Nobody left to issue: Conflict.
    One transaction whatever the number: the series row locked, the rows written at once.
    """
    from trienkhai.drafting.services import header_lines, place_of

    organiser = event.organiser
    policy.require(acting_user, policy.Action.CHANGE, organiser)
    today = timezone.localdate()
    day = day or default_day(event)
    if day < event.end or day > today:
        raise BadInput(
            "invalid_date",
            f"Ngày cấp phải từ ngày kết thúc hoạt động ({format_date(event.end)}) đến hôm "
            f"nay / the date of issue must be between the event's end "
            f"({event.end.isoformat()}) and today",
        )
    version = organiser.version_on(day)
    if version is None:
        raise BadInput(
            "organiser_not_existing",
            f"Đơn vị tổ chức không tồn tại ngày {format_date(day)} / the organiser did not "
            f"exist on {day.isoformat()}",
        )
    position = nfc(signer_position).strip().upper()
    name = nfc(signer_name).strip()
    if not position:
        raise BadInput("missing_signer", "Cần chức vụ người ký / the signer's position is required")
    if len(position) > 100 or len(name) > 100:
        raise BadInput(
            "too_long",
            "Chức vụ, tên người ký dài quá 100 ký tự / the signer's position and name are "
            "at most 100 characters",
        )
    layout = profile_of(organiser, day)
    superior, issuer = header_lines(organiser, day)
    place = place_of(organiser, day)
    wanted = None if people is None else {p.pk for p in people}
    try:
        with transaction.atomic():
            series = locked_row(CertificateSeries, organiser=organiser, year=day.year)
            # Read under the series' lock: a list issued meanwhile is seen, not doubled.
            roll = candidates(event)
            if wanted is not None:
                chosen = [c for c in roll.candidates if c.person.pk in wanted]
                _check_chosen(roll, chosen, wanted)
            else:
                chosen = roll.to_issue
            if not chosen:
                raise Conflict(
                    "nothing_to_issue",
                    "Mọi người đủ điều kiện đã có giấy chứng nhận / everyone who may have a "
                    "certificate already holds one",
                )
            codes = fresh_codes(len(chosen))
            now = timezone.now()
            made = [
                Certificate(
                    event=event,
                    person=c.person,
                    organiser=organiser,
                    year=day.year,
                    number=series.last_number + n,
                    symbol=symbol_of(layout, series.last_number + n, version.abbreviation),
                    code=code,
                    layout=layout,
                    superior=superior,
                    issuer=issuer,
                    organiser_name=version.name,
                    name=c.person.name,
                    unit_name=_unit_name(c.person.unit, day),
                    title=event.title,
                    kind=event.kind,
                    start=event.start,
                    end=event.end,
                    place=event.place,
                    sessions_attended=c.attended,
                    sessions_held=roll.held,
                    issued=day,
                    issued_place=place,
                    signer_position=position,
                    signer_name=name,
                    created=now,
                    created_by=user_of(acting_user),
                )
                for n, (c, code) in enumerate(zip(chosen, codes, strict=True), start=1)
            ]
            # Rows, not bulk_create: SQLite's limit on parameters split 500 certificates
            # of 32 fields into 17 statements (common.bulk_insert: one, or one COPY).
            names = tuple(f.attname for f in FIELDS)
            insert_rows(Certificate, names, [tuple(getattr(c, n) for n in names) for c in made])
            first = series.last_number + 1
            series.last_number += len(made)
            series.save(update_fields=["last_number"])
            made = list(
                Certificate.objects.filter(
                    organiser=organiser, year=day.year, number__range=(first, series.last_number)
                )
                .select_related("person__unit")
                .order_by("number")
            )
    except IntegrityError:
        # A certificate of the same person written between our read and our insert
        # (SQLite without row locks on another path): nothing of ours is kept.
        raise Conflict(
            "concurrent_issue",
            "Giấy chứng nhận vừa được cấp cùng lúc, chưa cấp gì: hãy thử lại / certificates "
            "were issued at the same time, nothing issued: try again",
        ) from None
    return made


def _check_chosen(roll: Roll, chosen: list[Candidate], wanted: set[int]) -> None:
    """BadInput naming each person (by id) who may not be given a certificate, and why."""
    problems: list[tuple[int, str, str]] = []
    for pk in sorted(wanted - {c.person.pk for c in chosen}):
        problems.append((pk, "không có trong danh sách điểm danh", "not on the attendance list"))
    for c in chosen:
        if c.person.erased is not None:
            problems.append((c.person.pk, "đã xóa dữ liệu cá nhân", "personal data erased"))
        elif c.certificate is not None:
            problems.append(
                (
                    c.person.pk,
                    f"đã có giấy chứng nhận số {c.certificate.symbol}",
                    f"already holds certificate {c.certificate.symbol}",
                )
            )
        elif not c.eligible:
            problems.append(
                (
                    c.person.pk,
                    f"dự {c.attended}/{roll.held} buổi, cần {roll.needed}",
                    f"attended {c.attended} of {roll.held} sessions, {roll.needed} needed",
                )
            )
    if problems:
        vi = "; ".join(f"người mã {pk}: {text}" for pk, text, _ in problems)
        en = "; ".join(f"person {pk}: {text}" for pk, _, text in problems)
        raise BadInput(
            "not_eligible",
            f"Không cấp được giấy chứng nhận, {vi} / no certificate issued, {en}",
            details=[{"person": pk, "problem": f"{v} / {e}"} for pk, v, e in problems],
        )


def _unit_name(unit: Unit, day: dt.date) -> str:
    versions = list(unit.versions.all())
    version = unit.version_on(day) or (
        max(versions, key=lambda v: v.valid_from) if versions else None
    )
    return version.name if version else unit.code


def fresh_codes(n: int) -> list[str]:
    """``n`` codes given to no certificate yet, of an activity or of a contest's prize
    (one code space, decision 0056): a repeat of 80 random bits is not expected in the
    life of the universe; checked all the same, in one query per table."""
    from trienkhai.contests.models import PrizeCertificate  # contests import activities

    codes: set[str] = set()
    while len(codes) < n:
        wanted = {new_code() for _ in range(n - len(codes))}
        for model in (Certificate, PrizeCertificate):
            wanted -= set(model.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted
    return list(codes)


# Revoking, erasing ----------------------------------------------------------------------------


def revoke(*, acting_user: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid certificate, saying why; the verification page then says so."""
    return revoke_row(acting_user=acting_user, certificate=certificate, reason=reason)


RevokedRow = TypeVar("RevokedRow", bound=models.Model)


def revoke_row(*, acting_user: Actor, certificate: RevokedRow, reason: str) -> RevokedRow:
    """Revoke ``certificate`` (an activity's or a contest prize's: both have ``organiser``,
    ``state`` valid/revoked, ``revoked``, ``revoked_by``, ``revoked_reason``), saying why:
    CHANGE on its organiser; 400 without a reason or with one past ``MAX_REASON``; 409
    ``already_revoked`` unless it is valid. The update takes only a valid row, so two
    revoking at once cannot both succeed."""
    policy.require(acting_user, policy.Action.CHANGE, certificate.organiser)  # type: ignore[attr-defined]
    reason = nfc(reason).strip()
    if not reason:
        raise BadInput("missing_reason", "Cần ghi lý do thu hồi / say why it is revoked")
    if len(reason) > MAX_REASON:
        raise BadInput(
            "too_long",
            f"Lý do dài quá {MAX_REASON} ký tự / the reason is at most {MAX_REASON} characters",
        )
    now = timezone.now()
    with transaction.atomic():
        changed = (
            type(certificate)
            ._default_manager.filter(pk=certificate.pk, state="valid")
            .update(
                state="revoked", revoked=now, revoked_by=user_of(acting_user), revoked_reason=reason
            )
        )
    if not changed:
        raise Conflict(
            "already_revoked",
            "Giấy chứng nhận đã bị thu hồi / the certificate is already revoked",
        )
    certificate.refresh_from_db()
    return certificate


def erase_person(person: Person, *, by, at: dt.datetime) -> int:
    """Inside the erasure's transaction (people.erase): every certificate of ``person``
    loses the name and reads "revoked: personal data erased"; how many."""
    found = Certificate.objects.filter(person=person)
    found.filter(revoked__isnull=True).update(revoked=at, revoked_by=by)
    return found.update(name="", state=Certificate.State.ERASED)


# Reading --------------------------------------------------------------------------------------


def find(code: str) -> Certificate | None:
    """The certificate with ``code`` as typed (see ``read_code``), or None. A contest's
    prize certificate shares the code space and the verification page (decision 0056):
    it is found too, with the attributes the page shows under the same names."""
    stored = read_code(code)
    if stored is None:
        return None
    found = Certificate.objects.filter(code=stored).first()
    if found is None:
        from trienkhai.contests.models import PrizeCertificate  # contests import activities

        return PrizeCertificate.objects.filter(code=stored).first()  # type: ignore[return-value]
    return found


def of_person(person: Person) -> list[dict]:
    """The person's certificates, for the export of their data (people.record)."""
    return [
        {
            "symbol": c.symbol,
            "issued": c.issued.isoformat(),
            "event": c.event_id,
            "title": c.title,
            "organiser": c.organiser_name,
            "code": grouped(c.code),
            "state": c.state,
        }
        for c in Certificate.objects.filter(person=person).order_by("issued", "id")
    ]


def check(code: str, address: str | None) -> tuple[Certificate | None, int]:
    """The verification page's lookup: (the certificate of ``code``, 0); (None, 0) if
    none has it, counted as a miss of ``address``; (None, seconds to wait) while
    ``address`` has had ``VERIFY_MISSES`` misses within ``VERIFY_WINDOW`` seconds.

    A brake on guessing, per address (common.brake): the codes' 80 random bits are what
    makes guessing hopeless (decision 0044)."""
    return brake.look_up(
        "certificate",
        address,
        lambda: find(code),
        misses=VERIFY_MISSES,
        window=VERIFY_WINDOW,
    )
