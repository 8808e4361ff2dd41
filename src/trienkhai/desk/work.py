"""What waits for a user, read from reporting, documents and drafting: only reads.

- **Reports to enter**: the reports of the units the user enters figures for that are not
  yet submitted — returned first (with the approver's reason), then overdue, due soon,
  open — for the periods whose deadline is within the last ``LOOK_BACK`` days or ahead.
  A reporter's units are their role unit and what is under it; a manager's or admin's
  only their role unit itself (the units below are theirs to approve, not to enter).
- **Approvals**: submitted reports of units directly under a unit the user approves for.
- **Subtree**: for a manager or viewer, each form's latest due period under their unit:
  "38/42 đã gửi", the late units by name.
- **Tasks**: directives assigned to the user's role units, not yet answered (and the
  ones answered late count apart).
- **Documents**: report drafts and document drafts of issuers the user may change, and
  incoming documents registered in the last ``RECENT`` days at the user's units.
- **Commendations**: nominations waiting for the user's review (managers of the giver)
  and nominations returned to the user's units for correction, with the reason.
- **Judging**: for a judge of a contest, each round they judge with the entries assigned
  to them: while it is open "Bài được giao chấm: n bài chưa chấm" (counted when n > 0),
  once closed that it is closed; each links to their scoring page ("Bài được giao chấm").
  Only counts: never an entry (decision 0053).
- **Calendar**: every deadline of the above from today on (and the overdue ones), by day.
- **Carried on**: the user's role units that have ended, each with the units that carry
  it today (a commune committee merged in 2025 → the new commune's), so that a user whose
  unit ended is offered its successor.

Everything goes through ``accounts.policy``; nothing is listed that the user may not see.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trienkhai.accounts import policy
from trienkhai.accounts.models import Role
from trienkhai.common.errors import BadInput
from trienkhai.documents import directives
from trienkhai.documents.models import Document
from trienkhai.drafting.models import Report
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting import structure
from trienkhai.reporting.models import Form, Submission
from trienkhai.reporting.periods import Period, PeriodType, containing, parse_span, span_label
from trienkhai.reporting.services import completeness, expected_under, is_expected
from trienkhai.vn import format_date, format_number
from trienkhai.web.labels import is_english, local_name

LOOK_BACK = 92
"""Days after a deadline during which an unsent report stays on the desk as overdue."""
FEW = 20
"""Up to this many units of one's own, whether each must report is asked unit by unit."""
SOON = 7
"""Days before a deadline from which a report is "due soon"."""
RECENT = 14
"""Days an incoming document stays on the desk after it was registered."""
LATE_NAMES = 10
"""Late units named per form on a manager's desk (the rest counted)."""
SHOWN = 100
"""Waiting approvals listed on the desk, oldest first (all are counted)."""
OLD_PERIODS = 40
"""Periods before LOOK_BACK looked at per form and own unit for a report never sent."""

DONE = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}
RETURNED = Submission.Status.RETURNED


@dataclass
class Item:
    kind: str
    """report, approval, task, draft, document, incoming."""
    title: str
    unit: str
    unit_name: str
    url: str
    action: str
    due: dt.date | None = None
    state: str = ""
    """returned, overdue, due_soon, open, long_overdue (reports: never sent, the deadline
    more than LOOK_BACK days ago, listed last); waiting (approvals); overdue, due_soon,
    open (tasks); draft, incoming (documents)."""
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "url": self.url,
            "action": self.action,
            "due": self.due,
            "state": self.state,
            "note": self.note,
        }


@dataclass
class Progress:
    """A form's latest due period under one of the user's units."""

    form: str
    form_name: str
    period: str
    period_label: str
    unit: str
    unit_name: str
    deadline: dt.date
    expected: int
    submitted: int
    late: list[str]
    """Names of the units that have sent nothing after the deadline (the first
    ``LATE_NAMES``)."""
    late_count: int
    url: str
    returned: list[str] = field(default_factory=list)
    """Names of the units whose report was returned and not sent again (the first
    ``LATE_NAMES``): they sent, the approver sent it back; not "not sent"."""
    returned_count: int = 0


