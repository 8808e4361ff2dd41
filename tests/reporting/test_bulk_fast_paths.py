"""The bulk import's fast paths give what the general paths give.

Lookups of many keys use one parameter (``bulk_insert.among``) on both databases; the
cycle collector is paused during an import (``bulk_insert.no_cycle_collection``); whole
numbers are written as ints (``bulk._written``) and read back as the same Decimals.
"""

import gc
from decimal import Decimal

import pytest
from django.db import connection, transaction

from trienkhai.common.bulk_insert import among, no_cycle_collection
from trienkhai.common.errors import BadInput
from trienkhai.reporting import bulk
from trienkhai.reporting.models import DataValue, Indicator
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


def test_whole_numbers_are_written_as_ints_and_others_as_decimals():
    assert type(bulk._written(Decimal("12"))) is int and bulk._written(Decimal("12")) == 12
    assert type(bulk._written(Decimal("5.0000"))) is int
    assert bulk._written(Decimal("-3")) == -3
    assert type(bulk._written(Decimal("20.5"))) is Decimal
    assert type(bulk._written(Decimal("1E+19"))) is Decimal  # beyond SQLite's integers


def test_the_numbers_written_read_back_equal(form, org, personas):
    numbers = [
        Decimal("0"),
        Decimal("12"),
        Decimal("20.5"),
        Decimal("-3"),
        Decimal("5.0000"),
        Decimal("12345678901.2345"),  # SQLite keeps 15 digits (REAL)
        Decimal("99999999999"),
        Decimal("0.0001"),
    ]
    cells = [("lop_ke_hoach", ""), ("lop_da_mo", ""), ("luot_nguoi", "")]
    cells += [("luot_nguoi_doi_tuong", code) for code in ("bao_cao_vien", "dang_vien")]
    period = form.period("2020S1")
    wanted = {}
    checked = []
    for n, number in enumerate(numbers):
        unit = (org.c1, org.c2)[n % 2]
        code, option = cells[n // 2]
        indicator = Indicator.objects.get(code=code)
        wanted[(unit.pk, indicator.pk, option)] = number
        checked.append(bulk.CheckedCell(form, unit.pk, period, indicator, option, number, "", None))
    with transaction.atomic():
        assert bulk.write_checked(acting_user=personas.manager, cells=checked) == len(numbers)
    found = {
        (v.unit_id, v.indicator_id, v.option): v.value_number
        for v in DataValue.objects.filter(period="2020S1")
    }
    assert found == wanted
    assert all(type(number) is Decimal for number in found.values())
