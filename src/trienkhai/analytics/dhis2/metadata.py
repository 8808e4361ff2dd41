"""Metadata as DHIS2 lists it: organisation units, data elements, data sets.

Each builder returns plain dicts in DHIS2's field names; the views project them with
``fields=`` and page them. Only what the caller may view is listed (accounts.policy).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.analytics.dhis2.fields import Spec, wants
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting import services
from trienkhai.reporting.access import forms_seen_by
from trienkhai.reporting.models import DisaggregationOption, Form, FormIndicator, Indicator
from trienkhai.reporting.periods import PeriodType, containing

DEFAULT_COMBO = "default"
"""DHIS2's default category combo and option combo, as identified by code."""

PERIOD_TYPES = {
    PeriodType.YEARLY: "Yearly",
    PeriodType.SIXMONTHLY: "SixMonthly",
    PeriodType.QUARTERLY: "Quarterly",
    PeriodType.MONTHLY: "Monthly",
}
VALUE_TYPES = {
    Indicator.ValueType.INTEGER: "INTEGER",
    Indicator.ValueType.DECIMAL: "NUMBER",
    Indicator.ValueType.PERCENT: "PERCENTAGE",
    Indicator.ValueType.BOOLEAN: "BOOLEAN",
    Indicator.ValueType.TEXT: "LONG_TEXT",
}


def value_type(indicator: Indicator) -> str:
    """DHIS2's valueType of ``indicator``: an integer that may not be negative (the
    default, ``Indicator.allow_negative`` false) is INTEGER_ZERO_OR_POSITIVE, as DHIS2
    checks it; DHIS2 has no such type for decimals, which stay NUMBER."""
    if indicator.value_type == Indicator.ValueType.INTEGER and not indicator.allow_negative:
        return "INTEGER_ZERO_OR_POSITIVE"
    return VALUE_TYPES[indicator.value_type]  # type: ignore[index]


AGGREGATION_TYPES = {
    Indicator.Aggregation.SUM: "SUM",
    Indicator.Aggregation.AVERAGE: "AVERAGE",
    Indicator.Aggregation.MIN: "MIN",
    Indicator.Aggregation.MAX: "MAX",
    Indicator.Aggregation.LAST: "LAST",
    Indicator.Aggregation.NONE: "NONE",
}


def _short(name: str) -> str:
    return name if len(name) <= 50 else name[:49] + "…"


# Organisation units ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Life:
    """A unit's code and life, without building a model object for each of 100,000."""

    pk: int
    code: str
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def unit(self) -> "_Life":
        return self  # what accounts.policy reads of an object that stands for a unit

    def reference_date(self, today: dt.date | None = None) -> dt.date:
        return Unit.reference_date(self, today)  # type: ignore[arg-type]


@dataclass
class OrgUnit:
    """A unit as DHIS2 sees it: one name and parent (those of its last day, or today)."""

    pk: int
    code: str
    name: str
    abbreviation: str
    parent: str | None
    level: int
    path: str
    opening: dt.date
    closed: dt.date | None


def org_units(user, today: dt.date | None = None) -> list[OrgUnit]:
    """Every unit ``user`` may view, living or ended, ordered by code.

    Ended units stay listed with their ``closedDate`` (as DHIS2 keeps closed units): their
    data is what a 2020 review reads. Plain rows and one pass over the versions: the
    country's 14,000 units in a fraction of a second.
    """
    today = today or timezone.localdate()
    units = [
        _Life(pk, code, start, end)
        for pk, code, start, end in Unit.objects.order_by().values_list(
            "id", "code", "valid_from", "valid_to"
        )
    ]
    if policy.visible_root_ids(user, today) is not None:
        shown = {u.pk for u in policy.allowed(user, policy.Action.VIEW, units, today=today)}
    else:
        shown = {u.pk for u in units}
    by_id = {u.pk: u for u in units}
    days = {u.pk: u.reference_date(today) for u in units}
    chosen: dict[int, tuple] = {}
    for row in (
        UnitVersion.objects.order_by("valid_from")
        .values_list("unit_id", "parent_id", "name", "abbreviation", "valid_from", "valid_to")
        .iterator(chunk_size=5000)
    ):
        day = days.get(row[0])
        if day is None:
            continue
        if row[4] <= day or row[0] not in chosen:
            # The version of the unit's reference day, else its first one.
            chosen[row[0]] = row
    levels: dict[int, int] = {}
    paths: dict[int, str] = {}

    def climb(uid: int) -> tuple[int, str]:
        trail: list[int] = []
        current: int | None = uid
        while current is not None and current not in levels and len(trail) < 64:
            trail.append(current)
            version = chosen.get(current)
            current = version[1] if version else None
        level, path = (levels[current], paths[current]) if current is not None else (0, "")
        for step in reversed(trail):
            level, path = level + 1, f"{path}/{by_id[step].code}"
            levels[step], paths[step] = level, path
        return levels[uid], paths[uid]

    found = []
    for uid in shown:
        version = chosen.get(uid)
        if version is None:
            continue
        level, path = climb(uid)
        unit = by_id[uid]
        parent = by_id[version[1]].code if version[1] in by_id else None
        found.append(
            OrgUnit(
                uid,
                unit.code,
                version[2],
                version[3],
                parent,
                level,
                path,
                unit.valid_from,
                unit.valid_to,
            )
        )
    found.sort(key=lambda u: u.code)
    return found


