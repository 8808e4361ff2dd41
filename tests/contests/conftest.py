import datetime as dt

import pytest

from tests import factories as f
from trienkhai.contests import services
from trienkhai.contests.models import Contest

SYSTEM = f.SYSTEM
STILL_OPEN = dt.date.today() + dt.timedelta(days=365)
"""The tests' contests opened in 2022 (receipts 001/2022) and close after today: entries
sent today are on time (decision 0056 refuses late ones)."""


def make_contest(unit, *, judges_per_entry: int = 2, categories=None) -> Contest:
    return services.create_contest(
        acting_user=SYSTEM,
        unit=unit,
        title="Cuộc thi viết về Đảng bộ tỉnh Kiên Giang 2022",
        opens=dt.date(2022, 3, 1),
        closes=STILL_OPEN,
        rounds=[
            services.RoundInput("Sơ khảo", judges_per_entry),
            services.RoundInput("Chung khảo", 3),
        ],
        criteria=[services.CriterionInput("Nội dung", 6, 60)],
        categories=categories,
    )


def make_prize_certificate(round, entry, organiser, **more):
    """A prize certificate as issued after a results decision (decision 0056), with its
    result, written directly: scoring, the decision and the issue are tests/contests'."""
    from trienkhai.contests.models import PrizeCertificate, Result

    contest = round.contest
    return PrizeCertificate.objects.create(
        **{
            "result": Result.objects.create(
                round=round, entry=entry, rank=1, raw=300, normalised=0
            ),
            "organiser": organiser,
            "year": 2022,
            "number": 1,
            "symbol": "01/GCN-HU",
            "code": "0123456789ABCDEF",
            "layout": "state",
            "issuer": "ỦY BAN NHÂN DÂN HUYỆN VĨNH THUẬN",
            "organiser_name": "Huyện Vĩnh Thuận",
            "name": entry.author_name,
            "unit_name": "Thị trấn Vĩnh Thuận",
            "title": contest.title,
            "entry_title": entry.title,
            "prize_name": "Giải A",
            "start": contest.opens,
            "end": contest.closes,
            "decision": "01/QĐ-UBND",
            "issued": dt.date(2022, 10, 1),
            "signer_position": "CHỦ TỊCH",
        }
        | more
    )


@pytest.fixture
def contest(org, media):  # media: files under a temporary folder
    return make_contest(org.d1)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT
