"""The rules of one cell, in one place: how a value is read, what it may be, and when
a unit's cells may change. Every path that writes values asks this module: the grid
and ``POST /api/v1/datavalues`` (``services.save_values``), the Excel upload
(``excel.read_form_workbook``), the bulk import (``bulk.import_values``), DHIS2
``dataValueSets``/``dataValues`` and ADX (``analytics.dhis2.datavalues``).

A value (``parse_value`` for what people type, ``machine_value`` for DHIS2's writing):

- a number is finite and written plainly — digits, one sign, "20.673" or "6,93" the
  Vietnamese way, "6.93" pasted from English software; never "1e3", "NaN", "sNaN",
  "Infinity", hex or "1_000" (``vn.parse_number``);
- it has at most ``INTEGER_DIGITS`` (12) digits before the decimal mark and
  ``DECIMALS`` (4) after it: under 10¹², so that the totals (64-bit integers of 10⁻⁴,
  at most about 9.2 × 10¹⁴, ``analytics.live.LARGEST``) hold the sum of 900 such values;
  a larger sum is refused by the save as ``value_too_large``;
- an integer is whole; a percent is between 0 and 100;
- integers and decimals are ≥ 0 unless the indicator allows negatives
  (``Indicator.allow_negative``); a percent keeps its 0–100, yes/no and text have no sign;
- yes/no is "có"/"không" (or yes/no, 1/0, true/false, x);
- a text holds no NUL and at most ``TEXT_LENGTH`` characters.

A refused value raises ``BadInput("invalid_value")`` whose message names the indicator
by its name in the reader's language (``web.labels.local_name``), in that language only.

Entry (``refusals`` for one unit or many, ``grid_refusal`` in the grid's words), in this
order, the first that fails is the answer:

1. the acting user may enter data for the unit (accounts.policy, ENTER_DATA);
2. the unit reports the form for the period (assigned and alive on its last day);
3. the entry window of the form for the period is open;
4. the unit's report is not submitted or approved (those lock it).

One unit is asked about with a walk up from it (a few small queries, no more than a
save always made); many units with one subtree of the form's owner and one batch policy
question. The reports found are locked (SELECT … FOR UPDATE) until the caller's
transaction ends, so that no approval slips in between the check and the write.
"""

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trienkhai.accounts import policy
from trienkhai.common import rows
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Form, Indicator, Submission
from trienkhai.reporting.periods import Period
from trienkhai.vn import format_date, format_number, parse_number
from trienkhai.web.labels import local_name, unit_name

INTEGER_DIGITS = 12
"""Digits before the decimal mark: a value is below 10¹²."""
DECIMALS = 4
"""Digits after it: what ``DataValue.value_number`` keeps."""
LIMIT = Decimal(10) ** INTEGER_DIGITS
TEXT_LENGTH = 10_000
"""Characters of a text value."""
_TYPED_LENGTH = 40
"""Characters of a typed number, separators and spaces included."""

Kind = Indicator.ValueType
SIGNED = frozenset({Kind.INTEGER, Kind.DECIMAL})
"""The value types that are ≥ 0 unless the indicator allows negatives."""
_YES = {"1", "true", "yes", "có", "co", "x", "đúng", "dung"}
_NO = {"0", "false", "no", "không", "khong", "sai"}
_HUNDRED = Decimal(100)
# DHIS2 writes numbers with a decimal point and nothing else: no exponent, ASCII digits.
_MACHINE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


# Reading a value -----------------------------------------------------------------------


