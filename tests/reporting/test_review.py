"""Compulsory cells, complete-only-if-valid, the review of a report, marks on cells."""

from decimal import Decimal

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.accounts.policy import PermissionDenied
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.reporting import review, services
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    DataValueChange,
    FormIndicator,
    Indicator,
    Submission,
)
from trienkhai.reporting.services import CellInput, MarkInput

PERIOD = "2020S1"
GOOD = {
    ("lop_ke_hoach", ""): "3",
    ("lop_da_mo", ""): "2",
    ("luot_nguoi", ""): "40",
    ("luot_nguoi_doi_tuong", "dang_vien"): "30",
    ("luot_nguoi_doi_tuong", "nhan_dan"): "10",
}


def fill(form, unit, user, values=GOOD):
    services.save_values(
        acting_user=user,
        form=form,
        unit=unit,
        period_id=PERIOD,
        cells=[CellInput(indicator=i, option=o, value=v) for (i, o), v in values.items()],
    )


def submit(form, unit, user, **kwargs):
    return services.submit(acting_user=user, form=form, unit=unit, period_id=PERIOD, **kwargs)


def compulsory(form, *codes):
    indicators = [i.indicator for i in services.current_items(form) if i.indicator.code in codes]
    services.set_submission_rules(
        acting_user=SYSTEM,
        form=form,
        compulsory=indicators,
        complete_only_if_valid=form.complete_only_if_valid,
    )
    form.refresh_from_db()


@pytest.fixture
def submitted(form, org, cell_reporter):
    fill(form, org.c1, cell_reporter)
    return submit(form, org.c1, cell_reporter)


# Compulsory cells -----------------------------------------------------------------------


def test_it_refuses_a_submission_with_an_empty_compulsory_cell_and_names_it(
    form, org, cell_reporter
):
    """GIVEN lop_da_mo compulsory and left empty WHEN the report is submitted THEN 400
    compulsory_empty naming the indicator by name and code, and the report stays a draft."""
    compulsory(form, "lop_da_mo")
    fill(form, org.c1, cell_reporter, {k: v for k, v in GOOD.items() if k[0] != "lop_da_mo"})
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter)
    assert refused.value.code == "compulsory_empty" and refused.value.status == 400
    assert "Số lớp đã mở (lop_da_mo)" in refused.value.message
    assert [(d["indicator"], d["name"], d["kind"]) for d in refused.value.details] == [
        ("lop_da_mo", "Số lớp đã mở", "empty")
    ]
    assert Submission.objects.get().status == Submission.Status.DRAFT

    fill(form, org.c1, cell_reporter, {("lop_da_mo", ""): "2"})
    assert submit(form, org.c1, cell_reporter).status == Submission.Status.SUBMITTED


def test_it_needs_every_option_of_a_compulsory_disaggregated_indicator(form, org, cell_reporter):
    compulsory(form, "luot_nguoi_doi_tuong")
    fill(form, org.c1, cell_reporter)  # two of six audience groups
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter)
    options = [d["option"] for d in refused.value.details]
    assert options == ["bao_cao_vien", "can_bo", "doan_vien", "hoi_vien"]
    assert refused.value.details[0]["name"] == "Lượt người theo đối tượng – Báo cáo viên"


def test_it_refuses_a_stored_value_that_no_longer_passes_its_cell_rules(form, org, cell_reporter):
    """GIVEN a value stored when the indicator was a decimal WHEN it becomes an integer
    THEN the report cannot be submitted until the value is corrected."""
    fill(form, org.c1, cell_reporter)
    DataValue.objects.filter(indicator__code="luot_nguoi").update(value_number=Decimal("40.5"))
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter)
    assert refused.value.code == "invalid_values"
    assert [(d["indicator"], d["kind"]) for d in refused.value.details] == [
        ("luot_nguoi", "invalid")
    ]
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_it_refuses_compulsory_indicators_outside_the_form_or_derived(form, org):
    other = Indicator.objects.create(code="khac", name="Khác")
    derived = Indicator.objects.get(code="binh_quan_lop")
    for wrong in (other, derived):
        with pytest.raises(BadInput) as refused:
            services.set_submission_rules(
                acting_user=SYSTEM, form=form, compulsory=[wrong], complete_only_if_valid=True
            )
        assert refused.value.code == "invalid_compulsory"
    assert not FormIndicator.objects.filter(is_compulsory=True).exists()


