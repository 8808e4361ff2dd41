"""Two requests nominating the same achievement at the same moment: one 201, one 409,
never an IntegrityError (decision 0054). The threads each hold a connection of their
own (tests/documents/test_concurrency.py explains the SQLite copy)."""

import pytest

from tests.documents.test_concurrency import _in_threads, _threads_database
from tests.factories import SYSTEM
from trienkhai.commendations import services
from trienkhai.commendations.models import Individual, Kind, Nomination
from trienkhai.common.errors import Conflict


def _attempt(unit, giver, name: str, kind: Kind):
    def run():
        try:
            services.nominate(
                acting_user=SYSTEM,
                kind=kind,
                giver=giver,
                year=2023,
                achievement="Hoàn thành xuất sắc nhiệm vụ năm 2023",
                recipient_unit=unit,
                recipient_name=name,
            )
            return 201
        except Conflict as conflict:
            assert conflict.code == "duplicate_achievement"
            return 409

    return run


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["", "Nguyễn Văn An"], ids=["collective", "individual"])
def test_two_nominations_racing_get_one_201_and_one_409(org, tmp_path, name):
    # A transactional test's database may have been flushed of the seeded kinds.
    kind, _ = Kind.objects.get_or_create(
        code="bang_khen_ubnd_tinh",
        defaults={"name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "level": "province"},
    )
    with _threads_database(tmp_path):
        answers = _in_threads([_attempt(org.c1, org.p1, name, kind) for _ in range(4)])
        assert sorted(answers) == [201, 409, 409, 409]
        # Read back over a thread's connection: on SQLite the main one is the memory copy.
        [counts] = _in_threads([lambda: (Nomination.objects.count(), Individual.objects.count())])
        assert counts == (1, 1 if name else 0)
