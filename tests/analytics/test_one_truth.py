"""One truth (issue 12, §7): ``/api/v1/analytics``, ``/dhis2/api/analytics``, the pivot's
figures and a report's figures answer the same number for every value type and
aggregation and every status — a yes/no total counts the yes — on random data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.test_dhis2_datavalues import basic
from tests.conftest import ApiClient
from tests.factories import SYSTEM
from trienkhai.analytics import engine, selection
from trienkhai.reporting import services
from trienkhai.reporting.models import Submission
from trienkhai.reporting.periods import parse
from trienkhai.reporting.services import CellInput

TODAY = dt.date(2026, 3, 1)
KINDS = [
    # code, value type, aggregation
    ("dem", "integer", "sum"),
    ("co_khong", "boolean", "sum"),
    ("co_khong_tb", "boolean", "average"),
    ("diem", "decimal", "average"),
    ("ty_le", "percent", "max"),
    ("thap", "integer", "min"),
    ("cuoi", "integer", "last"),
]
CODES = [code for code, _, _ in KINDS]
UNITS = ["VN", "P1", "D1", "C1", "C2", "P2", "D2"]


@pytest.fixture
def kinds(org):
    made = [
        services.create_indicator(
            acting_user=SYSTEM,
            code=code,
            name=f"Chỉ tiêu {code}",
            value_type=value_type,
            aggregation=aggregation,
        )
        for code, value_type, aggregation in KINDS
    ]
    return services.create_form(
        acting_user=SYSTEM,
        code="MOT",
        name="Một sự thật",
        owner=org.root,
        period_type="sixmonthly",
        indicators=made,
        units=[org.p1, org.d1, org.c1, org.c2, org.p2, org.d2],
        valid_from=dt.date(2015, 1, 1),
    )


def _text(code: str, value: int) -> str:
    if code.startswith("co_khong"):
        return "true" if value % 2 else "false"
    if code == "diem":
        return f"{value}.25"
    return str(value)


reports = st.dictionaries(
    st.sampled_from(["P1", "D1", "C1", "C2", "D2"]),
    st.tuples(
        st.dictionaries(st.sampled_from(CODES), st.integers(0, 60), min_size=1),
        st.sampled_from(["draft", "submitted", "approved"]),
    ),
    min_size=1,
    max_size=5,
)


def _number(raw) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reports=reports, status=st.sampled_from(["all", "submitted", "approved"]))
def test_every_path_answers_the_engines_number(org, kinds, personas, reports, status):
    units = {u.code: u for u in (org.root, org.p1, org.d1, org.c1, org.c2, org.p2, org.d2)}
    with transaction.atomic():
        for code, (values, level) in reports.items():
            cells = [CellInput(k, _text(k, v)) for k, v in values.items()]
            services.save_values(
                acting_user=SYSTEM,
                form=kinds,
                unit=units[code],
                period_id="2020S1",
                cells=cells,
                today=TODAY,
            )
            if level != "draft":
                report = services.submit(
                    acting_user=SYSTEM, form=kinds, unit=units[code], period_id="2020S1"
                )
                if level == "approved":
                    services.approve(acting_user=SYSTEM, submission=report)
        cells = engine.rollup(indicators=CODES, periods=["2020S1"], units=UNITS, status=status)
        truth = {(c.indicator, c.unit): c.value for c in cells}
        yes = [reports[u][0]["co_khong"] % 2 for u in reports if "co_khong" in reports[u][0]]
        if status == "all" and yes:  # a yes/no total counts the yes
            assert truth[("co_khong", "VN")] == sum(yes)

        rows = ApiClient(personas.admin).get(
            "analytics", indicator=CODES, period="2020S1", unit=UNITS, status=status
        )
        api = {(r["indicator"], r["unit"]): _number(r["value"]) for r in rows.json()["rows"]}
        assert api == truth

        answer = Client().get(
            "/dhis2/api/analytics",
            [
                ("dimension", f"dx:{';'.join(CODES)}"),
                ("dimension", "pe:2020S1"),
                ("dimension", f"ou:{';'.join(UNITS)}"),
                ("status", status),
            ],
            **basic(personas.admin),
        )
        assert answer.status_code == 200, answer.content
        dhis2 = {(dx, ou): Decimal(value) for dx, _, ou, value in answer.json()["rows"]}
        assert dhis2 == {key: value for key, value in truth.items() if value is not None}

        chosen = selection.resolve(
            personas.admin,
            unit=org.root,
            level=0,
            indicators=CODES,
            periods=[parse("2020S1")],
            as_of=None,
            status=status,
        )
        pivot = selection.figures(chosen)
        assert {(k[0], k[3]): v for k, v in pivot.items() if k[1] == ""} == {
            key: value for key, value in truth.items() if key[1] == "VN"
        }
        assert Submission.objects.filter(form=kinds).count() == len(reports)
        transaction.set_rollback(True)
