"""DHIS2's ``fields=`` (``id,name,parent[id,code]``), ``filter=`` and pager for metadata lists."""

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from trienkhai.analytics.dhis2.responses import Dhis2Error

Spec = dict[str, "Spec | None"]
"""Field name → its sub-fields (None: the whole value). ``*`` stands for every field."""

ALL = "*"
_PRESETS = {":all": ALL, ":owner": ALL, ":identifiable": "id,code,name,created,lastUpdated"}
_PRESETS[":nameable"] = _PRESETS[":identifiable"] + ",shortName,description"


def parse_fields(text: str | None, default: str) -> Spec:
    """``"id,name,children[id,name]"`` → {"id": None, "name": None, "children": {...}}."""
    text = (text or "").replace(" ", "") or default
    for preset, expansion in _PRESETS.items():
        text = text.replace(preset, expansion)
    spec, rest = _parse(text, 0, 0)
    if rest != len(text):
        raise Dhis2Error(
            400, "E7651", f"Tham số fields không hợp lệ / illegal fields expression at {rest}"
        )
    return spec


MAX_FIELD_DEPTH = 10
"""How deep ``fields=`` may nest (``children[children[...]]``); DHIS2's own trees are shallow."""


def _parse(text: str, at: int, depth: int) -> tuple[Spec, int]:
    if depth > MAX_FIELD_DEPTH:
        raise Dhis2Error(
            400, "E7651", f"fields lồng quá sâu / fields nested deeper than {MAX_FIELD_DEPTH}"
        )
    spec: Spec = {}
    name = ""
    while at < len(text):
        char = text[at]
        if char == "[" or char == "(":
            sub, at = _parse(text, at + 1, depth + 1)
            if at >= len(text) or text[at] not in "])":
                raise Dhis2Error(400, "E7651", "Thiếu ']' trong fields / unclosed '[' in fields")
            spec[name] = sub
            name = ""
            at += 1
            continue
        if char in "])":
            break
        if char == ",":
            if name:
                spec.setdefault(name, None)
            name = ""
        else:
            name += char
        at += 1
    if name:
        spec.setdefault(name, None)
    return spec, at


def wants(spec: Spec, name: str) -> bool:
    return ALL in spec or name in spec


def project(obj: dict, spec: Spec | None) -> Any:
    """Keep the fields of ``spec`` (in the object's own order), recursively."""
    if spec is None:
        return obj
    everything = ALL in spec
    out = {}
    for key, value in obj.items():
        if not everything and key not in spec:
            continue
        sub = spec.get(key)
        if isinstance(value, dict) and sub:
            value = project(value, sub)
        elif isinstance(value, list) and sub:
            value = [project(v, sub) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


# Filters ---------------------------------------------------------------------------------


def _as_list(value: str) -> list[str]:
    return [v for v in value.strip("[]").split(",") if v != ""]


def _compare(op: str, have: Any, want: str | None) -> bool:
    text = "" if have is None else str(have)
    want = want or ""
    if op == "eq":
        return text == want
    if op in {"!eq", "ne", "neq"}:
        return text != want
    if op == "ieq":
        return text.lower() == want.lower()
    if op == "like":
        return want in text
    if op == "!like":
        return want not in text
    if op == "ilike":
        return want.lower() in text.lower()
    if op == "!ilike":
        return want.lower() not in text.lower()
    if op in {"$like", "$ilike"}:
        return text.lower().startswith(want.lower())
    if op in {"like$", "ilike$"}:
        return text.lower().endswith(want.lower())
    if op == "in":
        return text in _as_list(want)
    if op == "!in":
        return text not in _as_list(want)
    if op == "null":
        return have in (None, "")
    if op == "!null":
        return have not in (None, "")
    if op in {"gt", "ge", "lt", "le"}:
        try:
            a, b = float(text), float(want)
        except ValueError:
            a, b = text, want  # type: ignore[assignment]
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
    raise Dhis2Error(400, "E2035", f"Phép lọc không hỗ trợ / operator not supported: {op}")


def filters(texts: list[str], properties: dict[str, Callable[[Any], Any]]) -> Callable[[Any], bool]:
    """A predicate for DHIS2 ``filter=property:operator:value`` (all must hold).

    ``properties`` maps the properties a list can be filtered on to a getter.
    """
    checks = []
    for text in texts:
        parts = text.split(":", 2)
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise Dhis2Error(
                400, "E2014", f"Không đọc được bộ lọc / unable to parse filter `{text}`"
            )
        prop, op = parts[0], parts[1]
        value = parts[2] if len(parts) == 3 else None
        getter = properties.get(prop)
        if getter is None:
            raise Dhis2Error(
                400,
                "E2034",
                f"Không lọc được theo / filter not supported: `{prop}` "
                f"({', '.join(sorted(properties))})",
            )
        checks.append((getter, op, value))

    def keep(row) -> bool:
        return all(_compare(op, getter(row), value) for getter, op, value in checks)

    return keep


# Paging ----------------------------------------------------------------------------------


def page_of(request, rows: list, *, default_size: int = 50) -> tuple[list, dict | None]:
    """The rows of the requested page and DHIS2's pager (None with ``paging=false``)."""
    params = request.GET
    if params.get("paging", "true").lower() == "false":
        return rows, None
    try:
        page = max(1, int(params.get("page", 1)))
        size = max(1, min(int(params.get("pageSize", default_size)), 10_000))
    except ValueError:
        raise Dhis2Error(
            400, "E7207", "page và pageSize phải là số / page and pageSize must be numbers"
        ) from None
    total = len(rows)
    count = max(1, math.ceil(total / size))
    pager: dict[str, Any] = {"page": page, "pageCount": count, "total": total, "pageSize": size}
    base = request.build_absolute_uri(request.path)
    others = [(k, v) for k, values in params.lists() if k != "page" for v in values]
    if page < count:
        pager["nextPage"] = f"{base}?{urlencode([*others, ('page', page + 1)])}"
    if page > 1:
        pager["prevPage"] = f"{base}?{urlencode([*others, ('page', page - 1)])}"
    start = (page - 1) * size
    return rows[start : start + size], pager