def test_it_keeps_submission_rules_to_the_forms_managers(form, personas):
    with pytest.raises(PermissionDenied):
        services.set_submission_rules(
            acting_user=personas.outsider, form=form, compulsory=[], complete_only_if_valid=False
        )
    services.set_submission_rules(
        acting_user=personas.manager, form=form, compulsory=[], complete_only_if_valid=False
    )
    form.refresh_from_db()
    assert form.complete_only_if_valid is False


# Failed rules: refuse, or confirm with a comment -----------------------------------------


def test_it_refuses_failed_rules_on_a_complete_only_if_valid_form(form, org, cell_reporter):
    fill(form, org.c1, cell_reporter, {**GOOD, ("lop_da_mo", ""): "5"})
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter, comment="Có lý do")
    assert refused.value.code == "validation_failed"


def test_it_lets_the_submitter_confirm_failed_rules_with_a_comment(form, org, cell_reporter):
    form.complete_only_if_valid = False
    form.save()
    fill(form, org.c1, cell_reporter, {**GOOD, ("lop_da_mo", ""): "5"})
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter, comment="  ")
    assert refused.value.code == "confirmation_required"
    assert refused.value.details[0]["message"] == "Số lớp đã mở không vượt kế hoạch"
    submission = submit(form, org.c1, cell_reporter, comment="Mở thêm 2 lớp theo chỉ đạo")
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submit_comment == "Mở thêm 2 lớp theo chỉ đạo"
    found = review.review(submission)
    assert found.to_dict()["submit_comment"] == "Mở thêm 2 lớp theo chỉ đạo"
    assert len(found.readiness.failed_rules) == 1


# Return with marked cells; follow-up ------------------------------------------------------


def test_it_marks_cells_to_fix_on_return_and_resolves_them_on_resubmission(
    form, org, cell_reporter, personas, submitted
):
    services.return_submission(
        acting_user=personas.manager,
        submission=submitted,
        comment="Kiểm tra lại",
        cells=[
            MarkInput("lop_da_mo", "", "Số lớp lệch với sổ"),
            MarkInput("luot_nguoi_doi_tuong", "dang_vien"),
        ],
    )
    marks = review.open_marks(Submission.objects.get())
    assert [(m.indicator.code, m.option, m.note, m.kind) for m in marks] == [
        ("lop_da_mo", "", "Số lớp lệch với sổ", "fix"),
        ("luot_nguoi_doi_tuong", "dang_vien", "", "fix"),
    ]
    assert marks[0].created_by == personas.manager
    assert marks[0].history.get().history_user == personas.manager

    fill(form, org.c1, cell_reporter, {("lop_da_mo", ""): "3"})
    # One marked cell is as it was: its reason to stay so is said and kept.
    submit(form, org.c1, cell_reporter, keep_marked="Số liệu đúng theo sổ")
    assert review.open_marks(Submission.objects.get()) == []
    assert CellMark.objects.filter(resolved__isnull=False).count() == 2
    assert "Số liệu đúng theo sổ" in Submission.objects.get().submit_comment


