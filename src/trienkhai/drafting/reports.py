"""A report's template, unit and period turned into a ``FormalDocument`` with live figures.

``build(report)`` is the one generator: the preview page, the CLI, the API and issuing
all call it. Every number comes from ``analytics.engine.rollup`` (the engine of the
analytics views); the deployment counts from ``documents.directives.progress`` or
``reporting.services.completeness``. Nothing here writes.

Errors name what and where (``catalogue.TemplateError``, a 400): an unknown indicator
(template, section, block), a period with no data (template, unit, period), an unknown
placeholder in edited text (section, block).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from trienkhai.analytics import charts
from trienkhai.analytics.engine import rollup
from trienkhai.common.errors import BadInput
from trienkhai.drafting import blocks, rates, registers
from trienkhai.drafting.catalogue import (
    TemplateError,
    block_key,
    indicator_uses,
    where,
)
from trienkhai.drafting.layout import Block, FormalDocument, Heading, Signature
from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Indicator
from trienkhai.reporting.periods import Period, PeriodType, cadence, parse_span, span_label
from trienkhai.web.labels import local_name, unit_name

PARTY_2026 = dt.date(2026, 1, 9)
"""Quy định 399-QĐ/TW took effect: Party documents dated from then use the 2026 profile."""

_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_SPEC = re.compile(r"0?[0-9]")
"""The format a placeholder may take: a zero-padded width up to 9 ("02")."""


# Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """The period (or span) a report covers, and the earlier ones it compares with."""

    text: str
    periods: list[Period]

    @property
    def is_span(self) -> bool:
        return len(self.periods) > 1

    @property
    def last(self) -> Period:
        return self.periods[-1]

    @property
    def end(self) -> dt.date:
        return self.periods[-1].end

    def label(self) -> str:
        """'6 tháng đầu năm 2020', 'năm 2021', 'giai đoạn 2019 - 2021'."""
        first, last = self.periods[0], self.periods[-1]
        if not self.is_span:
            text = first.formal_label()
            return text[0].lower() + text[1:]
        if first.type is PeriodType.YEARLY:
            return f"giai đoạn {first.year} - {last.year}"
        return f"từ {first.formal_label().lower()} đến {last.formal_label().lower()}"

    def earlier(self, how: str) -> str:
        """The period id or span an earlier figure reads: previous, last_year, first."""
        if how == "first" and self.is_span:
            return self.periods[0].id
        if how == "last_year" and not self.is_span:
            return self.last.same_period_last_year().id
        shifted = [p for p in self.periods]
        for _ in self.periods:
            shifted = [p.previous() for p in shifted]
        return _text(shifted)

    def current_for(self, how: str) -> str:
        """What an earlier period is compared with: the last year of a span for "first"."""
        return self.last.id if how == "first" and self.is_span else self.text


def _text(periods: list[Period]) -> str:
    return periods[0].id if len(periods) == 1 else f"{periods[0].id}..{periods[-1].id}"


def asked_period(template: ReportTemplate, text: str) -> Asked:
    """The period ``text`` checked against the template's period type (400 naming both)."""
    periods = parse_span((text or "").strip())
    allows_span = bool(template.definition.get("spans"))
    if any(p.type != template.period_type for p in periods) or (
        len(periods) > 1 and not allows_span
    ):
        example = (
            "2019..2023"
            if allows_span
            else {"yearly": "2021", "sixmonthly": "2021S1"}.get(template.period_type, "2021Q3")
        )
        raise BadInput(
            "invalid_period",
            f"Kỳ {text!r} không hợp với mẫu {template.code} (kỳ {template.period_type}, ví dụ "
            f"{example}) / period {text!r} does not fit template {template.code} "
            f"({template.period_type}, e.g. {example})",
            details=[{"template": template.code, "period": text}],
            shown=gettext(
                "Kỳ “%(text)s” không hợp với mẫu “%(template)s”: mẫu báo cáo %(cadence)s, "
                "ví dụ %(example)s."
            )
            % {
                "text": text,
                "template": local_name(template),
                "cadence": cadence(template.period_type),
                "example": _example_words(example),
            },
        )
    return Asked(_text(periods), periods)


