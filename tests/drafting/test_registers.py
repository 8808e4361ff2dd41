"""A review reads the pledge register when no report typed the pledges (decision 0047).

Pledges are written once a year. Vĩnh Thuận's form types them in the first half-year
only, so the demo's 2020S2 review printed "(… bản, đạt …% số đảng viên)" while the
register held 2.073 pledges for 2020. so-ket-6-thang names the register beside the
typed indicator (drafting/registers.py): without a typed figure, it reads the register
of the period's year as it stood at the period's end, and says so.
"""

import datetime as dt

import pytest

from tests.drafting.conftest import six_month_review
from tests.drafting.test_rates import enter, only_one_cell_pledged, sentence
from tests.factories import SYSTEM
from trienkhai.activities import pledges
from trienkhai.activities.pledges import PledgeRow
from trienkhai.drafting import catalogue, guide, reports
from trienkhai.drafting.catalogue import TemplateError
from trienkhai.reporting import services as reporting
from trienkhai.reporting.services import CellInput

DEADLINE = dt.date(2020, 4, 15)


def register(cell, handed_in: list[str]) -> None:
    """``cell``'s 2020 list: one member per day handed in ("" for none yet)."""
    rows = [
        PledgeRow(name=f"Đảng viên {cell.code} {n:02d}", submitted=day)
        for n, day in enumerate(handed_in, start=1)
    ]
    pledges.record_pledges(acting_user=SYSTEM, unit=cell, year=2020, deadline=DEADLINE, rows=rows)


@pytest.fixture
def lists(district):
    """The 2020 lists: CBA's 20 members all by 10/04; CBB's 30, 28 in 2020, one on
    05/01/2021 (late, after the second half-year) and one not at all: 48 of 50 by
    31/12/2020."""
    cba, cbb = district.cells
    register(cba, ["10/04/2020"] * 20)
    register(cbb, ["12/04/2020"] * 28 + ["05/01/2021", ""])
    return district


def members_only(district) -> None:
    """2020S2 as Vĩnh Thuận's: both cells approve their members and a conference, and
    type no pledges (the form asks them in the first half)."""
    cba, cbb = district.cells
    enter(district.form, cba, "2020S2", {"so_dang_vien": 20, "hoi_nghi_hoc_tap": 1})
    enter(district.form, cbb, "2020S2", {"so_dang_vien": 30, "hoi_nghi_hoc_tap": 1})


def draft(district, templates, period: str):
    return six_month_review(district, templates, period, dt.date(2021, 1, 8))


def test_without_typed_pledges_the_review_reads_the_years_register(lists, templates):
    """GIVEN no pledges typed for 2020S2 and the 2020 lists in the register WHEN the
    2020S2 review is drafted THEN it prints the register's pledges handed in by
    31/12/2020 (48, not the one of 05/01/2021), says they come from the year's register,
    and the rate over the same lists (48 of 50: 96 %), not over the typed members."""
    members_only(lists)
    text = sentence(draft(lists, templates, "2020S2"))
    assert "(48 bản theo sổ đăng ký năm 2020, đạt 96% số đảng viên)," in text


def test_the_writer_is_told_the_figures_come_from_the_register(lists, templates):
    members_only(lists)
    report = draft(lists, templates, "2020S2")
    page = reports.page_of(report)
    labels = guide.paragraph_labels(report.template.definition)
    (note,) = [n for n in guide.notes(page, labels) if n.startswith("Các số")]
    assert note == (
        "Các số “Bản đăng ký tu dưỡng, rèn luyện của đảng viên”, “Tỷ lệ đảng viên viết bản "
        "đăng ký” (đoạn 2.1) không có trong báo cáo nào được tính cho 6 tháng cuối năm "
        "2020: đếm từ sổ đăng ký tu dưỡng, rèn luyện, như sổ ghi đến hết kỳ."
    )
    (empty,) = [n for n in guide.notes(page, labels) if n.startswith("Chưa có số liệu cho")]
    assert "Bản đăng ký" not in empty and "Tỷ lệ" not in empty
    legend = {e.name: e for e in guide.legend(page, labels)}
    assert legend["nguon_so_ban_dang_ky"].value == " theo sổ đăng ký năm 2020"
    # read from the register now: its words say so, not "when no unit typed it"
    assert legend["so_ban_dang_ky"].meaning.endswith(
        " — không có trong báo cáo nào được tính: đếm từ sổ đăng ký tu dưỡng, rèn luyện"
    )


