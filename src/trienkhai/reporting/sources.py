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
from typing import Protocol


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

    def values(
        self,
        codes: Sequence[str],
        unit_ids: Sequence[int],
        start: dt.date,
        end: dt.date,
        day: dt.date,
        options: Mapping[str, Sequence[str]],
    ) -> Values:
        """Each figure of ``codes`` for the subtree on ``day`` of each of ``unit_ids``,
        over the days ``start``–``end`` (both included): the total ("") and each option
        listed for its code in ``options``. Not additive: a source counts distinct
        things over the whole span and subtree itself. Every asked key is answered."""
        ...


_sources: dict[str, FigureSource] = {}


def register(source: FigureSource) -> None:
    """Add ``source`` (again on a reload: the last registration wins)."""
    _sources[source.name] = source


def get(name: str) -> FigureSource | None:
    return _sources.get(name)


def registered() -> list[FigureSource]:
    return list(_sources.values())
