"""Vietnam's official administrative divisions before and after the 2025 reform.

``import_divisions`` loads them from the ``vietnam_provinces`` package (2026.9.0, data of
the National Statistics Office) into units that live in time, with the lineage of the
reform of 2025-07-01. Conventions other code relies on:

- Stable codes: ``HC04-<official>`` for the pre-2025 list (QĐ 124/2004/QĐ-TTg, the
  63-province structure, valid 2008-08-01 to 2025-07-01 exclusive) and ``HC25-<official>``
  for the list of QĐ 19/2025/QĐ-TTg (valid from 2025-07-01, open). Official codes are
  zero-padded (province 2 digits, district 3, commune 5) in ``OfficialCode`` (scheme
  "gso"), valid as long as the unit.
- Provinces hang under the country (``VN``); districts under provinces; communes under
  districts before the reform and under provinces after it.
- Lineage on 2025-07-01: a ``merge`` event per new commune with a link from each old
  commune that went wholly or partly into it (partial when the conversion table marks
  the old commune as split); a ``merge`` event per new province with a link from each
  old province (partial when some of the old province's communes went elsewhere); a
  ``dissolve`` event per old district with a link to each new commune its communes went
  into (partial unless the whole district became exactly one commune); a ``dissolve``
  event without links for an old commune that has no successor in the data. Every unit
  has its ``create`` event, dated from its first day.
- The province mapping is derived from the communes as the pre-2025 list places them,
  not from the package's own province table, which carries an artefact of one
  mislabelled row (old 82 Tiền Giang listed as a source of new 80 Tây Ninh).

Audit. The history of unit changes is django-simple-history's. Measured on the whole
country (14,165 units, 14,264 links) on this project's machine:
``simple_history.utils.bulk_create_with_history`` took 7.4 s on SQLite and 8.4 s on
PostgreSQL, against 4.5 s and 5.6 s for a plain ``bulk_create`` without history; most of
the time went to the ORM preparing some 800,000 values one by one. So the rows are written
with plain INSERTs (SQLite) or COPY (PostgreSQL), and that includes the very "created"
history rows ``bulk_create_with_history`` would write for Unit and UnitVersion (type "+",
the acting user, the reason naming the package and its data date): 2.0 s and 3.0 s, with
history. An imported unit's audit trail thus reads like that of a unit created through
the services, and its ``create`` event names the source in its note.
"""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from trienkhai.common import actors
from trienkhai.common.actors import Actor
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.common.errors import BadInput
from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
from trienkhai.orgs.models import (
    LineageEvent,
    LineageLink,
    OfficialCode,
    Unit,
    UnitKind,
    UnitVersion,
)
from trienkhai.vn import fold, nfc

PRE_PREFIX = "HC04-"
POST_PREFIX = "HC25-"
SCHEME = "gso"
PRE_REFORM_START = dt.date(2008, 8, 1)
"""Hà Tây joined Hà Nội on 2008-08-01: the first day of the 63-province structure."""
REFORM = dt.date(2025, 7, 1)

KINDS: dict[str, str] = {
    "tỉnh": "province",
    "thành phố trung ương": "province",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "thành phố": "district",
    "xã": "commune",
    "phường": "ward",
    "thị trấn": "town",
    "đặc khu": "special_zone",
}
"""The package's division types → our unit kinds (orgs.kinds.STANDARD_KINDS)."""

_BATCH = 2000


def _source() -> str:
    import vietnam_provinces

    return (
        f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"
    )


class ImportSummary(TypedDict):
    """What ``import_divisions`` did: rows created now, units that were there already."""

    units_created: int
    units_existing: int
    official_codes_created: int
    events_created: int
    links_created: int
    seconds: float


@dataclass(frozen=True)
class Division:
    """One unit of the official lists, as it will be stored."""

    code: str
    official: str
    name: str
    kind: str
    parent: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass
class Plan:
    """The divisions to import and the reform's lineage among them.

    ``divisions`` holds only the selected units; ``merges`` and ``dissolves`` describe
    the whole country (by stable code), and are applied as far as their units exist.
    """

    divisions: list[Division] = field(default_factory=list)
    merges: dict[str, dict[str, bool]] = field(default_factory=dict)
    """New unit → {old unit: is_partial}."""
    dissolves: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Old unit that ended without being merged → {new unit: is_partial} (may be empty)."""


def _pre(official: int, width: int) -> str:
    return f"{PRE_PREFIX}{official:0{width}d}"


def _post(official: int, width: int) -> str:
    return f"{POST_PREFIX}{official:0{width}d}"


def _selected(provinces: Iterable[str] | None, known: set[int]) -> set[int]:
    if provinces is None:
        return set(known)
    chosen = set()
    for raw in provinces:
        text = str(raw).strip()
        if not text.isdigit() or int(text) not in known:
            raise BadInput(
                "unknown_province",
                f"Không có tỉnh mã {text!r} trong danh mục trước 01/07/2025 / "
                f"no province with code {text!r} in the pre-2025 list",
            )
        chosen.add(int(text))
    return chosen


@dataclass(frozen=True)
class _Lists:
    """The package's four lists and the old → new commune table, keyed by official code."""

    old_provinces: dict[int, Any]
    old_districts: dict[int, Any]
    old_communes: dict[int, Any]
    new_provinces: dict[int, Any]
    new_communes: dict[int, Any]
    successors: dict[int, list[tuple[int, bool]]]
    """Old commune → [(new commune, partial)]; only communes of the pre-2025 list."""

    def old_province_of(self, commune: int) -> int:
        return int(self.old_districts[int(self.old_communes[commune].district_code)].province_code)

    def new_province_of(self, commune: int) -> int:
        return int(self.new_communes[commune].province_code)


