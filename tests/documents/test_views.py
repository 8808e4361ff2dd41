"""The document pages: register, books (page and .xlsx), document, directive, tasks, forms."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.factories import SIGNED, SYSTEM
from trienkhai.documents import directives, services
from trienkhai.documents.models import Assignment, Document, DocumentLink


@pytest.fixture
def assigned(district, directive):
    directives.assign(
        acting_user=SYSTEM,
        document=directive,
        due=dt.date(2020, 6, 30),
        expects="KH",
        units=["CB1", "CB2", "CB3"],
    )
    plan = services.issue(
        acting_user=SYSTEM,
        document=services.register_draft(
            **SIGNED,
            acting_user=SYSTEM,
            issuer=district.CB1,
            type="KH",
            date=dt.date(2020, 7, 2),
            summary="KH",
        ),
    )
    directives.answer(acting_user=SYSTEM, directive=directive, unit=district.CB1, document=plan)
    return directive


def pages(directive):
    pk = directive.pk
    return [
        "/van-ban/?don-vi=HU",
        "/van-ban/?don-vi=HU&so=den",
        "/van-ban/so/HU/di/2020/",
        "/van-ban/so/HU/di/2020/xlsx/",
        f"/van-ban/{pk}/",
        f"/van-ban/{pk}/trien-khai/",
        f"/van-ban/{pk}/giao/",
        "/van-ban/don-vi/CB1/duoc-giao/",
        f"/van-ban/{pk}/tra-loi/CB2/",
        "/van-ban/don-vi/HU/du-thao/",
        "/van-ban/don-vi/HU/van-ban-den/",
    ]


def test_every_page_opens_for_the_manager(assigned, personas, web):
    client = web(personas.manager)
    for url in pages(assigned):
        assert client.get(url).status_code == 200, url


def test_every_page_refuses_the_outsider_and_redirects_anonymous(assigned, personas, web):
    for url in pages(assigned):
        assert web(personas.outsider).get(url).status_code == 403, url
        assert web(None).get(url).status_code == 302, url


def test_the_viewer_reads_but_does_not_write(assigned, personas, web):
    client = web(personas.viewer)
    assert client.get(f"/van-ban/{assigned.pk}/trien-khai/").status_code == 200
    for url in pages(assigned)[6:]:
        if "duoc-giao" not in url:
            assert client.get(url).status_code == 403, url
    assert client.post(f"/van-ban/{assigned.pk}/ban-hanh/").status_code == 403


def test_the_directive_page_says_who_answered_and_who_is_missing(assigned, personas, web):
    page = web(personas.manager).get(f"/van-ban/{assigned.pk}/trien-khai/").content.decode()
    assert "1/3 đã triển khai, 0 đúng hạn" in page
    assert "Đơn vị CB2" in page and "Đơn vị CB3" in page
    assert "02/07/2020" in page


def test_the_register_searches_without_accents(assigned, personas, web):
    page = web(personas.manager).get("/van-ban/", {"don-vi": "HU", "q": "nghi quyet"})
    assert "01-CV/HU" in page.content.decode()
    empty = web(personas.manager).get("/van-ban/", {"don-vi": "HU", "q": "khong co"})
    assert "01-CV/HU" not in empty.content.decode()


def test_the_register_names_its_unit_and_types_in_words(assigned, org, personas, web):
    """The unit is chosen by name ("Name (CODE)", or a name without accents), the type
    from a list of names; the column says "Công văn", not CV."""
    client = web(personas.manager)
    page = client.get("/van-ban/", {"don-vi": "HU"}).content.decode()
    assert 'value="Đơn vị HU (HU)"' in page
    assert '<option value="CV">Công văn</option>' in page
    assert page.count(">Công văn</option>") == 1  # the register's system's types only
    row = page[page.index("01-CV/HU") :]
    assert "<td>Công văn</td>" in row[: row.index("</tr>")]
    by_name = client.get("/van-ban/", {"don-vi": "don vi hu", "loai": "CV"})
    assert by_name.status_code == 200 and "01-CV/HU" in by_name.content.decode()
    unknown = client.get("/van-ban/", {"don-vi": "khong co don vi nay"})
    assert unknown.status_code == 400
    assert "Không tìm thấy đơn vị “khong co don vi nay”" in unknown.content.decode()
    assert web(personas.outsider).get("/van-ban/", {"don-vi": "HU"}).status_code == 403


def test_the_register_asks_which_unit_naming_where_each_sits(org, personas, web):
    page = web(personas.manager).get("/van-ban/", {"don-vi": "vinh thuan"})
    assert page.status_code == 400
    assert (
        "Huyện Vĩnh Thuận — Tỉnh Kiên Giang (D1); Thị trấn Vĩnh Thuận — Huyện Vĩnh Thuận (C1)"
    ) in page.content.decode()


def test_the_register_lists_the_units_under_it_when_asked(district, personas, web):
    """GIVEN a draft of one of the committee's cells WHEN the committee's register is read
    THEN it is not there, and it is with "Cả các đơn vị trực thuộc", its unit named."""
    from trienkhai.orgs.models import Unit

    cell = Unit.objects.get(code="CB1")
    services.register_draft(
        acting_user=SYSTEM,
        issuer=cell,
        type="cong_van",
        date=dt.date(2020, 11, 2),
        summary="Công văn của chi bộ một",
    )
    client = web(personas.manager)
    alone = client.get("/van-ban/", {"don-vi": "HU"}).content.decode()
    assert "Công văn của chi bộ một" not in alone
    below = client.get("/van-ban/", {"don-vi": "HU", "duoi": "1"}).content.decode()
    assert "Công văn của chi bộ một" in below
    assert f"<td>{cell.latest_version().name}</td>" in below


def test_the_register_book_downloads_as_xlsx_with_the_nd30_columns(assigned, personas, web):
    response = web(personas.manager).get("/van-ban/so/HU/di/2020/xlsx/")
    assert response["Content-Disposition"] == (
        'attachment; filename="So-dang-ky-van-ban-di-Don-vi-HU-Nam-2020.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[5]]
    assert header[:5] == [
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung",
        "Người ký",
        "Nơi nhận văn bản",
    ]
    assert len(header) == 10
    first = [c.value for c in sheet[7]]
    assert first[0] == "01-CV/HU"
    assert first[1].date() == dt.date(2020, 6, 2)
    assert sheet.cell(7, 2).number_format == "DD/MM/YYYY"


def test_the_register_book_writes_fields_typed_as_formulas_as_text(district, personas, web):
    hostile = '=HYPERLINK("http://example.invalid","Thường trực")'
    services.issue(
        acting_user=SYSTEM,
        document=services.register_draft(
            acting_user=SYSTEM,
            issuer=district.hu,
            type="BC",
            date=dt.date(2020, 7, 3),
            summary="Báo cáo",
            signer="=1+1",
            signer_authority="own",
            recipients=hostile,
        ),
    )
    response = web(personas.manager).get("/van-ban/so/HU/di/2020/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value in {hostile, "=1+1"}]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_the_incoming_book_lists_by_received_number(district, personas, web):
    for n, symbol in enumerate(["5-CV/TU", "6-CV/TU"]):
        services.register_incoming(
            acting_user=SYSTEM,
            unit=district.hu,
            type="CV",
            symbol=symbol,
            profile="party",
            issuer_name="Tỉnh ủy",
            date=dt.date(2020, 5, 1),
            summary="Công văn",
            received_date=dt.date(2020, 5, 3 + n),
        )
    page = web(personas.manager).get("/van-ban/so/HU/den/2020/").content.decode()
    assert page.index("5-CV/TU") < page.index("6-CV/TU")
    assert "03/05/2020" in page and "Tỉnh ủy" in page


def test_a_manager_registers_issues_and_assigns_through_the_forms(district, personas, web):
    client = web(personas.manager)
    made = client.post(
        "/van-ban/don-vi/HU/du-thao/",
        {
            "type": "CV",
            "date": "02/06/2020",
            "summary": "Đẩy mạnh thực hiện chuyên đề",
            **SIGNED,
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    document = Document.objects.get()
    assert "Cấp số 01-CV/HU?" in client.post(f"/van-ban/{document.pk}/ban-hanh/").content.decode()
    issued = client.post(f"/van-ban/{document.pk}/ban-hanh/", {"so": "01-CV/HU"})
    assert issued.status_code == 302
    document.refresh_from_db()
    assert document.symbol == "01-CV/HU"
    body = {"how": "kind", "kind": "party_cell", "due": "30/06/2020", "expects": "KH"}
    assert client.post(f"/van-ban/{document.pk}/giao/", body).status_code == 302
    assert Assignment.objects.get().rows.count() == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"how": "units", "units": "D2", "due": "30/06/2020", "expects": "KH"}, "không trực thuộc"),
        (
            {"how": "units", "units": "CB1", "due": "01/06/2020", "expects": "KH"},
            "trước ngày văn bản",
        ),
        (
            {"how": "units", "units": "CB1", "due": "30/06/2020", "expects": "XX"},
            "Loại văn bản không có",
        ),
        (
            {"how": "units", "units": "CB1", "due": "31/02/2020", "expects": "KH"},
            "Ngày không hợp lệ",
        ),
    ],
)
def test_the_assign_form_shows_the_error_and_saves_nothing(directive, personas, web, body, message):
    response = web(personas.manager).post(f"/van-ban/{directive.pk}/giao/", body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_cell_answers_with_a_new_plan_or_an_existing_one(assigned, district, web):
    cb2 = factories.make_user("ql.cb2", unit=district.CB2, role="manager")
    client = web(cb2)
    new = {
        "mode": "new",
        "new-type": "KH",
        "new-date": "20/06/2020",
        "new-summary": "Kế hoạch",
        **{f"new-{k}": v for k, v in SIGNED.items()},
    }
    assert client.post(f"/van-ban/{assigned.pk}/tra-loi/CB2/", new).status_code == 302
    assert DocumentLink.objects.filter(source__issuer=district.CB2).count() == 1
    # Another cell's task is not CB2's to answer.
    assert client.post(f"/van-ban/{assigned.pk}/tra-loi/CB3/", new).status_code == 403
    cb3 = factories.make_user("ql.cb3", unit=district.CB3, role="manager")
    own = services.issue(
        acting_user=SYSTEM,
        document=services.register_draft(
            **SIGNED,
            acting_user=SYSTEM,
            issuer=district.CB3,
            type="KH",
            date=dt.date(2020, 6, 9),
            summary="KH",
        ),
    )
    picked = {"mode": "existing", "existing-document": own.pk}
    assert web(cb3).post(f"/van-ban/{assigned.pk}/tra-loi/CB3/", picked).status_code == 302
    assert directives.progress(assigned).missing == []


def test_the_wrong_method_is_refused(assigned, personas, web):
    assert web(personas.manager).get(f"/van-ban/{assigned.pk}/ban-hanh/").status_code == 405
    assert web(personas.manager).post(f"/van-ban/{assigned.pk}/trien-khai/").status_code == 405
