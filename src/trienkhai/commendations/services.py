"""Every write of commendations: one function per change, one transaction each.

Who may do what (``accounts.policy``; a system actor may do everything):

- nominate, resubmit and add dossier files: CHANGE on the recipient's unit (the
  collective itself, or the individual's unit); the recipient must be in the giver's
  subtree;
- return for correction, accept, refuse and award: CHANGE on the giver;
- erase an individual: CHANGE on their unit (decision 0040).

One achievement earns one commendation (decision 0054): the check before the write
gives the clear 409, the database's unique indexes give the same 409 to a request that
raced past it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.commendations import decision, levels
from trienkhai.commendations.models import (
    Award,
    DossierFile,
    Individual,
    Kind,
    Nomination,
    achievement_digest,
)
from trienkhai.common import actors, retention
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import attachments, blobs
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn.text import nfc, nfc_lines

Status = Nomination.Status
FIRST_YEAR = 1945
MAX_ACHIEVEMENT = 4000
MAX_NAME = 200


def _clean_achievement(text: str) -> str:
    text = nfc_lines(text)
    if not text:
        raise BadInput("invalid_achievement", "Chưa ghi thành tích / the achievement is missing")
    if len(text) > MAX_ACHIEVEMENT:
        raise BadInput(
            "invalid_achievement",
            f"Thành tích tối đa {MAX_ACHIEVEMENT} ký tự / the achievement is at most "
            f"{MAX_ACHIEVEMENT} characters",
        )
    return text


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise BadInput(
            "invalid_year",
            f"Năm phải từ {FIRST_YEAR} đến {this_year} / the year must be from {FIRST_YEAR} "
            f"to {this_year}",
        )


def _already(nomination: Nomination | None) -> Conflict:
    where = f": {nomination.kind.name} {nomination.year}" if nomination else ""
    return Conflict(
        "duplicate_achievement",
        "Thành tích này đã được đề nghị khen thưởng cho đối tượng này; một thành tích chỉ "
        f"được khen một lần / this achievement was already nominated for this recipient"
        f"{where}",
    )


def _holder(
    recipient_unit: Unit, individual: Individual | None, year: int, key: str
) -> Nomination | None:
    """The nomination that already holds (recipient, year, achievement), refused ones aside."""
    found = (
        Nomination.objects.select_related("kind")
        .filter(year=year, achievement_key=key)
        .exclude(status=Status.REFUSED)
    )
    if individual is None:
        found = found.filter(recipient_unit=recipient_unit, individual__isnull=True)
    else:
        found = found.filter(individual=individual)
    return found.first()


def _individual(unit: Unit, name: str) -> Individual:
    """The person of that (folded) name in ``unit``, created if new: a name typed again is
    the same person, so the one-achievement rule holds for them."""
    key = Individual.key_of(name)
    found = Individual.objects.filter(unit=unit, name_key=key, erased__isnull=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Individual.objects.create(unit=unit, name=name, name_key=key)
    except IntegrityError:  # created meanwhile by another request
        return Individual.objects.get(unit=unit, name_key=key, erased__isnull=True)


def reach(kind: Kind, giver: Unit) -> list[int]:
    """The units under which ``giver`` commends: its own subtree, or for a kind an
    agency's head gives (a Party board's Giấy khen) the subtree of the committee the
    agency serves, its parent: the Propaganda Board commends the district's communes
    (decision 0054)."""
    if kind.level != Kind.Level.AGENCY:
        return [giver.pk]
    return [
        uid for uid, depth in queries.ancestor_ids(giver.pk, giver.reference_date()) if depth <= 1
    ]


def nominate(
    *,
    acting_user: Actor,
    kind: Kind,
    giver: Unit,
    year: int,
    achievement: str,
    recipient_unit: Unit,
    recipient_name: str = "",
) -> Nomination:
    """Nominate the collective ``recipient_unit`` or, with ``recipient_name``, a person
    of it, for ``kind`` given by ``giver`` (the recipient within ``reach``, the giver at
    the kind's level: ``levels.refusal``, 400). 409 if the same achievement of the same
    year is already nominated (or awarded) for that recipient and not refused."""
    policy.require(acting_user, policy.Action.CHANGE, recipient_unit)
    _check_year(year)
    text = _clean_achievement(achievement)
    name = nfc(recipient_name)
    if len(name) > MAX_NAME:
        raise BadInput(
            "invalid_name",
            f"Họ tên tối đa {MAX_NAME} ký tự / a name is at most {MAX_NAME} characters",
        )
    if name == Individual.ERASED_NAME:
        raise BadInput("invalid_name", "Họ tên không hợp lệ / not a name")
    if not kind.admits(individual=bool(name)):
        raise BadInput(
            "invalid_recipient",
            f"{kind.name} không tặng cho {'cá nhân' if name else 'tập thể'} / {kind.name_en} "
            f"is not given to {'individuals' if name else 'collectives'}",
        )
    if not queries.is_descendant_or_self(
        recipient_unit.pk, reach(kind, giver), giver.reference_date()
    ):
        raise BadInput(
            "invalid_giver",
            f"Đơn vị {recipient_unit.code} không thuộc phạm vi của {giver.code} / "
            f"{recipient_unit.code} is not under the giver {giver.code}",
        )
    if (why := levels.refusal(kind, giver, giver.reference_date())) is not None:
        raise BadInput("invalid_level", why)
    key = achievement_digest(text)
    individual = _individual(recipient_unit, name) if name else None
    if (holder := _holder(recipient_unit, individual, year, key)) is not None:
        raise _already(holder)
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                kind=kind,
                giver=giver,
                year=year,
                achievement=text,
                achievement_key=key,
                recipient_unit=recipient_unit,
                individual=individual,
                created_by=actors.user_of(acting_user),
            )
    except IntegrityError:  # nominated meanwhile by another request: the index said no
        raise _already(_holder(recipient_unit, individual, year, key)) from None


def _move(nomination: Nomination, to: str, *, reason: str | None = None) -> Nomination:
    nomination.status = to
    nomination.modified = timezone.now()
    fields = ["status", "modified"]
    if reason is not None:
        nomination.reason = reason
        fields.append("reason")
    nomination.save(update_fields=fields)
    return nomination


def _locked(nomination: Nomination, allowed: tuple[str, ...]) -> Nomination:
    """The nomination's row, locked, if its status is one of ``allowed``; 409 otherwise."""
    locked = Nomination.objects.select_for_update().select_related("kind").get(pk=nomination.pk)
    if locked.status not in allowed:
        raise Conflict(
            "wrong_status",
            f"Đề nghị đang ở trạng thái “{locked.get_status_display()}” / the nomination "
            f"is {locked.status}",
        )
    return locked


def _reason(text: str) -> str:
    text = nfc_lines(text)
    if not text:
        raise BadInput("invalid_reason", "Cần ghi lý do / say why")
    if len(text) > MAX_ACHIEVEMENT:
        raise BadInput("invalid_reason", "Lý do quá dài / the reason is too long")
    return text


REVIEWABLE = (Status.SUBMITTED, Status.RESUBMITTED)


def return_for_correction(*, acting_user: Actor, nomination: Nomination, reason: str) -> Nomination:
    """The giver's manager returns the nomination with ``reason`` (trả lại để bổ sung)."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.giver)
    reason = _reason(reason)
    with transaction.atomic():
        return _move(_locked(nomination, REVIEWABLE), Status.RETURNED, reason=reason)


def resubmit(
    *, acting_user: Actor, nomination: Nomination, achievement: str | None = None
) -> Nomination:
    """The nominating side sends a returned nomination again, its achievement corrected
    if given (the one-achievement rule applies to the new text: 409)."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.recipient_unit)
    text = _clean_achievement(achievement) if achievement is not None else None
    try:
        with transaction.atomic():
            locked = _locked(nomination, (Status.RETURNED,))
            fields = []
            if text is not None and text != locked.achievement:
                key = achievement_digest(text)
                holder = _holder(locked.recipient_unit, locked.individual, locked.year, key)
                if holder is not None and holder.pk != locked.pk:
                    raise _already(holder)
                locked.achievement, locked.achievement_key = text, key
                fields = ["achievement", "achievement_key"]
            locked.status, locked.modified = Status.RESUBMITTED, timezone.now()
            locked.save(update_fields=[*fields, "status", "modified"])
            return locked
    except IntegrityError:
        raise _already(None) from None


def accept(*, acting_user: Actor, nomination: Nomination) -> Nomination:
    """The giver's manager accepts the nomination (thẩm định, đồng ý)."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.giver)
    with transaction.atomic():
        return _move(_locked(nomination, REVIEWABLE), Status.ACCEPTED, reason="")


def refuse(*, acting_user: Actor, nomination: Nomination, reason: str) -> Nomination:
    """The giver's manager refuses it; its achievement may then be nominated again."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.giver)
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked(nomination, (*REVIEWABLE, Status.ACCEPTED, Status.RETURNED))
        return _move(locked, Status.REFUSED, reason=reason)


def award(
    *,
    acting_user: Actor,
    nomination: Nomination,
    decided_on: dt.date,
    decision_number: str = "",
) -> Award:
    """Record the commendation of an accepted nomination (the decision's number and day)."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.giver)
    decision_number = nfc(decision_number)
    if len(decision_number) > 50:
        raise BadInput("invalid_decision", "Số quyết định tối đa 50 ký tự / at most 50 characters")
    if decided_on.year < nomination.year or decided_on > timezone.localdate():
        raise BadInput(
            "invalid_date",
            "Ngày quyết định phải từ năm của thành tích đến hôm nay / the decision's day must "
            "be from the achievement's year to today",
        )
    with transaction.atomic():
        locked = _locked(nomination, (Status.ACCEPTED,))
        _move(locked, Status.AWARDED)
        return Award.objects.create(
            nomination=locked,
            decision_number=decision_number,
            decided_on=decided_on,
            created_by=actors.user_of(acting_user),
        )


def issue_decision(
    *,
    acting_user: Actor,
    giver: Unit,
    nominations: list[Nomination],
    date: dt.date,
    signer: str,
    signer_authority: str,
    recipients: str,
    summary: str = "",
    signer_position: str = "",
    signer_on_behalf: str = "",
) -> Document:
    """Issue the giver's decision (Quyết định, QĐ) from its register, numbered by it, and
    award every one of ``nominations`` by it: all accepted, all for ``giver``'s
    commendations (400/409 otherwise, nothing issued). The awards name the document;
    its number is their decision's number. Its .docx, naming the collectives and
    individuals by kind (``decision``), is attached to the register entry once the
    transaction has committed (decision 0030: files outside transactions)."""
    policy.require(acting_user, policy.Action.CHANGE, giver)
    if not nominations:
        raise BadInput("invalid_nominations", "Chưa chọn đề nghị nào / no nomination given")
    if len({n.pk for n in nominations}) != len(nominations):
        raise BadInput("invalid_nominations", "Đề nghị bị lặp / a nomination given twice")
    if any(n.giver_id != giver.pk for n in nominations):
        raise BadInput(
            "invalid_nominations",
            f"Có đề nghị không thuộc {giver.code} khen thưởng / a nomination is not for "
            f"{giver.code}'s commendations",
        )
    if date > timezone.localdate() or any(date.year < n.year for n in nominations):
        raise BadInput(
            "invalid_date",
            "Ngày quyết định phải từ năm của thành tích đến hôm nay / the decision's day must "
            "be from the achievements' year to today",
        )
    people = sum(1 for n in nominations if n.is_individual)
    counted = ", ".join(
        f"{n} {label}"
        for n, label in ((len(nominations) - people, "tập thể"), (people, "cá nhân"))
        if n
    )
    summary = summary.strip() or f"Về việc tặng thưởng cho {counted}"
    if len(nfc(signer_position)) > 100 or len(nfc(signer_on_behalf)) > 100:
        raise BadInput(
            "too_long",
            "Chức vụ người ký tối đa 100 ký tự / the signer's position is at most 100 characters",
        )
    ids = [n.pk for n in nominations]
    with transaction.atomic():
        locked = [_locked(n, (Status.ACCEPTED,)) for n in sorted(nominations, key=lambda n: n.pk)]
        draft = documents.register_draft(
            acting_user=acting_user,
            issuer=giver,
            type="QĐ",
            date=date,
            summary=summary,
            signer=signer,
            signer_authority=signer_authority,
            recipients=recipients,
        )
        document = documents.issue(acting_user=acting_user, document=draft)
        for nomination in locked:  # one by one: each award keeps its history row
            _move(nomination, Status.AWARDED)
            Award.objects.create(
                nomination=nomination,
                decision_number=document.symbol[:50],
                decided_on=date,
                document=document,
                created_by=actors.user_of(acting_user),
            )
        text = decision.docx(
            document,
            [n for n in Nomination.objects.select_related(*NAMED).filter(pk__in=ids)],
            decision.Signer(
                name=nfc(signer),
                authority=signer_authority,
                on_behalf=nfc(signer_on_behalf),
                position=nfc(signer_position),
            ),
        )
    attachments.attach(
        acting_user=acting_user, document=document, name=decision.file_name(document), data=text
    )
    return document


NAMED = ("kind", "recipient_unit", "individual")


@dataclass(frozen=True)
class Stored:
    """A dossier file read, checked and written to the blob store, not yet recorded."""

    role: str
    name: str
    kind: str
    size: int
    sha256: str
    path: str


def _check_role(role: str) -> None:
    if role not in DossierFile.Role.values:
        raise BadInput(
            "invalid_role",
            f"Loại hồ sơ phải là một trong {', '.join(DossierFile.Role.values)} / the role "
            f"must be one of {', '.join(DossierFile.Role.values)}",
        )


def _store(role: str, file_name: str, data: bytes) -> Stored:
    """Check a file (400 for an empty, damaged or odd one) and write it under its digest
    in the documents' blob store, before any transaction (decision 0030)."""
    _check_role(role)
    found = attachments.inspect(file_name, data)
    digest = hashlib.sha256(data).hexdigest()
    path = attachments._store(data, digest)
    return Stored(role, found.name, found.kind, len(data), digest, path)


def _record(nomination: Nomination, stored: Stored, acting_user: Actor) -> DossierFile:
    return DossierFile.objects.create(
        nomination=nomination,
        role=stored.role,
        name=stored.name,
        kind=stored.kind,
        size=stored.size,
        sha256=stored.sha256,
        path=stored.path,
        created_by=actors.user_of(acting_user),
    )


def nominate_with_files(
    *, acting_user: Actor, files: list[tuple[str, str, bytes]], **nomination
) -> Nomination:
    """``nominate`` with its dossier (``files``: (role, file name, bytes)), all or
    nothing: a refused file is a 400 before anything is recorded, the same file twice
    a 409 (the web page's new nomination)."""
    policy.require(acting_user, policy.Action.CHANGE, nomination["recipient_unit"])
    stored = [_store(role, name, data) for role, name, data in files]
    seen: set[str] = set()
    for s in stored:
        if s.sha256 in seen:
            raise _duplicate_file(s.name)
        seen.add(s.sha256)
    with transaction.atomic():
        made = nominate(acting_user=acting_user, **nomination)
        for s in stored:
            _record(made, s, acting_user)
    return made


def add_file(
    *, acting_user: Actor, nomination: Nomination, role: str, file_name: str, data: bytes
) -> DossierFile:
    """Add a file to the dossier of an open nomination (tờ trình, báo cáo thành tích,
    biên bản họp hội đồng); 400 for a refused file, 409 for the same file twice."""
    policy.require(acting_user, policy.Action.CHANGE, nomination.recipient_unit)
    stored = _store(role, file_name, data)  # 400 for an empty, damaged or odd file
    if DossierFile.objects.filter(nomination=nomination, sha256=stored.sha256).exists():
        raise _duplicate_file(stored.name)
    try:
        with transaction.atomic():
            locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if not locked.is_open:
                raise Conflict(
                    "wrong_status",
                    "Hồ sơ chỉ bổ sung được trước khi thẩm định xong / the dossier changes "
                    "only before the review ends",
                )
            return _record(locked, stored, acting_user)
    except IntegrityError:
        raise _duplicate_file(stored.name) from None


def _duplicate_file(name: str) -> Conflict:
    return Conflict(
        "duplicate_file", f"Tệp này đã có trong hồ sơ / this file is already in the dossier: {name}"
    )


def erase_individual(*, acting_user: Actor, individual: Individual) -> Individual:
    """Erase a person's name (decision 0040): "—" in its place, never matched again, and
    the files of their nominations' dossiers, rows and bytes (after the commit, each blob
    no other row references: ``documents.blobs``); the nominations and awards, and so
    every count, stay. 409 if erased already."""
    policy.require(acting_user, policy.Action.CHANGE, individual.unit)
    with transaction.atomic():
        locked = Individual.objects.select_for_update().get(pk=individual.pk)
        if locked.erased is not None:
            raise Conflict("already_erased", "Đã xóa từ trước / erased already")
        locked.name, locked.name_key = Individual.ERASED_NAME, ""
        locked.erased, locked.erased_by = timezone.now(), actors.user_of(acting_user)
        locked.save(update_fields=["name", "name_key", "erased", "erased_by"])
        # The dossier is about the person (tờ trình, báo cáo thành tích): its rows and
        # their history go too; the award and its decision stay.
        files = DossierFile.objects.filter(nomination__individual=locked)
        rows = list(files.values_list("pk", "path", "created"))
        files.delete()
        DossierFile.history.filter(id__in=[pk for pk, _, _ in rows]).delete()
        # When each file was recorded: the removal takes a blob nobody touched since
        # (their own upload of a minute ago included), and keeps one another upload of
        # the same bytes touched later (decision 0057).
        recorded: dict[str, float] = {}
        for _, path, created in rows:
            recorded[path] = max(recorded.get(path, 0.0), created.timestamp())
        # No file I/O inside the transaction; a crash before this runs leaves orphans to
        # ``trienkhai sweep-blobs``.
        if recorded:
            transaction.on_commit(
                lambda: blobs.remove_unreferenced(list(recorded), recorded=recorded)
            )
        return locked


def expired(today: dt.date, years: int | None = None) -> list[int]:
    """Ids of the people not erased whose last nomination's year ended more than
    ``years`` (``COMMENDATION_RETENTION_YEARS``) before ``today``, or, with none, whose
    record is older; none when the period is 0 (kept until erased by hand). Decision
    0057: the register keeps a person's name as long as their next commendation may
    need their earlier ones."""
    limit = retention.cutoff(
        today, settings.COMMENDATION_RETENTION_YEARS if years is None else years
    )
    if limit is None:
        return []
    last = Individual.objects.filter(erased__isnull=True).annotate(last=Max("nominations__year"))
    # A nomination of year Y is over on 31/12/Y: older than the limit when Y < its year.
    old = last.filter(
        Q(last__lt=limit.year) | Q(last__isnull=True, created__date__lt=limit)
    ).values_list("pk", flat=True)
    return sorted(old)


def erase_expired(*, acting_user: Actor, today: dt.date, years: int | None = None) -> int:
    """Erase every person past the retention period (``erase_individual``: the awards,
    and so every count of collectives and individuals, stay); how many were erased."""
    found = Individual.objects.filter(pk__in=expired(today, years)).select_related("unit")
    return retention.erase_each(
        found, lambda individual: erase_individual(acting_user=acting_user, individual=individual)
    )