def _read_lists() -> _Lists:
    from vietnam_provinces import Province, Ward, legacy
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    old_communes = {int(w.code): w for w in legacy.Ward.iter_all()}
    new_communes = {int(w.code): w for w in Ward.iter_all()}
    # Rows naming a commune missing from the pre-2025 list (its code changed in a small
    # reorganisation early in 2025) are left out: no unit carries them.
    successors = {
        old: [
            (ref.code, bool(entry.old_ward.is_partly_merged))
            for ref in entry.new_wards
            if ref.code in new_communes
        ]
        for old, entry in OLD_TO_NEW.items()
        if old in old_communes
    }
    return _Lists(
        old_provinces={int(p.code): p for p in legacy.Province.iter_all()},
        old_districts={int(d.code): d for d in legacy.District.iter_all()},
        old_communes=old_communes,
        new_provinces={int(p.code): p for p in Province.iter_all()},
        new_communes=new_communes,
        successors={old: news for old, news in successors.items() if news},
    )


def plan(provinces: Iterable[str] | None = None) -> Plan:
    """Read the package and work out what to import (no database access).

    ``provinces``: pre-2025 official province codes ("91"); None for the whole country.
    With a selection, the post-2025 provinces that received any of the selected
    provinces' communes come along, each with all their communes.
    """
    lists = _read_lists()
    chosen = _selected(provinces, set(lists.old_provinces))
    result = Plan()

    # Communes: a merge per new commune, a link from each old commune that went into it.
    for old, news in lists.successors.items():
        for new, partial in news:
            result.merges.setdefault(_post(new, 5), {})[_pre(old, 5)] = partial

    # Provinces: an old province went wholly into a new one when all its communes that
    # have successors went, wholly or partly, only into communes of that new province.
    targets: dict[int, set[int]] = defaultdict(set)
    for old, news in lists.successors.items():
        targets[lists.old_province_of(old)].update(lists.new_province_of(n) for n, _ in news)
    for old_province, new_provinces in targets.items():
        for new_province in new_provinces:
            merge = result.merges.setdefault(_post(new_province, 2), {})
            merge[_pre(old_province, 2)] = len(new_provinces) > 1

    # Districts end; their communes' successors are theirs, wholly only if the whole
    # district (every commune, none split) became one commune.
    members: dict[int, list[int]] = defaultdict(list)
    for commune, data in lists.old_communes.items():
        members[int(data.district_code)].append(commune)
    for district in lists.old_districts:
        communes = members[district]
        into = {new for c in communes for new, _ in lists.successors.get(c, [])}
        whole = (
            len(into) == 1
            and all(c in lists.successors for c in communes)
            and not any(partial for c in communes for _, partial in lists.successors[c])
        )
        result.dissolves[_pre(district, 3)] = {_post(new, 5): not whole for new in sorted(into)}
    for commune in lists.old_communes:
        if commune not in lists.successors:
            result.dissolves[_pre(commune, 5)] = {}
    for province in lists.old_provinces:
        if province not in targets:
            result.dissolves[_pre(province, 2)] = {}

    if provinces is None:
        chosen_new = set(lists.new_provinces)
    else:
        chosen_new = {new for old in chosen for new in targets.get(old, ())}
    result.divisions = _divisions(lists, chosen, chosen_new)
    return result


