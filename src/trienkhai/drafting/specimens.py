"""Specimen documents for each profile: what the tests check and the benchmark times.

``specimen("party")`` is the header of the Vĩnh Thuận report of 2020 (Số 04-BC/BTGHU)
with a short body; ``specimen(profile, paragraphs=…, tables=…, charts=…)`` makes it as
long as wanted. The figures are invented; the shapes are those of the real reports.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from trienkhai.drafting.layout import (
    Block,
    Figure,
    FormalDocument,
    Heading,
    Paragraph,
    Run,
    Signature,
    Table,
)

UNITS = [
    "Chi bộ Vĩnh Bình Bắc",
    "Chi bộ Vĩnh Bình Nam",
    "Chi bộ Vĩnh Phong",
    "Chi bộ Vĩnh Thuận",
    "Đảng ủy thị trấn Vĩnh Thuận",
    "Chi bộ Tân Thuận",
    "Chi bộ Bình Minh",
    "Chi bộ Phong Đông",
]
NARRATIVE = (
    "Nhận thức, tinh thần trách nhiệm và vai trò nêu gương của người đứng đầu cấp ủy, thủ "
    "trưởng các cơ quan, đơn vị và cán bộ, đảng viên được nâng lên một bước. Các chi, đảng ủy "
    "có xây dựng kế hoạch thực hiện chuyên đề năm 2020 gửi về Ban Tuyên giáo lưu trữ; từng "
    "đảng viên đều viết bản đăng ký tu dưỡng, rèn luyện, nộp đúng thời gian quy định."
)


def bar_chart_svg(title: str, labels: list[str], values: list[float]) -> bytes:
    """A plain bar chart as SVG, the shape the report templates hand to the renderer."""
    width, height, left, bottom = 640, 320, 50, 260
    top = max(values) or 1
    step = (width - left - 20) / len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Serif" font-size="13">',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="16" '
        f'font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="black"/>',
    ]
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = (bottom - 40) * value / top
        x = left + n * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="#2f5f8f"/>'
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{bottom - bar - 4:.1f}" '
            f'text-anchor="middle">{value:g}</text>'
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'font-size="10">{escape(label.split()[-1])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts).encode()


def _table(n: int) -> Table:
    rows: list[list[str | int | float | None]] = [
        [unit, 20 + 7 * i + n, 18 + 5 * i, round(100 * (18 + 5 * i) / (20 + 7 * i + n), 1)]
        for i, unit in enumerate(UNITS)
    ]
    return Table(
        header=["Đơn vị", "Đảng viên", "Đã đăng ký", "Tỷ lệ (%)"],
        rows=rows,
        totals=[
            "Tổng cộng",
            sum(int(r[1] or 0) for r in rows),
            sum(int(r[2] or 0) for r in rows),
            None,
        ],
        caption=f"Biểu {n}. Kết quả đăng ký tu dưỡng, rèn luyện",
        widths=[3, 1, 1, 1],
    )


def specimen(
    profile: str = "party",
    *,
    paragraphs: int = 2,
    tables: int = 0,
    charts: int = 0,
    number: int | None = 4,
) -> FormalDocument:
    """A report in ``profile`` with that many narrative paragraphs, tables and charts."""
    party = profile != "state"
    body: list[Block] = [
        Paragraph(
            "Thực hiện công văn số 217-CV/HU, ngày 02-6-2020 của Huyện ủy về đẩy mạnh việc "
            "thực hiện chuyên đề năm 2020. Ban Tuyên giáo Huyện ủy báo cáo kết quả như sau:"
        ),
        Heading("I. KẾT QUẢ TRIỂN KHAI", level=1),
        Heading("1. Công tác tổ chức triển khai", level=2),
        Paragraph(
            [
                Run("Nhìn chung, "),
                Run("42/42", bold=True),
                Run(" chi, đảng ủy trực thuộc đã tổ chức triển khai đảm bảo các nội dung."),
            ]
        ),
    ]
    blocks_left = {"tables": tables, "charts": charts}
    for n in range(paragraphs):
        body.append(Paragraph(NARRATIVE))
        if n % 4 == 3 and blocks_left["tables"]:
            blocks_left["tables"] -= 1
            body.append(_table(tables - blocks_left["tables"]))
        if n % 6 == 5 and blocks_left["charts"]:
            blocks_left["charts"] -= 1
            shown = charts - blocks_left["charts"]
            svg = bar_chart_svg(
                f"Đảng viên đăng ký ({shown})", UNITS, [20 + 7 * i for i in range(len(UNITS))]
            )
            body.append(Figure(svg, kind="svg", caption=f"Biểu đồ {shown}. Đảng viên đăng ký"))
    for n in range(blocks_left["tables"]):
        body.append(_table(tables - blocks_left["tables"] + n + 1))
    for n in range(blocks_left["charts"]):
        svg = bar_chart_svg("Đảng viên", UNITS, [20 + 3 * i for i in range(len(UNITS))])
        body.append(Figure(svg, kind="svg", caption=f"Biểu đồ {charts - n}. Đảng viên"))
    body.append(Heading("II. PHƯƠNG HƯỚNG, NHIỆM VỤ", level=1))
    body.append(Paragraph("Trên đây là báo cáo kết quả thực hiện" + ("." if party else "./.")))
    if party:
        return FormalDocument(
            profile=profile,
            superior="HUYỆN ỦY VĨNH THUẬN",
            issuer="BAN TUYÊN GIÁO",
            number=number,
            code="BC/BTGHU",
            place="Vĩnh Thuận",
            date=dt.date(2020, 6, 15),
            type_name="BÁO CÁO",
            title=(
                "kết quả đẩy mạnh việc thực hiện chuyên đề năm 2020 và tăng cường ý thức, "
                "trách nhiệm của cấp ủy, cơ quan, đơn vị, cán bộ, đảng viên tham gia\n"
                "đấu tranh, phản bác các quan điểm sai trái, thù địch trên không gian mạng"
            ),
            body=body,
            signature=Signature(
                position="PHÓ TRƯỞNG BAN", name="Nguyễn Văn A", authority=[("KT", "TRƯỞNG BAN")]
            ),
            recipients=[
                "Ban Thường vụ Huyện ủy (để báo cáo)",
                "Các chi, đảng ủy trực thuộc",
                "Lưu Ban Tuyên giáo",
            ],
        )
    return FormalDocument(
        profile=profile,
        issuer="ỦY BAN NHÂN DÂN",
        issuer_lines=["XÃ THƯỢNG LÂM"],
        number=number,
        code="BC-UBND",
        place="Thượng Lâm",
        date=dt.date(2025, 8, 5),
        type_name="BÁO CÁO",
        title="Kết quả thực hiện nhiệm vụ 6 tháng đầu năm, phương hướng,\nnhiệm vụ 6 tháng cuối năm 2025",
        body=body,
        signature=Signature(
            position="PHÓ CHỦ TỊCH",
            name="Trần Thị B",
            authority=[("TM", "ỦY BAN NHÂN DÂN"), ("KT", "CHỦ TỊCH")],
        ),
        recipients=["UBND tỉnh Tuyên Quang", "Thường trực Đảng ủy xã", "Lưu: VT, VP"],
    )
