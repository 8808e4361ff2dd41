"""A unit's form as an .xlsx workbook to fill offline, and reading it back.

The visible sheet is laid out for people: the form's name, the unit, the period
("6 tháng đầu năm 2020"), one row per indicator grouped in sections, one column for an
indicator without disaggregation ("Giá trị") and one per disaggregation option. Stored
values are filled in; headers, derived indicators and cells that take no value are
protected and grey. Numbers carry the format ``#,##0``, which a Vietnamese Excel shows
as "20.673".

A very hidden sheet holds a token signed with the site's secret (``django.core.signing``):
the form, unit and period codes and the layout (which cell holds which indicator and
option). Reading refuses a workbook whose token is missing or altered, or that was made
for another form, unit or period; the cells are read where the signed layout says, so
moving rows around in the visible sheet cannot put a value into the wrong indicator.

``read_form_workbook`` only reads and checks; the caller saves the cells with
``services.save_values`` (all or none).
"""

import contextlib
import io
import warnings
from decimal import Decimal
from typing import Any

from django.core import signing
from django.utils.translation import gettext, ngettext

from trienkhai.common import spreadsheets, uploads
from trienkhai.common.errors import BadInput, one_language
from trienkhai.orgs.models import Unit
from trienkhai.reporting import formulas, services, sources
from trienkhai.reporting.cells import parse_value, shown
from trienkhai.reporting.models import DisaggregationOption, Form, FormIndicator, Indicator
from trienkhai.reporting.periods import Period, parse
from trienkhai.reporting.services import CellInput
from trienkhai.web.labels import local_name, unit_name

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNING_SALT = "trienkhai.reporting.excel"
DATA_SHEET = "Nhập liệu"
META_SHEET = "_trienkhai"
FIRST_ROW = 6
"""Rows 1-4: title, unit, period, blank; row 5: column headers; values from row 6."""
FIRST_VALUE_COLUMN = 4
"""A: STT, B: indicator, C: unit of measure, D: "Giá trị", E…: options."""
_CHUNK = 30_000  # an Excel cell holds at most 32,767 characters

NUMBER_FORMATS: dict[str, str] = {
    Indicator.ValueType.INTEGER: "#,##0",
    Indicator.ValueType.DECIMAL: "#,##0.##",
    Indicator.ValueType.PERCENT: "0.##",
    Indicator.ValueType.BOOLEAN: "@",
    Indicator.ValueType.TEXT: "@",
}


def _layout(form: Form, period: Period) -> tuple[list[FormIndicator], list[DisaggregationOption]]:
    """The form's items during ``period`` in order, and the option columns (every option
    of every disaggregation)."""
    items = services.form_items(form, period)
    disaggregations = []
    for item in items:
        group = item.indicator.disaggregation_id
        if group is not None and group not in disaggregations:
            disaggregations.append(group)
    options = list(
        DisaggregationOption.objects.filter(disaggregation_id__in=disaggregations).select_related(
            "disaggregation"
        )
    )
    options.sort(key=lambda o: (disaggregations.index(o.disaggregation_id), o.sort_order, o.code))
    return items, options


