"""What the editor and the preview tell the writer beside a draft (issue 14).

- ``legend``: every placeholder a draft's texts may use ("{so_ban_dang_ky}"), what it
  stands for in words (in the reader's language) and what it prints now, the ones the
  texts use first with the paragraphs using them. The placeholders stay in the texts,
  so that a figure approved after the draft was written still reaches it; the legend
  is what makes them readable.
- ``notes``: what the writer must look at before issuing: no directive found for the
  period (the sentences citing it are written without it, or print "…"), figures the
  texts use that have no value yet (they print "…"), a rate computed over fewer units
  than reported (``drafting.rates``), a rate read from a register printed with a count
  the reports typed (two sources for one document).
- ``paragraph_labels``: each text block's number as the reader sees it ("2.1").

Nothing here reads figures: everything comes from the ``blocks.Page`` the report was
laid out from.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trienkhai.drafting import rates, registers
from trienkhai.drafting.catalogue import block_key
from trienkhai.drafting.reports import DIRECTIVE_PLACEHOLDERS, Number
from trienkhai.reporting.periods import parse_span, span_label
from trienkhai.web.labels import local_name, unit_name

MEANINGS = {
    "unit": gettext_lazy("Tên đơn vị có số liệu trong báo cáo"),
    "issuer": gettext_lazy("Tên đơn vị ban hành báo cáo"),
    "period": gettext_lazy("Kỳ báo cáo, viết bằng chữ"),
    "year": gettext_lazy("Năm của kỳ báo cáo (năm cuối, nếu báo cáo cả một giai đoạn)"),
    "first_year": gettext_lazy("Năm đầu của giai đoạn báo cáo"),
    "so_nam": gettext_lazy("Số năm của giai đoạn báo cáo"),
    "next_period": gettext_lazy("Kỳ tiếp theo, viết bằng chữ"),
    "place": gettext_lazy("Địa danh ghi ở đầu báo cáo"),
    # What a placeholder that may print nothing is, says when it prints; that it prints
    # nothing now is said once, by the screens ("(không in gì)").
    "thuc_hien_chi_dao": gettext_lazy(
        "Câu dẫn “Thực hiện …;” nêu văn bản chỉ đạo và trích yếu của nó, khi báo cáo có văn "
        "bản chỉ đạo"
    ),
    "chi_dao": gettext_lazy(
        "Văn bản chỉ đạo mà báo cáo trả lời: loại, số, ngày, cơ quan ban hành; in “…” khi chưa có"
    ),
    "chi_dao_trich_yeu": gettext_lazy("Trích yếu của văn bản chỉ đạo (“về …”); in “…” khi chưa có"),
}
"""The fixed placeholders of ``reports.context_of``, in words."""
LABELS = {
    "unit": gettext_lazy("Tên đơn vị"),
    "issuer": gettext_lazy("Tên đơn vị ban hành"),
    "period": gettext_lazy("Kỳ báo cáo"),
    "year": gettext_lazy("Năm báo cáo"),
    "first_year": gettext_lazy("Năm đầu của giai đoạn"),
    "so_nam": gettext_lazy("Số năm của giai đoạn"),
    "next_period": gettext_lazy("Kỳ tiếp theo"),
    "place": gettext_lazy("Địa danh"),
    "thuc_hien_chi_dao": gettext_lazy("Câu dẫn “Thực hiện …”"),
    "chi_dao": gettext_lazy("Văn bản chỉ đạo"),
    "chi_dao_trich_yeu": gettext_lazy("Trích yếu của văn bản chỉ đạo"),
}
"""The fixed placeholders' names, as a writer looks them up ("Chèn số liệu")."""
SHOWN_NAMES = 5
"""Units named in a note before "and N more"."""


@dataclass
class Entry:
    """One placeholder of the legend."""

    name: str  # "so_ban_dang_ky"
    label: str  # its name in the reader's language: "Bản đăng ký tu dưỡng, rèn luyện…"
    meaning: str  # in the reader's language
    value: str  # what it prints now ("2.073"), or words saying it prints nothing
    used_in: list[str] = field(default_factory=list)  # paragraph labels: ["2.1"]

    @property
    def is_used(self) -> bool:
        return bool(self.used_in)


# Paragraphs -------------------------------------------------------------------------------

_PRINTED_NUMBER = re.compile(r"^\s*(\d+|[IVXLC]+)\s*[.)]")


