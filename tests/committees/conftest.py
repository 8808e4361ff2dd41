import datetime as dt
from dataclasses import dataclass

import pytest

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.committees import services
from trienkhai.committees.models import Committee
from trienkhai.documents import services as documents
from trienkhai.documents.models import Document
from trienkhai.orgs.models import Unit

SINCE = dt.date(2010, 1, 1)
FOUNDED = dt.date(2019, 8, 28)


def issued(unit: Unit, type: str, date: dt.date, summary: str) -> Document:
    draft = documents.register_draft(
        acting_user=SYSTEM,
        issuer=unit,
        type=type,
        date=date,
        summary=summary,
        signer="Hoàng Văn Ký",
        signer_authority="tm",
        recipients="Như trên; Lưu VP.",
    )
    return documents.issue(acting_user=SYSTEM, document=draft)


@dataclass
class Setting:
    hu: Unit
    board: Unit
    cell: Unit
    decision: Document
    committee: Committee


@pytest.fixture
def setting(org) -> Setting:
    """Huyện ủy (HUT) under D1, its board and a cell; its BCĐ 35 set up on 28/8/2019 by a
    QĐ of its register. D1's personas reach it; the outsider (D2) does not."""
    hu = f.make_unit(
        "HUT",
        name="Huyện ủy Chợ Đồn",
        kind_code="party_committee",
        parent=org.d1,
        valid_from=SINCE,
        abbreviation="HU",
    )
    board = f.make_unit(
        "BTGT",
        name="Ban Tuyên giáo Huyện ủy",
        kind_code="board",
        parent=hu,
        valid_from=SINCE,
        abbreviation="BTGHU",
    )
    cell = f.make_unit(
        "CBA",
        name="Chi bộ Công an huyện",
        kind_code="party_cell",
        parent=hu,
        valid_from=SINCE,
        abbreviation="CB",
    )
    decision = issued(hu, "QĐ", FOUNDED, "Về việc thành lập Ban Chỉ đạo 35 huyện")
    committee = services.create_committee(
        acting_user=SYSTEM,
        unit=hu,
        name="Ban Chỉ đạo 35 huyện Chợ Đồn",
        valid_from=FOUNDED,
        founding_decision=decision,
    )
    return Setting(hu, board, cell, decision, committee)


def seat(committee, name, role="member", since=FOUNDED, **kwargs):
    return services.add_member(
        acting_user=SYSTEM, committee=committee, name=name, role=role, valid_from=since, **kwargs
    )