@dataclass
class Carried:
    """One of the user's role units that has ended, and the living units that carry it."""

    unit: str
    unit_name: str
    last_day: dt.date
    successors: list[tuple[str, str]]
    """(name, link to the unit's page) of each unit that carries it today."""


@dataclass
class Desk:
    reports_to_enter: list[Item] = field(default_factory=list)
    approvals: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    documents: list[Item] = field(default_factory=list)
    commendations: list[Item] = field(default_factory=list)
    """Nominations for commendation to review, or returned to correct (decision 0057)."""
    judging: list[Item] = field(default_factory=list)
    """The rounds the user judges: open (state waiting, or done once all is scored) or
    closed (decision 0053)."""
    subtree: list[Progress] = field(default_factory=list)
    approvals_total: int = 0
    """How many reports wait for the user's approval (``approvals`` shows the oldest)."""
    carried: list[Carried] = field(default_factory=list)

    @property
    def calendar(self) -> list[Item]:
        # Deadlines long gone stay in the list, not in the days ahead.
        dated = [
            i
            for i in (*self.reports_to_enter, *self.tasks)
            if i.due is not None and i.state != "long_overdue"
        ]
        return sorted(dated, key=lambda i: (i.due, i.title))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "reports_to_enter": len(self.reports_to_enter),
            "approvals": max(self.approvals_total, len(self.approvals)),
            "tasks": len(self.tasks),
            "documents": len(self.documents),
            "commendations": len(self.commendations),
            "judging": sum(1 for i in self.judging if i.state == "waiting"),
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def desk_of(user, today: dt.date) -> Desk:
    held = policy.roles_held(user)
    desk = Desk()
    desk.judging = _judging(user)  # a judge may hold no role at all
    if not held:
        return desk
    units = {u.pk: u for u in Unit.objects.filter(pk__in={uid for uid, _ in held})}
    forms = list(Form.objects.select_related("owner").order_by("code"))
    names: dict[int, str] = {}
    # One walk down from each manager's or admin's unit, read by the approvals and the
    # documents both (a province is ten thousand rows).
    below = _below([uid for uid, role in held if role in (Role.MANAGER, Role.ADMIN)], today)
    desk.reports_to_enter = _reports_to_enter(user, held, forms, today, names)
    desk.approvals, desk.approvals_total = _approvals(user, held, below)
    desk.subtree = _subtree(held, units, forms, today, below)
    desk.tasks = _tasks(held, units, today)
    desk.documents = _documents(user, units, today, below)
    desk.commendations = _commendations(user)
    desk.carried = _carried(units.values(), today)
    return desk


def _carried(units: Iterable[Unit], today: dt.date) -> list[Carried]:
    found = []
    for unit in sorted(units, key=lambda u: u.code):
        if unit.valid_to is None or unit.valid_to > today:
            continue
        successors = sorted(
            queries.latest_versions([s.unit.pk for s in queries.successors(unit, today)]).values(),
            key=lambda v: v.name,
        )
        found.append(
            Carried(
                unit=unit.code,
                unit_name=unit.latest_version().name,
                last_day=unit.reference_date(today),
                successors=[(v.name, reverse("orgs:unit", args=[v.unit.code])) for v in successors],
            )
        )
    return found


def _below(root_ids: list[int], today: dt.date) -> dict[int, dict[int, queries.Node]]:
    """{root id: {unit id: node}} of the units strictly under each root, as the root
    stands on its reference date (today while it lives, its last day once it ended)."""
    return {
        root.pk: {node.unit_id: node for node in queries.subtree(root, root.reference_date(today))}
        for root in Unit.objects.filter(pk__in=root_ids)
    }


# Reports --------------------------------------------------------------------------------


