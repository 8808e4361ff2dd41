"""/api/v1/analytics: totals of any indicator over any subtree and period.

``GET /api/v1/analytics?indicator=A&indicator=B&period=P&unit=CODE&level=N&as_of=YYYY-MM-DD&status=S``
answers ``{"rows": [{"indicator", "option", "period", "unit", "value"}]}``. ``indicator``,
``period`` (ids or spans ``2019..2021``) and ``unit`` may repeat; ``level`` picks the
units that many levels below each ``unit`` (1 = children; default 0, the unit itself)
on ``as_of``, or else on the last day of the last period asked; ``by_option=true`` adds
a row per option. ``status`` says which figures are counted: ``approved``, ``submitted``
(submitted or approved: the default) or ``all`` (drafts too; decision 0020). The same rows as files: ``format=csv`` or ``format=xlsx``, or the
paths ``/analytics.csv`` and ``/analytics.xlsx``.

The caller must be allowed to VIEW each ``unit`` asked (accounts.policy); unknown
indicators, units or periods are a 400 naming them.
"""

import datetime as dt

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from trienkhai.accounts import policy
from trienkhai.analytics import engine, exports, spans
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit

router = Router(tags=["analytics"])


def _rows(
    request, indicator, period, unit, level, as_of, by_option, status=None
) -> list[engine.Cell]:
    if not indicator or not period or not unit:
        raise BadInput(
            "missing_parameter",
            "Cần ít nhất một indicator, một period và một unit / "
            "indicator, period and unit are required",
        )
    asked = [spans.asked(text) for text in period]  # a bad period: 400 naming it
    found = {u.code: u for u in Unit.objects.filter(code__in=unit)}
    missing = [code for code in unit if code not in found]
    if missing:
        raise engine.unknown_names("unit", missing)
    for code in unit:
        policy.require(request.auth, policy.Action.VIEW, found[code])
    codes = list(unit)
    if level:
        last_day = max(a.last_day for a in asked)
        codes = []
        for code in unit:
            day = as_of or found[code].reference_date(last_day)
            codes.extend(engine.units_at_level(code, level, day))
    if not codes:
        return []
    return engine.rollup(
        indicators=indicator,
        periods=period,
        units=codes,
        as_of=as_of,
        by_option=by_option,
        status=status,
    )


def _attachment(data: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="analytics.{extension}"'
    return response


def _answer(cells: list[engine.Cell], fmt: str):
    if fmt == "csv":
        return _attachment(exports.to_csv(cells), exports.CSV_CONTENT_TYPE, "csv")
    if fmt == "xlsx":
        return _attachment(exports.to_xlsx(cells), exports.XLSX_CONTENT_TYPE, "xlsx")
    if fmt != "json":
        raise BadInput(
            "invalid_format", f"Định dạng không hợp lệ / invalid format: {fmt!r} (json, csv, xlsx)"
        )
    return {
        "rows": [
            {
                "indicator": c.indicator,
                "option": c.option,
                "period": c.period,
                "unit": c.unit,
                "value": exports.number(c.value),
            }
            for c in cells
        ]
    }


class AnalyticsQuery(Schema):
    indicator: list[str] = []
    period: list[str] = []
    unit: list[str] = []
    level: int = Field(0, ge=0, le=10)
    as_of: dt.date | None = None
    by_option: bool = False
    status: str | None = Field(
        None, description="approved, submitted (default: submitted or approved) or all"
    )
    format: str = "json"


def _get(request, query: AnalyticsQuery, fmt: str):
    cells = _rows(
        request,
        query.indicator,
        query.period,
        query.unit,
        query.level,
        query.as_of,
        query.by_option,
        query.status,
    )
    return _answer(cells, fmt)


@router.get("/analytics")
def analytics(request, query: Query[AnalyticsQuery]):
    """Totals as JSON rows (or a file with ``format=csv|xlsx``)."""
    return _get(request, query, query.format)


@router.get("/analytics.csv")
def analytics_csv(request, query: Query[AnalyticsQuery]):
    return _get(request, query, "csv")


@router.get("/analytics.xlsx")
def analytics_xlsx(request, query: Query[AnalyticsQuery]):
    return _get(request, query, "xlsx")
