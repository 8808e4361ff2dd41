"""A form that every unit of the test organisation reports, one indicator per rule.

Values are written through ``reporting.services.save_values`` (the real write path, so
the live rollups receive them exactly as in production).
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation
from trienkhai.reporting.services import CellInput

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def sex(db):
    groups = Disaggregation.objects.create(code="gioi_tinh", name="Giới tính", name_en="Sex")
    groups.options.create(code="nam", name="Nam", sort_order=1)
    groups.options.create(code="nu", name="Nữ", sort_order=2)
    return groups


INDICATORS = [
    # code, aggregation, parent_figure, options?, formula
    ("lop", "sum", "add", False, ""),
    ("ke_hoach", "sum", "add", False, ""),
    ("nguoi", "sum", "add", True, ""),
    ("diem", "average", "add", False, ""),
    ("thap", "min", "add", False, ""),
    ("cao", "max", "add", False, ""),
    ("dang_vien", "last", "add", False, ""),
    ("ghi", "none", "add", False, ""),
    ("bao_cao", "sum", "replace", False, ""),
    ("ty_le", "average", "add", False, "lop * 100 / ke_hoach"),
    ("nu_moi_lop", "sum", "add", False, 'option(nguoi, "nu") / lop'),
]


@pytest.fixture
def figures(org, sex):
    """Form AN (half-yearly), owned by the root, reported by every unit of ``org``."""
    made = []
    for code, aggregation, parent_figure, split, formula in INDICATORS:
        made.append(
            services.create_indicator(
                acting_user=SYSTEM,
                code=code,
                name=f"Chỉ tiêu {code}",
                value_type="decimal",
                aggregation=aggregation,
                parent_figure=parent_figure,
                disaggregation=sex if split else None,
                formula=formula,
            )
        )
    return services.create_form(
        acting_user=SYSTEM,
        code="AN",
        name="Biểu phân tích",
        owner=org.root,
        period_type="sixmonthly",
        indicators=made,
        units=[org.p1, org.d1, org.c1, org.c2, org.p2, org.d2],
        valid_from=dt.date(2015, 1, 1),
    )


@pytest.fixture
def put(figures):
    """put(unit, period, lop=3, nguoi__nu=2, ...): save values as the unit's reporter would."""

    def save(unit, period, **values):
        cells = []
        for key, value in values.items():
            code, _, option = key.partition("__")
            text = "" if value is None else str(value)
            cells.append(CellInput(indicator=code, option=option, value=text))
        services.save_values(
            acting_user=SYSTEM, form=figures, unit=unit, period_id=period, cells=cells, today=TODAY
        )

    return save


def D(text) -> Decimal:
    return Decimal(str(text))


def assert_live_matches_scratch(periods, indicators=None, statuses=("all",)):
    """Every unit's totals from the live tables equal a recomputation from the values,
    for each of ``statuses`` (the review levels counted)."""
    from trienkhai.analytics import engine, rebuild
    from trienkhai.orgs.models import Unit
    from trienkhai.reporting.models import Indicator

    codes = indicators or list(Indicator.objects.values_list("code", flat=True))
    units = list(Unit.objects.values_list("code", flat=True))
    found = {}
    for status in statuses:
        request = engine.prepare(codes, periods, units, True, status=status)
        scratch = engine.cells(request, engine.scratch_totals(request))
        # As a reader finds them (from the values while a reorganisation is not folded
        # in), then after the refresh that runs outside the request: the live tables.
        for refreshed in (False, True):
            if refreshed:
                rebuild.refresh()
                assert not rebuild.is_stale()
            live = engine.cells(request, engine.live_totals(request))
            differ = [(a, b.value) for a, b in zip(live, scratch, strict=True) if a != b]
            assert not differ, (status, refreshed, differ[:10])
        found[status] = live
    return found[statuses[0]] if len(statuses) == 1 else found


def submit_all(form):
    """Submit every report of ``form`` still open: analytics count submitted figures by
    default (decision 0020), and these tests are about what the answers show."""
    from trienkhai.reporting.models import Submission

    open_ = Submission.objects.filter(form=form).exclude(status__in=["submitted", "approved"])
    for report in open_.select_related("unit"):
        services.submit(
            acting_user=SYSTEM, form=form, unit=report.unit, period_id=report.period, today=TODAY
        )
