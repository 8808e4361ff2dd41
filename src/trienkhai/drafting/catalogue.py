"""Report templates as data: the shape of a definition, its checks, and the shipped files.

A template file (``drafting/report_templates/*.toml``) reads::

    code = "so-ket-6-thang"
    name = "Báo cáo sơ kết 6 tháng"
    name_en = "Six-month interim report"  # optional: shown to English readers
    profile = "party"              # layout: party, party-2026, state
    document_type = "BC"           # the register's type label
    period_type = "sixmonthly"     # yearly | sixmonthly | quarterly | monthly
    spans = false                  # true: a span of periods ("2019..2021") is asked
    title = "kết quả … {period}"   # trích yếu, placeholders allowed
    signature = { position = "PHÓ TRƯỞNG BAN", for = "" }
    recipients = ["Thường trực Huyện ủy (để báo cáo)", "Lưu Ban Tuyên giáo"]

    [figures]                      # placeholders for the narrative
    so_trang = "trang_thong_tin"
    so_lop_truoc = { indicator = "lop_boi_duong_llct", period = "previous" }
    # without a typed figure, the register's (drafting/registers.py, decision 0047):
    so_ban_dang_ky = { indicator = "ban_dang_ky_tu_duong", register = "act_pledges_submitted" }

    [[sections]]
    heading = "1. Công tác tổ chức triển khai"   # "" for an unheaded part (opening, closing)
    [[sections.blocks]]
    kind = "text"                  # narrative: the user edits it
    text = "Toàn huyện có {so_trang:02} trang thông tin điện tử …"

Block kinds (``BLOCK_KEYS``): ``text``, ``heading``, ``figure`` (one indicator in a
sentence), ``table`` (units or periods × indicators, with the engine's total),
``comparison`` (this period beside an earlier one: change and %), ``completeness``
("42/42 chi, đảng ủy trực thuộc {da_bao_cao}", from a directive's answers or a form's
submissions, ``{da_bao_cao}`` naming which) and ``chart`` (bars by unit, or by period).

``check_definition`` refuses a malformed definition with a ``TemplateError`` naming the
template, section and block; indicator codes are checked when a report is generated
(indicators are data that may come later than the template).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction

from trienkhai.common.errors import BadInput
from trienkhai.drafting.layout import PROFILES
from trienkhai.reporting import formulas
from trienkhai.reporting.periods import PeriodType

FILES = Path(__file__).resolve().parent / "report_templates"

TOP_KEYS = {
    "code",
    "name",
    "name_en",
    "description",
    "profile",
    "document_type",
    "period_type",
    "spans",
    "title",
    "signature",
    "recipients",
    "figures",
    "sections",
    "status",
}
DEFAULT_STATUS = "approved"
"""The figures a template's reports count unless it says (``status``; decision 0020):
a formal report prints approved figures only."""
REQUIRED = ("code", "name", "profile", "document_type", "period_type", "title", "sections")
BLOCK_KEYS: dict[str, set[str]] = {
    "text": {"text"},
    "heading": {"text", "level"},
    "figure": {"indicator", "text", "period"},
    "table": {"indicators", "rows", "caption", "labels", "totals", "only_with_data"},
    "comparison": {"indicators", "with", "caption"},
    "completeness": {"source", "text", "form"},
    "chart": {"indicator", "by", "caption"},
}
NEEDS = {
    "text": ("text",),
    "heading": ("text",),
    "figure": ("indicator",),
    "table": ("indicators",),
    "comparison": ("indicators",),
    "completeness": ("text",),
    "chart": ("indicator",),
}
EARLIER = ("previous", "last_year", "first")
"""Periods a figure or comparison may look at: the one before, a year before, the span's first."""


class TemplateError(BadInput):
    """A template that cannot be used; ``details`` say where: template, section, block."""


