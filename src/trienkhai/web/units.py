"""Units as people name them on screens: "Huyện ủy Vĩnh Thuận (HU-VT)", "vinh thuan",
"HU-VT" (issue 14: words, not codes; codes only as secondary text)."""

import re

from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.vn import fold

_CODE_AT_END = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()\s]+)\)\s*$")
OWN_LIMIT = 40


def picked(version: UnitVersion) -> str:
    """What a picker shows and writes for a unit: its name, then its code."""
    return f"{version.name} ({version.unit.code})"


def shown(text: str, user) -> str:
    """A field's value shown again: "Name (CODE)" when it names one unit the user may see
    (a code, or a name typed without accents), else as it was typed: the name of a unit
    outside the user's reach is never shown."""
    if _CODE_AT_END.match(text) or user is None:
        return text
    found = policy.allowed(user, policy.Action.VIEW, units_named(text, user))
    return picked(found[0]) if len(found) == 1 else text


def units_named(text: str, user) -> list[UnitVersion]:
    """The units ``text`` names: "Name (CODE)" or a code gives that unit whoever asks
    (the page then decides whether the user may use it: a 403, as for a code in a link);
    a name is looked up among the units ``user`` may see (all with that folded name, else
    all whose name holds the words), never with no user."""
    text = text.strip()
    written = _CODE_AT_END.match(text)
    unit = Unit.objects.filter(code=written["code"] if written else text).first()
    if unit is not None:
        latest = queries.latest_versions([unit.pk])
        return [latest[unit.pk]] if unit.pk in latest else []
    if user is None:
        return []
    wanted = fold(written["name"] if written else text)
    found = [v for v in queries.search(wanted, limit=20) if fold(v.name) == wanted]
    return policy.allowed(user, policy.Action.VIEW, found or queries.search(wanted, limit=20))


def own_units(user) -> list[str]:
    """The units a picker offers before anything is typed: the user's own units and the
    units just under them, by name."""
    day = timezone.localdate()
    roles = policy.role_unit_ids(user)
    if not roles:
        return []
    own = queries.latest_versions(roles)
    children = (
        queries.versions_on(day)
        .filter(parent_id__in=roles)
        .select_related("unit")
        .order_by("unit__code")[:OWN_LIMIT]
    )
    offered = [picked(v) for v in sorted(own.values(), key=lambda v: v.unit.code)]
    return offered + [picked(v) for v in children if picked(v) not in offered][:OWN_LIMIT]
