"""Connected sites (điểm cầu) of online conferences: which unit hosts each, where, and
how many people followed each session there when they are counted by head rather than
by name (issue 16 item 2; docs/decisions/0046-connected-sites.md).

An online conference is held from a main site (the event's place, at the organiser)
with connected sites in the units below it ("12 hội nghị trực tuyến" of Chợ Đồn, with a
site in each commune). Everything counts for the organiser, which holds the event: a
site adds attendances to the organiser's figures, never to its host's. A person may be
recorded at a site by name (``Attendance.site``, from an attendance list); a site's
head count of a session (``SiteCount``) is the whole number there, the named people
among them, so it adds ``people - named`` attendances without names. Those are never
people: ``act_participants`` counts named people only.

Writes (keyword-only ``acting_user``, CHANGE on the organiser, one transaction, the
history row in it): ``add_sites``, ``change_site`` (place, head counts), ``remove_site``.
Reads: the event's VIEW (``access.get_event``).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from trienkhai.accounts import policy
from trienkhai.activities.models import Attendance, Event, Session, Site, SiteCount
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.vn.numbers import format_number
from trienkhai.vn.text import fold, nfc

MAX_HEADS = 100_000
"""More people than this at one site in one session is a typing slip."""
PLACE_LENGTH = 300


@dataclass(frozen=True)
class SiteInput:
    """A site as asked for: its host unit's code and, optionally, where it is."""

    unit: str
    place: str = ""


def _problem(row: int, column: str, vi: str, en: str) -> dict:
    return {"row": row, "column": column, "problem": f"{vi} / {en}"}


def _audited(instance, acting_user: Actor):
    user = user_of(acting_user)
    if user is not None:
        instance._history_user = user
    return instance


def _require_online(event: Event) -> None:
    if event.kind != Event.Kind.ONLINE_CONFERENCE:
        raise BadInput(
            "sites_not_online",
            "Chỉ hội nghị trực tuyến có điểm cầu / only an online conference has connected sites",
        )


def near(event: Event) -> int:
    """The unit whose subtree may host the event's sites: the one above the organiser
    when the conference begins (a district committee's communes, for the committee or
    for its Ban Tuyên giáo), or the organiser itself at the top of the tree."""
    above = queries.ancestors(event.organiser, event.start)
    return above[-1].unit_id if above else event.organiser_id


def _checked(
    acting_user: Actor, event: Event, sites: Sequence[SiteInput]
) -> list[tuple[Unit, str]]:
    """The host units and places of ``sites``, or BadInput with a problem per bad site
    (row: its place in the list): a code that is no unit or one the user may not view,
    the organiser (its hall is the main site), a unit outside ``near`` when the event
    begins, a host twice."""
    codes = {s.unit.strip() for s in sites}
    named = Unit.objects.filter(code__in=codes)
    units = {u.code: u for u in policy.allowed(acting_user, policy.Action.VIEW, named)}
    below = queries.reached_ids([u.pk for u in units.values()], [near(event)], event.start)
    taken = set(event.sites.values_list("unit_id", flat=True))
    problems: list[dict] = []
    found: list[tuple[Unit, str]] = []
    for row, asked in enumerate(sites, start=1):
        code, place = asked.unit.strip(), nfc(asked.place).strip()
        unit = units.get(code)
        if len(place) > PLACE_LENGTH:
            problems.append(
                _problem(
                    row,
                    "place",
                    f"Địa điểm dài quá {PLACE_LENGTH} ký tự",
                    f"the place is at most {PLACE_LENGTH} characters",
                )
            )
        if not code:
            problems.append(_problem(row, "unit", "Cần đơn vị chủ trì", "a host unit is required"))
        elif unit is None:
            problems.append(
                _problem(row, "unit", f"Không có đơn vị {code}", f"unknown unit {code}")
            )
        elif unit.pk == event.organiser_id:
            problems.append(
                _problem(
                    row,
                    "unit",
                    "Điểm cầu chính là địa điểm của đơn vị tổ chức, không thêm làm điểm cầu",
                    "the organiser's hall is the main site (the event's place), not a connected one",
                )
            )
        elif unit.pk not in below:
            problems.append(
                _problem(
                    row,
                    "unit",
                    f"{code} không thuộc cấp của đơn vị tổ chức khi diễn ra hội nghị",
                    f"{code} was not under the organiser's level when the conference was held",
                )
            )
        elif unit.pk in taken:
            problems.append(
                _problem(
                    row,
                    "unit",
                    f"{code} đã có điểm cầu trong hội nghị này",
                    f"{code} has a site in this conference already",
                )
            )
        else:
            taken.add(unit.pk)
            found.append((unit, place))
    if problems:
        raise BadInput(
            "invalid_sites",
            f"Có {len(problems)} lỗi ở điểm cầu, chưa lưu gì / "
            f"{len(problems)} problems in the sites, nothing saved",
            details=problems,
        )
    return found


