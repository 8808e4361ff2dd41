"""Members' self-improvement pledges (bản đăng ký tu dưỡng, rèn luyện): the register of a
cell's members per year, who handed one in and when; its counts and figures (issue 16
item 3; docs/decisions/0041-pledges-and-channels.md).

Only the fact is kept: handed in, on which day, on time or late against the cell's
deadline. Nothing of what a pledge says, no grade, no assessment of anyone. Members are
``Person`` rows of the cell (name, unit, position, group "dang_vien") under the rules of
decision 0040: their names are read by whoever may CHANGE the cell; erasing one keeps
every count.

Writes: ``record_pledges`` (keyword-only ``acting_user``, CHANGE on the cell, one
transaction, all rows or none). Reads: ``members`` (names: CHANGE), ``counts`` (per
cell of a subtree: VIEW). The figures are a ``FigureSource`` named "pledges".
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from trienkhai.accounts import policy
from trienkhai.activities.models import Audience, Person, Pledge, PledgeList
from trienkhai.activities.services import (
    NAME_LENGTH,
    checked_name,
    checked_person,
    find_or_add_people,
)
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.bulk_insert import insert_rows
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit
from trienkhai.reporting.register_sources import RegisterSource, zeroes
from trienkhai.reporting.sources import Figure, Values
from trienkhai.vn.dates import parse_date
from trienkhai.vn.text import fold, sort_key

FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class PledgeRow:
    """One member of a cell's list, as typed (texts): the API's JSON or a file's row."""

    name: str = ""
    position: str = ""
    unit: str = ""
    """The cell's code, if the list names it: another unit's is refused."""
    person: str = ""
    """An existing person's id (of the cell): then the name may be left out."""
    submitted: str = ""
    """The day the pledge was handed in (dd/mm/yyyy or yyyy-mm-dd); empty: not yet."""
    line: int = 0
    """Its row in the file (the heading is row 1); 0: its place in the list."""

    @property
    def audience(self) -> str:
        return Audience.PARTY_MEMBER


@dataclass(frozen=True)
class Recorded:
    """What recording a list did, and the list's counts after it."""

    pledge_list: PledgeList
    added: int
    changed: int
    removed: int


def _problem(row: int, column: str, vi: str, en: str) -> dict:
    return {"row": row, "column": column, "problem": f"{vi} / {en}"}