def _due_periods(form: Form, today: dt.date) -> list[Period]:
    """The periods of ``form`` begun by ``today`` whose deadline is at most LOOK_BACK days
    ago: the one under way, and those just ended."""
    period = containing(today, PeriodType(form.period_type), form.calendar)
    found = []
    while form.deadline(period) >= today - dt.timedelta(days=LOOK_BACK):
        found.append(period)
        period = period.previous()
    return found


def _under(root_ids: Iterable[int], today: dt.date) -> set[int]:
    """The units under ``root_ids`` (the roots included), each root's subtree as it stood
    on its reference date: today while it lives, its last day once it ended (the demo's
    Vĩnh Thuận, reorganised in 2025, still has its 2020 reports to approve)."""
    by_day: dict[dt.date, list[int]] = {}
    for unit in Unit.objects.filter(pk__in=set(root_ids)):
        by_day.setdefault(unit.reference_date(today), []).append(unit.pk)
    found: set[int] = set()
    for day, ids in by_day.items():
        found |= queries.subtree_ids(ids, day) | set(ids)
    return found


def _expected_among(
    form: Form, period: Period, mine: set[int], own: set[int], roots: list[Unit]
) -> dict[int, str]:
    """{unit id: code} of the units that must report ``form`` for ``period`` among
    ``mine``: a few units asked one by one, walking up from each; many (a reporter's
    district) read from the subtrees of the reporter's ``roots``, and the manager's or
    admin's ``own`` units one by one."""
    many = len(mine) > FEW
    units = Unit.objects.filter(pk__in=own if many else mine).prefetch_related("versions")
    expected = {u.pk: u.code for u in units if is_expected(form, u, period)}
    if many:
        expected |= expected_under(form, period, roots)
    return expected


def _entering(user, candidates: Iterable[int], asked: dict) -> set[int]:
    """Of ``candidates``, the units the policy lets the user enter figures for; ``asked``
    keeps the answers of the request (each due period asks about the same units)."""
    ids = frozenset(candidates)
    if not ids:
        return set()
    if ids not in asked:
        allowed = policy.allowed(user, policy.Action.ENTER_DATA, Unit.objects.filter(pk__in=ids))
        asked[ids] = {u.pk for u in allowed}
    return asked[ids]


