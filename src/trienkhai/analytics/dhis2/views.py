"""The DHIS2 Web API subset: thin views over metadata, datavalues, single (one value),
registrations and analytics."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.analytics import adx
from trienkhai.analytics.dhis2 import (
    analytics,
    datavalues,
    exports,
    metadata,
    registrations,
    single,
)
from trienkhai.analytics.dhis2.auth import endpoint, signed_in
from trienkhai.analytics.dhis2.fields import filters, page_of, parse_fields, project
from trienkhai.analytics.dhis2.responses import Dhis2Error, ImportSummary, json_body
from trienkhai.orgs.models import Unit
from trienkhai.vn import fold, sort_key

SERVER_VERSION = "2.40.0"
"""The DHIS2 version whose API shapes this subset follows (clients check it)."""


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/dhis2/api").rstrip("/")


def _listing(
    request: HttpRequest, key: str, rows: list, build, *, properties: dict
) -> JsonResponse:
    """A metadata list: filter=, then the page, then fields= on the page's objects."""
    spec = parse_fields(request.GET.get("fields"), "id,displayName")
    keep = filters(request.GET.getlist("filter"), properties)
    rows = [r for r in rows if keep(r)]
    shown, pager = page_of(request, rows)
    body: dict = {}
    if pager is not None:
        body["pager"] = pager
    body[key] = [project(obj, spec) for obj in build(shown, spec)]
    return _json(body)


def _metadata(
    request: HttpRequest, uid: str | None, key: str, rows: list, build, what: str, properties: dict
) -> JsonResponse:
    """One object by its code (``uid``), or the list: what every metadata endpoint answers."""
    if uid is not None:
        return _one(request, [r for r in rows if r.code == uid][:1], build, what, uid)
    return _listing(request, key, rows, build, properties=properties)


def _one(request: HttpRequest, rows: list, build, what: str, uid: str) -> JsonResponse:
    spec = parse_fields(request.GET.get("fields"), "*")
    if not rows:
        return _json(
            {
                "httpStatus": "Not Found",
                "httpStatusCode": 404,
                "status": "ERROR",
                "message": f"Không tìm thấy {what} / {what} with id {uid} could not be found.",
            },
            404,
        )
    return _json(project(build(rows, spec)[0], spec))


# Metadata ----------------------------------------------------------------------------------

_UNIT_PROPERTIES = {
    "id": lambda u: u.code,
    "code": lambda u: u.code,
    "name": lambda u: u.name,
    "displayName": lambda u: u.name,
    "shortName": lambda u: u.name,
    "level": lambda u: u.level,
    "path": lambda u: u.path,
    "parent.id": lambda u: u.parent,
    "parent.code": lambda u: u.parent,
}


