"""bulk.write_checked: the import's writer for cells another importer has checked."""

from decimal import Decimal

from django.db import transaction

from tests.factories import SYSTEM
from trienkhai.reporting import bulk, cells, services
from trienkhai.reporting.models import DataValue, DataValueChange, Indicator, Submission
from trienkhai.reporting.services import CellInput
from trienkhai.reporting.signals import values_changed

PERIOD = "2020S1"


def cell(form, unit, code, number=None, text="", option="", comment=None):
    return bulk.CheckedCell(
        form=form,
        unit_id=unit.pk,
        period=form.period(PERIOD),
        indicator=Indicator.objects.get(code=code),
        option=option,
        number=number,
        text=text,
        comment=comment,
    )


def seed(form, unit, *cells: CellInput) -> None:
    services.save_values(
        acting_user=SYSTEM, form=form, unit=unit, period_id=PERIOD, cells=list(cells)
    )


def test_it_writes_values_change_rows_reports_and_one_signal(form, org, personas):
    seed(form, org.c1, CellInput("lop_ke_hoach", 10, comment="kế hoạch"), CellInput("lop_da_mo", 4))
    heard: list = []

    def listen(sender, changes, **kwargs):
        heard.append(changes)

    values_changed.connect(listen)
    try:
        with transaction.atomic():
            refused, _ = cells.refusals(
                personas.manager, form, form.period(PERIOD), [org.c1, org.c2]
            )
            assert refused == {}
            saved = bulk.write_checked(
                acting_user=personas.manager,
                cells=[
                    cell(form, org.c1, "lop_ke_hoach", Decimal(11)),  # replaced, comment kept
                    cell(form, org.c1, "lop_da_mo"),  # cleared
                    cell(form, org.c2, "ghi_chu", text="Tốt", comment="ổn"),  # new
                    cell(form, org.c2, "luot_nguoi_doi_tuong", Decimal(5), option="can_bo"),
                ],
            )
    finally:
        values_changed.disconnect(listen)
    assert saved == 4
    planned = DataValue.objects.get(unit=org.c1, indicator__code="lop_ke_hoach")
    assert (planned.value, planned.comment, planned.version) == (11, "kế hoạch", 2)
    assert not DataValue.objects.filter(unit=org.c1, indicator__code="lop_da_mo").exists()
    note = DataValue.objects.get(unit=org.c2, indicator__code="ghi_chu")
    assert (note.value, note.comment, note.modified_by) == ("Tốt", "ổn", personas.manager)
    change = DataValueChange.objects.filter(unit=org.c1, indicator__code="lop_ke_hoach").first()
    assert (change.old, change.new, change.changed_by) == ("10", "11", personas.manager)
    cleared = DataValueChange.objects.filter(unit=org.c1, indicator__code="lop_da_mo").first()
    assert (cleared.old, cleared.new) == ("4", "")
    assert Submission.objects.filter(form=form, unit=org.c2, period=PERIOD).exists()
    assert len(heard) == 1
    assert {(c.unit_id, c.old, c.new) for c in heard[0]} == {
        (org.c1.pk, Decimal(10), Decimal(11)),
        (org.c1.pk, Decimal(4), None),
        (org.c2.pk, None, Decimal(5)),
    }


def test_an_unchanged_cell_writes_nothing_and_the_later_duplicate_wins(form, org, personas):
    seed(form, org.c1, CellInput("lop_ke_hoach", 10))
    before = DataValueChange.objects.count()
    same = cell(form, org.c1, "lop_ke_hoach", Decimal(10))
    assert bulk.write_checked(acting_user=personas.manager, cells=[same]) == 0
    assert DataValueChange.objects.count() == before
    assert bulk.write_checked(acting_user=personas.manager, cells=[]) == 0
    saved = bulk.write_checked(
        acting_user=personas.manager,
        cells=[
            cell(form, org.c1, "lop_da_mo", Decimal(1)),
            cell(form, org.c1, "lop_da_mo", Decimal(2)),
        ],
    )
    assert saved == 1
    assert DataValue.objects.get(unit=org.c1, indicator__code="lop_da_mo").value == 2


def test_fractions_texts_and_comments_read_back_as_written(form, org, personas):
    odd = "tab\there \\N back\\slash\nnew line"
    saved = bulk.write_checked(
        acting_user=personas.manager,
        cells=[
            cell(form, org.c1, "luot_nguoi", Decimal("20.5"), comment=odd),
            cell(form, org.c1, "lop_ke_hoach", Decimal("0.0001")),
            cell(form, org.c1, "ghi_chu", text=odd),
        ],
    )
    assert saved == 3
    stored = {v.indicator.code: v for v in DataValue.objects.filter(unit=org.c1)}
    assert (stored["luot_nguoi"].value, stored["luot_nguoi"].comment) == (Decimal("20.5"), odd)
    assert stored["lop_ke_hoach"].value == Decimal("0.0001")
    assert stored["ghi_chu"].value == odd
    news = {c.indicator.code: c.new for c in DataValueChange.objects.filter(unit=org.c1)}
    assert news == {"luot_nguoi": "20,5", "lop_ke_hoach": "0,0001", "ghi_chu": odd}
