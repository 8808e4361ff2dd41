"""From a validated filter form to the engine's figures: what the analytics pages show.

Every number comes from ``engine.rollup``; this module only decides which cells to ask
for (the units at the chosen level, the periods, and the total members: the chosen
unit itself, the span of the periods) and names them for display.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.analytics import engine
from trienkhai.analytics.pivot import Key, Member
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting import statuses
from trienkhai.reporting.models import DisaggregationOption, Indicator
from trienkhai.reporting.periods import Period, span
from trienkhai.vn import format_date
from trienkhai.web.labels import local_name

STATUS_NOTES = {
    "approved": lambda: _("Số liệu: chỉ số đã duyệt"),
    "submitted": lambda: _("Số liệu: đã gửi hoặc đã duyệt (chưa tính số đang nhập)"),
    "all": lambda: _("Số liệu: tất cả, kể cả số đang nhập chưa gửi"),
}
"""What each status counts, in the notes under every table, chart and download."""


@dataclass
class Selection:
    """What the filters chose, resolved: who, what, when, and how to label it."""

    unit: Unit
    level: int
    day: dt.date
    """The structure day: the units at the level are those of this day."""
    as_of: dt.date | None
    indicators: list[Indicator]
    status: str
    periods: list[str]
    period_total: str | None
    """The span covering ``periods`` when they are consecutive periods of one type."""
    units: list[Member] = field(default_factory=list)
    unit_label: str = ""
    period_labels: dict[str, str] = field(default_factory=dict)
    options: list[Member] = field(default_factory=list)

    def members(self) -> dict[str, list[Member]]:
        return {
            "unit": self.units,
            "period": [Member(p, self.period_labels[p]) for p in self.periods],
            "indicator": [Member(i.code, local_name(i)) for i in self.indicators],
            "option": self.options or [Member("", _("Tổng"))],
        }

    def totals(self) -> dict[str, Member | None]:
        return {
            "unit": Member(self.unit.code, _("Tổng: %(name)s") % {"name": self.unit_label})
            if self.level > 0
            else None,
            "period": Member(self.period_total, _("Cả kỳ %(span)s") % {"span": self.period_total})
            if self.period_total
            else None,
            "indicator": None,
            "option": Member("", _("Tổng")) if self.options else None,
        }

    def notes(self) -> list[str]:
        """The filters in words, for the downloads and the chart descriptions."""
        lines = [
            _("Đơn vị: %(name)s (%(code)s)") % {"name": self.unit_label, "code": self.unit.code},
            _("Kỳ: %(periods)s") % {"periods": ", ".join(self.periods)},
        ]
        if self.as_of:
            lines.append(_("Theo cơ cấu ngày %(day)s") % {"day": format_date(self.as_of)})
        else:
            lines.append(_("Theo cơ cấu tổ chức của từng kỳ"))
        lines.append(STATUS_NOTES[self.status]())
        return lines


def consecutive_span(periods: list[Period]) -> str | None:
    """``first..last`` when ``periods`` are every period of one type between two, else None."""
    if len(periods) < 2:
        return None
    try:
        whole = span(periods[0].id, periods[-1].id)
    except Exception:
        return None
    return f"{periods[0].id}..{periods[-1].id}" if whole == periods else None


def structure_day(unit: Unit, last_period: Period, as_of: dt.date | None) -> dt.date:
    """The day whose units are listed: ``as_of``, else the last period's end, within the unit's life."""
    day = as_of or min(last_period.end, timezone.localdate())
    if unit.valid_to is not None and day >= unit.valid_to:
        day = unit.valid_to - dt.timedelta(days=1)
    return max(day, unit.valid_from)


def resolve(
    user,
    *,
    unit: Unit,
    level: int,
    indicators: list[str],
    periods: list[Period],
    as_of: dt.date | None,
    by_option: bool = False,
    status: str | None = None,
) -> Selection:
    """The selection, after ``policy`` allowed ``user`` to view ``unit`` (else 403)."""
    policy.require(user, policy.Action.VIEW, unit)
    found = {i.code: i for i in Indicator.objects.filter(code__in=indicators)}
    day = structure_day(unit, periods[-1], as_of)
    version = unit.version_on(day) or unit.latest_version()
    selection = Selection(
        unit=unit,
        level=level,
        day=day,
        as_of=as_of,
        indicators=[found[c] for c in indicators if c in found],
        status=statuses.name_of(statuses.level(status)),
        periods=[p.id for p in periods],
        period_total=consecutive_span(periods),
        unit_label=version.name,
        period_labels={p.id: p.label() for p in periods},
    )
    codes = engine.units_at_level(unit.code, level, day)
    selection.units = unit_members(codes, day)
    if by_option:
        selection.options = option_members(selection.indicators)
    return selection


def unit_members(codes: list[str], day: dt.date) -> list[Member]:
    """The units as table members, in the order of the unit tree (``queries.office_order``)."""
    versions = queries.office_order(queries.versions_on(day).filter(unit__code__in=codes))
    return [Member(v.unit.code, v.name) for v in versions]


def option_members(indicators: list[Indicator]) -> list[Member]:
    """The options of the chosen indicators' disaggregations, each once, in their order."""
    ids = {i.disaggregation_id for i in indicators if i.disaggregation_id}
    rows = DisaggregationOption.objects.filter(disaggregation_id__in=ids)
    members: dict[str, Member] = {}
    for option in rows:
        members.setdefault(option.code, Member(option.code, local_name(option)))
    return list(members.values())


def figures(
    selection: Selection, *, unit_total: bool = True, period_total: bool = True
) -> dict[Key, Decimal | None]:
    """The engine's cells for the selection and its total members, by key."""
    units = [m.key for m in selection.units]
    if unit_total and selection.level > 0:
        units.append(selection.unit.code)
    periods = list(selection.periods)
    if period_total and selection.period_total:
        periods.append(selection.period_total)
    cells = engine.rollup(
        indicators=[i.code for i in selection.indicators],
        periods=periods,
        units=units,
        as_of=selection.as_of,
        by_option=bool(selection.options),
        status=selection.status,
    )
    return {(c.indicator, c.option, c.period, c.unit): c.value for c in cells}


def outlines_for(codes: list[str]) -> dict[str, list[str]]:
    """The 2008 provinces (GSO codes) that draw each unit, for the units that are provinces.

    ``HC04-91`` is province 91 of 2008–2025; a province of 2025 (``HC25-…``) is drawn as
    the 2008 provinces that went into it (lineage links of the reform). Other units
    (Party committees, districts, communes) have no outline here.
    """
    from trienkhai.orgs.models import LineageLink

    found: dict[str, list[str]] = {}
    new = [c for c in codes if c.startswith("HC25-") and len(c) == 7]
    for code in codes:
        if code.startswith("HC04-") and len(code) == 7:
            found[code] = [code[5:]]
    links = LineageLink.objects.filter(
        successor__code__in=new, predecessor__code__regex=r"^HC04-[0-9]{2}$"
    ).values_list("successor__code", "predecessor__code")
    for successor, predecessor in links:
        found.setdefault(successor, []).append(predecessor[5:])
    return found