def _example_words(example: str) -> str:
    """ "2021S1 (6 tháng đầu năm 2021)": a period's id as typed, with its words."""
    try:
        return f"{example} ({span_label(parse_span(example))})"
    except BadInput:
        return example


# Placeholders ------------------------------------------------------------------------------


class Number:
    """A figure in a sentence: '20.673'; ``{x:02}`` pads below 10 ('04'); '…' when missing."""

    def __init__(self, value: Decimal | None):
        self.value = value

    def __format__(self, spec: str) -> str:
        if self.value is None:
            return "…"
        text = charts.display(self.value)
        if spec.startswith("0") and spec[1:].isdigit():
            return text.rjust(int(spec[1:]), "0")
        return text

    def __str__(self) -> str:
        return format(self, "")


class Marked(Number):
    """A number set apart ("\x00" on each side) for the caller to print in bold."""

    def __format__(self, spec: str) -> str:
        return f"\x00{super().__format__(spec)}\x00"


def fill(
    text: str, context: dict[str, Any], *, template: str, section: int | None, block: int | None
) -> str:
    """``text`` with its placeholders filled; TemplateError naming an unknown one and where."""
    try:
        parsed = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)]
        fields = [name for name, _, _ in parsed if name is not None]
    except ValueError:
        raise TemplateError(
            "invalid_text",
            f"Dấu ngoặc nhọn không khớp ({where(template, section, block)}); viết {{{{ và }}}} "
            f"cho một dấu ngoặc / unmatched brace; write {{{{ or }}}} for a literal brace",
            details=[{"template": template, "section": section, "block": block}],
        ) from None
    # A placeholder takes no format but a zero-padded width up to 9 ("{so_lop:02}"):
    # "{x:0100000000}" would print a hundred million zeros (84 bytes → an 80 MB preview).
    bad = sorted(
        {
            f"{{{name}:{spec}}}"
            for name, spec, _ in parsed
            if name is not None and spec and not _SPEC.fullmatch(spec)
        }
        | {f"{{{name}!{conv}}}" for name, _, conv in parsed if name is not None and conv}
    )
    if bad:
        raise TemplateError(
            "invalid_format",
            f"Chỉ cho phép dạng {{tên:02}} ({where(template, section, block).split(' / ')[0]}): "
            f"{', '.join(bad)} / only {{name:02}} formats are allowed: {', '.join(bad)}",
            details=[{"template": template, "section": section, "block": block}],
        )
    unknown = sorted({name for name in fields if not _FIELD.match(name) or name not in context})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        raise TemplateError(
            "unknown_placeholder",
            f"Không có chỗ điền {names} ({where(template, section, block).split(' / ')[0]}; có: "
            f"{', '.join(sorted(context))}) / unknown placeholder {names} "
            f"({where(template, section, block).split(' / ')[1]})",
            details=[
                {"template": template, "section": section, "block": block, "placeholder": name}
                for name in unknown
            ],
        )
    return text.format_map(context)


# The generator ---------------------------------------------------------------------------


@dataclass
class Figures:
    """What the blocks read: indicators by code, totals of the report's unit by period."""

    indicators: dict[str, Indicator]
    totals: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)

    def get(self, code: str, period: str) -> Decimal | None:
        return self.totals.get((code, period))


def check_indicators(template: ReportTemplate) -> dict[str, Indicator]:
    """The template's indicators; TemplateError listing each unknown one with where."""
    uses = indicator_uses(template.definition)
    found = {i.code: i for i in Indicator.objects.filter(code__in={code for code, _, _ in uses})}
    unknown = [(code, s, b) for code, s, b in uses if code not in found]
    if unknown:
        places = "; ".join(f"{code} ({where(template.code, s, b)})" for code, s, b in unknown)
        raise TemplateError(
            "unknown_indicator",
            f"Mẫu báo cáo nêu chỉ tiêu không có / the template names unknown indicators: {places}",
            details=[
                {"template": template.code, "section": s, "block": b, "indicator": code}
                for code, s, b in unknown
            ],
        )
    return found


