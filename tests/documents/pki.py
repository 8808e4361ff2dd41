"""A test PKI (made once per process: RSA keys take a moment) and the signer's tool.

``tool_sign`` stands in for the signer's own signing software (VGCA's, with a token):
it signs the downloaded PDF with pyHanko by incremental update, as such tools do.
"""

import concurrent.futures
import datetime as dt
import functools
import io
from types import SimpleNamespace

from trienkhai.documents.signing import specimens

PASSWORD = "mật-khẩu-đúng"


@functools.cache
def pki() -> SimpleNamespace:
    now = dt.datetime.now(dt.UTC)
    root = specimens.make_root("Test Root CA")
    other = specimens.make_root("Other Root CA")
    return SimpleNamespace(
        root=root,
        other=other,
        organisation=specimens.issue(root, "Ban Tuyen giao Huyen uy", "Huyen uy Vinh Thuan"),
        person=specimens.issue(root, "Nguyen Van A", "Ban Tuyen giao Huyen uy"),
        stranger=specimens.issue(other, "Nguoi La", "Co quan khac"),
        expired=specimens.issue(
            root,
            "Chung thu het han",
            "Ban Tuyen giao Huyen uy",
            not_before=now - dt.timedelta(days=800),
            not_after=now - dt.timedelta(days=30),
        ),
    )


def pkcs12(issued, root=None, password: str = PASSWORD) -> bytes:
    return specimens.to_pkcs12(issued, root or pki().root, password)


def tool_sign(
    data: bytes, issued, root=None, field: str = "KyDuyet", *, also_write: bytes = b""
) -> bytes:
    """``data`` signed by ``issued`` with pyHanko (PAdES, an invisible field); with
    ``also_write``, that text operator is added to page 1 in the signature's own update
    (a tool that changes the document while signing it).

    In a thread of its own: pyHanko's synchronous call starts an event loop, which fails
    in a test process where Playwright's sync API (a browser test before this one on the
    same xdist worker) left its loop running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_tool_sign, data, issued, root, field, also_write).result()


def _tool_sign(data: bytes, issued, root, field: str, also_write: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(
        pkcs12(issued, root, "x"), other_certs=[], passphrase=b"x"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if also_write:
        from pyhanko.pdf_utils import generic

        page = writer.root["/Pages"]["/Kids"][0].get_object()
        extra = writer.add_object(generic.StreamObject(stream_data=also_write))
        page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
        writer.update_container(page)
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()
