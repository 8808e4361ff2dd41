"""Outliers in the demo: bounds the managers set, outliers explained and one not, and a
value marked for follow-up.

The manager of Huyện ủy Vĩnh Thuận (``quanly``) expects 10–40 posts a half-year on the
Ban Tuyên giáo's page, 60–90 on the district's portal and 100–200 attendances at Vĩnh
Bình Bắc's study sessions; the 2020S2 figures exceed all three, so ``GET
/api/v1/outliers?form=BC35-VT-6T&unit=HU-VT&period=2020S2`` lists three outliers: the
two pages explained by their units (giải trình), Vĩnh Bình Bắc's not. The approved
posts of the Ban Tuyên giáo are also marked for follow-up: the list of posts is asked
for the year's file.

Chợ Đồn's classes, conferences and attendances are counted from its register of
activities (demo/chodon_activities.py), not typed: a counted figure has no bounds
(decision 0039), so Chợ Đồn has no outliers here; the 8 online conferences of 2021
(the study of the XIII Congress's resolution went online) read in the register itself.

Nothing here changes a figure: the totals of shared/DOMAIN.md stay as they are.
Idempotent: the bounds and the explanations are set, not added; the follow-up mark is
made once.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from trienkhai.accounts.models import User
from trienkhai.demo import people
from trienkhai.orgs.models import Unit
from trienkhai.reporting import services
from trienkhai.reporting.models import (
    CellMark,
    DataValue,
    Form,
    Indicator,
    OutlierComment,
    Submission,
)
from trienkhai.reporting.services import MarkInput

BOUNDS = [
    # manager, unit, indicator, low, high
    ("quanly", "CB-VT-06", "tin_bai_chinh_thuc", 10, 40),
    ("quanly", "CB-VT-10", "tin_bai_chinh_thuc", 60, 90),
    ("quanly", "DU-VT-31060", "luot_tham_gia", 100, 200),
]
EXPLAINED = [
    # unit, indicator, period, when, the unit's explanation
    (
        "CB-VT-06",
        "tin_bai_chinh_thuc",
        "2020S2",
        dt.date(2020, 12, 20),
        "Sáu tháng cuối năm, trang tuyengiaovinhthuan.vn đăng thêm loạt tin chuyên đề "
        "học tập Nghị quyết 35-NQ/TW và đấu tranh phản bác quan điểm sai trái.",
    ),
    (
        "CB-VT-10",
        "tin_bai_chinh_thuc",
        "2020S2",
        dt.date(2020, 12, 22),
        "Cổng thông tin điện tử huyện đăng thêm tin, bài tuyên truyền Đại hội đại biểu "
        "Đảng bộ huyện lần thứ XII, nhiệm kỳ 2020 - 2025 và chào mừng Đại hội XIII của Đảng.",
    ),
]
FOLLOW_UP = (
    "BC35-VT-6T",
    "CB-VT-06",
    "2020S2",
    dt.date(2021, 1, 20),
    MarkInput(
        "tin_bai_chinh_thuc",
        note="Đề nghị gửi kèm danh mục các tin, bài đã đăng để lưu hồ sơ sơ kết năm 2020.",
    ),
)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=timezone.get_current_timezone())


def load() -> None:
    for username, unit_code, code, low, high in BOUNDS:
        services.set_bounds(
            acting_user=User.objects.get(username=username),
            unit=Unit.objects.get(code=unit_code),
            indicator=Indicator.objects.get(code=code),
            low=str(low),
            high=str(high),
        )
    for unit_code, code, period, day, text in EXPLAINED:
        unit, indicator = Unit.objects.get(code=unit_code), Indicator.objects.get(code=code)
        value = DataValue.objects.get(unit=unit, indicator=indicator, option="", period=period)
        # The reports are approved (locked) in the replayed history: the explanation the
        # unit gave while entering is written as it was, not through the entry service.
        # Its author is the unit's reporter, who has no demo log-in.
        OutlierComment.objects.update_or_create(
            unit=unit,
            indicator=indicator,
            option="",
            period=period,
            defaults={
                "value": value.value_number or Decimal(0),
                "text": text,
                "created": _at(day),
                "created_by": None,
            },
        )
    form_code, unit_code, period, day, cell = FOLLOW_UP
    submission = Submission.objects.get(
        form=Form.objects.get(code=form_code), unit__code=unit_code, period=period
    )
    if not submission.marks.filter(kind=CellMark.Kind.FOLLOW_UP).exists():
        marks = services.mark_for_follow_up(
            acting_user=people.manager_of(submission.form.owner),
            submission=submission,
            cells=[cell],
        )
        CellMark.objects.filter(pk__in=[m.pk for m in marks]).update(
            created=_at(day), modified=_at(day)
        )