def _figures(
    template: ReportTemplate, unit: Unit, asked: Asked, status: str | None = None
) -> Figures:
    indicators = check_indicators(template)
    wanted = {asked.text}
    for spec in (template.definition.get("figures") or {}).values():
        if isinstance(spec, dict) and spec.get("period"):
            wanted.add(asked.earlier(spec["period"]))
    for section in template.definition["sections"]:
        for block in section.get("blocks") or []:
            if block.get("period"):
                wanted.add(asked.earlier(block["period"]))
            if block["kind"] == "comparison":
                wanted.add(asked.earlier(block.get("with", "previous")))
                wanted.add(asked.current_for(block.get("with", "previous")))
    cells = rollup(
        indicators=list(indicators), periods=sorted(wanted), units=[unit.code], status=status
    )
    figures = Figures(
        indicators, {(c.indicator, c.period): c.value for c in cells if c.option == ""}
    )
    # A register's figures are 0, never missing (decision 0039): read when nothing typed
    # (drafting/registers.py), they do not make a period without reports one with data.
    named = {code for code, _, _ in indicator_uses(template.definition, registers=False)}
    if all(figures.get(code, asked.text) is None for code in named):
        raise TemplateError(
            "no_data",
            f"Không có số liệu nào của {unit.code} cho kỳ {asked.text} (mẫu {template.code}) / "
            f"no figures for {unit.code} in period {asked.text} (template {template.code})",
            details=[{"template": template.code, "unit": unit.code, "period": asked.text}],
            shown=gettext("Chưa có số liệu nào của %(unit)s cho %(period)s (mẫu “%(template)s”).")
            % {
                "unit": unit_name(unit, asked.end),
                "period": span_label(asked.periods, inline=True),
                "template": local_name(template),
            },
        )
    return figures


def name_on(unit: Unit, day: dt.date) -> str:
    version = unit.version_on(day) or unit.latest_version()
    return version.name


def profile_for(template: ReportTemplate, day: dt.date) -> str:
    """The layout profile: a Party template dated from 09/01/2026 follows Quy định 399-QĐ/TW."""
    if template.profile == "party" and day >= PARTY_2026:
        return "party-2026"
    return template.profile


DIRECTIVE_PLACEHOLDERS = ("thuc_hien_chi_dao", "chi_dao", "chi_dao_trich_yeu")
"""The placeholders that cite the report's directive (empty or "…" without one)."""


def leading_clause(directive) -> str:
    """ "Thực hiện công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy Vĩnh Thuận về …; ":
    what ``{thuc_hien_chi_dao}`` prints before the sentence it opens; "" without a
    directive, so that the sentence reads on without one."""
    if directive is None:
        return ""
    return f"Thực hiện {blocks.directive_reference(directive)} {blocks.about(directive.summary)}; "