def test_a_draft_whose_text_does_not_say_it_is_asked_to(lists, templates):
    """A draft written before the template named the register keeps its sentence: the
    note asks for the figure's source words, by name."""
    members_only(lists)
    report = draft(lists, templates, "2020S2")
    report.narrative["3.2"] = "Có {so_ban_dang_ky} bản, đạt {ty_le_dang_ky}%."
    page = reports.page_of(report)
    (note,) = [n for n in guide.notes(page, {}) if n.startswith("Các số")]
    assert note.endswith(
        "Chèn “Bản đăng ký tu dưỡng, rèn luyện của đảng viên (ghi nguồn)” sau số (nút "
        "“Chèn số liệu”) để câu nói rõ điều đó."
    )


def test_a_typed_figure_is_printed_as_typed(lists, templates):
    """GIVEN 2020S1's pledges typed (20 and 30: 50) while the register counts 48 by
    30/06 WHEN the 2020S1 review is drafted THEN the typed figures print, without the
    register's words."""
    text = sentence(draft(lists, templates, "2020S1"))
    assert "(50 bản, đạt 100% số đảng viên)," in text


def test_a_typed_count_keeps_its_rate_even_if_the_register_has_more(lists, templates):
    """GIVEN one cell typed its 2020S2 pledges, the other not WHEN drafted THEN the typed
    count and its rate over that cell print (drafting/rates.py): the register is read
    only when no unit typed the figure, never mixed with typed figures."""
    only_one_cell_pledged(lists)
    text = sentence(draft(lists, templates, "2020S2"))
    assert "(20 bản, đạt 100% số đảng viên của 1/2 đơn vị có đủ số liệu)," in text


def test_a_unit_keeping_no_lists_prints_nothing_rather_than_zero(district, templates):
    """GIVEN no pledges typed and no list in the register WHEN drafted THEN "…" for both,
    not "0 bản": a register without lists for the unit says nothing."""
    members_only(district)
    text = sentence(draft(district, templates, "2020S2"))
    assert "(… bản, đạt …% số đảng viên)," in text


@pytest.mark.parametrize(
    "spec",
    [
        {"indicator": "ban_dang_ky_tu_duong", "register": "act_pledges_submitted +"},
        {"indicator": "ban_dang_ky_tu_duong", "kept": "act_pledges_expected"},
        {"indicator": "ban_dang_ky_tu_duong", "register": "act_pledges_submitted", "x": 1},
    ],
)
def test_it_refuses_a_register_it_cannot_read(spec):
    data = {
        "code": "hong",
        "name": "Hỏng",
        "profile": "party",
        "document_type": "BC",
        "period_type": "sixmonthly",
        "title": "x",
        "figures": {"so_ban": spec},
        "sections": [{"heading": "", "blocks": [{"kind": "text", "text": "{so_ban}"}]}],
    }
    with pytest.raises(TemplateError) as caught:
        catalogue.check_definition(data)
    assert caught.value.details == [{"template": "hong", "figure": "so_ban"}]
    assert "register" in caught.value.message


def test_a_register_does_not_make_a_period_without_reports_one_with_data(lists, templates):
    """The register counts 0, never "missing": 2021S1 has no report at all, so the
    draft is refused as before, whatever the register holds."""
    with pytest.raises(TemplateError) as caught:
        draft(lists, templates, "2021S1")
    assert caught.value.code == "no_data"


# A rate from the register beside the members (decision 0047, addendum of 2026) -----------


