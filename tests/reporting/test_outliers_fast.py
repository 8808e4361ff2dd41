"""The vectorised screen (reporting/outliers/fast.py) against the plain judgement: on
random data, ``judge_subtree`` and the data-quality page's ``span_findings`` find
exactly what judging every value in Python finds (``reference=True``), and count the
same values left unjudged for too little history."""

import random
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as f
from trienkhai.reporting import outliers, quality
from trienkhai.reporting.models import DataValue, Indicator, Submission, ValueBounds
from trienkhai.reporting.outliers import Method

PERIODS = ["2019S1", "2019S2", "2020S1", "2020S2", "2021S1", "2021S2", "2022S1", "2022S2"]
STATUSES = ["approved"] * 4 + ["submitted"] * 2 + ["draft", "returned"]


@pytest.fixture
def place(org):
    """D1's communes C2–C5 beside its town C1, a district D3 beside D1 with a commune."""
    made = [f.make_unit(f"C{n}", parent=org.d1) for n in range(3, 6)]
    d3 = f.make_unit("D3", kind_code="district", parent=org.p1)
    return [org.c1, org.c2, *made, d3, f.make_unit("C7", parent=d3), org.d1]


def _cells(form):
    codes = ["lop_ke_hoach", "lop_da_mo", "luot_nguoi", "luot_nguoi_doi_tuong"]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return [(indicators[c], o) for c in codes[:3] for o in [""]] + [
        (indicators["luot_nguoi_doi_tuong"], o) for o in ("can_bo", "nhan_dan")
    ]


def _value(rng: random.Random, base: float, flat: bool) -> Decimal | None:
    """A value of a cell: often its base itself in a ``flat`` cell (a MAD of 0 then),
    else around it; sometimes none, a usual suspect, four decimals or a wild one."""
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.15:
        return Decimal(rng.choice([0, 1, 2, 200, 210, 20673]))
    if roll < 0.25:
        return Decimal(f"{base * rng.uniform(0.9, 1.1):.4f}")
    if roll < 0.3:
        return Decimal(int(base * rng.choice([20, 0.05, 3])))
    if flat and roll < 0.9:
        return Decimal(int(base))
    return Decimal(round(rng.gauss(base, base * 0.1 + 1)))


def _fill(form, units, seed: int) -> None:
    rng = random.Random(seed)
    values, reports, bounds = [], [], []
    for unit in units:
        for period in PERIODS:
            if rng.random() < 0.9:
                reports.append(
                    Submission(form=form, unit=unit, period=period, status=rng.choice(STATUSES))
                )
        for indicator, option in _cells(form):
            base, flat = rng.choice([0, 3, 40, 200, 5000]), rng.random() < 0.4
            for period in PERIODS:
                number = _value(rng, base, flat)
                if number is not None:
                    values.append(
                        DataValue(
                            indicator=indicator,
                            option=option,
                            unit=unit,
                            period=period,
                            value_number=number,
                        )
                    )
            if rng.random() < 0.2:
                low = rng.choice([None, Decimal(0), Decimal(base // 2)])
                high = rng.choice([None, Decimal(base + 5)])
                bounds.append(
                    ValueBounds(unit=unit, indicator=indicator, option=option, low=low, high=high)
                )
    Submission.objects.bulk_create(reports)
    DataValue.objects.bulk_create(values)
    ValueBounds.objects.bulk_create(bounds)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_it_finds_fast_exactly_what_judging_each_value_finds(form, org, place, seed):
    """GIVEN random values (ties, decimals, wild ones, gaps), statuses and bounds of a
    town and communes, a district beside theirs and its commune
    WHEN a subtree's outliers are judged through the screen and value by value, for a
    period and over a span, by the modified z-score and the z-score
    THEN both find the same outliers: unit, cell, period, value, range, method, score."""
    with transaction.atomic():
        _fill(form, place, seed)
        span = quality.span_of(form, "2021S2", "2022S2")
        found = 0
        for method in (Method.MODIFIED_Z, Method.Z):
            for root in (org.p1, org.d1):  # siblings beside: P2, then D3
                fast = outliers.subtree_findings(form, root, span[-1], method=method)
                plain = outliers.subtree_findings(
                    form, root, span[-1], method=method, reference=True
                )
                assert fast == plain
                found += len(plain[0])
            for root in (org.d1, org.c2):
                fast_span = outliers.span_read(form, root, span, method=method)
                plain_span = outliers.span_read(form, root, span, method=method, reference=True)
                assert fast_span == plain_span  # and the values too little history judged
                found += len(plain_span.findings)
        assert found  # the data makes outliers to compare, not two empty lists
        transaction.set_rollback(True)