def context_of(
    report: Report,
    asked: Asked,
    figures: Figures,
    scoped: dict[str, rates.Rate] | None = None,
    registered: dict[str, registers.Reading] | None = None,
) -> dict[str, Any]:
    """The placeholders every text of the report may use; ``scoped``: the rates beside a
    count (``rates.scoped_rates``), which replace the engine's rate and add ``{pham_vi_<rate>}``;
    ``registered``: the figures naming a register (``registers.readings``), which replace
    the typed figure when read from the register and add ``{nguon_<figure>}``."""
    first, last = asked.periods[0], asked.periods[-1]
    directive = report.directive
    context: dict[str, Any] = {
        "unit": name_on(report.unit, asked.end),
        "issuer": name_on(report.issuer, report.date),
        "period": asked.label(),
        "year": str(last.year),
        "first_year": str(first.year),
        "so_nam": Number(Decimal(last.year - first.year + 1)),
        "next_period": last.next().formal_label().lower(),
        "place": report.place,
        "chi_dao": blocks.directive_reference(directive) if directive else "…",
        "chi_dao_trich_yeu": blocks.about(directive.summary) if directive else "…",
        "thuc_hien_chi_dao": leading_clause(directive),
    }
    for name, spec in (report.template.definition.get("figures") or {}).items():
        code = spec if isinstance(spec, str) else spec["indicator"]
        period = (
            asked.earlier(spec["period"])
            if isinstance(spec, dict) and spec.get("period")
            else asked.text
        )
        context[name] = Number(figures.get(code, period))
    for name, rate in (scoped or {}).items():
        context[name] = Number(rate.value)
        context[rates.SCOPE_PREFIX + name] = rate.words()
    notes = {
        name: spec.get("note", "")
        for name, spec in (report.template.definition.get("figures") or {}).items()
        if isinstance(spec, dict)
    }
    for name, reading in (registered or {}).items():
        context[registers.SOURCE_PREFIX + name] = ""
        if reading.from_register:
            context[name] = Number(reading.value)
    for name, reading in (registered or {}).items():
        if reading.from_register and notes[name]:
            context[registers.SOURCE_PREFIX + name] = fill(
                notes[name], context, template=report.template.code, section=None, block=None
            )
    return context


@dataclass
class Part:
    """One template block of a report as laid out: the editor shows text blocks as fields
    (``key``) and the others as they will print."""

    section: int
    block: int
    kind: str
    key: str
    layout: list[Block]


def page_of(report: Report) -> blocks.Page:
    template = report.template
    asked = asked_period(template, report.period)
    figures = _figures(template, report.unit, asked, report.figure_status)
    scoped = rates.scoped_rates(
        definition=template.definition,
        unit=report.unit,
        asked=asked,
        indicators=figures.indicators,
        engine_value=figures.get,
        status=report.figure_status,
    )
    registered = registers.readings(
        template.definition,
        rates.figure_specs(template.definition, asked),
        figures.get,
        {name: rate.made_of for name, rate in scoped.items()},
    )
    for name, reading in registered.items():
        if reading.from_register and name in scoped:
            # the rate and its counts from the register: over its lists, not the units'
            # typed figures; its words name the units holding none (decision 0047)
            kept = template.definition["figures"][name].get("kept", "")
            scoped[name] = (
                rates.over_the_lists(
                    scoped[name],
                    reading.value,
                    kept=kept,
                    indicator=figures.indicators[scoped[name].indicator],
                    unit=report.unit,
                    day=asked.end,
                    status=report.figure_status,
                )
                if kept
                else replace(
                    scoped[name],
                    value=reading.value,
                    over=[],
                    lacking=[],
                    computed=True,
                    from_register=True,
                )
            )
    return blocks.Page(
        report=report,
        asked=asked,
        figures=figures,
        context=context_of(report, asked, figures, scoped, registered),
        rates=scoped,
        registered=registered,
    )


def parts(page: blocks.Page) -> list[Part]:
    """Every heading and block of the report in order, each laid out from live figures."""
    template = page.report.template
    found: list[Part] = []
    for s, section in enumerate(template.definition["sections"], start=1):
        if section.get("heading"):
            heading = fill(
                section["heading"], page.context, template=template.code, section=s, block=None
            )
            bare = re.sub(r"\{[^}]*\}", "", section["heading"])
            if bare == bare.upper():
                heading = heading.upper()  # a heading in capitals stays so with its placeholders
            level = 2 if re.match(r"^\d", heading) else 1
            found.append(Part(s, 0, "section", "", [Heading(heading, level=level)]))
        for b, block in enumerate(section.get("blocks") or [], start=1):
            layout = blocks.render(page, block, s, b)
            found.append(Part(s, b, block["kind"], block_key(s, b), layout))
    # "Biểu N." counted over the tables that print (a comparison may be left out)
    for part, layout in zip(found, blocks.number_captions(p.layout for p in found), strict=True):
        part.layout = layout
    return found


