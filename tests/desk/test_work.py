"""The desk: what each role owes and what waits for it, only what it may see.

Form HK (tests/reporting/conftest.py): half-yearly, deadline 10 days after the period,
owned by D1 (Huyện Vĩnh Thuận), reported by C1 and C2; the personas hold their roles at
D1, the outsider at D2. 2020S1 ends on 30/06/2020, its deadline is 10/07/2020.
"""

import datetime as dt

from django.urls import reverse

from tests import factories as f
from tests.factories import SIGNED, SYSTEM
from trienkhai.desk.work import desk_of
from trienkhai.documents import directives
from trienkhai.documents import services as documents
from trienkhai.drafting import services as drafting
from trienkhai.reporting import services

LATE = dt.date(2020, 7, 15)
SOON = dt.date(2020, 7, 5)


def submit(form, unit, period="2020S1"):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id=period,
        cells=[services.CellInput("lop_ke_hoach", "3"), services.CellInput("lop_da_mo", "2")],
    )
    return services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id=period)


def units(items) -> list[str]:
    return [i.unit for i in items]


def test_a_reporter_owes_the_reports_not_in_most_urgent_first(personas, org, form):
    desk = desk_of(personas.reporter, LATE)
    assert units(desk.reports_to_enter) == ["C1", "C2"]
    assert {i.state for i in desk.reports_to_enter} == {"overdue"}
    first = desk.reports_to_enter[0]
    assert first.url == reverse("reporting:grid", args=["HK", "C1", "2020S1"])
    assert first.due == dt.date(2020, 7, 10) and first.action == "Nhập số liệu"
    assert "6 tháng đầu năm 2020" in first.title and first.unit_name == "Thị trấn Vĩnh Thuận"
    assert {i.state for i in desk_of(personas.reporter, SOON).reports_to_enter} == {"due_soon"}
    # A period under way, its deadline far: not yet on the desk.
    assert desk_of(personas.reporter, dt.date(2020, 6, 1)).reports_to_enter == []

    report = submit(form, org.c1)
    assert units(desk_of(personas.reporter, LATE).reports_to_enter) == ["C2"]
    services.return_submission(
        acting_user=personas.manager, submission=report, comment="Thiếu số lớp"
    )
    desk = desk_of(personas.reporter, LATE)
    assert units(desk.reports_to_enter) == ["C1", "C2"]  # the returned one first
    returned = desk.reports_to_enter[0]
    assert returned.state == "returned" and returned.note == "Thiếu số lớp"
    assert returned.action == "Sửa theo yêu cầu"
    assert [i.due for i in desk.calendar] == [dt.date(2020, 7, 10)] * 2
    # A year on, the unsent report of 2020S1 has left the desk; the returned one has not.
    later = desk_of(personas.reporter, dt.date(2021, 7, 1)).reports_to_enter
    assert [(i.unit, i.state) for i in later if "2020" in i.title] == [("C1", "returned")]


def test_a_manager_approves_what_is_in_and_sees_who_is_late(personas, org, form):
    report = submit(form, org.c1)
    desk = desk_of(personas.manager, LATE)
    assert units(desk.approvals) == ["C1"]
    assert desk.approvals[0].url == reverse("reporting:review", args=["HK", "C1", "2020S1"])
    # The district's own reports are the manager's to enter; its cells' are not.
    assert desk.reports_to_enter == []
    (progress,) = desk.subtree
    assert (progress.expected, progress.submitted, progress.late_count) == (2, 1, 1)
    assert progress.late == ["Xã Vĩnh Bình Bắc"]
    services.approve(acting_user=personas.manager, submission=report)
    assert desk_of(personas.manager, LATE).approvals == []
    # Returned is not "not sent": the desk names it apart, as the progress page does.
    late = submit(form, org.c2)
    services.return_submission(acting_user=personas.manager, submission=late, comment="Thiếu")
    (progress,) = desk_of(personas.manager, LATE).subtree
    assert (progress.late_count, progress.late) == (0, [])
    assert (progress.returned_count, progress.returned) == (1, ["Xã Vĩnh Bình Bắc"])


def test_others_see_nothing_of_the_district(personas, org, form):
    submit(form, org.c1)
    outsider = desk_of(personas.outsider, LATE)
    assert (outsider.reports_to_enter, outsider.approvals, outsider.subtree) == ([], [], [])
    viewer = desk_of(personas.viewer, LATE)
    assert viewer.reports_to_enter == [] and viewer.approvals == []
    assert [p.unit for p in viewer.subtree] == ["D1"]  # a viewer sees the progress
    assert desk_of(personas.nobody, LATE).total == 0
    assert desk_of(f.make_user("c2", unit=org.c2, role="reporter"), LATE).approvals == []


