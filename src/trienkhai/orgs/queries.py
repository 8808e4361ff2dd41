"""Reads of the hierarchy in time. Every function takes the date it answers for.

The hierarchy is a set of ``UnitVersion`` rows (unit, parent, valid_from, valid_to);
the tree on a day is the versions valid that day. Walking it uses a recursive common
table expression, which SQLite and PostgreSQL both run with the same SQL.
"""

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from trienkhai.common.models import valid_on
from trienkhai.orgs.models import (
    LineageEvent,
    LineageLink,
    OfficialCode,
    Unit,
    UnitKind,
    UnitVersion,
)
from trienkhai.vn import fold, letters_key, sort_key

MAX_DEPTH = 30
"""No real hierarchy is this deep; the bound also stops a walk if a cycle ever slipped in."""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _walk(sql: str, params: list) -> list[tuple[int, int]]:
    return [(row[0], row[1]) for row in _rows(sql, params)]


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def descendant_ids(
    unit_id: int, day: dt.date, *, include_self: bool = True
) -> list[tuple[int, int]]:
    """(unit id, depth below ``unit_id``) for the subtree on ``day``, the unit itself at depth 0."""
    rows = _descendants_of([unit_id], day)
    return rows if include_self else [row for row in rows if row[1] > 0]


def subtree_ids(root_ids: Iterable[int], day: dt.date) -> set[int]:
    """Every unit in the subtrees of ``root_ids`` on ``day``, the roots included (one query)."""
    roots = sorted(set(root_ids))
    return {uid for uid, _ in _descendants_of(roots, day)} if roots else set()


def reached_ids(unit_ids: Iterable[int], root_ids: Iterable[int], day: dt.date) -> set[int]:
    """Of ``unit_ids``, those in the subtrees of ``root_ids`` on ``day``, the roots
    included: ``subtree_ids(root_ids, day) & set(unit_ids)``, walked up from a few units
    rather than down a province's ten thousand (one query)."""
    units, roots = sorted(set(unit_ids)), sorted(set(root_ids))
    if not units or not roots:
        return set()
    versions = _table(UnitVersion)
    starts, tops = ", ".join(["%s"] * len(units)), ", ".join(["%s"] * len(roots))
    return {
        start
        for start, _ in _walk(
            f"""
            WITH RECURSIVE up(start, id, depth) AS (
                SELECT unit_id, unit_id, 0 FROM {versions}
                 WHERE unit_id IN ({starts}) AND valid_from <= %s
                   AND (valid_to IS NULL OR valid_to > %s)
                UNION ALL
                SELECT up.start, v.parent_id, up.depth + 1 FROM {versions} v
                  JOIN up ON v.unit_id = up.id
                 WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
                   AND v.parent_id IS NOT NULL AND up.depth < %s
            )
            SELECT DISTINCT start, 0 FROM up WHERE id IN ({tops})
            """,
            [*units, day, day, day, day, MAX_DEPTH, *roots],
        )
    }


def _descendants_of(root_ids: list[int], day: dt.date) -> list[tuple[int, int]]:
    versions = _table(UnitVersion)
    marks = ", ".join(["%s"] * len(root_ids))
    return _walk(
        f"""
        WITH RECURSIVE sub(id, depth) AS (
            SELECT unit_id, 0 FROM {versions}
             WHERE unit_id IN ({marks}) AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
            UNION ALL
            SELECT v.unit_id, sub.depth + 1 FROM {versions} v JOIN sub ON v.parent_id = sub.id
             WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
               AND sub.depth < %s
        )
        SELECT id, depth FROM sub
        """,
        [*root_ids, day, day, day, day, MAX_DEPTH],
    )


