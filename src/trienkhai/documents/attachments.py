"""Files attached to a document: what a file is, its text, where it is kept, attaching it.

Accepted: Word .docx and PDF (their text is read for search), and scans as JPEG, PNG or
TIFF. A file is refused, with a bilingual ``BadInput`` and nothing stored, when it is
empty, larger than ``settings.UPLOAD_MAX_BYTES``, of another extension, not what its
extension says (judged by its first bytes; a .docx must be a zip holding
word/document.xml), damaged, or a zip bomb (``common.uploads.zip_members``).

The bytes are kept under ``settings.MEDIA_ROOT``/documents/, named by their SHA-256
(``ab/abcdef…``): the same file attached to two documents is stored once, and a name
never comes from the user.
"""

import errno
import hashlib
import io
import os
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.conf import settings
from django.db import transaction

from trienkhai.accounts import policy
from trienkhai.common import actors, uploads
from trienkhai.common.actors import Actor
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import search
from trienkhai.documents.models import Attachment, Document
from trienkhai.vn import nfc

Kind = Attachment.Kind

EXTENSIONS: dict[str, str] = {
    ".docx": Kind.DOCX,
    ".pdf": Kind.PDF,
    ".jpg": Kind.JPEG,
    ".jpeg": Kind.JPEG,
    ".png": Kind.PNG,
    ".tif": Kind.TIFF,
    ".tiff": Kind.TIFF,
}
CONTENT_TYPES: dict[str, str] = {
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.PDF: "application/pdf",
    Kind.JPEG: "image/jpeg",
    Kind.PNG: "image/png",
    Kind.TIFF: "image/tiff",
}
NAMES: dict[str, str] = {
    Kind.DOCX: "Word (.docx)",
    Kind.PDF: "PDF",
    Kind.JPEG: "JPEG",
    Kind.PNG: "PNG",
    Kind.TIFF: "TIFF",
}
MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", Kind.PDF),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"II*\x00", Kind.TIFF),
    (b"MM\x00*", Kind.TIFF),
    (uploads.ZIP, Kind.DOCX),  # a zip: whether it is a Word file is checked after
]
MAX_PDF_PAGES = 1_000
"""Text is read from the first this many pages of a PDF."""
MAX_TEXT_CHARS = 1_000_000
"""At most this much extracted text is kept (search indexes less: search.MAX_INDEXED_CHARS)."""
FOLDER = "documents"


@dataclass(frozen=True)
class Inspected:
    name: str
    kind: str
    text: str


def clean_name(name: str) -> str:
    """The file's own name: no folders (a browser may send C:\\fakepath\\x.pdf), NFC,
    no control characters, at most 255 characters (the extension kept)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(c for c in nfc(base) if unicodedata.category(c)[0] != "C")
    if len(base) > 255:
        stem, suffix = os.path.splitext(base)
        base = stem[: 255 - len(suffix)] + suffix
    return base


def _sniff(data: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def _unreadable(kind: str):
    def error() -> BadInput:
        return BadInput(
            "unreadable_file",
            f"Không đọc được tệp {NAMES[kind]} (tệp hỏng?) / "
            f"cannot read the {NAMES[kind]} file (damaged?)",
        )

    return error


def _wrong_content(suffix: str, kind: str, actual: str | None) -> BadInput:
    if actual is not None and actual != kind:
        vi, en = f"thật ra là tệp {NAMES[actual]}", f"is really a {NAMES[actual]} file"
    else:
        vi, en = f"không phải tệp {NAMES[kind]}", f"is not a {NAMES[kind]} file"
    return BadInput(
        "wrong_content",
        f"Tệp {suffix} này {vi}; có thể bị đổi đuôi / this {suffix} file {en}; was it renamed?",
    )


def inspect(name: str, data: bytes) -> Inspected:
    """What the upload ``name`` with bytes ``data`` is, and its text; BadInput if refused."""
    uploads.check_size(data)
    name = clean_name(name)
    suffix = Path(name).suffix.lower()
    kind = EXTENSIONS.get(suffix)
    if kind is None:
        accepted = ", ".join(EXTENSIONS)
        hint = " (Word 97-2003: lưu lại thành .docx / save it as .docx)" if suffix == ".doc" else ""
        raise BadInput(
            "unsupported_file",
            f"Chỉ nhận tệp {accepted} / only {accepted} files are accepted{hint}",
        )
    if not data.strip():
        raise BadInput("empty_file", "Tệp rỗng / the file is empty")
    actual = _sniff(data)
    if actual != kind:
        raise _wrong_content(suffix, kind, actual)
    if kind == Kind.DOCX:
        return Inspected(name, kind, _docx_text(data, suffix))
    if kind == Kind.PDF:
        return Inspected(name, kind, _pdf_text(data))
    return Inspected(name, kind, "")


def _docx_text(data: bytes, suffix: str) -> str:
    """The paragraphs and table cells of a .docx, in order, after the zip-bomb checks."""
    import docx

    members = uploads.zip_members(data, label="Word", unreadable=_unreadable(Kind.DOCX))
    if not any(member.filename == "word/document.xml" for member in members):
        raise _wrong_content(suffix, Kind.DOCX, None)
    try:
        uploads.refuse_doctype(data, label="Word")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):  # a damaged member
        raise _unreadable(Kind.DOCX)() from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx and lxml raise many kinds of errors on a damaged file
        raise _unreadable(Kind.DOCX)() from None
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return nfc(" ".join(part for part in parts if part.strip()))[:MAX_TEXT_CHARS]


def _pdf_text(data: bytes) -> str:
    """The text of a PDF's pages ("" for a scan, or one whose password is not empty)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files warn
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        parts: list[str] = []
        length = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length > MAX_TEXT_CHARS:
                break
    except Exception:  # pypdf raises many kinds of errors on a damaged file
        raise _unreadable(Kind.PDF)() from None
    return nfc(" ".join(parts))[:MAX_TEXT_CHARS]


