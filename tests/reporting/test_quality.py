"""The data-quality page's read (reporting/quality.py) and its note service
(reporting/services/quality.py), against the database."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.reporting.test_outliers import HISTORY, NOW, put, steady
from trienkhai.common.errors import BadInput
from trienkhai.reporting import quality, services
from trienkhai.reporting.models import (
    CellMark,
    Indicator,
    OutlierComment,
    QualityNote,
    Submission,
)
from trienkhai.reporting.services import ItemRef, MarkInput

TODAY = dt.date(2023, 1, 1)


@pytest.fixture
def troubled(form, org):
    """C1: an empty compulsory cell (classes planned) in its approved report of 2021S1,
    a failed rule (3 classes held of 2 planned) in its submitted one of 2021S2, an
    outlier in NOW (20.673 where it had 200), explained. C2: no report for 2021S2, a
    draft for NOW."""
    services.set_submission_rules(
        acting_user=f.SYSTEM,
        form=form,
        compulsory=[Indicator.objects.get(code="lop_ke_hoach")],
        complete_only_if_valid=False,
    )
    steady(form, org.c1)
    put(form, org.c1, "2021S2", "submitted", luot_nguoi=200, lop_da_mo=3, lop_ke_hoach=2)
    put(form, org.c1, NOW, "submitted", luot_nguoi=20673, lop_ke_hoach=5)
    OutlierComment.objects.create(  # as services.explain_outlier keeps it, before submitting
        unit=org.c1,
        indicator=Indicator.objects.get(code="luot_nguoi"),
        period=NOW,
        value=20673,
        text="Có hội nghị toàn huyện",
    )
    steady(form, org.c2, code="lop_ke_hoach", value=4, periods=HISTORY[:-1])
    put(form, org.c2, NOW, "draft", lop_ke_hoach=4)
    return form


def read(form, org, first="2021S1", last=NOW, **kwargs):
    periods = quality.span_of(form, first, last)
    return quality.quality(form, org.d1, periods, today=TODAY, **kwargs)


def ref(form, org, kind, unit=None, period=NOW, **more):
    return ItemRef(kind, form, unit or org.c1, period, **more)


def test_it_lists_outliers_with_names_ranges_and_explanations(troubled, org):
    found = read(troubled, org)
    (outlier,) = found.outliers
    assert (outlier.unit, outlier.unit_name, outlier.period) == ("C1", "Thị trấn Vĩnh Thuận", NOW)
    assert outlier.name == "Lượt người tham gia"
    assert (outlier.shown_value, outlier.usual) == ("20.673", "165–235")
    assert outlier.method == "modified_z"
    assert "lịch sử" in outlier.method_label
    assert outlier.period_label == "6 tháng đầu năm 2022"
    assert outlier.explanation == "Có hội nghị toàn huyện"
    assert [m for m, _words, items in found.outliers_by_method() if items] == ["modified_z"]


def test_it_lists_failed_rules_and_gaps_of_the_span(troubled, org):
    found = read(troubled, org)
    assert [(i.unit, i.period, i.rule_text, i.shown_value) for i in found.rules] == [
        ("C1", "2021S2", "Số lớp đã mở không vượt kế hoạch", "3 ≤ 2"),
    ]
    gaps = [(i.kind, i.unit, i.period, i.state, i.name) for i in found.gaps]
    assert gaps == [
        ("empty", "C1", "2021S1", "empty", "Số lớp kế hoạch"),
        ("missing", "C2", "2021S2", "missing", ""),
        ("missing", "C2", NOW, "draft", ""),
    ]
    assert found.gaps[1].deadline == dt.date(2022, 1, 10)


def test_it_leaves_out_reports_not_yet_due(troubled, org):
    periods = quality.span_of(troubled, NOW, NOW)
    found = quality.quality(troubled, org.d1, periods, today=dt.date(2022, 7, 5))
    assert [i.kind for i in found.gaps] == []  # deadline 10/07/2022


def test_it_lists_follow_ups_until_resolved_and_keeps_them_resolved(troubled, org, personas):
    submission = Submission.objects.get(form=troubled, unit=org.c1, period=NOW)
    (mark,) = services.mark_for_follow_up(
        acting_user=personas.manager,
        submission=submission,
        cells=[MarkInput("luot_nguoi", "", "Hỏi lại xã")],
    )
    (item,) = read(troubled, org).follow_ups
    assert (item.mark, item.mark_note, item.marked_by) == (mark.pk, "Hỏi lại xã", "manager")
    services.note_quality_item(
        acting_user=personas.manager,
        item=ref(troubled, org, "follow_up", mark=mark.pk),
        note="Xã đã giải thích",
        resolve=True,
    )
    mark.refresh_from_db()
    assert mark.resolved is not None  # the review and the grid stop listing it
    assert read(troubled, org).follow_ups == []
    (resolved,) = read(troubled, org, state="resolved").follow_ups
    assert (resolved.note, resolved.resolved_by) == ("Xã đã giải thích", "manager")
    services.note_quality_item(
        acting_user=personas.manager,
        item=ref(troubled, org, "follow_up", mark=mark.pk),
        resolve=False,
    )
    mark.refresh_from_db()
    assert mark.resolved is None
    assert len(read(troubled, org).follow_ups) == 1


@pytest.mark.parametrize(
    "kind, more, section",
    [
        ("outlier", {"indicator": "luot_nguoi", "method": "modified_z"}, "outliers"),
        ("missing", {"unit": "c2"}, "gaps"),
        ("empty", {"period": "2021S1", "indicator": "lop_ke_hoach"}, "gaps"),
        ("rule", {"period": "2021S2", "rule": "first"}, "rules"),
    ],
)
def test_it_resolves_each_kind_of_item(troubled, org, personas, kind, more, section):
    more = dict(more)
    if more.get("unit"):
        more["unit"] = getattr(org, more["unit"])
    if more.get("rule"):
        more["rule"] = troubled.rules.order_by("pk").first().pk
    before = len(getattr(read(troubled, org), section))
    note = services.note_quality_item(
        acting_user=personas.manager,
        item=ref(troubled, org, kind, **more),
        note="Đã kiểm tra",
        resolve=True,
    )
    assert note.resolved is not None and note.resolved_by == personas.manager
    assert len(getattr(read(troubled, org), section)) == before - 1
    shown = [i for i in getattr(read(troubled, org, state="all"), section) if i.is_resolved]
    assert [(i.kind, i.note) for i in shown] == [(kind, "Đã kiểm tra")]
    assert note.history.count() == 1  # who and when, like the other models


def test_it_keeps_one_note_per_item_and_its_history(troubled, org, personas):
    item = ref(troubled, org, "outlier", indicator="luot_nguoi", method="modified_z")
    services.note_quality_item(acting_user=personas.manager, item=item, note="Một")
    services.note_quality_item(acting_user=personas.manager, item=item, note="Hai")
    (note,) = QualityNote.objects.all()
    assert note.note == "Hai" and note.resolved is None
    assert [h.note for h in note.history.order_by("history_date")] == ["Một", "Hai"]
    (outlier,) = read(troubled, org).outliers
    assert (outlier.note, outlier.noted_by) == ("Hai", "manager")


def test_it_refuses_anyone_but_the_units_approver(troubled, org, personas):
    item = ref(troubled, org, "outlier", indicator="luot_nguoi", method="modified_z")
    c1_manager = f.make_user("c1_manager", unit=org.c1, role="manager")
    for who in (personas.outsider, personas.reporter, personas.viewer, c1_manager):
        with pytest.raises(PermissionDenied):
            services.note_quality_item(acting_user=who, item=item, resolve=True)
    assert not QualityNote.objects.exists()
    services.note_quality_item(acting_user=personas.admin, item=item, resolve=True)


@pytest.mark.parametrize(
    "kind, more, code",
    [
        ("nonsense", {}, "invalid_kind"),
        ("outlier", {"indicator": "nope", "method": "z"}, "invalid_indicator"),
        ("outlier", {"indicator": "binh_quan_lop", "method": "z"}, "invalid_indicator"),
        ("outlier", {"indicator": "luot_nguoi", "method": "mean"}, "invalid_method"),
        ("empty", {"indicator": "luot_nguoi", "option": "x"}, "invalid_option"),
        ("rule", {"rule": 999999}, "invalid_rule"),
        ("follow_up", {"mark": 999999}, "invalid_mark"),
        ("missing", {"period": "2022Q1"}, "wrong_period_type"),
    ],
)
def test_it_refuses_items_that_are_not_of_the_report(troubled, org, personas, kind, more, code):
    with pytest.raises(BadInput) as refused:
        services.note_quality_item(
            acting_user=personas.manager, item=ref(troubled, org, kind, **more), resolve=True
        )
    assert refused.value.code == code
    assert not QualityNote.objects.exists()


def test_it_refuses_an_empty_action_and_a_long_note(troubled, org, personas):
    item = ref(troubled, org, "missing", unit=org.c2)
    with pytest.raises(BadInput, match="no note"):
        services.note_quality_item(acting_user=personas.manager, item=item)
    with pytest.raises(BadInput, match="too long"):
        services.note_quality_item(acting_user=personas.manager, item=item, note="x" * 2001)
    assert not QualityNote.objects.exists()
    assert not CellMark.objects.exists()


@pytest.mark.parametrize(
    "first, last, code",
    [
        ("2022S1", "2021S1", "invalid_span"),
        ("2010S1", "2022S1", "span_too_long"),
        ("2021Q1", "2022S1", "wrong_period_type"),
        ("soon", "2022S1", "invalid_period"),
    ],
)
def test_it_refuses_a_bad_span(form, first, last, code):
    with pytest.raises(BadInput) as refused:
        quality.span_of(form, first, last)
    assert refused.value.code == code


def test_it_opens_on_the_last_periods_anyone_sent(troubled):
    # Years after the last report: the span ends at it (NOW, C1's), not at today.
    opened = quality.default_span(troubled, today=dt.date(2026, 1, 1))
    assert [p.id for p in opened] == [*HISTORY[1:], NOW]
    # While NOW has not ended, the span ends at the last period that has.
    assert quality.default_span(troubled, today=dt.date(2022, 3, 1))[-1].id == HISTORY[-1]


def test_a_form_no_one_sent_opens_on_the_last_periods_ended(form):
    assert [p.id for p in quality.default_span(form, today=dt.date(2022, 3, 1))] == HISTORY


def test_it_refuses_an_unknown_state_or_method(troubled, org):
    with pytest.raises(BadInput, match="invalid state"):
        read(troubled, org, state="closed")
    with pytest.raises(BadInput, match="invalid method"):
        read(troubled, org, method="minmax")


def test_it_finds_over_a_span_what_each_period_finds_alone(troubled, org):
    """GIVEN drafts, returned and approved reports, bounds and siblings across a span
    WHEN the span's outliers are read at once (outliers.span_findings)
    THEN they are those of each period judged alone (outliers.subtree_findings)."""
    from trienkhai.reporting import outliers
    from trienkhai.reporting.models import ValueBounds

    steady(troubled, org.c2, value=180, periods=HISTORY[:4])
    put(troubled, org.c2, "2021S1", "draft", luot_nguoi=9000)
    put(troubled, org.c2, "2021S2", "returned", luot_nguoi=1)
    put(troubled, org.c1, "2022S2", "draft", luot_nguoi=0)
    ValueBounds.objects.create(
        unit=org.c2, indicator=Indicator.objects.get(code="lop_ke_hoach"), low=0, high=3
    )
    for method in (outliers.Method.MODIFIED_Z, outliers.Method.Z):
        for root in (org.d1, org.c1, org.p1):
            span = quality.span_of(troubled, "2020S2", "2022S2")
            alone = [
                f
                for period in span
                for f in outliers.subtree_findings(troubled, root, period, method=method)[0]
            ]
            together, units, units_of = outliers.span_findings(troubled, root, span, method=method)
            assert together == alone
            assert set(units_of) == {p.id for p in span}
            assert set(units) == set().union(*units_of.values()) and root.pk in units
    assert len(alone) >= 3  # the draft 9.000, the bounds of C2, the 20.673 at least


def test_it_counts_the_values_too_little_history_could_judge(form, org):
    """GIVEN C1's first two reports (a form just begun, as Vĩnh Thuận's in the demo) and
    bounds its second value exceeds
    WHEN the page reads the span
    THEN its history section finds nothing and says how many values it could not judge
    (fewer than 3 of the 6 periods before submitted or approved), while min-max finds
    the outlier the report's review shows."""
    from trienkhai.reporting.models import ValueBounds

    put(form, org.c1, "2021S2", "approved", luot_nguoi=260, lop_ke_hoach=3)
    put(form, org.c1, NOW, "submitted", luot_nguoi=267, lop_ke_hoach=3)
    ValueBounds.objects.create(
        unit=org.c1, indicator=Indicator.objects.get(code="luot_nguoi"), low=100, high=200
    )
    found = read(form, org, first="2021S2", last=NOW)
    assert [(i.period, i.method) for i in found.outliers] == [
        ("2021S2", "minmax"),
        (NOW, "minmax"),
    ]
    assert found.too_little_history == 4  # two values in each of two periods
    assert found.to_dict()["too_little_history"] == 4
    steady(form, org.c1, periods=HISTORY[:3], code="lop_ke_hoach", value=3)
    assert read(form, org, first=NOW, last=NOW).too_little_history == 1  # luot_nguoi's