def _is_id(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit() and len(text) <= 18


@dataclass
class _Line:
    row: PledgeRow
    key: tuple[int, str]
    known: Person | None
    submitted: dt.date | None


def _check_rows(
    unit: Unit, year: int, rows: Sequence[PledgeRow], today: dt.date
) -> tuple[list[_Line], list[dict]]:
    """Each row resolved to a member of ``unit`` (known or new) and a date, or problems."""
    problems: list[dict] = []
    lines: list[_Line] = []
    ids = {int(row.person) for row in rows if _is_id(row.person)}
    known = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    earliest, latest = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
    # The unit column, when filled, is the cell itself: its code or any name it bore.
    names = dict.fromkeys(unit.versions.order_by("-valid_from").values_list("name", flat=True))
    ours = {fold(unit.code), *map(fold, names)}
    called = next(iter(names), unit.code)
    seen: dict[tuple[int, str], int] = {}
    for place, row in enumerate(rows, start=1):
        number = row.line or place
        found: list[dict] = []
        written = row.unit.strip()
        if written and fold(written) not in ours:
            found.append(
                _problem(
                    number,
                    "unit",
                    f"Đảng viên của đơn vị khác ({written}); danh sách này của {called}",
                    f"a member of another unit ({written}); this list is {called}'s",
                )
            )
        person: Person | None = None
        key: tuple[int, str] | None = None
        if row.person.strip():
            person, problem = checked_person(number, row.person, known, unit)
            wanted = person.name_key if person else ""
        else:
            wanted, problem = checked_name(number, row.name)
        found.extend([problem] if problem else [])
        if wanted:
            key = (unit.pk, wanted)
        if len(row.position) > NAME_LENGTH:
            found.append(
                _problem(
                    number,
                    "position",
                    f"Chức vụ dài quá {NAME_LENGTH} ký tự",
                    f"a position is at most {NAME_LENGTH} characters",
                )
            )
        submitted: dt.date | None = None
        if row.submitted.strip():
            try:
                submitted = parse_date(row.submitted)
            except ValueError as error:
                found.append({"row": number, "column": "submitted", "problem": str(error)})
            else:
                if submitted > today:
                    found.append(
                        _problem(
                            number,
                            "submitted",
                            f"Ngày nộp {submitted:%d/%m/%Y} chưa đến",
                            f"the day handed in, {submitted:%d/%m/%Y}, is in the future",
                        )
                    )
                elif not earliest <= submitted <= latest:
                    found.append(
                        _problem(
                            number,
                            "submitted",
                            f"Ngày nộp {submitted:%d/%m/%Y} không thuộc bản đăng ký năm {year}",
                            f"{submitted:%d/%m/%Y} is not a day to hand in a pledge of {year}",
                        )
                    )
        if key is not None:
            earlier = seen.setdefault(key, number)
            if earlier != number:
                found.append(
                    _problem(
                        number,
                        "name",
                        f"Trùng đảng viên với dòng {earlier}",
                        f"the same member as row {earlier}",
                    )
                )
        if found:
            problems.extend(found)
        elif key is not None:
            lines.append(_Line(row, key, person, submitted))
    return lines, problems


def _check_list(unit: Unit, year: int, deadline: dt.date | None, exists: bool) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput("invalid_year", f"Năm không hợp lệ / invalid year: {year}")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if unit.valid_from > last or (unit.valid_to is not None and unit.valid_to <= first):
        raise BadInput(
            "unit_not_existing",
            f"{unit.code} không tồn tại trong năm {year} / {unit.code} did not exist in {year}",
        )
    if deadline is None and not exists:
        raise BadInput(
            "missing_deadline",
            "Cần hạn nộp bản đăng ký của năm (deadline) / the list needs its deadline",
        )
    if deadline is not None and not dt.date(year - 1, 1, 1) <= deadline <= last:
        raise BadInput(
            "invalid_deadline",
            f"Hạn nộp {deadline:%d/%m/%Y} không thuộc năm {year} / "
            f"the deadline {deadline:%d/%m/%Y} is not one of {year}",
        )


def record_pledges(
    *,
    acting_user: Actor,
    unit: Unit,
    year: int,
    rows: Sequence[PledgeRow],
    deadline: dt.date | None = None,
    replace: bool = False,
) -> Recorded:
    """Record ``unit``'s list of members for ``year``: who is on it, who handed in a
    pledge and when.

    Each row is the truth about its member: added to the list if absent, the day handed
    in set (an empty day: not handed in). ``replace``: the rows are the whole list, and
    members not in them leave it (the person stays). ``deadline`` is needed for a new
    list and changes an existing one. A person is the same when ``person`` (an id) or the
    name matches in the cell; people not known yet are added with the group "dang_vien".
    Any bad row: BadInput ``invalid_rows`` with ``details`` [{row, column, problem}],
    nothing saved.
    """
    policy.require(acting_user, policy.Action.CHANGE, unit)
    existing = PledgeList.objects.filter(unit=unit, year=year).first()
    _check_list(unit, year, deadline, existing is not None)
    if not rows and not (existing is not None and deadline is not None and not replace):
        raise BadInput("empty_list", "Danh sách đảng viên trống / the list of members is empty")
    lines, problems = _check_rows(unit, year, rows, timezone.localdate())
    if problems:
        raise BadInput(
            "invalid_rows",
            f"Danh sách có {len(problems)} lỗi, chưa lưu gì / "
            f"{len(problems)} problems in the list, nothing saved",
            details=problems,
        )
    try:
        with transaction.atomic():
            return _save(acting_user, unit, year, deadline, lines, replace)
    except IntegrityError:
        raise Conflict(
            "concurrent_list",
            "Một danh sách khác vừa được lưu cùng lúc, chưa lưu gì: hãy gửi lại / "
            "another list was saved at the same time, nothing saved: send it again",
        ) from None


def _save(
    acting_user: Actor,
    unit: Unit,
    year: int,
    deadline: dt.date | None,
    lines: list[_Line],
    replace: bool,
) -> Recorded:
    user = user_of(acting_user)
    now = timezone.now()
    pledge_list = PledgeList.objects.select_for_update().filter(unit=unit, year=year).first()
    if pledge_list is None:
        assert deadline is not None  # _check_list
        pledge_list = PledgeList(unit=unit, year=year, deadline=deadline, created_by=user)
    elif deadline is not None:
        pledge_list.deadline = deadline
    pledge_list.modified = now
    if user is not None:
        pledge_list._history_user = user  # type: ignore[attr-defined]
    pledge_list.save()  # its history row: who recorded the list, when, its deadline

    wanted = {line.key: line.row for line in lines if line.known is None}
    people = find_or_add_people(wanted)
    for line in lines:
        if line.known is not None:
            people[line.key] = (line.known.pk, line.known.audience)
    on_list = {
        person: (pk, submitted)
        for pk, person, submitted in pledge_list.pledges.values_list("pk", "person_id", "submitted")
    }
    new, changed = [], []
    listed = set()
    for line in lines:
        person, _ = people[line.key]
        listed.add(person)
        if person not in on_list:
            new.append((pledge_list.pk, person, line.submitted, now, user.pk if user else None))
        elif on_list[person][1] != line.submitted:
            changed.append(
                Pledge(
                    pk=on_list[person][0],
                    submitted=line.submitted,
                    modified=now,
                    modified_by=user,
                )
            )
    insert_rows(
        Pledge, ("pledge_list_id", "person_id", "submitted", "modified", "modified_by_id"), new
    )
    Pledge.objects.bulk_update(changed, ["submitted", "modified", "modified_by"], batch_size=500)
    removed = 0
    if replace:
        gone = [pk for person, (pk, _) in on_list.items() if person not in listed]
        removed, _ = Pledge.objects.filter(pk__in=gone).delete()
    return Recorded(pledge_list, added=len(new), changed=len(changed), removed=removed)


# Reads -------------------------------------------------------------------------------


def on_time(submitted: dt.date | None, deadline: dt.date) -> bool:
    return submitted is not None and submitted <= deadline


def members(pledge_list: PledgeList) -> list[dict]:
    """The members on a list, by name: handed in or not, on which day, on time or late.
    Personal data: only for whoever may CHANGE the cell (decision 0040)."""
    rows = pledge_list.pledges.select_related("person")
    found = [
        {
            "person": pledge.person_id,
            "name": pledge.person.name,
            "position": pledge.person.position,
            "submitted": pledge.submitted,
            "on_time": on_time(pledge.submitted, pledge_list.deadline),
        }
        for pledge in rows
    ]
    return sorted(found, key=lambda row: (sort_key(row["name"]), row["person"]))


def list_counts(pledge_list: PledgeList) -> dict[str, int]:
    """expected, submitted, on_time, late and missing of one list."""
    # Aliases apart from the field "submitted", which the filters name.
    found = pledge_list.pledges.aggregate(
        n_expected=Count("id"),
        n_submitted=Count("id", filter=Q(submitted__isnull=False)),
        n_on_time=Count("id", filter=Q(submitted__lte=pledge_list.deadline)),
    )
    return _with_rest({key.removeprefix("n_"): n for key, n in found.items()})


def _with_rest(found: Mapping[str, int]) -> dict[str, int]:
    counts = {key: int(found[key] or 0) for key in ("expected", "submitted", "on_time")}
    counts["late"] = counts["submitted"] - counts["on_time"]
    counts["missing"] = counts["expected"] - counts["submitted"]
    return counts


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal (None of nothing)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def counts(unit: Unit, year: int, shown: Callable[[set[int]], set[int]] | None = None) -> dict:
    """The counts of every list of ``year`` kept in ``unit``'s subtree (on the year's last
    day, or the unit's last), in total and per list: no names, no person. With ``shown``
    (of the lists' units, those whose rows are shown: ``access.reached``), the lists of
    the other units are left out of ``lists`` (``hidden`` says how many) and still
    counted in the total: a successor that took part of a district reads the district's
    totals, not the cells that went elsewhere (decision 0004)."""
    day = unit.reference_date(dt.date(year, 12, 31))
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, day)]
    lists = (
        PledgeList.objects.filter(unit_id__among=subtree, year=year)
        .select_related("unit")
        .prefetch_related("unit__versions")
        .annotate(
            expected=Count("pledges"),
            submitted=Count("pledges", filter=Q(pledges__submitted__isnull=False)),
            on_time=Count("pledges", filter=Q(pledges__submitted__lte=F("deadline"))),
        )
    )
    rows: list[dict[str, Any]] = []
    for pledge_list in lists:
        version = pledge_list.unit.version_on(day) or pledge_list.unit.latest_version()
        rows.append(
            {
                "unit_id": pledge_list.unit_id,
                "unit": pledge_list.unit.code,
                "unit_name": version.name,
                "deadline": pledge_list.deadline,
                **_with_rest(
                    {
                        "expected": pledge_list.expected,  # type: ignore[attr-defined]
                        "submitted": pledge_list.submitted,  # type: ignore[attr-defined]
                        "on_time": pledge_list.on_time,  # type: ignore[attr-defined]
                    }
                ),
            }
        )
    rows.sort(key=lambda row: sort_key(row["unit_name"]))
    total = _with_rest(
        {key: sum(row[key] for row in rows) for key in ("expected", "submitted", "on_time")}
    )
    reached = None if shown is None else shown({row["unit_id"] for row in rows})
    listed = rows if reached is None else [row for row in rows if row["unit_id"] in reached]
    return {
        "unit": unit.code,
        "year": year,
        **total,
        "percent_submitted": share(total["submitted"], total["expected"]),
        "percent_on_time": share(total["on_time"], total["expected"]),
        "lists": listed,
        "hidden": len(rows) - len(listed),
    }


