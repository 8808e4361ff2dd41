"""One data value at a time: GET, POST and DELETE /dhis2/api/dataValues, as DHIS2 answers.

::

    GET    dataValues?de=lop_ke_hoach&pe=2020S1&ou=C1&co=default   → ["12"]
    POST   dataValues?de=…&pe=…&ou=…&co=…&value=12[&comment=…&ds=…] → 201, no body
    POST   dataValues  {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}
    DELETE dataValues?de=…&pe=…&ou=…&co=…                          → 204, no body

The parameters come from the query string, a form body or a JSON body (DHIS2 takes all
three). A write is an import of one row through ``datavalues.import_rows``: the same
checks as a data value set (data element, period, unit, option combo, value type,
scope, assignment, entry window, locked reports) and the same write. Its conflict is
answered as DHIS2's single-value endpoint answers it: 409 with the error code that
endpoint uses (E1100 data element, E1101 period, E1102 unit, E1103 option combo,
E2020 outside the caller's units, E2017 locked, E2025 entry closed …). A caller with no
right to enter data anywhere gets 403, as a DHIS2 user without the authority does.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from trienkhai.accounts import policy
from trienkhai.analytics.dhis2 import datavalues
from trienkhai.analytics.dhis2.auth import signed_in
from trienkhai.analytics.dhis2.exports import machine_text
from trienkhai.analytics.dhis2.responses import Dhis2Error, ImportSummary, json_body
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import DataValue, DisaggregationOption, Indicator
from trienkhai.reporting.periods import parse

_CODES = {
    # the import's conflict → the code of DHIS2's single-value endpoint
    "E7600": "E1105",
    "E7610": "E1100",
    "E7611": "E1101",
    "E7612": "E1102",
    "E7615": "E1104",
    "E7617": "E2020",
    "E7630": "E1103",
    "E7634": "E1103",
    "E7632": "E1101",
    "E7633": "E2021",
    "E7619": "E2030",
    "E7640": "E2025",
    "E7642": "E2017",
}
_JSON_NAMES = {
    "dataElement": "de",
    "period": "pe",
    "orgUnit": "ou",
    "categoryOptionCombo": "co",
    "attributeOptionCombo": "ao",
    "dataSet": "ds",
    "value": "value",
    "comment": "comment",
}


def _params(request: HttpRequest) -> dict[str, Any]:
    """de, pe, ou, co, ao (cc/cp), ds, value, comment: query string, then form or JSON body."""
    found: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    kind = (request.content_type or "").lower()
    if request.method == "POST" and "json" in kind and request.body:
        body = json_body(request.body)
        if not isinstance(body, dict):
            raise Dhis2Error(
                400, "E7602", "Cần một đối tượng JSON / a data value JSON object is required"
            )
        for name, key in _JSON_NAMES.items():
            if name in body:
                found[key] = body[name]
    elif request.method == "POST":
        found.update({key: request.POST.get(key) for key in request.POST})
    missing = [key for key in ("de", "pe", "ou") if not found.get(key)]
    if missing:
        raise Dhis2Error(
            400,
            "E2000",
            f"Thiếu tham số / required request parameter missing: {', '.join(missing)}",
        )
    if found.get("cc") or found.get("cp"):
        # An attribute combo named by category combo and options: only the default exists.
        found.setdefault("ao", f"{found.get('cc') or ''} {found.get('cp') or ''}".strip())
    return found


def _row(params: dict[str, Any], *, deleted: bool = False) -> datavalues.Row:
    def text(key: str) -> str:
        value = params.get(key)
        return "" if value is None else str(value).strip()

    return datavalues.Row(
        index=0,
        data_element=text("de"),
        period=text("pe"),
        org_unit=text("ou"),
        option=text("co"),
        attribute=text("ao"),
        value=params.get("value"),
        has_value=params.get("value") is not None,
        comment=None if params.get("comment") is None else str(params["comment"]),
        deleted=deleted,
        data_set=text("ds"),
    )


def _refused(summary: ImportSummary) -> Dhis2Error:
    conflict = summary.conflicts[0]
    return Dhis2Error(
        409, _CODES.get(conflict["errorCode"], conflict["errorCode"]), conflict["value"]
    )


def _may_enter_somewhere(user) -> None:
    if not policy.can(user, policy.Action.ENTER_DATA):
        raise Dhis2Error(
            403,
            "E1006",
            "Bạn không có quyền nhập số liệu / you don't have the proper permissions to write data values",
        )


def save(request: HttpRequest) -> HttpResponse:
    """POST: create or update one value (an empty value removes it); 201 with no body."""
    _may_enter_somewhere(request.user)
    row = _row(_params(request))
    summary = ImportSummary()
    datavalues.import_rows(
        acting_user=signed_in(request), rows=[row], options=datavalues.Options(), summary=summary
    )
    if summary.conflicts:
        raise _refused(summary)
    return HttpResponse(status=201)


def delete(request: HttpRequest) -> HttpResponse:
    """DELETE: remove one value; 204, or 409 when there is none."""
    _may_enter_somewhere(request.user)
    row = _row(_params(request), deleted=True)
    summary = ImportSummary()
    datavalues.import_rows(
        acting_user=signed_in(request), rows=[row], options=datavalues.Options(), summary=summary
    )
    if summary.conflicts:
        raise _refused(summary)
    if not summary.deleted:
        raise Dhis2Error(
            409,
            "E2032",
            "Không có giá trị để xóa / data value cannot be deleted because it does not exist",
        )
    return HttpResponse(status=204)


def read(request: HttpRequest) -> JsonResponse:
    """GET: the value as DHIS2 writes it, in a one-element list (``["12"]``)."""
    params = _params(request)
    row = _row(params)
    indicator = (
        Indicator.objects.select_related("disaggregation").filter(code=row.data_element).first()
    )
    if indicator is None:
        raise Dhis2Error(
            409,
            "E1100",
            f"Không có chỉ tiêu / data element not found or not accessible: `{row.data_element}`",
        )
    option = option_of(indicator, row.option)
    if option is None:
        raise Dhis2Error(
            409,
            "E1103",
            f"Phân tổ `{row.option}` không thuộc chỉ tiêu {indicator.code} / "
            f"category option combo not found or not accessible: `{row.option}`",
        )
    if row.attribute not in datavalues.DEFAULT_COMBOS:
        raise Dhis2Error(
            409,
            "E1104",
            f"Chỉ có tổ hợp mặc định / attribute option combo not found or not accessible: `{row.attribute}`",
        )
    try:
        period = parse(row.period)
    except BadInput:
        raise Dhis2Error(
            409, "E1101", f"Kỳ không hợp lệ / period is invalid: `{row.period}`"
        ) from None
    unit = Unit.objects.filter(code=row.org_unit).first()
    if unit is None:
        raise Dhis2Error(
            409,
            "E1102",
            f"Không có đơn vị / organisation unit not found or not accessible: `{row.org_unit}`",
        )
    if not policy.can(request.user, policy.Action.VIEW, unit):
        raise Dhis2Error(
            409,
            "E2020",
            f"Bạn không được xem số liệu của {unit.code} / organisation unit is not in the hierarchy of the current user: `{unit.code}`",
        )
    stored = DataValue.objects.filter(
        indicator=indicator, option=option, unit=unit, period=period.id
    ).first()
    if stored is None:
        raise Dhis2Error(409, "E2032", "Chưa có giá trị / data value does not exist")
    response = JsonResponse(
        [machine_text(indicator, stored.value_number, stored.value_text)],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response


def option_of(indicator: Indicator, code: str) -> str | None:
    """The stored option of a category option combo code for ``indicator`` (``""`` for the
    default combo of an indicator that is not disaggregated); None if it is not one of its."""
    if not indicator.disaggregation_id:
        return "" if code in datavalues.DEFAULT_COMBOS else None
    known = DisaggregationOption.objects.filter(
        disaggregation_id=indicator.disaggregation_id, code=code
    ).exists()
    return code if known else None
