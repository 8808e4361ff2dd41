"""The award decision's .docx names the collectives and individuals by kind (decision
0057), opened back with python-docx."""

import datetime as dt
import io

import docx

from tests import factories as f
from tests.commendations.conftest import nominate
from tests.documents.test_attachments import png_file
from tests.factories import SIGNED, SYSTEM
from trienkhai.commendations import services
from trienkhai.documents import attachments
from trienkhai.documents import services as documents
from trienkhai.documents.models import Attachment


def _text(data: bytes) -> list[str]:
    opened = docx.Document(io.BytesIO(data))
    lines = [p.text for p in opened.paragraphs]
    for table in opened.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


def _grounds(lines: list[str]) -> list[str]:
    """From the first "Căn cứ" to "QUYẾT ĐỊNH:"."""
    start = next(i for i, line in enumerate(lines) if line.startswith(("Căn cứ", "- Căn cứ")))
    return lines[start : lines.index("QUYẾT ĐỊNH:")]


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
    # The grounds a State decision cites (decision 0057), italic, the last ending in ".".
    grounds = _grounds(lines)
    assert grounds == [
        "Căn cứ chức năng, nhiệm vụ, quyền hạn của Huyện Vĩnh Thuận;",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Xét đề nghị của các đơn vị và kết quả thẩm định hồ sơ đề nghị khen thưởng.",
    ]
    opened = docx.Document(io.BytesIO((media / attached.path).read_bytes()))
    italic = [p for p in opened.paragraphs if p.text in grounds]
    assert len(italic) == 4 and all(r.italic for p in italic for r in p.runs)
    assert "Vĩnh Thuận, ngày 19 tháng 9 năm 2023" in body


def test_a_boards_decision_is_the_partys_and_names_the_board(org, media):
    """GIVEN a Propaganda Board under Huyện ủy Vĩnh Thuận WHEN it issues its Giấy khen
    to one person THEN the decision has the Party layout: the committee over the board,
    the place of the committee, "Đồng chí", upright grounds, and a summary without "0
    tập thể"."""
    _hu, board, du = party_board(org)
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


def party_board(org):
    """Huyện ủy Vĩnh Thuận under D1, its Propaganda Board and a town's Party committee."""
    hu = f.make_unit(
        "HU",
        name="Huyện ủy Vĩnh Thuận",
        kind_code="party_committee",
        parent=org.d1,
        abbreviation="HU",
    )
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
    return hu, board, du


def _issue(giver, found, day=dt.date(2023, 9, 19)) -> list[str]:
    for nomination in found:
        services.accept(acting_user=SYSTEM, nomination=nomination)
    document = services.issue_decision(
        acting_user=SYSTEM,
        giver=giver,
        nominations=found,
        date=day,
        signer="Lê Văn Ký",
        signer_authority="tm",
        signer_on_behalf="Ban Tuyên giáo",
        signer_position="Trưởng ban",
        recipients="Như Điều 3,\nLưu Văn phòng.",
    )
    return Attachment.objects.get(document=document).path


def _submission(hu, data: bytes, *, issued: bool = True, day=dt.date(2023, 9, 12)):
    """A tờ trình in the Huyện ủy's register with ``data`` attached."""
    draft = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=hu,
        type="TTr",
        date=day,
        summary="Đề nghị khen thưởng tập thể, cá nhân",
    )
    attachments.attach(acting_user=SYSTEM, document=draft, name="to-trinh.png", data=data)
    return documents.issue(acting_user=SYSTEM, document=draft) if issued else draft


def test_a_party_decision_cites_the_charter_its_rule_the_law_and_the_registered_submission(
    org, media, settings
):
    """GIVEN a board's nomination whose dossier holds a tờ trình that is also registered
    (the same file attached to the Huyện ủy's TTr, issued on 12/09/2023), and another
    dossier file only in a draft TTr WHEN the board issues the decision THEN its grounds
    are the Party's, upright: the Charter, the configured rule naming the giver, the law
    with its number, the decree, and "Xét đề nghị của Huyện ủy … tại Tờ trình số … ngày
    12/09/2023," with the register's number."""
    hu, board, du = party_board(org)
    found = nominate(du, board, kind="giay_khen_ban_dang", name="Trần Thị Mai Anh")
    for role, shade in (("to_trinh", 51), ("to_trinh", 52)):
        services.add_file(
            acting_user=SYSTEM,
            nomination=found,
            role=role,
            file_name=f"tt-{shade}.png",
            data=png_file(shade),
        )
    registered = _submission(hu, png_file(51))
    _submission(hu, png_file(52), issued=False)  # a draft: not yet a document to cite
    settings.COMMENDATION_PARTY_RULE = (
        "Căn cứ Quy định của Ban Thường vụ về khen thưởng tổ chức đảng, đảng viên ({giver});"
    )
    path = _issue(board, [found])
    lines = _text((media / path).read_bytes())
    grounds = _grounds(lines)
    assert grounds == [
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ Quy định của Ban Thường vụ về khen thưởng tổ chức đảng, đảng viên (Ban Tuyên "
        "giáo Huyện ủy Vĩnh Thuận);",
        "- Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "- Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        f"- Xét đề nghị của Huyện ủy Vĩnh Thuận tại Tờ trình số {registered.symbol} ngày "
        "12/09/2023,",
    ]
    assert registered.symbol.split("-")[1].startswith("TTr")


def test_an_empty_rule_leaves_its_line_out(org, media, settings):
    settings.COMMENDATION_PARTY_RULE = ""
    _hu, board, du = party_board(org)
    path = _issue(board, [nominate(du, board, kind="giay_khen_ban_dang", name="Ngô Văn Tâm")])
    lines = _text((media / path).read_bytes())
    at = lines.index("- Căn cứ Điều lệ Đảng;")
    assert lines[at + 1].startswith("- Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15")
    assert lines[at + 3] == (
        "- Xét đề nghị của các đơn vị và kết quả thẩm định hồ sơ đề nghị khen thưởng,"
    )
