"""Values of many units at once, as CSV or XLSX: export, and import all rows or none.

One row per value, with the columns (English or Vietnamese headers, in any order):

==========  ===================  ================================================
field       headers              notes
==========  ===================  ================================================
form        form, biểu           the form's code
unit        unit, đơn vị         the unit's stable code
period      period, kỳ           a DHIS2 period id: 2020S1, 2021, 2021Q3, 202107
indicator   indicator, chỉ tiêu  the indicator's code
option      option, phân tổ      the option's code; empty if not disaggregated
value       value, giá trị       "20673", "20.673", "20,5", "có"; empty clears it
comment     comment, ghi chú     optional; empty keeps the stored comment
==========  ===================  ================================================

The import follows the rules of ``services.save_values``, from ``reporting.cells``: ``refusals``
(the acting user may enter data for the unit, the unit reports the form for the period,
the entry window is open, the report is not submitted or approved) asked once per
(form, period) for all its units, then the indicator belongs to the form and is not
derived, the option fits and ``cells.parse_value`` reads the value; it writes with a few multi-row statements: one import of
200,000 values takes seconds, not the hours 200,000 saves would. Every change is kept
as a ``DataValueChange`` row, as with a single save.

``write_checked`` is that writer on its own, for other importers (DHIS2 dataValueSets)
that check cells their own way: ``CheckedCell`` in, values, change rows, draft reports
and one ``values_changed`` out.
"""

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts import policy
from trienkhai.common import rows as statements
from trienkhai.common import uploads
from trienkhai.common.actors import Actor, user_of
from trienkhai.common.bulk_insert import adapt_datetime, among, insert_rows, no_cycle_collection
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.common.spreadsheets import csv_row, xlsx_row
from trienkhai.orgs.models import Unit
from trienkhai.reporting import cells as rules
from trienkhai.reporting import excel, services, statuses, structure
from trienkhai.reporting.models import (
    DataValue,
    DataValueChange,
    DisaggregationOption,
    Form,
    Indicator,
    Submission,
)
from trienkhai.reporting.periods import Period
from trienkhai.reporting.signals import ValueChange, values_changed
from trienkhai.vn import fold, format_date, nfc
from trienkhai.web.labels import local_name

COLUMNS = ("form", "unit", "period", "indicator", "option", "value", "comment")
REQUIRED = ("form", "unit", "period", "indicator", "value")
_ALIASES = {
    "form": ("form", "bieu", "ma bieu"),
    "unit": ("unit", "don vi", "ma don vi"),
    "period": ("period", "ky", "ky bao cao"),
    "indicator": ("indicator", "chi tieu", "ma chi tieu"),
    "option": ("option", "phan to", "lua chon"),
    "value": ("value", "gia tri"),
    "comment": ("comment", "ghi chu"),
}
_HEADERS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
MAX_ROWS = 1_000_000
MAX_DETAILS = 1_000
"""Problems listed in an error; the message still counts them all."""
_CHUNK = 500  # within SQLite's limit on parameters
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


# Export --------------------------------------------------------------------------------


def export_values(form: Form, period_id: str, units: Iterable[Unit], *, fmt: str = "csv") -> bytes:
    """The stored values of ``form`` for ``period_id`` and ``units``, as ``fmt`` (csv or xlsx).

    The file reads back with ``import_values``. Callers pass only the units the reader
    may see.
    """
    if fmt not in ("csv", "xlsx"):
        raise BadInput("invalid_format", f"Định dạng không hỗ trợ / unsupported format: {fmt!r}")
    period = form.period(period_id)
    items = services.form_items(form, period)
    indicators = {i.indicator_id: i.indicator for i in items if i.indicator.is_entered}
    order = {indicator_id: n for n, indicator_id in enumerate(indicators)}
    option_order = {o.code: o.sort_order for o in DisaggregationOption.objects.all()}
    units = sorted(units, key=lambda u: u.code)
    codes = {u.pk: u.code for u in units}
    rows: list[list[Any]] = []
    ids = list(codes)
    for start in range(0, len(ids), _CHUNK):
        found = DataValue.objects.filter(
            unit_id__in=ids[start : start + _CHUNK],
            period=period.id,
            indicator_id__in=list(indicators),
        ).values_list("unit_id", "indicator_id", "option", "value_number", "value_text", "comment")
        for unit_id, indicator_id, option, number, text, comment in sorted(
            found,
            key=lambda r: (codes[r[0]], order[r[1]], option_order.get(r[2], 0), r[2]),
        ):
            indicator = indicators[indicator_id]
            value = _exported(indicator, number, text, as_text=fmt == "csv")
            rows.append(
                [form.code, codes[unit_id], period.id, indicator.code, option, value, comment]
            )
    return _csv(rows) if fmt == "csv" else _xlsx(rows)


def _exported(indicator: Indicator, number: Decimal | None, text: str, *, as_text: bool) -> Any:
    if number is None:
        return text
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return rules.shown(number, text, indicator)
    if number == number.to_integral_value():
        return str(int(number)) if as_text else int(number)
    # "20,5": a comma is always a decimal mark to ``parse_number``, a lone "." is not.
    return str(number.normalize()).replace(".", ",") if as_text else float(number)


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in rows)
    # The BOM makes Excel open the file as UTF-8 and show the Vietnamese letters.
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Số liệu - values")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Import: reading -----------------------------------------------------------------------


# A row of the file as a plain tuple (fewer objects per row than a class instance):
# (row number, indicator, option, raw value, comment or None), grouped by its (form,
# unit, period) as the file is read.
_Row = tuple[Any, ...]
_NUMBER, _INDICATOR, _OPTION, _VALUE, _COMMENT = range(5)
_Groups = dict[tuple[str, str, str], list[_Row]]


def _read(name: str, data: bytes) -> _Groups:
    if uploads.table_kind(name, data) == ".xlsx":
        return _rows(uploads.xlsx_rows(data))
    if data.count(b"\n") > MAX_ROWS:
        # Maybe too many rows: count them before grouping any, so that a refused file
        # never costs the memory of a million grouped rows (about 200 MB).
        _count(uploads.csv_rows(data))
    return _rows(uploads.csv_rows(data), text_only=True)


def _count(table: Iterable[list[str]]) -> None:
    """Refuse a CSV table with more than MAX_ROWS non-blank rows below its header."""
    rows = sum(1 for values in table if any(values)) - 1
    if rows > MAX_ROWS:
        raise BadInput(
            "too_many_rows",
            f"Tệp có hơn {MAX_ROWS:,} dòng / the file has more than {MAX_ROWS:,} rows",
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value).strip()


