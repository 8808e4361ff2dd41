"""The report templates, and three drafts generated from the demo's figures.

- Vĩnh Thuận, 6 tháng đầu năm 2020 (``so-ket-6-thang``, figures of Huyện ủy Vĩnh Thuận
  HU-VT, issued by its Ban Tuyên giáo BTGHU-VT, answering Công văn 217-CV/HU): to be read
  beside Báo cáo 04-BC/BTGHU (shared/seeds/000). The narrative is edited the way the
  Board wrote it; every number (42/42, 04 websites, 20 club members, 2.073 pledges) is
  the engine's. The paragraph of the original about correcting individual members is
  left out: trienkhai records the organisation's work, not assessments of people.
- Vĩnh Thuận, 6 tháng cuối năm 2020 (the same template, drafted on 08/01/2021 before
  every report was in): its preview lists the four reports its approved figures leave
  out: Chi bộ Bảo hiểm xã hội huyện has none, Đảng ủy xã Tân Thuận's was returned with
  marked cells, two cells' wait for approval; issuing it asks to confirm them.
- Chợ Đồn, giai đoạn 2019 - 2021 (``so-ket-nhieu-nam``, HU-CD): 12 classes, 04 study
  conferences, 12 online conferences, 20.673 attendances, 612 posts (seeds/003).

All stay drafts: 04-BC/BTGHU is already in the register (demo/documents.py), so
issuing the regenerated one from the page takes the next number, 05.
Idempotent: a draft that exists is left as it is.
"""

import datetime as dt

from trienkhai.common.actors import DEMO
from trienkhai.drafting import catalogue, services
from trienkhai.drafting.models import Report, ReportTemplate
from trienkhai.orgs.models import Unit

VT_TITLE = (
    "kết quả đẩy mạnh việc thực hiện chuyên đề năm 2020 và tăng cường ý thức, trách nhiệm "
    "của cấp ủy, cơ quan, đơn vị, cán bộ, đảng viên"
)
VT_NARRATIVE = {
    "1.1": "Thực hiện {chi_dao} {chi_dao_trich_yeu}; Sự chỉ đạo triển khai thực hiện của Ban "
    "Thường vụ Huyện ủy. Ban Tuyên giáo Huyện ủy báo cáo kết quả như sau:",
    "2.1": "Sau khi xây dựng Kế hoạch số 92-KH/HU, ngày 03-3-2020 của Ban Thường vụ Huyện ủy về "
    "việc triển khai, thực hiện Chuyên đề năm 2020 “Tăng cường khối đại đoàn kết toàn dân tộc, "
    "xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh theo tư tưởng, đạo đức, phong "
    "cách Hồ Chí Minh”, Ban Thường vụ Huyện ủy ban hành {chi_dao}. Các chi, đảng ủy trực thuộc "
    "đã ban hành {so_van_ban} kế hoạch, văn bản tổ chức thực hiện.",
    "3.2": "Các chi, đảng ủy có xây dựng kế hoạch thực hiện chuyên đề năm 2020 gửi về Ban Tuyên "
    "giáo lưu trữ. Từng đảng viên tại các chi, đảng ủy đều viết bản đăng ký tu dưỡng, rèn luyện "
    "thực hiện chuyên đề năm 2020 ({so_ban_dang_ky} bản, {ty_le_dang_ky}% số đảng viên) lưu tại "
    "chi bộ, viết đúng theo hướng dẫn và nộp đúng thời gian quy định.",
    "3.4": "Nhận thức, tinh thần trách nhiệm và vai trò nêu gương của người đứng đầu cấp ủy, thủ "
    "trưởng các cơ quan, đơn vị và cán bộ, đảng viên được nâng lên một bước. Trong {period}, các "
    "chi, đảng ủy tổ chức {so_hoi_nghi} hội nghị học tập, quán triệt với {so_luot} lượt cán bộ, "
    "đảng viên tham gia.",
    "3.7": "Toàn huyện hiện có {so_trang:02} trang thông tin điện tử do huyện quản lý (Ban Tuyên "
    "giáo Huyện ủy, Ủy ban nhân dân huyện, Công an huyện, xã Vĩnh Bình Bắc), đã đăng {so_tin_bai} "
    "tin, bài. Bên cạnh đó, chỉ đạo xây dựng Câu lạc bộ lý luận Chính trị huyện Vĩnh Thuận với "
    "{so_thanh_vien_clb} thành viên, thường xuyên tổ chức sinh hoạt với nhiều chủ đề thiết thực "
    "nhằm chia sẻ, tuyên truyền các thông tin tích cực, chính thống.",
    "6.1": "Trên đây là báo cáo về đẩy mạnh việc thực hiện chuyên đề năm 2020 của Ban Tuyên giáo "
    "Huyện ủy./.",
}


def load() -> None:
    catalogue.load_templates()
    templates = {t.code: t for t in ReportTemplate.objects.all()}
    units = {u.code: u for u in Unit.objects.filter(code__in=["HU-VT", "BTGHU-VT", "HU-CD"])}
    if not Report.objects.filter(unit=units["HU-VT"], period="2020S1").exists():
        report = services.create_report(
            acting_user=DEMO,
            template=templates["so-ket-6-thang"],
            unit=units["HU-VT"],
            issuer=units["BTGHU-VT"],
            period="2020S1",
            date=dt.date(2020, 12, 10),
        )
        services.update_report(
            acting_user=DEMO, report=report, narrative=VT_NARRATIVE, title=VT_TITLE
        )
    if not Report.objects.filter(unit=units["HU-VT"], period="2020S2").exists():
        services.create_report(
            acting_user=DEMO,
            template=templates["so-ket-6-thang"],
            unit=units["HU-VT"],
            issuer=units["BTGHU-VT"],
            period="2020S2",
            date=dt.date(2021, 1, 8),
        )
    if not Report.objects.filter(unit=units["HU-CD"], period="2019..2021").exists():
        services.create_report(
            acting_user=DEMO,
            template=templates["so-ket-nhieu-nam"],
            unit=units["HU-CD"],
            period="2019..2021",
            date=dt.date(2022, 1, 20),
        )
