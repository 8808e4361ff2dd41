"""A stand-in for LibreOffice's ``soffice``, run by drafting/pdf.py as the real one is
(``settings.SOFFICE`` names it): it reads the same arguments and writes
``<outdir>/document.pdf``. What it does is set by files in ``FAKE_SOFFICE_DIR``:

- ``mode`` holds ``block`` (the default), ``fail`` or ``garbage``;
- ``block``: create ``started``, wait until ``go`` exists, then write a small real PDF;
- ``fail``: exit 1 saying so on stderr, as a crashed LibreOffice does;
- ``garbage``: exit 0 having written a "PDF" that is not one.

Each run appends a line to ``runs``, so a test can count conversions.
"""

import os
import sys
import threading
from pathlib import Path

# A one-page PDF (what the product stores must start with %PDF-; pdftotext reads it).
PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""


def main(argv: list[str]) -> int:
    folder = Path(os.environ["FAKE_SOFFICE_DIR"])
    mode_file = folder / "mode"
    mode = mode_file.read_text().strip() if mode_file.exists() else "block"
    with open(folder / "runs", "a") as runs:
        runs.write(mode + "\n")
    outdir = Path(argv[argv.index("--outdir") + 1])
    if mode == "fail":
        print("soffice: simulated crash", file=sys.stderr)
        return 1
    if mode == "garbage":
        (outdir / "document.pdf").write_bytes(b"not a pdf")
        return 0
    (folder / "started").touch()
    pause = threading.Event()
    while not (folder / "go").exists():
        pause.wait(0.01)
    (outdir / "document.pdf").write_bytes(PDF)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