def test_it_refuses_a_resubmission_with_a_marked_cell_untouched(
    form, org, cell_reporter, personas, submitted
):
    """GIVEN a report returned with two cells marked to fix
    WHEN the reporter sends it again having fixed one, then having noted the other
    THEN the first send is refused naming the untouched cell, the second goes through."""
    services.return_submission(
        acting_user=personas.manager,
        submission=submitted,
        comment="Kiểm tra lại",
        cells=[MarkInput("lop_da_mo"), MarkInput("luot_nguoi_doi_tuong", "dang_vien")],
    )
    fill(form, org.c1, cell_reporter, {("lop_da_mo", ""): "3"})
    with pytest.raises(BadInput) as refused:
        submit(form, org.c1, cell_reporter)
    assert refused.value.code == "marks_untouched" and refused.value.status == 400
    assert [d["option"] for d in refused.value.details] == ["dang_vien"]
    assert "Lượt người theo đối tượng – Đảng viên" in refused.value.shown
    with pytest.raises(BadInput):
        submit(form, org.c1, cell_reporter, keep_marked="   ")
    assert Submission.objects.get().status == "returned"
    # A note on the cell answers the mark as well as a new value does.
    services.save_values(
        acting_user=cell_reporter,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("luot_nguoi_doi_tuong", "30", "dang_vien", comment="Đúng theo sổ")],
    )
    assert submit(form, org.c1, cell_reporter).status == "submitted"
    assert Submission.objects.get().submit_comment == ""


def test_it_refuses_marks_on_cells_the_form_does_not_have_and_changes_nothing(personas, submitted):
    with pytest.raises(BadInput) as refused:
        services.return_submission(
            acting_user=personas.manager,
            submission=submitted,
            comment="Sửa",
            cells=[
                MarkInput("lop_da_mo", "dang_vien"),
                MarkInput("khong_co"),
                MarkInput("binh_quan_lop"),
            ],
        )
    assert refused.value.code == "invalid_cells" and len(refused.value.details) == 3
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert not CellMark.objects.exists()


def test_it_keeps_marks_to_approvers(personas, cell_reporter, submitted):
    for user in (cell_reporter, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.return_submission(
                acting_user=user,
                submission=submitted,
                comment="x",
                cells=[MarkInput("lop_da_mo")],
            )
        with pytest.raises(PermissionDenied):
            services.mark_for_follow_up(
                acting_user=user, submission=submitted, cells=[MarkInput("lop_da_mo")]
            )
    assert not CellMark.objects.exists()


def test_it_marks_values_for_follow_up_on_a_submitted_or_approved_report(
    form, org, personas, submitted
):
    services.mark_for_follow_up(
        acting_user=personas.manager,
        submission=submitted,
        cells=[MarkInput("luot_nguoi", "", "Đối chiếu sổ điểm danh")],
    )
    services.approve(acting_user=personas.manager, submission=submitted)
    services.mark_for_follow_up(
        acting_user=personas.manager, submission=submitted, cells=[MarkInput("lop_da_mo")]
    )
    marks = review.review(Submission.objects.get()).mark_dicts()
    assert {(m["indicator"], m["kind"], m["note"]) for m in marks} == {
        ("luot_nguoi", "follow_up", "Đối chiếu sổ điểm danh"),
        ("lop_da_mo", "follow_up", ""),
    }
    draft = services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c2,
        period_id=PERIOD,
        cells=[CellInput(indicator="lop_da_mo", value="1")],
    )
    assert draft.saved == 1
    with pytest.raises(Conflict):
        services.mark_for_follow_up(
            acting_user=personas.manager,
            submission=Submission.objects.get(unit=org.c2),
            cells=[MarkInput("lop_da_mo")],
        )


# What changed since the last return -------------------------------------------------------


def test_it_lists_every_entered_value_on_a_first_submission(submitted, cell_reporter):
    found = review.review(submitted)
    assert found.since is None
    changes = {(c.indicator, c.option): (c.old, c.new, c.by) for c in found.changes}
    assert changes[("lop_da_mo", "")] == ("", "2", cell_reporter.get_username())
    assert len(changes) == len(GOOD)
    # Named as people know them, as other pages name them, when the account has a name.
    cell_reporter.full_name = "Võ Thị Thuận"
    cell_reporter.save(update_fields=["full_name"])
    found = review.review(submitted)
    assert {c.by for c in found.changes} == {"Võ Thị Thuận"}


