"""A Party district for report tests: figures for 2019–2020, a directive its cells answered.

D1 (district, from the shared `org` fixture: manager/reporter/viewer hold roles here)
└── HUT  Huyện ủy Vĩnh Thuận (party committee, HU)
    ├── BTGT  Ban Tuyên giáo Huyện ủy Vĩnh Thuận (board, BTGHU): issues the reports
    ├── CBA   Chi bộ Công an huyện (party cell)
    └── CBB   Chi bộ Ban Tuyên giáo (party cell)

Form F6T (half-yearly, owned by HUT, reported by CBA and CBB) carries the demo's
indicators (demo.reporting.INDICATORS) so that the shipped templates apply; the values
are entered, submitted and approved through the reporting services. Công văn 217-CV/HU (2020)
assigns the cells a plan; both answer.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests import factories as f
from tests.factories import SIGNED, SYSTEM
from trienkhai.activities import figures
from trienkhai.demo.reporting import INDICATORS
from trienkhai.documents import directives
from trienkhai.documents import services as documents
from trienkhai.documents.types import ensure_standard_types
from trienkhai.drafting import catalogue
from trienkhai.drafting.models import ReportTemplate
from trienkhai.reporting import services
from trienkhai.reporting.services import CellInput

SINCE = dt.date(2008, 8, 1)
FIGURES = {
    # period: {cell: {indicator: value}}
    "2019S2": {
        "CBA": {"van_ban_ban_hanh": 1, "luot_tham_gia": 100, "hoi_nghi_hoc_tap": 1},
        "CBB": {"van_ban_ban_hanh": 1, "luot_tham_gia": 180, "hoi_nghi_hoc_tap": 1},
    },
    "2020S1": {
        "CBA": {"trien_khai": 1, "van_ban_ban_hanh": 2, "so_dang_vien": 20,
                "ban_dang_ky_tu_duong": 20, "hoi_nghi_hoc_tap": 1, "luot_tham_gia": 1150,
                "trang_thong_tin": 1, "tin_bai_chinh_thuc": 36},
        "CBB": {"trien_khai": 1, "van_ban_ban_hanh": 1, "so_dang_vien": 30,
                "ban_dang_ky_tu_duong": 30, "hoi_nghi_hoc_tap": 2, "luot_tham_gia": 19523,
                "trang_thong_tin": 1, "tin_bai_chinh_thuc": 58, "thanh_vien_clb_llct": 20},
    },
}  # fmt: skip


@dataclass
class District:
    hu: object
    board: object
    cells: list
    form: object
    directive: object


@pytest.fixture
def templates(db):
    # so-ket-nhieu-nam reads the register of activities' figures: their indicators come
    # from a migration, which a test that flushed the database (live server) undid.
    figures.ensure_indicators()
    catalogue.load_templates()
    return {t.code: t for t in ReportTemplate.objects.all()}


@pytest.fixture
def district(org, templates) -> District:
    ensure_standard_types()
    hu = f.make_unit(
        "HUT",
        name="Huyện ủy Vĩnh Thuận",
        kind_code="party_committee",
        parent=org.d1,
        valid_from=SINCE,
        abbreviation="HU",
    )
    board = f.make_unit(
        "BTGT",
        name="Ban Tuyên giáo Huyện ủy Vĩnh Thuận",
        kind_code="board",
        parent=hu,
        valid_from=SINCE,
        abbreviation="BTGHU",
    )
    cells = [
        f.make_unit(
            code, name=name, kind_code="party_cell", parent=hu, valid_from=SINCE, abbreviation="CB"
        )
        for code, name in (("CBA", "Chi bộ Công an huyện"), ("CBB", "Chi bộ Ban Tuyên giáo"))
    ]
    indicators = [
        services.create_indicator(
            acting_user=SYSTEM,
            code=code,
            name=name,
            value_type=value_type,
            aggregation=aggregation,
            unit_of_measure=measure,
            formula=formula,
        )
        for code, name, _en, value_type, aggregation, measure, formula in INDICATORS
        if code != "luot_theo_doi_tuong"
    ]
    form = services.create_form(
        acting_user=SYSTEM,
        code="F6T",
        name="Báo cáo 6 tháng",
        owner=hu,
        period_type="sixmonthly",
        indicators=indicators,
        units=cells,
        deadline_days=15,
        valid_from=dt.date(2019, 1, 1),
    )
    by_code = {c.code: c for c in cells}
    for period, rows in FIGURES.items():
        for code, values in rows.items():
            cells_in = [CellInput(k, v) for k, v in values.items()]
            services.save_values(
                acting_user=SYSTEM, form=form, unit=by_code[code], period_id=period, cells=cells_in
            )
            report = services.submit(
                acting_user=SYSTEM, form=form, unit=by_code[code], period_id=period
            )
            # The templates count approved figures (decision 0020).
            services.approve(acting_user=SYSTEM, submission=report)
    documents.carry_over(
        acting_user=SYSTEM, issuer=hu, type="CV", day=dt.date(2020, 6, 2), last_number=216
    )
    cv = documents.issue(
        acting_user=SYSTEM,
        document=documents.register_draft(
            **SIGNED,
            acting_user=SYSTEM,
            issuer=hu,
            type="CV",
            date=dt.date(2020, 6, 2),
            summary="Về đẩy mạnh việc thực hiện chuyên đề năm 2020",
        ),
    )
    directives.assign(
        acting_user=SYSTEM,
        document=cv,
        due=dt.date(2020, 6, 30),
        expects="KH",
        units=[c.code for c in cells],
        task="Xây dựng kế hoạch thực hiện",
    )
    for cell in cells:
        plan = documents.issue(
            acting_user=SYSTEM,
            document=documents.register_draft(
                **SIGNED,
                acting_user=SYSTEM,
                issuer=cell,
                type="KH",
                date=dt.date(2020, 6, 20),
                summary="Kế hoạch thực hiện Công văn 217-CV/HU",
            ),
        )
        directives.answer(acting_user=SYSTEM, directive=cv, unit=cell, document=plan)
    return District(hu, board, cells, form, cv)


@pytest.fixture
def media(tmp_path, settings):
    """Issued files under a temporary data directory."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager(personas):
    return personas.manager


