"""Hostile files, made in memory by the tests (nothing binary is committed).

Each maker returns bytes; the slow ones are cached for the process. What each is:

- ``zip_bomb``: a zip whose one member declares and inflates to ``size`` bytes of zeros
  (a few hundred KB packed);
- ``lying_zip_bomb``: a member that declares 1 KB but inflates to 64 MB (the headers lie);
- ``many_members``: 5,000 empty members (the member-count limit);
- ``with_xml(base, member, prolog)``: an Office file with a DOCTYPE (billion laughs,
  an external entity) put before the root of one XML member;
- ``truncated``: the first half of a real file;
- ``million_rows_csv``: 1,000,001 rows below a header, under the upload limit.
"""

import functools
import io
import re
import struct
import zipfile

BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
"""Nine levels of ten: 10^9 "lol"s (3 GB) if a parser expands them."""
XXE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
"""An external entity: the server's /etc/passwd if a parser resolves it."""
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18"
    b"\xd8\xa9\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_START = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@functools.cache
def zip_bomb(size: int = 256 * 1024 * 1024, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(member, "w", force_zip64=True) as stream,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            stream.write(chunk)
    return out.getvalue()


@functools.cache
def lying_zip_bomb(member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """One member of 64 MB of zeros whose local and central headers say 1,024 bytes."""
    honest = zip_bomb(64 * 1024 * 1024, member)
    data = bytearray(honest)
    # zip64 was forced: the real sizes sit in the extra fields; write small 32-bit sizes
    # and drop the zip64 extras' meaning by pointing the sizes at 1,024.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for found in re.finditer(re.escape(signature), bytes(data)):
            at = found.start() + offset
            data[at : at + 4] = struct.pack("<I", 1024)
    # The zip64 extra field (0x0001) of each header carries the 8-byte real size first.
    for found in re.finditer(rb"\x01\x00(\x10|\x18|\x1c)\x00", bytes(data)):
        at = found.end()
        data[at : at + 8] = struct.pack("<Q", 1024)
    return bytes(data)


@functools.cache
def many_members(count: int = 5_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for i in range(count):
            archive.writestr(f"xl/m{i}.xml", b"")
    return out.getvalue()


def with_xml(base: bytes, member: str, prolog: bytes, *, body: bytes | None = None) -> bytes:
    """``base`` (a zip) with ``prolog`` put before the root element of ``member``, and
    its first ``body`` (when given) replaced by a reference to the prolog's last entity."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as old, zipfile.ZipFile(out, "w") as new:
        assert member in old.namelist(), member
        for info in old.infolist():
            data = old.read(info)
            if info.filename == member:
                declaration = re.match(rb"<\?xml[^>]*\?>\s*", data)
                at = declaration.end() if declaration else 0
                data = data[:at] + prolog + data[at:]
                if body is not None:
                    assert body in data, (member, body)
                    name = re.findall(rb"<!ENTITY (\w+)", prolog)[-1]
                    data = data.replace(body, b"&" + name + b";", 1)
            new.writestr(info, data)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@functools.cache
def million_rows_csv(rows: int = 1_000_001) -> bytes:
    """A bulk-import CSV with ``rows`` data rows (18 bytes each: under 20 MB)."""
    return b"form,unit,period,indicator,option,value\n" + b"HK,C1,2020S1,x,,1\n" * rows


@functools.cache
def word_file() -> bytes:
    import docx

    made = docx.Document()
    made.add_paragraph("Báo cáo sơ kết")
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


@functools.cache
def excel_file() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["form", "unit", "period", "indicator", "option", "value"])
    sheet.append(["HK", "C1", "2020S1", "lop_ke_hoach", "", "Báo cáo"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