def _rows(table: Iterable[list[Any]], *, text_only: bool = False) -> _Groups:
    """The rows below the header by (form, unit, period); ``text_only`` when every cell
    is a str (CSV)."""
    groups: _Groups = {}
    count = 0
    positions: dict[str, int] | None = None
    f_at = u_at = p_at = i_at = o_at = v_at = c_at = -1
    width = 0
    for number, values in enumerate(table, start=1):
        if positions is None:
            positions = _header(values)
            f_at, u_at, p_at, i_at, o_at, v_at, c_at = (positions[c] for c in COLUMNS)
            width = max(f_at, u_at, p_at, i_at, o_at, v_at, c_at) + 1
            continue
        if text_only:
            if not any(values):
                continue
        elif not any(v not in (None, "") for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise BadInput(
                "too_many_rows",
                f"Tệp có hơn {MAX_ROWS:,} dòng / the file has more than {MAX_ROWS:,} rows",
            )
        if text_only and len(values) >= width:
            # A CSV cell is always a str: _text is a strip.
            key = (values[f_at].strip(), values[u_at].strip(), values[p_at].strip())
            comment = values[c_at].strip() if c_at >= 0 else ""
            row = (
                number,
                values[i_at].strip(),
                values[o_at].strip() if o_at >= 0 else "",
                values[v_at],
                nfc(comment) if comment else None,
            )
        else:
            size = len(values)
            f, u, p, i, o, v, c = (
                values[k] if 0 <= k < size else None
                for k in (f_at, u_at, p_at, i_at, o_at, v_at, c_at)
            )
            key = (_text(f), _text(u), _text(p))
            comment = _text(c)
            row = (number, _text(i), _text(o), v, nfc(comment) if comment else None)
        group = groups.get(key)
        if group is None:
            groups[key] = [row]
        else:
            group.append(row)
    if positions is None:
        raise BadInput("empty_file", "Tệp không có dữ liệu / the file has no data")
    if not groups:
        raise BadInput(
            "empty_file", "Tệp chỉ có tiêu đề, không có dòng nào / no rows below the header"
        )
    return groups


def _header(values: list[Any]) -> dict[str, int]:
    """Column → position (-1 when an optional column is absent)."""
    found: dict[str, int] = {}
    for position, cell in enumerate(values):
        key = " ".join(fold(_text(cell).split("/")[0]).replace("_", " ").split())
        column = _HEADERS.get(key)
        if column is not None and column not in found:
            found[column] = position
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise BadInput(
            "missing_columns",
            f"Dòng đầu phải là tiêu đề cột; thiếu: {', '.join(missing)} / "
            f"the first row must hold the column headers; missing: {', '.join(missing)}",
            details=[
                {"row": 1, "column": c, "problem": "Thiếu cột / missing column"} for c in missing
            ],
        )
    return {c: found.get(c, -1) for c in COLUMNS}


# Import: checking ----------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict] = []
        self.rows: set[int] = set()

    def add(self, row: _Row, column: str, problem: str) -> None:
        self.rows.add(row[_NUMBER])
        if len(self.items) < MAX_DETAILS:
            self.items.append({"row": row[_NUMBER], "column": column, "problem": problem})


@dataclass
class _FormInfo:
    form: Form
    indicators: dict[str, Indicator]
    options: dict[str, set[str]]
    spans: dict[str, list[tuple[dt.date, dt.date | None]]]
    """When each indicator belonged to the form (a form changes over time)."""

    def during(self, period: Period) -> set[str]:
        """The codes of the indicators that belonged to the form during ``period``."""
        start, end = period.start, period.end
        return {
            code
            for code, spans in self.spans.items()
            if any(s <= end and (e is None or e > start) for s, e in spans)
        }


def _forms(codes: set[str]) -> dict[str, _FormInfo]:
    found: dict[str, _FormInfo] = {}
    for form in Form.objects.filter(code__in=codes):
        shape = structure.of(form)
        indicators = {item.indicator.code: item.indicator for item in shape.items}
        spans: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for item in shape.items:
            spans[item.indicator.code].append((item.valid_from, item.valid_to))
        options = {code: shape.option_codes(i) for code, i in indicators.items()}
        found[form.code] = _FormInfo(form, indicators, options, dict(spans))
    return found


def _units(codes: set[str]) -> dict[str, Unit]:
    """Code → unit, in one statement (``among``: the ORM prepared a 500-code IN list
    value by value, 0.2 s of 10,000 units)."""
    test, param = among(sorted(codes))
    code = f"{statements.table(Unit)}.{statements.column(Unit, 'code')}"
    where = RawSQL(f"{code} {test}", (param,), output_field=BooleanField())
    return {u.code: u for u in Unit.objects.filter(where).order_by()}


def _group_problems(
    acting_user: Actor,
    groups: dict[tuple[str, str, str], list[_Row]],
    forms: dict[str, _FormInfo],
    units: dict[str, Unit],
    today: dt.date,
) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], Period]]:
    """What is wrong with each (form, unit, period) group: ``cells.refusals``, the rules
    of a single save, asked once per (form, period) for all its units."""
    wrong: dict[tuple[str, str, str], str] = {}
    periods: dict[tuple[str, str], Period] = {}
    members: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for key in groups:
        form_code, unit_code, period_id = key
        if form_code not in forms:
            wrong[key] = f"Không có biểu / unknown form: {form_code}"
        elif unit_code not in units:
            wrong[key] = f"Không có đơn vị / unknown unit: {unit_code}"
        else:
            members[(form_code, period_id)].append(units[unit_code])
    for (form_code, period_id), some in members.items():
        form = forms[form_code].form
        try:
            period = form.period(period_id)
        except BadInput as exc:
            for unit in some:
                wrong[(form_code, unit.code, period_id)] = exc.message
            continue
        periods[(form_code, period_id)] = period
        refused, _locked = rules.refusals(acting_user, form, period, some, today=today)
        for unit in some:
            why = refused.get(unit.pk)
            if why is not None:
                message = why.message if isinstance(why, BadInput) else str(why)
                wrong[(form_code, unit.code, period_id)] = message
    return wrong, periods