def paragraph_labels(definition: dict) -> dict[str, str]:
    """Each text block's number as the reader sees it: the number of the section heading
    printed above it and its place under that heading ("3.1" under "3. Hạn chế, nguyên
    nhân", the template's fourth section), its place alone before any numbered heading.
    A section without a heading reads on from the one before, as it prints."""
    labels: dict[str, str] = {}
    number, count = "", 0
    for s, section in enumerate(definition["sections"], start=1):
        if section.get("heading"):
            match = _PRINTED_NUMBER.match(section["heading"])
            number, count = (match.group(1) if match else ""), 0
        for b, block in enumerate(section.get("blocks") or [], start=1):
            if block["kind"] == "text":
                count += 1
                labels[block_key(s, b)] = f"{number}.{count}" if number else str(count)
    return labels


def texts_of(report: Any) -> dict[str, str]:
    """The report's texts by paragraph key as they are now (edited, else the template's),
    and its title under "title"."""
    from trienkhai.drafting.reports import narrative_of

    found = {
        key: report.narrative.get(key, text) for key, text in narrative_of(report.template).items()
    }
    found["title"] = report.title
    return found


def placeholders_in(text: str) -> list[str]:
    """The placeholder names of ``text`` in order, once each; none if it does not parse
    (the editor says what is wrong with it)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError:
        return []
    return list(dict.fromkeys(names))


def _uses(report: Any, labels: dict[str, str]) -> dict[str, list[str]]:
    """Placeholder name → the labels of the paragraphs using it ("tiêu đề" for the title)."""
    uses: dict[str, list[str]] = {}
    for key, text in texts_of(report).items():
        label = _("trích yếu") if key == "title" else labels.get(key, key)
        for name in placeholders_in(text):
            uses.setdefault(name, []).append(label)
    return uses


# The legend -------------------------------------------------------------------------------


def legend(page: Any, labels: dict[str, str]) -> list[Entry]:
    """Every placeholder of the page, those the texts use first (in the order used)."""
    uses = _uses(page.report, labels)
    entries = [
        Entry(name, label_of(page, name), _meaning(page, name), _value(value), uses.get(name, []))
        for name, value in page.context.items()
    ]
    order = list(uses)
    return sorted(entries, key=lambda e: order.index(e.name) if e.name in order else len(order))


def label_of(page: Any, name: str) -> str:
    """The name of the placeholder ``name`` in the reader's language, what the screens
    call it instead of "{so_ban_dang_ky}": the indicator's name for a figure (with its
    period when it is not the report's), words for the others."""
    if name in LABELS:
        return str(LABELS[name])
    for prefix, words in (
        (rates.SCOPE_PREFIX, gettext_lazy("%(name)s (phạm vi tính)")),
        (registers.SOURCE_PREFIX, gettext_lazy("%(name)s (ghi nguồn)")),
    ):
        if name.startswith(prefix) and name[len(prefix) :] in page.context:
            return str(words) % {"name": label_of(page, name[len(prefix) :])}
    spec = rates.figure_specs(page.report.template.definition, page.asked).get(name)
    if spec is None:
        return name
    code, period = spec
    label = local_name(page.figures.indicators[code])
    if period != page.asked.text:
        label += f" ({span_label(parse_span(period))})"
    return label


def quoted(page: Any, names: list[str]) -> str:
    """The placeholders ``names`` by their names, quoted: "“Số đảng viên”, “Số lớp”"."""
    return ", ".join(f"“{label_of(page, name)}”" for name in names)


def _value(value: Any) -> str:
    if isinstance(value, Number):
        return str(value) if value.value is not None else _("chưa có số liệu")
    return str(value) if value != "" else _("(không in gì)")


def _meaning(page: Any, name: str) -> str:
    if name in MEANINGS:
        return str(MEANINGS[name])
    if name.startswith(rates.SCOPE_PREFIX) and name[len(rates.SCOPE_PREFIX) :] in page.rates:
        rate = page.rates[name[len(rates.SCOPE_PREFIX) :]]
        return _(
            "Nói tỷ lệ “%(rate)s” tính trên bao nhiêu đơn vị (ví dụ “của 3/40 đơn vị có đủ số "
            "liệu”), khi không phải mọi đơn vị báo cáo đều có đủ số liệu"
        ) % {"rate": label_of(page, rate.name)}
    if name.startswith(registers.SOURCE_PREFIX):
        figure = name[len(registers.SOURCE_PREFIX) :]
        if figure in page.registered:
            return _(
                "Nói số “%(figure)s” được đếm từ sổ (ví dụ “theo sổ đăng ký năm 2020”), khi không "
                "có số liệu nhập trong các báo cáo được tính"
            ) % {"figure": label_of(page, figure)}
    spec = rates.figure_specs(page.report.template.definition, page.asked).get(name)
    if spec is None:
        return ""
    code, period = spec
    indicator = page.figures.indicators[code]
    words = _("%(indicator)s: tổng của %(unit)s, %(period)s") % {
        "indicator": local_name(indicator),
        "unit": unit_name(page.report.unit, page.asked.end),
        "period": span_label(parse_span(period), inline=True),
    }
    reading = page.registered.get(name)
    if reading is not None and reading.from_register:
        # read from the register now: over its lists, not the units of the typed figures
        return words + _(" — không có trong báo cáo nào được tính: %(source)s") % {
            "source": _sources(page, reading)
        }
    if name in page.rates:
        words += _(" — tính trên cùng các đơn vị với %(figures)s") % {
            "figures": quoted(page, page.rates[name].made_of)
        }
    if reading is not None:
        words += _(" — khi không đơn vị nào nhập: %(source)s") % {"source": _sources(page, reading)}
    return words


