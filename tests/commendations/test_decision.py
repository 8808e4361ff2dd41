"""The award decision's .docx names the collectives and individuals by kind (decision
0057), opened back with python-docx."""

import datetime as dt
import io

import docx

from tests.commendations.conftest import nominate
from tests.factories import SYSTEM
from trienkhai.commendations import services
from trienkhai.documents.models import Attachment


def _text(data: bytes) -> list[str]:
    opened = docx.Document(io.BytesIO(data))
    lines = [p.text for p in opened.paragraphs]
    for table in opened.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


def test_the_decision_lists_collectives_then_individuals_by_kind(org, media):
    """GIVEN D1 accepts a Giấy khen for C1 and C2 and for Lê Thị Bình of C2, and its
    chairman's Giấy khen for C1 WHEN the decision is issued THEN the .docx attached to
    the register entry has one article per kind, collectives then individuals, each
    numbered with the achievement, the effect and the execution articles, and the
    number the register gave."""
    found = [
        nominate(org.c1, org.d1, kind="giay_khen_ban_dang"),
        nominate(org.c2, org.d1, kind="giay_khen_ban_dang"),
        nominate(org.c2, org.d1, kind="giay_khen_ban_dang", name="Lê Thị Bình"),
        nominate(org.c1, org.d1, kind="giay_khen_ubnd_huyen", achievement="Dẫn đầu phong trào"),
    ]
    for nomination in found:
        services.accept(acting_user=SYSTEM, nomination=nomination)
    document = services.issue_decision(
        acting_user=SYSTEM,
        giver=org.d1,
        nominations=found,
        date=dt.date(2023, 9, 19),
        signer="Lê Văn Ký",
        signer_authority="kt",
        signer_on_behalf="Chủ tịch",
        signer_position="Phó Chủ tịch",
        recipients="Như Điều 3;\nLưu: VT.",
    )
    attached = Attachment.objects.get(document=document)
    assert attached.kind == "docx" and attached.name.endswith(".docx")
    lines = _text((media / attached.path).read_bytes())
    body = "\n".join(lines)
    first = next(i for i, line in enumerate(lines) if line.startswith("Điều 1."))
    assert lines[first] == (
        "Điều 1. Tặng Giấy khen của Huyện Vĩnh Thuận cho 2 tập thể và 1 cá nhân "
        "đã có thành tích, gồm:"
    )
    assert lines[first + 1 : first + 6] == [
        "1. Tập thể (2)",
        "1. Thị trấn Vĩnh Thuận: Hoàn thành xuất sắc nhiệm vụ tuyên giáo giai đoạn 2019-2023;",
        "2. Xã Vĩnh Bình Bắc: Hoàn thành xuất sắc nhiệm vụ tuyên giáo giai đoạn 2019-2023;",
        "2. Cá nhân (1)",
        "1. Lê Thị Bình, Xã Vĩnh Bình Bắc: Hoàn thành xuất sắc nhiệm vụ tuyên giáo giai đoạn "
        "2019-2023;",
    ]
    assert lines[first + 6].startswith("Điều 2. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp")
    assert "Điều 3. Quyết định có hiệu lực kể từ ngày ký." in lines
    assert "các Điều từ 1 đến 2 chịu trách nhiệm thi hành Quyết định này./." in body
    assert "QUYẾT ĐỊNH" in lines and "QUYẾT ĐỊNH:" in lines
    assert document.symbol.split("/")[0] in body  # the register's number, on the number line
    assert "KT. CHỦ TỊCH" in body and "PHÓ CHỦ TỊCH" in body and "Lê Văn Ký" in body
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in lines
    assert "Vĩnh Thuận, ngày 19 tháng 9 năm 2023" in body


def test_a_boards_decision_is_the_partys_and_names_the_board(org, media):
    """GIVEN a Propaganda Board under Huyện ủy Vĩnh Thuận WHEN it issues its Giấy khen
    to one person THEN the decision has the Party layout: the committee over the board,
    the place of the committee, "Đồng chí", upright grounds, and a summary without "0
    tập thể"."""
    from tests import factories as f

    hu = f.make_unit("HU", name="Huyện ủy Vĩnh Thuận", kind_code="party_committee", parent=org.d1)
    board = f.make_unit(
        "BTG",
        name="Ban Tuyên giáo Huyện ủy Vĩnh Thuận",
        kind_code="board",
        parent=hu,
        abbreviation="BTGHU",
    )
    du = f.make_unit(
        "DU", name="Đảng ủy thị trấn Vĩnh Thuận", kind_code="party_committee", parent=hu
    )
    found = nominate(du, board, kind="giay_khen_ban_dang", name="Trần Thị Mai Anh")
    services.accept(acting_user=SYSTEM, nomination=found)
    document = services.issue_decision(
        acting_user=SYSTEM,
        giver=board,
        nominations=[found],
        date=dt.date(2023, 9, 19),
        signer="Lê Văn Ký",
        signer_authority="tm",
        signer_on_behalf="Ban Tuyên giáo",
        signer_position="Trưởng ban",
        recipients="Như Điều 3,\nLưu Văn phòng.",
    )
    assert document.summary == "Về việc tặng thưởng cho 1 cá nhân"
    attached = Attachment.objects.get(document=document)
    lines = _text((media / attached.path).read_bytes())
    body = "\n".join(lines)
    assert "HUYỆN ỦY VĨNH THUẬN" in body and "ĐẢNG CỘNG SẢN VIỆT NAM" in body
    assert "Vĩnh Thuận, ngày 19 tháng 9 năm 2023" in body
    assert "- Căn cứ Điều lệ Đảng;" in lines
    assert (
        "Điều 1. Tặng Giấy khen của Ban Tuyên giáo Huyện ủy Vĩnh Thuận cho 1 cá nhân đã có "
        "thành tích, gồm:" in lines
    )
    person = "1. Đồng chí Trần Thị Mai Anh, Đảng ủy thị trấn Vĩnh Thuận: "
    assert any(line.startswith(person) for line in lines)
    assert "về việc tặng thưởng cho 1 cá nhân" in lines
