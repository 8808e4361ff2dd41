"""PAdES signatures with pyHanko: the only module that imports it (decision 0031).

``seal`` adds a visible signature by incremental update (the bytes before it are kept,
so earlier signatures stay intact); ``validate`` reads every signature of a PDF and
judges it against the configured roots, without any network access (no OCSP, CRL or
time-stamp fetching: ``allow_fetching=False``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
import logging
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trienkhai.common.errors import BadInput

SEAL_PT = 102
"""The seal's printed size, 36 mm (a district body's round seal), in PDF points."""
SIGNATURE_WIDTH_PT = 150
"""The width a signer's image takes between the position line and the name."""


@dataclass(frozen=True)
class Placement:
    page: int
    box: tuple[int, int, int, int]
    found: bool
    """Whether the signer's name was found (else the default place: last page, right)."""


def _outside_event_loop(function):
    """Run ``function`` in a worker thread when this thread runs an asyncio loop.

    pyHanko's synchronous calls start their own loop (``asyncio.run``), which fails
    inside a running one (an ASGI server, Playwright's sync API in tests)."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return call


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def unreadable() -> BadInput:
    return BadInput(
        "unreadable_pdf",
        "Không đọc được tệp PDF (tệp hỏng, có mật khẩu hoặc không phải PDF) / the PDF cannot "
        "be read (damaged, password-protected or not a PDF)",
    )


def locate_signer(data: bytes, name: str) -> Placement:
    """Where the seal goes: over the left third of the signer's area, above ``name`` in the
    right half of the last page that shows it (Nghị định 30/2020, Appendix I)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except Exception:  # pypdf raises many kinds of errors on a damaged file
        raise unreadable() from None
    if not pages:
        raise unreadable()
    wanted = _fold(name) if name.strip() else ""
    for index in range(len(pages) - 1, -1, -1) if wanted else ():
        page = pages[index]
        width = float(page.mediabox.width)
        lines: dict[int, list[tuple[float, str, float]]] = {}

        def visit(text, cm, tm, font, size, lines=lines, width=width):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if x >= width * 0.4:
                scale = abs(tm[3] * cm[3]) or 1.0
                lines.setdefault(round(y), []).append((x, text, (size or 12) * scale))

        try:
            page.extract_text(visitor_text=visit)
        except Exception:
            continue
        for y, chunks in sorted(lines.items()):
            chunks.sort()
            if wanted in _fold("".join(text for _, text, _ in chunks)):
                left, _, size = chunks[0]
                centre = left + 0.5 * size * len(name) / 2
                cx, cy = centre - SIGNATURE_WIDTH_PT * 0.3, y + 50
                return Placement(index, _box(cx, cy, page), True)
    last = pages[-1]
    width = float(last.mediabox.width)
    return Placement(len(pages) - 1, _box(width * 0.7, 200, last), False)


def _box(cx: float, cy: float, page) -> tuple[int, int, int, int]:
    half = SEAL_PT / 2
    left = min(max(cx - half, 0), float(page.mediabox.width) - SEAL_PT)
    bottom = min(max(cy - half, 0), float(page.mediabox.height) - SEAL_PT)
    return (round(left), round(bottom), round(left + SEAL_PT), round(bottom + SEAL_PT))


@_outside_event_loop
def seal(
    data: bytes,
    *,
    pkcs12: bytes,
    password: str,
    image: bytes,
    placement: Placement,
    reason: str,
    location: str,
) -> bytes:
    """``data`` signed (PAdES B-B, SHA-256) with the PKCS#12's key, the seal image shown at
    ``placement``; the earlier bytes unchanged."""
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    signer = _signer(pkcs12, password)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        existing = len(writer.prev.embedded_signatures)
    except Exception:
        raise unreadable() from None
    name = f"DongDau{existing + 1}"
    spec = fields.SigFieldSpec(name, on_page=placement.page, box=placement.box)
    style = StaticStampStyle(
        background=PdfImage(Image.open(io.BytesIO(image))),
        border_width=0,
        background_opacity=1.0,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec).sign_pdf(
        writer
    )
    return out.getvalue()


COPY_FONT_PT = 10
"""Nghị định 30/2020, Appendix I: the electronic copy's text in Times New Roman 10."""
COPY_MARGIN_PT = 14
"""From the page's top and right edges: inside the 20 mm top margin, above the heading."""
COPY_LEADING_PT = 12
"""From one line of the electronic copy's text to the next."""
COPY_PADDING_PT = 2


@functools.lru_cache(maxsize=4)
def _advances(font_file: str) -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_file, lazy=True) as font:
        widths = {name: advance for name, (advance, _) in font["hmtx"].metrics.items()}
        return dict(font.getBestCmap()), widths, font["head"].unitsPerEm