@endpoint("GET")
def organisation_units(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    everything = metadata.org_units(request.user)
    units = list(everything)
    params = request.GET
    if uid is None:
        try:
            level = int(params["level"]) if params.get("level") else None
            deepest = int(params["maxLevel"]) if params.get("maxLevel") else None
        except ValueError:
            raise Dhis2Error(409, "E4000", "level phải là số / level must be a number") from None
        if level is not None:
            units = [u for u in units if u.level == level]
        if deepest is not None:
            units = [u for u in units if u.level <= deepest]
        if params.get("userOnly", "").lower() == "true":
            own = policy.role_unit_ids(request.user)
            units = [u for u in units if u.pk in own]
        if params.get("query"):
            words = fold(params["query"]).split()
            units = [u for u in units if all(w in fold(f"{u.name} {u.code}") for w in words)]
        order = params.get("order", "")
        if order.split(":")[0] in {"name", "displayName"}:
            units.sort(key=lambda u: sort_key(u.name), reverse=order.endswith(":desc"))
    else:
        units = [u for u in units if u.code == uid]
    children: dict[str, list[str]] = {}
    spec_text = params.get("fields") or ""
    if "children" in spec_text or "*" in spec_text or ":all" in spec_text or uid:
        for unit in everything:
            if unit.parent:
                children.setdefault(unit.parent, []).append(unit.code)
    href = _base(request)

    def build(rows, spec):
        return [metadata.org_unit_dict(u, spec, children=children, href=href) for u in rows]

    if uid is not None:
        return _one(request, units, build, "đơn vị / organisation unit", uid)
    return _listing(request, "organisationUnits", units, build, properties=_UNIT_PROPERTIES)


_CODE_PROPERTIES = {
    "id": lambda o: o.code,
    "code": lambda o: o.code,
    "name": lambda o: o.name,
    "displayName": lambda o: o.name,
    "shortName": lambda o: o.name,
}


@endpoint("GET")
def data_elements(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    indicators = metadata.data_elements(request.user)
    properties = {
        **_CODE_PROPERTIES,
        "valueType": metadata.value_type,
        "domainType": lambda i: "AGGREGATE",
    }

    def build(rows, spec):
        return metadata.data_element_dicts(rows, spec)

    return _metadata(
        request, uid, "dataElements", indicators, build, "chỉ tiêu / data element", properties
    )


@endpoint("GET")
def data_sets(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    forms = metadata.data_sets(request.user)
    properties = {
        **_CODE_PROPERTIES,
        "periodType": lambda f: metadata.PERIOD_TYPES[f.period_type],
    }

    def build(rows, spec):
        return metadata.data_set_dicts(request.user, rows, spec)

    return _metadata(request, uid, "dataSets", forms, build, "biểu / data set", properties)


@endpoint("GET")
def category_combos(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    combos = metadata.category_combos(request.user)
    properties = {**_CODE_PROPERTIES, "isDefault": lambda c: c.is_default}

    def build(rows, spec):
        return [metadata.category_combo_dict(c) for c in rows]

    return _metadata(
        request, uid, "categoryCombos", combos, build, "phân tổ / category combo", properties
    )


@endpoint("GET")
def category_option_combos(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    options = metadata.category_option_combos(request.user)
    properties = {
        **_CODE_PROPERTIES,
        "categoryCombo.id": lambda o: o.combo,
        "categoryCombo.code": lambda o: o.combo,
    }

    def build(rows, spec):
        return [metadata.category_option_combo_dict(o) for o in rows]

    return _metadata(
        request,
        uid,
        "categoryOptionCombos",
        options,
        build,
        "lựa chọn phân tổ / category option combo",
        properties,
    )


# Data values -------------------------------------------------------------------------------


def _wants_adx(request: HttpRequest, suffix: str | None) -> bool:
    return (
        suffix == "adx"
        or (request.GET.get("format") or "").lower() == "adx"
        or adx.CONTENT_TYPE in request.headers.get("Accept", "")
    )


def _payload_rows(request: HttpRequest, summary: ImportSummary) -> list[datavalues.Row]:
    kind = (request.content_type or "").lower()
    if "adx" in kind or "xml" in kind:
        return adx.rows_from_adx(request.body, summary)
    if kind and "json" not in kind:
        raise Dhis2Error(
            415,
            "E7602",
            f"Kiểu nội dung không hỗ trợ / unsupported content type: {kind} "
            f"(application/json, {adx.CONTENT_TYPE})",
        )
    payload = json_body(request.body)
    return datavalues.rows_from_json(payload, summary)


@endpoint("GET", "POST")
def data_value_sets(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    if request.method == "POST":
        options = datavalues.options_from(request.GET)
        summary = ImportSummary()
        rows = _payload_rows(request, summary)
        datavalues.import_rows(
            acting_user=signed_in(request), rows=rows, options=options, summary=summary
        )
        return summary.response()
    query = exports.export_query(request.user, request.GET)
    values = exports.exported(query)
    if _wants_adx(request, suffix):
        if not query.forms:
            raise Dhis2Error(
                409, "E2013", "ADX cần ít nhất một biểu / at least one data set must be specified"
            )
        return HttpResponse(adx.write_adx(query, values), content_type=adx.CONTENT_TYPE)
    return _json(exports.value_set(query, values))


@endpoint("GET", "POST", "DELETE")
def data_values(request: HttpRequest) -> HttpResponse:
    """One value: read, save, remove (``single``)."""
    if request.method == "POST":
        return single.save(request)
    if request.method == "DELETE":
        return single.delete(request)
    return single.read(request)


@endpoint("GET", "POST")
def complete_registrations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        options = datavalues.options_from(request.GET)
        payload = json_body(request.body)
        summary = registrations.register(
            acting_user=signed_in(request), payload=payload, options=options
        )
        return summary.response()
    query = exports.export_query(request.user, _with_defaults(request))
    return _json({"completeDataSetRegistrations": registrations.listed(query)})


def _with_defaults(request: HttpRequest):
    """A registrations query needs no data element: its data sets stand for them."""
    params = request.GET.copy()
    if not params.get("dataSet") and not params.get("ds"):
        raise Dhis2Error(
            409, "E2013", "Cần ít nhất một biểu / at least one data set must be specified"
        )
    return params


# Analytics ---------------------------------------------------------------------------------


@endpoint("GET")
def analytics_view(request: HttpRequest) -> HttpResponse:
    return _json(analytics.run(request.user, request.GET))


# System ------------------------------------------------------------------------------------


@endpoint("GET")
def system_info(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return _json(
        {
            "contextPath": request.build_absolute_uri("/dhis2").rstrip("/"),
            "version": SERVER_VERSION,
            "revision": "trienkhai",
            "systemName": "trienkhai",
            "calendar": "iso8601",
            "dateFormat": "yyyy-mm-dd",
            "serverDate": now.isoformat(timespec="milliseconds"),
            "serverTimeZoneId": str(timezone.get_current_timezone()),
        }
    )


@endpoint("GET")
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = sorted(
        Unit.objects.filter(pk__in=policy.role_unit_ids(user)).values_list("code", flat=True)
    )
    return _json(
        {
            "id": user.username,
            "username": user.username,
            "name": getattr(user, "full_name", "") or user.username,
            "displayName": getattr(user, "full_name", "") or user.username,
            "organisationUnits": [{"id": code} for code in units],
            "dataViewOrganisationUnits": [{"id": code} for code in units],
        }
    )
