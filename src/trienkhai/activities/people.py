"""Participants' and members' personal data: found, exported and erased per person, kept
no longer than the retention period (issue 16 item 6; docs/decisions/0040-personal-data.md).

Whoever may CHANGE a person's unit (its managers and admins, up the tree) may see, export
and erase that person; nobody else reads names. Erasing keeps every figure: the person
stays one row (so distinct participants still count once, and a member's pledge still
counts on the cell's list) with the unit and each attendance's group, and loses the
name, the position and the person's group. A person erased is never matched again by
name: the same name in a later list is a new person. Their certificates lose the name
too and the verification page says they were revoked with the erasure (decision 0044).
"""

import datetime as dt
import io

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from trienkhai.accounts import policy
from trienkhai.activities import certificates, pledges
from trienkhai.activities.models import (
    Attendance,
    Audience,
    Certificate,
    Event,
    Person,
    PersonErasure,
)
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn import format_date
from trienkhai.vn.text import fold

ERASED_NAME = "—"
"""What an erased person's name becomes (the screens say "đã xóa")."""


def find(unit: Unit, text: str = "", limit: int = 50) -> list[Person]:
    """People of ``unit`` and the units below it (today, or on its last day if it has
    ended: Chợ Đồn's 2019–2021 participants under Huyện ủy Chợ Đồn), by name (accents
    optional)."""
    ids = [pk for pk, _ in queries.descendant_ids(unit.pk, unit.reference_date())]
    people = Person.objects.filter(unit_id__in=ids, erased__isnull=True).select_related("unit")
    wanted = fold(text).strip()
    found: list[Person] = []
    for person in people.order_by("name", "id").iterator(chunk_size=500):
        if not wanted or wanted in fold(person.name):
            found.append(person)
            if len(found) == limit:
                break
    return found


def record(person: Person) -> dict:
    """Everything kept about ``person``, for the person (export on request)."""
    rows = (
        Attendance.objects.filter(person=person)
        .select_related("session__event", "organiser")
        .order_by("date", "id")
    )
    return {
        "id": person.pk,
        "name": person.name if person.erased is None else "",
        "unit": person.unit.code,
        "unit_name": person.unit.latest_version().name,
        "position": person.position,
        "audience": person.audience,
        "recorded": person.created.isoformat(),
        "erased": person.erased.isoformat() if person.erased else None,
        "attendances": [
            {
                "event": a.session.event_id,
                "title": a.session.event.title,
                "kind": a.session.event.kind,
                "organiser": a.organiser.code,
                "date": a.date.isoformat(),
                "audience": a.audience,
            }
            for a in rows
        ],
        "pledges": pledges.record(person),
        "certificates": certificates.of_person(person),
    }


def erase(
    *, acting_user: Actor, person: Person, reason: str = PersonErasure.Reason.REQUEST
) -> Person:
    """Erase ``person``'s name, position and group; the figures stay as they were."""
    policy.require(acting_user, policy.Action.CHANGE, person.unit)
    if person.erased is not None:
        raise Conflict("already_erased", "Người này đã được xóa / this person is already erased")
    now = timezone.now()
    with transaction.atomic():
        changed = Person.objects.filter(pk=person.pk, erased__isnull=True).update(
            name=ERASED_NAME,
            name_key=f"#erased {person.pk}",
            position="",
            audience="",
            erased=now,
            modified=now,
        )
        if not changed:
            raise Conflict(
                "already_erased", "Người này đã được xóa / this person is already erased"
            )
        PersonErasure.objects.create(
            person=person,
            unit=person.unit,
            reason=reason,
            erased_by=user_of(acting_user),
            at=now,
        )
        # Its certificates lose the name and read "revoked: personal data erased".
        certificates.erase_person(person, by=user_of(acting_user), at=now)
    person.refresh_from_db()
    return person


def expired(today: dt.date, years: int | None = None) -> list[int]:
    """Ids of the people not erased whose last attendance and last pledge list (its year's
    last day) are older than the retention period, or with neither, whose record is; none
    when the period is 0 (kept until erased)."""
    years = settings.PEOPLE_RETENTION_YEARS if years is None else years
    if years <= 0:
        return []
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    last = Person.objects.filter(erased__isnull=True).annotate(
        last=Max("attendances__date"), listed=Max("pledges__pledge_list__year")
    )
    # A list of year Y is over on 31/12/Y: older than the limit when Y < the limit's year.
    old = (
        last.filter(Q(last__isnull=True) | Q(last__lt=limit))
        .filter(Q(listed__isnull=True) | Q(listed__lt=limit.year))
        .filter(Q(last__isnull=False) | Q(listed__isnull=False) | Q(created__date__lt=limit))
        .values_list("pk", flat=True)
    )
    return sorted(old)