def add_sites(*, acting_user: Actor, event: Event, sites: Sequence[SiteInput]) -> list[Site]:
    """Add connected sites to an online conference: all of them or none."""
    policy.require(acting_user, policy.Action.CHANGE, event.organiser)
    if not sites:
        return []
    _require_online(event)
    found = _checked(acting_user, event, sites)
    try:
        with transaction.atomic():
            made = []
            for unit, place in found:
                site = Site(event=event, unit=unit, place=place)
                _audited(site, acting_user).save()
                made.append(site)
    except IntegrityError:  # the same host added at the same time by someone else
        raise Conflict(
            "duplicate_site",
            "Đơn vị này vừa được thêm làm điểm cầu, chưa lưu gì / "
            "that unit was just added as a site, nothing saved",
        ) from None
    return made


def named_at(site: Site) -> dict[int, int]:
    """Session id → the attendances recorded by name at ``site`` (one query)."""
    found = (
        Attendance.objects.filter(site=site)
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    return dict(found)


def change_site(
    *,
    acting_user: Actor,
    site: Site,
    place: str | None = None,
    counts: Sequence[tuple[int, int | None]] = (),
) -> Site:
    """Change a site's place, and its head counts: (session id, people; None: not
    counted by head), a session left out keeping its count. A count below the people
    recorded there by name, of a session of another event or given twice, negative or
    past ``MAX_HEADS`` is refused (row: its place in ``counts``), nothing saved."""
    event = site.event
    policy.require(acting_user, policy.Action.CHANGE, event.organiser)
    problems: list[dict] = []
    if place is not None:
        place = nfc(place).strip()
        if len(place) > PLACE_LENGTH:
            problems.append(
                _problem(
                    1,
                    "place",
                    f"Địa điểm dài quá {PLACE_LENGTH} ký tự",
                    f"the place is at most {PLACE_LENGTH} characters",
                )
            )
    sessions = {s.pk: s for s in event.sessions.all()}
    named = named_at(site)
    seen: set[int] = set()
    for number, (session_id, people) in enumerate(counts, start=1):
        session = sessions.get(session_id)
        if session_id in seen:
            problems.append(
                _problem(
                    number,
                    "session",
                    f"Buổi {session_id} ghi hai lần",
                    f"session {session_id} is given twice",
                )
            )
            continue
        seen.add(session_id)
        if session is None:
            problems.append(
                _problem(
                    number,
                    "session",
                    f"Không có buổi {session_id} trong hoạt động này",
                    f"no session {session_id} in this event",
                )
            )
        elif people is not None and not 0 <= people <= MAX_HEADS:
            problems.append(
                _problem(
                    number,
                    "people",
                    f"Số người phải từ 0 đến {format_number(MAX_HEADS)}",
                    f"the number of people is 0 to {MAX_HEADS:,}",
                )
            )
        elif people is not None and people < named.get(session_id, 0):
            problems.append(
                _problem(
                    number,
                    "people",
                    f"Buổi {session.date:%d/%m/%Y}: đã có {named[session_id]} người ghi tên ở "
                    f"điểm cầu này, số người không thể ít hơn",
                    f"session of {session.date:%d/%m/%Y}: {named[session_id]} people are "
                    f"recorded by name at this site, the count cannot be lower",
                )
            )
    if problems:
        raise BadInput(
            "invalid_site",
            f"Có {len(problems)} lỗi, chưa lưu gì / {len(problems)} problems, nothing saved",
            details=problems,
        )
    user = user_of(acting_user)
    with transaction.atomic():
        if place is not None and place != site.place:
            site.place = place
            _audited(site, acting_user).save(update_fields=["place"])
        kept = {c.session_id: c for c in site.counts.all()}
        for session_id, people in counts:
            count = kept.get(session_id)
            if people is None:
                if count is not None:
                    _audited(count, acting_user).delete()
            elif count is None:
                _audited(
                    SiteCount(site=site, session_id=session_id, people=people, modified_by=user),
                    acting_user,
                ).save()
            elif count.people != people:
                count.people, count.modified, count.modified_by = people, timezone.now(), user
                _audited(count, acting_user).save(
                    update_fields=["people", "modified", "modified_by"]
                )
    return site


def remove_site(*, acting_user: Actor, site: Site) -> None:
    """Remove a site and its head counts; refused (409) while people are recorded there
    by name (their attendances would lose where they were)."""
    policy.require(acting_user, policy.Action.CHANGE, site.event.organiser)
    if Attendance.objects.filter(site=site).exists():
        raise Conflict(
            "site_has_attendances",
            "Đã có người ghi tên ở điểm cầu này, không xóa được / "
            "people are recorded by name at this site: it cannot be removed",
        )
    with transaction.atomic():
        for count in site.counts.all():
            _audited(count, acting_user).delete()
        _audited(site, acting_user).delete()


# Reads --------------------------------------------------------------------------------


def _named_there():
    """The attendances recorded by name at the counted site and session (a subquery)."""
    return Subquery(
        Attendance.objects.filter(site_id=OuterRef("site_id"), session_id=OuterRef("session_id"))
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
        .values("n")
    )


def _unnamed(counts) -> Iterable[tuple[int, int, int, int, int, int]]:
    """(site id, session id, event id, organiser id, head count, of whom named) of the
    head counts ``counts`` (a SiteCount queryset), the named counted in the same query."""
    return counts.annotate(named=Coalesce(_named_there(), 0)).values_list(
        "site_id", "session_id", "site__event_id", "site__event__organiser_id", "people", "named"
    )


def unnamed_by_organiser(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Organiser id → the attendances counted by head at sites and not by name, of the
    sessions within ``start``–``end`` of the events ``unit_ids`` organised (one query;
    the figures' ``act_attendances`` adds them)."""
    found: dict[int, int] = defaultdict(int)
    counts = SiteCount.objects.filter(
        site__event__organiser_id__among=unit_ids, session__date__range=(start, end)
    )
    for _site, _session, _event, organiser, people, named in _unnamed(counts):
        found[organiser] += people - named
    return dict(found)


def unnamed_by_event(event_ids: Iterable[int]) -> dict[int, int]:
    """Event id → its attendances counted by head and not by name (one query)."""
    found: dict[int, int] = defaultdict(int)
    for _site, _session, event, _org, people, named in _unnamed(
        SiteCount.objects.filter(site__event_id__in=list(event_ids))
    ):
        found[event] += people - named
    return dict(found)


def unnamed_by_session(event: Event) -> dict[int, int]:
    """Session id → the event's attendances counted by head and not by name (one query)."""
    found: dict[int, int] = defaultdict(int)
    for _site, session, _event, _org, people, named in _unnamed(
        SiteCount.objects.filter(site__event=event)
    ):
        found[session] += people - named
    return dict(found)


@dataclass
class SiteRow:
    """A site as its event's page and the API show it."""

    site: Site
    name: str
    """The host's latest name."""
    counts: dict[int, int] = field(default_factory=dict)
    """Session id → the head count, for the sessions counted by head."""
    named: dict[int, int] = field(default_factory=dict)
    """Session id → the attendances recorded by name there."""

    def cells(self, sessions: Sequence[Session]) -> list[tuple[Session, int | None, int]]:
        """(session, head count or None, named) for each of ``sessions``."""
        return [(s, self.counts.get(s.pk), self.named.get(s.pk, 0)) for s in sessions]


def rows(event: Event) -> list[SiteRow]:
    """The event's sites in the order of their hosts' names, with their head counts and
    named attendances per session (four queries)."""
    from trienkhai.vn import sort_key

    found = list(event.sites.select_related("unit"))
    if not found:
        return []
    names = queries.latest_versions(s.unit_id for s in found)
    by_site = {s.pk: SiteRow(s, names[s.unit_id].name if s.unit_id in names else "") for s in found}
    for site_id, session_id, people in SiteCount.objects.filter(site__event=event).values_list(
        "site_id", "session_id", "people"
    ):
        by_site[site_id].counts[session_id] = people
    named = (
        Attendance.objects.filter(session__event=event, site__isnull=False)
        .values("site_id", "session_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "session_id", "n")
    )
    for site_id, session_id, n in named:
        by_site[site_id].named[session_id] = n
    return sorted(by_site.values(), key=lambda r: (sort_key(r.name), r.site.pk))


def lookup(event: Event) -> dict[str, Site]:
    """How an attendance list may name each of the event's sites: its id, its host's
    code, or the host's name or abbreviation (folded: accents and case optional) when
    the event began or now. A name two hosts share names neither (the code does)."""
    found: dict[str, Site] = {}
    named: dict[str, set[int]] = defaultdict(set)
    sites = {s.unit_id: s for s in event.sites.select_related("unit")}
    if not sites:
        return found
    for site in sites.values():
        found[str(site.pk)] = site
        found[site.unit.code] = site
    versions = [
        *queries.versions_on(event.start).filter(unit_id__in=list(sites)),
        *queries.latest_versions(list(sites)).values(),
    ]
    for version in versions:
        for text in (version.name, version.abbreviation):
            if text:
                named[fold(text)].add(version.unit_id)
    for key, hosts in named.items():
        if len(hosts) == 1 and key not in found:
            found[key] = sites[next(iter(hosts))]
    return found


def over_counts(event: Event, added: Iterable[tuple[int, int, int]]) -> list[dict]:
    """The problems (row, column "site") of attendances about to be recorded by name at
    a site, (site id, session id, row), that would make more people named there than its
    head count of the session: one per row past the count."""
    added = list(added)
    if not added:
        return []
    counted = dict(
        ((site, session), people)
        for site, session, people in SiteCount.objects.filter(site__event=event).values_list(
            "site_id", "session_id", "people"
        )
    )
    if not counted:
        return []
    named: dict[tuple[int, int], int] = defaultdict(int)
    for site, session, n in (
        Attendance.objects.filter(session__event=event, site__isnull=False)
        .values("site_id", "session_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "session_id", "n")
    ):
        named[(site, session)] = n
    problems = []
    for site, session, row in added:
        key = (site, session)
        if key not in counted:
            continue
        named[key] += 1
        if named[key] > counted[key]:
            problems.append(
                _problem(
                    row,
                    "site",
                    f"Điểm cầu này đã đếm {counted[key]} người ở buổi này; danh sách ghi "
                    "tên nhiều hơn: sửa số người của điểm cầu trước",
                    f"this site counted {counted[key]} people at this session; the list "
                    "names more: correct the site's count first",
                )
            )
    return problems


def total_unnamed(event: Event) -> int:
    """The event's attendances counted by head and not by name."""
    return unnamed_by_event([event.pk]).get(event.pk, 0)
