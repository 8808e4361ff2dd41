"""Other apps hear of every changed number, from a single save and from a bulk import."""

from decimal import Decimal

import pytest

from tests.factories import SYSTEM
from tests.reporting.test_bulk import csv_bytes
from trienkhai.reporting import bulk, services
from trienkhai.reporting.signals import ValueChange, values_changed


@pytest.fixture
def heard():
    received: list[ValueChange] = []

    def receiver(sender, changes, **kwargs):
        received.extend(changes)

    values_changed.connect(receiver, dispatch_uid="test-heard")
    yield received
    values_changed.disconnect(dispatch_uid="test-heard")


def save(form, unit, indicator, value, option=""):
    cells = [services.CellInput(indicator=indicator, option=option, value=value)]
    services.save_values(acting_user=SYSTEM, form=form, unit=unit, period_id="2020S1", cells=cells)


def test_a_save_sends_old_and_new_numbers_and_text_is_not_a_number(form, org, heard):
    save(form, org.c1, "lop_ke_hoach", "12")
    save(form, org.c1, "lop_ke_hoach", "14")
    save(form, org.c1, "lop_ke_hoach", "14")  # unchanged: nothing sent
    save(form, org.c1, "ghi_chu", "Tốt")
    save(form, org.c1, "lop_ke_hoach", "")
    indicator = form.items.get(indicator__code="lop_ke_hoach").indicator
    assert heard == [
        ValueChange(indicator.pk, "", org.c1.pk, "2020S1", None, Decimal(12)),
        ValueChange(indicator.pk, "", org.c1.pk, "2020S1", Decimal(12), Decimal(14)),
        ValueChange(indicator.pk, "", org.c1.pk, "2020S1", Decimal(14), None),
    ]


def test_a_bulk_import_sends_every_changed_number(form, org, personas, heard):
    save(form, org.c1, "lop_ke_hoach", "10")
    heard.clear()
    rows = [
        ["HK", "C1", "2020S1", "lop_ke_hoach", "", "12", ""],
        ["HK", "C2", "2020S1", "luot_nguoi_doi_tuong", "dang_vien", "1.250", ""],
        ["HK", "C2", "2020S1", "ghi_chu", "", "Tốt", ""],
    ]
    bulk.import_values(acting_user=personas.manager, name="x.csv", data=csv_bytes(rows))
    assert sorted((c.unit_id, c.option, c.old, c.new) for c in heard) == sorted(
        [
            (org.c1.pk, "", Decimal(10), Decimal(12)),
            (org.c2.pk, "dang_vien", None, Decimal(1250)),
        ]
    )