def parse_value(indicator: Indicator, raw: Any) -> tuple[Decimal | None, str]:
    """(number, text) for ``raw`` typed into a cell of ``indicator``; BadInput if it does not fit.

    ``raw`` is what a client sent: a str as typed ("20.673" is twenty thousand six
    hundred seventy-three), or a JSON/Excel number, bool or None. An empty value means
    "no value" and returns (None, "").
    """
    if raw is None:
        return None, ""
    if indicator.source and not (isinstance(raw, str) and not raw.strip()):
        raise counted_by_source(indicator)
    kind = indicator.value_type
    if isinstance(raw, bool):
        if kind == Kind.BOOLEAN:
            return Decimal(int(raw)), ""
        if kind == Kind.TEXT:
            return None, str(raw)
        raise _not_a_number(indicator, str(raw).lower())
    if isinstance(raw, int | float | Decimal):
        shown = _shown(raw)
        if kind == Kind.TEXT:
            if isinstance(raw, int) and abs(raw) >= 10**TEXT_LENGTH:
                raise _too_long(indicator, shown)
            return None, str(raw)
        number = _decimal(raw)
        if number is None:
            raise _not_a_number(indicator, shown)
        if kind == Kind.BOOLEAN:
            if number in (0, 1):
                return Decimal(int(number)), ""
            raise invalid(indicator, shown, _("cần “có” hoặc “không”"))
        return check_number(indicator, number, shown), ""
    if not isinstance(raw, str):
        raise invalid(indicator, _short(str(raw)), _("cần một giá trị, không phải một danh sách"))
    text = raw.strip()
    if text == "":
        return None, ""
    if kind == Kind.TEXT:
        return None, check_text(indicator, text)
    if kind == Kind.BOOLEAN:
        folded = text.lower()
        if folded in _YES:
            return Decimal(1), ""
        if folded in _NO:
            return Decimal(0), ""
        raise invalid(indicator, _short(text), _("cần “có” hoặc “không”"))
    if len(text) > _TYPED_LENGTH:
        raise _too_long(indicator, text)
    try:
        number = parse_number(text.rstrip("%").strip())
    except ValueError:
        raise _not_a_number(indicator, text) from None
    return check_number(indicator, number, text), ""


def machine_value(indicator: Indicator, raw: Any) -> Any:
    """A value as DHIS2 and ADX write it, as ``parse_value`` takes it: a number as a
    Decimal read with a decimal point ("12.5" is twelve and a half, never the Vietnamese
    reading 125), a yes/no as "true"/"false", a text as it is; "" for no value.
    BadInput if it does not fit."""
    if raw is None or raw == "":
        return ""
    if indicator.is_numeric:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            raise _not_a_number(indicator, _short(str(raw)))
        if isinstance(raw, int | float | Decimal):
            number, _text = parse_value(indicator, raw)
            return number
        text = raw.strip()
        if len(text) > _TYPED_LENGTH:
            raise _too_long(indicator, text)
        if not _MACHINE.fullmatch(text):
            raise _not_a_number(indicator, text)
        return check_number(indicator, Decimal(text), text)
    if indicator.value_type == Kind.BOOLEAN:
        text = str(raw).strip().lower() if isinstance(raw, str | bool | int) else ""
        if text not in {"true", "false", "1", "0"}:
            raise invalid(indicator, _short(str(raw)), _("cần true hoặc false"))
        return "true" if text in {"true", "1"} else "false"
    if not isinstance(raw, str | int | float | Decimal) or isinstance(raw, bool):
        raise invalid(indicator, _short(str(raw)), _("cần một văn bản"))
    parse_value(indicator, str(raw))
    return str(raw)


def check_number(indicator: Indicator, number: Decimal, shown: str) -> Decimal:
    """``number`` if it fits ``indicator`` (finite, digits, whole, 0–100, sign), else
    BadInput naming ``shown`` (the value as it was written)."""
    if not number.is_finite():
        raise _not_a_number(indicator, shown)
    if abs(number) >= LIMIT or _decimals(number) > DECIMALS:
        raise _too_long(indicator, shown)
    kind = indicator.value_type
    if kind == Kind.INTEGER and number != number.to_integral_value():
        raise invalid(indicator, shown, _("cần một số nguyên"))
    if kind == Kind.PERCENT and not Decimal(0) <= number <= _HUNDRED:
        raise invalid(indicator, shown, _("cần một tỷ lệ từ 0 đến 100"))
    if number < 0 and kind in SIGNED and not indicator.allow_negative:
        raise invalid(indicator, shown, _("chỉ tiêu này không nhận số âm"))
    return number


def check_text(indicator: Indicator | None, text: str) -> str:
    """``text`` if the database can keep it (no NUL, no lone surrogate, not too long)."""
    if len(text) > TEXT_LENGTH:
        raise _too_long(indicator, text)
    if "\x00" in text or not _encodable(text):
        raise invalid(indicator, _short(text), _("có ký tự không lưu được"))
    return text


def comment_problem(comment: str | None) -> str:
    """Why a cell's comment cannot be kept ("" if it can): the database refuses a NUL."""
    if comment is None:
        return ""
    if len(comment) > TEXT_LENGTH:
        return _("Ghi chú dài quá: tối đa %(count)s ký tự.") % {"count": format_number(TEXT_LENGTH)}
    if "\x00" in comment or not _encodable(comment):
        return _("Ghi chú có ký tự không lưu được.")
    return ""


def reader(indicator: Indicator) -> Callable[[Any], tuple[Decimal | None, str]]:
    """``parse_value`` for ``indicator``, with a shortcut for a plain string of digits
    (most of an imported file): the same answer, several times faster."""
    numeric = indicator.is_numeric
    percent = indicator.value_type == Kind.PERCENT

    def read(raw: Any) -> tuple[Decimal | None, str]:
        if numeric and type(raw) is str and not indicator.source:
            digits = raw.strip()
            if digits.isdigit() and digits.isascii() and len(digits) <= INTEGER_DIGITS:
                number = Decimal(digits)
                if not percent or number <= _HUNDRED:
                    return number, ""
        return parse_value(indicator, raw)

    return read


def _decimal(raw: int | float | Decimal) -> Decimal | None:
    """``raw`` as a finite Decimal, or None (NaN, infinities)."""
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    if abs(raw) >= LIMIT:
        return LIMIT  # past the limit, without writing out a huge int
    return Decimal(raw)


def _decimals(number: Decimal) -> int:
    """Digits after the decimal mark, trailing zeros aside ("6,930" has 2)."""
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    significant = "".join(map(str, digits)).rstrip("0")
    return max(0, -exponent - (len(digits) - len(significant)))


def _shown(raw: int | float | Decimal) -> str:
    if isinstance(raw, int) and abs(raw) >= 10**_TYPED_LENGTH:
        return f"{'-' if raw < 0 else ''}1{'0' * 12}…"
    return _short(str(raw))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short(text: str) -> str:
    """``text`` as a message quotes it: 40 characters at most, and nothing that cannot be
    written as UTF-8 (a lone surrogate of a JSON "\\ud800" becomes "?")."""
    text = text if len(text) <= 40 else f"{text[:37]}…"
    return text if _encodable(text) else text.encode("utf-8", "replace").decode("utf-8")


def invalid(indicator: Indicator | None, shown: str, expected: str) -> BadInput:
    """The refusal of one value: the indicator by name, the value, what it needs."""
    shown = _short(shown)
    if indicator is None:
        message = _("“%(value)s” không hợp lệ: %(expected)s.") % {
            "value": shown,
            "expected": expected,
        }
    else:
        message = _("%(indicator)s: “%(value)s” không hợp lệ: %(expected)s.") % {
            "indicator": local_name(indicator),
            "value": shown,
            "expected": expected,
        }
    return BadInput("invalid_value", message)


def counted_by_source(indicator: Indicator) -> BadInput:
    """The refusal of a value typed for an indicator that a figure source counts: its
    cell is filled from the register and locked (decision 0039)."""
    return BadInput(
        "counted_by_source",
        f"Chỉ tiêu {indicator.code} lấy số từ sổ hoạt động, không nhập tay / "
        f"{indicator.code} is counted from the activity registers, not typed",
        shown=_("%(indicator)s lấy số từ sổ hoạt động, không nhập tay: sửa trong sổ.")
        % {"indicator": local_name(indicator)},
    )


