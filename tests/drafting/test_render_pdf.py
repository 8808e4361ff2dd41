"""The .pdf of a formal document: LibreOffice for real, read back with poppler.

Page 1 of each profile is saved as test-artifacts/drafting-<profile>-page1.png to look at.
"""

import subprocess
import threading
import unicodedata
from pathlib import Path

import pytest

from trienkhai.drafting.layout import render_docx, render_pdf
from trienkhai.drafting.pdf import ConversionError, docx_to_pdf
from trienkhai.drafting.specimens import specimen

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PROFILES = ["state", "party", "party-2026"]


def poppler(tool: str, pdf: Path, *args: str) -> str:
    done = subprocess.run([tool, *args, str(pdf)], capture_output=True, text=True, check=True)
    return done.stdout


def text_of(pdf: Path, first: int = 1, last: int = 0) -> str:
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """One PDF per profile, two pages long (a page break before the closing)."""
    folder = tmp_path_factory.mktemp("pdf")
    made = {}
    for profile in PROFILES:
        path = folder / f"{profile}.pdf"
        path.write_bytes(render_pdf(specimen(profile, paragraphs=10, tables=1, charts=1)))
        made[profile] = path
    return made


@pytest.mark.parametrize("profile", PROFILES)
def test_it_makes_a_pdf_whose_vietnamese_text_reads_back(pdfs, profile):
    pdf = pdfs[profile]
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = text_of(pdf)
    assert unicodedata.is_normalized("NFC", text)
    if profile == "state":
        expected = [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN",
            "XÃ THƯỢNG LÂM",
            "Số: 04/BC-UBND",
            "Thượng Lâm, ngày 05 tháng 8 năm 2025",
            "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm, phương hướng,",
        ]
    else:
        expected = [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "HUYỆN ỦY VĨNH THUẬN",
            "BAN TUYÊN GIÁO",
            "Số 04-BC/BTGHU",
            "Vĩnh Thuận, ngày 15 tháng 6 năm 2020",
            "đấu tranh, phản bác các quan điểm sai trái, thù địch trên không gian mạng",
        ]
    expected += ["BÁO CÁO", "Nhìn chung, 42/42 chi, đảng ủy trực thuộc", "Biểu 1."]
    for line in expected:
        assert line in text, line


@pytest.mark.parametrize("profile", PROFILES)
def test_it_embeds_the_liberation_serif_it_uses(pdfs, profile):
    rows = poppler("pdffonts", pdfs[profile]).splitlines()[2:]
    assert rows, "no font in the PDF"
    for row in rows:
        name, *_, emb, _sub, uni, _obj, _gen = row.split()
        assert "LiberationSerif" in name, row  # no fallback font for a missing glyph
        assert (emb, uni) == ("yes", "yes"), row
    styles = {row.split()[0].split("+")[-1] for row in rows}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= styles


@pytest.mark.parametrize("profile", PROFILES)
def test_it_numbers_pages_from_the_second(pdfs, profile):
    pages = int(
        next(
            line.split()[1]
            for line in poppler("pdfinfo", pdfs[profile]).splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages >= 2
    first_line_of_page = [text_of(pdfs[profile], n, n).strip().splitlines()[0] for n in (1, 2)]
    assert first_line_of_page[0] != "1"  # page 1 shows no number
    assert first_line_of_page[1] == "2"  # page 2 has it at the top


@pytest.mark.parametrize("profile", PROFILES)
def test_it_renders_page_one_to_an_image(pdfs, profile):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"drafting-{profile}-page1"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdfs[profile]),
            str(stem),
        ],
        check=True,
    )
    image = stem.with_suffix(".png")
    data = image.read_bytes()
    assert data.startswith(b"\x89PNG")
    # A4 (210 × 297 mm) at 100 dpi: 827 × 1169 pixels, give or take poppler's rounding
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert abs(width - 827) <= 1 and abs(height - 1169) <= 1


def test_it_converts_in_parallel_without_collisions():
    """GIVEN two threads WHEN both convert at once THEN each gets its own PDF (own profile)."""
    sources = [render_docx(specimen("party", number=n)) for n in (11, 12)]
    results: dict[int, bytes | Exception] = {}

    def convert(n: int) -> None:
        try:
            results[n] = docx_to_pdf(sources[n])
        except Exception as error:  # reported by the assertion below
            results[n] = error

    threads = [threading.Thread(target=convert, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(result, bytes) for result in results.values()), results


def test_it_says_clearly_when_libreoffice_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no soffice on the PATH
    with pytest.raises(ConversionError, match="soffice"):
        docx_to_pdf(render_docx(specimen("state")))


def test_it_stops_libreoffice_that_takes_too_long():
    with pytest.raises(ConversionError, match=r"0\.01"):
        docx_to_pdf(render_docx(specimen("state")), timeout=0.01)


def test_it_refuses_what_is_not_a_docx():
    with pytest.raises(ConversionError, match=r"\.docx"):
        docx_to_pdf(b"plain text that LibreOffice would happily print")
