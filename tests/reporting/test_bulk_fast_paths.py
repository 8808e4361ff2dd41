"""The bulk import's fast paths give what the general paths give.

Lookups of many keys use one parameter (``bulk_insert.among``) on both databases; the
cycle collector is paused during an import (``bulk_insert.no_cycle_collection``).
"""

import gc

import pytest
from django.db import connection

from trienkhai.common.bulk_insert import among, no_cycle_collection
from trienkhai.common.errors import BadInput
from trienkhai.reporting import bulk
from trienkhai.reporting.signals import values_changed


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


def test_the_cycle_collector_is_paused_inside_and_runs_again_after():
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
        with no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one leaves it as it found it
    assert gc.isenabled()
    with pytest.raises(ValueError), no_cycle_collection():
        raise ValueError("an import that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # someone else paused it: left paused
    finally:
        gc.enable()


def test_an_import_runs_with_the_collector_paused_and_restores_it(form, org, personas):
    seen: list[bool] = []

    def listen(sender, changes, **kwargs):
        seen.append(gc.isenabled())

    data = (
        b"form,unit,period,indicator,option,value,comment\r\n"
        b"HK,C1,2020S1,lop_ke_hoach,,12,\r\nHK,C2,2020S1,lop_ke_hoach,,13,\r\n"
    )
    values_changed.connect(listen, weak=False)
    try:
        saved = bulk.import_values(acting_user=personas.manager, name="a.csv", data=data)
    finally:
        values_changed.disconnect(listen)
    assert saved == 2 and seen == [False]
    assert gc.isenabled()
    with pytest.raises(BadInput):
        bulk.import_values(acting_user=personas.manager, name="a.csv", data=data + b"HK,C1\r\n")
    assert gc.isenabled()
