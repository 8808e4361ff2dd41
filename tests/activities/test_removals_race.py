"""A deletion racing a submit of a report that reads the deleted figure (activities/locks.py).

The check that no sent report reads a figure and the deletion are one transaction, and
``reporting``'s submit holds its unit's row before it reads its figures: a report is
never sent between the check and the deletion, holding a figure the register no longer
has. The threads hold one side's transaction open and let the other run into it (the
harness of tests/reporting/test_bulk_race.py: on PostgreSQL it waits until the second
really waits on the first's lock; on SQLite the second waits for the database's write
lock, IMMEDIATE).
"""

import datetime as dt

import pytest
from django.db import connection

from tests.activities.test_channels import count, figures_of, register
from tests.documents.test_concurrency import _threads_database
from tests.factories import SYSTEM
from tests.reporting.test_bulk_race import _race
from trienkhai.activities import channels
from trienkhai.common.errors import Conflict
from trienkhai.reporting import services
from trienkhai.reporting.models import Indicator, Submission

ON_DAY = dt.date(2021, 1, 5)  # in 2020's entry window


@pytest.fixture
def yearly(org):
    """Form BC-KENH (yearly) of D1, holding the posts its channels published."""
    return services.create_form(
        acting_user=SYSTEM,
        code="BC-KENH",
        name="Báo cáo kênh thông tin",
        owner=org.p1,
        period_type="yearly",
        indicators=[Indicator.objects.get(code=channels.POSTS)],
        units=[org.d1],
        deadline_days=30,
        valid_from=dt.date(2019, 1, 1),
    )


@pytest.fixture
def portal(org):
    channel = register(org.d1, "https://vinhthuan.kiengiang.gov.vn/")
    count(channel, ("202001", 12), ("202002", 8))
    return channel


def _submit(form, unit):
    return services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id="2020", today=ON_DAY)


def _delete(portal, personas):
    channels.remove_post_count(acting_user=personas.manager, channel=portal, period="202001")


@pytest.mark.django_db(transaction=True)
def test_a_submit_during_a_deletion_waits_and_sends_what_is_left(
    org, personas, portal, yearly, tmp_path
):
    """GIVEN the manager deleting D1's count of 01/2020 (12 posts), not committed WHEN
    D1's report of 2020 is submitted THEN the submit waits for the deletion (on
    PostgreSQL for D1's row: the harness sees it wait) and the report is sent reading 8."""
    with _threads_database(tmp_path):
        assert _race(lambda: _delete(portal, personas), lambda: _submit(yearly, org.d1)) is None
        report = Submission.objects.get(form=yearly, unit=org.d1, period="2020")
        assert report.status == Submission.Status.SUBMITTED
        assert figures_of(org.d1)[channels.POSTS] == 8


@pytest.mark.django_db(transaction=True)
def test_a_deletion_during_a_submit_never_takes_the_sent_figure(
    org, personas, portal, yearly, tmp_path
):
    """GIVEN D1's report of 2020 being submitted, not committed WHEN the manager deletes
    the count of 01/2020 THEN the count stays (20 posts): on PostgreSQL a 409 ``busy`` at
    once (the deletion never waits, so never deadlocks with a submit), on SQLite the
    deletion waits for the database and finds the report sent (409 ``read_by_report``).
    Deleted again once the report is sent: 409 ``read_by_report``, naming it."""
    with _threads_database(tmp_path):
        error = _race(
            lambda: _submit(yearly, org.d1),
            lambda: _delete(portal, personas),
            waits_on_postgresql=False,
        )
        assert isinstance(error, Conflict), error
        busy = "busy" if connection.vendor == "postgresql" else "read_by_report"
        assert (error.code, error.status) == (busy, 409)
        with pytest.raises(Conflict) as refused:
            _delete(portal, personas)
        assert refused.value.code == "read_by_report"
        assert "“Báo cáo kênh thông tin” năm 2020 của" in refused.value.message
        assert figures_of(org.d1)[channels.POSTS] == 20
