"""Outliers per unit from history (reporting/outliers), bounds and explanations
(reporting/services/outliers.py), against the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import UnitVersion
from trienkhai.reporting import outliers, services
from trienkhai.reporting.models import (
    DataValue,
    Indicator,
    OutlierComment,
    Submission,
    ValueBounds,
)
from trienkhai.reporting.outliers import Method

HISTORY = ["2019S1", "2019S2", "2020S1", "2020S2", "2021S1", "2021S2"]
NOW = "2022S1"


def put(form, unit, period, status="approved", **values):
    """Values of ``unit`` for ``period`` in a report of ``status``, written directly."""
    for code, value in values.items():
        DataValue.objects.update_or_create(
            unit=unit,
            period=period,
            indicator=Indicator.objects.get(code=code),
            option="",
            defaults={"value_number": Decimal(value)},
        )
    Submission.objects.update_or_create(
        form=form, unit=unit, period=period, defaults={"status": status}
    )


def steady(form, unit, code="luot_nguoi", value=200, status="approved", periods=HISTORY):
    for period in periods:
        put(form, unit, period, status, **{code: value})


def judge(form, root, period=NOW, **kwargs):
    return outliers.judge_subtree(form, root, form.period(period), **kwargs)


def test_it_judges_a_draft_value_against_the_units_approved_history(form, org):
    steady(form, org.c1)
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    assert judge(form, org.d1) == [
        {
            "unit": "C1",
            "indicator": "luot_nguoi",
            "option": "",
            "period": NOW,
            "value": 20673,
            "low": 165,  # 200 ± 3.5 · 10 (the spread's floor: 5 % of 200)
            "high": 235,
            "method": "modified_z",
            "score": 2047.3,
        }
    ]


def test_it_counts_only_submitted_and_approved_history(form, org):
    steady(form, org.c1, periods=HISTORY[:4], status="draft")
    steady(form, org.c1, periods=HISTORY[4:5], status="returned")
    steady(form, org.c1, periods=HISTORY[5:], status="submitted")
    put(form, org.c1, NOW, "approved", luot_nguoi=20673)
    assert judge(form, org.d1) == []  # one counted period: too little to judge
    steady(form, org.c1, periods=HISTORY[3:5], status="approved")
    assert [o["method"] for o in judge(form, org.d1)] == ["modified_z"]


def test_it_uses_only_the_last_six_periods_of_the_forms_type(form, org):
    steady(form, org.c1, periods=["2016S1", "2016S2", "2017S1", "2017S2"])
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    assert judge(form, org.d1) == []


def test_it_offers_the_z_score_and_reports_a_low_value(form, org):
    for period, value in zip(HISTORY, [200, 210, 190, 205, 195, 200], strict=True):
        put(form, org.c1, period, luot_nguoi=value)
    put(form, org.c1, NOW, "draft", luot_nguoi=3)
    (found,) = judge(form, org.d1, method=Method.Z)
    assert found["method"] == "z"
    assert found["score"] < -3
    assert found["low"] < 200 < found["high"]


def towns(org, *numbers):
    """More towns beside C1 (a town; C2 is a commune)."""
    return [
        f.make_unit(f"T{n}", kind_code="town", parent=org.d1, valid_from=org.c1.valid_from)
        for n in numbers
    ]


def test_it_judges_against_siblings_of_its_kind_that_have_reported(form, org):
    others = towns(org, 3, 4, 5)
    for unit, value in zip(others, [100, 110, 90], strict=True):
        put(form, unit, NOW, "submitted", luot_nguoi=value)
    put(form, org.c1, NOW, "draft", luot_nguoi=5000)
    put(form, org.c2, NOW, "draft", luot_nguoi=5000)  # a commune: no commune beside it
    found = judge(form, org.d1)
    assert [(o["unit"], o["method"]) for o in found] == [("C1", "siblings")]
    assert found[0]["low"] < 100 < found[0]["high"]
    # siblings still in draft do not count
    Submission.objects.filter(unit__in=others).update(status="draft")
    assert judge(form, org.d1) == []


def test_it_judges_a_subtree_root_against_its_own_siblings(form, org):
    for unit, value in zip(towns(org, 3, 4, 5), [100, 110, 90], strict=True):
        put(form, unit, NOW, "approved", luot_nguoi=value)
    put(form, org.c2, NOW, "approved", luot_nguoi=5000)  # another kind: not a sibling
    put(form, org.c1, NOW, "draft", luot_nguoi=5000)
    assert [(o["unit"], o["method"]) for o in judge(form, org.c1)] == [("C1", "siblings")]
    indicator = Indicator.objects.get(code="luot_nguoi")
    assert outliers.check_value(form, org.c1, form.period(NOW), indicator, "", Decimal(95)) == []


def test_it_takes_the_siblings_of_the_periods_day(form, org):
    others = towns(org, 3, 4, 5)
    for unit, value in zip(others, [100, 110, 90], strict=True):
        put(form, unit, NOW, "approved", luot_nguoi=value)
    put(form, org.c1, NOW, "draft", luot_nguoi=5000)
    # T3..T5 under D1 only after the period: then they were not C1's siblings
    UnitVersion.objects.filter(unit__in=others).update(valid_from=dt.date(2023, 1, 1))
    assert judge(form, org.c1) == []
    assert judge(form, org.d1) == []


def test_it_judges_against_the_units_bounds_or_else_the_indicators(form, org):
    put(form, org.c1, NOW, "draft", lop_da_mo=60)
    (found,) = judge(form, org.d1)
    assert (found["method"], found["low"], found["high"]) == ("minmax", 0, 50)
    services.set_bounds(
        acting_user=SYSTEM, unit=org.c1, indicator=Indicator.objects.get(code="lop_da_mo"), high=70
    )
    assert judge(form, org.d1) == []
    put(form, org.c1, NOW, "draft", lop_da_mo=80)
    (found,) = judge(form, org.d1)
    assert (found["low"], found["high"], found["score"]) == (None, 70, 10.0)


def test_it_warns_at_save_in_the_users_words(form, org):
    steady(form, org.c1)
    result = services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=NOW,
        cells=[services.CellInput(indicator="luot_nguoi", value="20.673")],
    )
    assert result.warnings == [
        {
            "indicator": "luot_nguoi",
            "option": "",
            "warning": "Gấp 103 lần kỳ trước (200)",
            "method": "modified_z",
        }
    ]
    result = services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=NOW,
        cells=[services.CellInput(indicator="luot_nguoi", value="150")],
    )
    assert result.warnings[0]["warning"] == "Thấp hơn nhiều so với các kỳ trước (thường 165–235)"
    result = services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=NOW,
        cells=[services.CellInput(indicator="luot_nguoi", value="210")],
    )
    assert result.warnings == []


def explain(form, unit, text="Năm nay sáp nhập thêm hai xã", **kwargs):
    return services.explain_outlier(
        acting_user=kwargs.pop("acting_user", SYSTEM),
        form=form,
        unit=unit,
        period_id=NOW,
        indicator_code="luot_nguoi",
        text=text,
        **kwargs,
    )


def test_it_lists_a_reports_outliers_with_the_explanation_of_that_very_value(
    form, org, cell_reporter
):
    steady(form, org.c1)
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    submission = Submission.objects.get(form=form, unit=org.c1, period=NOW)
    (unexplained,) = outliers.outliers_of_submission(submission)
    assert unexplained["is_explained"] is False and unexplained["comment"] == ""
    assert unexplained["message"] == "Gấp 103 lần kỳ trước (200)"
    explain(form, org.c1, acting_user=cell_reporter)
    (explained,) = outliers.outliers_of_submission(submission)
    assert explained["is_explained"] is True
    assert explained["comment"] == "Năm nay sáp nhập thêm hai xã"
    assert explained["comment_by"] == "bcv"
    comment = OutlierComment.objects.get()
    assert comment.value == 20673 and comment.history.first().history_user == cell_reporter
    put(form, org.c1, NOW, "draft", luot_nguoi=30000)  # another value: unexplained again
    (again,) = outliers.outliers_of_submission(submission)
    assert again["is_explained"] is False


def test_it_keeps_the_explanation_of_the_value_typed_before_it_is_saved(form, org):
    steady(form, org.c1)
    put(form, org.c1, NOW, "draft", luot_nguoi=200)
    comment = explain(form, org.c1, value="20.673")
    assert comment.value == 20673


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"text": "  "}, "comment_required"),
        ({"text": "x" * 2001}, "comment_too_long"),
        ({"indicator_code": "ghi_chu"}, "invalid_indicator"),
        ({"option": "nu"}, "invalid_option"),
        ({"value": "abc"}, "invalid_value"),
    ],
)
def test_it_refuses_an_explanation_that_does_not_fit(form, org, kwargs, code):
    put(form, org.c1, NOW, "draft", luot_nguoi=20673)
    with pytest.raises(BadInput) as caught:
        services.explain_outlier(
            acting_user=SYSTEM,
            form=form,
            unit=org.c1,
            period_id=NOW,
            **{"indicator_code": "luot_nguoi", "text": "vì", **kwargs},
        )
    assert caught.value.code == code
    assert not OutlierComment.objects.exists()


def test_it_refuses_an_explanation_of_an_empty_cell_or_a_locked_report(form, org):
    with pytest.raises(BadInput) as caught:
        explain(form, org.c1)
    assert caught.value.code == "no_value"
    put(form, org.c1, NOW, "submitted", luot_nguoi=20673)
    with pytest.raises(BadInput):
        explain(form, org.c1)
    assert not OutlierComment.objects.exists()


def test_it_refuses_an_explanation_from_outside_the_unit(form, org, personas):
    put(form, org.c2, NOW, "draft", luot_nguoi=20673)
    reporter_c1 = f.make_user("bcv1", unit=org.c1, role="reporter")
    with pytest.raises(PermissionDenied):
        explain(form, org.c2, acting_user=reporter_c1)
    assert not OutlierComment.objects.exists()


def test_it_generates_bounds_for_a_subtree_from_counted_history(form, org, personas):
    steady(form, org.c1)
    for period, value in zip(HISTORY, [100, 110, 90, 105, 95, 100], strict=True):
        put(form, org.c2, period, luot_nguoi=value)
    put(form, org.c2, HISTORY[-1], "draft", luot_nguoi=100000)  # a draft does not count
    result = services.generate_bounds(
        acting_user=personas.manager, form=form, root=org.d1, period_id=HISTORY[-1]
    )
    assert (result.created, result.updated, result.kept) == (2, 0, 0)
    c1 = ValueBounds.objects.get(unit=org.c1)
    assert (c1.low, c1.high, c1.is_generated) == (165, 235, True)
    assert c1.basis == "modified_z, 2019S1..2021S2"
    assert c1.history.first().history_user == personas.manager
    c2 = ValueBounds.objects.get(unit=org.c2)
    assert c2.low < 90 and 110 < c2.high < 1000


def test_it_regenerates_generated_bounds_and_keeps_edited_ones_unless_asked(form, org):
    steady(form, org.c1)
    steady(form, org.c2)
    services.generate_bounds(acting_user=SYSTEM, form=form, root=org.d1, period_id=HISTORY[-1])
    indicator = Indicator.objects.get(code="luot_nguoi")
    services.set_bounds(acting_user=SYSTEM, unit=org.c1, indicator=indicator, low="0", high="1.000")
    again = services.generate_bounds(
        acting_user=SYSTEM, form=form, root=org.d1, period_id=HISTORY[-1], method=Method.Z
    )
    assert (again.created, again.updated, again.kept) == (0, 1, 1)
    assert ValueBounds.objects.get(unit=org.c1).high == 1000
    assert ValueBounds.objects.get(unit=org.c2).basis.startswith("z,")
    forced = services.generate_bounds(
        acting_user=SYSTEM, form=form, root=org.d1, period_id=HISTORY[-1], replace_edited=True
    )
    assert forced.updated == 2
    assert ValueBounds.objects.get(unit=org.c1).high == 235


def test_it_generates_nothing_from_too_little_history(form, org):
    steady(form, org.c1, periods=HISTORY[:2])
    result = services.generate_bounds(
        acting_user=SYSTEM, form=form, root=org.d1, period_id=HISTORY[-1]
    )
    assert result.created == 0 and not ValueBounds.objects.exists()


@pytest.mark.parametrize(
    "low, high, code",
    [("10", "5", "invalid_bounds"), ("abc", None, "invalid_value"), ("1,5", None, "invalid_value")],
)
def test_it_refuses_bounds_that_do_not_fit(org, form, low, high, code):
    indicator = Indicator.objects.get(code="lop_da_mo")
    with pytest.raises(BadInput) as caught:
        services.set_bounds(
            acting_user=SYSTEM, unit=org.c1, indicator=indicator, low=low, high=high
        )
    assert caught.value.code == code
    assert not ValueBounds.objects.exists()


def test_it_removes_bounds_set_empty(org, form):
    indicator = Indicator.objects.get(code="lop_da_mo")
    services.set_bounds(acting_user=SYSTEM, unit=org.c1, indicator=indicator, low="1", high="9")
    assert ValueBounds.objects.get().is_generated is False
    services.set_bounds(acting_user=SYSTEM, unit=org.c1, indicator=indicator)
    assert not ValueBounds.objects.exists()


def test_a_counts_usual_range_reads_in_whole_numbers():
    """A count's usual range 204,42–318,58 reads "205–318": 319 is above it either way;
    one that holds no whole number keeps its nearest ones."""
    from trienkhai.reporting.outliers import whole_range

    assert whole_range(204.42, 318.58) == (205, 318)
    assert whole_range(204.2, 204.8) == (204, 205)
    assert whole_range(None, 3.5) == (None, 3.5)
