"""The blocks of a report template turned into layout blocks, each from the engine's figures.

``render(page, block, section, number)`` gives the ``layout`` blocks of one template
block: text (the edited narrative, placeholders filled), heading, figure (one indicator
in a sentence, its value bold), table (units or periods × indicators, the unit's total
from the engine — never a sum typed or re-added here), comparison (this period beside
an earlier one: change and %), completeness (a directive's answers or a form's
submissions) and chart (SVG bars by unit or a line by period, via analytics.charts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from trienkhai.analytics import charts
from trienkhai.analytics.engine import rollup
from trienkhai.documents import directives
from trienkhai.documents.models import Document
from trienkhai.documents.services import build_symbol, profile_of
from trienkhai.drafting import comparisons
from trienkhai.drafting.catalogue import TemplateError, block_key, where
from trienkhai.drafting.layout import Block, Figure, Heading, Paragraph, Run, Table, split_symbol
from trienkhai.orgs import queries
from trienkhai.reporting import services as reporting_services
from trienkhai.reporting.models import Form
from trienkhai.reporting.periods import PeriodType, containing, parse

AUTHORITY = {"T/M": "TM", "TM.": "TM", "TM": "TM", "K/T": "KT", "KT.": "KT", "KT": "KT",
             "T/L": "TL", "TL.": "TL", "TL": "TL", "TUQ.": "TUQ", "TUQ": "TUQ", "Q.": "Q"}  # fmt: skip


@dataclass
class Page:
    """What every block of one report reads (see reports.build)."""

    report: Any  # drafting.models.Report
    asked: Any  # reports.Asked
    figures: Any  # reports.Figures
    context: dict[str, Any]
    rates: dict[str, Any] = field(default_factory=dict)  # rates.Rate beside a count, by name
    registered: dict[str, Any] = field(default_factory=dict)  # registers.Reading, by name

    @property
    def status(self) -> str:
        """The figures the report counts (approved, submitted, all)."""
        return self.report.figure_status

    def fill(self, text: str, section: int, block: int, **more: Any) -> str:
        from trienkhai.drafting.reports import fill

        return fill(
            text,
            {**self.context, **more},
            template=self.report.template.code,
            section=section,
            block=block,
        )


def render(page: Page, block: dict, section: int, number: int) -> list[Block]:
    return RENDERERS[block["kind"]](page, block, section, number)


_TABLE = re.compile(r"^(Biểu)\s+\d+(?=\s*[.:])")
_CHART = re.compile(r"^(Biểu đồ)\s+\d+(?=\s*[.:])")


def number_captions(layouts: Iterable[list[Block]]) -> list[list[Block]]:
    """The layouts with "Biểu N." and "Biểu đồ N." counted over what prints.

    A template numbers its tables and charts in their captions; a block left out (a
    comparison with nothing earlier) would leave a gap, so the number written in the
    template is replaced by the table's (or chart's) place among the printed ones."""
    counts = {_TABLE: 0, _CHART: 0}

    def numbered(pattern: re.Pattern, caption: str) -> str:
        if not pattern.match(caption):
            return caption
        counts[pattern] += 1
        return pattern.sub(rf"\g<1> {counts[pattern]}", caption, count=1)

    def renumbered(block: Block) -> Block:
        if isinstance(block, Table):
            return replace(block, caption=numbered(_TABLE, block.caption))
        if isinstance(block, Figure):
            return replace(block, caption=numbered(_CHART, block.caption))
        return block

    return [[renumbered(block) for block in layout] for layout in layouts]


# Helpers used by reports.py ----------------------------------------------------------------


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def about(summary: str) -> str:
    """A summary cited after the document: "về đẩy mạnh …" (one "về", lower-case)."""
    text = lower_first(summary.strip())
    return text if text.startswith("về ") else f"về {text}"


def directive_reference(document: Document) -> str:
    """'công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy' (the sources' way of citing)."""
    day = f"{document.date.day:02d}-{document.date.month}-{document.date.year}"
    issuer = document.issuer.latest_version().name if document.issuer else document.issuer_name
    return f"{document.type.name.lower()} số {document.symbol}, ngày {day} của {issuer}"


def authority_kind(text: str) -> Any:
    """ "T/M" or "TM." → "TM" (the layout prints it in the profile's own way)."""
    kind = AUTHORITY.get(text.strip().upper())
    if kind is None:
        raise BadSigner(text)
    return kind


class BadSigner(TemplateError):
    def __init__(self, text: str):
        super().__init__(
            "invalid_authority",
            f"Thẩm quyền ký phải bắt đầu bằng T/M, K/T, T/L, TUQ. hoặc Q.: {text!r} / the "
            f"signature's authority must start with T/M, K/T, T/L, TUQ. or Q.",
        )


def draft_code(report: Any) -> str:
    """What follows the number in the issuer's symbol: "BC/BTGHU" (Party), "BC-UBND" (State)."""
    version = report.issuer.version_on(report.date) or report.issuer.latest_version()
    symbol = build_symbol(
        profile_of(report.issuer, report.date),
        0,
        report.template.document_type,
        version.abbreviation or "…",
        "",
    )
    return split_symbol(symbol)[1]


def _number(value: Decimal | None) -> Decimal | int | None:
    """A cell value: whole numbers as int ("20.673"), others to two decimals at most."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(Decimal("0.01")).normalize()


def _label(indicator) -> str:
    return (
        f"{indicator.name} ({indicator.unit_of_measure})"
        if indicator.unit_of_measure
        else indicator.name
    )


# Blocks ------------------------------------------------------------------------------------


def _text(page: Page, block: dict, s: int, b: int) -> list[Block]:
    text = page.report.narrative.get(block_key(s, b), block["text"])
    filled = page.fill(text, s, b)
    return [Paragraph(part.strip()) for part in filled.split("\n\n") if part.strip()]


def _heading(page: Page, block: dict, s: int, b: int) -> list[Block]:
    return [Heading(page.fill(block["text"], s, b), level=int(block.get("level", 3)))]


def _figure(page: Page, block: dict, s: int, b: int) -> list[Block]:
    indicator = page.figures.indicators[block["indicator"]]
    period = page.asked.earlier(block["period"]) if block.get("period") else page.asked.text
    value = page.figures.get(indicator.code, period)
    text = block.get("text") or "{name}: {value} {measure}."
    before, marker, after = text.partition("{value}")
    more = {"name": indicator.name, "measure": indicator.unit_of_measure}
    runs = [Run(page.fill(before, s, b, **more))]
    if marker:
        runs.append(Run(charts.display(value) if value is not None else "…", bold=True))
        runs.append(Run(page.fill(after, s, b, **more)))
    return [Paragraph(runs)]


def _table(page: Page, block: dict, s: int, b: int) -> list[Block]:
    indicators = [page.figures.indicators[code] for code in block["indicators"]]
    codes = [i.code for i in indicators]
    unit = page.report.unit
    asked = page.asked
    labels = block.get("labels") or [_label(i) for i in indicators]
    if block.get("rows", "units") == "periods":
        first_header = "Kỳ báo cáo"
        periods = [p.id for p in asked.periods]
        cells = rollup(indicators=codes, periods=periods, units=[unit.code], status=page.status)
        values = {(c.indicator, c.period): c.value for c in cells if c.option == ""}
        rows = [
            [p.formal_label(), *[_number(values.get((code, p.id))) for code in codes]]
            for p in asked.periods
        ]
    else:
        first_header = "Đơn vị"
        nodes = queries.subtree(unit, asked.end, depth=1)
        cells = rollup(
            indicators=codes,
            periods=[asked.text],
            units=[n.code for n in nodes],
            status=page.status,
        )
        values = {(c.indicator, c.unit): c.value for c in cells if c.option == ""}
        rows = [
            [node.name, *[_number(values.get((code, node.code))) for code in codes]]
            for node in nodes
        ]
    if block.get("only_with_data", True):
        rows = [row for row in rows if any(cell is not None for cell in row[1:])]
    totals = None
    if block.get("totals", True):
        totals = ["Tổng cộng", *[_number(page.figures.get(code, asked.text)) for code in codes]]
    caption = page.fill(block.get("caption", ""), s, b)
    return [
        Table(
            header=[first_header, *labels],
            rows=rows,
            totals=totals,
            caption=caption,
            widths=[3, *[1.2] * len(codes)],
        )
    ]


def _comparison(page: Page, block: dict, s: int, b: int) -> list[Block]:
    """This period beside an earlier one over the same units (drafting/comparisons.py)."""
    how = block.get("with", "previous")
    current, earlier = page.asked.current_for(how), page.asked.earlier(how)
    compared = comparisons.compare(
        unit=page.report.unit,
        indicators=[page.figures.indicators[code] for code in block["indicators"]],
        current=current,
        earlier=earlier,
        status=page.status,
        totals=page.figures.get,
    )
    rows = []
    for row in compared:
        now, before = row.now, row.before
        change = now - before if now is not None and before is not None else None
        percent = (
            (change * 100 / before).quantize(Decimal("0.1"))
            if change is not None and before
            else None
        )
        rows.append(
            [_label(row.indicator), _number(now), _number(before), _number(change), percent]
        )
    if comparisons.nothing_earlier(compared):
        return []  # nothing to compare with: the block is left out rather than a column of blanks
    label_now, label_before = _period_label(current), _period_label(earlier)
    caption = page.fill(
        block.get("caption", ""), s, b, current=label_now, earlier=lower_first(label_before)
    )
    table: list[Block] = [
        Table(
            header=["Chỉ tiêu", label_now, label_before, "Tăng (+), giảm (-)", "Tỷ lệ (%)"],
            rows=rows,
            caption=caption,
            widths=[3, 1.2, 1.2, 1.2, 1],
        )
    ]
    note = comparisons.note(
        compared,
        [_label(row.indicator) for row in compared],
        page.status,
        label_now,
        lower_first(label_before),
    )
    return [*table, Paragraph(note, italic=True)] if note else table


def _period_label(text: str) -> str:
    from trienkhai.drafting.reports import Asked
    from trienkhai.reporting.periods import parse_span

    label = Asked(text, parse_span(text)).label()
    return label[:1].upper() + label[1:]


COMPLETENESS_WORDS = ("ky", "da_bao_cao")
"""The words a completeness text may use besides its counts: ``{ky}`` the period counted,
``{da_bao_cao}`` what a counted unit did, naming the source ("đã báo cáo triển khai công
văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận", the directive's answers; "đã
gửi báo cáo 6 tháng cuối năm 2020", the form's reports): "42/42" is not the count of
six-month reports when one is missing."""


def _completeness(page: Page, block: dict, s: int, b: int) -> list[Block]:
    report = page.report
    counts: dict[str, Any] | None = None
    if block.get("source", "directive") == "directive" and report.directive is not None:
        progress = directives.progress(report.directive)
        counts = {
            "done": progress.answered,
            "expected": progress.expected,
            "on_time": progress.on_time,
            "late": progress.late,
            "missing": len(progress.missing),
            "ky": page.context["period"],
            # what was counted, named: the directive's answers, not the periodic reports
            "da_bao_cao": f"đã báo cáo triển khai {directive_reference(report.directive)}",
        }
    if counts is None:
        form = _form_for(page, block, s, b)
        period = containing(page.asked.end, PeriodType(form.period_type)).id
        found = reporting_services.completeness(form, period, report.unit)
        ky = lower_label(form.period(period).formal_label())
        counts = {
            "done": found.submitted,
            "expected": found.expected,
            "on_time": found.on_time,
            "late": found.late,
            "missing": len(found.missing),
            "ky": ky,
            "da_bao_cao": f"đã gửi báo cáo {ky}",
        }
    from trienkhai.drafting.reports import Marked

    words = {key: counts.pop(key) for key in COMPLETENESS_WORDS}
    numbers = {key: Marked(Decimal(value)) for key, value in counts.items()}
    parts: list[Run] = []
    # The counts in bold, the way the sources set "42/42" apart.
    filled = page.fill(block["text"], s, b, **numbers, **words)
    for n, piece in enumerate(filled.split("\x00")):
        if piece:
            parts.append(Run(piece, bold=n % 2 == 1))
    return [Paragraph(_merge_bold(parts))]


def lower_label(label: str) -> str:
    return lower_first(label)


def _merge_bold(runs: list[Run]) -> list[Run]:
    """ "42" "/" "42" in bold next to each other become one run "42/42" when only a slash parts them."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold and (run.bold or run.text == "/"):
            merged[-1] = Run(merged[-1].text + run.text, bold=True)
        else:
            merged.append(run)
    return merged


def _form_for(page: Page, block: dict, s: int, b: int) -> Form:
    """The block's form, or the form of the report's period type owned nearest above its unit."""
    unit = page.report.unit
    if block.get("form"):
        form = Form.objects.filter(code=block["form"]).first()
    else:
        above = [uid for uid, _ in queries.ancestor_ids(unit.pk, page.asked.end)]
        # per owner, the form of the template's period type if it has one, else any of its forms
        owned = {
            f.owner_id: f
            for f in sorted(
                Form.objects.filter(owner_id__in=above),
                key=lambda f: (f.period_type == page.report.template.period_type, f.code),
            )
        }
        form = next((owned[uid] for uid in above if uid in owned), None)
    if form is None:
        raise TemplateError(
            "no_form",
            f"Không có biểu báo cáo để đếm đơn vị đã báo cáo ({where(page.report.template.code, s, b)}) / "
            f"no form to count reporting units from",
            details=[{"template": page.report.template.code, "section": s, "block": b}],
        )
    return form


def _chart(page: Page, block: dict, s: int, b: int) -> list[Block]:
    indicator = page.figures.indicators[block["indicator"]]
    unit, asked = page.report.unit, page.asked
    caption = page.fill(block.get("caption", ""), s, b, name=indicator.name)
    title = caption or indicator.name
    if block.get("by", "units") == "periods":
        periods = [p.id for p in asked.periods]
        cells = rollup(
            indicators=[indicator.code], periods=periods, units=[unit.code], status=page.status
        )
        labels = [parse(p).formal_label() for p in periods]
        svg = charts.line_chart(
            labels,
            [charts.Series(indicator.name, [c.value for c in cells if c.option == ""])],
            title=title,
            desc=f"{indicator.name} theo kỳ",
            ident=f"chart-{s}-{b}",
        )
    else:
        nodes = queries.subtree(unit, asked.end, depth=1)
        cells = rollup(
            indicators=[indicator.code],
            periods=[asked.text],
            units=[n.code for n in nodes],
            status=page.status,
        )
        values = {c.unit: c.value for c in cells if c.option == ""}
        bars = [charts.Bar(n.name, values[n.code]) for n in nodes if values.get(n.code) is not None]
        svg = charts.bar_chart(
            bars, title=title, desc=f"{indicator.name} theo đơn vị", ident=f"chart-{s}-{b}"
        )
    return [Figure(svg.encode(), kind="svg", caption=caption, width_cm=16.0)]


RENDERERS = {
    "text": _text,
    "heading": _heading,
    "figure": _figure,
    "table": _table,
    "comparison": _comparison,
    "completeness": _completeness,
    "chart": _chart,
}
