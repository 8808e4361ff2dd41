"""How a report is named for people: on its pages and in the names of its files.

"Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận": the template's name, the
period in words (``reporting.periods``) and the unit whose figures it counts, never
their codes ("so-ket-6-thang, HU-VT, 2020S1"), which say nothing to a reader. A file is
named in Vietnamese whatever the page's language (the document is Vietnamese): its
symbol once issued, else "Dự thảo", then that name; ASCII-folded for the plain
``filename``, as written for ``filename*`` (RFC 6266).
"""

import re

from django.utils import translation

from trienkhai.common.errors import BadInput
from trienkhai.drafting.models import Report
from trienkhai.reporting.periods import parse_span, span_label
from trienkhai.vn import nfc, slug, unaccent
from trienkhai.web import downloads
from trienkhai.web.downloads import UNSAFE
from trienkhai.web.labels import local_name, unit_name

DRAFT = "Dự thảo"
"""What a draft's file name starts with, where an issued one has its symbol."""


def period_words(report: Report) -> str:
    """The report's period in the reader's words ("6 tháng đầu năm 2020", "Năm 2019–2021")."""
    try:
        return span_label(parse_span(report.period))
    except BadInput:
        return report.period


def title(report: Report) -> str:
    """ "Báo cáo sơ kết 6 tháng đầu năm 2020 — Huyện ủy Vĩnh Thuận", in the reader's
    language (the unit's name is a proper noun: Vietnamese in both)."""
    return f"{what(report)} — {unit_name(report.unit, report.date)}"


def what(report: Report) -> str:
    """The template's name with the period in words, without the unit: "Báo cáo sơ kết
    6 tháng đầu năm 2020", "Báo cáo kết quả năm 2021", "Báo cáo sơ kết nhiều năm (5 năm),
    năm 2019–2021". Words the name ends with and the period starts with are written once
    ("6 tháng" + "6 tháng đầu năm 2020")."""
    return joined(local_name(report.template), period_words(report))


def joined(name: str, period: str) -> str:
    """``name`` followed by ``period``, the words they share written once, else after a
    comma with the period's first letter in lower case."""
    words, after = name.split(), period.split()
    for shared in range(min(len(words), len(after)), 0, -1):
        if [w.casefold() for w in words[-shared:]] == [w.casefold() for w in after[:shared]]:
            return " ".join([*words, *after[shared:]])
    return f"{name}, {period[:1].lower()}{period[1:]}" if period else name


def file_names(report: Report, fmt: str) -> tuple[str, str]:
    """(ASCII, Vietnamese) names of the report's ``fmt`` file as downloaded:
    ("du-thao_bao-cao-so-ket-6-thang-dau-nam-2020_huyen-uy-vinh-thuan.docx",
    "Dự thảo - Báo cáo sơ kết 6 tháng đầu năm 2020 - Huyện ủy Vĩnh Thuận.docx"); an issued
    report's start with its symbol ("01-BC-BTGHU_…", "01-BC-BTGHU - …")."""
    with translation.override("vi"):
        about, unit = what(report), unit_name(report.unit, report.date)
    symbol = report.document.symbol if report.document_id and report.document else ""
    first = UNSAFE.sub("-", symbol) if symbol else DRAFT
    shown = nfc(UNSAFE.sub("-", f"{first} - {about} - {unit}"))
    plain = "_".join(
        [
            re.sub(r"[^A-Za-z0-9.-]+", "-", unaccent(first)).strip("-") if symbol else slug(first),
            slug(about, max_length=80),
            slug(unit, max_length=60),
        ]
    )
    return f"{plain}.{fmt}", f"{shown}.{fmt}"


def content_disposition(report: Report, fmt: str) -> str:
    """The Content-Disposition of a download: both names, the Vietnamese one for browsers
    that read ``filename*`` (all current ones), the ASCII one for the others."""
    return downloads.content_disposition(*file_names(report, fmt))
