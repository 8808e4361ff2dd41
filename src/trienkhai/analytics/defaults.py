"""Saved views: links that open the analytics pages on meaningful figures.

Shown when a page opens without filters, each only if its unit and indicators exist and
the user may view the unit (the demo's Vĩnh Thuận and Chợ Đồn forms; an installation
without them simply shows none).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts import policy
from trienkhai.orgs.kinds import ROOT_CODE
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import Indicator

VT_INDICATORS = ["luot_tham_gia", "so_dang_vien", "ban_dang_ky_tu_duong", "tin_bai_chinh_thuc"]
CD_INDICATORS = [
    # Chợ Đồn's classes, conferences and attendances are counted from its register of
    # activities (decision 0039); its posts are typed.
    "act_classes",
    "act_study_conferences",
    "act_online_conferences",
    "act_attendances",
    "tin_bai_chinh_thuc",
]


@dataclass(frozen=True)
class Preset:
    title: object
    page: str
    unit: str
    params: dict

    def url(self) -> str:
        query = {"don_vi": self.unit, **self.params}
        return f"{reverse(self.page)}?{urlencode(query, doseq=True)}"

    def indicators(self) -> list[str]:
        return list(self.params.get("chi_tieu", []))


PRESETS = [
    Preset(
        _("Vĩnh Thuận, 6 tháng 2020: 42 chi, đảng bộ trực thuộc theo kỳ"),
        "analytics:pivot",
        "HU-VT",
        {
            "chi_tieu": ["luot_tham_gia"],
            "ky": "2020S1..2020S2",
            "cap": 1,
            "hang": "unit",
            "cot": "period",
        },
    ),
    Preset(
        _("Vĩnh Thuận 2020: các chỉ tiêu, toàn huyện, theo kỳ"),
        "analytics:pivot",
        "HU-VT",
        {
            "chi_tieu": VT_INDICATORS,
            "ky": "2020S1..2020S2",
            "cap": 0,
            "hang": "indicator",
            "cot": "period",
        },
    ),
    Preset(
        _("Chợ Đồn 2019–2021: lớp, hội nghị, lượt người tham gia (tổng 20.673), tin bài"),
        "analytics:pivot",
        "HU-CD",
        {
            "chi_tieu": CD_INDICATORS,
            "ky": "2019..2021",
            "cap": 0,
            "hang": "indicator",
            "cot": "period",
        },
    ),
    Preset(
        _("Chợ Đồn: lượt người tham gia theo đối tượng, 2019–2021"),
        "analytics:pivot",
        "HU-CD",
        {
            "chi_tieu": ["act_attendances"],
            "ky": "2019..2021",
            "cap": 0,
            "hang": "option",
            "cot": "period",
        },
    ),
    Preset(
        _("So sánh: Chợ Đồn năm 2021 với năm 2020"),
        "analytics:compare",
        "HU-CD",
        {"chi_tieu": CD_INDICATORS, "ky": "2021", "so_voi": "2020", "cap": 0},
    ),
    Preset(
        _("So sánh: Vĩnh Thuận 6 tháng cuối với 6 tháng đầu năm 2020, theo đơn vị"),
        "analytics:compare",
        "HU-VT",
        {"chi_tieu": ["luot_tham_gia"], "ky": "2020S2", "so_voi": "2020S1", "cap": 1},
    ),
    Preset(
        _("Biểu đồ đường: Chợ Đồn 2019–2021"),
        "analytics:chart",
        "HU-CD",
        {"chi_tieu": ["act_attendances"], "ky": "2019..2021", "cap": 0, "loai": "duong"},
    ),
    Preset(
        _("Biểu đồ cột: lượt người tham gia, các đơn vị Vĩnh Thuận, 6 tháng đầu năm 2020"),
        "analytics:chart",
        "HU-VT",
        {"chi_tieu": ["luot_tham_gia"], "ky": "2020S1", "cap": 1, "loai": "cot"},
    ),
    Preset(
        _("Bản đồ 63 tỉnh, thành phố: lượt người tham gia năm 2020"),
        "analytics:map",
        ROOT_CODE,
        {"chi_tieu": ["luot_tham_gia"], "ky": "2020", "cap": 1},
    ),
    Preset(
        _("Bản đồ 34 tỉnh, thành phố (cơ cấu ngày 01/07/2025): lượt người tham gia 2019–2021"),
        "analytics:map",
        ROOT_CODE,
        {"chi_tieu": ["luot_tham_gia"], "ky": "2019..2021", "cap": 1, "ngay": "01/07/2025"},
    ),
    Preset(
        _("Sơ đồ ô: lượt người tham gia, các đơn vị Vĩnh Thuận, năm 2020"),
        "analytics:map",
        "HU-VT",
        {"chi_tieu": ["luot_tham_gia"], "ky": "2020", "cap": 1},
    ),
]


def presets(user, page: str | None = None) -> list[Preset]:
    """The saved views whose unit and indicators exist and whose unit ``user`` may view."""
    units = {u.code: u for u in Unit.objects.filter(code__in={p.unit for p in PRESETS})}
    known = set(
        Indicator.objects.filter(code__in={c for p in PRESETS for c in p.indicators()}).values_list(
            "code", flat=True
        )
    )
    allowed = {u.code for u in policy.allowed(user, policy.Action.VIEW, units.values())}
    return [
        p
        for p in PRESETS
        if p.unit in allowed and set(p.indicators()) <= known and (page is None or p.page == page)
    ]


def initial(user) -> dict:
    """The form's starting values: the first unit the user holds a role at, level 1."""
    roles = policy.role_unit_ids(user)
    unit = Unit.objects.filter(pk__in=roles).order_by("code").first() if roles else None
    return {"don_vi": unit.code if unit else ROOT_CODE, "cap": 1, "hang": "unit", "cot": "period"}
