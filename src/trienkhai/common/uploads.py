"""Reading uploaded spreadsheets safely: one place for the checks every import makes.

- the size limit (``settings.UPLOAD_MAX_BYTES``), the extension (.csv or .xlsx), an empty
  file, content that does not match its extension (an Excel file renamed .csv, a text
  file renamed .xlsx);
- .xlsx files are zip archives: their declared unpacked size and member count are
  checked before openpyxl opens them (zip bombs);
- CSV is UTF-8 (with or without BOM), separated by ",", ";" (Excel in a Vietnamese
  locale, where the comma is the decimal separator) or a tab.

Every refusal is a ``BadInput`` with a bilingual message.
"""

import csv
import io
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from trienkhai.common import spreadsheets
from trienkhai.common.errors import BadInput

XLSX_EXPANSION = 10
"""An .xlsx (or .docx) may unpack to at most this many times the upload limit."""
XLSX_MAX_MEMBERS = 1_000
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: Office 97-2003


def check_size(data: bytes) -> None:
    """Refuse more than ``settings.UPLOAD_MAX_BYTES`` bytes."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise BadInput(
            "file_too_large",
            f"Tệp quá lớn ({len(data):,} byte), tối đa {limit:,} byte / "
            f"file too large ({len(data):,} bytes), at most {limit:,} bytes",
        )


def unreadable_xlsx() -> BadInput:
    return BadInput(
        "unreadable_file",
        "Không đọc được tệp Excel (hỏng hoặc không phải .xlsx) / "
        "cannot read the Excel file (damaged, or not .xlsx)",
    )


def check_xlsx(data: bytes) -> None:
    """Refuse what is not a reasonable .xlsx: too large, not a zip, or a zip bomb."""
    check_size(data)
    if not data.startswith(ZIP):
        raise BadInput(
            "wrong_content",
            "Tệp .xlsx này không phải bảng tính Excel; có thể bị đổi đuôi / "
            "this .xlsx file is not an Excel workbook; was it renamed?",
        )
    zip_members(data, label="Excel", unreadable=unreadable_xlsx)


def zip_members(
    data: bytes, *, label: str, unreadable: Callable[[], BadInput]
) -> list[zipfile.ZipInfo]:
    """The members of a zipped upload (.xlsx, .docx), refused if damaged or a zip bomb.

    ``label`` names the kind of file in the message ("Excel", "Word"); ``unreadable``
    makes the error for a file that is not a readable zip.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable() from None
    unpacked = sum(member.file_size for member in members)
    # Declared sizes are binding: zipfile never inflates a member past its file_size.
    if unpacked > XLSX_EXPANSION * settings.UPLOAD_MAX_BYTES or len(members) > XLSX_MAX_MEMBERS:
        raise BadInput(
            "file_too_large",
            f"Tệp {label} giải nén ra quá lớn ({unpacked:,} byte): từ chối / "
            f"the {label} file unpacks to too much data ({unpacked:,} bytes): refused",
        )
    return members


_DOCTYPE = tuple(
    b"<!DOCTYPE".decode().encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_TAIL = max(len(marker) for marker in _DOCTYPE) - 1


def refuse_doctype(data: bytes, *, label: str) -> None:
    """Refuse a zipped Office file (checked by ``zip_members``) whose XML declares a DTD.

    Word and Excel never write one; a DOCTYPE in an Office file is there to declare
    entities: billion laughs, or an external entity reading the server's files (XXE).
    openpyxl parses through defusedxml, which refuses them; python-docx's lxml parser
    leaves external entities unresolved and caps expansion, but would keep the file.
    Each member is inflated in chunks (its size is bounded by ``zip_members``).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1024 * 1024):
                    window = tail + chunk
                    if any(marker in window for marker in _DOCTYPE):
                        raise BadInput(
                            "unsafe_file",
                            f"Tệp {label} chứa khai báo DTD/thực thể XML, điều mà Office "
                            f"không bao giờ tạo: từ chối / the {label} file declares an XML "
                            "DTD or entities, which Office never writes: refused",
                        )
                    tail = window[-_TAIL:]


def table_kind(name: str, data: bytes) -> str:
    """ ".csv" or ".xlsx" after the checks that need no parsing; BadInput otherwise."""
    check_size(data)
    suffix = Path(name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        hint = (
            " (Excel 97-2003: lưu lại thành .xlsx / save it as .xlsx)" if suffix == ".xls" else ""
        )
        raise BadInput(
            "unsupported_file",
            f"Chỉ nhận tệp .csv hoặc .xlsx / only .csv and .xlsx files are accepted{hint}",
        )
    if not data.strip():
        raise BadInput("empty_file", "Tệp rỗng / the file is empty")
    if suffix == ".xlsx":
        check_xlsx(data)
    elif data.startswith((ZIP, OLE)) or b"\x00" in data[:4096]:
        raise BadInput(
            "wrong_content",
            "Tệp .csv này không phải văn bản (có thể là tệp Excel đổi đuôi) / "
            "this .csv file is not text (an Excel file renamed?)",
        )
    return suffix


def csv_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV file as lists of strings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(
            "not_utf8",
            "Tệp CSV phải mã hóa UTF-8 (Excel: Lưu thành › CSV UTF-8) / "
            "a CSV file must be UTF-8 (Excel: Save as › CSV UTF-8)",
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if "'" not in text:
            yield from rows
            return
        # Texts our exports quoted against formula injection (common.spreadsheets).
        for row in rows:
            yield [spreadsheets.csv_uncell(cell) for cell in row]
    except csv.Error as exc:
        raise BadInput(
            "unreadable_file", f"Không đọc được tệp CSV / cannot read the CSV file: {exc}"
        ) from None


def xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    """The rows of the first sheet of a checked .xlsx (``check_xlsx``) as lists of values."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            book.close()
    except BadInput:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise unreadable_xlsx() from None


def table_rows(name: str, data: bytes) -> Iterator[list[Any]]:
    """The rows of an uploaded .csv or .xlsx, after every check above."""
    if table_kind(name, data) == ".xlsx":
        return xlsx_rows(data)
    return csv_rows(data)
