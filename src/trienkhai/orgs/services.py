"""Every write to the hierarchy: one function per change, one transaction, audited.

Audit: django-simple-history keeps a row per change of Unit, UnitVersion and UnitKind
with the acting user (``_history_user``); LineageEvent keeps ``created_by``. A system
actor is recorded as no user.

Permission: every function asks ``common.actors`` (the policy, installed by accounts):
CHANGE on each unit it changes and on a new parent; a unit without a parent (a root)
needs MANAGE_KINDS, an action only the country's admins have (``policy.GLOBAL_ACTIONS``).
"""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import (
    LineageEvent,
    LineageLink,
    OfficialCode,
    Unit,
    UnitKind,
    UnitVersion,
)
from trienkhai.vn import format_date, nfc
from trienkhai.web.labels import unit_name

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")
"""Mã định danh điện tử (QĐ 20/2020/QĐ-TTg; QCVN 102:2016 Amendment 1:2022): four groups
of 3, 2, 2 and 3 digits or capital letters, from the lowest level to the highest, e.g.
000.00.00.G22 (docs/EDXML.md)."""
_UNCHANGED = object()


CHANGE, MANAGE_KINDS = "change", "manage_kinds"
"""The policy's actions these writes need (``accounts.policy.Action`` values)."""


def _audited(instance, acting_user: Actor):
    user = actors.user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _require_parent(acting_user: Actor, parent: Unit | None) -> None:
    """A unit goes under ``parent`` only if the actor may change it; a root needs MANAGE_KINDS."""
    if parent is None:
        actors.require(acting_user, MANAGE_KINDS)
    else:
        actors.require(acting_user, CHANGE, parent)


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise BadInput(
            "invalid_code",
            f"Mã đơn vị không hợp lệ / invalid unit code: {code!r} "
            "(chữ, số, '.', '_', '-'; tối đa 40 / letters, digits, '.', '_', '-'; at most 40)",
        )
    return code


# How a refusal names a unit by the part it plays ("Đơn vị cấp trên Huyện ủy …").
_ROLE_NOT_ALIVE = {
    "unit": gettext_noop("%(unit)s không tồn tại vào ngày %(day)s."),
    "parent": gettext_noop("Đơn vị cấp trên %(unit)s không tồn tại vào ngày %(day)s."),
    "successor": gettext_noop("Đơn vị kế thừa %(unit)s không tồn tại vào ngày %(day)s."),
}


def check_alive(unit: Unit, day: dt.date, role: str = "unit") -> None:
    if not unit.is_valid_on(day):
        raise BadInput(
            f"{role}_not_alive",
            f"Đơn vị {unit.code} không tồn tại vào ngày {format_date(day)} / "
            f"{role} {unit.code} does not exist on {day.isoformat()}",
            shown=_(_ROLE_NOT_ALIVE.get(role, _ROLE_NOT_ALIVE["unit"]))
            % {"unit": unit_name(unit, day), "day": format_date(day)},
        )


def _check_parent(unit: Unit | None, parent: Unit, day: dt.date) -> None:
    check_alive(parent, day, "parent")
    if unit is not None and queries.is_descendant_or_self(parent.pk, [unit.pk], day):
        raise BadInput(
            "cycle",
            f"{parent.code} nằm trong cây của {unit.code}: không thể làm đơn vị cấp trên / "
            f"{parent.code} is inside {unit.code}'s subtree and cannot be its parent",
            shown=_(
                "%(parent)s nằm trong cây của %(unit)s nên không thể làm đơn vị cấp trên của nó."
            )
            % {"parent": unit_name(parent, day), "unit": unit_name(unit, day)},
        )


@transaction.atomic
def create_unit(
    *,
    acting_user: Actor,
    code: str,
    name: str,
    kind: UnitKind,
    valid_from: dt.date,
    parent: Unit | None = None,
    abbreviation: str = "",
    official_codes: dict[str, str] | None = None,
    note: str = "",
) -> Unit:
    """Create a unit from ``valid_from``, under ``parent``, with a CREATE event."""
    _require_parent(acting_user, parent)
    code = check_code(code)
    name = nfc(name)
    if not name:
        raise BadInput("name_required", "Tên đơn vị là bắt buộc / a unit needs a name")
    if Unit.objects.filter(code=code).exists():
        raise Conflict("duplicate_code", f"Mã đơn vị đã tồn tại / unit code already exists: {code}")
    if parent is not None:
        _check_parent(None, parent, valid_from)
    unit = _audited(Unit(code=code, valid_from=valid_from), acting_user)
    unit.save()
    _audited(
        UnitVersion(
            unit=unit,
            valid_from=valid_from,
            name=name,
            abbreviation=nfc(abbreviation),
            kind=kind,
            parent=parent,
        ),
        acting_user,
    ).save()
    for scheme, official in (official_codes or {}).items():
        OfficialCode.objects.create(unit=unit, scheme=scheme, code=official, valid_from=valid_from)
    LineageEvent.objects.create(
        kind=LineageEvent.Kind.CREATE,
        date=valid_from,
        unit=unit,
        note=note,
        created_by=_user(acting_user),
    )
    return unit


