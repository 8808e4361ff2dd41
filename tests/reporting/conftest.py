"""A form for the Vĩnh Thuận-like test organisation: two cells report half-yearly."""

import datetime as dt

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.activities import figures
from trienkhai.reporting import services
from trienkhai.reporting.models import Disaggregation, Indicator, ValidationRule


@pytest.fixture
def audience(db):
    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng", name_en="Audience")
    for order, (code, name) in enumerate(
        [
            ("bao_cao_vien", "Báo cáo viên"),
            ("can_bo", "Cán bộ"),
            ("dang_vien", "Đảng viên"),
            ("doan_vien", "Đoàn viên"),
            ("hoi_vien", "Hội viên"),
            ("nhan_dan", "Nhân dân"),
        ]
    ):
        groups.options.create(code=code, name=name, sort_order=order)
    return groups


@pytest.fixture
def form(org, audience):
    """Form HK (half-yearly, deadline 10 days) reported by C1 and C2, owned by D1."""
    make = services.create_indicator
    planned = make(acting_user=SYSTEM, code="lop_ke_hoach", name="Số lớp kế hoạch")
    held = make(
        acting_user=SYSTEM, code="lop_da_mo", name="Số lớp đã mở", min_value=0, max_value=50
    )
    total = make(acting_user=SYSTEM, code="luot_nguoi", name="Lượt người tham gia")
    groups = make(
        acting_user=SYSTEM,
        code="luot_nguoi_doi_tuong",
        name="Lượt người theo đối tượng",
        disaggregation=audience,
    )
    note = make(
        acting_user=SYSTEM, code="ghi_chu", name="Ghi chú", value_type="text", aggregation="none"
    )
    per_class = make(
        acting_user=SYSTEM,
        code="binh_quan_lop",
        name="Bình quân mỗi lớp",
        value_type="decimal",
        aggregation="average",
        formula="luot_nguoi / lop_da_mo",
    )
    hk = services.create_form(
        acting_user=SYSTEM,
        code="HK",
        name="Báo cáo 6 tháng",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[planned, held, total, groups, note, per_class],
        units=[org.c1, org.c2],
        deadline_days=10,
        valid_from=dt.date(2019, 1, 1),
    )
    ValidationRule.objects.create(
        form=hk,
        left="lop_da_mo",
        operator="<=",
        right="lop_ke_hoach",
        message="Số lớp đã mở không vượt kế hoạch",
    )
    ValidationRule.objects.create(
        form=hk,
        left="luot_nguoi_doi_tuong",
        operator="==",
        right="luot_nguoi",
        message="Tổng các đối tượng bằng tổng lượt người",
    )
    return hk


@pytest.fixture
def cell_reporter(org):
    return f.make_user("bcv", unit=org.c1, role="reporter")


@pytest.fixture
def activity_form(org, audience):
    """Form HD (half-yearly) of C1 and C2: a count typed, a yes/no typed, and two figures
    counted from the activity registers (one split by audience group)."""
    figures.ensure_indicators()
    Indicator.objects.filter(code="act_attendances").update(disaggregation=audience)
    make = services.create_indicator
    typed = make(acting_user=SYSTEM, code="so_bai", name="Số bài viết", name_en="Articles")
    done = make(
        acting_user=SYSTEM,
        code="co_ke_hoach",
        name="Đã ban hành kế hoạch",
        name_en="Plan issued",
        value_type="boolean",
        aggregation="none",
    )
    counted = list(Indicator.objects.filter(code__in=["act_classes", "act_attendances"]))
    return services.create_form(
        acting_user=SYSTEM,
        code="HD",
        name="Báo cáo hoạt động 6 tháng",
        name_en="Half-year activity report",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[typed, done, *sorted(counted, key=lambda i: i.code != "act_classes")],
        units=[org.c1, org.c2],
        valid_from=dt.date(2019, 1, 1),
    )