def _reports_to_enter(user, held, forms, today, names) -> list[Item]:
    """Under a reporter role the role unit and what is under it; under a manager's or
    admin's, the role unit itself."""
    own = {uid for uid, role in held if role in (Role.MANAGER, Role.ADMIN)}
    reporting = [uid for uid, role in held if role == Role.REPORTER]
    mine = own | _under(reporting, today)
    roots = list(Unit.objects.filter(pk__in=reporting))
    items: list[Item] = []
    listed: set[tuple[int, int, str]] = set()
    asked: dict = {}
    grid = _link("reporting:grid", 3)

    def add(form, period, uid, code, status, note, state=None) -> None:
        deadline = form.deadline(period)
        state = state or _report_state(status, deadline, today, period)
        if state is None:
            return
        listed.add((form.pk, uid, period.id))
        items.append(
            Item(
                kind="report",
                title=f"{local_name(form)} – {period.label()}",
                unit=code,
                unit_name=names.get(uid, code),
                url=grid(form.code, code, period.id),
                action=_("Sửa theo yêu cầu") if state == "returned" else _("Nhập số liệu"),
                due=deadline,
                state=state,
                note=note,
            )
        )

    for form in forms:
        for period in _due_periods(form, today):
            expected = _expected_among(form, period, mine, own, roots)
            entering = _entering(user, (uid for uid in expected if uid in mine), asked)
            if not entering:
                continue
            _names(entering, names)
            found = Submission.objects.filter(
                form=form, period=period.id, unit_id__in=sorted(entering)
            ).values_list("unit_id", "status", "comment")
            status = {uid: (st, note) for uid, st, note in found}
            for uid in sorted(entering, key=lambda u: expected[u]):
                st, note = status.get(uid, (None, ""))
                if st not in DONE:
                    add(form, period, uid, expected[uid], st, note)
    # A returned report waits for its fix however old its period: plain rows first, the
    # forms and units only of the user's own.
    returned = [
        row
        for row in Submission.objects.filter(status=Submission.Status.RETURNED)
        .order_by("period", "id")
        .values_list("form_id", "unit_id", "period", "comment")
        if row[1] in mine and row[:3] not in listed
    ]
    entering = _entering(user, (row[1] for row in returned), asked)
    _names(entering, names)
    forms_by_id = {form.pk: form for form in forms}
    codes = dict(Unit.objects.filter(pk__in=entering).values_list("pk", "code"))
    for form_id, unit_id, period_id, comment in returned:
        if unit_id in entering:
            form = forms_by_id[form_id]
            add(form, form.period(period_id), unit_id, codes[unit_id], RETURNED, comment)
    # One line per form and unit, however many periods it never sent: the oldest to
    # start with, the span in words (a unit that ended in 2025 may owe ten).
    grouped: dict[tuple[int, int], list] = {}
    for form, period, uid, code in _old_unsent(user, held, forms, today, listed, asked):
        grouped.setdefault((form.pk, uid), []).append((form, period, uid, code))
    for rows in grouped.values():
        form, oldest, uid, code = min(rows, key=lambda row: row[1].start)
        _names({uid}, names)
        add(form, oldest, uid, code, None, "", state="long_overdue")
        if len(rows) > 1:
            newest = max(rows, key=lambda row: row[1].start)[1]
            items[-1].title = ngettext(
                "%(form)s – %(n)s kỳ chưa gửi, từ %(first)s đến %(last)s",
                "%(form)s – %(n)s kỳ chưa gửi, từ %(first)s đến %(last)s",
                len(rows),
            ) % {
                "form": local_name(form),
                "n": len(rows),
                "first": oldest.inline_label(),
                "last": newest.inline_label(),
            }
    order = {"returned": 0, "overdue": 1, "due_soon": 2, "open": 3, "long_overdue": 4}
    return sorted(items, key=lambda i: (order[i.state], i.due, i.unit))


def _old_unsent(user, held, forms, today, listed, asked) -> list[tuple[Form, Period, int, str]]:
    """The reports of the user's own role units never sent whose deadline is more than
    LOOK_BACK days ago: a unit that ended in 2025 still owes its 2020 report, and its
    reporter should find it on the desk, not only in the report list. Only the role units
    themselves (a district reporter's communes stay to the recent periods: years of their
    gaps would bury the desk), at most OLD_PERIODS periods back per form and unit (the
    desk shows one line for them)."""
    own = Unit.objects.filter(pk__in={uid for uid, _role in held}).prefetch_related("versions")
    units = [u for u in own if u.pk in _entering(user, (u.pk for u in own), asked)]
    horizon = today - dt.timedelta(days=LOOK_BACK)
    owed = []
    for form in forms:
        starts = [a.valid_from for a in structure.of(form).assignments]
        if not units or not starts:
            continue
        first = min(starts)
        for unit in units:
            period = containing(
                min(horizon, unit.reference_date(today)),
                PeriodType(form.period_type),
                form.calendar,
            )
            for _step in range(OLD_PERIODS):
                if period.end < max(first, unit.valid_from):
                    break
                if (
                    form.deadline(period) < horizon
                    and (form.pk, unit.pk, period.id) not in listed
                    and is_expected(form, unit, period)
                ):
                    owed.append((form, period, unit))
                period = period.previous()
    if not owed:
        return []
    # Sent, approved or returned (the returned pass lists those) is not owed here; a
    # draft still is.
    done = set(
        Submission.objects.filter(
            form__in={form for form, _p, _u in owed},
            unit__in={unit for _f, _p, unit in owed},
            period__in={period.id for _f, period, _u in owed},
            status__in=[*DONE, RETURNED],
        ).values_list("form_id", "unit_id", "period")
    )
    owed = [(f, p, u) for f, p, u in owed if (f.pk, u.pk, p.id) not in done]
    owed.sort(key=lambda row: row[0].deadline(row[1]), reverse=True)
    return [(form, period, unit.pk, unit.code) for form, period, unit in owed]


