"""Certificates, seals and PDFs made here, for the demo, the tests and the benchmark.

A root certificate authority, organisation certificates issued by it as PKCS#12 files,
a seal image and a plain text PDF, all made with ``cryptography`` and Pillow: nothing is
fetched from the network. None of them is a real certificate: a PDF sealed with them
is trusted only where their root is configured (``settings.SIGNATURE_TRUST_ROOTS``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_root(common_name: str = "trienkhai Test Root CA", *, days: int = 3650) -> Issued:
    """A self-signed root certificate authority valid from yesterday for ``days``."""
    key = _key()
    name = _name(common_name, "trienkhai (không phải chứng thư thật / not a real CA)")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    root: Issued,
    common_name: str,
    organisation: str = "",
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Issued:
    """A signing certificate issued by ``root`` (non-repudiation, as PAdES validators
    expect), valid from yesterday for two years unless told otherwise."""
    key = _key()
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    end = not_after or start + dt.timedelta(days=730)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()),
            critical=False,
        )
        .sign(root.key, hashes.SHA256())
    )
    return Issued(key, cert)


def to_pkcs12(issued: Issued, root: Issued, password: str) -> bytes:
    """``issued`` with its key and the root's certificate, as a PKCS#12 file."""
    return pkcs12.serialize_key_and_certificates(
        name=issued.cert.subject.rfc4514_string().encode(),
        key=issued.key,
        cert=issued.cert,
        cas=[root.cert],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def seal_png(label: str, *, size: int = 480) -> bytes:
    """A round red seal on a transparent background, ``label`` (ASCII) in the middle."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (214, 0, 0, 235)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=size // 30)
    draw.ellipse((size // 8, size // 8, size - size // 8, size - size // 8), outline=red, width=4)
    font = ImageFont.load_default(size=size // 10)
    draw.text((size / 2, size / 2), label, fill=red, font=font, anchor="mm")
    draw.regular_polygon((size / 2, size * 0.32, size // 14), 5, fill=red)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


SIGNATURE_BLOCK = ("T/M BAN THUONG VU", "PHO BI THU", "", "", "", "")
"""The signature block of ``text_pdf``'s last page, above the signer's name."""


def text_pdf(pages: int = 1, *, signer: str = "Nguyen Van A", title: str = "BAO CAO") -> bytes:
    """An A4 PDF of ``pages`` pages of text (Helvetica, ASCII), the last one ending with a
    signature block naming ``signer`` on the right, as a report's does."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    def stream(lines: list[tuple[float, float, str]]) -> bytes:
        ops = "".join(f"BT /F1 12 Tf {x:.0f} {y:.0f} Td ({escape(t)}) Tj ET\n" for x, y, t in lines)
        return ops.encode("latin-1")

    contents = []
    for number in range(1, pages + 1):
        lines = [(72.0, 780.0, f"{title} - trang {number}/{pages}")]
        lines += [
            (72.0, 750.0 - 16 * i, f"Dong {i + 1}: noi dung bao cao so ket, trang {number}.")
            for i in range(30 if number < pages else 12)
        ]
        if number == pages:
            top = 520.0
            for i, text in enumerate([*SIGNATURE_BLOCK, signer]):
                lines.append((340.0, top - 16 * i, text))
            lines.append((72.0, top, "Noi nhan:"))
            lines.append((72.0, top - 16, "- Luu VT."))
        contents.append(stream(lines))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for content in contents:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_number
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
