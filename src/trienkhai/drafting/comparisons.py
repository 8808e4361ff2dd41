"""Two periods compared over the same units (issue 14, decision 0047).

A draft counts the figures of the reports at its review level (approved by default,
decision 0020). Compared as totals, a period whose reports are not all in reads as a
decline: "Hội nghị học tập, quán triệt 38 so với 42, −9,5 %" in the demo's 2020S2
review, while four of the 42 units' reports of that half-year were not approved yet —
each unit holds one conference a half-year. The change of a figure is only a change
when both figures are over the same units.

So a comparison is like with like: for each indicator, the units expected to report it
(on the forms holding it or its formula's inputs, within the report's unit) whose
reports are counted in **both** periods (every report of the form's periods within
each), and each figure is the total of those units: the engine's total of each unit,
added up. The note under the table (``note``) says how many units that is and how many
of the expected units each period counts: "Số liệu so sánh của 38 đơn vị có báo cáo
được duyệt ở cả hai kỳ (6 tháng cuối năm 2020: 38/42 đơn vị; 6 tháng đầu năm 2020:
42/42 đơn vị)." A clerk reads the same units' 38 and 38, not a fall of 9,5 %, and is
told what is left out.

- When every expected unit is counted in both periods, and they are the same units, the
  figures are the report's totals (the engine's, as everywhere) and nothing is added.
- A counted figure (decision 0039) is the register's, complete by construction: its
  totals are compared as they are.
- The units' totals are added up only where that is the total: an indicator summed or
  taking each unit's last value, none of the units inside another; a formula is worked
  out from its inputs added up so. Otherwise the row is left blank and the note says it
  cannot be compared over those units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trienkhai.analytics import spans
from trienkhai.analytics.engine import bounded, rollup
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.reporting import formulas, statuses
from trienkhai.reporting.models import Form, FormIndicator, Indicator, Submission
from trienkhai.reporting.periods import Period, parse, parse_span

ADDITIVE = {Indicator.Aggregation.SUM, Indicator.Aggregation.LAST}
"""Indicators whose units' totals add up to the total of the units together."""
REPORTED = {
    "approved": "có báo cáo được duyệt",
    "submitted": "đã gửi báo cáo",
    "all": "có số liệu",
}
"""What a counted unit did, at each review level: the document's words."""


@dataclass(frozen=True)
class Side:
    """Who reports an indicator in one period (or span) of a comparison."""

    expected: frozenset[int]  # unit ids expected to report it
    counted: frozenset[int]  # those whose every report of it is counted


@dataclass(frozen=True)
class Row:
    """One indicator compared: the two figures and the units they are over."""

    indicator: Indicator
    now: Decimal | None
    before: Decimal | None
    sides: tuple[Side, Side] | None = None
    """None: the totals, complete (or counted from a register)."""
    common: int = 0  # units counted in both periods, the figures' units
    comparable: bool = True  # False: the units' figures do not add up, left blank

    @property
    def scope(self) -> tuple | None:
        """What the note says of this row (rows with one scope share a sentence)."""
        if self.sides is None:
            return None
        now, before = self.sides
        return (
            self.comparable,
            self.common,
            len(now.counted),
            len(now.expected),
            len(before.counted),
            len(before.expected),
        )


