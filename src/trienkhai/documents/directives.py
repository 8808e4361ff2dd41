"""Directives: a document assigns tasks to units, who answer and may pass them further down.

Writes (one transaction each, permissions asked of accounts.policy):

- ``assign`` gives a document's task to units picked by hand, or to all units of a kind
  and/or N levels under the assigning unit as of the document's date. The list is
  frozen into ``AssignedUnit`` rows there and then. When the assigning unit is not the
  document's register owner it must itself be an assigned unit of the document: the
  new assignment is a cascade, linked to its row above.
- ``answer`` records that an assigned unit answered with its own issued document (a
  ``DocumentLink`` implements / responds to the directive); ``answer_with_new``
  registers and issues that document first.

Reads: ``progress`` says who was expected, who answered (on time or late), who is
missing, the cascade as a tree and the reminder list; ``tasks_of`` lists a unit's
assignments with their state. An answer is derived, never typed: the earliest issued
document of the expected type (matched by slug, so a State "KH" answers a Party "KH")
that the unit issued and linked to the directive, or the unit's report of the expected
form and period once submitted or approved (on time if first submitted by the due day).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common.actors import Actor, SystemActor
from trienkhai.common.errors import BadInput, Conflict, one_language
from trienkhai.documents import services, signals
from trienkhai.documents.models import (
    AssignedUnit,
    Assignment,
    Document,
    DocumentLink,
    DocumentType,
)
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting.models import Form, Submission
from trienkhai.vn import format_date, nfc, nfc_lines
from trienkhai.web.labels import local_name, unit_name

ANSWER_LINKS = (DocumentLink.Kind.IMPLEMENTS, DocumentLink.Kind.RESPONDS_TO)
ANSWER_STATUSES = (Document.Status.ISSUED, Document.Status.ARCHIVED)
ASSIGNABLE_STATUSES = (Document.Status.ISSUED, Document.Status.RECEIVED, Document.Status.ARCHIVED)
DONE_SUBMISSIONS = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
ANSWER = SystemActor("directives.answer")
"""Who links an answer to its directive, inside ``answer``'s checked write."""


@dataclass(frozen=True)
class Expects:
    """What must come back: a document type, or a form's report for a period."""

    type: DocumentType | None = None
    form: Form | None = None
    period: str = ""


def parse_expects(value, profile: str) -> Expects:
    """``"KH"`` (a type code or slug, the assigner's profile first) or ``{"form", "period"}``."""
    if isinstance(value, str) and value.strip():
        label = nfc(value.strip())
        candidates = DocumentType.objects.filter(Q(code=label) | Q(slug=label))
        found = sorted(candidates, key=lambda t: (t.profile != profile, t.code != label))
        if not found:
            raise BadInput(
                "unknown_type",
                f"Loại văn bản không có / unknown document type: {label!r}",
            )
        return Expects(type=found[0])
    if isinstance(value, dict) and set(value) == {"form", "period"}:
        form = Form.objects.filter(code=str(value["form"])).first()
        if form is None:
            raise BadInput("unknown_form", f"Không có biểu / unknown form: {value['form']!r}")
        return Expects(form=form, period=form.period(str(value["period"])).id)
    raise BadInput(
        "invalid_expects",
        'Cần "expects": mã loại văn bản (KH) hoặc {"form", "period"} / '
        'expects must be a type code such as "KH" or {"form", "period"}',
    )


def _expand(
    assigner: Unit,
    day: dt.date,
    *,
    units: list[str] | None,
    kind: str | None,
    level: int | None,
) -> tuple[list[int], str]:
    """The ids of the units to assign, under ``assigner`` on ``day``, and how they were chosen."""
    nodes = queries.subtree(assigner, day)
    if units:
        codes = list(dict.fromkeys(units))
        inside = {n.code: n.unit_id for n in nodes}
        known = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise BadInput("unknown_unit", f"Không có đơn vị / unknown units: {', '.join(unknown)}")
        outside = [c for c in codes if c not in inside]
        if outside:
            raise BadInput(
                "outside_subtree",
                f"Đơn vị không trực thuộc {assigner.code} ngày {format_date(day)} / "
                f"not under {assigner.code} on {day.isoformat()}: {', '.join(outside)}",
                shown=_("Các đơn vị sau không trực thuộc %(assigner)s ngày %(day)s: %(units)s.")
                % {
                    "assigner": unit_name(assigner, day),
                    "day": format_date(day),
                    "units": _unit_names(outside, day),
                },
            )
        return [inside[c] for c in codes], "units"
    if kind is None and level is None:
        raise BadInput(
            "no_units",
            'Cần chọn đơn vị: "units", "kind" hoặc "level" / give "units", "kind" or "level"',
        )
    if kind is not None and not UnitKind.objects.filter(code=kind).exists():
        raise BadInput("unknown_kind", f"Loại đơn vị không có / unknown kind: {kind!r}")
    if level is not None and level < 1:
        raise BadInput("invalid_level", "Cấp phải từ 1 / level starts at 1 (direct children)")
    chosen = [
        n.unit_id
        for n in nodes
        if (kind is None or n.kind == kind) and (level is None or n.depth == level)
    ]
    how = " ".join(p for p in (kind and f"kind={kind}", level and f"level={level}") if p)
    if not chosen:
        raise BadInput(
            "no_units",
            f"Không có đơn vị nào ({how}) dưới {assigner.code} ngày {format_date(day)} / "
            f"no units ({how}) under {assigner.code} on {day.isoformat()}",
            shown=_("Không có đơn vị nào (%(how)s) dưới %(assigner)s ngày %(day)s.")
            % {
                "how": _how_words(kind, level),
                "assigner": unit_name(assigner, day),
                "day": format_date(day),
            },
        )
    return chosen, how


def _unit_names(codes: Iterable[str], day: dt.date) -> str:
    """ "Xã A, Xã B": the units of ``codes`` by name on ``day`` (a refusal's words)."""
    units = Unit.objects.filter(code__in=codes).prefetch_related("versions")
    named = {u.code: unit_name(u, day) for u in units}
    return ", ".join(named.get(code, code) for code in codes)


def _how_words(kind: str | None, level: int | None) -> str:
    """ "loại Xã, cấp 2": how units were chosen, in words."""
    words = []
    if kind is not None:
        found = UnitKind.objects.filter(code=kind).first()
        words.append(_("loại %(kind)s") % {"kind": local_name(found) if found else kind})
    if level is not None:
        words.append(_("cấp %(level)s") % {"level": level})
    return ", ".join(words)


@transaction.atomic
def assign(
    *,
    acting_user: Actor,
    document: Document,
    due: dt.date,
    expects,
    units: list[str] | None = None,
    kind: str | None = None,
    level: int | None = None,
    task: str = "",
    by: Unit | None = None,
) -> Assignment:
    """Give ``document``'s task to units; ``by`` (default: the register owner) assigns.

    A ``by`` other than the document's unit passes down the task it was given: it must
    be an assigned unit of the document, and the new assignment hangs under its row.
    """
    by = by or document.unit
    policy.require(acting_user, policy.Action.CHANGE, by)
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    if document.status not in ASSIGNABLE_STATUSES:
        raise Conflict(
            "not_issued",
            f"Chỉ giao nhiệm vụ theo văn bản đã ban hành hoặc đã nhận / only an issued or "
            f"received document assigns tasks (status: {document.status})",
            shown=_(
                "Chỉ giao nhiệm vụ theo văn bản đã ban hành hoặc đã nhận; văn bản này: %(status)s."
            )
            % {"status": one_language(document.get_status_display())},
        )
    day = document.date
    services._version(by, day)  # the assigning unit existed on the document's date
    if due < day:
        raise BadInput(
            "due_before_document",
            f"Hạn {format_date(due)} trước ngày văn bản {format_date(day)} / "
            f"due {due.isoformat()} is before the document's date {day.isoformat()}",
        )
    parent = None
    if by.pk != document.unit_id:
        parent = (
            AssignedUnit.objects.filter(assignment__document=document, unit=by)
            .order_by("assignment_id")
            .first()
        )
        if parent is None:
            raise BadInput(
                "not_assigned",
                f"{by.code} không được giao văn bản này nên không giao tiếp / "
                f"{by.code} was not assigned this document, so it cannot pass it down",
                shown=_("%(unit)s không được giao văn bản này nên không giao tiếp được.")
                % {"unit": unit_name(by, day)},
            )
    wanted = parse_expects(expects, services.profile_of(by, day))
    unit_ids, selection = _expand(by, day, units=units, kind=kind, level=level)
    same = AssignedUnit.objects.filter(
        assignment__document=document,
        assignment__unit=by,
        assignment__expects_type=wanted.type,
        assignment__expects_form=wanted.form,
        assignment__expects_period=wanted.period,
        unit_id__in=unit_ids,
    ).select_related("unit")
    twice = sorted(row.unit.code for row in same)
    if twice:
        raise Conflict(
            "already_assigned",
            f"Đã giao cùng nhiệm vụ cho / already assigned: {', '.join(twice)}",
            shown=_("Đã giao cùng nhiệm vụ này cho: %(units)s.")
            % {"units": _unit_names(twice, day)},
        )
    assignment = Assignment(
        document=document,
        unit=by,
        parent=parent,
        due=due,
        expects_type=wanted.type,
        expects_form=wanted.form,
        expects_period=wanted.period,
        task=nfc_lines(task),
        selection=selection,
        created_by=services._user(acting_user),
    )
    services._audited(assignment, acting_user).save()
    AssignedUnit.objects.bulk_create(
        [AssignedUnit(assignment=assignment, unit_id=uid) for uid in unit_ids]
    )
    signals.task_assigned.send(
        __name__, assignment=assignment, unit_ids=list(unit_ids), acting_user=acting_user
    )
    return assignment


