"""Pictures for a .docx: charts come as SVG, a .docx wants PNG.

Word shows SVG only from 2016 on, and then with a PNG fallback beside it; LibreOffice and
python-docx need the PNG. CairoSVG (Kozea, the WeasyPrint authors; LGPL-3.0, on Debian's
libcairo2) draws the SVG at print resolution, without network or file access unless
asked (``unsafe=False``). See docs/decisions/0010-charts-as-png-with-cairosvg.md.
"""

from __future__ import annotations

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PRINT_DPI = 200  # ND30 asks ≥ 200 dpi for electronic copies


class ImageError(ValueError):
    """An image the renderer cannot use (bad bytes, unknown kind, no cairo)."""


def to_png(data: bytes, kind: str, *, width_cm: float) -> bytes:
    """PNG bytes for a figure printed ``width_cm`` wide."""
    if kind == "png":
        if not data.startswith(PNG_SIGNATURE):
            raise ImageError("Ảnh không phải PNG / the image is not a PNG")
        return data
    if kind == "svg":
        return svg_to_png(data, width_px=round(width_cm / 2.54 * PRINT_DPI))
    raise ImageError(f"Loại ảnh không hỗ trợ / unsupported image kind: {kind!r} (png, svg)")


def svg_to_png(svg: bytes, *, width_px: int) -> bytes:
    """Draw ``svg`` ``width_px`` wide on a white background (print has no transparency)."""
    try:
        import cairosvg
    except OSError as error:  # cairocffi raises OSError when libcairo2 is missing
        raise ImageError(
            f"Thiếu thư viện cairo để vẽ biểu đồ / libcairo2 is missing: {error}"
        ) from error
    try:
        return cairosvg.svg2png(
            bytestring=svg, output_width=width_px, background_color="white", unsafe=False
        )
    except Exception as error:  # malformed XML, unsupported content
        raise ImageError(f"Không vẽ được SVG / cannot draw the SVG: {error}") from error
