"""Registers of the fixture organisation: a Party board and a State committee under D1."""

import datetime as dt

import pytest

from tests import factories
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
