"""The bulk import at a few thousand rows: all or nothing when the last row is wrong,
and exactly one change row (who, when, old → new) per value it changes."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from tests import factories
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.orgs.models import Unit, UnitVersion
from trienkhai.reporting import bulk, services
from trienkhai.reporting.models import DataValue, DataValueChange, Submission
from trienkhai.reporting.signals import values_changed

UNITS = 300
INDICATORS = 10
PERIOD = "2020S1"


@pytest.fixture
def communes(org):
    """UNITS communes under D1 reporting form XA (INDICATORS indicators), by kind."""
    day = dt.date(2015, 1, 1)
    units = Unit.objects.bulk_create(
        [Unit(code=f"XA{n:03d}", valid_from=day) for n in range(UNITS)]
    )
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=unit,
                name=f"Xã {unit.code}",
                kind=factories.kind("commune"),
                parent=org.d1,
                valid_from=day,
                search_key=unit.code.lower(),
            )
            for unit in units
        ]
    )
    indicators = [
        services.create_indicator(acting_user=SYSTEM, code=f"so_{n}", name=f"Số {n}")
        for n in range(INDICATORS)
    ]
    form = services.create_form(
        acting_user=SYSTEM,
        code="XA",
        name="Biểu các xã",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=indicators,
        kind=factories.kind("commune"),
        valid_from=day,
    )
    return form, units


def table(units, value=lambda unit_number, n: str(unit_number * 10 + n)) -> list[list[str]]:
    return [
        ["XA", unit.code, PERIOD, f"so_{n}", "", value(u, n), ""]
        for u, unit in enumerate(units)
        for n in range(INDICATORS)
    ]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(bulk.COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_wrong_last_row_of_thousands_imports_nothing(communes, personas):
    _, units = communes
    rows = table(units)
    rows[-1][5] = "mười"
    with pytest.raises(BadInput) as caught:
        bulk.import_values(acting_user=personas.manager, name="a.csv", data=csv_bytes(rows))
    last = UNITS * INDICATORS + 1  # the header is row 1
    assert caught.value.code == "invalid_file"
    assert [(d["row"], d["column"]) for d in caught.value.details] == [(last, "value")]
    assert "1 row has errors; nothing was imported" in caught.value.message
    assert not DataValue.objects.exists()
    assert not DataValueChange.objects.exists()
    assert not Submission.objects.exists()


def test_each_changed_value_gets_one_change_row(communes, org, personas):
    form, units = communes
    saved = bulk.import_values(
        acting_user=personas.reporter, name="a.csv", data=csv_bytes(table(units))
    )
    assert saved == UNITS * INDICATORS == DataValueChange.objects.count()
    assert Submission.objects.filter(form=form, period=PERIOD).count() == UNITS
    changed = {(0, 0): "7", (5, 3): "1.234", (299, 9): ""}  # (unit, indicator) → new value

    def value(u: int, n: int) -> str:
        return changed.get((u, n), str(u * 10 + n))

    heard: list = []

    def listen(sender, changes, **kwargs):
        heard.extend(changes)

    values_changed.connect(listen)
    try:
        saved = bulk.import_values(
            acting_user=personas.manager, name="b.csv", data=csv_bytes(table(units, value))
        )
    finally:
        values_changed.disconnect(listen)
    assert saved == len(changed)
    assert DataValueChange.objects.count() == UNITS * INDICATORS + len(changed)
    latest = DataValueChange.objects.filter(changed_by=personas.manager)
    assert {(c.unit.code, c.indicator.code, c.old, c.new) for c in latest} == {
        ("XA000", "so_0", "0", "7"),
        ("XA005", "so_3", "53", "1.234"),
        ("XA299", "so_9", "2.999", ""),
    }
    assert {(c.unit_id, c.old, c.new) for c in heard} == {
        (units[0].pk, Decimal(0), Decimal(7)),
        (units[5].pk, Decimal(53), Decimal(1234)),
        (units[299].pk, Decimal(2999), None),
    }
    # The cell's history, newest first, as the cell's page lists it.
    history = DataValueChange.objects.filter(
        unit=units[5], period=PERIOD, indicator__code="so_3", option=""
    )
    assert [(c.old, c.new, c.changed_by) for c in history] == [
        ("53", "1.234", personas.manager),
        ("", "53", personas.reporter),
    ]
    kept = DataValue.objects.get(unit=units[5], indicator__code="so_3")
    assert (kept.value, kept.version, kept.modified_by) == (1234, 2, personas.manager)
    assert DataValue.objects.get(unit=units[6], indicator__code="so_3").version == 1
    assert not DataValue.objects.filter(unit=units[299], indicator__code="so_9").exists()
    assert DataValue.objects.count() == UNITS * INDICATORS - 1
