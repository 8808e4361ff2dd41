"""Reads that return the object or raise: 404 if it does not exist, 403 if the policy says no."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput, NotFound
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind, UnitVersion
from trienkhai.vn import parse_date


def get_unit(user, code: str, action: policy.Action = policy.Action.VIEW) -> Unit:
    """The unit with stable ``code`` if ``user`` may do ``action`` on it."""
    versions = Prefetch("versions", queryset=UnitVersion.objects.select_related("kind", "parent"))
    unit = Unit.objects.prefetch_related(versions).filter(code=code).first()
    if unit is None:
        raise policy.unknown(user, "đơn vị / unit", code)
    policy.require(user, action, unit)
    return unit


def get_parent_for_new_unit(user, code: str | None) -> Unit | None:
    """The parent under which ``user`` may create a unit; None (a root) only for global admins."""
    if not code:
        if not policy.can(user, policy.Action.MANAGE_KINDS):
            raise PermissionDenied(
                "Chỉ quản trị toàn quốc tạo đơn vị gốc / only national admins add roots"
            )
        return None
    try:
        return get_unit(user, code, policy.Action.CHANGE)
    except NotFound:
        raise BadInput(
            "unknown_parent", f"Không có đơn vị cấp trên / unknown parent: {code}"
        ) from None


def get_kind(code: str) -> UnitKind:
    kind = UnitKind.objects.filter(code=code).first()
    if kind is None:
        known = ", ".join(UnitKind.objects.values_list("code", flat=True))
        raise BadInput("unknown_kind", f"Loại đơn vị không có / unknown kind: {code!r} ({known})")
    return kind


def day_or_today(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BadInput("invalid_date", str(exc)) from None


def visible(user, versions: list[UnitVersion]) -> list[UnitVersion]:
    """Keep the versions whose units ``user`` may view (a query per reference date, not per row)."""
    return policy.allowed(user, policy.Action.VIEW, versions)


def find_units(user, text: str, *, limit: int, **filters) -> list[UnitVersion]:
    """The units matching ``text`` that ``user`` may view, the best first, at most
    ``limit`` (``queries.search`` and its ``filters``): ranked among what the user may
    see, not cut from the whole country's best and then filtered."""
    within = policy.visible_root_ids(user, timezone.localdate())
    return visible(user, queries.search(text, within=within, limit=limit, **filters))


def visible_tree(user, day: dt.date) -> list[UnitVersion]:
    """The top of what ``user`` may browse on ``day``: the roots, or the units of their roles.

    Units in office order (``queries.office_order``): a province before its communes.
    A role's unit that does not exist on ``day`` (a district committee abolished in
    2025, looked at today) is still listed, with its last version, so that its holder
    can open it and its history; its children show at the dates it lived.
    """
    roots = policy.visible_root_ids(user, day)
    if roots is None:
        return queries.children(None, day)
    versions = {v.unit_id: v for v in queries.versions_on(day).filter(unit_id__in=roots)}
    for unit_id in policy.role_unit_ids(user) - set(versions):
        latest = (
            UnitVersion.objects.filter(unit_id=unit_id)
            .select_related("unit", "kind", "parent")
            .order_by("-valid_from")
            .first()
        )
        if latest is not None:
            versions[unit_id] = latest
    return queries.office_order(versions.values(), placed=True)


def require_some(user, action: policy.Action) -> None:
    """403 unless ``user`` may do ``action`` somewhere (pages not about one unit)."""
    if not policy.can(user, action):
        raise PermissionDenied


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused before reading past the upload limit."""
    from django.conf import settings

    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise BadInput(
            "file_too_large",
            f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB) / file too large (at most {limit // (1024 * 1024)} MB)",
        )
    return upload.read()


def default_unit(user) -> Unit:
    """The unit a page opens on: the first unit (by code) the user holds a role at; 403
    for a user without any role."""
    unit = Unit.objects.filter(pk__in=policy.role_unit_ids(user)).order_by("code").first()
    if unit is None:
        raise policy.PermissionDenied
    return unit


def visible_subtree_ids(user, unit: Unit) -> list[int]:
    """The units under ``unit`` (itself included) ``user`` may view: those under it on
    its reference day, and those under it on the eve of a day units ended, so that an
    ended district (Chợ Đồn, to 01/07/2025) and its records stay under its province and
    the country; except below a unit the user reaches alone (decision 0004). One subtree
    walk per such eve: the days units ended are few (the reforms)."""
    day = unit.reference_date()
    ids = queries.subtree_ids([unit.pk], day)
    for eve in _eves(unit.valid_from, day):
        ids |= queries.subtree_ids([unit.pk], eve)
    visible = policy.visible_unit_ids(user)
    return sorted(ids if visible is None else ids & visible)


def _eves(start: dt.date, day: dt.date) -> list[dt.date]:
    """The last days of the units that ended after ``start``, before ``day``."""
    ends = (
        Unit.objects.filter(valid_to__gt=start, valid_to__lte=day)
        .order_by()
        .values_list("valid_to", flat=True)
        .distinct()
    )
    eves = {end - dt.timedelta(days=1) for end in ends if end is not None}
    return sorted(eves - {day})
