"""The figures of the activity registers, as a figure source (decision 0039).

Each figure is counted live from the register for a subtree and a span of days:

- ``act_classes``, ``act_study_conferences``, ``act_online_conferences``,
  ``act_conferences`` (both kinds of conference), ``act_club_sessions``: events whose
  organiser is in the subtree and which start within the span;
- ``act_attendances`` (lượt người): attendances at sessions within the span;
- ``act_participants``: the distinct people among those attendances, over the whole
  span and subtree (not the sum of anything).

Attendances and participants split by audience group when their indicator has the
``doi_tuong`` breakdown (its option codes are the ``Audience`` codes).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import Count

from trienkhai.activities.models import Attendance, Event
from trienkhai.orgs import queries
from trienkhai.reporting.sources import Figure, Values

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


class ActivitiesSource:
    name: str = "activities"
    figures: Sequence[Figure] = FIGURES

    def values(
        self,
        codes: Sequence[str],
        unit_ids: Sequence[int],
        start: dt.date,
        end: dt.date,
        day: dt.date,
        options: Mapping[str, Sequence[str]],
    ) -> Values:
        found: Values = {}
        for uid in unit_ids:
            subtree = [u for u, _ in queries.descendant_ids(uid, day)]
            for code, value in unit_figures(codes, subtree, start, end, options).items():
                found[(code[0], code[1], uid)] = value
        return found


def unit_figures(
    codes: Sequence[str],
    unit_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> dict[tuple[str, str], Decimal]:
    """(code, option) → the figure over the events organised by ``unit_ids`` (one
    subtree) within ``start``–``end``. Every asked (code, option) is answered (0 if none)."""
    options = options or {}
    wanted = set(codes)
    result: dict[tuple[str, str], Decimal] = {}
    for code in wanted:
        for option in ["", *options.get(code, ())]:
            result[(code, option)] = Decimal(0)
    if wanted & EVENT_FIGURES.keys():
        by_kind = dict(
            Event.objects.filter(organiser_id__in=unit_ids, start__range=(start, end))
            .values("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        for code in wanted & EVENT_FIGURES.keys():
            result[(code, "")] = Decimal(sum(by_kind.get(kind, 0) for kind in EVENT_FIGURES[code]))
    if wanted & {ATTENDANCES, PARTICIPANTS}:
        rows = Attendance.objects.filter(organiser_id__in=unit_ids, date__range=(start, end))
        split = any(options.get(code) for code in (ATTENDANCES, PARTICIPANTS))
        if split:
            per_group = rows.values("audience").annotate(
                n=Count("id"), people=Count("person", distinct=True)
            )
            for group in per_group:
                if group["audience"] in options.get(ATTENDANCES, ()):
                    result[(ATTENDANCES, group["audience"])] = Decimal(group["n"])
                if group["audience"] in options.get(PARTICIPANTS, ()):
                    result[(PARTICIPANTS, group["audience"])] = Decimal(group["people"])
        total = rows.aggregate(n=Count("id"), people=Count("person", distinct=True))
        result[(ATTENDANCES, "")] = Decimal(total["n"])
        result[(PARTICIPANTS, "")] = Decimal(total["people"])
    return {key: value for key, value in result.items() if key[0] in wanted}


SOURCE = ActivitiesSource()


def ensure_indicators(apps=None) -> None:
    """Create the indicators of the figures if missing (the migration, tests, the demo).

    An existing indicator of that code is left as it is, except that it is marked as
    counted by this source."""
    if apps is None:
        from django.apps import apps
    Indicator = apps.get_model("reporting", "Indicator")
    for figure in FIGURES:
        indicator, created = Indicator.objects.get_or_create(
            code=figure.code,
            defaults={
                "name": figure.name,
                "name_en": figure.name_en,
                "unit_of_measure": figure.unit_of_measure,
                "source": SOURCE.name,
            },
        )
        if not created and indicator.source != SOURCE.name:
            indicator.source = SOURCE.name
            indicator.save(update_fields=["source"])


def subtree_figures(unit, start: dt.date, end: dt.date) -> dict[tuple[str, str], Decimal]:
    """Every figure for ``unit``'s subtree (on ``end``, or its last day if it ended)."""
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, unit.reference_date(end))]
    return unit_figures([f.code for f in FIGURES], subtree, start, end)