def six_month_review(district, templates, period: str, day: dt.date, unit=None):
    """A draft of so-ket-6-thang for ``period`` dated ``day``: of the committee, issued by
    its board (or of ``unit``, issued by it)."""
    from trienkhai.drafting import services as drafting

    return drafting.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-6-thang"],
        unit=unit or district.hu,
        issuer=unit or district.board,
        period=period,
        date=day,
    )


def signed(report):
    """``report`` with a signer's name (the template gives the position and Nơi nhận):
    what issuing needs (decision 0029)."""
    from trienkhai.drafting import services as drafting

    return drafting.update_report(
        acting_user=SYSTEM, report=report, narrative={}, signer_name="Lê Văn Ký"
    )


class FakeSoffice:
    """Controls tests/drafting/fake_soffice.py, installed as the converter."""

    def __init__(self, folder):
        self.folder = folder

    def mode(self, mode: str) -> None:
        (self.folder / "mode").write_text(mode)

    def wait_started(self) -> None:
        import threading

        pause = threading.Event()
        while not (self.folder / "started").exists():
            pause.wait(0.01)

    def release(self) -> None:
        (self.folder / "go").touch()

    @property
    def released(self) -> bool:
        return (self.folder / "go").exists()

    @property
    def runs(self) -> int:
        runs = self.folder / "runs"
        return len(runs.read_text().splitlines()) if runs.exists() else 0


@pytest.fixture
def fake_soffice(tmp_path, settings, monkeypatch):
    """The converter is tests/drafting/fake_soffice.py (an executable on its own)."""
    import sys
    from pathlib import Path

    folder = tmp_path / "fake-soffice"
    folder.mkdir()
    script = folder / "soffice"
    source = Path(__file__).with_name("fake_soffice.py")
    script.write_text(f"#!{sys.executable}\n" + source.read_text())
    script.chmod(0o755)
    monkeypatch.setenv("FAKE_SOFFICE_DIR", str(folder))
    settings.SOFFICE = str(script)
    return FakeSoffice(folder)


@pytest.fixture
def no_soffice(settings, tmp_path):
    """No converter installed: TRIENKHAI_SOFFICE names a file that does not exist."""
    settings.SOFFICE = str(tmp_path / "missing" / "soffice")