def _user(acting_user: Actor):
    return actors.user_of(acting_user)


def _open_version_on(unit: Unit, day: dt.date) -> UnitVersion:
    """The version to close at ``day``: it must be the latest and contain ``day``."""
    check_alive(unit, day)
    latest = unit.versions.order_by("-valid_from").first()
    assert latest is not None
    if latest.valid_from >= day:
        raise Conflict(
            "later_change_exists",
            f"{unit.code} đã có thay đổi từ ngày {format_date(latest.valid_from)}; chỉ ghi nhận "
            f"thay đổi sau ngày đó / {unit.code} already changed on {latest.valid_from}; "
            "record changes after that date",
            shown=_(
                "%(unit)s đã có thay đổi từ ngày %(day)s; chỉ ghi nhận được thay đổi sau ngày đó."
            )
            % {"unit": unit_name(unit, day), "day": format_date(latest.valid_from)},
        )
    return latest


@transaction.atomic
def change_unit(
    *,
    acting_user: Actor,
    unit: Unit,
    on: dt.date,
    name: str | None = None,
    abbreviation: str | None = None,
    kind: UnitKind | None = None,
    parent=_UNCHANGED,
    note: str = "",
) -> UnitVersion:
    """Rename, re-abbreviate, re-kind or move ``unit`` from ``on``: a new version, an event."""
    actors.require(acting_user, CHANGE, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    current = _open_version_on(unit, on)
    if name is not None and not nfc(name):
        raise BadInput("name_required", "Tên đơn vị là bắt buộc / a unit needs a name")
    new_parent = current.parent if parent is _UNCHANGED else parent
    if new_parent != current.parent:
        _require_parent(acting_user, new_parent)
    if new_parent is not None and new_parent != current.parent:
        _check_parent(unit, new_parent, on)
    new = UnitVersion(
        unit=unit,
        valid_from=on,
        name=nfc(name) if name is not None else current.name,
        abbreviation=nfc(abbreviation) if abbreviation is not None else current.abbreviation,
        kind=kind or current.kind,
        parent=new_parent,
        valid_to=current.valid_to,  # a unit already ended later (dissolved, merged) stays ended
    )
    moved = new.parent_id != current.parent_id
    renamed = (new.name, new.abbreviation, new.kind_id) != (
        current.name,
        current.abbreviation,
        current.kind_id,
    )
    if not (moved or renamed):
        raise BadInput("no_change", "Không có gì thay đổi / nothing to change")
    current.valid_to = on
    _audited(current, acting_user).save(update_fields=["valid_to"])
    _audited(new, acting_user).save()
    user = _user(acting_user)
    if renamed:
        LineageEvent.objects.create(
            kind=LineageEvent.Kind.RENAME, date=on, unit=unit, note=note, created_by=user
        )
    if moved:
        LineageEvent.objects.create(
            kind=LineageEvent.Kind.MOVE, date=on, unit=unit, note=note, created_by=user
        )
    return new


def _end(unit: Unit, on: dt.date, acting_user: Actor, *, allow_children: bool = False) -> None:
    current = _open_version_on(unit, on)
    if not allow_children and queries.children(unit, on):
        raise Conflict(
            "unit_has_children",
            f"{unit.code} còn đơn vị trực thuộc vào ngày {format_date(on)}: chuyển hoặc giải thể "
            f"trước / {unit.code} still has units under it on {on}: move or end them first",
            shown=_(
                "%(unit)s còn đơn vị trực thuộc vào ngày %(day)s: hãy chuyển hoặc giải thể "
                "các đơn vị đó trước."
            )
            % {"unit": unit_name(unit, on), "day": format_date(on)},
        )
    current.valid_to = on
    _audited(current, acting_user).save(update_fields=["valid_to"])
    unit.valid_to = on
    _audited(unit, acting_user).save(update_fields=["valid_to"])
    OfficialCode.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=on)