def build(
    report: Report, *, number: int | None = None, code: str = "", page: blocks.Page | None = None
) -> FormalDocument:
    """The report as a formal document (``number`` None: a draft, the number left blank);
    ``page``: the report's ``page_of`` when the caller has read it already."""
    template = report.template
    page = page or page_of(report)
    context = page.context
    body: list[Block] = [block for part in parts(page) for block in part.layout]
    title = fill(report.title, context, template=template.code, section=None, block=None)
    signature = None
    if report.signer_position or report.signer_name:
        authority = []
        if report.signer_for:
            kind, _, whom = report.signer_for.partition(" ")
            authority.append((blocks.authority_kind(kind), whom))
        signature = Signature(
            position=report.signer_position, name=report.signer_name, authority=authority
        )
    return FormalDocument(
        profile=profile_for(template, report.date),
        superior=report.superior or None,
        issuer=report.issuer_label,
        number=number,
        code=code or blocks.draft_code(report),
        place=report.place,
        date=report.date,
        type_name="BÁO CÁO",
        title=title,
        body=body,
        signature=signature,
        recipients=[line.strip() for line in report.recipients.splitlines() if line.strip()],
        extra={"subject": f"{template.code} {report.unit.code} {page.asked.text}"},
    )


def narrative_of(template: ReportTemplate) -> dict[str, str]:
    """The template's text blocks by key: what a new report starts from."""
    texts = {}
    for s, section in enumerate(template.definition["sections"], start=1):
        for b, block in enumerate(section.get("blocks") or [], start=1):
            if block["kind"] == "text":
                texts[block_key(s, b)] = block["text"]
    return texts


def unreviewed(report: Report) -> list[dict]:
    """The reports of units whose figures this report counts that are missing or not
    approved: for each form holding one of the template's indicators (or their inputs)
    and each of its periods within the report's, the units of the report's subtree (the
    unit included) expected to report it, without an approved report.

    ``[{"unit", "name", "form", "form_name", "period", "period_label", "status"}]``
    (status "missing" when the unit has not started its report; the form's name and the
    period in words in the reader's language, for the screens), by unit code, form and
    period.
    """
    from trienkhai.analytics import spans
    from trienkhai.orgs import queries
    from trienkhai.reporting import formulas, services
    from trienkhai.reporting.models import Form, FormIndicator, Submission
    from trienkhai.reporting.periods import parse

    template = report.template
    asked = asked_period(template, report.period)
    indicators = check_indicators(template)
    codes = set(indicators)
    for indicator in indicators.values():
        if indicator.formula:
            codes |= formulas.names(indicator.formula)
    within = set(spans.asked(asked.text).within)
    forms = Form.objects.filter(
        pk__in=FormIndicator.objects.filter(indicator__code__in=codes).values("form_id")
    )
    found: list[dict] = []
    for form in forms.order_by("code"):
        periods = []
        for period_id in sorted(within):
            try:
                period = parse(period_id, form.calendar)
            except BadInput:
                continue
            if period.type == form.period_type:
                periods.append(period)
        for period in periods:
            expected = services.expected_codes(form, period)
            if not expected:
                continue
            below = {n.unit_id: n for n in queries.subtree(report.unit, period.end)}
            wanted = [uid for uid in expected if uid in below]
            statuses = dict(
                Submission.objects.filter(
                    form=form, period=period.id, unit_id__in=wanted
                ).values_list("unit_id", "status")
            )
            for uid in wanted:
                status = statuses.get(uid, "missing")
                if status != Submission.Status.APPROVED:
                    node = below[uid]
                    found.append(
                        {
                            "unit": node.code,
                            "name": node.name,
                            "form": form.code,
                            "form_name": local_name(form),
                            "period": period.id,
                            "period_label": period.label(),
                            "status": status,
                        }
                    )
    found.sort(key=lambda row: (row["unit"], row["form"], row["period"]))
    return found
