"""Values of many units as CSV and XLSX: export, import all or none, under the same rules."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.reporting import bulk, services
from trienkhai.reporting.models import DataValue, DataValueChange, Submission
from trienkhai.reporting.services import CellInput

PERIOD = "2020S1"
HEADER = ["form", "unit", "period", "indicator", "option", "value", "comment"]


def csv_bytes(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def value(unit, code, option="", period=PERIOD):
    found = DataValue.objects.filter(
        unit=unit, period=period, indicator__code=code, option=option
    ).first()
    return found.value if found else None


GOOD = [
    ["HK", "C1", PERIOD, "lop_ke_hoach", "", "12", ""],
    ["HK", "C1", PERIOD, "luot_nguoi", "", "20.673", "cả năm"],
    ["HK", "C2", PERIOD, "luot_nguoi_doi_tuong", "dang_vien", "1250", ""],
    ["HK", "C2", PERIOD, "ghi_chu", "", "Tốt", ""],
]


def test_it_imports_a_csv_for_many_units(form, org, personas):
    saved = bulk.import_values(
        acting_user=personas.manager, name="so-lieu.csv", data=csv_bytes(GOOD)
    )
    assert saved == 4
    assert value(org.c1, "luot_nguoi") == 20673
    assert DataValue.objects.get(unit=org.c1, indicator__code="luot_nguoi").comment == "cả năm"
    assert value(org.c2, "luot_nguoi_doi_tuong", "dang_vien") == 1250
    assert value(org.c2, "ghi_chu") == "Tốt"
    change = DataValueChange.objects.get(unit=org.c1, indicator__code="luot_nguoi")
    assert (change.old, change.new, change.changed_by) == ("", "20.673", personas.manager)
    assert Submission.objects.filter(form=form, period=PERIOD).count() == 2


def test_it_replaces_clears_and_keeps_values_with_their_versions(form, org, personas):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[
            CellInput("lop_ke_hoach", 10),
            CellInput("lop_da_mo", 5),
            CellInput("luot_nguoi", 7),
        ],
    )
    rows = [
        ["HK", "C1", PERIOD, "lop_ke_hoach", "", "11", ""],
        ["HK", "C1", PERIOD, "lop_da_mo", "", "", ""],
        ["HK", "C1", PERIOD, "luot_nguoi", "", "7", ""],
    ]
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(rows)) == 2
    planned = DataValue.objects.get(unit=org.c1, indicator__code="lop_ke_hoach")
    assert (planned.value, planned.version) == (11, 2)
    assert value(org.c1, "lop_da_mo") is None
    assert DataValue.objects.get(unit=org.c1, indicator__code="luot_nguoi").version == 1
    assert (
        DataValueChange.objects.filter(unit=org.c1, indicator__code="lop_da_mo").first().new == ""
    )


def test_it_saves_nothing_and_names_every_bad_row(form, org, personas):
    rows = [
        *GOOD,
        ["HK", "C1", PERIOD, "lop_da_mo", "", "mười", ""],
        ["HK", "C1", PERIOD, "khong_co", "", "1", ""],
        ["HK", "C1", PERIOD, "luot_nguoi_doi_tuong", "tre_em", "1", ""],
        ["HK", "C1", PERIOD, "binh_quan_lop", "", "1", ""],
        ["HK", "C1", PERIOD, "lop_ke_hoach", "", "13", ""],
        ["HK", "C1", "2020Q1", "lop_ke_hoach", "", "1", ""],
        ["XX", "C1", PERIOD, "lop_ke_hoach", "", "1", ""],
        ["HK", "D1", PERIOD, "lop_ke_hoach", "", "1", ""],
    ]
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(rows))
    assert caught.value.code == "invalid_file"
    by_row = {d["row"]: d for d in caught.value.details}
    assert sorted(by_row) == list(range(6, 14))
    assert by_row[6]["column"] == "value"
    assert by_row[10]["problem"].startswith("Trùng ô với dòng 2")
    assert "Huyện Vĩnh Thuận không báo cáo biểu" in by_row[13]["problem"]  # D1, by name
    assert not DataValue.objects.exists()
    assert not DataValueChange.objects.exists()
    assert not Submission.objects.exists()


def test_it_refuses_units_outside_the_users_scope(form, org, personas, cell_reporter):
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=cell_reporter, name="a.csv", data=csv_bytes(GOOD))
    assert {d["row"] for d in caught.value.details} == {4, 5}
    assert "Xã Vĩnh Bình Bắc" in caught.value.details[0]["problem"]  # C2, by name
    assert not DataValue.objects.exists()
    # A viewer enters data nowhere: refused before the file is read, as the endpoint does.
    with pytest.raises(PermissionDenied):
        bulk.import_values(acting_user=personas.viewer, name="a.csv", data=csv_bytes(GOOD))
    with pytest.raises(PermissionDenied):
        bulk.import_values(acting_user=None, name="a.csv", data=csv_bytes(GOOD))  # type: ignore[arg-type]
    assert not DataValue.objects.exists()


def test_it_refuses_a_locked_report(form, org, personas):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c2,
        period_id=PERIOD,
        cells=[CellInput("ghi_chu", "x")],
    )
    services.submit(acting_user=SYSTEM, form=form, unit=org.c2, period_id=PERIOD)
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(GOOD))
    assert caught.value.status == 400
    assert {d["row"] for d in caught.value.details} == {4, 5}
    assert "đã gửi" in caught.value.details[0]["problem"]
    assert value(org.c2, "ghi_chu") == "x"


def test_it_refuses_values_outside_the_entry_window(form, org, personas):
    form.close_days_after = 30
    form.save()
    with pytest.raises(BadInput) as caught:
        bulk.import_values(
            acting_user=personas.manager,
            name="a.csv",
            data=csv_bytes(GOOD),
            today=dt.date(2021, 1, 1),
        )
    assert "Ngoài thời gian nhập liệu" in caught.value.details[0]["problem"]


def test_it_exports_what_it_imports_as_csv_and_xlsx(form, org, personas):
    bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(GOOD))
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("lop_da_mo", 3)],
    )
    exported = bulk.export_values(form, PERIOD, [org.c2, org.c1], fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["HK", "C1", PERIOD, "lop_ke_hoach", "", "12", ""],
        ["HK", "C1", PERIOD, "lop_da_mo", "", "3", ""],
        ["HK", "C1", PERIOD, "luot_nguoi", "", "20673", "cả năm"],
        ["HK", "C2", PERIOD, "luot_nguoi_doi_tuong", "dang_vien", "1250", ""],
        ["HK", "C2", PERIOD, "ghi_chu", "", "Tốt", ""],
    ]
    book = openpyxl.load_workbook(
        io.BytesIO(bulk.export_values(form, PERIOD, [org.c1], fmt="xlsx"))
    )
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.cell(4, 6).value == 20673
    # What was exported reads back unchanged: nothing to save.
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=exported) == 0
    DataValue.objects.all().delete()
    out = io.BytesIO()
    book.save(out)
    assert bulk.import_values(acting_user=personas.manager, name="b.xlsx", data=out.getvalue()) == 3
    assert value(org.c1, "luot_nguoi") == Decimal(20673)


def test_it_reads_vietnamese_headers_and_semicolons(form, org, personas):
    data = "Biểu;Đơn vị;Kỳ;Chỉ tiêu;Phân tổ;Giá trị\nHK;C1;2020S1;lop_ke_hoach;;1.234\n"
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=data.encode()) == 1
    assert value(org.c1, "lop_ke_hoach") == 1234


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.xlsx", b"form,unit\n", "wrong_content"),
        ("a.csv", b"PK\x03\x04rest", "wrong_content"),
        ("a.txt", b"x", "unsupported_file"),
        ("a.csv", "form,unit\n".encode("utf-16"), "wrong_content"),
        ("a.csv", b"form,unit\nHK,C1\n", "missing_columns"),
        ("a.csv", b"\xff\xfeab", "not_utf8"),
    ],
)
def test_it_refuses_files_it_cannot_read(form, personas, name, data, code):
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=personas.manager, name=name, data=data)
    assert caught.value.code == code


def test_it_keeps_tabs_line_breaks_and_backslashes_in_texts(form, org, personas):
    # PostgreSQL's COPY text format escapes these; the values must read back unchanged.
    odd = "dòng 1\n\tdòng 2 \\ C:\\tmp\r\nhết"
    rows = [
        ["HK", "C1", PERIOD, "ghi_chu", "", odd, odd],
        ["HK", "C1", PERIOD, "luot_nguoi", "", "20.673", "a\\Nb"],
    ]
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(rows)) == 2
    stored = DataValue.objects.get(unit=org.c1, indicator__code="ghi_chu")
    comment = bulk.nfc(odd.strip())  # a comment's whitespace is tidied, a text value's kept
    assert (stored.value_text, stored.comment) == (odd.strip(), comment)
    change = DataValueChange.objects.get(unit=org.c1, indicator__code="ghi_chu")
    assert (change.new, change.comment) == (odd.strip(), comment)
    assert DataValue.objects.get(unit=org.c1, indicator__code="luot_nguoi").comment == "a\\Nb"


def test_it_reads_a_file_without_the_option_column(form, org, personas):
    header = ["form", "unit", "period", "indicator", "value", "comment"]
    rows = [["HK", "C1", PERIOD, "luot_nguoi", "12", "cả năm"]]
    saved = bulk.import_values(
        acting_user=personas.manager, name="a.csv", data=csv_bytes(rows, header=header)
    )
    assert saved == 1
    assert DataValue.objects.get(unit=org.c1, indicator__code="luot_nguoi").option == ""


@pytest.mark.parametrize("kind", ["integer", "decimal", "percent", "boolean", "text"])
def test_its_fast_value_parser_reads_as_parse_value_does(kind):
    """Also when it has read the same text before (it remembers what it read)."""
    from trienkhai.reporting.cells import display, parse_value
    from trienkhai.reporting.models import Indicator

    indicator = Indicator(code="x", name="x", value_type=kind)
    parse = bulk._parser(indicator, display)
    for raw in 2 * [
        "0",
        "007",
        " 12 ",
        "100",
        "101",
        "20.673",
        "20,5",
        "+5",
        "-3",
        "1e3",
        "có",
        "không",
        "",
        "  ",
        "²",
        "١٢",
        None,
        12,
        12.0,
        100.5,
        True,
    ]:
        try:
            number, text = parse_value(indicator, bulk.excel._plain(raw))
            expected: object = (number, text, display(number, text, indicator))
        except BadInput as exc:
            expected = exc.message
        try:
            found: object = parse(raw)
        except BadInput as exc:
            found = exc.message
        assert found == expected, (kind, raw)
        if isinstance(found, tuple) and isinstance(expected, tuple):
            assert [type(x) for x in found] == [type(x) for x in expected]


def test_it_exports_typed_formulas_as_text_and_reads_them_back(form, org, personas):
    """GIVEN a note "=1+1" with the comment "@SUM(A1)", THEN the CSV quotes both
    against formula injection, the .xlsx holds them as text, and the CSV imports back
    to the same texts (nothing to save)."""
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("ghi_chu", "=1+1", comment="@SUM(A1)"), CellInput("lop_da_mo", 3)],
    )
    exported = bulk.export_values(form, PERIOD, [org.c1], fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert ["HK", "C1", PERIOD, "ghi_chu", "", "'=1+1", "'@SUM(A1)"] in rows
    assert ["HK", "C1", PERIOD, "lop_da_mo", "", "3", ""] in rows
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=exported) == 0
    assert value(org.c1, "ghi_chu") == "=1+1"
    sheet = openpyxl.load_workbook(
        io.BytesIO(bulk.export_values(form, PERIOD, [org.c1], fmt="xlsx"))
    ).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_it_reads_the_file_before_its_transaction(form, org, personas, monkeypatch):
    """On SQLite a transaction holds the write lock from its start: a slow or hostile
    file must be read before, so that other people's saves never wait on it."""
    from django.db import connection

    seen = []
    real = bulk._read
    depth = len(connection.savepoint_ids)  # the test's own transaction

    def spy(name, data):
        seen.append(len(connection.savepoint_ids) > depth)
        return real(name, data)

    monkeypatch.setattr(bulk, "_read", spy)
    assert bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(GOOD)) > 0
    assert seen == [False]