def ancestor_ids(unit_id: int, day: dt.date) -> list[tuple[int, int]]:
    """(unit id, depth above ``unit_id``) from the unit itself (0) up to its root on ``day``."""
    versions = _table(UnitVersion)
    return _walk(
        f"""
        WITH RECURSIVE up(id, depth) AS (
            SELECT CAST(%s AS BIGINT), 0
            UNION ALL
            SELECT v.parent_id, up.depth + 1 FROM {versions} v JOIN up ON v.unit_id = up.id
             WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
               AND v.parent_id IS NOT NULL AND up.depth < %s
        )
        SELECT id, depth FROM up
        """,
        [unit_id, day, day, MAX_DEPTH],
    )


def versions_on(day: dt.date) -> QuerySet[UnitVersion]:
    """Every unit version in force on ``day``, with unit, kind and parent loaded."""
    return UnitVersion.objects.filter(valid_on(day)).select_related("unit", "kind", "parent")


def children(unit: Unit | None, day: dt.date) -> list[UnitVersion]:
    """The direct children of ``unit`` (the roots if None) on ``day``, in office order."""
    return office_order(list(versions_on(day).filter(parent=unit)))


class Place(NamedTuple):
    """Where a unit sits in the tree, as the tree stood on a day."""

    depth: int
    """Levels below the top of the tree: Việt Nam 0, a province 1, its committee 2."""
    above: tuple[str, ...]
    """The names of its ancestors, the parent first, the top of the tree left out (it
    tells no unit from another)."""


def office_order(
    versions: Iterable[UnitVersion],
    *,
    placed: bool = False,
    known: Mapping[int, Place] | None = None,
) -> list[UnitVersion]:
    """``versions`` in the order an office lists units: the one order of every unit tree
    and unit list (issue 14).

    Higher levels first (a unit nearer the top of the tree before one further down,
    when ``placed``: see ``places``), then by kind as ``UnitKind.sort_order`` ranks them
    in tens (a unit's boards, its Party committees, its agencies, then the divisions
    below it: a province's committee before its communes), then by name in Vietnamese
    collation (Đ after D, tones after letters), then by code. Children of one unit are
    all on one level: they need no ``placed``; a list drawn from several levels (search
    results, a user's units) does, and costs one query (``places``), unless the places
    are ``known`` already.
    """
    rows = list(versions)
    if known is None and placed:
        known = places(rows)
    depth = {uid: place.depth for uid, place in (known or {}).items()}
    return sorted(
        rows,
        key=lambda v: (
            depth.get(v.unit_id, 0),
            v.kind.sort_order // 10,
            sort_key(v.name),
            v.unit.code,
        ),
    )


def places(versions: Iterable[UnitVersion]) -> dict[int, Place]:
    """Where each version's unit sits, by unit id, in one query whatever the number.

    The tree is taken as it stood while the version held: today if it holds today, else
    its last day (an ended commune under its 2024 district) or its first (a rename to
    come). A unit the walk cannot place (none on that day) is left out.
    """
    today = timezone.localdate()
    seeds: dict[int, dt.date] = {}
    for v in versions:
        last = v.valid_to - dt.timedelta(days=1) if v.valid_to else None
        seeds.setdefault(v.unit_id, max(v.valid_from, min(today, last) if last else today))
    if not seeds:
        return {}
    table = _table(UnitVersion)
    alive = "v.valid_from <= up.day AND (v.valid_to IS NULL OR v.valid_to > up.day)"
    rows = _rows(
        f"""
        WITH RECURSIVE seed(unit_id, day) AS (VALUES {", ".join(["(%s, %s)"] * len(seeds))}),
        up(origin, day, id, depth) AS (
            SELECT CAST(unit_id AS BIGINT), day, CAST(unit_id AS BIGINT), 0 FROM seed
            UNION ALL
            SELECT up.origin, up.day, v.parent_id, up.depth + 1 FROM {table} v
              JOIN up ON v.unit_id = up.id
             WHERE {alive} AND v.parent_id IS NOT NULL AND up.depth < %s
        )
        SELECT up.origin, up.depth, v.name, v.parent_id FROM up JOIN {table} v ON v.unit_id = up.id
         WHERE {alive}
        """,
        [*(value for pair in seeds.items() for value in pair), MAX_DEPTH],
    )
    chains: dict[int, list[tuple[int, str, bool]]] = {}
    for origin, depth, name, parent_id in rows:
        chains.setdefault(origin, []).append((depth, name, parent_id is None))
    found = {}
    for origin, chain in chains.items():
        chain.sort()
        above = tuple(name for depth, name, is_top in chain if depth > 0 and not is_top)
        found[origin] = Place(chain[-1][0], above)
    return found