def org_unit_dict(unit: OrgUnit, spec: Spec, *, children: dict[str, list[str]], href: str) -> dict:
    data: dict = {
        "id": unit.code,
        "code": unit.code,
        "name": unit.name,
        "displayName": unit.name,
        "shortName": _short(unit.name),
        "displayShortName": _short(unit.name),
        "level": unit.level,
        "path": unit.path,
        "openingDate": f"{unit.opening.isoformat()}T00:00:00.000",
        "href": f"{href}/organisationUnits/{unit.code}",
    }
    if unit.closed is not None:
        data["closedDate"] = f"{unit.closed.isoformat()}T00:00:00.000"
    if unit.parent:
        data["parent"] = {"id": unit.parent, "code": unit.parent}
    if wants(spec, "ancestors"):
        data["ancestors"] = [{"id": code} for code in unit.path.strip("/").split("/")[:-1]]
    if wants(spec, "children"):
        data["children"] = [{"id": code} for code in children.get(unit.code, [])]
    return data


# Data elements ---------------------------------------------------------------------------


def _memberships() -> dict[int, list[Form]]:
    """Forms each indicator belongs (or belonged) to, by indicator id."""
    found: dict[int, list[Form]] = {}
    for item in FormIndicator.objects.select_related("form").order_by("form__code"):
        forms = found.setdefault(item.indicator_id, [])
        if item.form not in forms:
            forms.append(item.form)
    return found


def data_elements(user) -> list[Indicator]:
    """Indicators are shared data: anyone who may view some unit sees them all."""
    policy.require(user, policy.Action.VIEW)
    return list(Indicator.objects.select_related("disaggregation").order_by("code"))


def data_element_dicts(indicators: list[Indicator], spec: Spec) -> list[dict]:
    memberships = _memberships() if wants(spec, "dataSetElements") else {}
    options = _options() if wants(spec, "categoryCombo") else {}
    result = []
    for indicator in indicators:
        combo = indicator.disaggregation.code if indicator.disaggregation else DEFAULT_COMBO
        data: dict = {
            "id": indicator.code,
            "code": indicator.code,
            "name": indicator.name,
            "displayName": indicator.name,
            "shortName": _short(indicator.name),
            "displayShortName": _short(indicator.name),
            "formName": indicator.name,
            "description": indicator.name_en,
            "valueType": value_type(indicator),
            "aggregationType": AGGREGATION_TYPES[indicator.aggregation],  # type: ignore[index]
            "domainType": "AGGREGATE",
            "zeroIsSignificant": True,
            "categoryCombo": {
                "id": combo,
                "code": combo,
                "categoryOptionCombos": [
                    {"id": code, "code": code, "name": name}
                    for code, name in options.get(combo, [(DEFAULT_COMBO, DEFAULT_COMBO)])
                ],
            },
        }
        if wants(spec, "dataSetElements"):
            data["dataSetElements"] = [
                {
                    "dataSet": {
                        "id": form.code,
                        "name": form.name,
                        "periodType": PERIOD_TYPES[form.period_type],  # type: ignore[index]
                    },
                    "dataElement": {"id": indicator.code},
                }
                for form in memberships.get(indicator.pk, [])
            ]
        result.append(data)
    return result


def _options() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for option in DisaggregationOption.objects.select_related("disaggregation"):
        found.setdefault(option.disaggregation.code, []).append((option.code, option.name))
    return found


# Data sets -------------------------------------------------------------------------------


def data_sets(user) -> list[Form]:
    """The forms whose owner or named units the user may view (``reporting.access``)."""
    return [form for form, _ in forms_seen_by(user)]


