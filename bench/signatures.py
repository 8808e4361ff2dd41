"""Sealing and verifying a signed PDF (documents.signing).

Targets (issue 13, Speed): seal a 10-page PDF ≤ 0.5 s; verify ≤ 0.3 s. A 10-page text
PDF (documents.signing.specimens), an organisation certificate of a made-up root
(RSA 2048, PKCS#12) and a seal image; the seal is measured as ``signing.seal`` does it
outside its transaction: decrypting the stored PKCS#12, finding the signer's name,
signing with the seal's appearance, and verifying the result to answer it. The
transaction that then records the file is a single insert. Verification is
``signing.verify``: every signature, its chain against the configured root, the
difference analysis.
"""

import tempfile
from pathlib import Path

from bench.measure import Measurement, repeat_ms

TITLE = "Chữ ký số / signed PDFs (10 trang)"
RUNS = 20


def run(progress=print) -> list[Measurement]:
    from django.conf import settings

    from trienkhai.documents import signing
    from trienkhai.documents.signing import _pades, at_rest, specimens

    progress("a test root, an organisation certificate, a 10-page PDF")
    root = specimens.make_root("Bench Root CA")
    issued = specimens.issue(root, "Ban Tuyen giao Huyen uy", "Huyen uy Vinh Thuan")
    folder = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    (folder / "root.pem").write_bytes(root.pem)
    settings.SIGNATURE_TRUST_ROOTS = [str(folder / "root.pem")]
    settings.SIGNATURE_ROOTS_DIR = folder / "none"
    stored = at_rest.encrypt(specimens.to_pkcs12(issued, root, "bench"))
    password = at_rest.encrypt(b"bench")
    image = specimens.seal_png("BTGHU")
    pdf = specimens.text_pdf(10, signer="Nguyen Van A")

    def seal() -> list:
        placement = _pades.locate_signer(pdf, "Nguyen Van A")
        signed = _pades.seal(
            pdf,
            pkcs12=at_rest.decrypt(stored),
            password=at_rest.decrypt(password).decode(),
            image=image,
            placement=placement,
            reason=signing.REASON,
            location="Vĩnh Thuận",
        )
        return signing.verify(signed)

    progress("sealing")
    sealed = repeat_ms(seal, runs=RUNS, warmup=2)
    signed = _pades.seal(
        pdf,
        pkcs12=specimens.to_pkcs12(issued, root, "x"),
        password="x",
        image=image,
        placement=_pades.locate_signer(pdf, "Nguyen Van A"),
        reason=signing.REASON,
        location="",
    )
    assert [s["status"] for s in signing.verify(signed)] == ["valid"]
    progress("verifying")
    verified = repeat_ms(lambda: signing.verify(signed), runs=RUNS, warmup=2)
    note = f"median of {RUNS} runs after 2 (the first seal of a process also loads pyHanko and the key: ~1.5 s); {len(pdf) // 1024} KB PDF"
    return [
        Measurement(
            "seal_10_pages_s",
            "Đóng dấu PDF 10 trang (kèm kiểm tra) / seal a 10-page PDF (with its check)",
            round(sealed["median"] / 1000, 3),
            "s",
            0.5,
            f"{note}; p95 {sealed['p95'] / 1000:.3f} s",
        ),
        Measurement(
            "verify_10_pages_s",
            "Kiểm tra chữ ký PDF 10 trang / verify a sealed 10-page PDF",
            round(verified["median"] / 1000, 3),
            "s",
            0.3,
            f"{note}; p95 {verified['p95'] / 1000:.3f} s",
        ),
    ]
