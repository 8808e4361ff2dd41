"""Bar and line charts drawn on the server as SVG: pure functions over lists of numbers.

No JavaScript library: the SVG is part of the page, prints, and goes into Word and PDF
output unchanged (DESIGN.md, "charts as SVG"). Each chart carries ``<title>`` and
``<desc>`` and ``role="img"`` with ``aria-labelledby``, so a screen reader announces
it; the page shows the same numbers as a table beside it.

Geometry is plain and checkable: a bar's length is ``value / span × plot length``
from the zero line, so tests can parse the SVG and compare.
"""

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext

from trienkhai.vn import format_number

Number = int | float | Decimal

PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6b6b6b", "#a3161b"]
"""Okabe–Ito colours (told apart with the common colour-vision deficiencies), then the accent."""
BAR_COLOUR = PALETTE[0]
NEGATIVE_COLOUR = PALETTE[1]
FONT = 'font-family="Liberation Sans, Arial, sans-serif"'


def display(value: Number | None) -> str:
    """A figure as the pages write it: '20.673', '12,5', '' for no value."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return format_number(number, 0)
    text = format_number(number, 2)
    return text.rstrip("0").rstrip(",")


def no_data() -> str:
    """What a unit without a figure shows, in the reader's language (escaped for SVG).

    The report writer never asks for it: its charts leave out units without a figure."""
    return escape(gettext("không có số liệu"))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (0 included), about ``count`` of them."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step / 2:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def svg_open(
    width: int,
    height: int,
    title: str,
    desc: str,
    ident: str,
    *,
    cls: str = "chart",
    size: int = 12,
) -> list[str]:
    """The opening of an accessible SVG figure: role, title and description."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="{cls}" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="{size}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


# Advance widths of Liberation Sans (metric twin of Arial, the charts' font), in
# thousandths of the font size; a letter with marks ("ỗ", "ẩ") is as wide as its base
# letter, the horn of "ư", "ơ" adds to it, anything else is as wide as an "n".
_WIDTHS = {
    **dict.fromkeys("ijl'", 222),
    **dict.fromkeys(" .,:;/!|ftI", 278),
    **dict.fromkeys("r()-[]", 333),
    **dict.fromkeys("cksvxyzJ", 500),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUwđĐ", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("mM", 833),
    "W": 944,
    "—": 1000,
    "%": 889,
}
_HORN = 135
LINE = 14
"""Distance between the lines of a wrapped label, at the charts' 12-unit text."""


def text_width(text: str, size: float = 12) -> float:
    """About how wide ``text`` is drawn at ``size`` (a little more, never less, for the
    letters of Vietnamese names)."""
    base = unicodedata.normalize("NFD", text)
    thousandths = sum(
        _HORN if ch == "\u031b" else 0 if unicodedata.combining(ch) else _WIDTHS.get(ch, 556)
        for ch in base
    )
    return thousandths * size / 1000 * 1.04


def wrap(label: str, width: float, *, lines: int = 4, size: float = 12) -> list[str]:
    """``label`` on as many lines no wider than ``width`` as it needs, broken between
    words (a word longer than a line between its letters): a unit's whole name, not
    "Chi bộ Văn phòng HĐND và UBND huy…". Only past ``lines`` lines is the last one cut
    with "…" (the figure's table and the bar's tooltip keep the whole name)."""
    out: list[str] = []
    line = ""
    for word in label.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            out.append(line)
        line = word
        while text_width(line, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
    if line or not out:
        out.append(line)
    if len(out) > lines:
        last = " ".join(out[lines - 1 :])
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out = [*out[: lines - 1], last.rstrip() + "…"]
    return out


def _lines(lines: list[str], x: float, y: float, anchor: str, extra: str = "") -> str:
    """A ``<text>`` of ``lines``, one under another, the first one's baseline at ``y``."""
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + n * LINE:.1f}">{escape(text)}</tspan>'
        for n, text in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{spans}</text>'


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number | None
    href: str = ""


