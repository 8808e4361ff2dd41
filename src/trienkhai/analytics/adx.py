"""ADX (IHE QRPH Aggregate Data Exchange) as DHIS2 implements it: read and write.

::

    <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-05T10:00:00Z">
      <group dataSet="BC35-VT-6T" orgUnit="DU-VT-31060" period="2021-01-01/P6M">
        <dataValue dataElement="luot_tham_gia" value="250"/>
        <dataValue dataElement="luot_theo_doi_tuong" doi_tuong="dang_vien" value="120">
          <annotation>theo biên bản</annotation>
        </dataValue>
      </group>
    </adx>

Identifiers are codes (ADX's and DHIS2's default for ADX). A period is its first day and
an ISO 8601 duration (``P1Y``, ``P6M``, ``P3M``, ``P1M``) in the form's calendar; a
disaggregated value names its disaggregation as an attribute whose value is the
option's code. The parser is defusedxml with DTDs forbidden: no entity expansion, no
external reference, whatever the payload says.
"""

import datetime as dt
import xml.etree.ElementTree as ET  # writing only: the output is ours
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as parse_xml
from django.utils import timezone

from trienkhai.analytics.dhis2.datavalues import Row
from trienkhai.analytics.dhis2.exports import Export
from trienkhai.analytics.dhis2.metadata import DEFAULT_COMBO
from trienkhai.analytics.dhis2.responses import Dhis2Error, ImportSummary
from trienkhai.common.errors import BadInput
from trienkhai.reporting.models import Form
from trienkhai.reporting.periods import Calendar, Period, PeriodType, containing, parse

NAMESPACE = "urn:ihe:qrph:adx:2015"
CONTENT_TYPE = "application/adx+xml"
DURATIONS = {
    PeriodType.YEARLY: "P1Y",
    PeriodType.SIXMONTHLY: "P6M",
    PeriodType.QUARTERLY: "P3M",
    PeriodType.MONTHLY: "P1M",
}
_TYPES = {duration: kind for kind, duration in DURATIONS.items()}
_GROUP_KEYS = {"orgUnit", "period", "dataSet", "completeDate", "attributeOptionCombo"}


def adx_period(period: Period) -> str:
    """``2021S1`` → ``2021-01-01/P6M`` (``2020-12-15/P6M`` under Nghị định 09)."""
    return f"{period.start.isoformat()}/{DURATIONS[period.type]}"


