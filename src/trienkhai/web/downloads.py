"""How a file the pages offer is named: in words, never in codes.

"Bao-cao-nam-thuc-hien-Nghi-quyet-35-NQ-TW-Huyen-uy-Cho-Don-Nam-2021.xlsx", not
"BC35-CD-NAM-HU-CD-2021.xlsx": what the file holds, by the names the page shows (a
form's in the reader's language, a unit's, a period in words), unaccented and with
every run of other characters one hyphen (``vn.slug(keep_case=True)``), so that mail
clients, zip tools and every file system keep it as it is. The API keeps its names:
clients may read them.
"""

import re
from urllib.parse import quote

from django.http import HttpResponse

from trienkhai.vn import slug

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
"""What a file name cannot hold on the systems users save to (Windows the strictest)."""

PART = 80
"""The longest any one part of a name gets, cut at a word (a form's name can be long;
the unit and the period after it should stay)."""


def file_name(*parts: str, ext: str) -> str:
    """``parts`` unaccented and joined by hyphens, each at most ``PART`` characters:
    ("Sổ văn bản đi", "Huyện ủy Chợ Đồn", "Năm 2021") → "So-van-ban-di-Huyen-uy-Cho-Don-
    Nam-2021.xlsx". Empty parts are left out; "trienkhai.<ext>" when nothing is left."""
    words = [slug(part, max_length=PART, keep_case=True) for part in parts]
    return ("-".join(w for w in words if w) or "trienkhai") + f".{ext}"


def content_disposition(plain: str, shown: str = "") -> str:
    """An attachment named ``plain`` (ASCII); with ``shown``, the same name as written
    for the browsers that read ``filename*`` (RFC 6266)."""
    header = f'attachment; filename="{plain}"'
    return f"{header}; filename*=UTF-8''{quote(shown, safe='')}" if shown else header


def attachment(data: bytes | str, content_type: str, name: str) -> HttpResponse:
    """``data`` to download as the file ``name`` (made by ``file_name``)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    return response