def where(code: str, section: int | None = None, block: int | None = None) -> str:
    """'mẫu so-ket-6-thang, phần 2, khối 3 / template so-ket-6-thang, section 2, block 3'."""
    vi, en = [f"mẫu {code}"], [f"template {code}"]
    if section is not None:
        vi.append(f"phần {section}")
        en.append(f"section {section}")
    if block is not None:
        vi.append(f"khối {block}")
        en.append(f"block {block}")
    return f"{', '.join(vi)} / {', '.join(en)}"


def block_key(section: int, block: int) -> str:
    """The key of a block in a report's narrative: "2.3" (1-based, as the error messages say)."""
    return f"{section}.{block}"


def _fail(code: str, message_vi: str, message_en: str, place: str, **detail: Any) -> TemplateError:
    return TemplateError(
        "invalid_template",
        f"{message_vi} ({place.split(' / ')[0]}) / {message_en} ({place.split(' / ')[1]})",
        details=[{"template": code, **detail}],
    )


def check_definition(data: dict) -> None:
    """Refuse a definition whose shape is wrong; say what and where."""
    code = str(data.get("code") or "?")
    top = where(code)
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise _fail(code, f"Thiếu {', '.join(missing)}", f"missing {', '.join(missing)}", top)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(code, f"Khóa lạ {unknown}", f"unknown keys {unknown}", top)
    if data.get("status", DEFAULT_STATUS) not in ("approved", "submitted", "all"):
        raise _fail(
            code,
            f"Trạng thái số liệu lạ {data['status']!r}",
            f"unknown status {data['status']!r} (approved, submitted, all)",
            top,
        )
    if data["profile"] not in PROFILES:
        raise _fail(
            code, f"Thể thức lạ {data['profile']!r}", f"unknown profile {data['profile']!r}", top
        )
    if data["period_type"] not in {p.value for p in PeriodType}:
        raise _fail(
            code,
            f"Loại kỳ lạ {data['period_type']!r}",
            f"unknown period type {data['period_type']!r}",
            top,
        )
    for name, spec in (data.get("figures") or {}).items():
        indicator = spec if isinstance(spec, str) else (spec or {}).get("indicator")
        period = "" if isinstance(spec, str) else spec.get("period", "")
        if not indicator or (period and period not in EARLIER):
            raise _fail(
                code,
                f"Số liệu {name!r} phải có chỉ tiêu và kỳ trong {EARLIER}",
                f"figure {name!r} needs an indicator and a period among {EARLIER}",
                top,
                figure=name,
            )
        if isinstance(spec, dict):
            _check_register(code, name, spec)
    for s, section in enumerate(data["sections"], start=1):
        if not isinstance(section, dict) or set(section) - {"heading", "blocks"}:
            raise _fail(
                code,
                "Phần chỉ có heading và blocks",
                "a section has heading and blocks",
                where(code, s),
                section=s,
            )
        for b, block in enumerate(section.get("blocks") or [], start=1):
            _check_block(code, s, b, block)


FIGURE_KEYS = {"indicator", "period", "register", "kept", "note"}
"""A figure's spec: its indicator, an earlier period, and a register read without a
typed figure (``drafting.registers``)."""


def _check_register(code: str, name: str, spec: dict) -> None:
    unknown = sorted(set(spec) - FIGURE_KEYS)
    register = spec.get("register", "")
    bad = unknown or (("kept" in spec or "note" in spec) and not register)
    if not bad and register:
        try:
            formulas.parse(str(register))
        except BadInput:
            bad = True
    if bad:
        raise _fail(
            code,
            f"Số liệu {name!r}: chỉ có các khóa {sorted(FIGURE_KEYS)}; register là mã hoặc "
            f"công thức của số liệu đếm từ sổ, kept và note đi cùng register",
            f"figure {name!r}: only the keys {sorted(FIGURE_KEYS)}; register is the code or "
            f"formula of counted figures, kept and note go with a register",
            where(code),
            figure=name,
        )