def bar_chart(
    bars: Sequence[Bar], *, title: str, desc: str, ident: str = "chart", width: int = 760
) -> str:
    """Horizontal bars, one row per label (unit names are long; rows keep them readable).

    A label is wrapped onto as many lines as it needs in the labels' column, its row as
    tall as its lines (the bar in the middle), so that a unit's whole name shows, on the
    page as in the PNG of a Word or PDF report. A bar starts at the zero line and its
    ``width`` is proportional to its value; a negative value extends left in another
    colour. A missing value draws no bar and says so in the value label.
    """
    label_width, value_width, top, thick = 230, 80, 28, 16
    plot = width - label_width - value_width - 10
    numbers = [float(b.value) for b in bars if b.value is not None]
    ticks = nice_ticks(min(numbers, default=0.0), max(numbers, default=1.0))
    low, high = ticks[0], ticks[-1]
    scale = plot / (high - low)
    zero = label_width + (0 - low) * scale
    labels = [wrap(b.label, label_width - 12) for b in bars]
    rows = [max(22, LINE * len(lines) + 8) for lines in labels]
    height = top + sum(rows) + 24
    out = svg_open(width, height, title, desc, ident)
    out.append('<g class="axis" fill="#5b6775" stroke="none">')
    for tick in ticks:
        x = label_width + (tick - low) * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#d8dee6"/>'
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle">{display(tick)}</text>'
        )
    # Where a label takes several lines, a faint rule between the rows says which bar is
    # whose.
    if any(len(lines) > 1 for lines in labels):
        y = top
        for row in rows[:-1]:
            y += row
            out.append(
                f'<line class="row-rule" x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#eef1f4"/>'
            )
    out.append("</g>")
    y = top
    for bar, lines, row in zip(bars, labels, rows, strict=True):
        middle = y + row / 2
        text = _lines(lines, label_width - 6, middle + 4 - (len(lines) - 1) * LINE / 2, "end")
        if bar.href:
            text = f"<a href={quoteattr(bar.href)}>{text}</a>"
        out.append(f'<g class="bar">{text}')
        y += row
        if bar.value is None:
            out.append(
                f'<text x="{zero + 4:.1f}" y="{middle + 4:.1f}" fill="#5b6775">{no_data()}</text></g>'
            )
            continue
        value = float(bar.value)
        length = abs(value) * scale
        x = zero if value >= 0 else zero - length
        colour = BAR_COLOUR if value >= 0 else NEGATIVE_COLOUR
        out.append(
            f'<rect x="{x:.2f}" y="{middle - thick / 2:.1f}" width="{length:.2f}" '
            f'height="{thick}" fill="{colour}" data-value="{value}"><title>{escape(bar.label)}: '
            f"{display(bar.value)}</title></rect>"
            f'<text x="{max(x + length, zero) + 4:.1f}" y="{middle + 4:.1f}">'
            f"{display(bar.value)}</text></g>"
        )
    out.append(
        f'<line class="zero" x1="{zero:.2f}" y1="{top - 4}" x2="{zero:.2f}" '
        f'y2="{height - 20}" stroke="#1d2733"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    ident: str = "chart",
    width: int = 760,
    height: int = 320,
) -> str:
    """One line per series over the ``labels`` (periods); a gap where a value is missing.

    Each point is a ``circle`` whose ``cy`` is proportional to its value
    (``bottom - (value - low) × scale``); the legend names the series in their colours.
    The periods under the axis and the names in the legend are wrapped, not cut: the
    legend takes as few columns as let each name fit on two lines, and the figure grows
    below ``height`` by what the wrapped lines take.
    """
    left, right, top = 70, 20, 20
    bottom = height - 40
    plot_w, plot_h = width - left - right, bottom - top
    numbers = [float(v) for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min(numbers, default=0.0), max(numbers, default=1.0))
    low, high = ticks[0], ticks[-1]
    scale = plot_h / (high - low)
    pad = 30  # room for the first and last labels
    step = (plot_w - 2 * pad) / max(len(labels) - 1, 1)

    def x_of(i: int) -> float:
        return left + pad + (i * step if len(labels) > 1 else (plot_w - 2 * pad) / 2)

    def y_of(v: float) -> float:
        return bottom - (v - low) * scale

    # A period's label within its share of the axis, and the first and last within the
    # figure.
    under = [
        wrap(label, max(min(step - 8, 2 * x_of(i) - 8, 2 * (width - x_of(i)) - 8), 56), lines=3)
        for i, label in enumerate(labels)
    ]
    columns = next(
        (n for n in (3, 2) if all(len(wrap(s.name, plot_w / n - 28)) <= 2 for s in series)), 1
    )
    names = [wrap(s.name, plot_w / columns - 28, lines=3) for s in series]
    legend_top = bottom + 18 + LINE * max((len(lines) for lines in under), default=1) + 12
    rows = [
        max(len(lines) for lines in names[n : n + columns]) * LINE + 8
        for n in range(0, len(names), columns)
    ]
    total = max(height, legend_top + sum(rows) + 4)
    out = svg_open(width, total, title, desc, ident)
    out.append('<g class="axis" fill="#5b6775">')
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d8dee6"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{display(tick)}</text>'
        )
    for i, lines in enumerate(under):
        out.append(_lines(lines, x_of(i), bottom + 18, "middle"))
    out.append("</g>")
    for n, one in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        out.append(f'<g class="series" data-name={quoteattr(one.name)} stroke="{colour}">')
        run: list[str] = []
        for i, value in enumerate([*one.values, None]):
            if value is None:
                if len(run) > 1:
                    out.append(
                        f'<polyline fill="none" stroke-width="2.5" points="{" ".join(run)}"/>'
                    )
                run = []
                continue
            run.append(f"{x_of(i):.1f},{y_of(float(value)):.1f}")
        for i, value in enumerate(one.values):
            if value is not None:
                out.append(
                    f'<circle cx="{x_of(i):.1f}" cy="{y_of(float(value)):.2f}" r="4" '
                    f'fill="{colour}" data-value="{float(value)}"><title>{escape(one.name)}, '
                    f"{escape(labels[i])}: {display(value)}</title></circle>"
                )
        out.append("</g>")
    y = legend_top
    for n, lines in enumerate(names):
        if n and n % columns == 0:
            y += rows[n // columns - 1]
        x = left + (n % columns) * (plot_w / columns)
        colour = PALETTE[n % len(PALETTE)]
        out.append(
            f'<g class="legend"><rect x="{x:.1f}" y="{y - 10}" width="14" height="10" '
            f'fill="{colour}"/>{_lines(lines, x + 20, y, "start")}</g>'
        )
    out.append("</svg>")
    return "\n".join(out)
