"""Data value sets out: the GET of /dataValueSets (JSON, and ADX through ``adx``).

The query is checked as DHIS2 checks it (E2001–E2006), every unit named is asked of
the policy, and values are written the way DHIS2 writes them (``12.5``, ``true``).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from trienkhai.accounts import policy
from trienkhai.analytics.dhis2.metadata import DEFAULT_COMBO
from trienkhai.analytics.dhis2.responses import Dhis2Error
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import DataValue, Form, FormIndicator, Indicator
from trienkhai.reporting.periods import Calendar, parse

_CHUNK = 500


@dataclass
class Export:
    """What a GET of data value sets asks for, checked."""

    forms: list[Form]
    indicators: list[Indicator]
    units: list[Unit]
    periods: set[str] | None
    start: dt.date | None
    end: dt.date | None


def _many(params, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        for value in params.getlist(name):
            values.extend(v.strip() for v in value.split(",") if v.strip())
    return values


def _date(text: str | None, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise Dhis2Error(
            409, "E2005", f"{name} phải là YYYY-MM-DD / {name} must be YYYY-MM-DD: `{text}`"
        ) from None


def export_query(user, params) -> Export:
    """Check a GET's parameters as DHIS2 does (E2001–E2006) and ask the policy for each unit."""
    set_codes = _many(params, "dataSet", "ds")
    element_codes = _many(params, "dataElement", "de")
    if not set_codes and not element_codes:
        raise Dhis2Error(
            409,
            "E2001",
            "Cần ít nhất một biểu hoặc chỉ tiêu / at least one data element, data set or data element group must be specified",
        )
    periods = set(_many(params, "period", "pe"))
    start, end = (
        _date(params.get("startDate"), "startDate"),
        _date(params.get("endDate"), "endDate"),
    )
    if not periods and not (start and end):
        raise Dhis2Error(
            409,
            "E2002",
            "Cần kỳ hoặc khoảng ngày / at least one period, start/end dates must be specified",
        )
    if periods and (start or end):
        raise Dhis2Error(
            409,
            "E2003",
            "Không dùng cùng lúc kỳ và khoảng ngày / both periods and start/end date cannot be specified",
        )
    if start and end and start > end:
        raise Dhis2Error(
            409,
            "E2004",
            "Ngày bắt đầu phải trước ngày kết thúc / start date must be before end date",
        )
    unit_codes = _many(params, "orgUnit", "ou")
    if not unit_codes:
        raise Dhis2Error(
            409,
            "E2006",
            "Cần ít nhất một đơn vị / at least one organisation unit must be specified",
        )
    forms = list(Form.objects.filter(code__in=set_codes))
    unknown = set(set_codes) - {f.code for f in forms}
    if unknown:
        raise Dhis2Error(
            409,
            "E1105",
            f"Không có biểu / data set not found or not accessible: `{', '.join(sorted(unknown))}`",
        )
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=element_codes).select_related("disaggregation")
    }
    unknown = set(element_codes) - set(indicators)
    if unknown:
        raise Dhis2Error(
            409,
            "E1100",
            f"Không có chỉ tiêu / data element not found or not accessible: `{', '.join(sorted(unknown))}`",
        )
    for item in FormIndicator.objects.filter(form__in=forms).select_related(
        "indicator__disaggregation"
    ):
        indicators.setdefault(item.indicator.code, item.indicator)
    roots = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
    for code in unit_codes:
        if code not in roots:
            raise Dhis2Error(
                409,
                "E1102",
                f"Không có đơn vị / organisation unit not found or not accessible: `{code}`",
            )
        if not policy.can(user, policy.Action.VIEW, roots[code]):
            raise Dhis2Error(
                403,
                "E2012",
                f"Bạn không được xem số liệu của {code} / user is not allowed to view org unit: `{code}`",
            )
    units = list(roots.values())
    if (params.get("children") or params.get("includeDescendants") or "").lower() == "true":
        ids: set[int] = set()
        for unit in units:
            ids |= {uid for uid, _ in queries.descendant_ids(unit.pk, unit.reference_date())}
        units = list(Unit.objects.filter(pk__in=ids)) if len(ids) <= 30_000 else _chunked_units(ids)
    return Export(
        forms, sorted(indicators.values(), key=lambda i: i.code), units, periods or None, start, end
    )


def _chunked_units(ids: set[int]) -> list[Unit]:
    ordered = sorted(ids)
    found: list[Unit] = []
    for start in range(0, len(ordered), _CHUNK):
        found.extend(Unit.objects.filter(pk__in=ordered[start : start + _CHUNK]))
    return found


def _calendar(query: Export) -> Calendar:
    calendars = {Calendar(f.calendar) for f in query.forms}
    return calendars.pop() if len(calendars) == 1 else Calendar.GREGORIAN


def machine_text(indicator: Indicator, number: Decimal | None, text: str) -> str:
    """A stored value as DHIS2 writes it: ``20673``, ``12.5``, ``true``."""
    if number is None:
        return text
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return "true" if number else "false"
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def exported(query: Export) -> list[dict]:
    """The stored values the query names, in DHIS2's shape, ordered by unit, period, element."""
    by_id = {i.pk: i for i in query.indicators}
    codes = {u.pk: u.code for u in query.units}
    unit_ids = sorted(codes)
    periods = query.periods
    if periods is None:
        calendar = _calendar(query)
        stored = set(
            DataValue.objects.filter(indicator_id__in=list(by_id))
            .values_list("period", flat=True)
            .distinct()
        )
        periods = set()
        for period_id in stored:
            try:
                period = parse(period_id, calendar)
            except BadInput:
                continue
            if (
                query.start
                and query.end
                and query.start <= period.start
                and period.end <= query.end
            ):
                periods.add(period_id)
    rows: list[tuple] = []
    for start in range(0, len(unit_ids), _CHUNK):
        rows.extend(
            DataValue.objects.filter(
                unit_id__in=unit_ids[start : start + _CHUNK],
                period__in=sorted(periods),
                indicator_id__in=list(by_id),
            ).values_list(
                "unit_id",
                "period",
                "indicator_id",
                "option",
                "value_number",
                "value_text",
                "comment",
                "modified",
                "modified_by__username",
            )
        )
    rows.sort(key=lambda r: (codes[r[0]], r[1], by_id[r[2]].code, r[3]))
    result = []
    for unit_id, period_id, indicator_id, option, number, text, comment, modified, who in rows:
        indicator = by_id[indicator_id]
        stamp = modified.isoformat(timespec="milliseconds") if modified else None
        value: dict[str, Any] = {
            "dataElement": indicator.code,
            "period": period_id,
            "orgUnit": codes[unit_id],
            "categoryOptionCombo": option or DEFAULT_COMBO,
            "attributeOptionCombo": DEFAULT_COMBO,
            "value": machine_text(indicator, number, text),
            "storedBy": who or "",
            "created": stamp,
            "lastUpdated": stamp,
            "followup": False,
        }
        if comment:
            value["comment"] = comment
        result.append(value)
    return result


def value_set(query: Export, values: Iterable[dict]) -> dict:
    """The JSON data value set: the header names what is common, as DHIS2 writes it."""
    body: dict[str, Any] = {}
    if len(query.forms) == 1:
        body["dataSet"] = query.forms[0].code
    if query.periods and len(query.periods) == 1:
        body["period"] = next(iter(query.periods))
    if len(query.units) == 1:
        body["orgUnit"] = query.units[0].code
    body["dataValues"] = list(values)
    return body