class _Reports:
    """Who is expected to report and whose reports are counted, per form and period,
    within the report's unit, asked once each."""

    def __init__(self, unit: Any, status: str | None):
        self.unit = unit
        self.counted_statuses = statuses.statuses_counted(status)
        self._below: dict[dt.date, dict[int, queries.Node]] = {}
        self._of: dict[tuple[int, str], tuple[set[int], set[int]]] = {}

    def below(self, day: dt.date) -> dict[int, queries.Node]:
        if day not in self._below:
            self._below[day] = {n.unit_id: n for n in queries.subtree(self.unit, day)}
        return self._below[day]

    def of(self, form: Form, period: Period) -> tuple[set[int], set[int]]:
        """(expected, counted) unit ids of ``form`` for ``period`` within the unit."""
        key = (form.pk, period.id)
        if key not in self._of:
            from trienkhai.reporting.services import expected_codes

            below = self.below(period.end)
            expected = {uid for uid in expected_codes(form, period) if uid in below}
            counted = set(
                Submission.objects.filter(
                    form=form,
                    period=period.id,
                    unit_id__in=sorted(expected),
                    status__in=sorted(self.counted_statuses),
                ).values_list("unit_id", flat=True)
            )
            self._of[key] = (expected, counted)
        return self._of[key]

    def side(self, forms: list[Form], asked: str) -> Side:
        """The units expected to report ``forms`` in the period or span ``asked``, and
        those whose every report of them there is counted."""
        within = spans.asked(asked).within
        expected: set[int] = set()
        missing: set[int] = set()
        for form in forms:
            for period in _periods(form, within):
                wanted, counted = self.of(form, period)
                expected |= wanted
                missing |= wanted - counted
        return Side(frozenset(expected), frozenset(expected - missing))


def _periods(form: Form, within: Iterable[str]) -> list[Period]:
    """The periods of ``form``'s type among the stored period ids ``within``."""
    found = []
    for period_id in sorted(within):
        try:
            period = parse(period_id, form.calendar)
        except BadInput:
            continue
        if period.type == form.period_type:
            found.append(period)
    return found


def _end(text: str) -> dt.date:
    return parse_span(text)[-1].end


def _inputs(indicator: Indicator, known: dict[str, Indicator]) -> list[Indicator]:
    """The stored indicators ``indicator`` is made of (itself when stored)."""
    if not indicator.is_derived:
        return [indicator]
    codes = formulas.names(indicator.formula)
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes - set(known))}
    known.update(found)
    return [x for code in sorted(codes) for x in _inputs(known[code], known)]


def compare(
    *,
    unit: Any,
    indicators: list[Indicator],
    current: str,
    earlier: str,
    status: str | None,
    totals: Callable[[str, str], Decimal | None],
) -> list[Row]:
    """Each of ``indicators`` in ``current`` and ``earlier`` over the units counted in
    both (see the module); ``totals(code, period)``: the report unit's totals."""
    reports = _Reports(unit, status)
    known = {i.code: i for i in indicators}
    made_of = {i.code: _inputs(i, known) for i in indicators}
    holding: dict[int, set[str]] = {}
    codes = {x.code for inputs in made_of.values() for x in inputs}
    for form_id, code in FormIndicator.objects.filter(indicator__code__in=codes).values_list(
        "form_id", "indicator__code"
    ):
        holding.setdefault(form_id, set()).add(code)
    forms = {f.pk: f for f in Form.objects.filter(pk__in=list(holding))}
    rows: list[Row] = []
    partial: dict[str, tuple[Side, Side, frozenset[int]]] = {}
    for indicator in indicators:
        inputs = made_of[indicator.code]
        its_forms = [
            forms[pk]
            for pk in sorted(holding)
            if holding[pk] & {x.code for x in inputs if not x.source}
        ]
        if any(x.source for x in inputs) or not its_forms:
            # a register's figure (complete), or nobody is expected to report it
            rows.append(
                Row(indicator, totals(indicator.code, current), totals(indicator.code, earlier))
            )
            continue
        now, before = reports.side(its_forms, current), reports.side(its_forms, earlier)
        if now.counted == now.expected == before.counted == before.expected:
            rows.append(
                Row(indicator, totals(indicator.code, current), totals(indicator.code, earlier))
            )
            continue
        partial[indicator.code] = (now, before, now.counted & before.counted)
        rows.append(Row(indicator, None, None))
    if not partial:
        return rows
    nodes = {**reports.below(_end(earlier)), **reports.below(_end(current))}
    values = _units_values(nodes, partial, made_of, current, earlier, status)
    return [
        _row(row, partial[code], made_of[code], values, nodes, (current, earlier))
        if (code := row.indicator.code) in partial
        else row
        for row in rows
    ]


