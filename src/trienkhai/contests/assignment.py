"""Judges to entries as a min-cost flow (networkx; decision 0052).

Entries whose units have the same conflicted judges are alike for the solver, so the
network has one node per such group, not per entry: source → group (capacity k × the
group's entries) → judge (capacity the group's entries: a judge reads an entry once;
no arc to a conflicted judge) → sink. A judge's arc to the sink holds their cap, or a
fair share of the readings the capped judges leave when they have none, at no cost; a judge without a cap
has a second, costly arc past their fair share, so load spreads before it piles up.
The flow is then dealt out within each group round-robin: a judge's readings of a group
are consecutive slots, at most one per entry, so no entry gets a judge twice.
An entry left with fewer than k judges is unassigned and keeps none of them.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

OVERFLOW_COST = 1_000
"""What one reading past a judge's fair share costs, against 1 for any reading."""


@dataclass
class Result:
    pairs: list[tuple[int, int]] = field(default_factory=list)
    """(entry id, judge id) of every assignment."""
    unassigned: list[int] = field(default_factory=list)
    """Entry ids that could not get k judges."""


def solve(
    *,
    entries: list[tuple[int, int]],
    judges: dict[int, int | None],
    per_entry: int,
    conflicted: dict[int, frozenset[int]],
    entry_conflicts: dict[int, frozenset[int]] | None = None,
) -> Result:
    """Assign ``per_entry`` distinct judges to each of ``entries`` ((entry id, unit id)).

    ``judges`` maps a judge id to their cap (None: no cap); ``conflicted`` maps a unit id
    to the judges who may not read its entries, ``entry_conflicts`` an entry id to more
    (a judge's declared conflict with that entry).
    """
    groups: dict[frozenset[int], list[int]] = defaultdict(list)
    extra = entry_conflicts or {}
    for entry, unit in sorted(entries):
        key = conflicted.get(unit, frozenset())
        if entry in extra:
            key = key | extra[entry]
        groups[key].append(entry)
    result = Result()
    if not entries:
        return result
    needed = per_entry * len(entries)
    # A judge without a cap takes an even share of what the capped ones leave.
    capped = sum(cap for cap in judges.values() if cap is not None)
    free = sum(1 for cap in judges.values() if cap is None)
    fair = math.ceil(max(needed - capped, 0) / free) if free else 0
    graph = nx.DiGraph()
    keys = list(groups)
    for g, key in enumerate(keys):
        members = groups[key]
        graph.add_edge("source", ("g", g), capacity=per_entry * len(members), weight=0)
        for judge in judges:
            if judge not in key:
                graph.add_edge(("g", g), ("j", judge), capacity=len(members), weight=1)
    for judge, cap in judges.items():
        if cap is not None:
            graph.add_edge(("j", judge), "sink", capacity=cap, weight=0)
        else:
            graph.add_edge(("j", judge), "sink", capacity=fair, weight=0)
            graph.add_edge(("j", judge), ("over", judge), capacity=needed, weight=OVERFLOW_COST)
            graph.add_edge(("over", judge), "sink", capacity=needed, weight=0)
    if "sink" not in graph or "source" not in graph:
        result.unassigned = sorted(e for e, _ in entries)
        return result
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    for g, key in enumerate(keys):
        members = groups[key]
        given: dict[int, list[int]] = defaultdict(list)
        slot = 0
        for judge in sorted(judges):
            for _ in range(flow[("g", g)].get(("j", judge), 0)):
                given[members[slot % len(members)]].append(judge)
                slot += 1
        for entry in members:
            chosen = given.get(entry, [])
            if len(chosen) == per_entry:
                result.pairs.extend((entry, j) for j in chosen)
            else:
                result.unassigned.append(entry)
    result.unassigned.sort()
    return result