def _sources(page: Any, reading: registers.Reading) -> str:
    """Where a register figure is counted from, in the reader's language."""
    from trienkhai.reporting import formulas
    from trienkhai.reporting.sources import note

    names = formulas.names(reading.register)
    kinds = {
        page.figures.indicators[code].source for code in names if code in page.figures.indicators
    }
    found = "; ".join(str(note(kind)) for kind in sorted(kinds if kinds else {""}))
    return found[:1].lower() + found[1:]


# Notes ------------------------------------------------------------------------------------


def notes(page: Any, labels: dict[str, str]) -> list[str]:
    """What the writer should look at before issuing, in the reader's language."""
    uses = _uses(page.report, labels)
    found = []
    if page.report.directive is None:
        note = _no_directive(page, uses)
        if note:
            found.append(note)
    partial = [r for r in page.rates.values() if r.is_partial and r.name in uses]
    said = {r.name for r in partial if not r.computed}
    empty = [
        name
        for name in uses
        if isinstance(page.context.get(name), Number)
        and page.context[name].value is None
        and name not in said
    ]
    if empty:
        found.append(
            _(
                "Chưa có số liệu cho %(names)s (đoạn %(labels)s): các chỗ này sẽ in thành “…”. "
                "Số liệu được lấy lại mỗi lần xem trước: chờ các đơn vị báo cáo, hoặc sửa câu "
                "cho khỏi nêu các số đó."
            )
            % {
                "names": quoted(page, empty),
                "labels": _joined([label for name in empty for label in uses[name]]),
            }
        )
    found.extend(_partial_rate(page, rate, uses) for rate in partial)
    counted = [r for name, r in page.registered.items() if r.from_register and name in uses]
    if counted:
        found.append(_from_register(page, counted, uses))
    found.extend(
        _two_sources(page, rate, uses)
        for rate in page.rates.values()
        if rate.from_register and rate.name in uses and _typed_beside(page, rate, uses)
    )
    return found


def _typed_beside(page: Any, rate: rates.Rate, uses: dict[str, list[str]]) -> list[str]:
    """The counts ``rate`` is made of that the texts print as the reports typed them while
    the rate was read from a register."""
    return [
        name
        for name in rate.made_of
        if name in uses and not (name in page.registered and page.registered[name].from_register)
    ]


def _two_sources(page: Any, rate: rates.Rate, uses: dict[str, list[str]]) -> str:
    """A rate from a register beside one of its counts from the reports: "100% số đảng
    viên" over the 2.073 members on the lists, and elsewhere "1.895 đảng viên" typed by
    the units whose reports are counted. Each is true of its source; side by side in one
    document they contradict each other, so the writer is told before issuing."""
    typed = _typed_beside(page, rate, uses)
    return _(
        "Tỷ lệ “%(rate)s” (đoạn %(labels)s) được %(source)s, còn %(typed)s là tổng các báo "
        "cáo được tính: hai nguồn, có thể không khớp nhau trong cùng một báo cáo. Xem lại "
        "trước khi ban hành, hoặc chỉ nêu một nguồn."
    ) % {
        "rate": label_of(page, rate.name),
        "labels": _joined(uses[rate.name]),
        "source": _sources(page, page.registered[rate.name]),
        "typed": ", ".join(
            _("“%(name)s” (%(value)s, đoạn %(labels)s)")
            % {"name": label_of(page, n), "value": page.context[n], "labels": _joined(uses[n])}
            for n in typed
        ),
    }


def _from_register(page: Any, counted: list[registers.Reading], uses: dict[str, list[str]]) -> str:
    words = {
        "names": quoted(page, [r.name for r in counted]),
        "labels": _joined([label for r in counted for label in uses[r.name]]),
        "period": span_label(parse_span(counted[0].period), inline=True),
        "sources": "; ".join(dict.fromkeys(_sources(page, r) for r in counted)),
    }
    text = (
        _(
            "Các số %(names)s (đoạn %(labels)s) không có trong báo cáo nào được tính cho "
            "%(period)s: %(sources)s, như sổ ghi đến hết kỳ."
        )
        % words
    )
    unsaid = [
        registers.SOURCE_PREFIX + r.name
        for r in counted
        if registers.SOURCE_PREFIX + r.name in page.context
        and page.context[registers.SOURCE_PREFIX + r.name]
        and registers.SOURCE_PREFIX + r.name not in uses
    ]
    if unsaid:
        text += " " + _("Chèn %(note)s sau số (nút “Chèn số liệu”) để câu nói rõ điều đó.") % {
            "note": quoted(page, unsaid)
        }
    return text