def file_path(attachment: Attachment) -> Path:
    return Path(settings.MEDIA_ROOT) / attachment.path


def _store(data: bytes, digest: str) -> str:
    """Write ``data`` under its digest (once; atomically) and return its relative path."""
    relative = f"{FOLDER}/{digest[:2]}/{digest}"
    target = Path(settings.MEDIA_ROOT) / relative
    try:
        # Touched, not only found: a removal (blobs.py) keeps a blob touched lately, as
        # the row about to reference it is not committed yet.
        os.utime(target)
        return relative
    except FileNotFoundError:
        pass
    except OSError:  # not ours to touch (restored by another user?): found, as before
        if target.is_file():
            return relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    except OSError as exc:
        raise _disk_full(exc) or exc from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _disk_full(exc) or exc from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return relative


def _disk_full(exc: OSError) -> BadInput | None:
    """A clear 507 for a full disk; None for any other failure (a real server error)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(
            "storage_full",
            "Máy chủ đã hết chỗ lưu tệp: báo quản trị hệ thống; chưa có gì được lưu / the "
            "server is out of disk space: tell the administrator; nothing was saved",
        )
    return None


class StorageFull(BadInput):
    status = 507


def attach(*, acting_user: Actor, document: Document, name: str, data: bytes) -> Attachment:
    """Attach the file ``name`` (bytes ``data``) to ``document``; its text becomes searchable.

    CHANGE on the document's register. The same file twice on one document is a 409.
    The file is read (its text extracted) and written before the transaction, which
    only records it: a slow or hostile file never holds the database's write lock. A
    file written for a record that then fails stays as an unreferenced blob (named by
    its digest, reused by the next upload of the same bytes; ``blobs.sweep`` removes it).
    """
    policy.require(acting_user, policy.Action.CHANGE, document.unit)
    found = inspect(name, data)
    digest = hashlib.sha256(data).hexdigest()
    if Attachment.objects.filter(document=document, sha256=digest).exists():
        raise _duplicate(found.name)
    path = _store(data, digest)
    with transaction.atomic():
        if Attachment.objects.filter(document=document, sha256=digest).exists():
            raise _duplicate(found.name)  # attached meanwhile by another request
        attachment = Attachment.objects.create(
            document=document,
            name=found.name,
            kind=found.kind,
            content_type=CONTENT_TYPES[found.kind],
            size=len(data),
            sha256=digest,
            path=path,
            text=found.text,
            created_by=actors.user_of(acting_user),
        )
        search.index(document)
    return attachment


def _duplicate(name: str) -> Conflict:
    return Conflict(
        "duplicate_attachment",
        f"Tệp này đã được đính kèm văn bản / this file is already attached: {name}",
    )
