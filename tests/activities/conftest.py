"""Events of the Vĩnh Thuận-like organisation (tests/conftest.py): D1 with C1 and C2."""

import datetime as dt

import pytest

from tests.factories import SYSTEM
from tests.reporting.conftest import audience  # noqa: F401
from trienkhai.activities import figures, services, sites
from trienkhai.activities.services import AttendanceRow


@pytest.fixture
def fresh_brake():
    """No codes counted as misses before or after (the verification page's brake keeps
    its counts in the cache, which outlives a test)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _figure_indicators(db):
    # The migration made them; a test that flushed the database (live server) did not.
    figures.ensure_indicators()


def make_event(unit, kind="class", days=("2021-03-01",), title="Lớp bồi dưỡng lý luận"):
    dates = [dt.date.fromisoformat(day) for day in days]
    return services.create_event(
        acting_user=SYSTEM,
        organiser=unit,
        kind=kind,
        title=title,
        start=min(dates),
        end=max(dates),
        session_dates=dates,
    )


def attend(event, people, *, session=0, unit=None, group=""):
    """Record ``people`` (names) of ``unit`` (default: the organiser) at one session."""
    session_id = str(list(event.sessions.all())[session].pk)
    code = (unit or event.organiser).code
    rows = [AttendanceRow(session=session_id, name=n, unit=code, audience=group) for n in people]
    return services.record_attendance(acting_user=SYSTEM, event=event, rows=rows)


@pytest.fixture
def conference(org):
    """D1's online conference of two sessions, with connected sites at C1 and C2
    (decision 0046)."""
    event = make_event(
        org.d1,
        kind="online_conference",
        days=("2021-03-01", "2021-03-02"),
        title="Hội nghị trực tuyến quán triệt Nghị quyết",
    )
    sites.add_sites(
        acting_user=SYSTEM,
        event=event,
        sites=[sites.SiteInput("C1", "Hội trường thị trấn"), sites.SiteInput("C2")],
    )
    return event