def _rows_to_answer(document: Document, unit: Unit) -> list[AssignedUnit]:
    rows = list(
        AssignedUnit.objects.filter(assignment__document=document, unit=unit).select_related(
            "assignment__expects_type"
        )
    )
    if not rows:
        raise BadInput(
            "not_assigned",
            f"{unit.code} không được giao văn bản này / {unit.code} was not assigned this document",
            shown=_("%(unit)s không được giao văn bản này.")
            % {"unit": unit_name(unit, document.date)},
        )
    return rows


@transaction.atomic
def answer(
    *,
    acting_user: Actor,
    directive: Document,
    unit: Unit,
    document: Document,
    kind: str = DocumentLink.Kind.IMPLEMENTS,
) -> DocumentLink:
    """``unit`` answers its assignment of ``directive`` with ``document``, its own issued one."""
    policy.require(acting_user, policy.Action.CHANGE, unit)
    rows = _rows_to_answer(directive, unit)
    if document.direction != Document.Direction.OUTGOING or document.issuer_id != unit.pk:
        raise BadInput(
            "not_own_document",
            f"{unit.code} chỉ trả lời bằng văn bản do mình ban hành / "
            f"{unit.code} answers only with a document it issued",
            shown=_("%(unit)s chỉ trả lời bằng văn bản do chính mình ban hành.")
            % {"unit": unit_name(unit, document.date)},
        )
    if document.status not in ANSWER_STATUSES:
        raise Conflict(
            "not_issued",
            f"Văn bản trả lời phải đã ban hành / the answer must be issued (status: {document.status})",
            shown=_("Văn bản trả lời phải đã ban hành; văn bản này: %(status)s.")
            % {"status": one_language(document.get_status_display())},
        )
    types = [r.assignment.expects_type for r in rows if r.assignment.expects_type is not None]
    expected = {t.slug for t in types}
    if not expected:
        raise BadInput(
            "answer_by_report",
            "Nhiệm vụ này được trả lời bằng báo cáo theo biểu / this task is answered by "
            "submitting the form's report",
        )
    if document.type.slug not in expected:
        wanted = ", ".join(sorted({t.label for t in types}))
        raise BadInput(
            "wrong_type",
            f"Cần văn bản loại {wanted}, không phải {document.type.label} / "
            f"expected a {wanted}, not a {document.type.label}",
        )
    if document.date < directive.date:
        raise BadInput(
            "answer_before_directive",
            f"Văn bản trả lời ({format_date(document.date)}) trước văn bản giao nhiệm vụ "
            f"({format_date(directive.date)}) / the answer predates the directive",
        )
    if kind not in ANSWER_LINKS:
        raise BadInput(
            "invalid_link_kind",
            f"Trả lời là triển khai hoặc trả lời / an answer implements or responds to: {kind!r}",
        )
    # The link is part of the answer just checked (CHANGE on the answering unit); the
    # answering unit need not reach the directive's issuer, so the link acts as the system.
    return services.link(acting_user=ANSWER, source=document, target=directive, kind=kind)