def _units_values(
    nodes: dict[int, queries.Node],
    partial: dict[str, tuple[Side, Side, frozenset[int]]],
    made_of: dict[str, list[Indicator]],
    current: str,
    earlier: str,
    status: str | None,
) -> dict[tuple[str, str, int], Decimal]:
    """(code, period, unit id) → the engine's total of each unit counted in both
    periods, for the stored inputs of every partial row: one rollup."""
    ids = sorted({uid for *_, common in partial.values() for uid in common})
    if not ids:
        return {}
    code_of = {uid: nodes[uid].code for uid in ids if uid in nodes}
    id_of = {code: uid for uid, code in code_of.items()}
    codes = sorted({x.code for code in partial for x in made_of[code]})
    cells = rollup(indicators=codes, periods=[current, earlier], units=sorted(id_of), status=status)
    return {
        (c.indicator, c.period, id_of[c.unit]): c.value
        for c in cells
        if c.option == "" and c.value is not None
    }


def _nested(units: frozenset[int], nodes: dict[int, queries.Node]) -> bool:
    """Whether one of ``units`` lies inside another (their totals would count it twice)."""
    by_code = {n.code: n for n in nodes.values()}
    for uid in units:
        node = nodes.get(uid)
        while node is not None and node.parent is not None:
            node = by_code.get(node.parent)
            if node is not None and node.unit_id in units:
                return True
    return False


def _row(
    row: Row,
    scope: tuple[Side, Side, frozenset[int]],
    inputs: list[Indicator],
    values: dict[tuple[str, str, int], Decimal],
    nodes: dict[int, queries.Node],
    periods: tuple[str, str],
) -> Row:
    now, before, common = scope
    indicator = row.indicator
    addable = all(x.aggregation in ADDITIVE and not x.is_derived for x in inputs)
    if not addable or _nested(common, nodes):
        return Row(indicator, None, None, (now, before), len(common), comparable=False)

    def total(period: str) -> Decimal | None:
        sums: dict[str, Decimal | None] = {}
        for x in inputs:
            given = [values[(x.code, period, u)] for u in common if (x.code, period, u) in values]
            sums[x.code] = sum(given, Decimal(0)) if given else None
        if not indicator.is_derived:
            return sums[indicator.code]
        return bounded(
            formulas.evaluate(indicator.formula, lambda n, o: sums.get(n) if not o else None)
        )

    return Row(indicator, total(periods[0]), total(periods[1]), (now, before), len(common))


def nothing_earlier(rows: list[Row]) -> bool:
    """Whether the earlier period has nothing to compare with: no figure, and no unit
    expected to report one (the block is then left out, not a column of blanks)."""
    return all(
        row.before is None and (row.sides is None or not row.sides[1].expected) for row in rows
    )


def note(rows: list[Row], labels: list[str], status: str | None, now: str, before: str) -> str:
    """The words under the table: the units each row's figures are over, when not every
    expected unit is counted in both periods ("" otherwise). ``labels``: the rows'
    labels; ``now``, ``before``: the periods in words, as the table's header."""
    scopes = [row.scope for row in rows]
    shown = [scope for scope in dict.fromkeys(scopes) if scope is not None]
    reported = REPORTED[statuses.name_of(statuses.level(status))]
    sentences = []
    for scope in shown:
        comparable, common, now_counted, now_expected, before_counted, before_expected = scope
        counts = (
            f"{now}: {now_counted}/{now_expected} đơn vị; "
            f"{before}: {before_counted}/{before_expected} đơn vị"
        )
        if not common:
            text = f"không có đơn vị nào {reported} ở cả hai kỳ ({counts}), nên chưa so sánh được"
        elif comparable:
            text = f"số liệu so sánh của {common} đơn vị {reported} ở cả hai kỳ ({counts})"
        else:
            text = (
                f"không so sánh được trên {common} đơn vị {reported} ở cả hai kỳ ({counts}): "
                "số liệu của các đơn vị này không cộng lại được"
            )
        if len(shown) > 1 or None in scopes:
            named = ", ".join(label for label, s in zip(labels, scopes, strict=True) if s == scope)
            text = f"{named}: {text}"
        sentences.append(text[:1].upper() + text[1:] + ".")
    return " ".join(sentences)
