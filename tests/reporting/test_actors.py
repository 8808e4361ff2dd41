"""Every write of reporting asks the policy: None and a manager of another district are
refused and nothing changes; a system actor passes (the demo, the commands)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.reporting import bulk, editing, services
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    DataValueChange,
    Disaggregation,
    Form,
    FormSection,
    Indicator,
    Submission,
    ValidationRule,
    ValueBounds,
)
from trienkhai.reporting.services import CellInput, MarkInput

PERIOD = "2020S1"
TODAY = dt.date(2020, 7, 5)
CSV = b"form,unit,period,indicator,option,value\nHK,C1,2020S1,lop_ke_hoach,,4\n"


def _saved(form, org, status=None):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("lop_ke_hoach", "5")],
        today=TODAY,
    )
    report = Submission.objects.get(form=form, unit=org.c1, period=PERIOD)
    if status in ("submitted", "approved"):
        report = services.submit(acting_user=SYSTEM, form=form, unit=org.c1, period_id=PERIOD)
    if status == "approved":
        report = services.approve(acting_user=SYSTEM, submission=report)
    return report


def indicator(form):
    return Indicator.objects.get(code="lop_ke_hoach")


WRITES = {
    # services/indicators.py: global definitions (MANAGE_INDICATORS)
    "create_indicator": lambda form, org, a: services.create_indicator(
        acting_user=a, code="moi", name="Mới"
    ),
    "create_disaggregation": lambda form, org, a: services.create_disaggregation(
        acting_user=a, code="gioi", name="Giới", options=[("nam", "Nam"), ("nu", "Nữ")]
    ),
    # editing.py
    "update_indicator": lambda form, org, a: editing.update_indicator(
        acting_user=a,
        indicator=indicator(form),
        name="Đổi",
        value_type="integer",
        aggregation="sum",
    ),
    "delete_disaggregation": lambda form, org, a: editing.delete_disaggregation(
        acting_user=a, disaggregation=Disaggregation.objects.create(code="x", name="X")
    ),
    "add_section": lambda form, org, a: editing.add_section(acting_user=a, form=form, title="I"),
    "delete_rule": lambda form, org, a: editing.delete_rule(
        acting_user=a, rule=ValidationRule.objects.filter(form=form).first()
    ),
    # services/forms.py: the owner's (CHANGE on D1)
    "create_form": lambda form, org, a: services.create_form(
        acting_user=a,
        code="NAM",
        name="Năm",
        owner=org.d1,
        period_type="yearly",
        indicators=[indicator(form)],
        units=[org.c1],
        valid_from=dt.date(2019, 1, 1),
    ),
    "add_rule": lambda form, org, a: services.add_rule(
        acting_user=a, form=form, left="lop_ke_hoach", operator=">=", right="0", message="m"
    ),
    "remove_indicator_from_form": lambda form, org, a: services.remove_indicator_from_form(
        acting_user=a, form=form, indicator=indicator(form), on=dt.date(2024, 1, 1)
    ),
    # services/values.py and bulk.py: ENTER_DATA on C1
    "save_values": lambda form, org, a: services.save_values(
        acting_user=a,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("lop_ke_hoach", "7")],
        today=TODAY,
    ),
    "import_values": lambda form, org, a: bulk.import_values(
        acting_user=a, name="a.csv", data=CSV, today=TODAY
    ),
    # services/submissions.py: entering (submit) and approving (the unit above)
    "submit": lambda form, org, a: services.submit(
        acting_user=a, form=form, unit=org.c1, period_id=PERIOD, today=TODAY
    ),
    "approve": lambda form, org, a: services.approve(
        acting_user=a, submission=_saved(form, org, "submitted")
    ),
    "return_submission": lambda form, org, a: services.return_submission(
        acting_user=a, submission=_saved(form, org, "submitted"), comment="thiếu"
    ),
    "mark_for_follow_up": lambda form, org, a: services.mark_for_follow_up(
        acting_user=a,
        submission=_saved(form, org, "submitted"),
        cells=[MarkInput("lop_ke_hoach", note="xem lại")],
    ),
    "unlock": lambda form, org, a: services.unlock(
        acting_user=a, submission=_saved(form, org, "approved"), comment="sửa"
    ),
    # services/outliers.py: bounds are the approvers' (APPROVE on the unit)
    "set_bounds": lambda form, org, a: services.set_bounds(
        acting_user=a, unit=org.c1, indicator=indicator(form), high="70"
    ),
    "generate_bounds": lambda form, org, a: services.generate_bounds(
        acting_user=a, form=form, root=org.d1, period_id=PERIOD
    ),
}


def snapshot():
    return [
        list(m.objects.order_by("pk").values())
        for m in (
            Indicator,
            Disaggregation,
            Form,
            FormSection,
            ValidationRule,
            ValueBounds,
            CellMark,
        )
    ] + [
        list(DataValue.objects.order_by("pk").values("pk", "value_number", "version")),
        list(Submission.objects.order_by("pk").values("pk", "status")),
    ]


def _prepared(name, form, org):
    """The write ``name``, its report or breakdown made beforehand (only the write is judged)."""
    if name in {"approve", "return_submission", "mark_for_follow_up", "unlock"}:
        report = _saved(form, org, "approved" if name == "unlock" else "submitted")
        return {
            "approve": lambda f, o, a: services.approve(acting_user=a, submission=report),
            "return_submission": lambda f, o, a: services.return_submission(
                acting_user=a, submission=report, comment="thiếu"
            ),
            "mark_for_follow_up": lambda f, o, a: services.mark_for_follow_up(
                acting_user=a, submission=report, cells=[MarkInput("lop_ke_hoach", note="x")]
            ),
            "unlock": lambda f, o, a: services.unlock(
                acting_user=a, submission=report, comment="sửa"
            ),
        }[name]
    if name == "delete_disaggregation":
        made = Disaggregation.objects.create(code="x", name="X")
        return lambda f, o, a: editing.delete_disaggregation(acting_user=a, disaggregation=made)
    return WRITES[name]


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("who", ["none", "outsider"])
def test_it_refuses_none_and_a_manager_of_another_district(form, org, personas, name, who):
    actor = None if who == "none" else personas.outsider
    write = _prepared(name, form, org)
    # The values import names a unit one may not enter as a row error (400) when the
    # actor enters data somewhere else (the outsider); None gets a 403.
    refusal = (PermissionDenied, BadInput) if name == "import_values" else PermissionDenied
    before = snapshot()
    with pytest.raises(refusal):
        write(form, org, actor)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(set(WRITES) - {"generate_bounds"}))
def test_it_lets_a_system_actor_write(form, org, name):
    write = _prepared(name, form, org)
    before = snapshot()
    write(form, org, SYSTEM)
    assert snapshot() != before


def test_it_lets_a_system_actor_generate_bounds(form, org):
    assert (
        services.generate_bounds(acting_user=SYSTEM, form=form, root=org.d1, period_id=PERIOD).units
        == 3
    )  # D1, C1, C2: nothing to learn from without history


def test_it_records_no_user_for_a_system_actor(form, org, personas):
    _saved(form, org)
    assert DataValueChange.objects.get().changed_by is None
    assert Indicator.history.filter(code="lop_ke_hoach").get().history_user is None
