"""The review level of each value follows its report, and the totals of each status follow
it live (decision 0020): a draft counts in ``all`` only, a submitted report in
``submitted``, an approved one in ``approved`` too; returning or unlocking takes them out."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SYSTEM
from trienkhai.analytics import engine
from trienkhai.common.errors import BadInput
from trienkhai.reporting import bulk, services, statuses
from trienkhai.reporting.models import DataValue, Indicator
from trienkhai.reporting.services import CellInput

TODAY = dt.date(2020, 7, 5)


def totals(unit="D1", indicator="lop_ke_hoach", period="2020S1"):
    return {
        status: engine.rollup(
            indicators=[indicator], periods=[period], units=[unit], status=status
        )[0].value
        for status in ("all", "submitted", "approved")
    }


def save(form, unit, today=TODAY, **values):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id="2020S1",
        cells=[CellInput(code, str(value)) for code, value in values.items()],
        today=today,
    )


def test_it_counts_a_value_in_each_status_as_its_report_moves(org, form):
    save(form, org.c1, lop_ke_hoach=3)
    save(form, org.c2, lop_ke_hoach=4)
    assert totals() == {"all": 7, "submitted": None, "approved": None}
    report = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    assert totals() == {"all": 7, "submitted": 3, "approved": None}
    report = services.approve(acting_user=SYSTEM, submission=report)
    assert totals() == {"all": 7, "submitted": 3, "approved": 3}
    assert DataValue.objects.get(unit=org.c1).status == DataValue.Review.APPROVED
    services.unlock(acting_user=SYSTEM, submission=report, comment="sửa số lớp")
    assert totals() == {"all": 7, "submitted": None, "approved": None}
    assert DataValue.objects.get(unit=org.c1).status == DataValue.Review.DRAFT


def test_a_returned_report_leaves_the_submitted_totals(org, form):
    save(form, org.c1, lop_ke_hoach=3)
    report = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    services.return_submission(acting_user=SYSTEM, submission=report, comment="thiếu số")
    assert totals() == {"all": 3, "submitted": None, "approved": None}


def test_a_unit_own_figure_is_counted_by_its_own_status(org, form):
    """GIVEN a value of C1 (no units below: read from the values, not from Total)."""
    save(form, org.c1, lop_ke_hoach=3)
    services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    assert totals(unit="C1") == {"all": 3, "submitted": 3, "approved": None}


@pytest.fixture
def second(org, form):
    """Form HK2 sharing lop_ke_hoach with HK, reported by C1."""
    shared = Indicator.objects.get(code="lop_ke_hoach")
    return services.create_form(
        acting_user=SYSTEM,
        code="HK2",
        name="Biểu dùng chung",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[shared],
        units=[org.c1],
        valid_from=dt.date(2019, 1, 1),
    )


def test_a_shared_value_changed_through_another_form_is_a_draft_again(org, form, second):
    """GIVEN lop_ke_hoach approved through HK WHEN HK2's open report changes it THEN the
    approved and submitted totals lose it, and it counts as a draft."""
    save(form, org.c1, lop_ke_hoach=3)
    report = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    services.approve(acting_user=SYSTEM, submission=report)
    save(second, org.c1, lop_ke_hoach=5)
    assert totals() == {"all": 5, "submitted": None, "approved": None}
    assert DataValue.objects.get(unit=org.c1).status == DataValue.Review.DRAFT


def test_the_bulk_writer_drafts_a_shared_reviewed_value_it_replaces(org, form, second):
    save(form, org.c1, lop_ke_hoach=3)
    report = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id="2020S1")
    services.approve(acting_user=SYSTEM, submission=report)
    cell = bulk.CheckedCell(
        form=second,
        unit_id=org.c1.pk,
        period=second.period("2020S1"),
        indicator=Indicator.objects.get(code="lop_ke_hoach"),
        option="",
        number=Decimal(3),
        text="",
        comment="ghi chú mới",
    )
    bulk.write_checked(acting_user=SYSTEM, cells=[cell])
    assert totals() == {"all": 3, "submitted": None, "approved": None}


def test_approving_a_report_costs_the_same_statements_whatever_its_size(org, form):
    """The values move level in one UPDATE and one statement of the live totals."""
    counts = []
    for unit, cells in (
        (org.c1, {"lop_ke_hoach": 3}),
        (org.c2, {"lop_ke_hoach": 4, "luot_nguoi": 9}),
    ):
        save(form, unit, **cells)
        report = services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id="2020S1")
        with CaptureQueriesContext(connection) as queries:
            services.approve(acting_user=SYSTEM, submission=report)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_status_name_other_than_the_three_is_refused():
    assert statuses.level(None) == statuses.level("submitted") == 1
    with pytest.raises(BadInput) as refused:
        statuses.level("draft")
    assert refused.value.code == "invalid_status"