def _report_state(status, deadline: dt.date, today: dt.date, period: Period) -> str | None:
    if status == Submission.Status.RETURNED:
        return "returned"
    if today > deadline:
        return "overdue"
    if (deadline - today).days <= SOON:
        return "due_soon"
    # A period under way is listed once it has ended or its deadline nears.
    return "open" if today > period.end else None


# Approvals ------------------------------------------------------------------------------


def _approvals(user, held, walked: dict[int, dict[int, queries.Node]]) -> tuple[list[Item], int]:
    """Approval belongs to a manager above the reporting unit (reporting's rule): the
    submitted reports of the units strictly under the user's manager and admin roles,
    whose parent the policy lets the user approve for; the SHOWN oldest, and how many in
    all. Read as plain rows: one query for the reports, one walk per role unit, one for
    the parents — a province's thousands of waiting reports are not model objects."""
    approving = [uid for uid, role in held if role in (Role.MANAGER, Role.ADMIN)]
    if not approving:
        return [], 0
    # The times and comments of the SHOWN only: a datetime read is a conversion per row.
    waiting = list(
        Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .order_by("submitted", "id")
        .values_list("unit_id", "form_id", "period", "id")
    )
    if not waiting:
        return [], 0
    below: dict[int, queries.Node] = {}
    for root_id in approving:
        below.update(walked.get(root_id, {}))
    waiting = [row for row in waiting if row[0] in below]
    parents = Unit.objects.filter(code__in={below[row[0]].parent for row in waiting})
    approvable = {u.code for u in policy.allowed(user, policy.Action.APPROVE, parents)}
    mine = [row for row in waiting if below[row[0]].parent in approvable]
    forms = Form.objects.in_bulk({row[1] for row in mine[:SHOWN]})
    details = {
        pk: (submitted, comment)
        for pk, submitted, comment in Submission.objects.filter(
            pk__in=[row[3] for row in mine[:SHOWN]]
        ).values_list("pk", "submitted", "submit_comment")
    }
    review = _link("reporting:review", 3)
    items = []
    for unit_id, form_id, period_id, pk in mine[:SHOWN]:
        submitted, comment = details[pk]
        node, form = below[unit_id], forms[form_id]
        items.append(
            Item(
                kind="approval",
                title=f"{local_name(form)} – {form.period(period_id).label()}",
                unit=node.code,
                unit_name=node.name,
                url=review(form.code, node.code, period_id),
                action=_("Xem xét"),
                due=timezone.localtime(submitted).date() if submitted else None,
                state="waiting",
                note=comment,
            )
        )
    return items, len(mine)


def _link(name: str, count: int):
    """A function of ``count`` arguments giving the URL ``name`` with them: reverse() once,
    not once per line of a list of thousands."""
    marks = [f"__{n}__" for n in range(count)]
    pattern = reverse(name, args=marks)

    def link(*args: str) -> str:
        url = pattern
        for mark, arg in zip(marks, args, strict=True):
            url = url.replace(mark, quote(str(arg)))
        return url

    return link


# A manager's subtree --------------------------------------------------------------------