def form_workbook(form: Form, unit: Unit, period_id: str) -> bytes:
    """The .xlsx of ``form`` for ``unit`` and ``period_id``, pre-filled with stored values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    period = form.period(period_id)
    items, options = _layout(form, period)
    stored = services.form_values(form, unit, period.id)
    lookup = services.lookup_from(stored)
    version = unit.version_on(period.end) or unit.latest_version()

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    grey = PatternFill("solid", fgColor="D9D9D9")
    header_fill = PatternFill("solid", fgColor="BDD7EE")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    locked, unlocked = Protection(locked=True), Protection(locked=False)
    yes_no = DataValidation(type="list", formula1='"có,không"', allow_blank=True)
    sheet.add_data_validation(yes_no)

    last_column = FIRST_VALUE_COLUMN + len(options)
    sums: list[str] = []  # the formulas written on purpose; other "=..." texts stay text
    sheet.cell(1, 1, form.name).font = Font(bold=True, size=14)
    sheet.cell(2, 1, f"Đơn vị / unit: {version.name} ({unit.code})")
    sheet.cell(3, 1, f"Kỳ báo cáo / period: {period.label()} ({period.id})")
    headers = ["STT", "Chỉ tiêu / indicator", "Đơn vị tính", "Giá trị / value"]
    headers += [o.name for o in options]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(FIRST_ROW - 1, column, text)
        cell.font, cell.fill, cell.border = bold, header_fill, box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    option_column = {
        (o.disaggregation_id, o.code): FIRST_VALUE_COLUMN + 1 + i for i, o in enumerate(options)
    }

    layout: list[list[str]] = []
    row = FIRST_ROW
    section = None
    for number, item in enumerate(items, start=1):
        if item.section_id is not None and item.section_id != section:
            section = item.section_id
            assert item.section is not None
            cell = sheet.cell(row, 1, item.section.title)
            cell.font = bold
            for column in range(1, last_column + 1):
                sheet.cell(row, column).fill = header_fill
            row += 1
        indicator = item.indicator
        sheet.cell(row, 1, number)
        sheet.cell(row, 2, indicator.name).alignment = Alignment(wrap_text=True)
        sheet.cell(row, 3, indicator.unit_of_measure)
        if indicator.disaggregation_id is None:
            columns = {FIRST_VALUE_COLUMN: ""}
        else:
            columns = {
                option_column[(indicator.disaggregation_id, o.code)]: o.code
                for o in options
                if o.disaggregation_id == indicator.disaggregation_id
            }
        for column in range(1, last_column + 1):
            cell = sheet.cell(row, column)
            cell.border = box
            cell.protection = locked
            if column >= FIRST_VALUE_COLUMN and (not indicator.is_entered or column not in columns):
                cell.fill = grey
            if column < FIRST_VALUE_COLUMN:
                cell.fill = grey if not indicator.is_entered else PatternFill()
        if indicator.is_sourced:
            # Counted from its register, never typed (decision 0039): locked, grey, said so.
            sheet.cell(row, FIRST_VALUE_COLUMN, sources.note(indicator.source))
        elif indicator.is_derived:
            value = formulas.evaluate(indicator.formula, lookup)
            cell = sheet.cell(row, FIRST_VALUE_COLUMN, _excel_value(value))
            cell.number_format = NUMBER_FORMATS[indicator.value_type]
        else:
            for column, option in columns.items():
                cell = sheet.cell(row, column)
                current = stored.get((indicator.code, option))
                if current is not None:
                    cell.value = _stored(indicator, current.value_number, current.value_text)
                cell.protection = unlocked
                cell.number_format = NUMBER_FORMATS[indicator.value_type]
                if indicator.value_type == Indicator.ValueType.BOOLEAN:
                    yes_no.add(cell)
                layout.append([cell.coordinate, indicator.code, option])
            if indicator.disaggregation_id is not None:
                # The total of the options, for the reader; not read back.
                first, last = min(columns), max(columns)
                total = sheet.cell(row, FIRST_VALUE_COLUMN)
                total.value = (
                    f"=SUM({get_column_letter(first)}{row}:{get_column_letter(last)}{row})"
                )
                total.number_format = NUMBER_FORMATS[indicator.value_type]
                sums.append(total.coordinate)
        row += 1

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 12
    for column in range(FIRST_VALUE_COLUMN, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    spreadsheets.defuse(sheet, keep=sums)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_VALUE_COLUMN)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    token = signing.dumps(
        {"form": form.code, "unit": unit.code, "period": period.id, "layout": layout},
        salt=SIGNING_SALT,
        compress=True,
    )
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.cell(1, 1, "trienkhai")
    for index in range(0, len(token), _CHUNK):
        meta.cell(2 + index // _CHUNK, 1, token[index : index + _CHUNK])
    meta.protection.sheet = True

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stored(indicator: Indicator, number: Decimal | None, text: str) -> Any:
    if number is None:
        return text or None
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return shown(number, text, indicator)
    return _excel_value(number)


def _excel_value(number: Decimal | None) -> int | float | None:
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


# Reading back --------------------------------------------------------------------------


check_xlsx = uploads.check_xlsx


def _unreadable() -> BadInput:
    return BadInput(
        "unreadable_file",
        "Không đọc được tệp Excel (hỏng hoặc không phải .xlsx) / "
        "cannot read the Excel file (damaged, or not .xlsx)",
    )


def _foreign() -> BadInput:
    return BadInput(
        "foreign_workbook",
        "Tệp này không phải biểu tải từ trienkhai, hoặc đã bị sửa phần nhận dạng / "
        "this workbook was not downloaded from trienkhai, or its signature was altered",
    )


class _Formula:
    """A cell holding a formula (``_read_book``): refused, whatever value Excel cached."""

    def __init__(self, text: Any) -> None:
        self.text = str(text)


def _read_book(data: bytes) -> tuple[dict[str, Any], str]:
    """(cell coordinate → value of the data sheet, signed token of the hidden sheet).

    A formula cell's value is a ``_Formula``: the workbook is read with its formulas,
    not with the values Excel cached for them (decision 0025). A cached value may be
    missing (a file written by another program reads as an empty cell, which would
    clear the stored value) or stale; text that merely starts with "=" stays text.
    """
    check_xlsx(data)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise _unreadable() from None
    try:
        if META_SHEET not in book.sheetnames or DATA_SHEET not in book.sheetnames:
            raise _foreign()
        parts = [
            row[0] for row in book[META_SHEET].iter_rows(min_row=2, max_col=1, values_only=True)
        ]
        token = "".join(str(part) for part in parts if part)
        cells: dict[str, Any] = {}
        for row in book[DATA_SHEET].iter_rows(min_row=FIRST_ROW):
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    cells[cell.coordinate] = _Formula(value)
                elif value is not None:
                    cells[cell.coordinate] = value
        return cells, token
    except BadInput:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        book.close()


def _workbook_words(form: Form | str | None, unit: Unit | str | None, period_id: Any) -> str:
    """ "biểu “Báo cáo 6 tháng” của Huyện ủy Vĩnh Thuận, 6 tháng đầu năm 2021": what a
    workbook was made for, in names (the codes it carries, where nothing has them)."""
    if not isinstance(form, Form):
        form = Form.objects.filter(code=str(form)).first() or str(form)
    if not isinstance(unit, Unit):
        unit = Unit.objects.filter(code=str(unit)).first() or str(unit)
    period_words = str(period_id)
    if isinstance(form, Form):
        with contextlib.suppress(BadInput):  # a period id the form does not read: as is
            period_words = parse(period_words, form.calendar).inline_label()
    return gettext("biểu “%(form)s” của %(unit)s, %(period)s") % {
        "form": local_name(form) if isinstance(form, Form) else form,
        "unit": unit_name(unit) if isinstance(unit, Unit) else unit,
        "period": period_words,
    }


def read_form_workbook(data: bytes, *, form: Form, unit: Unit, period_id: str) -> list[CellInput]:
    """The cells of a workbook made by ``form_workbook`` for this form, unit and period.

    Every cell of the signed layout is returned (an empty cell clears its value), with
    ``version=None``: an upload replaces what is stored. Raises ``BadInput``:
    "file_too_large", "wrong_content", "unreadable_file", "foreign_workbook" (no valid
    signature), "wrong_workbook" (made for another form, unit or period), or
    "invalid_workbook" with one detail per bad cell ({"cell", "indicator", "option",
    "problem"}).
    """
    period = form.period(period_id)
    cells, token = _read_book(data)
    try:
        signed = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        raise _foreign() from None
    made_for = (signed.get("form"), signed.get("unit"), signed.get("period"))
    if made_for != (form.code, unit.code, period.id):
        raise BadInput(
            "wrong_workbook",
            f"Tệp này là biểu {made_for[0]} của {made_for[1]} kỳ {made_for[2]}, không phải "
            f"{form.code} của {unit.code} kỳ {period.id} / this workbook is {made_for[0]} "
            f"for {made_for[1]}, {made_for[2]}, not {form.code} for {unit.code}, {period.id}",
            shown=gettext("Tệp này là %(made_for)s, không phải %(wanted)s.")
            % {
                "made_for": _workbook_words(*made_for),
                "wanted": _workbook_words(form, unit, period.id),
            },
        )
    items = {item.indicator.code: item.indicator for item in services.form_items(form, period)}
    allowed = _options(items.values())
    problems: list[dict] = []
    result: list[CellInput] = []
    for coordinate, code, option in signed["layout"]:
        raw = cells.get(coordinate)
        indicator = items.get(code)
        where = {"cell": coordinate, "indicator": code, "option": option}
        if indicator is None or not indicator.is_entered or option not in allowed.get(code, set()):
            if raw not in (None, ""):
                problems.append(
                    {
                        **where,
                        "problem": "Biểu đã đổi, ô này không còn nhận giá trị / "
                        "the form has changed; this cell no longer takes a value",
                    }
                )
            continue
        if isinstance(raw, _Formula):
            shown = raw.text[:40]
            problems.append(
                {
                    **where,
                    "problem": f"Không nhận công thức ({shown}): hãy nhập số, hoặc Dán đặc biệt › "
                    f"Giá trị / enter a value, not a formula ({shown}): or Paste special › Values",
                }
            )
            continue
        value = _plain(raw)
        try:
            parse_value(indicator, value)
        except BadInput as exc:
            problems.append({**where, "problem": exc.message})
            continue
        result.append(CellInput(indicator=code, option=option, value=value))
    if problems:
        count = len(problems)
        raise BadInput(
            "invalid_workbook",
            f"{count} ô không hợp lệ, chưa lưu gì / {count} invalid cell(s), nothing saved",
            details=problems,
            shown=ngettext(
                "%(count)d ô không hợp lệ, chưa lưu gì: %(problems)s",
                "%(count)d ô không hợp lệ, chưa lưu gì: %(problems)s",
                count,
            )
            % {
                "count": count,
                "problems": " ".join(
                    f"{p['cell']}: {one_language(p['problem'])}" for p in problems[:5]
                ),
            },
        )
    return result


def _plain(raw: Any) -> Any:
    """Excel's value as ``parse_value`` reads it: 20673.0 → 20673, True → "1", a date → text."""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if raw is None or isinstance(raw, int | float | Decimal | str):
        return raw
    return str(raw)


def _options(indicators) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for indicator in indicators:
        if indicator.disaggregation_id:
            found[indicator.code] = {o.code for o in indicator.disaggregation.options.all()}
        else:
            found[indicator.code] = {""}
    return found
