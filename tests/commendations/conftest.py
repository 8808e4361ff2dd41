import datetime as dt

import pytest

from tests.factories import SYSTEM
from trienkhai.commendations import services
from trienkhai.commendations.models import Kind, Nomination

ACHIEVEMENT = "Hoàn thành xuất sắc nhiệm vụ tuyên giáo giai đoạn 2019-2023"


def nominate(
    recipient_unit,
    giver,
    *,
    name: str = "",
    achievement: str = ACHIEVEMENT,
    kind: str = "bang_khen_ubnd_tinh",
    year: int = 2023,
) -> Nomination:
    return services.nominate(
        acting_user=SYSTEM,
        kind=Kind.objects.get(code=kind),
        giver=giver,
        year=year,
        achievement=achievement,
        recipient_unit=recipient_unit,
        recipient_name=name,
    )


def awarded(recipient_unit, giver, *, on=dt.date(2023, 12, 20), **kwargs) -> Nomination:
    """A nomination taken through acceptance to its award decided ``on``."""
    nomination = nominate(recipient_unit, giver, **kwargs)
    services.accept(acting_user=SYSTEM, nomination=nomination)
    services.award(acting_user=SYSTEM, nomination=nomination, decided_on=on, decision_number="1")
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT
