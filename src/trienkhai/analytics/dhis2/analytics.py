"""GET /dhis2/api/analytics: DHIS2's aggregate analytics, answered by the rollup engine.

::

    /dhis2/api/analytics?dimension=dx:luot_tham_gia;hoi_nghi_hoc_tap
                        &dimension=pe:2020S1;2020S2
                        &dimension=ou:HU-VT;LEVEL-4

- ``dx``: data elements (indicator codes), or operands ``CODE.OPTION`` for one option;
  ``co`` as a dimension adds a column per disaggregation option.
- ``pe``: period ids, spans ``2019..2021`` (trienkhai's own addition) and DHIS2's
  relative periods (``THIS_YEAR``, ``LAST_12_MONTHS`` …, see ``relative``) on today or
  on ``relativePeriodDate=YYYY-MM-DD``; as a filter, a relative period is one total
  over its span.
- ``ou``: unit codes, with ``LEVEL-n`` for the units at level n (1 = the country) under
  them, as DHIS2 counts levels; ``USER_ORGUNIT`` for the caller's own units.
- ``filter=`` takes a dimension with one item: it narrows without a column.
- ``asOf=YYYY-MM-DD`` (trienkhai's addition) maps the data onto the units alive that day.
- ``status=approved|submitted|all`` (trienkhai's addition, as ``/api/v1/analytics``): the
  figures counted; default ``submitted`` (submitted or approved, decision 0020).

A total is a number whatever the value type: a yes/no indicator's total counts the yes
(``42``, as ``/api/v1/analytics`` answers), never ``"true"``.

Every total comes from ``engine.rollup``: no aggregation is done here. A cell nobody
reported is left out, as DHIS2 leaves it out.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.analytics import engine
from trienkhai.analytics.dhis2 import relative
from trienkhai.analytics.dhis2.responses import Dhis2Error
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import DisaggregationOption, Indicator
from trienkhai.reporting.periods import parse_span

COLUMNS = {"dx": "Data", "pe": "Period", "ou": "Organisation unit", "co": "Category option combo"}


@dataclass
class Query:
    """The dimensions of an analytics request, checked."""

    order: list[str] = field(default_factory=list)
    """The dimensions shown as columns, in the order asked."""
    items: dict[str, list[str]] = field(default_factory=dict)
    as_of: dt.date | None = None
    relative: dict[str, list[str]] = field(default_factory=dict)
    """Each relative period asked (``LAST_YEAR``) → the period ids it stood for."""


def _dimension(text: str) -> tuple[str, list[str]]:
    name, _, rest = text.partition(":")
    name = name.strip()
    if name not in COLUMNS:
        raise Dhis2Error(
            409,
            "E7125",
            f"Chiều không được hỗ trợ / dimension identifier does not reference any dimension: `{name}` (dx, pe, ou, co)",
        )
    return name, [item.strip() for item in rest.split(";") if item.strip()]


def parse_query(params) -> Query:
    query = Query()
    for text in params.getlist("dimension"):
        name, items = _dimension(text)
        if name in query.items:
            raise Dhis2Error(
                409,
                "E7111",
                f"Chiều lặp lại / dimensions cannot be specified more than once: `{name}`",
            )
        if not items and name != "co":
            raise Dhis2Error(
                409,
                "E7124",
                f"Chiều không có phần tử / dimension is present in query without any valid dimension options: `{name}`",
            )
        query.order.append(name)
        query.items[name] = items
    for text in params.getlist("filter"):
        name, items = _dimension(text)
        if name in query.items:
            raise Dhis2Error(
                409,
                "E7103",
                f"Một chiều vừa là dimension vừa là filter / dimensions cannot be specified as dimension and filter simultaneously: `{name}`",
            )
        if len(items) != 1 or name == "co" or (name == "ou" and items[0].startswith("LEVEL-")):
            raise Dhis2Error(
                409,
                "E7108",
                f"Bộ lọc {name} chỉ nhận một phần tử / a filter on {name} takes exactly one item here",
            )
        query.items[name] = items
    if not query.items.get("dx"):
        raise Dhis2Error(
            409,
            "E7102",
            "Cần ít nhất một chỉ tiêu (dx) / at least one data dimension item must be specified",
        )
    if not query.items.get("pe"):
        raise Dhis2Error(
            409, "E7104", "Cần ít nhất một kỳ (pe) / at least one period must be specified"
        )
    if not query.items.get("ou"):
        raise Dhis2Error(
            409,
            "E7300",
            "Cần ít nhất một đơn vị (ou) / at least one organisation unit must be specified",
        )
    query.items["pe"] = _periods(query, params)
    if params.get("asOf"):
        try:
            query.as_of = dt.date.fromisoformat(params["asOf"])
        except ValueError:
            raise Dhis2Error(
                409, "E7106", f"asOf phải là YYYY-MM-DD / asOf must be YYYY-MM-DD: {params['asOf']}"
            ) from None
    return query


RELATIVE_YEARS = (1900, 2999)
"""The years a ``relativePeriodDate`` may fall in (its periods reach a few years around)."""


def _periods(query: Query, params) -> list[str]:
    """The ``pe`` items with each relative period replaced by the periods it stands for
    (as a filter: by their span, one total)."""
    text = params.get("relativePeriodDate")
    try:
        day = dt.date.fromisoformat(text[:10]) if text else timezone.localdate()
        if not RELATIVE_YEARS[0] <= day.year <= RELATIVE_YEARS[1]:
            raise ValueError(day)  # the periods around it would leave the calendar
    except ValueError:
        raise Dhis2Error(
            409,
            "E7106",
            f"relativePeriodDate phải là YYYY-MM-DD / relativePeriodDate must be YYYY-MM-DD: {text}",
        ) from None
    as_filter = "pe" not in query.order
    found: list[str] = []
    for item in query.items["pe"]:
        if not relative.looks_relative(item):
            found.append(item)
            continue
        periods = relative.resolve(item, day)
        if periods is None:
            raise Dhis2Error(
                409,
                "E7124",
                f"Kỳ tương đối không hỗ trợ / relative period not supported: `{item}` "
                f"({', '.join(relative.RELATIVE)})",
            )
        ids = [p.id for p in periods]
        query.relative[item] = ids
        if as_filter and len(ids) > 1:
            found.append(f"{ids[0]}..{ids[-1]}")
        else:
            found.extend(ids)
    return list(dict.fromkeys(found))


def _day(query: Query) -> dt.date:
    """The day the units of ``LEVEL-n`` are taken on: ``asOf``, else the last asked period's end."""
    if query.as_of:
        return query.as_of
    try:
        ends = [parse_span(text)[-1].end for text in query.items["pe"]]
    except BadInput as exc:
        raise Dhis2Error(409, "E7124", exc.message) from None
    return min(max(ends), timezone.localdate())


def _level(item: str) -> int | None:
    """n of ``LEVEL-n`` (1 = the country, down to the deepest level the tree may have), or
    None for another item or a level that cannot be."""
    digits = item.removeprefix("LEVEL-")
    if digits == item or not (digits.isascii() and digits.isdigit() and len(digits) <= 3):
        return None
    level = int(digits)
    return level if 1 <= level <= queries.MAX_DEPTH + 1 else None


def org_units(user, query: Query) -> list[str]:
    """The unit codes of the ``ou`` dimension, each one the caller may view (E7120 otherwise)."""
    items = query.items["ou"]
    bad = [i for i in items if i.startswith("LEVEL-") and _level(i) is None]
    levels = [level for i in items if (level := _level(i)) is not None]
    if bad:
        raise Dhis2Error(
            409,
            "E7124",
            f"Cấp không hợp lệ / invalid level: `{', '.join(bad)}` (LEVEL-1, LEVEL-2…)",
        )
    codes = [i for i in items if not i.startswith("LEVEL-")]
    if "USER_ORGUNIT" in codes:
        codes.remove("USER_ORGUNIT")
        own = Unit.objects.filter(pk__in=policy.role_unit_ids(user)).order_by("code")
        codes.extend(own.values_list("code", flat=True))
    found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for code in codes:
        unit = found.get(code)
        if unit is None:
            raise Dhis2Error(
                409, "E7124", f"Không có đơn vị / organisation unit not found: `{code}`"
            )
        if not policy.can(user, policy.Action.VIEW, unit):
            raise Dhis2Error(
                403,
                "E7120",
                f"Bạn không được xem số liệu của {code} / user `{user.username}` is not allowed to view org unit `{code}`",
            )
    if not levels:
        return list(dict.fromkeys(codes))
    day = _day(query)
    result: list[str] = []
    for code in codes:
        own_level = len(queries.ancestor_ids(found[code].pk, day))
        for level in levels:
            below = level - own_level
            if below >= 0:
                result.extend(engine.units_at_level(code, below, day))
    return list(dict.fromkeys(result))


