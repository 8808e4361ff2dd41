"""A template figure read from a register when no report typed it (decision 0047).

A template's figure may name, beside the typed indicator it reads, the register that
counts the same thing (decision 0039: indicators whose ``source`` names a register)::

    [figures.so_ban_dang_ky]
    indicator = "ban_dang_ky_tu_duong"
    register = "act_pledges_submitted"
    kept = "act_pledges_expected"
    note = " theo sổ đăng ký năm {year}"

The typed figure prints when the report's unit has one for the period, at the report's
review level. Without one — the form leaves the cell empty that half-year (pledges are
written once a year and Vĩnh Thuận types them in the first half), or the form's cell is
the register's own, counted and never typed — the register's figure prints:

- ``register``: a counted indicator, or a formula over counted indicators
  (``act_pledges_submitted * 100 / act_pledges_expected``), for the same unit and
  period, as the engine counts it (the pledge register reads the lists of the period's
  year as they stood on its last day: decision 0041);
- ``kept``: a counted indicator saying whether the register holds anything for the unit
  and period. At 0 the register is silent (a unit that keeps no lists has not "0
  pledges") and the placeholder prints "…" as before;
- ``note``: what ``{nguon_<name>}`` prints when the register was read (filled like a
  text: ``{year}``, ``{period}``); nothing when the typed figure was.

A rate printed beside counts (``drafting.rates``) reads its register exactly when one
of those counts did, so that the rate and its count come from one source: never the
register's pledges over the members typed by the units that happened to report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from trienkhai.analytics.engine import bounded
from trienkhai.drafting.catalogue import register_codes
from trienkhai.reporting import formulas

SOURCE_PREFIX = "nguon_"
"""``{nguon_so_ban_dang_ky}``: the words naming the register a figure was read from."""


@dataclass(frozen=True)
class Reading:
    """What a figure with a register prints, and where it comes from."""

    name: str  # the placeholder: "so_ban_dang_ky"
    period: str  # the period id or span it reads
    value: Decimal | None
    from_register: bool
    register: str  # the spec's register (a code or a formula)


def read(
    name: str,
    spec: dict,
    period: str,
    totals: Callable[[str, str], Decimal | None],
    *,
    follow: bool | None = None,
) -> Reading:
    """What the figure ``name`` prints for ``period``: its indicator's total, or the
    register's (``totals(code, period)``: the engine's figure of a code for the report's
    unit). ``follow``: True or False to read the register or not whatever the typed
    total is (a rate following its counts), None to read it only when there is none."""
    typed = totals(spec["indicator"], period)
    register = spec.get("register", "")
    wanted = (typed is None) if follow is None else follow
    if not register or not wanted:
        return Reading(name, period, typed, False, register)
    if spec.get("kept") and not totals(spec["kept"], period):
        return Reading(name, period, typed if follow is None else None, False, register)

    def value_of(code: str, option: str | None) -> Decimal | None:
        return totals(code, period) if not option else None

    value = bounded(formulas.evaluate(register, value_of))
    return Reading(name, period, value, True, register)


def readings(
    definition: dict,
    specs: Mapping[str, tuple[str, str]],
    totals: Callable[[str, str], Decimal | None],
    made_of: Mapping[str, list[str]],
) -> dict[str, Reading]:
    """Every figure of the template that names a register, read (see the module).

    ``specs``: placeholder → (indicator code, period) (``rates.figure_specs``);
    ``totals(code, period)``: the engine's total for the report's unit; ``made_of``: the
    rate placeholders beside counts → the counts they are made of (``drafting.rates``):
    such a rate reads its register when one of them did, and only then."""
    figures = definition.get("figures") or {}
    found: dict[str, Reading] = {}
    with_register = {name for name, spec in figures.items() if register_codes(spec)}
    for name in sorted(with_register - set(made_of)):
        found[name] = read(name, figures[name], specs[name][1], totals)
    for name in sorted(with_register & set(made_of)):
        follow = any(found[n].from_register for n in made_of[name] if n in found)
        found[name] = read(name, figures[name], specs[name][1], totals, follow=follow)
    return found
