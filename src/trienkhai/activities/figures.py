"""The figures of the activity registers, as a figure source (decision 0039).

Each figure is counted live from the register for a subtree and a span of days:

- ``act_classes``, ``act_study_conferences``, ``act_online_conferences``,
  ``act_conferences`` (both kinds of conference), ``act_club_sessions``: events whose
  organiser is in the subtree and which start within the span;
- ``act_attendances`` (lượt người): attendances at sessions within the span, and the
  heads counted at connected sites beyond the people named there (decision 0046);
- ``act_participants``: the distinct people among those attendances, over the whole
  span and subtree (not the sum of anything); named people only, never heads.

Attendances and participants split by audience group when their indicator has the
``doi_tuong`` breakdown (its option codes are the ``Audience`` codes).

Members' pledges (``pledges.SOURCE``: ``act_pledges_*``), official channels
(``channels.SOURCE``: ``act_channels_active``, ``act_posts_published``) and inspections
(``inspections.SOURCE``: ``act_inspections_*``, ``act_recommendations*``) are sources of
their own, declared in their modules; ``SOURCES`` lists the four.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Model, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from trienkhai.activities import channels, inspections, pledges, sites, tallies
from trienkhai.activities.models import (
    Attendance,
    AttendanceTally,
    Event,
    EventTally,
    Participation,
)
from trienkhai.orgs import queries
from trienkhai.reporting.register_sources import RegisterSource, zeroes
from trienkhai.reporting.sources import Figure

Kind = Event.Kind

EVENT_FIGURES: dict[str, tuple[str, ...]] = {
    "act_classes": (Kind.CLASS,),
    "act_conferences": (Kind.STUDY_CONFERENCE, Kind.ONLINE_CONFERENCE),
    "act_study_conferences": (Kind.STUDY_CONFERENCE,),
    "act_online_conferences": (Kind.ONLINE_CONFERENCE,),
    "act_club_sessions": (Kind.CLUB_SESSION,),
}
ATTENDANCES = "act_attendances"
PARTICIPANTS = "act_participants"

FIGURES = (
    Figure("act_classes", "Số lớp bồi dưỡng đã tổ chức", "Classes held", "lớp"),
    Figure(
        "act_conferences",
        "Số hội nghị học tập, quán triệt và trực tuyến",
        "Conferences held",
        "hội nghị",
    ),
    Figure(
        "act_study_conferences",
        "Số hội nghị học tập, quán triệt",
        "Study conferences held",
        "hội nghị",
    ),
    Figure(
        "act_online_conferences", "Số hội nghị trực tuyến", "Online conferences held", "hội nghị"
    ),
    Figure("act_club_sessions", "Số buổi sinh hoạt câu lạc bộ", "Club sessions held", "buổi"),
    Figure(
        ATTENDANCES, "Lượt người tham gia (theo sổ điểm danh)", "Participant-attendances", "lượt"
    ),
    Figure(PARTICIPANTS, "Số người tham gia (không trùng)", "Distinct participants", "người"),
)


def subtrees_figures(
    codes: Sequence[str],
    subtrees: Mapping[int, Sequence[int]],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> dict[tuple[str, str, int], Decimal]:
    """(code, option, key) → the figure over the events organised by the units of each
    subtree (``subtrees``: key → unit ids) within ``start``–``end``; every asked
    (code, option, key) is answered (0 if none).

    The additive figures (events, attendances) are read once for all the subtrees,
    grouped by organiser, from the monthly tallies for the span's whole months and from
    the register for the days around them (decision 0055), and added up per subtree;
    distinct people are counted per subtree, since they do not add up: among the yearly
    participations for whole years, with the register's attendances of the other days."""
    options = options or {}
    wanted = set(codes)
    everyone = sorted({u for units in subtrees.values() for u in units})
    result = zeroes(wanted, subtrees, options)
    parts = tallies.split(start, end)
    if wanted & EVENT_FIGURES.keys():
        events = _by_organiser(everyone, parts, EventTally, "events", Event, "start", "kind")
        for key, units in subtrees.items():
            for code in wanted & EVENT_FIGURES.keys():
                kinds = EVENT_FIGURES[code]
                total = sum(events[u][k] for u in units if u in events for k in kinds)
                result[(code, "", key)] = Decimal(total)
    if ATTENDANCES in wanted:
        attendances = _by_organiser(
            everyone, parts, AttendanceTally, "attendances", Attendance, "date", "audience"
        )
        # Heads counted at connected sites and not named there (decision 0046): in the
        # total only, a head has no group.
        for organiser, n in sites.unnamed_by_organiser(everyone, start, end).items():
            attendances[organiser][""] += n
        groups = options.get(ATTENDANCES, ())
        for key, units in subtrees.items():
            for u in units:
                for audience, n in attendances.get(u, {}).items():
                    result[(ATTENDANCES, "", key)] += n
                    if audience in groups:
                        result[(ATTENDANCES, audience, key)] += n
    if PARTICIPANTS in wanted:
        groups = options.get(PARTICIPANTS, ())
        for key, units in subtrees.items():
            result[(PARTICIPANTS, "", key)] = Decimal(_people(units, parts))
            if not groups:
                continue
            if parts.years and not parts.year_edges:
                per_group = (
                    _in_years(units, parts.years)
                    .filter(audience__in=groups)
                    .values("audience")
                    .annotate(people=Count("person", distinct=True))
                    .values_list("audience", "people")
                )
                for audience, people in per_group:
                    result[(PARTICIPANTS, audience, key)] = Decimal(people)
                continue
            for audience in groups:
                result[(PARTICIPANTS, audience, key)] = Decimal(_people(units, parts, audience))
    return result


