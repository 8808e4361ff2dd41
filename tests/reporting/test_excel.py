"""A unit's form as .xlsx: the layout people see, and reading it back under every rule."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core import signing
from django.utils import translation

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.reporting import excel, services
from trienkhai.reporting.models import DataValue
from trienkhai.reporting.services import CellInput

PERIOD = "2020S1"


def rows_by_indicator(sheet) -> dict[str, int]:
    """The row of each indicator name in the data sheet."""
    return {
        sheet.cell(row, 2).value: row
        for row in range(excel.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row, 2).value
    }


def open_book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save_book(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(org, code: str, option: str = "") -> Decimal | str | None:
    value = DataValue.objects.filter(
        unit=org.c1, period=PERIOD, indicator__code=code, option=option
    ).first()
    return value.value if value else None


@pytest.fixture
def filled(form, org):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[
            CellInput("lop_ke_hoach", 12),
            CellInput("lop_da_mo", 10),
            CellInput("luot_nguoi", "20.673"),
            CellInput("luot_nguoi_doi_tuong", 73, option="dang_vien"),
        ],
    )
    return form


def test_it_lays_the_form_out_for_people(filled, org):
    book = open_book(excel.form_workbook(filled, org.c1, PERIOD))
    sheet = book[excel.DATA_SHEET]
    assert sheet.cell(1, 1).value == "Báo cáo 6 tháng"
    assert "Thị trấn Vĩnh Thuận" in sheet.cell(2, 1).value
    assert "6 tháng đầu năm 2020" in sheet.cell(3, 1).value
    headers = [sheet.cell(excel.FIRST_ROW - 1, c).value for c in range(1, 11)]
    assert headers[3:] == [
        "Giá trị / value",
        "Báo cáo viên",
        "Cán bộ",
        "Đảng viên",
        "Đoàn viên",
        "Hội viên",
        "Nhân dân",
    ]
    rows = rows_by_indicator(sheet)
    total = sheet.cell(rows["Lượt người tham gia"], 4)
    assert total.value == 20673 and total.number_format == "#,##0"
    assert not total.protection.locked
    assert sheet.cell(rows["Lượt người theo đối tượng"], 7).value == 73
    derived = sheet.cell(rows["Bình quân mỗi lớp"], 4)
    assert derived.protection.locked and derived.fill.fgColor.rgb.endswith("D9D9D9")
    assert derived.value == pytest.approx(2067.3)
    assert sheet.cell(excel.FIRST_ROW - 1, 2).protection.locked
    assert sheet.protection.sheet
    assert book[excel.META_SHEET].sheet_state == "veryHidden"


def test_it_reads_back_a_filled_workbook_and_saves_it(filled, org, cell_reporter):
    """GIVEN a downloaded workbook WHEN a person fills it in Excel and uploads it
    THEN every cell is saved, and a cleared cell loses its value."""
    book = open_book(excel.form_workbook(filled, org.c1, PERIOD))
    sheet = book[excel.DATA_SHEET]
    rows = rows_by_indicator(sheet)
    sheet.cell(rows["Số lớp đã mở"], 4).value = 11
    sheet.cell(rows["Lượt người tham gia"], 4).value = 30000.0
    sheet.cell(rows["Lượt người theo đối tượng"], 6).value = "1.250"
    sheet.cell(rows["Lượt người theo đối tượng"], 7).value = None
    sheet.cell(rows["Ghi chú"], 4).value = "Tổ chức tốt"
    cells = excel.read_form_workbook(save_book(book), form=filled, unit=org.c1, period_id=PERIOD)
    result = services.save_values(
        acting_user=cell_reporter, form=filled, unit=org.c1, period_id=PERIOD, cells=cells
    )
    assert result.saved == 5
    assert stored(org, "lop_da_mo") == 11
    assert stored(org, "lop_ke_hoach") == 12
    assert stored(org, "luot_nguoi") == 30000
    assert stored(org, "luot_nguoi_doi_tuong", "can_bo") == 1250
    assert stored(org, "luot_nguoi_doi_tuong", "dang_vien") is None
    assert stored(org, "ghi_chu") == "Tổ chức tốt"


def test_it_lists_every_cell_of_the_wrong_type(form, org):
    book = open_book(excel.form_workbook(form, org.c1, PERIOD))
    sheet = book[excel.DATA_SHEET]
    rows = rows_by_indicator(sheet)
    sheet.cell(rows["Số lớp đã mở"], 4).value = "mười"
    sheet.cell(rows["Lượt người tham gia"], 4).value = 12.5
    sheet.cell(rows["Lượt người theo đối tượng"], 9).value = "nhiều"
    sheet.cell(rows["Số lớp kế hoạch"], 4).value = 4
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(save_book(book), form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "invalid_workbook"
    details = {d["cell"]: d for d in caught.value.details}
    assert set(details) == {
        f"D{rows['Số lớp đã mở']}",
        f"D{rows['Lượt người tham gia']}",
        f"I{rows['Lượt người theo đối tượng']}",
    }
    assert details[f"I{rows['Lượt người theo đối tượng']}"]["option"] == "hoi_vien"
    assert details[f"D{rows['Lượt người tham gia']}"]["indicator"] == "luot_nguoi"


def test_it_refuses_a_workbook_of_another_unit_period_or_form(form, org):
    data = excel.form_workbook(form, org.c2, PERIOD)
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(data, form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "wrong_workbook"
    data = excel.form_workbook(form, org.c1, "2020S2")
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(data, form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "wrong_workbook"
    # Said in names and periods in words on the page; the API's message keeps the codes.
    assert "C1" in caught.value.message and "2020S2" in caught.value.message
    assert caught.value.shown == (
        "Tệp này là biểu “Báo cáo 6 tháng” của Thị trấn Vĩnh Thuận, 6 tháng cuối năm 2020, "
        "không phải biểu “Báo cáo 6 tháng” của Thị trấn Vĩnh Thuận, 6 tháng đầu năm 2020."
    )
    with translation.override("en"), pytest.raises(BadInput) as caught:
        excel.read_form_workbook(data, form=form, unit=org.c2, period_id=PERIOD)
    assert caught.value.shown.startswith(
        "This file is the form “Báo cáo 6 tháng” for Thị trấn Vĩnh Thuận, "
    )
    assert "Xã Vĩnh Bình Bắc" in caught.value.shown and "2020S" not in caught.value.shown


def test_it_refuses_a_tampered_signature(form, org):
    book = open_book(excel.form_workbook(form, org.c1, PERIOD))
    meta = book[excel.META_SHEET]
    forged = signing.dumps(
        {"form": "HK", "unit": "C1", "period": PERIOD, "layout": []}, salt="another"
    )
    meta.cell(2, 1).value = forged
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(save_book(book), form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "foreign_workbook"


def test_it_refuses_a_workbook_it_did_not_make(form, org):
    book = openpyxl.Workbook()
    book.active.append(["lop_da_mo", 3])
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(save_book(book), form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "foreign_workbook"


def test_it_refuses_a_renamed_file(form, org):
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(b"ma,ten\n1,2\n", form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "wrong_content"
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(b"PK\x03\x04broken", form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "unreadable_file"


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def test_it_refuses_a_zip_bomb(form, org, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = zip_bomb()
    assert len(data) < settings.UPLOAD_MAX_BYTES
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(data, form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "file_too_large"


def test_it_refuses_an_oversize_file(form, org, settings):
    data = excel.form_workbook(form, org.c1, PERIOD)
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(data, form=form, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "file_too_large"


def test_it_writes_typed_text_as_text_never_as_a_formula(form, org):
    """GIVEN a note saved as "=HYPERLINK(...)" and a form named "=1+1",
    THEN the offline workbook shows both as text, and only its own sums are formulas."""
    form.name = "=1+1"
    form.save(update_fields=["name"])
    hostile = '=HYPERLINK("http://example.invalid","bấm")'
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("ghi_chu", hostile)],
    )
    sheet = open_book(excel.form_workbook(form, org.c1, PERIOD))[excel.DATA_SHEET]
    rows = rows_by_indicator(sheet)
    note = sheet.cell(rows["Ghi chú"], 4)
    assert (note.value, note.data_type) == (hostile, "s")
    assert (sheet.cell(1, 1).value, sheet.cell(1, 1).data_type) == ("=1+1", "s")
    formulas = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(f.startswith("=SUM(") for f in formulas)


def test_it_refuses_a_formula_and_keeps_the_stored_value(filled, org):
    """GIVEN a stored 10 classes WHEN the workbook comes back with "=5+5" in that cell,
    written by a program that caches no result (openpyxl, scripts, some web sheets)
    THEN the upload is refused naming the cell, and the stored value is not cleared
    (decision 0025: a formula is refused, whatever value Excel cached)."""
    book = open_book(excel.form_workbook(filled, org.c1, PERIOD))
    sheet = book[excel.DATA_SHEET]
    rows = rows_by_indicator(sheet)
    sheet.cell(rows["Số lớp đã mở"], 4).value = "=5+5"
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(save_book(book), form=filled, unit=org.c1, period_id=PERIOD)
    assert caught.value.code == "invalid_workbook"
    (detail,) = caught.value.details
    assert detail["cell"] == f"D{rows['Số lớp đã mở']}"
    assert "công thức" in detail["problem"] and "=5+5" in detail["problem"]
    assert stored(org, "lop_da_mo") == 10


def test_it_refuses_a_formula_even_with_a_cached_value(filled, org):
    """GIVEN a formula with the value Excel cached for it (<f> and <v> in the sheet's XML)
    THEN it is refused all the same: what is saved is what a person typed."""
    book = open_book(excel.form_workbook(filled, org.c1, PERIOD))
    sheet = book[excel.DATA_SHEET]
    coordinate = f"D{rows_by_indicator(sheet)['Số lớp đã mở']}"
    sheet[coordinate].value = "=5+6"
    source = io.BytesIO(save_book(book))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>5+6</f><v></v>", b"<f>5+6</f><v>11</v>")
                assert b"<f>5+6</f><v>11</v>" in data
            new.writestr(member, data)
    with pytest.raises(BadInput) as caught:
        excel.read_form_workbook(out.getvalue(), form=filled, unit=org.c1, period_id=PERIOD)
    assert [d["cell"] for d in caught.value.details] == [coordinate]
    assert stored(org, "lop_da_mo") == 10


def test_it_reads_back_text_that_starts_with_an_equals_sign(form, org):
    """GIVEN a note stored as "=HYPERLINK(...)" (written out as text, never a formula)
    WHEN the workbook comes back unchanged THEN the note is read as the same text."""
    hostile = '=HYPERLINK("http://example.invalid","bấm")'
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("ghi_chu", hostile)],
    )
    data = excel.form_workbook(form, org.c1, PERIOD)
    cells = excel.read_form_workbook(data, form=form, unit=org.c1, period_id=PERIOD)
    assert CellInput(indicator="ghi_chu", option="", value=hostile) in cells