@transaction.atomic
def answer_with_new(
    *,
    acting_user: Actor,
    directive: Document,
    unit: Unit,
    type: str,
    date: dt.date,
    summary: str,
    signer: str = "",
    signer_authority: str = "",
    recipients: str = "",
) -> Document:
    """Register ``unit``'s answering document, issue it (number allocated) and link it."""
    draft = services.register_draft(
        acting_user=acting_user,
        issuer=unit,
        type=type,
        date=date,
        summary=summary,
        signer=signer,
        signer_authority=signer_authority,
        recipients=recipients,
    )
    document = services.issue(acting_user=acting_user, document=draft)
    answer(acting_user=acting_user, directive=directive, unit=unit, document=document)
    return document


# Reads -----------------------------------------------------------------------------------


@dataclass
class Answer:
    kind: str
    """"document" or "report"."""
    day: dt.date
    document_id: int | None = None
    symbol: str = ""
    status: str = ""


@dataclass
class Row:
    """One assigned unit's state."""

    row: AssignedUnit
    code: str
    name: str
    due: dt.date
    answer: Answer | None
    children: list["Row"] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def on_time(self) -> bool:
        return self.answer is not None and self.answer.day <= self.due

    def days_late(self, today: dt.date) -> int:
        """Days past the due date: of the answer if answered, else of today (0 if not late)."""
        day = self.answer.day if self.answer is not None else today
        return max(0, (day - self.due).days)

    def to_dict(self, today: dt.date, *, tree: bool = False) -> dict:
        out = {
            "unit": self.code,
            "name": self.name,
            "assignment": self.row.assignment_id,
            "due": self.due,
            "expects": self.row.assignment.expects_label,
            "answered": self.answered,
            "on_time": self.on_time,
            "days_late": self.days_late(today),
            "answer": None
            if self.answer is None
            else {
                "kind": self.answer.kind,
                "date": self.answer.day,
                "document": self.answer.document_id,
                "symbol": self.answer.symbol,
                "status": self.answer.status,
            },
        }
        if tree:
            out["children"] = [c.to_dict(today, tree=True) for c in self.children]
        return out


def _answers(rows: list[AssignedUnit]) -> dict[int, Answer]:
    """The answer of each row (by row id), in two queries whatever the number of rows."""
    found: dict[int, Answer] = {}
    by_doc = [r for r in rows if r.assignment.expects_type_id is not None]
    if by_doc:
        links = (
            DocumentLink.objects.filter(
                target_id__in={r.assignment.document_id for r in by_doc},
                kind__in=ANSWER_LINKS,
                source__issuer_id__in={r.unit_id for r in by_doc},
                source__direction=Document.Direction.OUTGOING,
                source__status__in=ANSWER_STATUSES,
            )
            .order_by("source__date", "source_id")
            .values_list(
                "target_id",
                "source__issuer_id",
                "source__type__slug",
                "source__date",
                "source_id",
                "source__symbol",
                "source__status",
            )
        )
        first: dict[tuple[int, int, str], Answer] = {}
        for target, issuer, slug, day, source, symbol, status in links:
            first.setdefault(
                (target, issuer, slug), Answer("document", day, source, symbol, status)
            )
        for r in by_doc:
            slug = r.assignment.expects_type.slug if r.assignment.expects_type else ""
            if (r.assignment.document_id, r.unit_id, slug) in first:
                found[r.pk] = first[(r.assignment.document_id, r.unit_id, slug)]
    by_form = [r for r in rows if r.assignment.expects_form_id is not None]
    if by_form:
        reports = Submission.objects.filter(
            form_id__in={r.assignment.expects_form_id for r in by_form},
            period__in={r.assignment.expects_period for r in by_form},
            unit_id__in={r.unit_id for r in by_form},
            status__in=DONE_SUBMISSIONS,
        ).values_list("form_id", "period", "unit_id", "first_submitted", "status")
        submitted = {
            (form, period, unit): (timezone.localtime(first).date(), status)
            for form, period, unit, first, status in reports
            if first is not None
        }
        for r in by_form:
            wanted = (r.assignment.expects_form_id, r.assignment.expects_period, r.unit_id)
            if wanted in submitted:
                day, status = submitted[wanted]
                found[r.pk] = Answer("report", day, status=status)
    return found