def data_set_dicts(user, forms: list[Form], spec: Spec, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    result = []
    for form in forms:
        data: dict = {
            "id": form.code,
            "code": form.code,
            "name": form.name,
            "displayName": form.name,
            "shortName": _short(form.name),
            "displayShortName": _short(form.name),
            "periodType": PERIOD_TYPES[form.period_type],  # type: ignore[index]
            "timelyDays": form.deadline_days,
            "expiryDays": form.close_days_after or 0,
            "openFuturePeriods": 0,
            "categoryCombo": {"id": DEFAULT_COMBO},
            "owner": {"id": form.owner.code},
        }
        if wants(spec, "dataSetElements"):
            items = FormIndicator.objects.filter(form=form).select_related("indicator")
            seen: dict[str, dict] = {}
            for item in items.order_by("order", "id"):
                seen.setdefault(
                    item.indicator.code,
                    {
                        "dataElement": {
                            "id": item.indicator.code,
                            "code": item.indicator.code,
                            "name": item.indicator.name,
                            "valueType": value_type(item.indicator),
                        },
                        "dataSet": {"id": form.code},
                    },
                )
            data["dataSetElements"] = list(seen.values())
        if wants(spec, "organisationUnits"):
            # The units ever assigned by name, and those the form's rules reach today.
            period = containing(today, form.period_type, form.calendar)  # type: ignore[arg-type]
            assigned = {a.unit for a in form.assignments.select_related("unit") if a.unit}
            units = assigned | set(services.expected_units(form, period))
            shown = policy.allowed(user, policy.Action.VIEW, sorted(units, key=lambda u: u.code))
            data["organisationUnits"] = [{"id": u.code} for u in shown]
        result.append(data)
    return result


# Category combos and option combos -------------------------------------------------------


@dataclass
class OptionCombo:
    """A category option combo: a disaggregation option, or the default combo."""

    code: str
    name: str
    combo: str
    """The code of its category combo (its disaggregation, or ``default``)."""
    name_en: str = ""


@dataclass
class CategoryCombo:
    """A category combo: a disaggregation with its options, or the default combo."""

    code: str
    name: str
    options: list[OptionCombo]
    name_en: str = ""

    @property
    def is_default(self) -> bool:
        return self.code == DEFAULT_COMBO


def category_combos(user) -> list[CategoryCombo]:
    """The default combo, then every disaggregation by code: shared data, like indicators.

    Option codes are unique within their disaggregation only; an option combo's id is its
    code, as in data values, because a value's data element names the combo it belongs to.
    """
    policy.require(user, policy.Action.VIEW)
    default = OptionCombo(DEFAULT_COMBO, DEFAULT_COMBO, DEFAULT_COMBO)
    found = [CategoryCombo(DEFAULT_COMBO, DEFAULT_COMBO, [default])]
    groups: dict[int, CategoryCombo] = {}
    for option in DisaggregationOption.objects.select_related("disaggregation").order_by(
        "disaggregation__code", "sort_order", "code"
    ):
        group = option.disaggregation
        if group.pk not in groups:
            groups[group.pk] = CategoryCombo(group.code, group.name, [], group.name_en)
            found.append(groups[group.pk])
        groups[group.pk].options.append(
            OptionCombo(option.code, option.name, group.code, option.name_en)
        )
    return found


def category_option_combos(user) -> list[OptionCombo]:
    return [option for combo in category_combos(user) for option in combo.options]


def _named(code: str, name: str, description: str) -> dict:
    return {
        "id": code,
        "code": code,
        "name": name,
        "displayName": name,
        "shortName": _short(name),
        "displayShortName": _short(name),
        "description": description,
    }


def category_combo_dict(combo: CategoryCombo) -> dict:
    return {
        **_named(combo.code, combo.name, combo.name_en),
        "dataDimensionType": "DISAGGREGATION",
        "isDefault": combo.is_default,
        "skipTotal": False,
        "categories": [{"id": combo.code, "code": combo.code, "name": combo.name}],
        "categoryOptionCombos": [
            {"id": option.code, "code": option.code, "name": option.name}
            for option in combo.options
        ],
    }


def category_option_combo_dict(option: OptionCombo) -> dict:
    return {
        **_named(option.code, option.name, option.name_en),
        "ignoreApproval": False,
        "categoryCombo": {"id": option.combo, "code": option.combo},
        "categoryOptions": [{"id": option.code, "code": option.code, "name": option.name}],
    }
