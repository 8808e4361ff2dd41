"""The standard unit kinds and the country, the root of every tree."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from trienkhai.orgs.kinds import ROOT_CODE, ROOT_NAME, STANDARD_KINDS

    UnitKind = apps.get_model("orgs", "UnitKind")
    Unit = apps.get_model("orgs", "Unit")
    UnitVersion = apps.get_model("orgs", "UnitVersion")
    LineageEvent = apps.get_model("orgs", "LineageEvent")
    for code, name, name_en, profile, order in STANDARD_KINDS:
        UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "profile": profile, "sort_order": order}
        )
    if not Unit.objects.filter(code=ROOT_CODE).exists():
        start = dt.date(1945, 9, 2)
        root = Unit.objects.create(code=ROOT_CODE, valid_from=start)
        UnitVersion.objects.create(
            unit=root, valid_from=start, name=ROOT_NAME, abbreviation=ROOT_CODE,
            kind=UnitKind.objects.get(code="country"), search_key="viet nam vn",
        )
        LineageEvent.objects.create(kind="create", date=start, unit=root)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