def _subtree(held, units: dict[int, Unit], forms, today, walked) -> list[Progress]:
    overseen = [units[uid] for uid, role in held if role != Role.REPORTER and uid in units]
    found: list[Progress] = []
    for unit in overseen:
        day = unit.reference_date(today)
        for form in forms:
            period = _latest_due(form, day)
            if period is None:
                continue
            # The walk from the user's unit serves when it owns the form and the tree
            # did not change between its day and the period's end.
            reused = None
            if (
                unit.pk == form.owner_id
                and unit.pk in walked
                and queries.same_tree(day, period.end)
            ):
                reused = list(walked[unit.pk].values())
            result = completeness(form, period.id, unit, owner_subtree=reused)
            if result.expected == 0:
                continue
            returned = set(result.returned)
            late_codes = (
                [c for c in result.missing if c not in returned] if today > result.deadline else []
            )
            returned_codes = sorted(returned)
            shown = Unit.objects.filter(
                code__in=late_codes[:LATE_NAMES] + returned_codes[:LATE_NAMES]
            ).values_list("pk", "code")
            codes = dict(shown)
            shown_names = queries.latest_versions(codes)
            late_names = [v for pk, v in shown_names.items() if codes[pk] in late_codes]
            returned_names = [v for pk, v in shown_names.items() if codes[pk] in returned]
            found.append(
                Progress(
                    form=form.code,
                    form_name=local_name(form),
                    period=period.id,
                    period_label=period.label(),
                    unit=unit.code,
                    unit_name=unit.latest_version().name,
                    deadline=result.deadline,
                    expected=result.expected,
                    submitted=result.submitted,
                    late=sorted(v.name for v in late_names),
                    late_count=len(late_codes),
                    url=reverse("completeness:page", args=[form.code, unit.code, period.id]),
                    returned=sorted(v.name for v in returned_names),
                    returned_count=len(returned_codes),
                )
            )
    return found


def _latest_due(form: Form, day: dt.date) -> Period | None:
    """The latest period of ``form`` ended by ``day`` whose deadline has passed or is
    within SOON days; if nobody reported it, the latest period anybody reported (a form
    whose units were reorganised away keeps showing its last reports)."""
    period = containing(day, PeriodType(form.period_type), form.calendar)
    while not (form.deadline(period) <= day + dt.timedelta(days=SOON) and period.end < day):
        period = period.previous()
    reported = Submission.objects.filter(form=form, period__lte=period.id).order_by("-period")
    last = reported.values_list("period", flat=True).first()
    if last is None or Submission.objects.filter(form=form, period=period.id).exists():
        return period
    return form.period(last)


# Tasks and documents --------------------------------------------------------------------


def _tasks(held, units: dict[int, Unit], today) -> list[Item]:
    acting = [units[uid] for uid, role in held if role != Role.VIEWER and uid in units]
    items = []
    for row in directives.tasks_of(acting):
        if row.answered:
            continue
        directive = row.row.assignment.document
        days = (row.due - today).days
        state = "overdue" if days < 0 else "due_soon" if days <= SOON else "open"
        items.append(
            Item(
                kind="task",
                title=f"{directive.symbol} – {directive.summary}",
                unit=row.code,
                unit_name=row.name,
                url=reverse("documents:tasks", args=[row.code]),
                action=_("Trả lời"),
                due=row.due,
                state=state,
                note=row.row.assignment.task,
            )
        )
    order = {"overdue": 0, "due_soon": 1, "open": 2}
    return sorted(items, key=lambda i: (order[i.state], i.due))


