"""Layout blocks as plain dicts for the HTML pages (editor and preview): the same blocks the
.docx is made of, so what the page shows is what prints."""

from decimal import Decimal

from django.utils.safestring import mark_safe

from trienkhai.analytics.charts import display
from trienkhai.drafting.docx import recipient_lines
from trienkhai.drafting.layout import (
    DRAFT_MARK,
    Block,
    Figure,
    FormalDocument,
    Heading,
    Paragraph,
    Table,
)
from trienkhai.vn import long_date


def _cell(value) -> dict:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return {"text": display(value), "number": True}
    return {"text": "" if value is None else str(value), "number": False}


def block_dict(block: Block) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "runs": block.runs}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "caption": block.caption,
            "header": list(block.header),
            "rows": [[_cell(v) for v in row] for row in block.rows],
            "totals": [_cell(v) for v in block.totals] if block.totals is not None else None,
        }
    if isinstance(block, Figure) and block.kind == "svg":
        # Our own SVG (analytics.charts escapes every text it draws).
        return {"kind": "figure", "svg": mark_safe(block.data.decode()), "caption": block.caption}
    return {"kind": "other"}


NATIONAL = {
    "state": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
    "party": ["ĐẢNG CỘNG SẢN VIỆT NAM"],
}
PREFIX = {
    "state": {"TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."},
    "party": {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "TUQ.", "Q": "Q."},
}


def document_dict(document: FormalDocument, symbol: str) -> dict:
    """Header, body and closing of the page-like preview."""
    system = "state" if document.profile == "state" else "party"
    signature = document.signature
    return {
        # as the .docx prints it at the top of each page of a draft (a document's words:
        # Vietnamese whatever the page's language)
        "draft_mark": DRAFT_MARK if document.is_draft else "",
        "national": NATIONAL[system],
        "sign_lines": [f"{PREFIX[system][kind]} {whom}" for kind, whom in signature.authority]
        + [signature.position]
        if signature
        else [],
        "signer": signature.name if signature else "",
        "superior": document.superior,
        "issuer": document.issuer,
        "symbol": symbol,
        "place_date": f"{document.place}, {long_date(document.date)}",
        "type_name": document.type_name,
        "title": document.title,
        "body": [block_dict(b) for b in document.body],
        "recipients": recipient_lines(document),  # as the .docx prints them
    }
