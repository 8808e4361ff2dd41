"""Formal documents: a 10-page report with 5 tables and 2 charts as .docx and .pdf.

Targets (issue 6, Speed): .docx ≤ 1 s; .pdf ≤ 5 s including the LibreOffice conversion.
The document is a specimen (drafting.specimens) in the Party profile, with narrative
paragraphs added until LibreOffice lays it out on at least 10 pages; the charts come as
SVG and are drawn to PNG on each render, as the report templates hand them over.
"""

import io
import resource
import statistics
import tempfile
import time

from bench.measure import Measurement

TITLE = "Văn bản / formal documents (.docx, .pdf through LibreOffice)"
PAGES = 10
TABLES = 5
CHARTS = 2


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _median(function, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def _cpu_median(function, runs: int) -> float:
    """Median CPU seconds of this process and its children (soffice) per call.

    On a shared machine the wall clock measures the other tenants too; the CPU time is
    what a call costs, close to its wall time on an idle core (LibreOffice lays out on
    one thread).
    """
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.process_time()
        function()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        samples.append(time.process_time() - start + children)
    return statistics.median(samples)


def run(progress=print) -> list[Measurement]:
    from trienkhai.drafting import pdf as pdf_module
    from trienkhai.drafting.layout import render_docx, render_pdf
    from trienkhai.drafting.specimens import specimen

    paragraphs = 40
    while True:
        document = specimen("party", paragraphs=paragraphs, tables=TABLES, charts=CHARTS)
        pages = _pages(render_pdf(document))
        progress(f"{paragraphs} paragraphs → {pages} pages")
        if pages >= PAGES:
            break
        paragraphs += 4

    # A fresh LibreOffice profile (the first conversion on a machine, or when the pool
    # of profiles is busy) costs more than a warm one: measured once, reported apart.
    saved = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="bench-drafting-") as fresh:
        tempfile.tempdir = fresh
        try:
            start = time.perf_counter()
            render_pdf(document)
            cold = time.perf_counter() - start
        finally:
            tempfile.tempdir = saved

    render_docx(document)  # imports and the python-docx template, once
    progress("timing .docx")
    docx_s, data = _median(lambda: render_docx(document), runs=10)
    progress("timing .pdf")
    pdf_s, pdf = _median(lambda: render_pdf(document), runs=5)
    convert_s, _ = _median(lambda: pdf_module.docx_to_pdf(data), runs=3)  # type: ignore[arg-type]
    progress("CPU time")
    docx_cpu = _cpu_median(lambda: render_docx(document), runs=5)
    pdf_cpu = _cpu_median(lambda: render_pdf(document), runs=3)
    shape = f"{_pages(pdf):d} pages, {TABLES} tables, {CHARTS} SVG charts"  # type: ignore[arg-type]
    return [
        Measurement(
            "docx_s",
            f"Render the .docx ({shape}), median of 10",
            round(docx_s, 3),
            "s",
            1.0,
        ),
        Measurement(
            "pdf_s",
            "Render the .pdf, .docx + LibreOffice conversion, warm profile, median of 5",
            round(pdf_s, 2),
            "s",
            5.0,
        ),
        Measurement(
            "pdf_convert_s",
            "of which the LibreOffice conversion alone, median of 3",
            round(convert_s, 2),
            "s",
            5.0,
        ),
        Measurement(
            "docx_cpu_s",
            "Render the .docx, CPU seconds, median of 5",
            round(docx_cpu, 3),
            "s",
            1.0,
            "independent of the other tenants of the machine",
        ),
        Measurement(
            "pdf_cpu_s",
            "Render the .pdf, CPU seconds of Python and LibreOffice, median of 3",
            round(pdf_cpu, 2),
            "s",
            5.0,
            "independent of the other tenants of the machine",
        ),
        Measurement(
            "pdf_cold_s",
            "Render the .pdf with a fresh LibreOffice profile (first conversion), once",
            round(cold, 2),
            "s",
            10.0,
            "the profile is created once per pool slot and kept",
        ),
    ]


NOTES = """\
The conversion starts one `soffice --headless` per document; most of its time is
LibreOffice starting and laying out the pages. A user profile is kept per pool slot
(drafting/pdf.py), so only the first conversion on a machine pays for creating one.
Wall times follow the machine's load: measured at a load average of 14 on 2 cores, the
.pdf took 6 s of wall clock for 1.8 s of CPU (Python and LibreOffice together); on a
less loaded machine (earlier runs, load not recorded) a 7-page document converted in 1.2–1.5 s. If the
wall-clock target must hold under load, the next step is a resident LibreOffice
(unoserver / UNO socket) to drop the 1 s start of each conversion.
"""