def _joined(labels: list[str]) -> str:
    return ", ".join(dict.fromkeys(labels))


def _no_directive(page: Any, uses: dict[str, list[str]]) -> str:
    report = page.report
    words = {
        "unit": unit_name(report.unit, page.asked.end),
        "period": span_label(page.asked.periods, inline=True),
    }
    opening = uses.get("thuc_hien_chi_dao", [])
    cited = [name for name in DIRECTIVE_PLACEHOLDERS[1:] if name in uses]
    counted = any(
        block["kind"] == "completeness" and block.get("source", "directive") == "directive"
        for section in report.template.definition["sections"]
        for block in section.get("blocks") or []
    )
    if not (opening or cited or counted):
        return ""
    parts = [
        _(
            "Chưa có văn bản chỉ đạo: không tìm thấy văn bản đi nào của %(unit)s có giao "
            "nhiệm vụ trong %(period)s."
        )
        % words
    ]
    if opening:
        parts.append(
            _("Câu mở đầu (đoạn %(labels)s) được viết không nêu văn bản chỉ đạo.")
            % {"labels": _joined(opening)}
        )
    if cited:
        parts.append(
            _("Các chỗ %(names)s (đoạn %(labels)s) sẽ in thành “…”.")
            % {
                "names": quoted(page, cited),
                "labels": _joined([label for name in cited for label in uses[name]]),
            }
        )
    if counted:
        parts.append(
            _(
                "Số đơn vị đã triển khai được đếm theo các báo cáo định kỳ đã gửi, không theo "
                "văn bản chỉ đạo."
            )
        )
    parts.append(
        _(
            "Nếu báo cáo trả lời một văn bản chỉ đạo: ghi số, ký hiệu của văn bản đó (ví dụ "
            "217-CV/HU) vào ô “Văn bản chỉ đạo” ở phần đầu rồi lưu; văn bản chưa có trong sổ "
            "văn bản đi của %(unit)s thì vào sổ ghi trước, kèm nhiệm vụ đã giao. Nếu không, "
            "sửa các câu nêu trên cho đúng."
        )
        % words
    )
    return " ".join(parts)


def _partial_rate(page: Any, rate: rates.Rate, uses: dict[str, list[str]]) -> str:
    inputs = quoted(page, rate.made_of)
    reporting = len(rate.over) + len(rate.lacking)
    names = ", ".join(rate.lacking[:SHOWN_NAMES])
    more = len(rate.lacking) - SHOWN_NAMES
    if more > 0:
        names = ngettext(
            "%(names)s và %(count)s đơn vị khác", "%(names)s và %(count)s đơn vị khác", more
        ) % {"names": names, "count": more}
    said = _("câu in rõ điều đó")
    if rates.SCOPE_PREFIX + rate.name not in uses:
        said = _("chèn %(scope)s sau tỷ lệ (nút “Chèn số liệu”) để câu nói rõ điều đó") % {
            "scope": quoted(page, [rates.SCOPE_PREFIX + rate.name])
        }
    words = {
        "rate": label_of(page, rate.name),
        "labels": _joined(uses[rate.name]),
        "over": len(rate.over),
        "reporting": reporting,
        "inputs": inputs,
        "names": names,
        "said": said,
    }
    if rate.from_register:
        return (
            _(
                "Tỷ lệ “%(rate)s” (đoạn %(labels)s) được đếm từ sổ, và sổ chỉ có danh sách của "
                "%(over)s/%(reporting)s đơn vị báo cáo; %(said)s. Chưa có danh sách trong sổ: "
                "%(names)s."
            )
            % words
        )
    if not rate.computed:
        return (
            _(
                "Tỷ lệ “%(rate)s” (đoạn %(labels)s) in thành “…”: chỉ %(over)s/%(reporting)s "
                "đơn vị có đủ %(inputs)s, và tỷ lệ của riêng các đơn vị đó không tính được từ "
                "số liệu tổng hợp. Chưa có đủ: %(names)s. Ghi tỷ lệ vào câu hoặc bỏ nó đi."
            )
            % words
        )
    return (
        _(
            "Tỷ lệ “%(rate)s” (đoạn %(labels)s) chỉ tính trên %(over)s/%(reporting)s đơn vị có "
            "đủ %(inputs)s, để cùng phạm vi với số in bên cạnh; %(said)s. Chưa có đủ: %(names)s."
        )
        % words
    )