def _text_width(text: str, font_file: str, size: float) -> float:
    """The printed width of ``text`` in the font at ``size`` points (no kerning)."""
    cmap, widths, per_em = _advances(font_file)
    units = sum(widths.get(cmap.get(ord(char), ".notdef"), per_em // 2) for char in text)
    return units * size / per_em


def font_for_copies(source: str, cache_dir: Path) -> str:
    """``source`` (a TrueType font) with 1,000 units to the em, made once into
    ``cache_dir``: pyHanko writes a CID font's widths in the font's own units, which PDF
    reads as thousandths of an em, so a 2,048-unit font (Liberation Serif, Times New
    Roman) would print its letters twice their width apart."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    with TTFont(source, lazy=True) as font:
        if font["head"].unitsPerEm == 1000:
            return source
    made = cache_dir / f"{Path(source).stem}-1000.ttf"
    if not made.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with TTFont(source) as font:
            scale_upem(font, 1000)
            partial = made.with_suffix(f".{os.getpid()}.part")
            font.save(partial)
        partial.replace(made)
    return str(made)


def _top_right(data: bytes) -> tuple[float, float]:
    """The point the electronic copy's text hangs from: page 1's top right, inset."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        return float(box.right) - COPY_MARGIN_PT, float(box.top) - COPY_MARGIN_PT
    except Exception:  # pypdf raises many kinds of errors on a damaged file
        raise unreadable() from None


@_outside_event_loop
def copy(
    data: bytes,
    *,
    pkcs12: bytes,
    password: str,
    lines: list[str],
    at: dt.datetime,
    font_file: str,
    reason: str,
    location: str,
) -> bytes:
    """``data`` signed (PAdES B-B, SHA-256) as an electronic copy: no image, ``lines`` of
    text at the top right of page 1 in ``font_file`` at 10 pt, black, signed at ``at``
    (which the text shows; the signature's signing time is the same instant)."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset"
    right, top = _top_right(data)
    signer = _signer(pkcs12, password)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        existing = len(writer.prev.embedded_signatures)
    except Exception:
        raise unreadable() from None
    width = max(_text_width(line, font_file, COPY_FONT_PT) for line in lines)
    width += 2 * COPY_PADDING_PT
    height = len(lines) * COPY_LEADING_PT + 2 * COPY_PADDING_PT + 3  # 3: the last descender
    box = (round(right - width), round(top - height), round(right), round(top))
    name = f"BanSao{existing + 1}"
    spec = fields.SigFieldSpec(name, on_page=0, box=box)
    # At its own size, never scaled to fit: the text is 10 pt, and the box is made for it.
    at_size = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MIN,
        y_align=layout.AxisAlignment.ALIGN_MAX,
        margins=layout.Margins.uniform(COPY_PADDING_PT),
        inner_content_scaling=layout.InnerScaling.NO_SCALING,
    )
    style = TextStampStyle(
        stamp_text="\n".join(line.replace("%", "%%") for line in lines),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(font_file, font_size=COPY_FONT_PT),
            font_size=COPY_FONT_PT,
            leading=COPY_LEADING_PT,
            border_width=0,
            box_layout_rule=at_size,
        ),
        border_width=0,
        background=None,
        inner_content_layout=at_size.substitute_margins(layout.Margins()),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )

    class SignedAt(signers.PdfSigner):
        def init_signing_session(self, *args, **kwargs):
            session = super().init_signing_session(*args, **kwargs)
            session.system_time = at
            return session

    out = SignedAt(meta, signer=signer, stamp_style=style, new_field_spec=spec).sign_pdf(writer)
    return out.getvalue()


@functools.lru_cache(maxsize=32)
def _signer(pkcs12: bytes, password: str):
    """A pyHanko signer for the PKCS#12, its key loaded once and kept for the next seals.

    pyHanko's SimpleSigner re-reads its RSA key from DER for every signature, twice a
    seal (the size estimate, then the signature), and ``cryptography`` checks an RSA key
    at each load: 0.2 s each on this machine, most of a seal. The key was checked when
    the PKCS#12 was opened (``read_pkcs12``, and ``load_pkcs12_data`` here), so it is
    loaded once more without the check and reused while this process lives."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    base = signers.SimpleSigner.load_pkcs12_data(
        pkcs12, other_certs=[], passphrase=password.encode()
    )
    key = load_der_private_key(
        base.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
    )

    class Signer(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = ""
            if isinstance(key, rsa.RSAPrivateKey) and algorithm == "rsassa_pkcs1v15":
                hashed = get_pyca_cryptography_hash(digest_algorithm)
                return key.sign(data, padding.PKCS1v15(), hashed)
            return super().sign_raw(data, digest_algorithm)

    return Signer(
        signing_cert=base.signing_cert,
        signing_key=base.signing_key,
        cert_registry=base.cert_registry,
        signature_mechanism=base.signature_mechanism,
    )


def count(data: bytes) -> int:
    """How many signatures ``data`` holds."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return len(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception:
        raise unreadable() from None


def load_roots(paths: list[str]) -> list[Any]:
    """The certificates in the PEM or DER files ``paths`` (a file that cannot be read is
    skipped and logged: a wrong setting must not stop every verification)."""
    from pyhanko.keys import load_certs_from_pemder

    found: list[Any] = []
    for path in paths:
        try:
            found.extend(load_certs_from_pemder([path]))
        except Exception:
            logging.getLogger(__name__).warning("cannot read the trust root %s", path)
    return found


def _common_name(name) -> str:
    native = name.native
    return str(native.get("common_name") or name.human_friendly)


@_outside_event_loop
def validate(data: bytes, roots: list[Any], *, now: dt.datetime) -> list[dict]:
    """One dict per signature, in the order they were applied (see ``signing.Signature``)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        found = list(reader.embedded_signatures)
    except Exception:
        raise unreadable() from None
    results = []
    for embedded in found:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=now)
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception as exc:  # a damaged signature: shown, never taken as valid
            results.append(_broken(embedded, exc))
            continue
        cert = status.signing_cert
        modified = (
            not status.intact
            or not status.valid
            or status.coverage is None
            or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
            or status.modification_level == ModificationLevel.OTHER
            or status.docmdp_ok is False
        )
        expired = not (cert.not_valid_before <= now <= cert.not_valid_after)
        path = status.validation_path
        chain = (
            [_common_name(c.subject) for c in reversed(list(path.iter_certs(include_root=True)))]
            if path is not None
            else [_common_name(cert.subject)]
        )
        if modified:
            verdict = "modified"
        elif expired:
            verdict = "expired"
        elif status.revoked:
            verdict = "revoked"
        elif not status.trusted:
            verdict = "untrusted"
        else:
            verdict = "valid"
        signed_at = status.signer_reported_dt
        results.append(
            {
                "field": embedded.field_name,
                "signer": _common_name(cert.subject),
                "organisation": str(cert.subject.native.get("organization_name") or ""),
                "signed_at": signed_at,
                "intact": bool(status.intact and status.valid and not modified),
                "trusted": bool(status.trusted and not modified and not expired),
                "expired": expired,
                "valid_until": cert.not_valid_after,
                "chain": chain,
                "status": verdict,
            }
        )
    return results


def _broken(embedded, exc: Exception) -> dict:
    return {
        "field": getattr(embedded, "field_name", ""),
        "signer": "",
        "organisation": "",
        "signed_at": None,
        "intact": False,
        "trusted": False,
        "expired": False,
        "valid_until": None,
        "chain": [],
        "status": "modified",
    }


def revisions(data: bytes) -> int:
    """How many revisions (the original and each incremental update) ``data`` has."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(data), strict=False).xrefs.total_revisions
    except Exception:
        raise unreadable() from None


CATALOG_KEYS = {"/AcroForm", "/Perms", "/DSS", "/Metadata", "/Extensions", "/Version"}
"""What a signature may change in the document catalog (its form, validation data)."""
FORM_KEYS = {"/Fields", "/SigFlags", "/DR", "/DA"}


def only_signatures_added(data: bytes, base_revisions: int) -> bool:
    """Whether every update after the first ``base_revisions`` revisions only adds
    signatures: new signature fields and their widgets, the form and validation data
    in the catalog, the document information. Any other object of the original changed
    (a page's content, resources or any annotation but a signature's widget) → False.

    pyHanko's difference analysis judges what follows a signature; it cannot judge the
    revision that adds the first signature to a PDF without a form, which is the one a
    signer's tool sends back here."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        total = reader.xrefs.total_revisions
        info = reader.trailer_view.get_value_as_reference("/Info", optional=True)
        for revision in range(base_revisions, total):
            old = reader.get_historical_resolver(revision - 1)
            new = reader.get_historical_resolver(revision)
            for ref in reader.xrefs.explicit_refs_in_revision(revision):
                if reader.xrefs.get_introducing_revision(ref) >= base_revisions:
                    continue  # an object the original did not have
                if not _allowed_change(old(ref), new(ref), ref, old, new, info, generic):
                    return False
    except Exception:
        return False
    return True


def _allowed_change(before, after, ref, old, new, info, generic) -> bool:
    if ref == info:
        return True  # the document information (producer, modification date)
    if not isinstance(before, generic.DictionaryObject) or not isinstance(
        after, generic.DictionaryObject
    ):
        return False
    kind = before.get("/Type")
    if kind == "/Metadata":
        return True  # the XMP metadata stream
    if ref == old.root_ref:
        return _same_but(before, after, CATALOG_KEYS)
    if kind == "/Page":
        if not _same_but(before, after, {"/Annots"}):
            return False
        kept = {a.reference for a in before.get("/Annots", []) if hasattr(a, "reference")}
        added = [a for a in after.get("/Annots", []) if getattr(a, "reference", None) not in kept]
        return all(_is_signature_widget(a.get_object()) for a in added)
    if "/Fields" in before or "/SigFlags" in before:
        return _same_but(before, after, FORM_KEYS)  # the form (an indirect /AcroForm)
    return False


def _same_but(before, after, keys: set[str]) -> bool:
    names = (set(before) | set(after)) - keys
    return all(before.get(name) == after.get(name) for name in names)


def _is_signature_widget(annotation) -> bool:
    field = annotation
    if "/FT" not in field and "/Parent" in field:
        field = field["/Parent"]
    return annotation.get("/Subtype") == "/Widget" and field.get("/FT") == "/Sig"