def years(unit: Unit) -> list[int]:
    """The years of the lists kept in ``unit``'s subtree (today's, or its last day's),
    latest first: the years a page offers."""
    subtree = [u for u, _ in queries.descendant_ids(unit.pk, unit.reference_date())]
    found = PledgeList.objects.filter(unit_id__among=subtree).values_list("year", flat=True)
    return sorted(set(found), reverse=True)


# Figures (decision 0039's seam) ------------------------------------------------------

EXPECTED = "act_pledges_expected"
SUBMITTED = "act_pledges_submitted"
ON_TIME = "act_pledges_on_time"

FIGURES = (
    Figure(
        EXPECTED,
        "Số đảng viên phải viết bản đăng ký tu dưỡng, rèn luyện",
        "Pledges expected (members on the lists)",
        "bản",
    ),
    Figure(
        SUBMITTED,
        "Số bản đăng ký tu dưỡng, rèn luyện đã nộp",
        "Pledges handed in",
        "bản",
    ),
    Figure(
        ON_TIME,
        "Số bản đăng ký tu dưỡng, rèn luyện nộp đúng hạn",
        "Pledges handed in on time",
        "bản",
    ),
)


def years_of(start: dt.date, end: dt.date) -> range:
    """The years whose lists count in the span ``start``–``end``: from the year of its
    start to the year of its end, except a year the span only enters from 15 December
    (the periods of Nghị định 09/2019/NĐ-CP start on 15/12 of the year before)."""
    first = start.year
    if start.month == 12 and start.day >= 15 and end.year > start.year:
        first += 1
    return range(first, end.year + 1)


