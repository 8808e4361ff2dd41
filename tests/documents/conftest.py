"""Registers of the fixture organisation: a Party board and a State committee under D1."""

import datetime as dt

import pytest

from tests import factories
from tests.documents.pki import PASSWORD, pkcs12, pki
from tests.factories import SIGNED, SYSTEM
from trienkhai.documents.types import ensure_standard_types


@pytest.fixture(autouse=True)
def _standard_types(db):
    ensure_standard_types()


@pytest.fixture
def btghu(org):
    """Ban Tuyên giáo Huyện ủy: a board, so the Party profile (04-BC/BTGHU)."""
    return factories.make_unit(
        "BTGHU",
        kind_code="board",
        parent=org.d1,
        valid_from=dt.date(2008, 8, 1),
        abbreviation="BTGHU",
    )


@pytest.fixture
def ubnd(org):
    """Ủy ban nhân dân huyện: an agency, so the State profile (12/BC-UBND)."""
    return factories.make_unit(
        "UBND",
        kind_code="agency",
        parent=org.d1,
        valid_from=dt.date(2008, 8, 1),
        abbreviation="UBND",
    )


@pytest.fixture
def district(org):
    """A Party committee under D1 with three cells and a commune committee with one cell.

    HU
    ├── CB1, CB2, CB3        party cells (abbreviation CB)
    └── DU1                  party committee (ĐU)
        └── CB11             its cell
    """
    f = factories
    since = dt.date(2008, 8, 1)
    hu = f.make_unit(
        "HU", kind_code="party_committee", parent=org.d1, valid_from=since, abbreviation="HU"
    )
    cells = {
        code: f.make_unit(
            code, kind_code="party_cell", parent=hu, valid_from=since, abbreviation="CB"
        )
        for code in ("CB1", "CB2", "CB3")
    }
    du1 = f.make_unit(
        "DU1", kind_code="party_committee", parent=hu, valid_from=since, abbreviation="ĐU"
    )
    cb11 = f.make_unit(
        "CB11", kind_code="party_cell", parent=du1, valid_from=since, abbreviation="CB"
    )
    return type("District", (), {"hu": hu, "du1": du1, "cb11": cb11, **cells})


@pytest.fixture
def directive(district):
    """217-CV/HU style: an issued Party công văn of HU dated 02/06/2020."""
    from trienkhai.documents import services

    draft = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=district.hu,
        type="CV",
        date=dt.date(2020, 6, 2),
        summary="Triển khai thực hiện Nghị quyết 35-NQ/TW",
    )
    return services.issue(acting_user=SYSTEM, document=draft)


# Signed PDFs (test_signing.py, test_signing_api.py) --------------------------------------

SIGNER = "Nguyen Van A"


@pytest.fixture
def roots(settings, tmp_path):
    """The test root is the one configured root."""
    path = tmp_path / "test-root.pem"
    path.write_bytes(pki().root.pem)
    settings.SIGNATURE_TRUST_ROOTS = [str(path)]
    settings.SIGNATURE_ROOTS_DIR = tmp_path / "no-roots-here"
    settings.MEDIA_ROOT = tmp_path / "files"
    return path


@pytest.fixture
def issued(btghu, roots):
    """An issued report of BTGHU with its PDF (two pages, the signer's name at the end)."""
    from trienkhai.documents import attachments
    from trienkhai.documents import services as documents
    from trienkhai.documents.signing import specimens

    draft = documents.register_draft(
        **{**SIGNED, "signer": SIGNER},
        acting_user=SYSTEM,
        issuer=btghu,
        type="BC",
        date=dt.date(2020, 6, 29),
        summary="Báo cáo sơ kết",
        place="Vĩnh Thuận",
    )
    document = documents.issue(acting_user=SYSTEM, document=draft)
    attachments.attach(
        acting_user=SYSTEM,
        document=document,
        name="bao-cao.pdf",
        data=specimens.text_pdf(2, signer=SIGNER),
    )
    return document


@pytest.fixture
def sealed_unit(btghu):
    from trienkhai.documents import signing
    from trienkhai.documents.signing import specimens

    return signing.configure_seal(
        acting_user=SYSTEM,
        unit=btghu,
        pkcs12=pkcs12(pki().organisation),
        password=PASSWORD,
        image=specimens.seal_png("BTGHU"),
    )