def _subtree_walk() -> str:
    """The recursive walk down from one unit on a day: params (unit id, day, day, depth limit)."""
    versions = _table(UnitVersion)
    return f"""
        WITH RECURSIVE sub(id, depth) AS (
            SELECT CAST(%s AS BIGINT), 0
            UNION ALL
            SELECT v.unit_id, sub.depth + 1 FROM {versions} v JOIN sub ON v.parent_id = sub.id
             WHERE v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
               AND sub.depth < %s
        )
    """


class Node(NamedTuple):
    """A unit as it stood on a day, as plain values: what lists and rollups need."""

    unit_id: int
    code: str
    name: str
    abbreviation: str
    kind: str
    parent: str | None
    depth: int
    valid_from: dt.date
    """The unit's life, not the version's."""
    valid_to: dt.date | None


def _day(value) -> dt.date | None:
    # SQLite hands dates back as text through a raw cursor: the few distinct days of a
    # walk of thousands of units are parsed once each.
    return _parsed_day(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=4096)
def _parsed_day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def subtree(unit: Unit, day: dt.date, *, depth: int | None = None) -> list[Node]:
    """The units under ``unit`` on ``day`` as ``Node`` rows, in one query, ordered by depth.

    ``depth`` keeps only the units that many levels below (1 = children). The fast form
    of ``descendants`` (no model objects): a province of 575 units in a few milliseconds.
    """
    versions, units, kinds = _table(UnitVersion), _table(Unit), _table(UnitKind)
    # The walk carries each row's columns (the parent's code is the row above it), so
    # the answer needs no join back over the whole unit table.
    alive = "v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)"
    sql = f"""
        WITH RECURSIVE sub(id, depth, code, name, abbreviation, kind_id, parent, valid_from, valid_to) AS (
            SELECT u.id, 0, u.code, v.name, v.abbreviation, v.kind_id, u.code, u.valid_from, u.valid_to
              FROM {versions} v JOIN {units} u ON u.id = v.unit_id
             WHERE v.unit_id = %s AND {alive}
            UNION ALL
            SELECT u.id, sub.depth + 1, u.code, v.name, v.abbreviation, v.kind_id, sub.code,
                   u.valid_from, u.valid_to
              FROM {versions} v JOIN sub ON v.parent_id = sub.id JOIN {units} u ON u.id = v.unit_id
             WHERE {alive} AND sub.depth < %s
        )
        SELECT sub.id, sub.code, sub.name, sub.abbreviation, k.code, sub.parent, sub.depth,
               sub.valid_from, sub.valid_to
          FROM sub JOIN {kinds} k ON k.id = sub.kind_id
         WHERE {"sub.depth > 0" if depth is None else "sub.depth = %s"}
         ORDER BY sub.depth, sub.code
    """
    # The walk stops at the level asked: the children of a province visit its districts,
    # not the 5,500 units below them (filtered at the end).
    bound = MAX_DEPTH if depth is None else min(depth, MAX_DEPTH)
    params: list = [unit.pk, day, day, day, day, bound, *([] if depth is None else [depth])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Node(*row[:7], _day(row[7]), _day(row[8])) for row in rows]  # type: ignore[arg-type, call-arg]


def same_tree(first: dt.date, second: dt.date) -> bool:
    """Whether no unit version began or ended after the earlier day up to the later one:
    then every walk of the tree gives the same rows on both days (one query, so that a
    walk of ten thousand units made for one day serves the other)."""
    a, b = sorted((first, second))
    changed = UnitVersion.objects.filter(
        Q(valid_from__gt=a, valid_from__lte=b) | Q(valid_to__gt=a, valid_to__lte=b)
    )
    return a == b or not changed.exists()


def descendants(unit: Unit, day: dt.date, *, depth: int | None = None) -> list[UnitVersion]:
    """The subtree of ``unit`` on ``day`` (without the unit itself), as model objects.

    Each version has ``unit``, ``kind`` and ``parent`` loaded and a ``depth`` (1 =
    child); ``depth`` keeps only the units that many levels below. Ordered by depth.
    Three queries whatever the size, and no long ``IN`` lists. Use ``subtree`` where
    plain values do: building model objects is most of the cost.
    """
    versions_table, units_table = _table(UnitVersion), _table(Unit)
    walk = _subtree_walk()
    params: list = [unit.pk, day, day, MAX_DEPTH if depth is None else min(depth, MAX_DEPTH)]
    keep = "sub.depth > 0" if depth is None else "sub.depth = %s"
    extra = [] if depth is None else [depth]
    versions = list(
        UnitVersion.objects.raw(
            f"""{walk}
            SELECT v.*, sub.depth AS depth FROM sub JOIN {versions_table} v ON v.unit_id = sub.id
             WHERE {keep} AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)
             ORDER BY sub.depth, v.unit_id""",
            [*params, *extra, day, day],
        )
    )
    in_subtree = Unit.objects.raw(
        f"{walk} SELECT u.* FROM sub JOIN {units_table} u ON u.id = sub.id", params
    )
    units = {u.pk: u for u in in_subtree}
    kinds = {k.pk: k for k in UnitKind.objects.all()}
    for version in versions:
        version.unit = units[version.unit_id]
        version.kind = kinds[version.kind_id]
        version.parent = units[version.parent_id] if version.parent_id else None
    return versions


def ancestors(unit: Unit, day: dt.date) -> list[UnitVersion]:
    """The versions of the unit's ancestors on ``day``, the root first."""
    rows = ancestor_ids(unit.pk, day)
    depth = {uid: d for uid, d in rows if d > 0}
    versions = list(versions_on(day).filter(unit_id__in=list(depth)))
    return sorted(versions, key=lambda v: -depth[v.unit_id])


def is_descendant_or_self(unit_id: int, root_ids: Iterable[int], day: dt.date) -> bool:
    roots = set(root_ids)
    return any(uid in roots for uid, _ in ancestor_ids(unit_id, day))


@dataclass(frozen=True)
class Successor:
    unit: Unit
    is_partial: bool
    """Only part of the original unit went into this one (through a split or partial merge)."""


def _follow(start: Unit, day: dt.date, *, forward: bool) -> list[Successor]:
    """Follow lineage links from ``start`` to the units alive on ``day``."""
    if start.is_valid_on(day):
        return [Successor(start, False)]
    found: dict[int, Successor] = {}
    frontier: list[tuple[int, bool]] = [(start.pk, False)]
    seen = {start.pk}
    while frontier:
        ids = [uid for uid, _ in frontier]
        partial_of = dict(frontier)
        frontier = []
        if forward:
            links = LineageLink.objects.filter(predecessor_id__in=ids, event__date__lte=day)
            links = links.select_related("successor")
            pairs = [(link.predecessor_id, link.successor, link.is_partial) for link in links]
        else:
            links = LineageLink.objects.filter(successor_id__in=ids, event__date__gt=day)
            links = links.select_related("predecessor")
            pairs = [(link.successor_id, link.predecessor, link.is_partial) for link in links]
        for origin, other, partial in pairs:
            partial = partial or partial_of[origin]
            if other.is_valid_on(day):
                previous = found.get(other.pk)
                # A unit reached both wholly and partly counts as reached wholly.
                if previous is None or (previous.is_partial and not partial):
                    found[other.pk] = Successor(other, partial)
            elif other.pk not in seen:
                seen.add(other.pk)
                frontier.append((other.pk, partial))
    return sorted(found.values(), key=lambda s: s.unit.code)


def successors(unit: Unit, day: dt.date) -> list[Successor]:
    """The units that carry ``unit`` on ``day``, following chains of merges and splits.

    The unit itself while it lives; otherwise the living units its links lead to.
    """
    return _follow(unit, day, forward=True)


def predecessors(unit: Unit, day: dt.date) -> list[Successor]:
    """The units that had become ``unit`` (or part of it) as they stood on ``day``."""
    return _follow(unit, day, forward=False)


def direct_links(unit: Unit) -> tuple[list[LineageLink], list[LineageLink]]:
    """(links from its predecessors, links to its successors), with the other units loaded."""
    before = list(LineageLink.objects.filter(successor=unit).select_related("predecessor", "event"))
    after = list(LineageLink.objects.filter(predecessor=unit).select_related("successor", "event"))
    return before, after


def absorbed_ids(unit_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """The units that went into ``unit_ids``, transitively: (wholly, partly) absorbed.

    A unit is wholly absorbed when every link on its way to ``unit_ids`` is whole (it
    merged into one of them, or into a unit that did); partly when some link on the way
    is partial (a district split between several communes). A unit reached both ways is
    wholly absorbed. One query per generation of the lineage.
    """
    whole: set[int] = set()
    part: set[int] = set()
    frontier = dict.fromkeys(unit_ids, True)  # unit -> reached wholly
    while frontier:
        links = LineageLink.objects.filter(successor_id__in=frontier).values_list(
            "predecessor_id", "successor_id", "is_partial"
        )
        reached: dict[int, bool] = {}
        for predecessor, successor, is_partial in links:
            wholly = frontier[successor] and not is_partial
            reached[predecessor] = reached.get(predecessor, False) or wholly
        frontier = {}
        for unit_id, wholly in reached.items():
            if unit_id in whole or (unit_id in part and not wholly):
                continue
            part.discard(unit_id)
            (whole if wholly else part).add(unit_id)
            frontier[unit_id] = wholly
    return whole, part


def events_of(unit: Unit) -> list[LineageEvent]:
    """Every event the unit took part in: its own, and merges or splits it was part of."""
    from django.db.models import Q

    query = Q(unit=unit) | Q(links__predecessor=unit) | Q(links__successor=unit)
    links = Prefetch(
        "links", queryset=LineageLink.objects.select_related("predecessor", "successor")
    )
    return list(LineageEvent.objects.filter(query).distinct().prefetch_related(links))


def by_official_code(code: str, day: dt.date, *, scheme: str = "gso") -> Unit | None:
    """The unit that carried the official ``code`` on ``day`` (codes are reused over time)."""
    row = (
        OfficialCode.objects.filter(valid_on(day), scheme=scheme, code=code)
        .select_related("unit")
        .first()
    )
    return row.unit if row else None


def _like(text: str) -> str:
    """``text`` inside a LIKE pattern, its wildcards taken as they are (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    text: str,
    *,
    day: dt.date | None = None,
    living_on: dt.date | None = None,
    parent: Unit | None = None,
    kind: str | None = None,
    within: Iterable[int] | None = None,
    limit: int = 50,
) -> list[UnitVersion]:
    """The ``limit`` units whose name, abbreviation or code holds the words of ``text``
    (accents and case ignored), the best first: two queries, however many match.

    With ``day``, the names in force that day; without it, any name a unit ever had,
    each unit once: with its version in force on ``living_on`` (default today) if that
    one matches, else with the latest that does. ``within``: only units under these (or
    these), as the tree stood while the version held (``policy.visible_root_ids``: what
    a user may see, ranked among itself rather than cut from the country's best).

    Best first (issue 14): the units living on ``day`` or ``living_on`` before the
    others (a 2020 commune is still found, after today's); then those whose name starts
    with the words typed, then those with a word that does ("tan hoa": Xã Tân Hòa), then
    those where each word typed starts a word, then the rest ("yen" inside "Huyện");
    then in office order (``office_order``: level, kind, name, code). The limit cuts
    that order, not the database's.
    """
    roots = None if within is None else sorted(set(within))
    if roots == []:
        return []
    on = day or living_on or timezone.localdate()
    words = [_like(word) for word in fold(text).split()]
    phrase = " ".join(words)
    versions, units, kinds = _table(UnitVersion), _table(Unit), _table(UnitKind)
    like = "LIKE %s ESCAPE '\\'"
    holds = "v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to > %s)"
    each_starts = " AND ".join([f"(' ' || v.search_key) {like}"] * len(words)) or "1 = 1"
    filters = [f"v.search_key {like}" for _ in words]
    values: list = [f"%{w}%" for w in words]
    if day is not None:
        filters.append(holds)
        values += [day, day]
    if parent is not None:
        filters.append("v.parent_id = %s")
        values.append(parent.pk)
    if kind:
        filters.append("k.code = %s")
        values.append(kind)
    matches = f"""
        SELECT v.id, v.unit_id, v.parent_id, v.name, v.valid_from, v.valid_to,
               k.sort_order / 10 AS kind_rank,
               CASE WHEN v.search_key {like} THEN 0 WHEN (' ' || v.search_key) {like} THEN 1
                    WHEN {each_starts} THEN 2 ELSE 3 END AS tier
          FROM {versions} v JOIN {kinds} k ON k.id = v.kind_id
         WHERE {" AND ".join(filters) or "1 = 1"}"""
    tiered = [f"{phrase}%", f"% {phrase}%", *(f"% {w}%" for w in words), *values]
    marks = ", ".join(["%s"] * len(roots or []))
    is_root = f"CASE WHEN {{}} IN ({marks}) THEN 1 ELSE 0 END" if roots else "1"
    # Where a unit sits is taken as the tree stood while its version held: on the day
    # searched if it held then, else its last day (a version ending at ``at`` held the
    # days before it: ``before``), else its first (a name to come). The units of one
    # parent share one walk: the 2,600 communes "xa" finds, their 34 provinces'.
    alive = """(v.valid_from < up.at OR (v.valid_from = up.at AND up.before = 0))
               AND (v.valid_to IS NULL OR v.valid_to > up.at
                    OR (v.valid_to = up.at AND up.before = 1))"""
    sql = f"""
        WITH RECURSIVE living AS ({matches} AND {holds}),
        other AS ({matches} AND NOT ({holds})),
        hit AS (
            SELECT living.*, 0 AS away, %s AS at, 0 AS before FROM living
            UNION ALL
            -- The others only when the living ones may not fill the list (all of them
            -- may be outside ``within``).
            SELECT o.*, 1,
                   CASE WHEN o.valid_to <= %s THEN o.valid_to ELSE o.valid_from END,
                   CASE WHEN o.valid_to <= %s THEN 1 ELSE 0 END
              FROM (SELECT COUNT(*) AS n FROM living) found
              JOIN other o ON found.n < %s OR %s
        ),
        up(start, at, before, id, depth, inside) AS (
            SELECT DISTINCT parent_id, at, before, parent_id, 1, {is_root.format("parent_id")}
              FROM hit WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT up.start, up.at, up.before, v.parent_id, up.depth + 1,
                   {is_root.format("v.parent_id")}
              FROM {versions} v JOIN up ON v.unit_id = up.id
             WHERE {alive} AND v.parent_id IS NOT NULL AND up.depth < %s
        ),
        placed AS (
            SELECT start, at, before, MAX(depth) AS depth, MAX(inside) AS inside FROM up
             GROUP BY start, at, before
        ),
        ranked AS (
            SELECT hit.*, COALESCE(placed.depth, 0) AS depth FROM hit
              LEFT JOIN placed ON placed.start = hit.parent_id AND placed.at = hit.at
                              AND placed.before = hit.before
             WHERE {f"hit.unit_id IN ({marks}) OR placed.inside = 1" if roots else "1 = 1"}
        ),
        best AS (
            SELECT * FROM ranked WHERE away = 0
            UNION ALL
            -- Each unit once: its version of the day, else the latest that matches.
            SELECT * FROM ranked o
             WHERE o.away = 1 AND o.unit_id NOT IN (SELECT unit_id FROM ranked WHERE away = 0)
               AND NOT EXISTS (
                   SELECT 1 FROM ranked w
                    WHERE w.unit_id = o.unit_id AND w.away = 1 AND w.valid_from > o.valid_from)
        ),
        tiers AS (SELECT away * 4 + tier AS rank, COUNT(*) AS n FROM best GROUP BY away, tier),
        cut AS (
            SELECT COALESCE(MIN(rank), 8) AS rank FROM tiers a
             WHERE (SELECT SUM(n) FROM tiers b WHERE b.rank <= a.rank) >= %s
        )
        SELECT best.away, best.tier, best.depth, best.kind_rank, best.name, u.code, best.id
          FROM best JOIN {units} u ON u.id = best.unit_id
         WHERE best.away * 4 + best.tier <= (SELECT rank FROM cut)
    """
    params = [
        *(*tiered, on, on),
        *(*tiered, on, on),
        *(on, on, on, limit, roots is not None),
        *(*(roots or []), *(roots or []), MAX_DEPTH, *(roots or [])),
        limit,
    ]
    return _loaded(_best(_rows(sql, params), limit))


def _best(found: list[tuple], limit: int) -> list[int]:
    """Of rows (away, tier, depth, kind rank, name, code, version id), the ids of the
    first ``limit`` by the first four, then in office order.

    The last of those ranks to be kept may hold thousands (the 2,600 communes "xa"
    finds): they are cut by their letters (``letters_key``: quick), and the ones left
    sorted by ``sort_key`` (tones and case may reorder ties)."""
    ranked = sorted(found, key=lambda r: r[:4])
    if len(ranked) > limit:
        last = ranked[limit - 1][:4]
        ranked = sorted(
            ((r[:4], letters_key(r[4]), r) for r in ranked if r[:4] <= last),
            key=lambda keyed: keyed[:2],
        )
        edge = ranked[limit - 1][:2]
        ranked = [r for rank, letters, r in ranked if (rank, letters) <= edge]
    ranked.sort(key=lambda r: (r[:4], sort_key(r[4]), r[5]))
    return [r[6] for r in ranked[:limit]]


def _loaded(version_ids: list[int]) -> list[UnitVersion]:
    """The versions, in this order, with unit, kind and parent loaded (one query)."""
    loaded = UnitVersion.objects.select_related("unit", "kind", "parent").in_bulk(version_ids)
    return [loaded[pk] for pk in version_ids]


def latest_versions(unit_ids: Iterable[int | None]) -> dict[int, UnitVersion]:
    """The latest version of each unit, by unit id (one query): names for links."""
    ids = {uid for uid in unit_ids if uid}
    latest: dict[int, UnitVersion] = {}
    if ids:
        versions = UnitVersion.objects.filter(unit_id__in=ids).select_related("unit", "kind")
        for version in versions.order_by("valid_from"):
            latest[version.unit_id] = version
    return latest


def with_children(unit_ids: list[int], day: dt.date) -> set[int]:
    """Which of ``unit_ids`` have at least one unit under them on ``day`` (one query)."""
    if not unit_ids:
        return set()
    rows = UnitVersion.objects.filter(valid_on(day), parent_id__in=unit_ids).order_by()
    return set(rows.values_list("parent_id", flat=True).distinct())


def change_days(unit: Unit) -> list[tuple[dt.date, dt.date]]:
    """(day before, day) for each day the set of units under ``unit`` changed."""
    rows = UnitVersion.objects.filter(parent=unit).values_list("valid_from", "valid_to")
    days = {d for pair in rows for d in pair if d is not None and d > unit.valid_from}
    return [(d - dt.timedelta(days=1), d) for d in sorted(days)]
