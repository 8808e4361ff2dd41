"""A rate printed beside its count is over the count's units (issue 14).

The six-month review prints "({so_ban_dang_ky} bản, đạt {ty_le_dang_ky}% số đảng viên…)":
pledges, then pledges × 100 / members. When only some units report their pledges, the
engine's rate divides their pledges by the members of every unit: a count of one unit
beside a rate over the whole district ("145 bản, đạt 7,15%" in the demo).
"""

import datetime as dt

from tests.drafting.conftest import six_month_review
from tests.factories import SYSTEM
from trienkhai.analytics.engine import rollup
from trienkhai.drafting import guide, reports
from trienkhai.reporting import services as reporting
from trienkhai.reporting.services import CellInput

PLEDGES = "Từng đảng viên tại các chi, đảng ủy đều viết bản đăng ký tu dưỡng, rèn luyện"


def enter(form, unit, period: str, values: dict) -> None:
    """``values`` of ``unit`` entered, submitted and approved, as the fixture's are."""
    cells = [CellInput(k, v) for k, v in values.items()]
    reporting.save_values(acting_user=SYSTEM, form=form, unit=unit, period_id=period, cells=cells)
    submission = reporting.submit(acting_user=SYSTEM, form=form, unit=unit, period_id=period)
    reporting.approve(acting_user=SYSTEM, submission=submission)


def only_one_cell_pledged(district) -> None:
    """2020S2: both cells give their members (20 and 30), only CBA its pledges (20)."""
    cba, cbb = district.cells
    enter(district.form, cba, "2020S2", {"so_dang_vien": 20, "ban_dang_ky_tu_duong": 20})
    enter(district.form, cbb, "2020S2", {"so_dang_vien": 30, "hoi_nghi_hoc_tap": 1})


def draft(district, templates, period: str, unit=None):
    return six_month_review(district, templates, period, dt.date(2021, 1, 8), unit=unit)


def sentence(report, starting: str = PLEDGES) -> str:
    page = reports.page_of(report)
    texts = [b.text for part in reports.parts(page) for b in part.layout if part.kind == "text"]
    return next(t for t in texts if t.startswith(starting))


def test_the_rate_beside_a_count_is_over_the_units_of_the_count(district, templates):
    """GIVEN one of two cells gave its pledges (20 of its 20 members), the other only its
    members (30) WHEN the review is drafted THEN the sentence gives 20 pledges and 100 %
    of the members of the 1/2 units with both figures, not 40 % of everyone's members."""
    only_one_cell_pledged(district)
    engine = {
        c.indicator: c.value
        for c in rollup(
            indicators=["ban_dang_ky_tu_duong", "ty_le_dang_ky"],
            periods=["2020S2"],
            units=["HUT"],
            status="approved",
        )
    }
    assert (engine["ban_dang_ky_tu_duong"], engine["ty_le_dang_ky"]) == (20, 40)  # the trap
    text = sentence(draft(district, templates, "2020S2"))
    assert "(20 bản, đạt 100% số đảng viên của 1/2 đơn vị có đủ số liệu)," in text
    assert "40" not in text


def test_the_note_names_the_units_left_out_of_the_rate(district, templates):
    only_one_cell_pledged(district)
    report = draft(district, templates, "2020S2")
    page = reports.page_of(report)
    notes = guide.notes(page, guide.paragraph_labels(report.template.definition))
    (note,) = [n for n in notes if n.startswith("Tỷ lệ")]
    assert "“Tỷ lệ đảng viên viết bản đăng ký” (đoạn 2.1) chỉ tính trên 1/2 đơn vị" in note
    assert "“Số đảng viên”, “Bản đăng ký tu dưỡng, rèn luyện của đảng viên”" in note
    assert note.endswith("Chưa có đủ: Chi bộ Ban Tuyên giáo.")


def test_when_every_unit_gave_both_figures_the_rate_is_the_engines(district, templates):
    """2020S1: both cells gave members and pledges: the engine's 100 %, no words added."""
    report = draft(district, templates, "2020S1")
    assert "(50 bản, đạt 100% số đảng viên)," in sentence(report)
    page = reports.page_of(report)
    assert not [n for n in guide.notes(page, {}) if n.startswith("Tỷ lệ")]


def test_a_rate_the_direct_units_cannot_make_is_left_out_and_said(district, templates, org):
    """GIVEN the committee reports members of its own (5, on another form) beside its
    cells' WHEN only one cell gave its pledges THEN the committee's total is not its
    cells' sum, the rate over the pledging cell cannot be read from the totals: it
    prints "…", and the note says so rather than printing a rate over other units."""
    only_one_cell_pledged(district)
    members = reporting.Indicator.objects.get(code="so_dang_vien")
    own = reporting.create_form(
        acting_user=SYSTEM,
        code="F6T-HU",
        name="Đảng viên sinh hoạt tại cơ quan Huyện ủy",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[members],
        units=[district.hu],
        deadline_days=15,
        valid_from=dt.date(2019, 1, 1),
    )
    enter(own, district.hu, "2020S2", {"so_dang_vien": 5})
    report = draft(district, templates, "2020S2")
    assert "(20 bản, đạt …% số đảng viên của 1/2 đơn vị có đủ số liệu)," in sentence(report)
    page = reports.page_of(report)
    (note,) = [n for n in guide.notes(page, {}) if n.startswith("Tỷ lệ")]
    assert "in thành “…”" in note and "không tính được" in note


def test_a_unit_without_units_below_prints_its_own_rate(district, templates):
    only_one_cell_pledged(district)
    report = draft(district, templates, "2020S2", unit=district.cells[0])
    assert "(20 bản, đạt 100% số đảng viên)," in sentence(report)


def test_without_any_unit_giving_both_figures_there_is_no_rate(district, templates):
    """GIVEN both cells gave their members in 2020S2, neither its pledges WHEN drafted
    THEN neither the count nor the rate has a value: "…" for both, no scope words, and
    the note is the one about figures without a value, not one about a rate's units."""
    cba, cbb = district.cells
    enter(district.form, cba, "2020S2", {"so_dang_vien": 20, "hoi_nghi_hoc_tap": 1})
    enter(district.form, cbb, "2020S2", {"so_dang_vien": 30, "hoi_nghi_hoc_tap": 1})
    report = draft(district, templates, "2020S2")
    assert "(… bản, đạt …% số đảng viên)," in sentence(report)
    notes = guide.notes(reports.page_of(report), {})
    assert not [n for n in notes if n.startswith("Tỷ lệ")]
    (empty,) = [n for n in notes if n.startswith("Chưa có số liệu cho")]
    assert (
        "“Bản đăng ký tu dưỡng, rèn luyện của đảng viên”, “Tỷ lệ đảng viên viết bản đăng ký”"
    ) in empty
