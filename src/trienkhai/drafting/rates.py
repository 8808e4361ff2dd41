"""A rate printed beside the count it is made of, over the same units as the count.

A template may print a count and a rate derived from it side by side: "{so_ban_dang_ky}
bản, đạt {ty_le_dang_ky}% số đảng viên" (pledges, then pledges × 100 / members). The
engine computes the rate from the unit's two totals, each over the units that reported
it: when one of 39 units had reported its pledges, the count was that unit's (145) and
the rate divided it by the members of all 39 (7,15 %), a sentence about two scopes.

Here such a rate (a placeholder whose indicator is derived and whose formula reads the
indicator of another placeholder of the template, for the same period) is computed over
the report unit's direct units that gave every input of its formula, which are the
count's units; ``{pham_vi_<rate>}`` gives the words that say so (" của 1/39 đơn vị có đủ
số liệu", empty when every reporting unit gave every input, and the rate is then the
engine's unchanged). The inputs' totals are the engine's for each direct unit; their
sum is used only when it is the unit's total (inputs summed or "last", no figure of the
unit's own); otherwise the rate is left "…" and the warning says why.

A rate read from a register with its count (``drafting.registers``: the pledges over the
members on the year's lists) is over the units the register holds lists for
(``over_the_lists``): when a unit gave its members in its report but has no list, the
words say so (" của 1/2 đơn vị có đủ số liệu"), rather than "100% số đảng viên" reading
as every member of the district (decision 0047, 2026 addendum).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from trienkhai.analytics.engine import bounded, rollup
from trienkhai.orgs import queries
from trienkhai.reporting import formulas
from trienkhai.reporting.models import Indicator

ADDITIVE = {Indicator.Aggregation.SUM, Indicator.Aggregation.LAST}
"""Inputs whose direct units' totals add up to the unit's."""
SCOPE_PREFIX = "pham_vi_"
"""``{pham_vi_ty_le_dang_ky}``: the words naming the units a rate is over."""


@dataclass(frozen=True)
class Rate:
    """A rate placeholder and what it is computed over."""

    name: str  # the placeholder: "ty_le_dang_ky"
    indicator: str  # its indicator's code
    period: str  # the period id or span it reads
    made_of: list[str]  # the figure placeholders it is made of: ["so_dang_vien", "so_ban_dang_ky"]
    value: Decimal | None  # what prints
    over: list[str] = field(default_factory=list)
    """Names of the direct units it is over, when not all reporting units are."""
    lacking: list[str] = field(default_factory=list)
    """Names of the direct units that reported some of its inputs but not all."""
    computed: bool = True  # False: over fewer units but not computable (value None)
    from_register: bool = False  # read from a register, over the units it holds lists for

    @property
    def is_partial(self) -> bool:
        return bool(self.lacking)

    def words(self) -> str:
        """What ``{pham_vi_<rate>}`` prints: the document's words, always Vietnamese."""
        if not self.is_partial:
            return ""
        return f" của {len(self.over)}/{len(self.over) + len(self.lacking)} đơn vị có đủ số liệu"


def figure_specs(definition: dict, asked: Any) -> dict[str, tuple[str, str]]:
    """Each figure placeholder of a template: (indicator code, period id or span)."""
    found = {}
    for name, spec in (definition.get("figures") or {}).items():
        code = spec if isinstance(spec, str) else spec["indicator"]
        how = "" if isinstance(spec, str) else spec.get("period", "")
        found[name] = (code, asked.earlier(how) if how else asked.text)
    return found


def beside_counts(
    definition: dict, asked: Any, indicators: dict[str, Indicator]
) -> dict[str, tuple[str, str, list[str]]]:
    """The rate placeholders made of a count placeholder: name → (code, period, counts)."""
    specs = figure_specs(definition, asked)
    found = {}
    for name, (code, period) in specs.items():
        indicator = indicators[code]
        if not indicator.is_derived:
            continue
        inputs = formulas.names(indicator.formula)
        counts = [
            other
            for other, (other_code, other_period) in specs.items()
            if other != name
            and other_period == period
            and other_code in inputs
            and not indicators[other_code].is_derived
        ]
        if counts:
            found[name] = (code, period, counts)
    return found