def _by_organiser(
    units: Sequence[int],
    parts: tallies.Split,
    tally: type[Model],
    total: str,
    register: type[Model],
    day: str,
    key: str,
) -> dict[int, Counter[str]]:
    """Organiser → ``key`` (kind, group) → how many rows of ``register`` (events by
    ``day`` of start, attendances by session date) within the span ``parts``: the
    ``tally``'s ``total`` for the whole months, the register's rows for the days around."""
    reads: list[QuerySet[Any, Any]] = []
    if parts.months:
        tallied = tally._default_manager.filter(
            organiser_id__among=units, month__range=parts.months
        )
        reads.append(tallied.values("organiser_id", key).annotate(n=Sum(total)))
    for days in parts.month_edges:
        kept = register._default_manager.filter(
            organiser_id__among=units, **{f"{day}__range": days}
        )
        reads.append(kept.values("organiser_id", key).annotate(n=Count("id")))
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for read in reads:
        for organiser, value, n in read.values_list("organiser_id", key, "n"):
            found[organiser][value] += n
    return found


def _in_years(units: Sequence[int], years: tuple[int, int]) -> QuerySet[Participation]:
    """The participations at ``units``' events in any of the whole ``years``."""
    mask = Participation.mask(*years)
    return (
        Participation.objects.filter(organiser_id__among=units)
        .alias(hit=F("years").bitand(mask))
        .filter(hit__gt=0)
    )


def _people(units: Sequence[int], parts: tallies.Split, audience: str | None = None) -> int:
    """The distinct people at the events of ``units`` within the span ``parts`` (in the
    group ``audience`` at a session, when given): one query, a UNION when the span has
    whole years and other days."""
    chosen = {} if audience is None else {"audience": audience}
    queries: list[QuerySet[Any, tuple[int]]] = []
    if parts.years:
        queries.append(_in_years(units, parts.years).filter(**chosen).values_list("person_id"))
    if parts.year_edges:
        days = Q()
        for edge in parts.year_edges:
            days |= Q(date__range=edge)
        queries.append(
            Attendance.objects.filter(days, organiser_id__among=units, **chosen).values_list(
                "person_id"
            )
        )
    if not queries:
        return 0
    if len(queries) == 1:
        return queries[0].distinct().count()
    return queries[0].union(queries[1]).count()


SOURCE = RegisterSource(
    name="activities",
    figures=FIGURES,
    note=gettext_lazy("Đếm từ sổ hoạt động"),
    count=subtrees_figures,
)

# Members' pledges and official channels (issue 16 items 3 and 4) are sources of their
# own, so that a counted cell names the register it is counted from.
SOURCES: tuple[RegisterSource, ...] = (SOURCE, pledges.SOURCE, channels.SOURCE, inspections.SOURCE)
"""Every figure source of the activity registers (``ActivitiesConfig.ready`` registers
them; ``ensure_indicators`` makes their indicators)."""


def ensure_indicators(apps=None) -> None:
    """Create the indicators of the figures if missing (the migration, tests, the demo).

    An existing indicator of that code is left as it is, except that it is marked as
    counted by this source."""
    if apps is None:
        from django.apps import apps
    Indicator = apps.get_model("reporting", "Indicator")
    for source in SOURCES:
        for figure in source.figures:
            indicator, created = Indicator.objects.get_or_create(
                code=figure.code,
                defaults={
                    "name": figure.name,
                    "name_en": figure.name_en,
                    "unit_of_measure": figure.unit_of_measure,
                    "source": source.name,
                },
            )
            if not created and indicator.source != source.name:
                indicator.source = source.name
                indicator.save(update_fields=["source"])


def subtree_figures(unit, start: dt.date, end: dt.date) -> dict[tuple[str, str], Decimal]:
    """Every figure for ``unit``'s subtree (on ``end``, or its last day if it ended)."""
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, unit.reference_date(end))]
    found = subtrees_figures([f.code for f in FIGURES], {unit.pk: subtree}, start, end)
    return {(code, option): value for (code, option, _), value in found.items()}


def every_subtree_figure(unit, start: dt.date, end: dt.date) -> list[tuple[Figure, Decimal]]:
    """Every figure of every source of the registers for ``unit``'s subtree (on ``end``,
    or its last day if it ended) over ``start``–``end``, as the engine answers them."""
    day = unit.reference_date(end)
    # One walk of the subtree for every source (a country's is some 70 ms).
    subtrees = {unit.pk: [u for u, _ in queries.descendant_ids(unit.pk, day)]}
    found: list[tuple[Figure, Decimal]] = []
    for source in SOURCES:
        codes = [f.code for f in source.figures]
        values = source.count(codes, subtrees, start, end, {})
        found += [(f, values[(f.code, "", unit.pk)]) for f in source.figures]
    return found


def register_years(unit) -> list[int]:
    """The years the other registers of ``unit``'s subtree hold something in (pledge
    lists, channels' counts, inspections and plans), latest first: what a year of the
    figures above the list of events may count when there is no event."""
    found = {*pledges.years(unit), *channels.count_years(unit), *inspections.years(unit)}
    return sorted(found, reverse=True)


def opening_year(years: Sequence[int], today: dt.date) -> int | None:
    """The year a page opens on among ``years`` that hold something: this year, else the
    latest before it, else the first after it (only planned ones); None without any."""
    if today.year in years:
        return today.year
    past = [year for year in years if year < today.year]
    if past:
        return max(past)
    return min(years, default=None)
