"""The standard kinds renumbered into the order an office lists units in (issue 14).

Until now a province's communes (30) came before its Party committee (40), and a
committee's hundred commune committees (40) before its boards (51): the tree listed
Tỉnh ủy An Giang after about a hundred communes. A kind an admin has renumbered keeps
its number.
"""

from django.db import migrations

RENUMBERED = {
    # code: (before, after)
    "steering_committee": (50, 10),
    "board": (51, 11),
    "party_committee": (40, 20),
    "party_cell": (41, 21),
    "agency": (60, 30),
    "province": (10, 40),
    "district": (20, 50),
    "commune": (30, 60),
    "ward": (31, 61),
    "town": (32, 62),
    "special_zone": (33, 63),
}


def renumber(apps, schema_editor, *, forward: bool = True):
    UnitKind = apps.get_model("orgs", "UnitKind")
    for code, (before, after) in RENUMBERED.items():
        old, new = (before, after) if forward else (after, before)
        UnitKind.objects.filter(code=code, sort_order=old).update(sort_order=new)


def back(apps, schema_editor):
    renumber(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_unit_agency_code")]
    operations = [migrations.RunPython(renumber, back)]
