"""The award decision (quyết định khen thưởng) as a .docx: the giver's header, the
grounds, then one article per kind naming the collectives and the individuals it
commends, as Vietnamese State and Party decisions list them (VN_DOCUMENTS.md §1.4,
§2.6; decision 0057).

Built when the decision is issued (``services.issue_decision``) and attached to the
register entry: the issued text keeps the names it was signed with, whatever the
register's personal data later becomes (decision 0040 erases names in the working
register, not in an issued document).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from trienkhai.commendations import levels
from trienkhai.commendations.models import DossierFile, Kind, Nomination
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.drafting.blocks import authority_kind
from trienkhai.drafting.layout import (
    Block,
    FormalDocument,
    Paragraph,
    Run,
    Signature,
    render_docx,
    split_symbol,
)
from trienkhai.drafting.reports import PARTY_2026
from trienkhai.drafting.services import header_lines, place_of
from trienkhai.orgs.models import Unit
from trienkhai.vn import format_date, format_number

REGISTERED = (Document.Status.ISSUED, Document.Status.RECEIVED, Document.Status.ARCHIVED)

LAW = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
DECREE = (
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
    "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
)
CHARTER = "Căn cứ Điều lệ Đảng"
PROPOSED = "Xét đề nghị của các đơn vị và kết quả thẩm định hồ sơ đề nghị khen thưởng"


def _own_rule(giver: Unit, day: dt.date, *, party: bool) -> list[str]:
    """The giver's own ground, from the settings (decision 0057): a Party giver's rule
    (the committee's working regulation, or the Ban Bí thư's rule it applies), a State
    giver's function regulation; ``{giver}`` stands for the giver's name. Empty: none."""
    template = settings.COMMENDATION_PARTY_RULE if party else settings.COMMENDATION_STATE_RULE
    line = template.strip().rstrip(";.,").replace("{giver}", _name(giver, day))
    return [line] if line else []


def proposals(nominations: Sequence[Nomination]) -> list[Document]:
    """The registered tờ trình behind the nominations: a dossier's tờ trình whose very
    file (same SHA-256) is attached to a Tờ trình (TTr) of the register, issued or
    received; oldest first, each once."""
    digests = DossierFile.objects.filter(
        nomination__in=[n.pk for n in nominations], role=DossierFile.Role.SUBMISSION
    ).values("sha256")
    return list(
        Document.objects.filter(
            type__slug="to_trinh",
            status__in=REGISTERED,
            attachments__sha256__in=digests,
        )
        .exclude(symbol="")
        .select_related("issuer", "unit")
        .distinct()
        .order_by("date", "pk")
    )


def _proposer(document: Document) -> str:
    """Who sent the tờ trình, as the register names them on its day."""
    if document.issuer is not None:
        return _name(document.issuer, document.date)
    return document.issuer_name or _name(document.unit, document.date)


def proposal_line(found: Sequence[Document]) -> str:
    """ "Xét đề nghị của Hội đồng Thi đua - Khen thưởng huyện tại Tờ trình số
    12/TTr-HĐTĐKT ngày 05/08/2023", one clause per tờ trình; the generic line without
    any."""
    if not found:
        return PROPOSED
    cited = ", ".join(
        f"của {_proposer(d)} tại Tờ trình số {d.symbol} ngày {format_date(d.date)}" for d in found
    )
    return f"Xét đề nghị {cited}"


def grounds(
    giver: Unit, nominations: Sequence[Nomination], day: dt.date, *, party: bool
) -> list[str]:
    """The grounds (căn cứ) and the proposal, as printed: State italic lines ending in
    ";" and the last in "."; Party upright lines "- …;" and the last ending in ","
    (VN_DOCUMENTS.md §1.4, §2.6)."""
    lines = [LAW, DECREE]
    if party:
        lines = [CHARTER, *_own_rule(giver, day, party=True), *lines]
    else:
        lines = [*_own_rule(giver, day, party=False), *lines]
    lines.append(proposal_line(proposals(nominations)))
    last = len(lines) - 1
    if party:
        return [f"- {line}{',' if i == last else ';'}" for i, line in enumerate(lines)]
    return [f"{line}{'.' if i == last else ';'}" for i, line in enumerate(lines)]


@dataclass
class Signer:
    """Who signs, as the decision prints it: ``authority`` "tm", "kt", "tl", "tuq", "q"
    or "" (own name); ``on_behalf`` the body or head signed for ("BAN THƯỜNG VỤ",
    "CHỦ TỊCH"); ``position`` the signer's post ("PHÓ BÍ THƯ"); ``name``."""

    name: str
    authority: str = ""
    on_behalf: str = ""
    position: str = ""


def profile(giver: Unit, day: dt.date) -> str:
    """The layout: "state", "party" or, from 09/01/2026, "party-2026" (399-QĐ/TW)."""
    found = documents.profile_of(giver, day)
    if found == "party" and day >= PARTY_2026:
        return "party-2026"
    return found


def _name(unit: Unit, day: dt.date) -> str:
    version = unit.version_on(day) or unit.latest_version()
    return version.name


def recipient(nomination: Nomination, day: dt.date, *, party: bool) -> str:
    """ "Huyện ủy Vĩnh Thuận", or "Đồng chí Nguyễn Văn An, Huyện ủy Vĩnh Thuận"."""
    unit = _name(nomination.recipient_unit, day)
    if nomination.individual is None:
        return unit
    person = nomination.individual.name
    return f"{'Đồng chí ' if party else ''}{person}, {unit}"


def kind_name(kind: Kind, giver: Unit, day: dt.date) -> str:
    """The kind as the decision names it: an agency's form by the giver's own name
    ("Giấy khen của Ban Tuyên giáo Huyện ủy Vĩnh Thuận", not the kind's generic "Giấy
    khen của ban Đảng (Ban Tuyên giáo …)"); any other kind by its name."""
    if kind.level == Kind.Level.AGENCY and kind.category == Kind.Category.FORM:
        form, found, _whose = kind.name.partition(" của ")
        if found:
            return f"{form} của {_name(giver, day)}"
    return kind.name


def place(giver: Unit, day: dt.date) -> str:
    """The place of the date line: a board's, a steering committee's or an agency's is
    its committee's ("Vĩnh Thuận" for the Ban Tuyên giáo Huyện ủy Vĩnh Thuận)."""
    version = giver.version_on(day) or giver.latest_version()
    if version.kind.code in levels.ORGANS and version.parent is not None:
        return place_of(version.parent, day)
    return place_of(giver, day)


def _article(number: int, text: str) -> Paragraph:
    return Paragraph([Run(f"Điều {number}. ", bold=True), Run(text)])


def body(
    giver: Unit, nominations: Sequence[Nomination], day: dt.date, *, party: bool
) -> list[Block]:
    """The grounds, "QUYẾT ĐỊNH:", one article per kind (collectives, then
    individuals, each numbered with their achievement) and the closing article."""
    blocks: list[Block] = [
        Paragraph([Run(_name(giver, day).upper(), bold=True)], align="center", indent=False)
    ]
    blocks += [
        Paragraph(g, italic=not party) for g in grounds(giver, nominations, day, party=party)
    ]
    blocks.append(Paragraph([Run("QUYẾT ĐỊNH:", bold=True)], align="center", indent=False))
    kinds: dict[int, list[Nomination]] = {}
    for n in nominations:
        kinds.setdefault(n.kind_id, []).append(n)
    article = 0
    for group in kinds.values():
        kind: Kind = group[0].kind
        collectives = [n for n in group if n.individual is None]
        people = [n for n in group if n.individual is not None]
        counted = " và ".join(
            f"{format_number(len(found))} {label}"
            for found, label in ((collectives, "tập thể"), (people, "cá nhân"))
            if found
        )
        article += 1
        blocks.append(
            _article(
                article,
                f"Tặng {kind_name(kind, giver, day)} cho {counted} đã có thành tích, gồm:",
            )
        )
        parts = [(collectives, "Tập thể"), (people, "Cá nhân")]
        for part, (found, label) in enumerate((p for p in parts if p[0]), start=1):
            blocks.append(Paragraph([Run(f"{part}. {label} ({len(found)})", bold=True)]))
            for i, n in enumerate(found, start=1):
                achievement = n.achievement.rstrip(" .;")
                blocks.append(Paragraph(f"{i}. {recipient(n, day, party=party)}: {achievement};"))
    cited = "Điều 1" if article == 1 else f"các Điều từ 1 đến {article}"
    blocks.append(_article(article + 1, "Quyết định có hiệu lực kể từ ngày ký."))
    blocks.append(
        _article(
            article + 2,
            "Các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại "
            f"{cited} chịu trách nhiệm thi hành Quyết định này{'.' if party else './.'}",
        )
    )
    return blocks


def formal(document: Document, nominations: Sequence[Nomination], signer: Signer) -> FormalDocument:
    """The decision ``document`` (issued: its number taken) naming ``nominations``."""
    giver, day = document.unit, document.date
    layout = profile(giver, day)
    party = layout.startswith("party")
    superior, issuer = header_lines(giver, day)
    number, code = split_symbol(document.symbol) if document.symbol else (None, "")
    authority = []
    if signer.authority and signer.authority != "own" and signer.on_behalf:
        authority.append((authority_kind(_MARKS[signer.authority]), signer.on_behalf.upper()))
    ordered = sorted(nominations, key=lambda n: (n.kind.code, n.individual_id is not None, n.pk))
    return FormalDocument(
        profile=layout,
        superior=superior or None,
        issuer=issuer,
        number=number,
        code=code,
        place=place(giver, day),
        date=day,
        type_name="QUYẾT ĐỊNH",
        title=_title(document.summary, party=party),
        body=body(giver, ordered, day, party=party),
        signature=Signature(
            position=signer.position.upper(), name=signer.name, authority=authority
        ),
        recipients=[line.strip() for line in document.recipients.splitlines() if line.strip()],
        extra={"subject": f"Quyết định khen thưởng {document.symbol}"},
    )


_MARKS = {"tm": "TM.", "kt": "KT.", "tl": "TL.", "tuq": "TUQ.", "q": "Q."}


def _title(summary: str, *, party: bool) -> str:
    """Trích yếu: "về việc …" lower-case in a Party document, "Về việc …" in a State one."""
    text = summary.strip()
    if not text:
        return text
    return (text[:1].lower() if party else text[:1].upper()) + text[1:]


def docx(document: Document, nominations: Sequence[Nomination], signer: Signer) -> bytes:
    """The decision's .docx bytes."""
    return render_docx(formal(document, nominations, signer))


def file_name(document: Document) -> str:
    """ "Quyet-dinh-1745-QD-TU.docx"-like, from the symbol (ASCII for any mail client)."""
    from trienkhai.web.downloads import file_name as named

    return named("Quyết định", document.symbol or str(document.pk), ext="docx")