def erase_expired(*, acting_user: Actor, today: dt.date, years: int | None = None) -> int:
    """Erase every person past the retention period; how many were erased."""
    erased = 0
    for person in Person.objects.filter(pk__in=expired(today, years)).select_related("unit"):
        try:
            erase(acting_user=acting_user, person=person, reason=PersonErasure.Reason.RETENTION)
        except Conflict:
            continue  # erased on request meanwhile
        erased += 1
    return erased


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _words(choices, code: str):
    return choices(code).label if code in choices.values else code


def shown(found: dict) -> dict:
    """``record``'s answer for a screen or a workbook: days as dates, kinds and audience
    groups in the reader's words (labels translated when shown)."""
    return {
        **found,
        "audience": _words(Audience, found["audience"]),
        "recorded": _day(found["recorded"]),
        "erased": _day(found["erased"]),
        "attendances": [
            {
                **a,
                "date": _day(a["date"]),
                "kind": _words(Event.Kind, a["kind"]),
                "audience": _words(Audience, a["audience"]),
            }
            for a in found["attendances"]
        ],
        "pledges": [
            {**p, "deadline": _day(p["deadline"]), "submitted": _day(p["submitted"])}
            for p in found["pledges"]
        ],
        "certificates": [
            {**c, "issued": _day(c["issued"]), "state": _words(Certificate.State, c["state"])}
            for c in found["certificates"]
        ],
    }


def record_xlsx(found: dict) -> bytes:
    """``record``'s answer as a workbook, in the reader's language, days dd/mm/yyyy: the
    person, each attendance, each pledge list, each certificate (the export a person asks
    for)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = shown(found)

    def day(value: dt.date | None) -> str:
        return format_date(value) if value else ""

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("Người")[:31]
    for label, value in (
        (gettext("Mã người"), data["id"]),
        (gettext("Họ và tên"), data["name"]),
        (gettext("Đơn vị"), f"{data['unit_name']} ({data['unit']})"),
        (gettext("Chức vụ"), data["position"]),
        (gettext("Đối tượng"), str(data["audience"])),
        (gettext("Ghi nhận ngày"), day(data["recorded"])),
        (gettext("Đã xóa ngày"), day(data["erased"])),
    ):
        sheet.append([label, value])
    attended = book.create_sheet(gettext("Điểm danh")[:31])
    attended.append(
        [
            gettext("Ngày"),
            pgettext("a column: the activity", "Hoạt động"),
            gettext("Loại"),
            gettext("Đơn vị tổ chức"),
            gettext("Đối tượng"),
        ]
    )
    for a in data["attendances"]:
        attended.append(
            [day(a["date"]), a["title"], str(a["kind"]), a["organiser"], str(a["audience"])]
        )
    pledged = book.create_sheet(gettext("Bản đăng ký")[:31])
    pledged.append(
        [
            gettext("Đơn vị"),
            gettext("Năm"),
            gettext("Hạn nộp"),
            gettext("Ngày nộp"),
            gettext("Đúng hạn"),
        ]
    )
    for p in data["pledges"]:
        on_time = (
            pgettext("a yes/no choice", "Có")
            if p["on_time"]
            else pgettext("a yes/no choice", "Không")
        )
        pledged.append([p["unit"], p["year"], day(p["deadline"]), day(p["submitted"]), on_time])
    papers = book.create_sheet(gettext("Giấy chứng nhận")[:31])
    papers.append(
        [
            gettext("Số"),
            gettext("Ngày cấp"),
            pgettext("a column: the activity", "Hoạt động"),
            gettext("Đơn vị tổ chức"),
            gettext("Mã xác minh"),
            gettext("Tình trạng"),
        ]
    )
    for c in data["certificates"]:
        papers.append(
            [c["symbol"], day(c["issued"]), c["title"], c["organiser"], c["code"], str(c["state"])]
        )
    for each in book.worksheets:
        for cell in each[1]:
            cell.font = Font(bold=True)
        each.column_dimensions["A"].width = 18
        each.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