def test_a_task_from_a_directive_waits_until_answered(personas, org, form):
    draft = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=org.p1,
        type="KH",
        date=dt.date(2020, 3, 1),
        summary="Triển khai học tập chuyên đề năm 2020",
    )
    directive = documents.issue(acting_user=SYSTEM, document=draft)
    directives.assign(
        acting_user=SYSTEM, document=directive, units=["D1"], due=dt.date(2020, 7, 1), expects="KH"
    )
    (task,) = desk_of(personas.manager, LATE).tasks
    assert task.state == "overdue" and task.unit == "D1" and task.due == dt.date(2020, 7, 1)
    assert task.url == reverse("documents:tasks", args=["D1"])
    assert "Triển khai học tập chuyên đề năm 2020" in task.title
    assert desk_of(personas.outsider, LATE).tasks == []
    assert desk_of(personas.viewer, LATE).tasks == []
    answer = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=org.d1,
        type="KH",
        date=dt.date(2020, 7, 20),
        summary="Kế hoạch của huyện",
    )
    answer = documents.issue(acting_user=SYSTEM, document=answer)
    directives.answer(acting_user=SYSTEM, directive=directive, unit=org.d1, document=answer)
    assert desk_of(personas.manager, LATE).tasks == []


def test_a_draft_report_waits_on_its_issuers_desk(org, district, templates):
    drafting.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-6-thang"],
        unit=district.hu,
        issuer=district.board,
        period="2020S1",
        date=dt.date(2020, 6, 29),
    )
    manager = f.make_user("hu", unit=district.hu, role="manager")
    (draft,) = [i for i in desk_of(manager, LATE).documents if i.kind == "draft"]
    assert draft.title.endswith("– 6 tháng đầu năm 2020") and "{" not in draft.title
    assert draft.unit_name == district.board.latest_version().name
    outsider = f.make_user("x", unit=org.d2, role="manager")
    assert desk_of(outsider, LATE).documents == []


def test_a_user_whose_unit_ended_is_offered_the_unit_that_carries_it(org):
    """GIVEN a commune's reporter, the commune merged into a new one on 01/07/2025
    THEN her desk names the day it ended and links the new commune."""
    from trienkhai.orgs import services as orgs

    reporter = f.make_user("bc.c1", unit=org.c1, role="reporter")
    new = f.make_unit("C9", name="Xã Vĩnh Bình Mới", parent=org.d1)
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=dt.date(2025, 7, 1))
    (carried,) = desk_of(reporter, dt.date(2026, 1, 5)).carried
    assert carried.unit == "C1" and carried.last_day == dt.date(2025, 6, 30)
    assert carried.successors == [("Xã Vĩnh Bình Mới", reverse("orgs:unit", args=["C9"]))]
    assert desk_of(reporter, dt.date(2025, 6, 30)).carried == []


def test_a_units_own_report_never_sent_stays_on_its_desk_however_old(org, form):
    """GIVEN a reporter of the commune C1 itself, which never sent 2020S1 nor 2020S2
    THEN a year on, and after C1 ended in the 2025 merger, they are on her desk as
    long overdue, one line for the form and unit, after the recent ones and out of the
    calendar (the district's reporter, whose communes' old gaps would bury the desk,
    sees only the recent periods); a draft is still owed, a sent one is not."""
    from trienkhai.orgs import services as orgs

    reporter = f.make_user("bc.c1", unit=org.c1, role="reporter")

    def old(day):
        return [
            (i.unit, i.title.rsplit("– ", 1)[1], i.state)
            for i in desk_of(reporter, day).reports_to_enter
            if i.state == "long_overdue"
        ]

    year_on = dt.date(2021, 7, 1)
    # One line for the form and unit: the span in words, the oldest to open.
    assert old(year_on) == [
        ("C1", "4 kỳ chưa gửi, từ 6 tháng đầu năm 2019 đến 6 tháng cuối năm 2020", "long_overdue")
    ]  # HK is reported since 2019
    (line,) = [i for i in desk_of(reporter, year_on).reports_to_enter if "2020" in i.title]
    assert line.url == reverse("reporting:grid", args=["HK", "C1", "2019S1"])
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id="2020S2",
        cells=[services.CellInput("lop_ke_hoach", "3")],
    )
    submit(form, org.c1, "2020S1")
    still = (
        "C1",
        "3 kỳ chưa gửi, từ 6 tháng đầu năm 2019 đến 6 tháng cuối năm 2020",
        "long_overdue",
    )
    assert old(year_on) == [still]

    new = f.make_unit("C9", name="Xã Vĩnh Bình Mới", parent=org.d1)
    orgs.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=new, on=dt.date(2025, 7, 1))
    late = desk_of(reporter, dt.date(2026, 12, 7))
    # C1 ended on 30/06/2025: it owes every half-year to then, 2020S1 sent.
    assert old(dt.date(2026, 12, 7)) == [
        ("C1", "12 kỳ chưa gửi, từ 6 tháng đầu năm 2019 đến 6 tháng đầu năm 2025", "long_overdue")
    ]
    assert late.reports_to_enter[-1].state == "long_overdue"  # after the recent ones
    assert all(i.state != "long_overdue" for i in late.calendar)
    outsider = f.make_user("x", unit=org.d2, role="reporter")
    assert [i for i in desk_of(outsider, year_on).reports_to_enter if "2020" in i.title] == []