def _divisions(lists: _Lists, old: set[int], new: set[int]) -> list[Division]:
    """The units of the chosen old and new provinces, parents before children."""
    found = []
    for code in sorted(old):
        data = lists.old_provinces[code]
        found.append(_division(_pre(code, 2), f"{code:02d}", data, ROOT_CODE, pre=True))
    for code, data in sorted(lists.old_districts.items()):
        province = int(data.province_code)
        if province in old:
            found.append(_division(_pre(code, 3), f"{code:03d}", data, _pre(province, 2), pre=True))
    for code, data in sorted(lists.old_communes.items()):
        if lists.old_province_of(code) in old:
            district = _pre(int(data.district_code), 3)
            found.append(_division(_pre(code, 5), f"{code:05d}", data, district, pre=True))
    for code in sorted(new):
        data = lists.new_provinces[code]
        found.append(_division(_post(code, 2), f"{code:02d}", data, ROOT_CODE, pre=False))
    for code, data in sorted(lists.new_communes.items()):
        province = lists.new_province_of(code)
        if province in new:
            found.append(
                _division(_post(code, 5), f"{code:05d}", data, _post(province, 2), pre=False)
            )
    return found


def _division(code: str, official: str, source, parent: str, *, pre: bool) -> Division:
    return Division(
        code=code,
        official=official,
        name=nfc(source.name),
        kind=KINDS[str(source.division_type)],
        parent=parent,
        valid_from=PRE_REFORM_START if pre else REFORM,
        valid_to=REFORM if pre else None,
    )


def _existing_ids() -> dict[str, int]:
    return dict(Unit.objects.filter(_ours() | Q(code=ROOT_CODE)).values_list("code", "id"))


