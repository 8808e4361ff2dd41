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


@pytest.fixture
def contest(org, media):  # media: files under a temporary folder
    return make_contest(org.d1)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT
