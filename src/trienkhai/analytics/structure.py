"""The hierarchy as the rollups see it: whose figures count towards whose total, when.

Two questions, both answered in memory from the whole ``UnitVersion`` and
``LineageLink`` tables (a national hierarchy of 100,000 units loads in well under a
second):

- **In force during the period** — a value reported by unit *u* for period *p* counts
  towards the units above *u* on *u*'s reference day for *p*: the last day of *p*
  (gregorian), or the last day of *u*'s life if *u* ended before *p* did (a district
  abolished on 01/07/2025 still totals into its province for 2025), or *u*'s first day
  if it began after *p* ended.
- **As of a date** — the value is first carried to the unit that stands for *u* on
  that date (``carrier``), then totals into that unit's ancestors on that date.

How a value is carried (docs/decisions/0013-live-rollups.md):

1. a unit alive on the date carries its own values;
2. otherwise lineage is followed (forward to successors when the date is after the
   unit's life, backward to predecessors when before): the units it went into
   *wholly* if any, else those it went into *partly* (a split);
3. one such unit carries the value; several (a split, or a merge looked at backwards)
   share it undivided: the value goes to their lowest common ancestor on the date,
   which contains all the pieces — totals stay exact, nothing is invented by dividing
   a figure by guessed shares, and nothing is counted twice;
4. a unit with no lineage (dissolved, or created from nothing) is carried like its
   parent on the nearest day of its life.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from trienkhai.orgs.models import LineageLink, Unit, UnitVersion

ONE_DAY = dt.timedelta(days=1)


@dataclass
class Structure:
    """Every unit's versions and lineage, loaded once."""

    life: dict[int, tuple[dt.date, dt.date | None]] = field(default_factory=dict)
    code: dict[int, str] = field(default_factory=dict)
    versions: dict[int, list[tuple[dt.date, dt.date | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    forward: dict[int, list[tuple[dt.date, int, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    backward: dict[int, list[tuple[dt.date, int, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _carriers: dict[tuple[int, dt.date], int | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Structure":
        self = cls()
        for uid, code, start, end in Unit.objects.values_list(
            "id", "code", "valid_from", "valid_to"
        ):
            self.life[uid] = (start, end)
            self.code[uid] = code
        rows = UnitVersion.objects.values_list("unit_id", "valid_from", "valid_to", "parent_id")
        for uid, start, end, parent in rows.order_by("unit_id", "valid_from"):
            self.versions[uid].append((start, end, parent))
        links = LineageLink.objects.values_list(
            "predecessor_id", "successor_id", "is_partial", "event__date"
        )
        for before, after, partial, day in links:
            self.forward[before].append((day, after, partial))
            self.backward[after].append((day, before, partial))
        return self

    @classmethod
    def cached(cls) -> "Structure":
        """``load``, kept in this process while the hierarchy stays the same.

        The key changes with every change of the hierarchy: each saved or deleted unit
        or version leaves a ``StaleMark`` (whose id sequence only grows, even when the
        marks are deleted or their transaction rolled back), and units, versions and
        lineage inserted in bulk change the tables' counts and largest ids. While a mark
        is pending — a change not folded in yet, perhaps this transaction's own — the
        structure is loaded afresh and not kept.
        """
        key = _hierarchy_key()
        if key is None:
            return cls.load()
        found = _cached.get(key)
        if found is None:
            found = cls.load()
            # Kept once committed: a transaction that changes the hierarchy, folds the
            # change in (no mark left) and rolls back must not leave its structure
            # behind (PostgreSQL's sequences do not roll back).
            transaction.on_commit(lambda: _keep(key, found))
        return found

    def ids(self) -> dict[str, int]:
        return {code: uid for uid, code in self.code.items()}

    def is_alive(self, unit: int, day: dt.date) -> bool:
        start, end = self.life[unit]
        return start <= day and (end is None or day < end)

    def parent(self, unit: int, day: dt.date) -> int | None:
        for start, end, parent in self.versions.get(unit, ()):
            if start <= day and (end is None or day < end):
                return parent
        return None

    def chain(self, unit: int, day: dt.date) -> list[int]:
        """The unit and its ancestors on ``day``, the unit first."""
        found = [unit]
        parent = self.parent(unit, day)
        while parent is not None and len(found) < 32:
            found.append(parent)
            parent = self.parent(parent, day)
        return found

    def reference_day(self, unit: int, period_end: dt.date) -> dt.date:
        """The day whose structure a value of ``unit`` for a period ending ``period_end`` uses."""
        start, end = self.life[unit]
        if end is not None and end <= period_end:
            return end - ONE_DAY
        return max(start, period_end)

    def lowest_common_ancestor(self, units: Iterable[int], day: dt.date) -> int | None:
        chains = [self.chain(u, day) for u in units]
        shared = set(chains[0]).intersection(*chains[1:])
        return next((u for u in chains[0] if u in shared), None)

    def carrier(self, unit: int, day: dt.date) -> int | None:
        """The unit alive on ``day`` that stands for ``unit`` (None: no unit does)."""
        key = (unit, day)
        if key not in self._carriers:
            self._carriers[key] = None  # a cycle in the data ends here rather than looping
            self._carriers[key] = self._carry(unit, day)
        return self._carriers[key]

    def _carry(self, unit: int, day: dt.date) -> int | None:
        if self.is_alive(unit, day):
            return unit
        start, end = self.life[unit]
        later = end is not None and end <= day
        found = self._follow(unit, day, later=later)
        chosen = [u for u, partial in found.items() if not partial] or list(found)
        if len(chosen) == 1:
            return chosen[0]
        if chosen:
            return self.lowest_common_ancestor(sorted(chosen), day)
        nearest = end - ONE_DAY if later and end is not None else start
        parent = self.parent(unit, nearest)
        return None if parent is None else self.carrier(parent, day)

    def _follow(self, unit: int, day: dt.date, *, later: bool) -> dict[int, bool]:
        """The units alive on ``day`` that ``unit`` went into (later) or came from: id → partly."""
        links = self.forward if later else self.backward
        found: dict[int, bool] = {}
        frontier = [(unit, False)]
        seen = {unit}
        while frontier:
            origin, partly = frontier.pop()
            for when, other, partial in links.get(origin, ()):
                if (when > day) if later else (when <= day):
                    continue
                partial = partial or partly
                if self.is_alive(other, day):
                    if other not in found or (found[other] and not partial):
                        found[other] = partial
                elif other not in seen:
                    seen.add(other)
                    frontier.append((other, partial))
        return found


_cached: dict[tuple, Structure] = {}


def _keep(key: tuple, structure: Structure) -> None:
    _cached.clear()
    _cached[key] = structure


def _hierarchy_key() -> tuple | None:
    """What changes when the hierarchy does (None: a change is pending)."""
    from django.db import connection

    from trienkhai.analytics.models import StaleMark

    quote = connection.ops.quote_name
    marks = quote(StaleMark._meta.db_table)
    parts = [f"(SELECT COUNT(*) FROM {marks})"]
    for model in (Unit, UnitVersion, LineageLink):
        table = quote(model._meta.db_table)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX(id) FROM {table})"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        counts = tuple(cursor.fetchone())
        if counts[0]:
            return None
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [StaleMark._meta.db_table])
            cursor.execute(f"SELECT last_value, is_called FROM {cursor.fetchone()[0]}")
        else:
            cursor.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = %s", [StaleMark._meta.db_table]
            )
        sequence = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], counts, sequence)


FIRST_DAY = dt.date(1900, 1, 1)


def closure_rows(
    structure: Structure, units: Iterable[int] | None = None
) -> list[tuple[int, int, int, dt.date, dt.date | None]]:
    """(descendant, ancestor, depth, valid_from, valid_to) for the chains of ``units``
    (default: every unit).

    A unit's first interval is stretched back to 1900 and its last one forward without
    end: a value of a unit for a period outside its life totals into the chain of its
    nearest day, as ``Structure.reference_day`` says.
    """
    memo: dict[int, list[tuple[dt.date, dt.date | None, tuple[int, ...]]]] = {}

    def intervals(
        unit: int, depth: int = 0
    ) -> list[tuple[dt.date, dt.date | None, tuple[int, ...]]]:
        if unit in memo:
            return memo[unit]
        found: list[tuple[dt.date, dt.date | None, tuple[int, ...]]] = []
        for start, end, parent in structure.versions.get(unit, ()):
            above = intervals(parent, depth + 1) if parent is not None and depth < 30 else []
            covered = []
            for p_start, p_end, chain in above:
                lo = max(start, p_start)
                hi = _earlier(end, p_end)
                if hi is None or lo < hi:
                    covered.append((lo, hi, (unit, *chain)))
            found.extend(covered or [(start, end, (unit,))])
        found.sort(key=lambda row: row[0])
        merged: list[tuple[dt.date, dt.date | None, tuple[int, ...]]] = []
        for row in found:
            if merged and merged[-1][2] == row[2] and merged[-1][1] == row[0]:
                merged[-1] = (merged[-1][0], row[1], row[2])
            else:
                merged.append(row)
        memo[unit] = merged
        return merged

    rows: list[tuple[int, int, int, dt.date, dt.date | None]] = []
    for unit in structure.life if units is None else units:
        spans = intervals(unit)
        for n, (start, end, chain) in enumerate(spans):
            start = FIRST_DAY if n == 0 else start
            end = None if n == len(spans) - 1 else end
            rows.extend((unit, above, depth, start, end) for depth, above in enumerate(chain))
    return rows


def _earlier(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    if a is None:
        return b
    return a if b is None else min(a, b)
