"""Which statements count as a write for read-your-writes (common/replica.py): no
database needed, so it runs on every engine."""

import pytest

from trienkhai.common.replica import _is_read


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" FROM "orgs_unit"',
        "  select 1",
        "WITH RECURSIVE up(id, depth) AS (SELECT CAST(%s AS BIGINT), 0 UNION ALL "
        'SELECT v.parent_id, up.depth + 1 FROM "orgs_unitversion" v JOIN up ON v.unit_id = up.id)'
        " SELECT id, depth FROM up",
        'WITH x AS (SELECT "updated_at", "update_count" FROM t) SELECT * FROM x',
    ],
)
def test_reads(sql):
    assert _is_read(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" FROM "reporting_submission" WHERE "id" = 1 FOR UPDATE',
        'INSERT INTO "t" VALUES (1)',
        'UPDATE "t" SET "a" = 1',
        "WITH moved AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM moved",
        "WITH x AS (SELECT 1) UPDATE t SET a = 1",
        "SAVEPOINT s1",
        "",
    ],
)
def test_writes(sql):
    assert not _is_read(sql)
