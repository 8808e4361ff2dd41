"""Outliers in the Vĩnh Thuận demo: bounds a manager set, one outlier explained, one not.

The manager of Huyện ủy Vĩnh Thuận (``quanly``) expects 10–40 posts a half-year on
the Ban Tuyên giáo's page and 100–200 attendances at Vĩnh Bình Bắc's study sessions;
the 2020 figures exceed both, so ``GET /api/v1/outliers?form=BC35-VT-6T&unit=HU-VT&
period=2020S2`` lists two outliers: the first explained by its unit, the second not.
Idempotent: the bounds and the explanation are set, not added.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from trienkhai.accounts.models import User
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
from trienkhai.reporting.models import DataValue, Indicator, OutlierComment

BOUNDS = [
    # unit, indicator, low, high
    ("CB-VT-06", "tin_bai_chinh_thuc", 10, 40),
    ("DU-VT-31060", "luot_tham_gia", 100, 200),
]
EXPLAINED = (
    "CB-VT-06",
    "tin_bai_chinh_thuc",
    "2020S2",
    "Sáu tháng cuối năm, trang tuyengiaovinhthuan.vn đăng thêm loạt tin chuyên đề "
    "học tập Nghị quyết 35-NQ/TW và đấu tranh phản bác quan điểm sai trái.",
)


def load() -> None:
    manager = User.objects.get(username="quanly")
    for unit_code, code, low, high in BOUNDS:
        services.set_bounds(
            acting_user=manager,
            unit=Unit.objects.get(code=unit_code),
            indicator=Indicator.objects.get(code=code),
            low=str(low),
            high=str(high),
        )
    unit_code, code, period, text = EXPLAINED
    unit, indicator = Unit.objects.get(code=unit_code), Indicator.objects.get(code=code)
    value = DataValue.objects.get(unit=unit, indicator=indicator, option="", period=period)
    # The report is approved (locked) in the replayed history: the explanation given
    # while it was being entered is written as it was, not through the entry service.
    OutlierComment.objects.update_or_create(
        unit=unit,
        indicator=indicator,
        option="",
        period=period,
        defaults={
            "value": value.value_number or Decimal(0),
            "text": text,
            "created": dt.datetime(2020, 12, 20, 9, tzinfo=timezone.get_current_timezone()),
            "created_by": manager,
        },
    )
