"""Generated files read back with their own tools: python-docx and pdftotext."""

import io
import subprocess

import docx


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, in order, one per line."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(paragraphs + cells)


def pdf_text(data: bytes) -> str:
    """The text of a PDF (pdftotext), whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    return " ".join(out.decode("utf-8").split())
