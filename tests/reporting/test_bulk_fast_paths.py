"""The bulk import's fast paths give what the general paths give.

Lookups of many keys use one parameter (``bulk_insert.among``) on both databases.
"""

import pytest
from django.db import connection

from trienkhai.common.bulk_insert import among


def codes_where(condition: str, param) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code FROM orgs_unit WHERE {condition} ORDER BY code", [param])
        return [code for (code,) in cursor.fetchall()]


@pytest.mark.django_db
def test_among_finds_every_listed_row_and_only_those(org):
    test, param = among(["C1", "D1", "nowhere", "P2", "Đ1"])
    assert codes_where(f"code {test}", param) == ["C1", "D1", "P2"]
    test, param = among([org.c1.pk, org.p2.pk, 10**12])
    assert codes_where(f"id {test}", param) == ["C1", "P2"]
    test, param = among([])
    assert codes_where(f"id {test}", param) == []
