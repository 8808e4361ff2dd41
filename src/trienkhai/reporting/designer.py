"""Reads of the form designer (issue 14 item 3): what the screens show while a person
sets up a form by names, never by codes.

- ``reporting_unit_ids``: the units a choice of units, kind and level makes report on a
  day (the answer ``services.expected_codes`` gives once the form exists), for the
  "n đơn vị báo cáo" that changes as one chooses;
- ``warnings``: what a person should hear before a form is made: its owner has ended,
  nobody reports it;
- ``indicator_rows``: the indicators to choose from, by name, with what they are;
- ``layout_rows`` / ``read_layout``: a form's sections and indicators as one ordered
  list, and that list read back from a post (the order a person set with the mouse or
  the keyboard);
- ``past_periods`` / ``past_warning``: the periods a form starting on a past day makes
  overdue the moment it is made;
- ``who_reports``: one of a form's assignments in the words its create page chose it by.

Nothing here writes; the writes are ``services.create_form`` and ``editing.reorder_form``.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.reporting import services, structure
from trienkhai.reporting.models import Form, FormAssignment, FormSection, Indicator
from trienkhai.reporting.periods import Calendar, Period, PeriodType, containing
from trienkhai.vn import fold, format_date, sort_key
from trienkhai.web import labels


def counting_day(owner: Unit, valid_from: dt.date | None = None) -> dt.date:
    """The day the count is made for: the day the form starts if it is still to come,
    else today; the owner's last day once it has ended."""
    today = timezone.localdate()
    return owner.reference_date(max(today, valid_from or today))


def first_day(form: Form) -> dt.date | None:
    """The first day ``form`` has an indicator: the day it starts (None: it has none)."""
    return min((item.valid_from for item in structure.of(form).items), default=None)


def showing_day(form: Form) -> dt.date:
    """The day the designer shows ``form`` as of: today, or its first day while that is
    still to come; its owner's last day once the owner has ended (and the form had begun
    by then). A form made today to start next year has no indicator and no unit today;
    shown as of today it looked empty, with a warning that nobody reports it. A form of
    a district that ended on 30/06/2025 previewed Quý IV/2026, a period nobody reports."""
    today = timezone.localdate()
    first = first_day(form)
    day = max(today, first or today)
    last = form.owner.reference_date(day)
    return last if first is None or last >= first else day


def reporting_unit_ids(
    owner: Unit,
    *,
    units: Iterable[Unit] = (),
    kind: UnitKind | None = None,
    kinds: Iterable[UnitKind] = (),
    level: int | None = None,
    day: dt.date,
) -> set[int]:
    """The units that would report a form of ``owner`` on ``day``: each of ``units`` alive
    then, and every unit under the owner of any of ``kind`` and ``kinds`` (none: of any
    kind) at ``level`` (None: any) when a kind or the level is given. A kind and the
    level narrow; several kinds widen, as ``services.assign`` stores them."""
    found = {u.pk for u in units if u.is_valid_on(day)}
    codes = {k.code for k in kinds} | ({kind.code} if kind is not None else set())
    if codes or level is not None:
        for node in queries.subtree(owner, day):
            if (not codes or node.kind in codes) and (level is None or node.depth == level):
                found.add(node.unit_id)
    return found


def unit_names(ids: set[int], shown: int = 8) -> str:
    """The names of the first ``shown`` units of ``ids``, by name, "…" for the rest."""
    versions = queries.latest_versions(ids)
    names = sorted((v.name for v in versions.values()), key=sort_key)
    return ", ".join(names[:shown]) + (" …" if len(names) > shown else "")


def kinds_present(owner: Unit, level: int | None, day: dt.date) -> str:
    """The kinds of unit under ``owner`` on ``day`` (at ``level`` below it, if given), each
    with how many: "Cấp ủy, đảng ủy (3); Ban (2)", what a kind that matched none can be."""
    counted: Counter = Counter(
        node.kind for node in queries.subtree(owner, day) if level is None or node.depth == level
    )
    kinds = {k.code: k for k in UnitKind.objects.filter(code__in=counted)}
    return "; ".join(
        f"{labels.local_name(kinds[code])} ({n})"
        for code, n in counted.most_common()
        if code in kinds
    )


def count_text(count: int) -> str:
    return ngettext("%(n)d đơn vị báo cáo", "%(n)d đơn vị báo cáo", count) % {"n": count}


def warnings(owner: Unit, count: int) -> list[str]:
    """What to tell a person before a form is made: its owner has ended (with the units
    that carry it today), or no unit reports it."""
    said = []
    name = owner.latest_version().name
    if owner.valid_to is not None and owner.valid_to <= timezone.localdate():
        heirs = [
            s.unit.latest_version().name
            for s in queries.successors(owner, timezone.localdate())
            if s.unit.pk != owner.pk
        ]
        if heirs:
            said.append(
                _(
                    "Đơn vị ban hành “%(name)s” đã chấm dứt từ ngày %(day)s; đơn vị kế thừa: "
                    "%(heirs)s. Nên chọn đơn vị kế thừa làm đơn vị ban hành."
                )
                % {"name": name, "day": format_date(owner.valid_to), "heirs": "; ".join(heirs)}
            )
        else:
            said.append(
                _("Đơn vị ban hành “%(name)s” đã chấm dứt từ ngày %(day)s.")
                % {"name": name, "day": format_date(owner.valid_to)}
            )
    if count == 0:
        said.append(
            _(
                "Chưa có đơn vị báo cáo nào: không ai gửi biểu này. Chọn đơn vị theo loại, "
                "theo cấp hoặc từng đơn vị."
            )
        )
    return said


def past_periods(
    period_type: str,
    calendar: str,
    deadline_days: int,
    valid_from: dt.date,
    owner_ends: dt.date | None = None,
) -> list[Period]:
    """The periods of a form starting on ``valid_from`` whose deadline has already
    passed: every unit reporting it is late for them the moment the form is made (the
    desk lists them overdue at once). An owner that ended on ``owner_ends`` (its
    ``valid_to``, the first day it no longer exists) took its units with it: a period
    ending on or after that day is owed by no one (a unit reports a period it exists at
    the end of)."""
    today = timezone.localdate()
    period = containing(valid_from, PeriodType(period_type), Calendar(calendar))
    found = []
    while period.end + dt.timedelta(days=deadline_days) < today and (
        owner_ends is None or period.end < owner_ends
    ):
        found.append(period)
        period = period.next()
    return found


def past_warning(periods: list[Period]) -> list[str]:
    """What to say before a form is made over ``periods`` already past their deadline."""
    if not periods:
        return []
    first, last = periods[0].inline_label(), periods[-1].inline_label()
    if len(periods) == 1:
        said = _(
            "1 kỳ đã qua sẽ đến hạn ngay (%(first)s): mọi đơn vị báo cáo bị tính là chậm gửi "
            "kỳ này ngay khi tạo biểu. Nếu chỉ cần báo cáo từ nay, chọn ngày áp dụng trong "
            "kỳ này."
        )
    else:
        said = _(
            "%(n)s kỳ đã qua sẽ đến hạn ngay (từ %(first)s đến %(last)s): mọi đơn vị báo cáo "
            "bị tính là chậm gửi các kỳ này ngay khi tạo biểu. Nếu chỉ cần báo cáo từ nay, "
            "chọn ngày áp dụng trong kỳ này."
        )
    return [said % {"n": len(periods), "first": first, "last": last}]


# A level under the owner in the middle of a sentence, in the words of the create page's
# "Ở cấp" ("Trực thuộc đơn vị ban hành"): "Mọi đơn vị loại Chi bộ, trực thuộc ...".
_LEVELS = {
    1: pgettext_lazy("giữa câu", "trực thuộc đơn vị ban hành"),
    2: pgettext_lazy("giữa câu", "dưới đơn vị ban hành hai cấp"),
    3: pgettext_lazy("giữa câu", "dưới đơn vị ban hành ba cấp"),
    4: pgettext_lazy("giữa câu", "dưới đơn vị ban hành bốn cấp"),
}


def who_reports(assignment: FormAssignment, unit_name: str = "") -> str:
    """One assignment of a form as its page lists it: the unit's name, or "Mọi đơn vị
    thuộc loại Chi bộ, trực thuộc đơn vị ban hành" in the words the create page chose it by."""
    if assignment.unit is not None:
        return unit_name or assignment.unit.code
    level, where = assignment.level, ""
    if level in _LEVELS:
        where = str(_LEVELS[level])
    elif level is not None:
        where = ngettext(
            "dưới đơn vị ban hành %(level)s cấp", "dưới đơn vị ban hành %(level)s cấp", level
        ) % {"level": level}
    if assignment.kind is not None:
        kind = labels.local_name(assignment.kind)
        if where:
            return _("Mọi đơn vị thuộc loại %(kind)s, %(where)s") % {"kind": kind, "where": where}
        return _("Mọi đơn vị thuộc loại %(kind)s") % {"kind": kind}
    if where:
        return _("Mọi đơn vị %(where)s") % {"where": where}
    return _("Mọi đơn vị")


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator as the designer's list shows it: its name first, its code aside."""

    code: str
    name: str
    what: str
    """Its value type, breakdown and formula in words: "Số nguyên · theo Đối tượng"."""
    search: str
    """What the list's search box matches (accents optional)."""
    is_counted: bool = False
    """Counted from the activity registers ("đếm từ sổ"), never typed: listed apart."""


def _short(label) -> str:
    return str(label).split(" / ")[0]


def indicator_rows() -> list[IndicatorRow]:
    """Every indicator, in Vietnamese alphabetical order of its name."""
    rows = []
    for indicator in Indicator.objects.select_related("disaggregation"):
        what = [_short(indicator.get_value_type_display())]
        if indicator.disaggregation is not None:
            what.append(_("theo %(name)s") % {"name": labels.local_name(indicator.disaggregation)})
        if indicator.is_derived:
            what.append(_("tự tính"))
        elif indicator.is_sourced:
            what.append(_("đếm từ sổ"))
        name = labels.local_name(indicator)
        rows.append(
            IndicatorRow(
                indicator.code,
                name,
                " · ".join(what),
                fold(f"{indicator.name} {indicator.name_en} {indicator.code} {' '.join(what)}"),
                is_counted=indicator.is_sourced and not indicator.is_derived,
            )
        )
    return sorted(rows, key=lambda r: sort_key(r.name))


# A form's layout: its sections and current indicators as one ordered list --------------


@dataclass(frozen=True)
class LayoutRow:
    """One line of a form's layout: a section's title, or an indicator. ``token`` is what
    the page posts back for it: "phan:12" or "chi-tieu:lop_da_mo"."""

    token: str
    label: str
    is_section: bool
    code: str = ""


def layout_rows(form: Form) -> list[LayoutRow]:
    """The form's indicators of its ``showing_day`` outside any section, then each
    section and its indicators, in the order the entry grid shows them."""
    rows = []
    for section, items in services.current_layout(form, showing_day(form)):
        if section is not None:
            rows.append(LayoutRow(f"phan:{section.pk}", labels.local_name(section), True))
        rows += [
            LayoutRow(
                f"chi-tieu:{i.indicator.code}",
                labels.local_name(i.indicator),
                False,
                i.indicator.code,
            )
            for i in items
        ]
    return rows


def read_layout(form: Form, tokens: list[str]) -> list[tuple[FormSection | None, list[Indicator]]]:
    """The posted order of a form's layout: groups of (section or None, its indicators),
    each indicator under the nearest section above it. BadInput unless the post names
    each of the form's sections and indicators of its ``showing_day`` exactly once (the
    page is out of date, or the post was made by hand)."""
    sections = {f"phan:{s.pk}": s for s in form.sections.all()}
    indicators = {
        f"chi-tieu:{i.indicator.code}": i.indicator
        for i in services.current_items(form, showing_day(form))
    }
    if sorted(tokens) != sorted([*sections, *indicators]):
        raise BadInput(
            "layout_mismatch",
            _(
                "Thứ tự gửi lên không khớp với các phần và chỉ tiêu hiện có của biểu: tải lại trang rồi sắp xếp lại."
            ),
        )
    groups: list[tuple[FormSection | None, list[Indicator]]] = [(None, [])]
    for token in tokens:
        if token in sections:
            groups.append((sections[token], []))
        else:
            groups[-1][1].append(indicators[token])
    return groups


def moved(tokens: list[str], move: str) -> list[str]:
    """``tokens`` after the move a button asked for without the page's script:
    "len:chi-tieu:lop_da_mo" (up one place) or "xuong:phan:3" (a section moves with its
    indicators, past the whole next section). Unknown moves change nothing."""
    direction, _sep, token = move.partition(":")
    if token not in tokens or direction not in {"len", "xuong"}:
        return tokens
    rows = list(tokens)
    if not token.startswith("phan:"):
        at = rows.index(token)
        other = at - 1 if direction == "len" else at + 1
        if 0 <= other < len(rows):
            rows[at], rows[other] = rows[other], rows[at]
        return rows
    # A section is a block: its title and the indicators under it.
    blocks: list[list[str]] = [[]]
    for row in rows:
        if row.startswith("phan:"):
            blocks.append([])
        blocks[-1].append(row)
    at = next(n for n, b in enumerate(blocks) if b and b[0] == token)
    other = at - 1 if direction == "len" else at + 1
    if 1 <= other < len(blocks):  # block 0 holds the indicators outside any section
        blocks[at], blocks[other] = blocks[other], blocks[at]
    return [row for block in blocks for row in block]
