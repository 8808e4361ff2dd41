"""Counted cells (decision 0039) are never treated as typed ones: not empty, not
compulsory, not in the offline workbook's input cells, not markable.

Form HD (tests/reporting/conftest.py ``activity_form``): a count and a yes/no typed, and
act_classes and act_attendances counted from the activity registers.
"""

import io

import pytest
from openpyxl import load_workbook

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.reporting import excel, review, services
from trienkhai.reporting.models import Indicator

PERIOD = "2021S1"


def test_a_counted_cell_is_never_empty(activity_form):
    cells = review.cells(activity_form, activity_form.period(PERIOD))
    assert {c.indicator.code for c in cells} == {"so_bai", "co_ke_hoach"}


def test_a_counted_indicator_cannot_be_compulsory(activity_form):
    counted = Indicator.objects.get(code="act_classes")
    with pytest.raises(BadInput) as refused:
        services.set_submission_rules(
            acting_user=SYSTEM,
            form=activity_form,
            compulsory=[counted],
            complete_only_if_valid=False,
        )
    assert refused.value.code == "invalid_compulsory" and "act_classes" in refused.value.message


def test_the_workbook_locks_a_counted_cell_and_never_reads_it(activity_form, org):
    data = excel.form_workbook(activity_form, org.c1, PERIOD)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = {
        row[1].value: row
        for row in sheet.iter_rows()
        if row[1].value in {"Số bài viết", "Số lớp bồi dưỡng đã tổ chức"}
    }
    counted = next(r for name, r in rows.items() if name != "Số bài viết")
    value = counted[excel.FIRST_VALUE_COLUMN - 1]
    assert value.protection.locked and "sổ" in str(value.value)
    assert not rows["Số bài viết"][excel.FIRST_VALUE_COLUMN - 1].protection.locked
    value.value = 7
    typed = io.BytesIO()
    value.parent.parent.save(typed)
    # The sheet is protected; a value forced into the counted cell is not read back.
    read = excel.read_form_workbook(
        typed.getvalue(), form=activity_form, unit=org.c1, period_id=PERIOD
    )
    assert {c.indicator for c in read} == {"so_bai", "co_ke_hoach"}