def _not_a_number(indicator: Indicator, shown: str) -> BadInput:
    return invalid(indicator, _short(shown), _("cần một số, như 20.673 hoặc 6,93"))


def _too_long(indicator: Indicator | None, shown: str) -> BadInput:
    if indicator is None or indicator.value_type == Kind.TEXT:
        expected = _("tối đa %(count)s ký tự") % {"count": format_number(TEXT_LENGTH)}
    else:
        expected = _("tối đa %(integer)s chữ số phần nguyên và %(decimals)s chữ số thập phân") % {
            "integer": INTEGER_DIGITS,
            "decimals": DECIMALS,
        }
    return invalid(indicator, _short(shown), expected)


# Showing a value -----------------------------------------------------------------------


# How a yes/no value is written where it is stored as text (the change log) and compared.
YES, NO = "có", "không"


def display(number: Decimal | None, text: str, indicator: Indicator) -> str:
    """The stored value as text, the same in every language: '20.673', '20,5', 'có'.
    It is what the change log keeps; pages show ``shown`` instead."""
    if number is None:
        return text
    if indicator.value_type == Kind.BOOLEAN:
        return YES if number else NO
    decimals = (
        0 if number == number.to_integral_value() else len(str(number.normalize()).split(".")[1])
    )
    return format_number(number, decimals)


def in_language(written: str, indicator: Indicator) -> str:
    """A value written by ``display`` in the reader's language: 'có' reads 'yes' in
    English. The parsers take both, so an exported file comes back in either."""
    if indicator.value_type != Kind.BOOLEAN:
        return written
    if written == YES:
        return pgettext("a yes/no value", "có")
    if written == NO:
        return pgettext("a yes/no value", "không")
    return written


def shown(number: Decimal | None, text: str, indicator: Indicator) -> str:
    """The stored value as a page or an exported file shows it to its reader."""
    return in_language(display(number, text, indicator), indicator)


def yes_no_choices(indicator: Indicator, value: str = "") -> list[tuple[str, str]]:
    """What a yes/no cell offers, as (value, label): none yet, yes, no. Each value is
    written as ``shown`` writes a stored one ('có', 'yes' in English), so that the
    stored value is the one chosen; one that is neither (``value``) stays offered."""
    choices = [
        ("", "—"),
        (in_language(YES, indicator), pgettext("a yes/no choice", "Có")),
        (in_language(NO, indicator), pgettext("a yes/no choice", "Không")),
    ]
    if value and value not in {v for v, _label in choices}:
        choices.append((value, value))
    return choices


# When cells may change -----------------------------------------------------------------

_CHUNK = 500  # within SQLite's limit on parameters

Refusal = BadInput | policy.PermissionDenied


def refusals(
    acting_user: Actor,
    form: Form,
    period: Period,
    units: Sequence[Unit],
    *,
    today: dt.date | None = None,
) -> tuple[dict[int, Refusal], dict[int, Submission]]:
    """({unit id: why it is refused}, {unit id: its existing report, locked for update}).

    Call inside a transaction: the reports stay locked until it ends. A system actor
    may enter anywhere; None nowhere. ``standing_refusals`` then ``locked_reports``.
    """
    refused = standing_refusals(acting_user, form, period, units, today=today)
    if len(refused) == len(units):
        return refused, {}
    locked, found = locked_reports(form, period, [u for u in units if u.pk not in refused])
    return {**refused, **locked}, found