def _data_items(items: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """(item as asked, indicator code, option or None) for ``dx`` items ``A`` and ``A.OPTION``."""
    found = []
    for item in items:
        code, _, option = item.partition(".")
        found.append((item, code, option or None))
    return found


def run(user, params) -> dict:
    """The analytics answer (headers, rows, metaData) for the request's parameters."""
    query = parse_query(params)
    policy.require(user, policy.Action.VIEW)
    data = _data_items(query.items["dx"])
    indicators = list(dict.fromkeys(code for _, code, _ in data))
    named = {i.code: i for i in Indicator.objects.filter(code__in=indicators)}
    unknown = [code for code in indicators if code not in named]
    if unknown:
        raise Dhis2Error(
            409,
            "E7124",
            f"Không có chỉ tiêu / data elements not found: `{', '.join(unknown)}`",
        )
    units = org_units(user, query)
    by_option = "co" in query.items or any(option for _, _, option in data)
    try:
        cells = (
            engine.rollup(
                indicators=indicators,
                periods=query.items["pe"],
                units=units,
                as_of=query.as_of,
                by_option=by_option,
                status=params.get("status"),
            )
            if units
            else []
        )
    except BadInput as exc:
        raise Dhis2Error(409, "E7124", exc.message) from None
    wanted_options = set(query.items.get("co", []))
    rows: list[list[str]] = []
    for cell in cells:
        if cell.value is None:
            continue
        for item, code, option in data:
            if code != cell.indicator:
                continue
            if option is not None and cell.option != option:
                continue
            if option is None and "co" in query.items:
                if cell.option == "" or (wanted_options and cell.option not in wanted_options):
                    continue
            elif option is None and cell.option != "":
                continue
            values = {"dx": item, "pe": cell.period, "ou": cell.unit, "co": cell.option}
            rows.append([values[name] for name in query.order] + [_number(named[code], cell.value)])
    return _answer(query, rows, units, named, params)


def _number(indicator: Indicator, value: Decimal) -> str:
    """A total as DHIS2 writes a number (``42``, ``12.5``): for a yes/no indicator the
    count of yes, like every other answer of the engine — not a stored value's ``true``."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _answer(query: Query, rows: list, units: list[str], named: dict, params) -> dict:
    headers = [
        {
            "name": name,
            "column": COLUMNS[name],
            "valueType": "TEXT",
            "type": "java.lang.String",
            "hidden": False,
            "meta": True,
        }
        for name in query.order
    ]
    headers.append(
        {
            "name": "value",
            "column": "Value",
            "valueType": "NUMBER",
            "type": "java.lang.Double",
            "hidden": False,
            "meta": False,
        }
    )
    body: dict = {"headers": headers}
    if (params.get("skipMeta") or "").lower() != "true":
        body["metaData"] = _meta(query, units, named)
    body["rows"] = rows
    body["headerWidth"] = body["width"] = len(headers)
    body["height"] = len(rows)
    return body


def _meta(query: Query, units: list[str], named: dict) -> dict:
    items: dict[str, dict] = {name: {"name": COLUMNS[name]} for name in query.items}
    options = {o.code: o.name for o in DisaggregationOption.objects.all()}
    for item, code, option in _data_items(query.items["dx"]):
        name = named[code].name
        items[item] = {"name": f"{name} {options.get(option, option)}" if option else name}
    for text in query.items["pe"]:
        periods = parse_span(text)
        label = (
            periods[0].label()
            if len(periods) == 1
            else f"{periods[0].label()} – {periods[-1].label()}"
        )
        items[text] = {"name": label}
    for name in query.relative:
        items[name] = {"name": relative.RELATIVE[name].name}
    names = queries.latest_versions(
        Unit.objects.filter(code__in=units).values_list("id", flat=True)
    )
    for version in names.values():
        items[version.unit.code] = {"name": version.name}
    for code in query.items.get("co", []) or []:
        items[code] = {"name": options.get(code, code)}
    dimensions = {
        "dx": query.items["dx"],
        "pe": query.items["pe"],
        "ou": units,
        "co": query.items.get("co", []),
    }
    return {"items": items, "dimensions": dimensions}
