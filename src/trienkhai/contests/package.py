"""The package of the entries forwarded to the higher level's contest (decision 0056).

A .zip with each forwarded entry's file as received (the higher level judges again and
needs the original, authors included: its own judging is blind on its side) under
``{rank}-{receipt}-{name}``, and ``danh-sach.xlsx``: rank, receipt, title, author, unit,
category, prize, each judge's total, the mean (raw) and the normalised score. Made on
request from the round's results; nothing is kept.
"""

import io
import zipfile
from pathlib import Path

from django.conf import settings

from trienkhai.common.errors import Conflict, NotFound
from trienkhai.common.spreadsheets import xlsx_row
from trienkhai.contests import results
from trienkhai.contests.models import Contest, Round, Score

LIST_NAME = "danh-sach.xlsx"
HEADERS = [
    "Hạng",
    "Biên nhận",
    "Tên tác phẩm",
    "Tác giả",
    "Đơn vị",
    "Thể loại",
    "Giải",
    "Điểm các giám khảo",
    "Điểm trung bình",
    "Điểm chuẩn hóa",
]


def forwarded_zip(contest: Contest, round: Round) -> bytes:
    """The package; 409 while no entry of the round is forwarded."""
    found = [r for r in results.winners(round) if r.is_forwarded]
    if not found:
        raise Conflict(
            "nothing_forwarded",
            "Chưa có bài nào được chọn gửi cấp trên: đặt số bài và xét giải trước / no "
            "entry is forwarded yet: set the quota and draw the results first",
        )
    totals: dict[int, list[str]] = {}
    for entry, total in (
        Score.objects.filter(round=round, entry__in=[r.entry_id for r in found])
        .order_by("entry", "judge")
        .values_list("entry_id", "total")
    ):
        totals.setdefault(entry, []).append(f"{total:.2f}".replace(".", ","))
    year = contest.opens.year
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for r in found:
            path = Path(settings.MEDIA_ROOT) / r.entry.path
            if not path.is_file():
                raise NotFound("tệp bài dự thi / entry file", r.entry.receipt)
            receipt = r.entry.receipt_of(r.entry.number, year).replace("/", "-")
            package.write(path, f"{r.rank:03d}-{receipt}-{r.entry.file_name}")
        package.writestr(LIST_NAME, _list(contest, found, totals))
    return out.getvalue()


def _list(contest: Contest, found: list, totals: dict[int, list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(HEADERS)
    year = contest.opens.year
    for r in found:
        entry = r.entry
        sheet.append(
            xlsx_row(
                sheet,
                [
                    r.rank,
                    entry.receipt_of(entry.number, year),
                    entry.title,
                    entry.author_name,
                    results.unit_name(entry, contest.closes),
                    entry.category.name if entry.category else "",
                    r.prize.shown if r.prize else "",
                    "; ".join(totals.get(entry.pk, [])),
                    round(r.raw, 4),
                    round(r.normalised, 4),
                ],
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