@transaction.atomic
def merge_units(
    *,
    acting_user: Actor,
    predecessors: list[Unit],
    into: Unit,
    on: dt.date,
    partial: frozenset[int] = frozenset(),
    note: str = "",
) -> LineageEvent:
    """Units ``predecessors`` end on ``on`` and continue in ``into``, alive from ``on``.

    ``into`` may be a unit created for the occasion or an existing one that absorbs the
    others. ``partial`` names the predecessors (by id) of which only a part went in;
    those are not ended (a split elsewhere ends them).
    """
    for unit in [into, *predecessors]:
        actors.require(acting_user, CHANGE, unit)
    if not predecessors:
        raise BadInput("no_predecessors", "Cần ít nhất một đơn vị bị hợp nhất / nothing to merge")
    check_alive(into, on, "successor")
    event = LineageEvent.objects.create(
        kind=LineageEvent.Kind.MERGE, date=on, unit=into, note=note, created_by=_user(acting_user)
    )
    for unit in predecessors:
        if unit == into:
            raise BadInput(
                "merge_into_self",
                f"{unit.code} không thể hợp nhất vào chính nó / "
                f"{unit.code} cannot merge into itself",
                shown=_("%(unit)s không thể hợp nhất vào chính nó.")
                % {"unit": unit_name(unit, on)},
            )
        if unit.pk not in partial:
            _end(unit, on, acting_user)
        LineageLink.objects.create(
            event=event, predecessor=unit, successor=into, is_partial=unit.pk in partial
        )
    return event


@transaction.atomic
def split_unit(
    *, acting_user: Actor, unit: Unit, into: list[Unit], on: dt.date, note: str = ""
) -> LineageEvent:
    """``unit`` ends on ``on``; each unit of ``into`` (alive from ``on``) took part of it."""
    for changed in [unit, *into]:
        actors.require(acting_user, CHANGE, changed)
    if not into:
        raise BadInput("no_successors", "Cần ít nhất một đơn vị kế thừa / no successors given")
    for successor in into:
        check_alive(successor, on, "successor")
    _end(unit, on, acting_user)
    event = LineageEvent.objects.create(
        kind=LineageEvent.Kind.SPLIT, date=on, unit=unit, note=note, created_by=_user(acting_user)
    )
    LineageLink.objects.bulk_create(
        LineageLink(event=event, predecessor=unit, successor=s, is_partial=len(into) > 1)
        for s in into
    )
    return event


@transaction.atomic
def dissolve_unit(*, acting_user: Actor, unit: Unit, on: dt.date, note: str = "") -> LineageEvent:
    """``unit`` ends on ``on`` with no successor."""
    actors.require(acting_user, CHANGE, unit)
    _end(unit, on, acting_user)
    return LineageEvent.objects.create(
        kind=LineageEvent.Kind.DISSOLVE,
        date=on,
        unit=unit,
        note=note,
        created_by=_user(acting_user),
    )


def check_agency_code(value: str) -> str:
    """``value`` as a stored agency code: trimmed, capitals; "" clears it; BadInput if malformed."""
    value = (value or "").strip().upper()
    if value and not AGENCY_CODE_RE.match(value):
        raise BadInput(
            "invalid_agency_code",
            f"Mã định danh không hợp lệ / invalid agency code: {value!r} "
            "(dạng / form 000.00.00.G22: 3, 2, 2, 3 chữ số hoặc chữ in hoa / digits or capitals)",
        )
    return value


@transaction.atomic
def set_agency_code(*, acting_user: Actor, unit: Unit, agency_code: str) -> Unit:
    """Give ``unit`` its agency identifier code (mã định danh), or clear it with "".

    CHANGE on the unit. A code another unit carries is refused (409): a package's
    OrganId must name one unit."""
    actors.require(acting_user, CHANGE, unit)
    agency_code = check_agency_code(agency_code)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if agency_code:
        holder = Unit.objects.filter(agency_code=agency_code).exclude(pk=unit.pk).first()
        if holder is not None:
            raise Conflict(
                "duplicate_agency_code",
                f"Mã định danh {agency_code} đã dùng cho {holder.code} / "
                f"agency code {agency_code} is already {holder.code}'s",
                shown=_("Mã định danh %(agency_code)s đã dùng cho %(holder)s.")
                % {"agency_code": agency_code, "holder": unit_name(holder)},
            )
    if unit.agency_code != agency_code:
        unit.agency_code = agency_code
        unit.modified = timezone.now()
        _audited(unit, acting_user).save(update_fields=["agency_code", "modified"])
    return unit