def _documents(user, units: dict[int, Unit], today, walked) -> list[Item]:
    changing = {u.pk for u in policy.allowed(user, policy.Action.CHANGE, units.values())}
    items: list[Item] = []
    reach = _under(changing - set(walked), today) | (changing & set(walked))
    for root_id in changing & set(walked):
        reach |= set(walked[root_id])
    # Drafts are few: read them, then keep those of the issuers in reach (no IN list of
    # a province's ten thousand units).
    drafts = [
        r
        for r in Report.objects.filter(status=Report.Status.DRAFT)
        .select_related("template", "issuer")
        .prefetch_related("issuer__versions")
        .order_by("-created")
        if r.issuer_id in reach
    ]
    for report in drafts[:50]:
        items.append(
            Item(
                kind="draft",
                # The title's placeholders ({period}) are filled at rendering: the
                # template's name and the period in words say which report it is.
                title=f"{local_name(report.template)} – {_period_words(report.period)}",
                unit=report.issuer.code,
                unit_name=report.issuer.latest_version().name,
                url=reverse("drafting:edit", args=[report.pk]),
                action=_("Xem và ban hành"),
                due=None,
                state="draft",
            )
        )
    documents = [
        d
        for d in Document.objects.filter(status=Document.Status.DRAFT, report__isnull=True)
        .select_related("type", "issuer")
        .order_by("-created")
        if d.issuer_id in reach
    ]
    for document in documents[:50]:
        items.append(
            Item(
                kind="document",
                title=f"{local_name(document.type)} – {document.summary}",
                unit=document.issuer.code if document.issuer else "",
                unit_name=document.issuer_name,
                url=reverse("documents:document", args=[document.pk]),
                action=_("Xem và ban hành"),
                state="draft",
            )
        )
    seen = {u.pk for u in policy.allowed(user, policy.Action.VIEW, units.values())}
    incoming = Document.objects.filter(
        direction=Document.Direction.INCOMING,
        unit_id__in=sorted(seen),
        received_date__gte=today - dt.timedelta(days=RECENT),
    ).select_related("unit")
    for document in incoming.order_by("-received_date", "-id")[:50]:
        items.append(
            Item(
                kind="incoming",
                title=f"{document.symbol} – {document.summary}",
                unit=document.unit.code,
                unit_name=document.issuer_name,
                url=reverse("documents:document", args=[document.pk]),
                action=_("Xử lý"),
                due=None,
                state="incoming",
                note=_("Đến ngày %(day)s") % {"day": format_date(document.received_date)},
            )
        )
    return items


def _commendations(user) -> list[Item]:
    """Nominations waiting for the user's review, then those returned to the user's
    units for correction, with the reason (``commendations.access.waiting_for``)."""
    from trienkhai.commendations import access as commendations

    review, returned = commendations.waiting_for(user)
    return [
        Item(
            kind="nomination",
            title=f"{n.kind.name_en if is_english() else n.kind.name} – "
            f"{n.recipient_unit.latest_version().name}",
            unit=n.giver.code if n in review else n.recipient_unit.code,
            unit_name="",
            url=reverse("commendations:nomination", args=[n.pk]),
            action=_("Thẩm định") if n in review else _("Sửa và trình lại"),
            state="waiting" if n in review else "returned",
            note=n.reason if n not in review else "",
        )
        for n in (*review, *returned)
    ]


def _judging(user) -> list[Item]:
    """Each round the user judges with entries assigned to them, open rounds first: how
    many wait for their sheet, linked to "Bài được giao chấm" (``contests.pages.judged``,
    three queries)."""
    from trienkhai.contests import pages as contests

    found = []
    for judged in contests.judged(user):
        url = reverse("contests:judging", args=[judged.contest.pk])
        for r in judged.rounds:
            if not r["assigned"]:
                continue
            waiting = r["assigned"] - r["scored"]
            closed = r["round"].closed_at is not None
            if closed:
                state, note = "closed", _("Vòng đã kết thúc chấm.")
            elif waiting:
                state = "waiting"
                note = _("%(n)s bài chưa chấm") % {"n": format_number(waiting)}
            else:
                state, note = "done", _("Đã chấm hết.")
            found.append(
                Item(
                    kind="judging",
                    title=f"{judged.contest.title} – {r['round'].name}",
                    unit=judged.contest.unit.code,
                    unit_name="",
                    url=url,
                    action=_("Bài được giao chấm"),
                    state=state,
                    note=note,
                )
            )
    return sorted(found, key=lambda i: i.state == "closed")


def _period_words(period_id: str) -> str:
    try:
        return span_label(parse_span(period_id))
    except BadInput:
        return period_id


def _names(unit_ids: Iterable[int], names: dict[int, str]) -> None:
    """Fill ``names`` with the latest name of each of ``unit_ids`` it lacks: one query of
    plain rows (a district's five hundred)."""
    missing = sorted({uid for uid in unit_ids if uid not in names})
    if missing:
        latest = UnitVersion.objects.filter(unit_id__in=missing).order_by("valid_from")
        names.update(latest.values_list("unit_id", "name"))
