"""The anonymous copy of an entry's file that judges read (decision 0053).

What goes: the metadata that names a person or an office, never the text. A .docx loses
its document properties' author, last editor, company, manager, comments and keywords,
its custom properties, and the author and initials of every tracked change and comment;
a PDF its information dictionary and XMP stream and the author (``/T``) of every
annotation; a scan (JPEG, PNG, TIFF) its EXIF, XMP, IPTC and text chunks. The body text,
headers and footers stay as written: the contest's rules forbid a name there, and a
program that rewrote prose would also rewrite the entry.

The original is kept and served to the organiser only; the copy is made anew at each
download (a few milliseconds: nothing to keep in step) and once at receipt, so that a
file that cannot be made anonymous is refused there (400), not in front of a judge.
"""

import io
import zipfile
from typing import Any

from lxml import etree

from trienkhai.common.errors import BadInput
from trienkhai.documents.models import Attachment

Kind = Attachment.Kind

_CORE = "docProps/core.xml"
_APP = "docProps/app.xml"
_CUSTOM = "docProps/custom.xml"
_CLEARED_CORE = {"creator", "lastModifiedBy", "description", "keywords"}
"""core.xml's elements (by local name) that name people or carry free remarks."""
_CLEARED_APP = {"Company", "Manager", "HyperlinkBase"}
_CLEARED_ATTRIBUTES = {"author", "initials", "userId", "providerId"}
"""Attributes (by local name) of tracked changes, comments and people.xml that name who
wrote them."""
_KEPT_IMAGE_INFO = {"icc_profile", "dpi"}
"""What a scan keeps of its ``info``: how to show it, nothing about who made it."""
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def anonymous_copy(kind: str, data: bytes) -> bytes:
    """``data`` (a file of ``kind``, already inspected at receipt) without the metadata
    naming its author or their office; 400 ``not_anonymisable`` if it cannot be read."""
    try:
        if kind == Kind.DOCX:
            return _docx(data)
        if kind == Kind.PDF:
            return _pdf(data)
        return _image(data)
    except Exception:  # the libraries raise many kinds of errors on a damaged file
        raise BadInput(
            "not_anonymisable",
            "Không tạo được bản ẩn danh của tệp (tệp hỏng hoặc có mật khẩu): gửi lại tệp "
            "khác / the file's anonymous copy cannot be made (damaged or password-"
            "protected): send another file",
        ) from None


def _docx(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename in (_CORE, _APP):
                names = _CLEARED_CORE if info.filename == _CORE else _CLEARED_APP
                content = _rewrite(content, lambda el, names=names: _clear_text(el, names))
            elif info.filename == _CUSTOM:
                content = _rewrite(content, _drop_children)
            elif _names_people(info.filename, content):
                content = _rewrite(content, _clear_attributes)
            target.writestr(info, content)
    return out.getvalue()


def _names_people(name: str, content: bytes) -> bool:
    """A part of the document with tracked changes, comments or people in it."""
    return (
        name.startswith("word/")
        and name.endswith(".xml")
        and any(f":{a}=".encode() in content for a in _CLEARED_ATTRIBUTES)
    )


def _rewrite(content: bytes, change) -> bytes:
    root = etree.fromstring(content, _PARSER)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clear_text(root, names: set[str]) -> None:
    for element in root:
        if etree.QName(element).localname in names:
            element.text = ""
            element.attrib.clear()  # dcterms:W3CDTF types and the like: nothing to type


def _drop_children(root) -> None:
    for element in list(root):
        root.remove(element)


def _clear_attributes(root) -> None:
    for element in root.iter():
        for name in element.attrib:
            if etree.QName(name).localname in _CLEARED_ATTRIBUTES:
                element.attrib[name] = ""


def _pdf(data: bytes) -> bytes:
    import logging

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):  # locked only against editing: open
        raise ValueError("a password is needed to read it")
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # the information dictionary: Author, Title, Creator, …
    writer._root_object.pop(NameObject("/Metadata"), None)  # the XMP stream
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation.get_object().pop(NameObject("/T"), None)  # who wrote the note
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(data: bytes) -> bytes:
    """The picture saved again with none of its metadata but its colour profile and
    resolution: PNG and TIFF losslessly (each page of a multi-page TIFF), JPEG with its
    own quantisation tables (``quality="keep"``)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        fmt = image.format
        kept: dict[str, Any] = {
            k: v for k, v in image.info.items() if isinstance(k, str) and k in _KEPT_IMAGE_INFO
        }
        frames = []
        for n in range(getattr(image, "n_frames", 1)):
            image.seek(n)
            frame = image.copy()  # pixels and ``info``; not the TIFF tags nor EXIF
            frame.info = {k: v for k, v in kept.items()}
            frames.append(frame)
        out = io.BytesIO()
        first, rest = frames[0], frames[1:]
        if fmt == "JPEG":
            image.info = {k: v for k, v in kept.items()}  # quality="keep" reads the source's tables
            image.save(out, "JPEG", quality="keep", **kept)
        elif fmt == "PNG":
            first.save(out, "PNG", **kept)
        elif fmt == "TIFF":
            first.save(out, "TIFF", compression="tiff_deflate", save_all=True, append_images=rest)
        else:
            raise ValueError(fmt)
        return out.getvalue()