def scoped_rates(
    *,
    definition: dict,
    unit: Any,
    asked: Any,
    indicators: dict[str, Indicator],
    engine_value: Any,
    status: str | None,
) -> dict[str, Rate]:
    """Every rate placeholder beside a count, over the count's units (see the module).

    ``engine_value(code, period)``: the engine's total for the report's unit."""
    wanted = beside_counts(definition, asked, indicators)
    if not wanted:
        return {}
    children = queries.subtree(unit, asked.end, depth=1)
    found = {}
    for name, (code, period, counts) in wanted.items():
        rate = Rate(name, code, period, counts, engine_value(code, period))
        if children:
            rate = _over_the_count_units(rate, indicators[code], unit, children, status)
        found[name] = rate
    return found


def over_the_lists(
    rate: Rate,
    value: Decimal | None,
    *,
    kept: str,
    indicator: Indicator,
    unit: Any,
    day: Any,
    status: str | None,
) -> Rate:
    """``rate`` read from a register (``value``), over the report unit's direct units on
    ``day`` the register holds something for (``kept`` above 0), among those that do or
    gave any input of the rate's typed ``indicator``: ``lacking`` names the units that
    typed an input (their members) and have no list."""
    rate = replace(rate, value=value, over=[], lacking=[], computed=True, from_register=True)
    children = queries.subtree(unit, day, depth=1)
    if not children:
        return rate
    inputs = sorted(formulas.names(indicator.formula))
    cells = rollup(
        indicators=[*inputs, kept],
        periods=[rate.period],
        units=[c.code for c in children],
        status=status,
    )
    # a register counts 0 for a unit it holds nothing for; a typed 0 is a figure given
    given = {
        (c.indicator, c.unit)
        for c in cells
        if c.option == "" and c.value is not None and (c.value or c.indicator != kept)
    }
    held = [c for c in children if (kept, c.code) in given]
    reporting = [c for c in children if c in held or any((i, c.code) in given for i in inputs)]
    if len(held) == len(reporting):
        return rate
    return replace(
        rate, over=[c.name for c in held], lacking=[c.name for c in reporting if c not in held]
    )


def _over_the_count_units(
    rate: Rate, indicator: Indicator, unit: Any, children: list, status: str | None
) -> Rate:
    inputs = sorted(formulas.names(indicator.formula))
    cells = rollup(
        indicators=inputs,
        periods=[rate.period],
        units=[unit.code, *(c.code for c in children)],
        status=status,
    )
    values: dict[tuple[str, str], Decimal] = {
        (c.indicator, c.unit): c.value for c in cells if c.option == "" and c.value is not None
    }
    reporting = [c for c in children if any((i, c.code) in values for i in inputs)]
    over = [c for c in reporting if all((i, c.code) in values for i in inputs)]
    if len(over) == len(reporting):
        return rate  # every unit that reported gave every input: the engine's rate
    if not over:
        # No unit gave every input: no figure beside it to share units with, no rate.
        return replace(rate, value=None)
    lacking = [c.name for c in reporting if c not in over]
    names = [c.name for c in over]
    kinds = {i.code: i for i in Indicator.objects.filter(code__in=inputs)}
    sums: dict[str, Decimal | None] = {}
    for code in inputs:
        given = [values[(code, c.code)] for c in reporting if (code, c.code) in values]
        kind = kinds.get(code)
        if (
            kind is None
            or kind.is_derived
            or kind.aggregation not in ADDITIVE
            or values.get((code, unit.code)) != sum(given, Decimal(0))
        ):
            # The unit's total is not the sum of its direct units' (its own figure, a
            # figure standing for the units below, an average): not computable here.
            return replace(rate, value=None, over=names, lacking=lacking, computed=False)
        sums[code] = sum((values[(code, c.code)] for c in over), Decimal(0)) if over else None

    def lookup(name: str, option: str | None) -> Decimal | None:
        return sums.get(name) if not option else None

    value = bounded(formulas.evaluate(indicator.formula, lookup))
    return replace(rate, value=value, over=names, lacking=lacking)