def standing_refusals(
    acting_user: Actor,
    form: Form,
    period: Period,
    units: Sequence[Unit],
    *,
    today: dt.date | None = None,
) -> dict[int, Refusal]:
    """{unit id: why it is refused} by what a report's status does not decide: the
    actor's rights, whether the unit reports the form, the entry window. Locks nothing,
    so it may run before the write transaction (the rights and the form's units are
    read as any other check reads them, PostgreSQL's READ COMMITTED included): on
    SQLite every other writer waits while one transaction holds the database."""
    from trienkhai.reporting import services

    refused: dict[int, Refusal] = {}
    if len(units) == 1:
        may = {u.pk for u in units if policy.can(acting_user, policy.Action.ENTER_DATA, u)}
    else:
        may = {u.pk for u in policy.allowed(acting_user, policy.Action.ENTER_DATA, units)}
    for unit in units:
        if unit.pk not in may:
            refused[unit.pk] = policy.PermissionDenied(
                _("Bạn không được nhập số liệu cho %(unit)s.") % {"unit": unit_name(unit)}
            )
    rest = [u for u in units if u.pk not in refused]
    if len(rest) == 1:
        expected = {u.pk for u in rest if services.is_expected(form, u, period)}
    elif rest:
        expected = set(services.expected_codes(form, period))
    else:
        expected = set()
    for unit in rest:
        if unit.pk not in expected:
            refused[unit.pk] = BadInput(
                "not_assigned",
                _("%(unit)s không báo cáo biểu “%(form)s” cho kỳ %(period)s.")
                % {
                    "unit": unit_name(unit, period.end),
                    "form": local_name(form),
                    "period": period.inline_label(),
                },
            )
    rest = [u for u in rest if u.pk not in refused]
    closed = window_closed(form, period, today or timezone.localdate())
    if closed is not None:
        for unit in rest:
            refused[unit.pk] = closed
    return refused


def locked_reports(
    form: Form, period: Period, units: Sequence[Unit]
) -> tuple[dict[int, Refusal], dict[int, Submission]]:
    """({unit id: Conflict "locked"} for the reports sent or approved, {unit id: its
    other existing report}), every existing report locked for update until the
    transaction ends: what a report's status decides, read under the write lock."""
    refused: dict[int, Refusal] = {}
    found: dict[int, Submission] = {}
    ids = [u.pk for u in units]
    if len(ids) == 1:
        mine = _locked_submission(form, period, ids[0])
        if mine is not None:
            found[ids[0]] = mine
        ids = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        lookup = {"unit_id": chunk[0]} if len(chunk) == 1 else {"unit_id__in": chunk}
        for submission in Submission.objects.select_for_update().filter(
            form_id=form.pk, period=period.id, **lookup
        ):
            found[submission.unit_id] = submission
    codes = {u.pk: u.code for u in units}
    for unit_id, submission in found.items():
        if submission.is_locked:
            refused[unit_id] = Conflict("locked", _locked(submission.status, codes[unit_id]))
    return refused, {k: v for k, v in found.items() if k not in refused}


def _locked(status: str, unit_code: str) -> str:
    if status == Submission.Status.APPROVED:
        return _("Báo cáo của %(unit)s đã được duyệt và khóa: không sửa được.") % {
            "unit": unit_code
        }
    return _("Báo cáo của %(unit)s đã gửi, đang chờ duyệt: không sửa được.") % {"unit": unit_code}


@rows.statement
def _submission_sql() -> str:
    return (
        f"SELECT {rows.columns(Submission, 's')} FROM {rows.table(Submission)} s"
        f" WHERE s.{rows.column(Submission, 'form')} = %s"
        f" AND s.{rows.column(Submission, 'period')} = %s"
        f" AND s.{rows.column(Submission, 'unit')} = %s{rows.for_update()}"
    )


def _locked_submission(form: Form, period: Period, unit_id: int) -> Submission | None:
    """The unit's report, locked for update: what the loop of ``refusals`` asks for one
    unit, in a statement written by hand (common.rows) — every save of a value asks it."""
    found = rows.fetch(_submission_sql(), [form.pk, period.id, unit_id])
    return rows.instance(Submission, found[0]) if found else None


def window_closed(form: Form, period: Period, today: dt.date) -> BadInput | None:
    """Why entry is closed on ``today``, or None if it is open."""
    opens, closes = form.entry_window(period)
    if today < opens or (closes is not None and today > closes):
        until = f" – {format_date(closes)}" if closes else ""
        return BadInput(
            "entry_closed",
            _("Ngoài thời gian nhập liệu (%(window)s).")
            % {"window": f"{format_date(opens)}{until}"},
        )
    return None


def is_open(form: Form, period: Period, today: dt.date | None = None) -> bool:
    """Whether the entry window of ``form`` for ``period`` is open on ``today``."""
    return window_closed(form, period, today or timezone.localdate()) is None


def is_locked(status: str) -> bool:
    """Whether a report of this status keeps its values (submitted or approved)."""
    return status in {Submission.Status.SUBMITTED, Submission.Status.APPROVED}


def grid_refusal(
    user,
    form: Form,
    unit: Unit,
    period: Period,
    submission: Submission | None,
    reviewer: str = "",
) -> str:
    """Why the grid is read-only for ``user``, or "" when they may type into it: the
    rules of ``refusals`` in the grid's words, without locking anything. ``reviewer``
    names the unit that reviews a sent report ("Tỉnh ủy An Giang")."""
    from trienkhai.reporting import services

    if not policy.can(user, policy.Action.ENTER_DATA, unit):
        return _("Bạn chỉ có quyền xem báo cáo này.")
    if not services.is_expected(form, unit, period):
        return _("Đơn vị này không phải báo cáo biểu này trong kỳ này.")
    if not is_open(form, period):
        return _("Ngoài thời gian nhập liệu.")
    if submission is not None and submission.status == Submission.Status.SUBMITTED:
        if reviewer:
            return _("Báo cáo đã gửi, đang chờ %(unit)s duyệt: không sửa được.") % {
                "unit": reviewer
            }
        return _("Báo cáo đã gửi, đang chờ cấp trên duyệt: không sửa được.")
    if submission is not None and submission.status == Submission.Status.APPROVED:
        return _("Báo cáo đã được duyệt và khóa: muốn sửa, cần cấp trên mở khóa.")
    return ""


def check_can_enter(
    acting_user: Actor, form: Form, unit: Unit, period: Period, *, today: dt.date | None = None
) -> Submission:
    """Everything that must hold before values of ``form`` for ``unit`` and ``period``
    change (``refusals`` for one unit); the unit's report, created as a draft if it has
    none, locked until the transaction ends."""
    refused, found = refusals(acting_user, form, period, [unit], today=today)
    if unit.pk in refused:
        raise refused[unit.pk]
    return found.get(unit.pk) or open_submission(form, unit, period)


def check_standing(
    acting_user: Actor, form: Form, unit: Unit, period: Period, *, today: dt.date | None = None
) -> None:
    """The part of ``check_can_enter`` that locks nothing (``standing_refusals``), for
    a caller that checks it before its transaction and ``lock_report`` inside it."""
    refused = standing_refusals(acting_user, form, period, [unit], today=today)
    if unit.pk in refused:
        raise refused[unit.pk]


def lock_report(form: Form, unit: Unit, period: Period) -> Submission:
    """The rest of ``check_can_enter``, inside the write transaction: the unit's report
    locked (created as a draft if it has none), refused if it is sent or approved."""
    refused, found = locked_reports(form, period, [unit])
    if unit.pk in refused:
        raise refused[unit.pk]
    return found.get(unit.pk) or open_submission(form, unit, period)


def open_submission(form: Form, unit: Unit, period: Period) -> Submission:
    """The unit's report of the period, created as a draft on the first value, locked."""
    try:
        with transaction.atomic():
            submission = Submission(form=form, unit=unit, period=period.id)
            submission.save(force_insert=True)
            return submission
    except IntegrityError:
        # Created meanwhile by a concurrent first save: take that one.
        return Submission.objects.select_for_update().get(
            form_id=form.pk, unit_id=unit.pk, period=period.id
        )