def test_a_rate_from_lists_some_units_keep_says_over_how_many(district, templates):
    """GIVEN both cells approve their 2020S2 members (20 and 30), neither types pledges,
    and only CBA keeps a 2020 list (its 20 members, all pledged) WHEN the review is
    drafted THEN the register's 20 pledges print with "100%" over the units whose lists
    it holds, and the sentence says 1/2: not "100% số đảng viên" read as all 50 members
    of the committee. The chip and the note say the rate is the register's."""
    register(district.cells[0], ["10/04/2020"] * 20)
    members_only(district)
    report = draft(district, templates, "2020S2")
    assert (
        "(20 bản theo sổ đăng ký năm 2020, đạt 100% số đảng viên của 1/2 đơn vị có đủ số liệu),"
    ) in sentence(report)
    page = reports.page_of(report)
    labels = guide.paragraph_labels(report.template.definition)
    (note,) = [n for n in guide.notes(page, labels) if n.startswith("Tỷ lệ")]
    assert note == (
        "Tỷ lệ “Tỷ lệ đảng viên viết bản đăng ký” (đoạn 2.1) được đếm từ sổ, và sổ chỉ có "
        "danh sách của 1/2 đơn vị báo cáo; câu in rõ điều đó. Chưa có danh sách trong sổ: "
        "Chi bộ Ban Tuyên giáo."
    )
    meaning = {e.name: e.meaning for e in guide.legend(page, labels)}["ty_le_dang_ky"]
    assert meaning.endswith(
        " — không có trong báo cáo nào được tính: đếm từ sổ đăng ký tu dưỡng, rèn luyện"
    )
    assert "tính trên cùng các đơn vị" not in meaning


def test_the_demos_rate_from_full_lists_prints_alone_and_the_typed_members_are_flagged(
    lists, templates
):
    """GIVEN the demo's 2020S2 shape: every cell keeps its 2020 list (48 of 50 members
    pledged by 31/12), no pledges typed, and CBB's report not approved yet, so the
    members counted are CBA's 20 (the demo: 1.895 of 2.073) WHEN the review is drafted
    THEN 2.1 reads the register's pledges and rate with no scope words (the lists cover
    every unit); and once the writer prints "Số đảng viên" in 3.1, a note says the two
    come from two sources that may not match (what the walk of issue 14 read as "2.073
    bản … 100%" beside 1.895 members)."""
    cba, cbb = lists.cells
    enter(lists.form, cba, "2020S2", {"so_dang_vien": 20, "hoi_nghi_hoc_tap": 1})
    reporting.save_values(
        acting_user=SYSTEM,
        form=lists.form,
        unit=cbb,
        period_id="2020S2",
        cells=[CellInput("so_dang_vien", 30), CellInput("hoi_nghi_hoc_tap", 1)],
    )
    reporting.submit(acting_user=SYSTEM, form=lists.form, unit=cbb, period_id="2020S2")
    report = draft(lists, templates, "2020S2")
    assert "(48 bản theo sổ đăng ký năm 2020, đạt 96% số đảng viên)," in sentence(report)
    labels = guide.paragraph_labels(report.template.definition)
    assert not [n for n in guide.notes(reports.page_of(report), labels) if "hai nguồn" in n]
    report.narrative["4.1"] = "Toàn huyện có {so_dang_vien} đảng viên."
    (note,) = [n for n in guide.notes(reports.page_of(report), labels) if "hai nguồn" in n]
    assert note == (
        "Tỷ lệ “Tỷ lệ đảng viên viết bản đăng ký” (đoạn 2.1) được đếm từ sổ đăng ký tu "
        "dưỡng, rèn luyện, còn “Số đảng viên” (20, đoạn 3.1) là tổng các báo cáo được tính: "
        "hai nguồn, có thể không khớp nhau trong cùng một báo cáo. Xem lại trước khi ban "
        "hành, hoặc chỉ nêu một nguồn."
    )