def test_it_lists_what_changed_since_the_last_return(form, org, cell_reporter, personas, submitted):
    """GIVEN a returned report WHEN the reporter changes one cell twice, changes another
    and changes it back, then resubmits THEN the review lists the one net change,
    old → new, who and when."""
    services.return_submission(acting_user=personas.manager, submission=submitted, comment="Sửa")
    fill(form, org.c1, cell_reporter, {("lop_da_mo", ""): "1"})
    fill(form, org.c1, cell_reporter, {("lop_da_mo", ""): "3", ("luot_nguoi", ""): "41"})
    fill(form, org.c1, cell_reporter, {("luot_nguoi", ""): "40"})
    resubmitted = submit(form, org.c1, cell_reporter)
    found = review.review(resubmitted)
    assert found.since is not None
    assert [(c.cell, c.old, c.new, c.count) for c in found.changes] == [
        ("Số lớp đã mở", "2", "3", 2)
    ]
    last = DataValueChange.objects.filter(indicator__code="lop_da_mo").first()
    assert found.changes[0].when == last.changed


def test_it_lists_empty_cells_with_the_compulsory_flagged(form, submitted):
    compulsory(form, "ghi_chu")
    found = review.review(submitted).to_dict()
    assert {"indicator": "ghi_chu", "option": "", "name": "Ghi chú", "compulsory": True} in found[
        "empty"
    ]
    assert [c["indicator"] for c in found["empty_compulsory"]] == ["ghi_chu"]
    assert found["outliers"] == []


def test_it_names_cells_in_the_readers_language(form, submitted):
    from django.utils import translation

    Indicator.objects.filter(code="ghi_chu").update(name_en="Notes")
    form.refresh_from_db()
    with translation.override("en"):
        names = [c["name"] for c in review.review(submitted).to_dict()["empty"]]
    assert "Notes" in names


# Speed: a few queries, whatever the size of the form ------------------------------------


@pytest.fixture
def big_form(org, audience):
    """60 indicators × 6 audience groups, reported by C1: 360 cells."""
    indicators = [
        services.create_indicator(
            acting_user=SYSTEM, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}", disaggregation=audience
        )
        for n in range(60)
    ]
    return services.create_form(
        acting_user=SYSTEM,
        code="LON",
        name="Biểu lớn",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=indicators,
        units=[org.c1],
        compulsory=indicators[:10],
    )


def test_it_approves_a_60_by_6_report_in_a_few_queries(
    big_form, org, personas, django_assert_num_queries
):
    reporter = f.make_user("bcv_lon", unit=org.c1, role="reporter")
    options = ["bao_cao_vien", "can_bo", "dang_vien", "doan_vien", "hoi_vien", "nhan_dan"]
    services.save_values(
        acting_user=reporter,
        form=big_form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[
            CellInput(indicator=f"ct_{n:02d}", option=o, value=str(n))
            for n in range(60)
            for o in options
        ],
    )
    submission = services.submit(acting_user=reporter, form=big_form, unit=org.c1, period_id=PERIOD)
    submission = Submission.objects.select_related("form", "unit").get(pk=submission.pk)
    # The lock, the unit's place and the approver's roles, the update and its history
    # row, in a savepoint (8); then the values take the report's level and their totals
    # move to the approved set (statuses.follow: the form's cells, one UPDATE, one
    # statement per level through the closure): the same for 3 cells or 360. The
    # notifications of the approval (decision 0038) add 8: who enters the unit's reports
    # (its ancestors, their roles), the unit's name, the notifications already told and
    # the users' choices, the insert and its read-back, the bell's counts; and 2 settle
    # the report's "chờ duyệt" notices, read now that nobody need act (the bells' counts,
    # the notices).
    with django_assert_num_queries(31):
        services.approve(acting_user=personas.manager, submission=submission)
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED
