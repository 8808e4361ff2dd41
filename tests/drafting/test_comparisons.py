"""A comparison of two periods is over the units counted in both (drafting/comparisons.py).

Drafts count approved reports. Compared as totals, a half-year whose reports are not
all approved yet reads as a decline ("Hội nghị học tập 38 so với 42, −9,5 %" in the
demo): the table compares the units whose reports are counted in both periods, and the
line under it says how many units that is and how many each period counts.
"""

import datetime as dt

from tests import factories as f
from tests.drafting.conftest import SINCE
from tests.drafting.test_rates import enter
from tests.factories import SYSTEM
from trienkhai.analytics.engine import rollup
from trienkhai.drafting import reports, services
from trienkhai.drafting.layout import Paragraph, Table
from trienkhai.reporting import services as reporting
from trienkhai.reporting.models import Indicator
from trienkhai.reporting.services import CellInput
from trienkhai.reporting.services.forms import assign

CONFERENCES = "Hội nghị học tập, quán triệt (hội nghị)"
ATTENDANCES = "Lượt người tham gia học tập (lượt)"


def sent(form, unit, period: str, values: dict) -> None:
    """``values`` of ``unit`` entered and submitted, not approved yet."""
    cells = [CellInput(k, v) for k, v in values.items()]
    reporting.save_values(acting_user=SYSTEM, form=form, unit=unit, period_id=period, cells=cells)
    reporting.submit(acting_user=SYSTEM, form=form, unit=unit, period_id=period)


def one_approved_one_waiting(district) -> None:
    """2020S2: CBA's report approved (1 conference, 1.200 attendances), CBB's sent and
    waiting (2 conferences, 19.000 attendances)."""
    cba, cbb = district.cells
    enter(district.form, cba, "2020S2", {"hoi_nghi_hoc_tap": 1, "luot_tham_gia": 1200})
    sent(district.form, cbb, "2020S2", {"hoi_nghi_hoc_tap": 2, "luot_tham_gia": 19000})


def comparison(report) -> tuple[dict[str, list], list[str]]:
    """The comparison table's rows by label, and the paragraphs right after it."""
    body = reports.build(report).body
    at = next(n for n, b in enumerate(body) if isinstance(b, Table) and b.header[0] == "Chỉ tiêu")
    rows = {row[0]: list(row[1:]) for row in body[at].rows}
    after = [b for b in body[at + 1 : at + 2] if isinstance(b, Paragraph)]
    return rows, ["".join(r.text for r in b.runs) for b in after]


def draft(district, templates, period="2020S2", figure_status=None):
    """so-ket-6-thang of the committee for ``period``, counting ``figure_status`` figures
    (None: the template's, approved)."""
    return services.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-6-thang"],
        unit=district.hu,
        issuer=district.board,
        period=period,
        date=dt.date(2021, 1, 8),
        figure_status=figure_status,
    )


def test_it_compares_the_units_counted_in_both_periods(district, templates):
    """GIVEN CBB's 2020S2 report not approved yet WHEN the 2020S2 review (approved
    figures) compares with 2020S1 THEN both columns are CBA's alone — 1 conference
    then and now, no change — and the line under the table says so, with each
    period's count of units."""
    one_approved_one_waiting(district)
    engine = {
        (c.period, c.indicator): c.value
        for c in rollup(
            indicators=["hoi_nghi_hoc_tap"],
            periods=["2020S2", "2020S1"],
            units=["HUT"],
            status="approved",
        )
    }
    assert (engine[("2020S2", "hoi_nghi_hoc_tap")], engine[("2020S1", "hoi_nghi_hoc_tap")]) == (
        1,
        3,
    )  # the trap: 1 against 3, −66,7 %
    rows, after = comparison(draft(district, templates))
    assert rows[CONFERENCES] == [1, 1, 0, 0]
    assert rows[ATTENDANCES][:3] == [1200, 1150, 50]
    assert after == [
        "Số liệu so sánh của 1 đơn vị có báo cáo được duyệt ở cả hai kỳ (6 tháng cuối năm "
        "2020: 1/2 đơn vị; 6 tháng đầu năm 2020: 2/2 đơn vị)."
    ]


def test_when_every_unit_is_counted_in_both_the_totals_are_compared_as_they_are(
    district, templates
):
    """2020S1 beside 2019S2: both cells approved in both: the engine's totals, no line."""
    rows, after = comparison(draft(district, templates, "2020S1"))
    assert rows[CONFERENCES][:2] == [3, 2]
    assert after == []


def test_counting_submitted_reports_counts_the_waiting_one(district, templates):
    """The same reports with the draft counting submitted figures: both cells in both
    periods, the totals (3 conferences then and now), no line."""
    one_approved_one_waiting(district)
    rows, after = comparison(draft(district, templates, figure_status="submitted"))
    assert rows[CONFERENCES] == [3, 3, 0, 0]
    assert after == []


