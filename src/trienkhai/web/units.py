"""Units as people name them on screens: "Huyện ủy Vĩnh Thuận (HU-VT)", "vinh thuan",
"HU-VT"; and as pickers offer them: "Xã Tân Hòa — Huyện Vĩnh Thuận, Tỉnh Kiên Giang",
the code as secondary text (issue 14: words, not codes)."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trienkhai.accounts import policy
from trienkhai.orgs import access, queries
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.vn import fold, format_date

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
    found = access.find_units(user, wanted, limit=20)
    return [v for v in found if fold(v.name) == wanted] or found


class Option(NamedTuple):
    """A unit as a picker offers it: what it writes, and the words that tell it apart."""

    value: str
    """What the picker writes in the field: "Xã Tân Hòa (HC04-31234)"."""
    name: str
    context: str
    """Where the unit sits: "Huyện Vĩnh Thuận, Tỉnh Kiên Giang"; "" for a top unit."""
    code: str
    when: str = ""
    """For a unit (or a name) that does not hold on the day: "đến 30/06/2025"."""

    @property
    def label(self) -> str:
        """What the option reads: "Xã Tân Hòa — Huyện Vĩnh Thuận, Tỉnh Kiên Giang", "Xã
        Tân Hòa (đến 30/06/2025) — Huyện Vĩnh Thuận"."""
        named = f"{self.name} ({self.when})" if self.when else self.name
        return f"{named} — {self.context}" if self.context else named

    @property
    def aside(self) -> str:
        """What the option reads after the name: "(đến 30/06/2025) — Huyện Vĩnh Thuận"."""
        parts = [f"({self.when})" if self.when else "", self.context]
        return " — ".join(part for part in parts if part)

    @property
    def described(self) -> str:
        """The option in a sentence, with its code: "Xã Tân Hòa — Huyện Vĩnh Thuận (T1)"."""
        return f"{self.label} ({self.code})"


def held_when(version: UnitVersion, day: dt.date | None = None) -> str:
    """The words that tell a version which does not hold on ``day`` (default today):
    "đến 30/06/2025" for one that ended (its last day), "từ 01/07/2026" for one to come;
    "" for one that holds. A 2020 commune is then not taken for today's."""
    day = day or timezone.localdate()
    if version.valid_to is not None and version.valid_to <= day:
        return _("đến %(day)s") % {"day": format_date(version.last_day)}
    if version.valid_from > day:
        return pgettext("a unit from a day", "từ %(day)s") % {
            "day": format_date(version.valid_from)
        }
    return ""


def contexts(
    versions: list[UnitVersion], known: Mapping[int, queries.Place] | None = None
) -> dict[int, str]:
    """Where each unit of a list sits, in words, by unit id: its parent's name, and its
    grandparent's too where another unit of the list bears the same name under a parent
    of the same name (two "Xã Tân Hòa" under two "Huyện Châu Thành"). The top of the
    tree is never named. One query (``queries.places``) unless the places are ``known``.
    """
    found = queries.places(versions) if known is None else known

    def above(version: UnitVersion, levels: int) -> tuple[str, ...]:
        place = found.get(version.unit_id)
        return place.above[:levels] if place else ()

    def alike(version: UnitVersion) -> tuple[str, ...]:
        return (fold(version.name), *(fold(name) for name in above(version, 1)))

    twins = Counter(alike(v) for v in {v.unit_id: v for v in versions}.values())
    return {v.unit_id: ", ".join(above(v, 2 if twins[alike(v)] > 1 else 1)) for v in versions}


def options(
    versions: list[UnitVersion],
    known: Mapping[int, queries.Place] | None = None,
    *,
    day: dt.date | None = None,
) -> list[Option]:
    """The picker's options for ``versions``, in their order, each with its context, and
    for a version that does not hold on ``day`` (default today), until when it held."""
    where = contexts(versions, known)
    return [
        Option(picked(v), v.name, where[v.unit_id], v.unit.code, held_when(v, day))
        for v in versions
    ]


def listed(versions: list[UnitVersion]) -> str:
    """Units in a sentence (a form's "which one?"), each as a picker offers it, with its
    code: "Xã Tân Hòa — Huyện Châu Thành, Tỉnh Bến Tre (T3); …" (one query)."""
    return "; ".join(option.described for option in options(versions))


def own_units(user) -> list[Option]:
    """The units a picker offers before anything is typed: the user's own units, then
    the units just under them (at most ``OWN_LIMIT``), each group in office order
    (``queries.office_order``), each with where it sits: four queries, whatever the size."""
    day = timezone.localdate()
    roles = policy.role_unit_ids(user)
    if not roles:
        return []
    own = list(queries.latest_versions(roles).values())
    below = list(queries.versions_on(day).filter(parent_id__in=roles).exclude(unit_id__in=roles))
    found = queries.places([*own, *below])
    offered = [
        *queries.office_order(own, known=found),
        *queries.office_order(below, known=found)[:OWN_LIMIT],
    ]
    return options(offered, found)
