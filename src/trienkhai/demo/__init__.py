"""The demo dataset, built from the source documents' facts (shared/DOMAIN.md).

``load_demo`` is idempotent: running it again changes nothing.
"""

from collections.abc import Callable

from django.db import transaction

from trienkhai.common import actors
from trienkhai.demo import (
    chodon,
    chodon_activities,
    commendations,
    committees,
    contests,
    current,
    documents,
    drafting,
    interchange,
    notifications,
    people,
    registers,
    reporting,
    signing,
    vinh_thuan,
)
from trienkhai.orgs.kinds import ensure_standard_data


def load_demo(progress: Callable[[str], None] = lambda message: None) -> list[tuple[str, ...]]:
    """Load divisions, the Party bodies, the demo users and the reports; return the log-ins."""
    from trienkhai.orgs.divisions import import_divisions

    ensure_standard_data()
    progress("Đơn vị hành chính trước và sau 01/07/2025 / administrative divisions ...")
    import_divisions(acting_user=actors.DEMO, progress=progress)
    with transaction.atomic():
        progress("Huyện ủy Vĩnh Thuận và 42 chi, đảng bộ trực thuộc / Vĩnh Thuận Party bodies ...")
        vinh_thuan.load()
        progress("Huyện ủy Chợ Đồn và 32 chi, đảng bộ trực thuộc / Chợ Đồn Party bodies ...")
        chodon.load()
        progress("Mã định danh minh họa (tự đặt) / invented agency codes for edXML ...")
        interchange.load()
        progress("Tài khoản demo / demo users ...")
        logins = people.load()
        progress("Chỉ tiêu, biểu báo cáo và số liệu 2019–2021 / indicators, forms, figures ...")
        reporting.load()
        progress(
            "Sổ hoạt động Chợ Đồn 2019–2021: 12 lớp, 16 hội nghị, 20.673 lượt / "
            "Chợ Đồn's classes and conferences ..."
        )
        chodon_activities.load()
        progress(
            "Sổ đăng ký tu dưỡng, rèn luyện và 04 trang thông tin điện tử Vĩnh Thuận 2020 / "
            "pledges and official websites ..."
        )
        registers.load()
        progress(
            "Khen thưởng sơ kết 5 năm Kiên Giang 2023: Bằng khen 10 tập thể, 8 cá nhân; "
            "Giấy khen 9 / the 2023 commendations ..."
        )
        commendations.load()
        progress(
            "Cuộc thi viết Kiên Giang 2022: 6.450 bài, 2 vòng, 35 giám khảo, 16 giải, 21 bài "
            "gửi Trung ương / the 2022 writing contest ..."
        )
        logins += contests.load()
        progress("Văn bản: 35-NQ/TW, 92-KH/HU, 217-CV/HU và 42 kế hoạch trả lời / documents ...")
        documents.load()
        progress(
            "Ban Chỉ đạo 35 Chợ Đồn từ 28/8/2019; hội nghị sơ kết 6 tháng của Hoằng Hóa "
            "05/8/2021 / steering committees ..."
        )
        committees.load()
        progress(
            "Mẫu báo cáo và ba dự thảo (Vĩnh Thuận 2020, Chợ Đồn 2019–2021) / report drafts ..."
        )
        drafting.load()
        progress("Báo cáo quý từ 01/07/2025 đến hôm nay / this year's quarterly reports ...")
        current.load()
        reporting.name_sections_in_english()
    progress("Chứng thư số và con dấu thử nghiệm của BTGHU-VT, HU-VT / demo seals ...")
    signing.load()
    progress("Thông báo và nhắc hạn cho tài khoản demo / notifications and reminders ...")
    notifications.load()
    return logins