def subtrees_figures(
    codes: Sequence[str],
    subtrees: Mapping[int, Sequence[int]],
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Sequence[str]] | None = None,
) -> Values:
    """(code, option, key) → the figure over the lists of the units of each subtree
    (key → unit ids): one query for all of them, added up per subtree. Every asked
    (code, option, key) is answered; an option (a group) is 0: the lists have none."""
    options = options or {}
    result = zeroes(codes, subtrees, options)
    if not set(codes) & {EXPECTED, SUBMITTED, ON_TIME}:
        return result
    everyone = sorted({u for units in subtrees.values() for u in units})
    years = years_of(start, end)
    per_unit: dict[int, list[int]] = {}
    rows = (
        PledgeList.objects.filter(
            unit_id__among=everyone, year__gte=years.start, year__lt=years.stop
        )
        .values("unit_id")
        .annotate(
            expected=Count("pledges"),
            submitted=Count("pledges", filter=Q(pledges__submitted__lte=end)),
            on_time=Count(
                "pledges",
                filter=Q(pledges__submitted__lte=end) & Q(pledges__submitted__lte=F("deadline")),
            ),
        )
        .values_list("unit_id", "expected", "submitted", "on_time")
    )
    for unit, *found in rows:
        per_unit[unit] = [int(n) for n in found]
    for key, units in subtrees.items():
        totals = [0, 0, 0]
        for u in units:
            for i, n in enumerate(per_unit.get(u, ())):
                totals[i] += n
        for code, total in zip((EXPECTED, SUBMITTED, ON_TIME), totals, strict=True):
            if code in codes:
                result[(code, "", key)] = Decimal(total)
    return result


SOURCE = RegisterSource(
    name="pledges",
    figures=FIGURES,
    note=gettext_lazy("Đếm từ sổ đăng ký tu dưỡng, rèn luyện"),
    count=subtrees_figures,
)
"""Counts the lists of the units of a subtree (on ``day``) for the years of the span
(``years_of``), as they stand at its end: a pledge counts as handed in if it was by
the span's last day, on time if also by its list's deadline."""


def record(person: Person) -> list[dict]:
    """The lists ``person`` is on (for the export of everything kept about them)."""
    rows = (
        Pledge.objects.filter(person=person)
        .select_related("pledge_list__unit")
        .order_by("pledge_list__year", "id")
    )
    return [
        {
            "unit": pledge.pledge_list.unit.code,
            "year": pledge.pledge_list.year,
            "deadline": pledge.pledge_list.deadline.isoformat(),
            "submitted": pledge.submitted.isoformat() if pledge.submitted else None,
            "on_time": on_time(pledge.submitted, pledge.pledge_list.deadline),
        }
        for pledge in rows
    ]