# Writing checked cells (the import's writer, shared) -----------------------------------


@dataclass(frozen=True, slots=True)
class CheckedCell:
    """One cell to write, already checked by the caller.

    ``number`` None and ``text`` "" clear the value; ``comment`` None keeps the stored
    comment ("" clears it). ``option`` is "" for an indicator without disaggregation.
    """

    form: Form
    unit_id: int
    period: Period
    indicator: Indicator
    option: str
    number: Decimal | None
    text: str
    comment: str | None = None


@no_cycle_collection()
@transaction.atomic
def write_checked(*, acting_user: Actor, cells: Sequence[CheckedCell]) -> int:
    """Write ``cells``, checked by the caller, as the bulk import writes; the number of
    values changed.

    What ``import_values`` does after its checks: opens a draft report for each (form,
    unit, period) that has none, reads the stored values, writes the changed values and
    one ``DataValueChange`` row per change (who: ``acting_user``, when: now, old → new),
    and sends ``values_changed`` once with every changed number. A cell equal to the
    stored value (and comment) changes nothing. A cell given twice: the later one wins.

    The caller checks first, inside the same transaction (wrap both in
    ``transaction.atomic``): ``cells.refusals(acting_user, form, period, units)`` for
    every (form, period) — which also locks the existing reports until the transaction
    ends —, that each indicator belongs to the form during the period and is not
    derived, that the option is one of the indicator's, and parses each value with
    ``cells.parse_value``. Nothing here checks these again; a unit or indicator id
    that does not exist is refused by the database (``IntegrityError``, decision 0015).
    The actor must at least be one who enters data somewhere (None never is).
    """
    policy.require(acting_user, policy.Action.ENTER_DATA)
    latest: dict[tuple[int, str, int, str], CheckedCell] = {}
    for cell in cells:
        key = (cell.unit_id, cell.period.id, cell.indicator.pk, cell.option)
        latest.pop(key, None)  # the later one wins, in the later one's place
        latest[key] = cell
    if not latest:
        return 0
    writer = _Writer(acting_user)
    reports: dict[tuple[int, str], set[int]] = defaultdict(set)
    for cell in latest.values():
        writer.scope(cell.period.id, [cell.unit_id], [cell.indicator.pk])
        reports[(cell.form.pk, cell.period.id)].add(cell.unit_id)
    writer.load()
    for (unit_id, period_id, indicator_id, option), cell in latest.items():
        writer.add(
            unit_id,
            period_id,
            cell.indicator,
            indicator_id,
            option,
            cell.number,
            cell.text,
            cell.comment,
        )
    _open_submissions(reports)
    return writer.write()


