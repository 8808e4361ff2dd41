"""A derived indicator on one report: its value as the rollups give it, or why it has none.

The value is the indicator's formula (``formulas.evaluate``) over the report's values,
as ``analytics.engine`` computes it for the same unit and period: a formula reading
another derived indicator reads its value, a counted indicator (decision 0039) its
figure, and the result is rounded as the engine rounds it (4 decimals) before the page
shows 2. A blank input leaves the value missing, in the grid as in the rollup: blank is
"not entered yet", not zero, everywhere (the completeness, compulsory cells and the
review's "Ô chưa nhập" count it so), and an average over what happens to be typed so
far would be a wrong figure the moment a reporter forgets a cell. What the grid says
instead is which inputs to fill (decision 0050).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from trienkhai.common.errors import BadInput
from trienkhai.reporting import cells as rules
from trienkhai.reporting import formulas
from trienkhai.reporting.models import DataValue, Indicator
from trienkhai.reporting.services.values import lookup_from

Input = tuple[str, str | None]
"""An input of a formula: (indicator code, option code or None for the total)."""


@dataclass
class Derived:
    value: Decimal | None
    missing: list[Input] = field(default_factory=list)
    """The stored inputs left blank, in the formula's order (those of a derived input too)."""

    def shown(self, indicator: Indicator) -> str:
        """The value as the grid shows it ("" when missing): rounded to the engine's 4
        decimals, then to 2 (as analytics pages and reports show a figure), half to even."""
        if self.value is None:
            return ""
        try:
            value = self.value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # past 28 digits: nothing left to round
            value = self.value
        return rules.shown(value.normalize(), "", indicator)

    def why(self, name_of: formulas.Namer) -> str:
        """Why there is no value, for the reader ("" when there is one)."""
        if self.value is not None:
            return ""
        if self.missing:
            names = ", ".join(name_of(code, option) for code, option in self.missing)
            return _("cần nhập: %(names)s (nhập 0 nếu không có)") % {"names": names}
        return _("không tính được: phép chia cho 0")


def reachable(indicators: Iterable[Indicator]) -> dict[str, Indicator]:
    """The derived indicators among ``indicators`` (a form's) and the derived ones their
    formulas read, by code, as the engine follows them: one query per level of formulas
    reading indicators outside ``indicators``, none when the form holds them all."""
    indicators = list(indicators)
    found = {i.code: i for i in indicators if i.is_derived}
    known = {i.code for i in indicators}
    wanted = _read_by(found.values()) - known
    while wanted:
        known |= wanted
        more = {i.code: i for i in Indicator.objects.filter(code__in=wanted) if i.is_derived}
        found.update(more)
        wanted = _read_by(more.values()) - known
    return found


def _read_by(indicators: Iterable[Indicator]) -> set[str]:
    read: set[str] = set()
    for indicator in indicators:
        try:
            read |= formulas.names(indicator.formula)
        except BadInput:  # a formula that does not parse reads nothing (and is missing)
            continue
    return read


def compute(
    indicator: Indicator,
    values: Mapping[tuple[str, str], DataValue],
    others: Mapping[str, Indicator],
    figures: Mapping[tuple[str, str], Decimal] | None = None,
) -> Derived:
    """``indicator``'s value over a report's ``values`` ((code, option) → stored value).

    ``others``: the derived indicators a formula may read, by code (``reachable``);
    ``figures``: the counted indicators' figures for the report ((code, option) →
    figure, "" the total), as the grid shows them."""
    stored = lookup_from(dict(values))
    counted = figures or {}
    missing: list[Input] = []
    memo: dict[str, Decimal | None] = {}

    def lookup(code: str, option: str | None) -> Decimal | None:
        if code in others and option is None:
            if code not in memo:
                memo[code] = None  # a formula that reads itself is missing, not a loop
                memo[code] = formulas.evaluate(others[code].formula, lookup)
            return memo[code]
        found = counted.get((code, option or ""))
        if found is None:
            found = stored(code, option)
        if found is None and (code, option) not in missing:
            missing.append((code, option))
        return found

    memo[indicator.code] = None
    value = formulas.evaluate(indicator.formula, lookup)
    return Derived(value, missing if value is None else [])
