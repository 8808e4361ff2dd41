"""Values and their change rows have no per-row foreign keys (decision 0015): the same
references are still refused when wrong, by PostgreSQL's statement triggers and, on
SQLite, by the bulk writer's own check and the ORM's on_delete."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.factories import SYSTEM
from tests.reporting.test_bulk import PERIOD, csv_bytes
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit
from trienkhai.reporting import bulk, services
from trienkhai.reporting.models import DataValue, DataValueChange, Indicator
from trienkhai.reporting.services import CellInput

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the triggers are PostgreSQL's"
)
MISSING = 10**12


def checked(form, unit_id: int, indicator: Indicator) -> bulk.CheckedCell:
    return bulk.CheckedCell(
        form=form,
        unit_id=unit_id,
        period=form.period(PERIOD),
        indicator=indicator,
        option="",
        number=Decimal(3),
        text="",
    )


def test_the_writer_refuses_an_unknown_unit_or_indicator_and_writes_nothing(form, org, personas):
    planned = Indicator.objects.get(code="lop_ke_hoach")
    ghost = Indicator(pk=MISSING, code="ma", name="ma")
    for cells in (
        [checked(form, org.c1.pk, planned), checked(form, MISSING, planned)],
        [checked(form, org.c1.pk, planned), checked(form, org.c1.pk, ghost)],
    ):
        with pytest.raises(IntegrityError):
            bulk.write_checked(acting_user=personas.manager, cells=cells)
        assert not DataValue.objects.exists()
        assert not DataValueChange.objects.exists()


def test_the_import_refuses_an_unknown_unit_by_its_checks(form, org, personas):
    rows = [
        ["HK", "C1", PERIOD, "lop_ke_hoach", "", "12", ""],
        ["HK", "KHONG_CO", PERIOD, "lop_ke_hoach", "", "12", ""],
    ]
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(rows))
    assert caught.value.details == [
        {"row": 3, "column": "unit", "problem": "Không có đơn vị / unknown unit: KHONG_CO"}
    ]
    assert not DataValue.objects.exists()


def test_a_unit_or_indicator_with_values_cannot_be_deleted(form, org):
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput("lop_ke_hoach", 10)],
    )
    with pytest.raises(ProtectedError):
        Unit.objects.filter(pk=org.c1.pk).delete()
    with pytest.raises(ProtectedError):
        Indicator.objects.filter(code="lop_ke_hoach").delete()
    assert DataValue.objects.filter(unit=org.c1).count() == 1


def test_deleting_a_user_keeps_the_values_and_history_without_the_user(form, org, personas):
    bulk.import_values(
        acting_user=personas.reporter,
        name="a.csv",
        data=csv_bytes([["HK", "C1", PERIOD, "lop_ke_hoach", "", "12", ""]]),
    )
    personas.reporter.delete()
    value = DataValue.objects.get(unit=org.c1)
    assert (value.value, value.modified_by_id) == (12, None)
    assert DataValueChange.objects.get(unit=org.c1).changed_by_id is None


def _value(**fields) -> dict:
    return {
        "option": "",
        "period": PERIOD,
        "value_number": Decimal(1),
        "modified": timezone.now(),
        **fields,
    }


@postgres_only
def test_postgresql_refuses_a_single_row_with_an_unknown_reference(form, org, personas):
    planned = Indicator.objects.get(code="lop_ke_hoach")
    for fields in (
        {"unit_id": MISSING, "indicator": planned},
        {"unit": org.c1, "indicator_id": MISSING},
        {"unit": org.c1, "indicator": planned, "modified_by_id": MISSING},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DataValue.objects.create(**_value(**fields))
    with pytest.raises(IntegrityError), transaction.atomic():
        DataValueChange.objects.create(
            unit_id=MISSING, indicator=planned, period=PERIOD, changed=timezone.now()
        )
    stored = DataValue.objects.create(**_value(unit=org.c1, indicator=planned))
    with pytest.raises(IntegrityError), transaction.atomic():
        DataValue.objects.filter(pk=stored.pk).update(unit_id=MISSING)
    assert DataValue.objects.get(pk=stored.pk).unit_id == org.c1.pk


def _lone_unit(org) -> Unit:
    """A unit nothing else refers to (its versions removed), so that only the values'
    references can stop its deletion."""
    from tests import factories

    spare = factories.make_unit("XOA", parent=org.d1, valid_from=dt.date(2020, 1, 1))
    spare.versions.all().delete()
    return spare


@postgres_only
def test_postgresql_refuses_deleting_a_referenced_row_even_bypassing_the_orm(org):
    from trienkhai.accounts.models import User

    unit = _lone_unit(org)
    indicator = Indicator.objects.create(code="le", name="Lẻ")
    user = User.objects.create(username="le")
    stored = DataValue.objects.create(**_value(unit=unit, indicator=indicator, modified_by=user))
    for table, key in (
        ("orgs_unit", unit.pk),
        ("reporting_indicator", indicator.pk),
        ("accounts_user", user.pk),
    ):
        with (
            pytest.raises(IntegrityError, match="still referred to"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [key])
    # A change row alone (the value gone) still holds its unit.
    stored.delete()
    DataValueChange.objects.create(unit=unit, indicator=indicator, period=PERIOD)
    with (
        pytest.raises(IntegrityError, match="still referred to"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM orgs_unit WHERE id = %s", [unit.pk])
    DataValueChange.objects.all().delete()
    Unit.objects.filter(pk=unit.pk).delete()  # nothing refers to it any more
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_unit_without_values_can_still_be_deleted(org):
    spare = _lone_unit(org)
    Unit.objects.filter(pk=spare.pk).delete()
    assert not Unit.objects.filter(code="XOA").exists()