def test_the_line_says_what_a_counted_unit_did(district, templates):
    """Counting submitted figures, a unit with a draft only is not counted: "đã gửi báo
    cáo", in the document's words."""
    cba, cbb = district.cells
    sent(district.form, cba, "2020S2", {"hoi_nghi_hoc_tap": 1})
    reporting.save_values(
        acting_user=SYSTEM,
        form=district.form,
        unit=cbb,
        period_id="2020S2",
        cells=[CellInput("hoi_nghi_hoc_tap", 2)],
    )
    _rows, after = comparison(draft(district, templates, figure_status="submitted"))
    assert after == [
        "Số liệu so sánh của 1 đơn vị đã gửi báo cáo ở cả hai kỳ (6 tháng cuối năm 2020: "
        "1/2 đơn vị; 6 tháng đầu năm 2020: 2/2 đơn vị)."
    ]


def test_a_formula_is_worked_out_from_the_same_units_inputs(district, templates):
    """GIVEN attendances per conference (a formula over two counts) compared WHEN CBB's
    2020S2 report waits THEN both columns are CBA's: 1.200 / 1 now, 1.150 / 1 then —
    not 1.200 against the district's 20.673 / 3."""
    reporting.create_indicator(
        acting_user=SYSTEM,
        code="luot_moi_hoi_nghi",
        name="Lượt người mỗi hội nghị",
        value_type="decimal",
        aggregation=Indicator.Aggregation.AVERAGE,
        unit_of_measure="lượt",
        formula="luot_tham_gia / hoi_nghi_hoc_tap",
    )
    one_approved_one_waiting(district)
    compare_only(templates, ["luot_moi_hoi_nghi", "hoi_nghi_hoc_tap"])
    rows, after = comparison(draft(district, templates))
    assert rows["Lượt người mỗi hội nghị (lượt)"][:3] == [1200, 1150, 50]
    assert after[0].startswith("Số liệu so sánh của 1 đơn vị")


def compare_only(templates, codes: list[str]) -> None:
    """so-ket-6-thang's comparison made of ``codes``."""
    template = templates["so-ket-6-thang"]
    for section in template.definition["sections"]:
        for block in section.get("blocks") or []:
            if block["kind"] == "comparison":
                block["indicators"] = codes
    template.save()


def test_an_average_cannot_be_compared_over_some_units_and_says_so(district, templates):
    """GIVEN an indicator averaged over units (not added up), on a second form, whose
    2020S2 report of CBB waits, while both conference reports are approved WHEN
    compared THEN the average's row is blank and the line names it (the units'
    averages do not make the average of some of them); the conferences are the totals."""
    score = reporting.create_indicator(
        acting_user=SYSTEM,
        code="diem_binh_quan",
        name="Điểm bình quân học tập",
        value_type="decimal",
        aggregation=Indicator.Aggregation.AVERAGE,
        unit_of_measure="điểm",
    )
    form = reporting.create_form(
        acting_user=SYSTEM,
        code="F6T-DIEM",
        name="Điểm học tập",
        owner=district.hu,
        period_type="sixmonthly",
        indicators=[score],
        units=district.cells,
        deadline_days=15,
        valid_from=dt.date(2020, 1, 1),
    )
    cba, cbb = district.cells
    for cell in (cba, cbb):
        enter(district.form, cell, "2020S2", {"hoi_nghi_hoc_tap": 1})
        enter(form, cell, "2020S1", {"diem_binh_quan": 8})
    enter(form, cba, "2020S2", {"diem_binh_quan": 8})
    sent(form, cbb, "2020S2", {"diem_binh_quan": 9})
    compare_only(templates, ["hoi_nghi_hoc_tap", "diem_binh_quan"])
    rows, after = comparison(draft(district, templates))
    assert rows["Điểm bình quân học tập (điểm)"] == [None, None, None, None]
    assert rows[CONFERENCES][:3] == [2, 3, -1]
    assert after == [
        "Điểm bình quân học tập (điểm): không so sánh được trên 1 đơn vị có báo cáo được "
        "duyệt ở cả hai kỳ (6 tháng cuối năm 2020: 1/2 đơn vị; 6 tháng đầu năm 2020: 2/2 "
        "đơn vị): số liệu của các đơn vị này không cộng lại được."
    ]


def test_without_a_unit_counted_in_both_the_table_says_so(district, templates):
    """GIVEN a cell CBC reporting from 2020S2, whose report alone is approved (CBA's and
    CBB's wait) WHEN the 2020S2 review compares THEN no unit is counted in both
    half-years: nothing is compared, and the line says why rather than a fall from 3
    conferences to 1 or a table left out without a word."""
    cbc = f.make_unit(
        "CBC", name="Chi bộ Quân sự", kind_code="party_cell", parent=district.hu, valid_from=SINCE
    )
    assign(district.form, units=[cbc], kind=None, level=None, valid_from=dt.date(2020, 7, 1))
    cba, cbb = district.cells
    enter(district.form, cbc, "2020S2", {"hoi_nghi_hoc_tap": 1})
    sent(district.form, cba, "2020S2", {"hoi_nghi_hoc_tap": 1})
    sent(district.form, cbb, "2020S2", {"hoi_nghi_hoc_tap": 1})
    rows, after = comparison(draft(district, templates))
    assert rows[CONFERENCES] == [None, None, None, None]
    assert after == [
        "Không có đơn vị nào có báo cáo được duyệt ở cả hai kỳ (6 tháng cuối năm 2020: 1/3 "
        "đơn vị; 6 tháng đầu năm 2020: 2/2 đơn vị), nên chưa so sánh được."
    ]
