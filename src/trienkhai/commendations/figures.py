"""The commendation register as a figure source (decision 0039, 0054).

- ``cmd_collectives``: the distinct collectives commended, i.e. units of the subtree
  given an award decided within the span;
- ``cmd_individuals``: the distinct individuals of the subtree's units commended within
  the span (an erased person still counts: their row stays).

A collective or a person commended twice in the span counts once: the figures say how
many were commended, not how many decisions named them.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy

from trienkhai.commendations.models import Award
from trienkhai.reporting.register_sources import RegisterSource, zeroes
from trienkhai.reporting.sources import Figure

COLLECTIVES = "cmd_collectives"
INDIVIDUALS = "cmd_individuals"

FIGURES = (
    Figure(COLLECTIVES, "Số tập thể được khen thưởng", "Collectives commended", "tập thể"),
    Figure(INDIVIDUALS, "Số cá nhân được khen thưởng", "Individuals commended", "cá nhân"),
)


def subtrees_figures(
    codes: Sequence[str],
    subtrees: Mapping[int, Sequence[int]],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> dict[tuple[str, str, int], Decimal]:
    """(code, "", key) → the figure over the awards decided within ``start``–``end`` to
    recipients in the units of each subtree (key → unit ids); 0 where none. One query
    for all the subtrees: the distinct (unit, person) pairs commended, counted per
    subtree here (distinct recipients do not add up from unit totals)."""
    wanted = set(codes)
    result = zeroes(wanted, subtrees, {})
    if not wanted & {COLLECTIVES, INDIVIDUALS}:
        return result
    everyone = sorted({u for units in subtrees.values() for u in units})
    pairs = set(
        Award.objects.filter(
            decided_on__range=(start, end), nomination__recipient_unit_id__among=everyone
        ).values_list("nomination__recipient_unit_id", "nomination__individual_id")
    )
    for key, units in subtrees.items():
        inside = set(units)
        found = [(unit, person) for unit, person in pairs if unit in inside]
        if COLLECTIVES in wanted:
            collectives = {unit for unit, person in found if person is None}
            result[(COLLECTIVES, "", key)] = Decimal(len(collectives))
        if INDIVIDUALS in wanted:
            people = {person for _unit, person in found if person is not None}
            result[(INDIVIDUALS, "", key)] = Decimal(len(people))
    return result


SOURCE = RegisterSource(
    name="commendations",
    figures=FIGURES,
    note=gettext_lazy("Đếm từ sổ khen thưởng"),
    count=subtrees_figures,
)


def ensure_indicators(apps=None) -> None:
    """Create the indicators of the figures if missing (the migration, tests, the demo);
    an existing indicator of that code is only marked as counted by this source."""
    if apps is None:
        from django.apps import apps
    Indicator = apps.get_model("reporting", "Indicator")
    for figure in FIGURES:
        Indicator.objects.update_or_create(
            code=figure.code,
            defaults={"source": SOURCE.name},
            create_defaults={
                "name": figure.name,
                "name_en": figure.name_en,
                "unit_of_measure": figure.unit_of_measure,
                "source": SOURCE.name,
            },
        )
