"""Reads from the PostgreSQL streaming replica, writes and one's own reads on the primary.

Two real servers: `make test-postgres` starts the replica (scripts/postgres-replica.sh,
port 5433) and sets TRIENKHAI_REPLICA_URL. The replica holds the primary's test database,
replicated (TEST MIRROR): these tests commit (transaction=True) so that it streams there.
"""

import json
import socket
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reporting.conftest import audience, cell_reporter, form  # noqa: F401
from trienkhai.common import replica
from trienkhai.reporting.models import DataValue

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="TRIENKHAI_REPLICA_URL is not set: no PostgreSQL replica to read from "
        "(make test-postgres starts one and sets it)",
    ),
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

GRID = reverse("reporting:grid", args=["HK", "C1", "2020S1"])
SAVE = reverse("reporting:save", args=["HK", "C1", "2020S1"])


def scalar(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def replayed(lsn) -> bool:
    return scalar("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])


def wait_for_replica(lsn=None):
    """Until the replica has replayed `lsn` (default: all the primary has written).

    A wait, not a timed assertion: it fails only if the replica never catches up. When
    the primary is idle, a WAL message makes the position (an insert position may sit
    past a page header) reachable."""
    lsn = lsn or scalar("default", "SELECT pg_current_wal_insert_lsn()::text")
    for attempt in range(600):
        if replayed(lsn):
            return
        if attempt % 20 == 19:
            scalar("default", "SELECT pg_logical_emit_message(false, 'trienkhai', 'nudge')")
        time.sleep(0.05)
    raise AssertionError(f"the replica did not replay {lsn} in 30 s")


def save(client, value):
    cell = {"indicator": "luot_nguoi", "value": str(value)}
    response = client.post(SAVE, json.dumps({"cells": [cell]}), content_type="application/json")
    assert response.status_code == 200, response.content
    return response


def datavalue_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "reporting_datavalue" in q["sql"]]


@pytest.fixture
def replica_up(form, cell_reporter):  # noqa: F811
    """The form, its reporter, and a replica that has them (and is tried again)."""
    replica.reset_after_outage()
    for _ in range(600):  # the test database itself streams to the replica first
        try:
            connections["replica"].ensure_connection()
            break
        except Exception:
            connections["replica"].close()
            time.sleep(0.05)
    wait_for_replica()
    yield form
    replica.reset_after_outage()


def test_it_reads_a_page_from_the_replica(replica_up, cell_reporter, personas, web):  # noqa: F811
    save(web(cell_reporter), 40)
    wait_for_replica()
    viewer = web(personas.viewer)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = viewer.get(GRID)
    assert response.status_code == 200
    assert 'value="40"' in response.content.decode()
    assert datavalue_queries(on_replica), "the values were not read from the replica"
    assert not datavalue_queries(on_primary)
    # The connection that answered is a standby in recovery, on its own server.
    assert scalar("replica", "SELECT pg_is_in_recovery()") is True
    assert scalar("default", "SELECT pg_is_in_recovery()") is False
    assert scalar("replica", "SELECT inet_server_port()") != scalar(
        "default", "SELECT inet_server_port()"
    )
    # Who the viewer is and what it may do: from the primary.
    identity = ('FROM "accounts_role"', 'FROM "django_session"', 'FROM "accounts_user"')
    assert not [q for q in on_replica.captured_queries if any(t in q["sql"] for t in identity)]
    assert [q for q in on_primary.captured_queries if any(t in q["sql"] for t in identity)]


def test_it_writes_to_the_primary_and_remembers_where(replica_up, cell_reporter, web):  # noqa: F811
    client = web(cell_reporter)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = save(client, 41)
    assert on_replica.captured_queries == []
    assert DataValue.objects.using("default").get(indicator__code="luot_nguoi").value_number == 41
    lsn = response.cookies[replica.COOKIE].value
    assert scalar("default", "SELECT %s::pg_lsn <= pg_current_wal_insert_lsn()", [lsn])


def test_it_shows_the_writer_its_own_write_while_the_replica_lags(
    replica_up,
    cell_reporter,  # noqa: F811
    personas,
    web,
):
    """GIVEN a replica that stops replaying (lag as long as the test wants)
    WHEN the reporter saves 42 and reads the grid at once
    THEN it sees 42 (read on the primary), while a viewer who wrote nothing reads the
    replica and still sees 40; once the replica catches up, both read it and see 42."""
    writer = web(cell_reporter)
    wait_for_replica(save(writer, 40).cookies[replica.COOKIE].value)
    writer.get(GRID)  # the replica has the write: the cookie goes
    assert replica.COOKIE not in writer.cookies or not writer.cookies[replica.COOKIE].value
    viewer = web(personas.viewer)
    scalar("replica", "SELECT pg_wal_replay_pause()")
    try:
        lsn = save(writer, 42).cookies[replica.COOKIE].value
        assert not replayed(lsn)  # the lag is real
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            mine = writer.get(GRID)
        assert 'value="42"' in mine.content.decode()
        assert not datavalue_queries(on_replica)
        theirs = viewer.get(GRID)
        assert 'value="40"' in theirs.content.decode()  # others see the replica's past
    finally:
        scalar("replica", "SELECT pg_wal_replay_resume()")
    wait_for_replica(lsn)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        mine = writer.get(GRID)
    assert 'value="42"' in mine.content.decode()
    assert datavalue_queries(on_replica)
    assert mine.cookies[replica.COOKIE].value == ""  # caught up: the cookie is dropped
    assert 'value="42"' in viewer.get(GRID).content.decode()


def test_it_shows_the_writer_its_own_write_in_the_analytics(
    replica_up,
    cell_reporter,  # noqa: F811
    personas,
    web,
):
    writer = web(personas.manager)
    save(web(cell_reporter), 40)
    wait_for_replica()
    query = {
        "chi_tieu": ["luot_nguoi"],
        "ky": "2020S1",
        "don_vi": "D1",
        "cap": 1,
        "hang": "unit",
        "cot": "period",
        "trang_thai": "all",
    }
    assert writer.get("/phan-tich/", query).context["pivot"].total_row.cells == [40]
    scalar("replica", "SELECT pg_wal_replay_pause()")
    try:
        save(writer, 43)  # the manager corrects the commune's figure
        assert writer.get("/phan-tich/", query).context["pivot"].total_row.cells == [43]
    finally:
        scalar("replica", "SELECT pg_wal_replay_resume()")


def test_it_reads_the_primary_for_a_token_and_inside_a_request_that_wrote(
    replica_up,
    cell_reporter,  # noqa: F811
    api,
):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = api(cell_reporter).get("forms")
    assert response.status_code == 200
    assert on_replica.captured_queries == []  # a script may not keep the cookie
    assert "Set-Cookie" not in response.headers


def test_it_reads_the_primary_when_the_replica_is_down(
    replica_up,
    cell_reporter,  # noqa: F811
    personas,
    web,
    caplog,
):
    save(web(cell_reporter), 44)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = connections["replica"].settings_dict["PORT"]
    connections["replica"].close()
    connections["replica"].settings_dict["PORT"] = closed_port
    try:
        response = web(personas.viewer).get(GRID)
        assert response.status_code == 200
        assert 'value="44"' in response.content.decode()
        assert "replica unreachable" in caplog.text
    finally:
        connections["replica"].close()
        connections["replica"].settings_dict["PORT"] = saved


def test_it_reads_the_primary_for_a_garbled_position(replica_up, personas, web):
    viewer = web(personas.viewer)
    viewer.cookies[replica.COOKIE] = "0/0'; SELECT 1"
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = viewer.get(GRID)
    assert response.status_code == 200
    assert on_replica.captured_queries == []