class _Writer:
    """The changes of many cells, given one at a time after their stored values are
    loaded, written with a few statements: draft reports are the caller's."""

    def __init__(self, acting_user: Actor) -> None:
        self.stamp = adapt_datetime(timezone.now())
        user = user_of(acting_user)
        self.user_id = user.pk if user is not None else None
        # period id → (unit ids, indicator ids) whose stored values to load
        self.scopes: dict[str, tuple[set[int], set[int]]] = {}
        # period id → (unit id, indicator id, option) → (id, number, text, comment, version)
        self.stored: dict[str, dict[tuple[int, int, str], tuple]] = {}
        self.shown: dict[tuple[str, Any], str] = {}  # (value type, number) → display
        self.written: dict[Decimal, int | Decimal] = {}  # number → as written (_written)
        self.inserts: list[tuple] = []
        self.removed: list[int] = []
        self.changes: list[tuple] = []
        self.numbers: list[ValueChange] = []
        # Nobody listening (no live rollups): the 200,000 ValueChange are not built.
        self.listening = values_changed.has_listeners(__name__)

    def scope(self, period_id: str, unit_ids: Iterable[int], indicator_ids: Iterable[int]) -> None:
        found = self.scopes.get(period_id)
        if found is None:
            found = self.scopes[period_id] = (set(), set())
        found[0].update(unit_ids)
        found[1].update(indicator_ids)

    def load(self) -> None:
        """The stored values of the scopes: one query per period (``_stored``)."""
        for period_id, (unit_set, indicator_set) in self.scopes.items():
            found = self.stored[period_id] = {}
            for row in _stored(period_id, sorted(unit_set), sorted(indicator_set)):
                found[(row[1], row[2], row[3])] = (row[0], row[4], row[5], row[6], row[7])

    def show(self, number: Decimal | None, text: str, indicator: Indicator) -> str:
        if number is None:
            return text
        key = (indicator.value_type, number)
        found = self.shown.get(key)
        if found is None:
            found = self.shown[key] = rules.display(number, text, indicator)
        return found

    def add(
        self,
        unit_id: int,
        period_id: str,
        indicator: Indicator,
        indicator_id: int,
        option: str,
        number: Decimal | None,
        text: str,
        comment: str | None,
        new: str | None = None,
    ) -> None:
        """One cell's new value (``comment`` None keeps the stored one); nothing if equal.

        ``new``: the value as a cell shows it (``show``), if the caller has it."""
        if new is None:
            new = self.show(number, text, indicator)
        stored = self.stored.get(period_id)
        current = stored.get((unit_id, indicator_id, option)) if stored else None
        if current is None:
            before = None
            if comment is None:
                comment = ""
            old = ""
            if not new and not comment:
                return  # nothing stored, nothing given: as a single save, no change
            version = 1
        else:
            value_id, before, stored_text, old_comment, version = current
            if comment is None:
                comment = old_comment
            if number == before and text == stored_text and comment == old_comment:
                return
            old = self.show(before, stored_text, indicator)
            if old == new and old_comment == comment:
                return  # equal stored values show the same
            # Replaced rather than updated: one DELETE and one multi-row INSERT beat a
            # per-row UPDATE by far, and nothing refers to a value by its id.
            self.removed.append(value_id)
            version += 1
        now, user_id = self.stamp, self.user_id
        if number is not None or text or comment:
            written = None
            if number is not None:
                written = self.written.get(number)
                if written is None:
                    written = self.written[number] = _written(number)
            self.inserts.append(
                (
                    indicator_id,
                    option,
                    unit_id,
                    period_id,
                    written,
                    text,
                    comment,
                    version,
                    now,
                    user_id,
                )
            )
        self.changes.append(
            (indicator_id, option, unit_id, period_id, old, new, comment, now, user_id)
        )
        if self.listening and before != number:
            self.numbers.append(
                ValueChange(indicator_id, option, unit_id, period_id, before, number)
            )

    def write(self) -> int:
        """Delete the replaced values, insert the new ones and the change rows, tell the
        listeners; the number of changes."""
        table = connection.ops.quote_name(DataValue._meta.db_table)
        if self.removed and self.listening:
            # Replaced rows are drafts: submitted or approved ones leave those totals.
            self.numbers[:0] = statuses.dropped(self.removed)
        if self.removed:
            test, param = among(self.removed)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id {test}", [param])
        if connection.vendor != "postgresql":
            _check_references(self.changes)
        insert_rows(DataValue, _VALUE_FIELDS, self.inserts, prepared=True)
        insert_rows(DataValueChange, _CHANGE_FIELDS, self.changes, prepared=True)
        if self.numbers:
            values_changed.send(sender=__name__, changes=self.numbers)
        return len(self.changes)


def _written(number: Decimal) -> int | Decimal:
    """A whole number as an int: the drivers write it several times faster than a
    Decimal (psycopg's numeric dumper: 0.03 s instead of 0.17 s per 200,000), and the
    column stores the same number."""
    if number == number.to_integral_value() and abs(number) < 10**18:
        return int(number)
    return number


_VALUE_FIELDS = (
    "indicator_id",
    "option",
    "unit_id",
    "period",
    "value_number",
    "value_text",
    "comment",
    "version",
    "modified",
    "modified_by_id",
)
_CHANGE_FIELDS = (
    "indicator_id",
    "option",
    "unit_id",
    "period",
    "old",
    "new",
    "comment",
    "changed",
    "changed_by_id",
)


def _stored(period_id: str, unit_ids: list[int], indicator_ids: list[int]) -> Iterable[tuple]:
    """(id, unit id, indicator id, option, number, text, comment, version) of the values."""
    names = (
        "id",
        "unit_id",
        "indicator_id",
        "option",
        "value_number",
        "value_text",
        "comment",
        "version",
    )
    if connection.vendor == "postgresql":
        # Two arrays rather than 10,000 placeholders, which psycopg splits in Python;
        # the units as a relation to join, not a list to search for each row (on the
        # statistics of a table just filled, PostgreSQL did that: 15 s).
        columns = ", ".join(names)
        table = connection.ops.quote_name(DataValue._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM unnest(%s::bigint[]) AS wanted (unit) "
                f"JOIN {table} ON unit_id = wanted.unit "
                "WHERE period = %s AND indicator_id = ANY(%s)",
                [unit_ids, period_id, indicator_ids],
            )
            return cursor.fetchall()
    # One statement (``among``), the numbers converted as the ORM converts them.
    units, unit_param = among(unit_ids)
    indicators, indicator_param = among(indicator_ids)
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(names)} FROM {table} "
            f"WHERE period = %s AND unit_id {units} AND indicator_id {indicators}",
            [period_id, unit_param, indicator_param],
        )
        found = cursor.fetchall()
    column = DataValue._meta.get_field("value_number").get_col(DataValue._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    if not converters:
        return found
    at = names.index("value_number")

    def converted(row: tuple) -> tuple:
        number = row[at]
        if number is not None:
            for convert in converters:
                number = convert(number, column, connection)
        return (*row[:at], number, *row[at + 1 :])

    return [converted(row) for row in found]


def _check_references(rows: list[tuple]) -> None:
    """Where the database does not check them (SQLite, decision 0015): the units and
    indicators of ``rows`` (value or change rows) exist, one query per table."""
    for model, position in ((Unit, 2), (Indicator, 0)):
        ids = sorted({row[position] for row in rows})
        test, param = among(ids)
        table, key = statements.table(model), statements.column(model, "id")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {key} {test}", [param])
            (count,) = cursor.fetchone()
        if count != len(ids):
            raise IntegrityError(
                f"{DataValue._meta.db_table}: a {model._meta.model_name} id does not exist"
            )


# Import: writing -----------------------------------------------------------------------


@no_cycle_collection()
def import_values(
    *, acting_user: Actor, name: str, data: bytes, today: dt.date | None = None
) -> int:
    """Save every value of the CSV or XLSX file ``name``, or none; the number of values changed.

    Raises ``BadInput`` "invalid_file" with one detail per problem ({"row", "column",
    "problem"}; the first ``MAX_DETAILS``), or a file-level code as ``orgs.imports``
    does ("file_too_large", "unsupported_file", "wrong_content", "unreadable_file",
    "not_utf8", "empty_file", "missing_columns", "too_many_rows").

    The file is read before the transaction: on SQLite a transaction takes the write
    lock when it begins, and a slow or hostile file must not hold other people's saves.
    PermissionDenied, before the file is read, for an actor who enters data nowhere.
    """
    policy.require(acting_user, policy.Action.ENTER_DATA)
    groups = _read(name, data)
    return _import_groups(acting_user, groups, today)


@transaction.atomic
def _import_groups(acting_user: Actor, groups: _Groups, today: dt.date | None) -> int:
    """The checks and the writes of ``import_values``, in one transaction."""
    today = today or timezone.localdate()
    forms = _forms({key[0] for key in groups})
    units = _units({key[1] for key in groups})
    wrong, periods = _group_problems(acting_user, groups, forms, units, today)

    writer = _Writer(acting_user)
    # (form code, period as written) → indicator code → (indicator, id, options or None
    # if derived, parser), for the indicators the form had during the period
    specs: dict[tuple[str, str], dict[str, tuple[Indicator, int, set[str] | None, _Parse]]] = {}
    for (form_code, period_text), period in periods.items():
        info = forms[form_code]
        during = info.during(period)
        specs[(form_code, period_text)] = {
            code: spec for code, spec in _specs(info, writer.show).items() if code in during
        }
        writer.scope(period.id, (), (spec[1] for spec in specs[(form_code, period_text)].values()))
    reports: dict[tuple[int, str], set[int]] = defaultdict(set)
    for form_code, unit_code, period_text in groups:
        if (form_code, unit_code, period_text) not in wrong:
            period_id = periods[(form_code, period_text)].id
            unit_id = units[unit_code].pk
            writer.scope(period_id, (unit_id,), ())
            reports[(forms[form_code].form.pk, period_id)].add(unit_id)
    writer.load()

    problems = _Problems()
    add = writer.add
    # (unit id, period id) → (indicator id, option) → the row that gave it
    taken: dict[tuple[int, str], dict[tuple[int, str], int]] = {}
    for key, members in groups.items():
        if key in wrong:
            for row in members:
                problems.add(row, "unit", wrong[key])
            continue
        form_code, unit_code, period_text = key
        spec = specs[(form_code, period_text)]
        unit_id = units[unit_code].pk
        period_id = periods[(form_code, period_text)].id
        cells = taken.setdefault((unit_id, period_id), {})
        for row in members:
            found = spec.get(row[_INDICATOR])
            if found is None:
                problems.add(
                    row,
                    "indicator",
                    f"Biểu {form_code} không có chỉ tiêu {row[_INDICATOR]!r} / not in form {form_code}",
                )
                continue
            indicator, indicator_id, allowed, parse = found
            if allowed is None:
                problems.add(
                    row,
                    "indicator",
                    _("%(indicator)s được tính tự động, không nhập.")
                    % {"indicator": local_name(indicator)},
                )
                continue
            option = row[_OPTION]
            if option not in allowed:
                problems.add(
                    row,
                    "option",
                    _("%(indicator)s: lựa chọn không hợp lệ (hợp lệ: %(valid)s).")
                    % {
                        "indicator": local_name(indicator),
                        "valid": ", ".join(sorted(allowed - {""})) or "—",
                    },
                )
                continue
            try:
                number, text, shown = parse(row[_VALUE])
            except BadInput as exc:
                problems.add(row, "value", exc.message)
                continue
            comment = row[_COMMENT]
            if comment is not None:
                trouble = rules.comment_problem(comment)
                if trouble:
                    problems.add(row, "comment", trouble)
                    continue
            cell = (indicator_id, option)
            first = cells.get(cell)
            if first is not None:
                problems.add(
                    row, "value", f"Trùng ô với dòng {first} / the same cell as row {first}"
                )
                continue
            cells[cell] = row[_NUMBER]
            if not problems.rows:
                add(
                    unit_id,
                    period_id,
                    indicator,
                    indicator_id,
                    option,
                    number,
                    text,
                    comment,
                    shown,
                )
    if problems.rows:
        count = len(problems.rows)
        raise BadInput(
            "invalid_file",
            f"{count} dòng có lỗi; chưa nhập dòng nào / "
            f"{count} {'row has' if count == 1 else 'rows have'} errors; nothing was imported",
            details=problems.items,
        )
    _open_submissions(reports)
    return writer.write()


_Parsed = tuple[Decimal | None, str, str]
"""(number, text, the value as a cell shows it)"""
_Parse = Callable[[Any], _Parsed]
_Show = Callable[[Decimal | None, str, Indicator], str]


def _specs(
    info: _FormInfo, show: _Show
) -> dict[str, tuple[Indicator, int, set[str] | None, _Parse]]:
    """Indicator code → (indicator, its id, its options or None if derived, its parser).

    The parser is chosen once per indicator: a plain string of digits for a number
    (most of a file) becomes a Decimal directly, anything else goes through
    ``cells.parse_value`` as a single save would read it (``cells.reader``). Each text it has read is
    remembered with its result and display (``show``): a file repeats its figures.
    """
    found: dict[str, tuple[Indicator, int, set[str] | None, _Parse]] = {}
    for code, indicator in info.indicators.items():
        allowed = None if not indicator.is_entered else info.options[code]
        found[code] = (indicator, indicator.pk, allowed, _parser(indicator, show))
    return found


def _parser(indicator: Indicator, show: _Show) -> _Parse:
    fast = rules.reader(indicator)

    def read(raw: Any) -> tuple[Decimal | None, str]:
        return fast(raw if type(raw) is str else excel._plain(raw))

    # Only texts (all of a CSV): an .xlsx cell's True and 1 would be one key.
    seen: dict[str, _Parsed] = {}

    def parse(raw: Any) -> _Parsed:
        found = seen.get(raw) if type(raw) is str else None
        if found is None:
            number, text = read(raw)  # BadInput is not remembered: asked again, raised again
            found = (number, text, show(number, text, indicator))
            if type(raw) is str:
                seen[raw] = found
        return found

    return parse


def _open_submissions(wanted: dict[tuple[int, str], set[int]]) -> None:
    """A draft report for each (form id, period id) → unit ids that has none yet, as a
    single save creates one.

    A report another transaction creates meanwhile (a first save of the same report, or
    another import) is not ours to write into unseen: the values read before were read
    without it. The INSERT waits for that transaction under the unique constraint and
    then inserts nothing for that report (``ON CONFLICT DO NOTHING``; PostgreSQL would
    otherwise raise IntegrityError, a 500); fewer rows inserted than wanted is a
    ``Conflict`` (409) and the whole import is rolled back: send it again.
    """
    now = adapt_datetime(timezone.now())
    fresh: list[tuple] = []
    table = connection.ops.quote_name(Submission._meta.db_table)
    for (form_id, period), wanted_ids in wanted.items():
        ids = sorted(wanted_ids)
        if connection.vendor == "postgresql":
            sql = (
                f"SELECT unit_id FROM unnest(%s::bigint[]) AS wanted (unit) "
                f"JOIN {table} ON unit_id = wanted.unit WHERE form_id = %s AND period = %s"
            )
            params: list[Any] = [ids, form_id, period]
        else:
            test, param = among(ids)
            sql = (
                f"SELECT unit_id FROM {table} WHERE unit_id {test} AND form_id = %s AND period = %s"
            )
            params = [param, form_id, period]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            have = {unit_id for (unit_id,) in cursor.fetchall()}
        fresh.extend((form_id, unit_id, period, now) for unit_id in ids if unit_id not in have)
    if not fresh:
        return
    if _insert_new_reports(fresh) < len(fresh):
        raise Conflict(
            "concurrent_save",
            _("Có người vừa bắt đầu nhập cùng báo cáo này; chưa nhập dòng nào, hãy gửi lại tệp."),
        )


def _insert_new_reports(fresh: list[tuple]) -> int:
    """INSERT the draft reports ``fresh`` (form id, unit id, period, created), skipping any
    that exists by then; the number inserted."""
    meta = Submission._meta
    ops = connection.ops
    rest = [
        f
        for f in meta.concrete_fields
        if f.attname not in ("form_id", "unit_id", "period", "created") and not f.primary_key
    ]
    fixed = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = ", ".join(
        ops.quote_name(name) for name in ("form_id", "unit_id", "period", "created")
    )
    columns += "".join(f", {ops.quote_name(f.attname)}" for f in rest)  # no db_column here
    marks = ", ".join(["%s"] * (4 + len(rest)))
    sql = (
        f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
        " ON CONFLICT DO NOTHING"
    )
    inserted = 0
    with connection.cursor() as cursor:
        for row in fresh:  # one report per unit: a few hundred rows at most per import
            cursor.execute(sql, [*row, *fixed])
            inserted += cursor.rowcount
    return inserted


def export_units(user, form: Form, period_id: str, under: Unit | None = None) -> list[Unit]:
    """The units expected to report ``form`` for the period that ``user`` may see (under ``under``)."""
    from trienkhai.orgs import queries

    period = form.period(period_id)
    units = services.expected_units(form, period)
    if under is not None:
        inside = {n.unit_id for n in queries.subtree(under, period.end)} | {under.pk}
        units = [u for u in units if u.pk in inside]
    return policy.allowed(user, policy.Action.VIEW, units)