def period_id(text: str, calendar: Calendar | str = Calendar.GREGORIAN) -> str:
    """``2021-01-01/P6M`` → ``2021S1`` in ``calendar``; a DHIS2 id passes as it is.

    BadInput when the start is not the first day of such a period.
    """
    text = (text or "").strip()
    if "/" not in text:
        return parse(text, calendar).id
    start_text, duration = text.split("/", 1)
    kind = _TYPES.get(duration.upper())
    try:
        start = dt.date.fromisoformat(start_text)
    except ValueError:
        start = None
    if kind is None or start is None:
        raise BadInput("invalid_period", f"Kỳ ADX không hợp lệ / invalid ADX period: {text!r}")
    period = containing(start, kind, calendar)
    if period.start != start:
        raise BadInput(
            "invalid_period",
            f"{start_text} không phải ngày đầu một kỳ {duration} / "
            f"{start_text} does not start a {duration} period: {text!r}",
        )
    return period.id


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def rows_from_adx(data: bytes, summary: ImportSummary) -> list[Row]:
    """The data values of an ADX document as import rows, numbered in document order.

    The whole document is refused (400) if it is not well-formed ADX or carries a DTD;
    a group or value that lacks what it needs is a conflict naming its position.
    """
    try:
        root = parse_xml(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise Dhis2Error(
            400, "E7602", f"Không đọc được ADX / unreadable ADX document: {exc}"
        ) from None
    if _local(root.tag) != "adx":
        raise Dhis2Error(
            400, "E7602", f"Phần tử gốc phải là adx / the root element must be <adx ({NAMESPACE})>"
        )
    calendars = dict(Form.objects.values_list("code", "calendar"))
    rows: list[Row] = []
    index = 0
    for group in root:
        if _local(group.tag) != "group":
            continue
        values = [v for v in group if _local(v.tag) == "dataValue"]
        data_set = (group.get("dataSet") or "").strip()
        org_unit = (group.get("orgUnit") or "").strip()
        raw_period = (group.get("period") or "").strip()
        problem = None
        if not data_set:
            problem = ("E7602", "Nhóm ADX thiếu dataSet / an ADX group needs a dataSet", "dataSet")
        elif data_set not in calendars:
            problem = (
                "E7600",
                f"Không có biểu / data set not found or not accessible: `{data_set}`",
                "dataSet",
            )
        elif not org_unit:
            problem = ("E7612", "Nhóm ADX thiếu orgUnit / an ADX group needs an orgUnit", "orgUnit")
        period = ""
        if problem is None:
            try:
                period = period_id(raw_period, calendars[data_set])
            except BadInput as exc:
                problem = ("E7611", f"{exc.message}", "period")
        extra = {k: v for k, v in group.attrib.items() if k not in _GROUP_KEYS}
        attribute = (group.get("attributeOptionCombo") or "").strip()
        if problem is None and (extra or attribute not in ("", DEFAULT_COMBO)):
            problem = (
                "E7615",
                f"Chỉ có tổ hợp thuộc tính mặc định / attribute option combo not found: {extra or attribute}",
                "attributeOptionCombo",
            )
        for value in values:
            if problem is not None:
                code, message, prop = problem
                summary.conflict(index, code, message, prop=prop, obj=group.get(prop) or "")
                index += 1
                continue
            rows.append(_row(value, index, data_set, org_unit, period, summary))
            index += 1
    return [row for row in rows if row.index >= 0]


def _row(value, index: int, data_set: str, org_unit: str, period: str, summary) -> Row:
    categories = {k: v for k, v in value.attrib.items() if k not in {"dataElement", "value"}}
    annotation = next((c.text or "" for c in value if _local(c.tag) == "annotation"), None)
    row = Row(
        index=index,
        data_element=(value.get("dataElement") or "").strip(),
        period=period,
        org_unit=org_unit,
        value=value.get("value"),
        has_value="value" in value.attrib,
        comment=annotation.strip() if annotation else None,
        data_set=data_set,
    )
    if len(categories) > 1:
        summary.conflict(
            index,
            "E7634",
            f"Chỉ một phân tổ cho mỗi giá trị / one disaggregation per value: {sorted(categories)}",
            prop="categoryOptionCombo",
        )
        row.index = -1  # dropped: already a conflict
    elif categories:
        row.category, row.option = next(iter(categories.items()))
    return row


def write_adx(query: Export, values: Iterable[dict]) -> bytes:
    """The values of a data value set export as ADX, one group per form, unit and period.

    ``values`` are those of ``datavalues.exported``; a value goes to each form of the
    query that carries its indicator (DHIS2 exports ADX per data set).
    """
    forms = query.forms
    root = ET.Element("adx", {"xmlns": NAMESPACE, "exported": timezone.now().isoformat()})
    members = {
        form.code: set(form.items.values_list("indicator__code", flat=True)) for form in forms
    }
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for value in values:
        for form in forms:
            if value["dataElement"] in members[form.code]:
                groups.setdefault((form.code, value["orgUnit"], value["period"]), []).append(value)
    disaggregations = _disaggregations(query)
    calendars = {form.code: form.calendar for form in forms}
    for (form_code, unit_code, period_text), group_values in groups.items():
        period = parse(period_text, calendars[form_code])
        group = ET.SubElement(
            root,
            "group",
            {"dataSet": form_code, "orgUnit": unit_code, "period": adx_period(period)},
        )
        for value in group_values:
            attributes = {"dataElement": value["dataElement"]}
            category = disaggregations.get(value["dataElement"])
            if category and value["categoryOptionCombo"] != DEFAULT_COMBO:
                attributes[category] = value["categoryOptionCombo"]
            attributes["value"] = value["value"]
            element = ET.SubElement(group, "dataValue", attributes)
            if value.get("comment"):
                ET.SubElement(element, "annotation").text = value["comment"]
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _disaggregations(query: Export) -> dict[str, str]:
    return {
        i.code: i.disaggregation.code  # type: ignore[union-attr]
        for i in query.indicators
        if i.disaggregation_id
    }
