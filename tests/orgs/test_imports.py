"""Units from a CSV or XLSX file: every row or none, each bad row reported."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs import imports, queries, services
from trienkhai.orgs.models import LineageEvent, OfficialCode, Unit, UnitVersion

HEADER = ["code", "name", "kind", "parent", "valid_from", "abbreviation", "official_code"]
GOOD = [
    ["P-VT", "Đảng bộ huyện Vĩnh Thuận", "party_committee", "D1", "01/01/2015", "HU", ""],
    ["CB-01", "Chi bộ Văn phòng Huyện ủy", "party_cell", "P-VT", "2015-01-01", "CB", ""],
    ["X-MOI", "Xã Vĩnh Bình Mới", "Xã", "D1", "05/08/2021", "", "31099"],
]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: list[list], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def make(kind: str, rows: list[list]) -> tuple[str, bytes]:
    return ("units.xlsx", xlsx(rows)) if kind == "xlsx" else ("units.csv", csv_file(rows))


def snapshot() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        UnitVersion.objects.count(),
        OfficialCode.objects.count(),
        LineageEvent.objects.count(),
        Unit.history.count(),
    )


def refused(user, name: str, data: bytes, **kwargs) -> BadInput:
    before = snapshot()
    with pytest.raises(BadInput) as err:
        imports.import_units_file(acting_user=user, name=name, data=data, **kwargs)
    assert snapshot() == before, "a refused file must change nothing"
    return err.value


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_it_imports_units_with_parents_existing_or_earlier_in_the_file(personas, kind):
    name, data = make(kind, [HEADER, *GOOD])
    created = imports.import_units_file(acting_user=personas.admin, name=name, data=data)
    assert [u.code for u in created] == ["P-VT", "CB-01", "X-MOI"]
    cell = Unit.objects.get(code="CB-01").version_on(dt.date(2020, 1, 1))
    assert (cell.name, cell.kind.code, cell.parent.code, cell.abbreviation) == (
        "Chi bộ Văn phòng Huyện ủy",
        "party_cell",
        "P-VT",
        "CB",
    )
    commune = Unit.objects.get(code="X-MOI")
    assert commune.valid_from == dt.date(2021, 8, 5)
    assert commune.latest_version().kind.code == "commune"
    assert queries.by_official_code("31099", dt.date(2022, 1, 1)) == commune
    assert Unit.history.get(code="X-MOI").history_user == personas.admin
    assert LineageEvent.objects.get(unit=commune).created_by == personas.admin


def test_it_reads_date_cells_and_numbers_from_excel(org):
    rows = [
        HEADER,
        ["C9", "Xã Chín", "commune", "D1", dt.datetime(2019, 3, 4), None, 31100],
    ]
    [unit] = imports.import_units_file(acting_user=SYSTEM, name="Units.XLSX", data=xlsx(rows))
    assert unit.valid_from == dt.date(2019, 3, 4)
    assert unit.official_codes.get().code == "31100"


def test_it_reads_a_vietnamese_excel_csv_with_bom_and_semicolons(org):
    rows = [
        ["Mã", "Tên đơn vị", "Loại", "Cấp trên", "Từ ngày", "Viết tắt", "Mã chính thức", "Ghi chú"],
        ["X1", "Xã Vĩnh Phong, mới", "xa", "D1", "1/7/2025", "", "", "tên có dấu phẩy"],
    ]
    data = csv_file(rows, delimiter=";", bom=True)
    [unit] = imports.import_units_file(acting_user=SYSTEM, name="don-vi.csv", data=data)
    version = unit.latest_version()
    assert (version.name, version.kind.code, version.parent.code) == (
        "Xã Vĩnh Phong, mới",
        "commune",
        "D1",
    )
    assert unit.valid_from == dt.date(2025, 7, 1)


def test_it_gives_a_template_that_it_reads_back(org):
    book = load_workbook(io.BytesIO(imports.units_template_xlsx()))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["Mã / code", "Tên / name"]
    assert len(headers) == len(imports.COLUMNS)
    assert "commune" in [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    for row in GOOD:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    created = imports.import_units_file(acting_user=SYSTEM, name="mau.xlsx", data=out.getvalue())
    assert len(created) == 3


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_it_lists_every_bad_row_and_creates_nothing(org, kind):
    rows = [
        HEADER,
        ["OK-1", "Đơn vị tốt", "commune", "D1", "01/01/2020", "", ""],  # row 2: fine
        ["BAD-P", "Cấp trên lạ", "commune", "NOPE", "01/01/2020", "", ""],  # 3
        ["BAD-K", "Loại lạ", "hamlet", "D1", "01/01/2020", "", ""],  # 4
        ["OK-1", "Trùng trong tệp", "commune", "D1", "01/01/2020", "", ""],  # 5
        ["C1", "Trùng trong CSDL", "commune", "D1", "01/01/2020", "", ""],  # 6
        ["BAD-D", "Ngày sai", "commune", "D1", "31/02/2020", "", ""],  # 7
        ["BAD-A", "Cấp trên chưa có", "commune", "D1", "01/01/2000", "", ""],  # 8
        ["BAD-E", "", "commune", "D1", "01/01/2020", "", ""],  # 9
        ["BAD-L", "Cấp trên ở dưới", "commune", "LATER", "01/01/2020", "", ""],  # 10
        ["LATER", "Đơn vị sau", "district", "P1", "01/01/2020", "", ""],  # 11: fine
        ["BAD-F", "Cấp trên trong tệp có lỗi", "commune", "BAD-K", "01/01/2020", "", ""],  # 12
        ["BAD-Y", "Cấp trên trong tệp chưa có", "commune", "LATER", "01/01/2019", "", ""],  # 13
    ]
    name, data = make(kind, rows)
    error = refused(SYSTEM, name, data)
    assert error.code == "invalid_file"
    found = [(d["row"], d["column"]) for d in error.details]
    assert found == [
        (3, "parent"),
        (4, "kind"),
        (5, "code"),
        (6, "code"),
        (7, "valid_from"),
        (8, "parent"),
        (9, "name"),
        (10, "parent"),
        (12, "parent"),
        (13, "parent"),
    ]
    problems = {d["row"]: d["problem"] for d in error.details}
    assert "NOPE" in problems[3] and " / " in problems[3]
    assert "hamlet" in problems[4]
    assert "dòng 2" in problems[5] and "row 2" in problems[5]
    assert "already exists" in problems[6]
    assert "31/02/2020" in problems[7]
    assert "does not exist on 2000-01-01" in problems[8]
    assert "missing value" in problems[9]
    assert "row 11" in problems[10]
    assert "row 4" in problems[12]
    assert "exists only from 2020-01-01" in problems[13]
    assert "10 row(s)" in error.message


def test_it_refuses_parents_the_user_may_not_add_under(personas, org):
    manager = personas.manager  # manages D1, not D2
    rows = [HEADER, GOOD[0], ["X2", "Xã khác", "commune", "D2", "01/01/2020", "", ""]]
    error = refused(manager, "units.xlsx", xlsx(rows))
    assert [(d["row"], d["column"]) for d in error.details] == [(3, "parent")]
    assert "may not add units under D2" in error.details[0]["problem"]


def test_it_rolls_back_when_a_write_fails_midway(org, monkeypatch):
    """GIVEN a file that passes the checks
    WHEN the second write fails (someone took the code in between)
    THEN the first unit is rolled back too and the row is reported."""
    original = services.create_unit
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["code"])
        if len(calls) == 2:
            raise BadInput("duplicate_code", "Mã đơn vị đã tồn tại / unit code already exists")
        return original(**kwargs)

    monkeypatch.setattr(services, "create_unit", flaky)
    error = refused(SYSTEM, "units.csv", csv_file([HEADER, *GOOD]))
    assert error.code == "invalid_file"
    assert error.details == [
        {"row": 3, "column": "code", "problem": "Mã đơn vị đã tồn tại / unit code already exists"}
    ]


def _bomb() -> bytes:
    """A real workbook plus a member that unpacks to 2 MB of zeros (a few KB packed)."""
    out = io.BytesIO(xlsx([HEADER, GOOD[0]]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 2_000_000)
    return out.getvalue()


MALFORMED = {
    "not a spreadsheet": ("units.txt", lambda: b"code,name\n", "unsupported_file"),
    "old excel": (
        "units.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
        "unsupported_file",
    ),
    "xlsx named csv": ("units.csv", lambda: xlsx([HEADER, GOOD[0]]), "wrong_content"),
    "csv named xlsx": ("units.xlsx", lambda: csv_file([HEADER, GOOD[0]]), "wrong_content"),
    "damaged xlsx": ("units.xlsx", lambda: b"PK\x03\x04" + b"garbage" * 50, "unreadable_file"),
    "empty": ("units.csv", lambda: b"", "empty_file"),
    "blank lines": ("units.csv", lambda: b"\n\n ,,\n", "empty_file"),
    "header only": ("units.xlsx", lambda: xlsx([HEADER]), "empty_file"),
    "no header": ("units.csv", lambda: csv_file([GOOD[0], GOOD[2]]), "no_header"),
    "header not on row 1": ("units.xlsx", lambda: xlsx([[], HEADER, GOOD[0]]), "no_header"),
    "missing column": ("units.csv", lambda: csv_file([HEADER[:4], GOOD[0][:4]]), "missing_columns"),
    "not utf-8": (
        "units.csv",
        lambda: "code,name,kind,parent,valid_from\nX,Đông,commune,D1,01/01/2020\n".encode("cp1258"),
        "not_utf8",
    ),
    "zip bomb": ("units.xlsx", _bomb, "file_too_large"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_it_refuses_a_malformed_file_with_a_clear_error(org, settings, case):
    settings.UPLOAD_MAX_BYTES = 100_000  # an .xlsx may then unpack to 1 MB
    name, data, code = MALFORMED[case]
    error = refused(SYSTEM, name, data())
    assert error.code == code
    assert " / " in error.message


def test_it_refuses_an_oversize_file_before_reading_it(org, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    rows = [HEADER] + [[f"U{i}", f"Đơn vị {i}", "commune", "D1", "01/01/2020"] for i in range(50)]
    error = refused(SYSTEM, "units.csv", csv_file(rows))
    assert error.code == "file_too_large"
    assert "1,000" in error.message


def test_it_names_the_missing_columns(org):
    error = refused(SYSTEM, "units.csv", csv_file([["mã", "tên", "ghi chú"], ["A", "B", "C"]]))
    assert error.code == "missing_columns"
    assert [d["column"] for d in error.details] == ["kind", "parent", "valid_from"]


def test_it_counts_only_rows_with_something_in_them(org, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [HEADER, GOOD[0], *[[None] * 7] * 20, GOOD[2]]  # blank rows, as Excel leaves them
    created = imports.import_units_file(acting_user=SYSTEM, name="units.xlsx", data=xlsx(rows))
    assert [u.code for u in created] == ["P-VT", "X-MOI"]
    many = [HEADER] + [[f"U{i}", f"Đơn vị {i}", "commune", "D1", "01/01/2020"] for i in range(4)]
    error = refused(SYSTEM, "units.csv", csv_file(many))
    assert error.code == "too_many_rows"


def test_it_numbers_rows_as_the_spreadsheet_does(org):
    rows = [HEADER, GOOD[0], [], ["BAD", "", "commune", "D1", "01/01/2020"]]
    error = refused(SYSTEM, "units.xlsx", xlsx(rows))
    assert [(d["row"], d["column"]) for d in error.details] == [(4, "name")]
