"""The form designer's reads and writes (reporting.designer, editing.reorder_form, codes
made from names): counting reporting units, warnings, a form's layout and its order."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs import services as org_services
from trienkhai.orgs.models import UnitKind
from trienkhai.reporting import designer, editing, services
from trienkhai.reporting.models import Form, FormIndicator, FormSection, Indicator

DAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Báo cáo quý công tác học tập nghị quyết", "BCQ-CTHTNQ"),
        ("Báo cáo 6 tháng đầu năm", "BC6T-DN"),
        ("Báo cáo năm 2021 về công tác dân vận", "BCN-2021VCTDV"),
        ("Kết quả học tập nghị quyết", "KQHTNQ"),
        ("Đảng ủy — Kết quả!", "DUKQ"),
        ("Báo cáo tháng", "BCT"),  # nothing after the period word: no hyphen
        ("Báo cáo quý " + "công tác " * 20, "BCQ-CTCTCTCTCTCTCTCT"),  # 20 characters
        ("— !", "BIEU"),
    ],
)
def test_it_makes_a_short_form_code_from_the_names_initials(name, code):
    assert services.short_code(name) == code


def test_it_makes_form_and_indicator_codes_from_names(org):
    made = [
        services.create_indicator(acting_user=SYSTEM, name="Số lớp đã mở"),
        services.create_indicator(acting_user=SYSTEM, name="Số lớp đã mở"),
        services.create_indicator(acting_user=SYSTEM, name="6 tháng"),
    ]
    assert [i.code for i in made] == ["so_lop_da_mo", "so_lop_da_mo_2", "ct_6_thang"]
    forms = [
        services.create_form(
            acting_user=SYSTEM,
            name="Báo cáo 6 tháng",
            owner=org.d1,
            period_type="sixmonthly",
            indicators=made[:1],
        )
        for _ in range(2)
    ]
    assert [x.code for x in forms] == ["BC6T", "BC6T-2"]
    given = services.create_form(
        acting_user=SYSTEM,
        code="BC",
        name="Khác",
        owner=org.d1,
        period_type="yearly",
        indicators=made[:1],
    )
    assert given.code == "BC"


def test_it_counts_the_units_a_choice_makes_report(org):
    commune = UnitKind.objects.get(code="commune")
    count = designer.reporting_unit_ids
    assert count(org.d1, day=DAY) == set()
    assert count(org.d1, level=1, day=DAY) == {org.c1.pk, org.c2.pk}
    assert count(org.d1, kind=commune, day=DAY) == {org.c2.pk}
    assert count(org.p1, level=2, day=DAY) == {org.c1.pk, org.c2.pk}
    assert count(org.p1, level=1, day=DAY) == {org.d1.pk}
    assert count(org.d1, units=[org.c1], kind=commune, day=DAY) == {org.c1.pk, org.c2.pk}
    # A unit that had ended by the day does not report.
    assert count(org.d1, units=[org.c1], day=dt.date(2000, 1, 1)) == set()


def test_several_kinds_widen_and_a_level_narrows(org):
    """GIVEN a town (C1) and a commune (C2) under D1, two levels below P1 WHEN both kinds
    are chosen THEN a unit of either reports; with a level, only those at that level;
    and a form made so stores one row per kind at that level and expects both."""
    kinds = list(UnitKind.objects.filter(code__in=["commune", "town"]))
    count = designer.reporting_unit_ids
    assert count(org.d1, kinds=kinds, day=DAY) == {org.c1.pk, org.c2.pk}
    assert count(org.p1, kinds=kinds, level=2, day=DAY) == {org.c1.pk, org.c2.pk}
    assert count(org.p1, kinds=kinds, level=1, day=DAY) == set()
    made = services.create_form(
        acting_user=SYSTEM,
        name="Báo cáo quý",
        owner=org.p1,
        period_type="quarterly",
        indicators=[Indicator.objects.create(code="lop", name="Số lớp")],
        kinds=kinds,
        level=2,
        valid_from=DAY,
    )
    rows = sorted((a.kind.code, a.level) for a in made.assignments.all())
    assert rows == [("commune", 2), ("town", 2)]
    period = made.period("2026Q1")
    assert set(services.expected_codes(made, period).values()) == {"C1", "C2"}
    # Changed to the communes alone from the next quarter: the towns stop reporting then.
    commune = UnitKind.objects.get(code="commune")
    editing.set_units(
        acting_user=SYSTEM, form=made, kinds=[commune], level=2, valid_from=dt.date(2026, 4, 1)
    )
    assert set(services.expected_codes(made, made.period("2026Q2")).values()) == {"C2"}
    assert set(services.expected_codes(made, period).values()) == {"C1", "C2"}


def test_it_warns_of_an_owner_that_has_ended_and_of_no_units(org):
    old = f.make_unit("D9", name="Huyện Cũ", kind_code="district", parent=org.p1)
    new = f.make_unit("X9", name="Xã Mới", parent=org.p1, valid_from=dt.date(2025, 7, 1))
    org_services.merge_units(
        acting_user=SYSTEM, predecessors=[old], into=new, on=dt.date(2025, 7, 1)
    )
    old.refresh_from_db()
    said = designer.warnings(old, 0)
    assert len(said) == 2
    assert "“Huyện Cũ” đã chấm dứt từ ngày 01/07/2025" in said[0] and "Xã Mới" in said[0]
    assert "Chưa có đơn vị báo cáo nào" in said[1]
    assert designer.warnings(org.d1, 2) == []


def test_it_reads_a_forms_layout_in_the_grids_order(form):
    section = FormSection.objects.create(form=form, title="Người tham gia", order=0)
    editing.move_to_section(
        acting_user=SYSTEM,
        form=form,
        indicators=[Indicator.objects.get(code="luot_nguoi")],
        section=section,
    )
    tokens = [row.token for row in designer.layout_rows(form)]
    assert tokens[-2:] == [f"phan:{section.pk}", "chi-tieu:luot_nguoi"]
    assert tokens[0] == "chi-tieu:lop_ke_hoach" and len(tokens) == 7


def test_it_moves_a_row_or_a_section_with_its_indicators():
    rows = ["chi-tieu:a", "phan:1", "chi-tieu:b", "phan:2", "chi-tieu:c", "chi-tieu:d"]
    assert designer.moved(rows, "xuong:chi-tieu:a") == ["phan:1", "chi-tieu:a", *rows[2:]]
    assert designer.moved(rows, "len:chi-tieu:a") == rows
    assert designer.moved(rows, "len:phan:2") == [
        "chi-tieu:a",
        "phan:2",
        "chi-tieu:c",
        "chi-tieu:d",
        "phan:1",
        "chi-tieu:b",
    ]
    assert designer.moved(rows, "len:phan:1") == rows  # the first section stays first
    assert designer.moved(rows, "sang:phan:1") == rows
    assert designer.moved(rows, "len:phan:99") == rows


def test_it_reorders_sections_and_indicators_for_every_period(form, personas):
    first = FormSection.objects.create(form=form, title="Lớp học", order=0)
    second = FormSection.objects.create(form=form, title="Người tham gia", order=1)
    tokens = [
        "chi-tieu:ghi_chu",
        f"phan:{second.pk}",
        "chi-tieu:luot_nguoi",
        "chi-tieu:luot_nguoi_doi_tuong",
        f"phan:{first.pk}",
        "chi-tieu:lop_da_mo",
        "chi-tieu:lop_ke_hoach",
        "chi-tieu:binh_quan_lop",
    ]
    layout = designer.read_layout(form, tokens)
    editing.reorder_form(acting_user=personas.manager, form=form, layout=layout)
    form = Form.objects.get(pk=form.pk)
    shown = [i.indicator.code for i in services.form_items(form, form.period("2020S1"))]
    assert shown == [t.split(":")[1] for t in tokens if t.startswith("chi-tieu:")]
    assert [s.title for s in form.sections.order_by("order")] == ["Người tham gia", "Lớp học"]
    item = FormIndicator.objects.get(form=form, indicator__code="lop_da_mo")
    assert item.section == first
    assert item.history.first().history_user == personas.manager
    assert [r.token for r in designer.layout_rows(form)] == tokens


def test_it_refuses_a_layout_that_does_not_match_the_form(form):
    tokens = [row.token for row in designer.layout_rows(form)]
    for wrong in (tokens[:-1], [*tokens, "chi-tieu:khong_co"], [*tokens, tokens[0]], []):
        with pytest.raises(BadInput) as refused:
            designer.read_layout(form, wrong)
        assert refused.value.code == "layout_mismatch"


def test_it_keeps_the_order_to_the_managers_of_the_owner(form, personas):
    before = list(FormIndicator.objects.filter(form=form).values_list("indicator_id", "order"))
    layout = designer.read_layout(form, [r.token for r in reversed(designer.layout_rows(form))])
    for persona in ("outsider", "reporter", "viewer"):
        with pytest.raises(PermissionDenied):
            editing.reorder_form(acting_user=getattr(personas, persona), form=form, layout=layout)
    after = list(FormIndicator.objects.filter(form=form).values_list("indicator_id", "order"))
    assert after == before


def test_a_new_section_placed_above_an_indicator_holds_it_and_those_below(form, personas):
    """GIVEN the six indicators of HK outside any section WHEN a section is added above
    the first THEN it holds all six and comes first; WHEN a second is added above the
    fourth THEN the first keeps three, the second takes the other three after it, and
    the indicators keep their order (the page's rule: an indicator belongs to the
    section above it). Without ``before`` a new section goes last, empty."""
    codes = [row.code for row in designer.layout_rows(form)]
    by_code = {i.code: i for i in Indicator.objects.all()}
    first = editing.add_section(
        acting_user=personas.manager, form=form, title="Lớp học", before=by_code[codes[0]]
    )
    form = Form.objects.get(pk=form.pk)
    assert [r.token for r in designer.layout_rows(form)] == [
        f"phan:{first.pk}",
        *(f"chi-tieu:{c}" for c in codes),
    ]
    second = editing.add_section(
        acting_user=personas.manager, form=form, title="Người học", before=by_code[codes[3]]
    )
    form = Form.objects.get(pk=form.pk)
    assert [r.token for r in designer.layout_rows(form)] == [
        f"phan:{first.pk}",
        *(f"chi-tieu:{c}" for c in codes[:3]),
        f"phan:{second.pk}",
        *(f"chi-tieu:{c}" for c in codes[3:]),
    ]
    shown = [i.indicator.code for i in services.form_items(form, form.period("2020S1"))]
    assert shown == codes
    item = FormIndicator.objects.get(form=form, indicator__code=codes[4])
    assert item.section == second and item.history.first().history_user == personas.manager
    empty = editing.add_section(acting_user=personas.manager, form=form, title="Ghi chú thêm")
    form = Form.objects.get(pk=form.pk)
    assert designer.layout_rows(form)[-1].token == f"phan:{empty.pk}"


def test_it_moves_several_indicators_into_a_section_at_once(form, personas):
    section = FormSection.objects.create(form=form, title="Người tham gia", order=0)
    chosen = list(Indicator.objects.filter(code__in=["luot_nguoi", "luot_nguoi_doi_tuong"]))
    editing.move_to_section(
        acting_user=personas.manager, form=form, indicators=chosen, section=section
    )
    moved = FormIndicator.objects.filter(form=form, section=section)
    assert sorted(moved.values_list("indicator__code", flat=True)) == [
        "luot_nguoi",
        "luot_nguoi_doi_tuong",
    ]
    outside = services.create_indicator(acting_user=SYSTEM, code="khac", name="Khác")
    with pytest.raises(BadInput) as refused:
        editing.move_to_section(
            acting_user=personas.manager, form=form, indicators=[outside], section=None
        )
    assert refused.value.code == "not_in_form"
    with pytest.raises(PermissionDenied):
        editing.move_to_section(
            acting_user=personas.outsider, form=form, indicators=chosen, section=None
        )
    assert FormIndicator.objects.filter(form=form, section=section).count() == 2


def test_the_periods_due_at_once_stop_where_the_owner_ended(monkeypatch):
    """Walk 4: a form of an owner ended on 01/07/2025 (its units with it), started
    01/01/2025 and made on 07/12/2026, was said to make 7 quarters due at once; only
    quý I and II/2025 are owed (a unit reports a period it exists at the end of)."""
    monkeypatch.setattr(timezone, "localdate", lambda *_args: dt.date(2026, 12, 7))
    start = dt.date(2025, 1, 1)
    living = designer.past_periods("quarterly", "gregorian", 5, start)
    assert [p.id for p in living] == [
        "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"
    ]  # fmt: skip
    ended = designer.past_periods("quarterly", "gregorian", 5, start, dt.date(2025, 7, 1))
    assert [p.id for p in ended] == ["2025Q1", "2025Q2"]
    assert designer.past_warning(ended)[0].startswith(
        "2 kỳ đã qua sẽ đến hạn ngay (từ quý I/2025 đến quý II/2025)"
    )