def import_divisions(
    *,
    acting_user: Actor,
    provinces: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the official divisions before and after 2025-07-01, with their lineage.

    ``provinces``: pre-2025 official province codes to import (with the post-2025
    provinces that received them); None for the whole country. Idempotent: units whose
    code exists are left as they are, and only missing events and links are added, so a
    partial import followed by a whole one fills in the rest. One transaction: on any
    error nothing is saved. ``progress(message)`` is told what is happening.
    Raises ``BadInput("unknown_province")`` for a province code not in the pre-2025 list,
    PermissionDenied unless ``acting_user`` may add roots (MANAGE_KINDS: the provinces go
    under the country).
    """
    actors.require(acting_user, "manage_kinds")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    say("Đọc danh mục hành chính / reading the division lists ...")
    wanted = plan(provinces)
    source = _source()
    user = actors.user_of(acting_user)
    summary = ImportSummary(
        units_created=0,
        units_existing=0,
        official_codes_created=0,
        events_created=0,
        links_created=0,
        seconds=0.0,
    )
    ensure_standard_data()
    with transaction.atomic():
        # Serialises concurrent imports (PostgreSQL); SQLite's write lock already does.
        Unit.objects.select_for_update().filter(code=ROOT_CODE).first()
        ids = _existing_ids()
        fresh = [d for d in wanted.divisions if d.code not in ids]
        summary["units_existing"] = len(wanted.divisions) - len(fresh)
        if fresh:
            say(f"Tạo {len(fresh):,} đơn vị / creating {len(fresh):,} units ...")
            ids.update(_create_units(fresh, ids, source, user))
            summary["units_created"] = summary["official_codes_created"] = len(fresh)
        say("Quan hệ kế thừa ngày 01/07/2025 / lineage of 2025-07-01 ...")
        events, links = _create_lineage(wanted, ids, source, user)
        summary["events_created"] = len(fresh) + events
        summary["links_created"] = links
        if fresh or links:
            _refresh_statistics()
    summary["seconds"] = round(time.perf_counter() - started, 2)
    say(
        f"Xong / done: {summary['units_created']:,} đơn vị mới / new units, "
        f"{summary['links_created']:,} liên kết / links, {summary['seconds']} s"
    )
    return summary


def _insert(model, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts keyed by field attname, all with the same keys) into ``model``."""
    if rows:
        names = tuple(rows[0])
        insert_rows(model, names, [tuple(row[name] for name in names) for row in rows])


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows just loaded, before the commit checks them.

    The deferred foreign-key checks run at commit with plans chosen from the tables'
    statistics; planned for the near-empty tables of a fresh installation they scan
    instead of using the indexes, and a whole-country commit once took 38 s instead of
    1 s. ANALYZE counts the transaction's own rows and invalidates those plans. SQLite
    needs nothing of the kind.
    """
    if connection.vendor != "postgresql":
        return
    models = [Unit, UnitVersion, OfficialCode, LineageEvent, LineageLink]
    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in (Unit, UnitVersion)]  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _insert_history(model, rows: list[dict[str, Any]], now, reason: str, user) -> None:
    """The django-simple-history "created" rows for ``rows`` (which carry their ``id``)."""
    history = model.history.model
    kept = {f.attname for f in history._meta.concrete_fields}
    extra = {
        "history_date": now,
        "history_change_reason": reason[:100],
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    _insert(history, [{k: v for k, v in row.items() if k in kept} | extra for row in rows])


def _create_units(fresh: list[Division], ids: dict[str, int], source: str, user) -> dict[str, int]:
    """Insert units, versions, official codes, create events and history; return new ids."""
    kinds = dict(UnitKind.objects.values_list("code", "id"))
    abbreviation = ""  # the lists have none; an abbreviation belongs to a body (UBND, TU)
    now = timezone.now()
    units: list[dict[str, Any]] = [
        {
            "code": d.code,
            "valid_from": d.valid_from,
            "valid_to": d.valid_to,
            "created": now,
            "modified": now,
        }
        for d in fresh
    ]
    _insert(Unit, units)
    new_ids = {code: pk for code, pk in _existing_ids().items() if code not in ids}
    known = {**ids, **new_ids}
    for row in units:
        row["id"] = new_ids[row["code"]]
    _insert_history(Unit, units, now, source, user)

    versions: list[dict[str, Any]] = [
        {
            "unit_id": new_ids[d.code],
            "valid_from": d.valid_from,
            "valid_to": d.valid_to,
            "name": d.name,
            "abbreviation": abbreviation,
            "kind_id": kinds[d.kind],
            "parent_id": known[d.parent],
            # As UnitVersion.save() does; raw inserts do not call it.
            "search_key": fold(f"{d.name} {abbreviation} {d.code}")[:300],
        }
        for d in fresh
    ]
    _insert(UnitVersion, versions)
    fresh_ids = set(new_ids.values())
    version_ids = {
        unit_id: pk
        for pk, unit_id in UnitVersion.objects.filter(_ours("unit__")).values_list("id", "unit_id")
        if unit_id in fresh_ids
    }
    for row in versions:
        row["id"] = version_ids[row["unit_id"]]
    _insert_history(UnitVersion, versions, now, source, user)

    _insert(
        OfficialCode,
        [
            {
                "unit_id": new_ids[d.code],
                "scheme": SCHEME,
                "code": d.official,
                "valid_from": d.valid_from,
                "valid_to": d.valid_to,
            }
            for d in fresh
        ],
    )
    note = f"Danh mục hành chính / official division list: {source}"
    _insert(
        LineageEvent,
        [
            {
                "kind": LineageEvent.Kind.CREATE.value,
                "date": d.valid_from,
                "unit_id": new_ids[d.code],
                "note": note,
                "created_by_id": user.pk if user is not None else None,
                "created": now,
                "modified": now,
            }
            for d in fresh
        ],
    )
    return new_ids


def _ours(prefix: str = "") -> Q:
    return Q(**{f"{prefix}code__startswith": PRE_PREFIX}) | Q(
        **{f"{prefix}code__startswith": POST_PREFIX}
    )


def _create_lineage(wanted: Plan, ids: dict[str, int], source: str, user) -> tuple[int, int]:
    """Add the reform's merge and dissolve events and links that are missing.

    An event is added once its unit exists (a merge only once it has a link); a link
    once both its units exist. Returns (events created, links created).
    """
    reform_events = LineageEvent.objects.filter(
        _ours("unit__"),
        date=REFORM,
        kind__in=[LineageEvent.Kind.MERGE, LineageEvent.Kind.DISSOLVE],
    )

    def event_ids() -> dict[tuple[str, int], int]:
        rows = reform_events.values_list("id", "kind", "unit_id")
        return {(kind, unit_id): pk for pk, kind, unit_id in rows}

    events = event_ids()
    existing_links = set(
        LineageLink.objects.filter(event__in=reform_events).values_list(
            "event_id", "predecessor_id", "successor_id"
        )
    )
    # (event kind, event unit id) → [(predecessor id, successor id, partial)]
    wanted_links: dict[tuple[str, int], list[tuple[int, int, bool]]] = {}
    for new, olds in wanted.merges.items():
        if new not in ids:
            continue
        rows = [(ids[old], ids[new], p) for old, p in olds.items() if old in ids]
        if rows:
            wanted_links[(LineageEvent.Kind.MERGE.value, ids[new])] = rows
    for old, news in wanted.dissolves.items():
        if old in ids:
            rows = [(ids[old], ids[new], p) for new, p in news.items() if new in ids]
            wanted_links[(LineageEvent.Kind.DISSOLVE.value, ids[old])] = rows

    note = f"Sắp xếp đơn vị hành chính 2025 / 2025 reorganisation ({source})"
    now = timezone.now()
    missing = [key for key in wanted_links if key not in events]
    _insert(
        LineageEvent,
        [
            {
                "kind": kind,
                "date": REFORM,
                "unit_id": unit_id,
                "note": note,
                "created_by_id": user.pk if user is not None else None,
                "created": now,
                "modified": now,
            }
            for kind, unit_id in missing
        ],
    )
    if missing:
        events = event_ids()
    links = [
        {"event_id": events[key], "predecessor_id": pred, "successor_id": succ, "is_partial": p}
        for key, rows in wanted_links.items()
        for pred, succ, p in rows
        if (events[key], pred, succ) not in existing_links
    ]
    _insert(LineageLink, links)
    return len(missing), len(links)
