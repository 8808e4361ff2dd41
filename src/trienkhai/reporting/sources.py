"""Figure sources: registers outside reporting whose figures read like indicators.

An app that counts things that happened (``activities``: classes, conferences,
attendances) registers a ``FigureSource`` from its ``AppConfig.ready``; ``reporting``
and ``analytics`` ask this registry and never import that app (decision 0039).

Each figure of a source is an ordinary ``Indicator`` whose ``source`` names the source;
the engine asks ``values`` instead of reading data values.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from trienkhai.reporting.models import Indicator


@dataclass(frozen=True)
class Figure:
    """One figure a source declares: the code of its indicator and its names."""

    code: str
    name: str
    name_en: str
    unit_of_measure: str = ""


Values = dict[tuple[str, str, int], Decimal]
"""(indicator code, option code or "" for the total, asked unit id) → value."""


class FigureSource(Protocol):
    name: str
    figures: Sequence[Figure]

    @property
    def label(self) -> str:
        """Where its figures come from, in the reader's language, as a cell says it
        ("Đếm từ sổ hoạt động")."""
        ...

    def values(
        self,
        codes: Sequence[str],
        unit_ids: Sequence[int],
        start: dt.date,
        end: dt.date,
        day: dt.date,
        options: Mapping[str, Sequence[str]],
        *,
        carried: bool = False,
    ) -> Values:
        """Each figure of ``codes`` for the subtree on ``day`` of each of ``unit_ids``,
        over the days ``start``–``end`` (both included): the total ("") and each option
        listed for its code in ``options``. Not additive: a source counts distinct
        things over the whole span and subtree itself. Every asked key is answered.
        ``carried`` (the engine's ``as_of``): the units that ended by ``day`` count for
        the unit that stands for them on ``day``, as stored values are carried."""
        ...


_sources: dict[str, FigureSource] = {}


def register(source: FigureSource) -> None:
    """Add ``source`` (again on a reload: the last registration wins)."""
    _sources[source.name] = source


def get(name: str) -> FigureSource | None:
    return _sources.get(name)


def registered() -> list[FigureSource]:
    return list(_sources.values())


def note(name: str) -> str:
    """Where the figures of source ``name`` come from, as the grid writes it under a
    counted cell; a plain note if the source's app is not installed."""
    source = get(name)
    return source.label if source is not None else _("Đếm tự động, không nhập tay")


def count_one(
    indicators: Sequence["Indicator"],
    unit_id: int,
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]],
) -> dict[tuple[str, str], Decimal]:
    """(code, option) → the figure of each sourced indicator of ``indicators`` for the
    subtree of ``unit_id`` (on ``end``) over ``start``–``end``, as the engine answers it
    for that unit and period: one call per source, a few queries whatever the count of
    indicators. ``options``: code → the option codes to split by. An indicator whose
    source is not installed is left out."""
    by_source: dict[str, list[str]] = {}
    for indicator in indicators:
        if indicator.source:
            by_source.setdefault(indicator.source, []).append(indicator.code)
    found: dict[tuple[str, str], Decimal] = {}
    for name, codes in by_source.items():
        source = get(name)
        if source is None:
            continue
        wanted = {code: list(options.get(code, ())) for code in codes}
        values = source.values(codes, [unit_id], start, end, end, wanted)
        found.update({(code, option): v for (code, option, _uid), v in values.items()})
    return found