def _check_block(code: str, s: int, b: int, block: dict) -> None:
    place = where(code, s, b)
    kind = block.get("kind")
    if kind not in BLOCK_KEYS:
        raise _fail(
            code,
            f"Loại khối lạ {kind!r} (có: {', '.join(BLOCK_KEYS)})",
            f"unknown block kind {kind!r} (known: {', '.join(BLOCK_KEYS)})",
            place,
            section=s,
            block=b,
        )
    unknown = sorted(set(block) - BLOCK_KEYS[kind] - {"kind"})
    missing = [key for key in NEEDS[kind] if not block.get(key)]
    if unknown or missing:
        raise _fail(
            code,
            f"Khối {kind}: khóa lạ {unknown}, thiếu {missing}",
            f"block {kind}: unknown keys {unknown}, missing {missing}",
            place,
            section=s,
            block=b,
        )
    for key, allowed in (
        ("with", EARLIER),
        ("period", EARLIER),
        ("rows", ("units", "periods")),
        ("by", ("units", "periods")),
        ("source", ("directive", "form")),
    ):
        if key in block and block[key] not in allowed:
            raise _fail(
                code,
                f"{key} = {block[key]!r} không thuộc {allowed}",
                f"{key} = {block[key]!r} is not one of {allowed}",
                place,
                section=s,
                block=b,
            )


def indicator_uses(
    data: dict, *, registers: bool = True
) -> list[tuple[str, int | None, int | None]]:
    """Every indicator code the definition names, with where: (code, section, block);
    ``registers=False`` leaves out the codes figures read only from their register."""
    uses: list[tuple[str, int | None, int | None]] = []
    for spec in (data.get("figures") or {}).values():
        uses.append((spec if isinstance(spec, str) else spec["indicator"], None, None))
        if registers:
            uses.extend((counted, None, None) for counted in sorted(register_codes(spec)))
    for s, section in enumerate(data["sections"], start=1):
        for b, block in enumerate(section.get("blocks") or [], start=1):
            for code in block.get("indicators") or [block.get("indicator")]:
                if code:
                    uses.append((code, s, b))
    return uses


def register_codes(spec: Any) -> set[str]:
    """The counted indicators a figure's spec reads from its register (and ``kept``)."""
    if not isinstance(spec, dict) or not spec.get("register"):
        return set()
    return formulas.names(spec["register"]) | ({spec["kept"]} if spec.get("kept") else set())


def read_file(path: Path) -> dict:
    """A template file, parsed and checked."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(
            "invalid_template", f"Tệp mẫu {path.name} không đọc được / unreadable: {exc}"
        ) from None
    check_definition(data)
    return data


def definition_of(data: dict) -> dict:
    """The part stored in ``ReportTemplate.definition`` (the rest are columns)."""
    return {
        key: data[key]
        for key in ("title", "signature", "recipients", "figures", "sections", "spans")
        if key in data
    }


def load_templates(directory: Path = FILES) -> list[str]:
    """Load every template file into ``ReportTemplate``; a changed file makes a new version.

    Idempotent: an unchanged file changes nothing. Returns the codes loaded. The files
    are read and checked before the transaction, which only writes (no file parsing
    while the write lock is held; decision 0030); a bad file changes nothing.
    """
    files = [(path.name, read_file(path)) for path in sorted(directory.glob("*.toml"))]
    return _store_templates(files)


@transaction.atomic
def _store_templates(files: list[tuple[str, dict]]) -> list[str]:
    from trienkhai.drafting.models import ReportTemplate

    codes = []
    for name, data in files:
        fields = {
            "name": data["name"],
            "name_en": data.get("name_en", ""),
            "description": data.get("description", ""),
            "profile": data["profile"],
            "document_type": data["document_type"],
            "period_type": data["period_type"],
            "definition": definition_of(data),
            "source": f"drafting/report_templates/{name}",
        }
        template = ReportTemplate.objects.filter(code=data["code"]).first()
        if template is None:
            ReportTemplate.objects.create(code=data["code"], **fields)
        elif any(getattr(template, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(template, key, value)
            template.version += 1
            template.save()
        codes.append(data["code"])
    return codes