def rows_of(assigned: Iterable[AssignedUnit]) -> list[Row]:
    """``Row``s for AssignedUnit rows loaded with ``assignment`` (+ expects) and ``unit``."""
    assigned = list(assigned)
    answers = _answers(assigned)
    names = queries.latest_versions(r.unit_id for r in assigned)
    return [
        Row(
            row=r,
            code=r.unit.code,
            name=names[r.unit_id].name if r.unit_id in names else r.unit.code,
            due=r.assignment.due,
            answer=answers.get(r.pk),
        )
        for r in assigned
    ]


def _loaded(queryset, *also: str) -> list[AssignedUnit]:
    return list(
        queryset.select_related(
            "unit", "assignment__expects_type", "assignment__expects_form", *also
        ).order_by("assignment_id", "unit__code")
    )


@dataclass
class Progress:
    """The issuer's view of a directive: counts, rows, the cascade tree, reminders."""

    document: Document
    by: Unit
    today: dt.date
    assignments: list[Assignment]
    rows: list[Row]
    tree: list[Row]
    everything: list[Row] = field(default_factory=list)
    """Every row of the document, cascades included."""

    def visible(self, unit_ids: set[int]) -> "Progress":
        """The part a user sees who may view only ``unit_ids`` (an assigned unit, not the issuer):
        their own rows wherever they are in the cascade, and what they passed down."""
        rows = [r for r in self.everything if r.row.unit_id in unit_ids]
        seen = {r.row.pk for r in rows}
        tree = [r for r in rows if r.row.assignment.parent_id not in seen]
        return Progress(self.document, self.by, self.today, [], rows, tree, rows)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(r.on_time for r in self.rows)

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def missing_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.answered]

    @property
    def missing(self) -> list[str]:
        return sorted({r.code for r in self.missing_rows})

    @property
    def late_rows(self) -> list[Row]:
        return [r for r in self.rows if r.answered and not r.on_time]

    @property
    def reminders(self) -> list[Row]:
        """Units still missing, the most overdue first."""
        return sorted(self.missing_rows, key=lambda r: (r.due, r.code))

    def to_dict(self) -> dict:
        today = self.today
        return {
            "document": self.document.pk,
            "by": self.by.code,
            "expected": self.expected,
            "answered": self.answered,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "assignments": [
                {
                    "id": a.pk,
                    "by": a.unit.code,
                    "parent": a.parent.unit.code if a.parent is not None else None,
                    "due": a.due,
                    "expects": a.expects_label,
                    "task": a.task,
                    "selection": a.selection,
                    "units": len([r for r in self.rows if r.row.assignment_id == a.pk]),
                }
                for a in self.assignments
            ],
            "units": [r.to_dict(today) for r in self.rows],
            "reminders": [
                {"unit": r.code, "name": r.name, "due": r.due, "days_late": r.days_late(today)}
                for r in self.reminders
            ],
            "tree": [r.to_dict(today, tree=True) for r in self.tree],
        }


def progress(
    document: Document, *, by: Unit | None = None, today: dt.date | None = None
) -> Progress:
    """The assignments ``by`` (default the register owner) made of ``document``, and the
    cascade under them. A fixed number of queries whatever the number of units."""
    by = by or document.unit
    today = today or timezone.localdate()
    rows = rows_of(_loaded(AssignedUnit.objects.filter(assignment__document=document)))
    below: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        if r.row.assignment.parent_id is not None:
            below[r.row.assignment.parent_id].append(r)
    for r in rows:
        r.children = below.get(r.row.pk, [])
    own = [r for r in rows if r.row.assignment.unit_id == by.pk]
    mine = list(
        Assignment.objects.filter(document=document, unit=by).select_related(
            "unit", "parent__unit", "expects_type", "expects_form"
        )
    )
    return Progress(document, by, today, mine, own, own, rows)


def tasks_of(units: Iterable[Unit]) -> list[Row]:
    """The assignments given to ``units``, newest first, each with its state and directive."""
    assigned = _loaded(
        AssignedUnit.objects.filter(unit__in=list(units)),
        "assignment__document__type",
        "assignment__document__unit",
        "assignment__unit",
    )
    assigned.sort(key=lambda r: (-r.assignment_id, r.unit.code))
    return rows_of(assigned)


def assigned_rows(document: Document, unit: Unit) -> list[AssignedUnit]:
    """``unit``'s rows of ``document``'s assignments, loaded for ``rows_of``."""
    return _loaded(AssignedUnit.objects.filter(assignment__document=document, unit=unit))
