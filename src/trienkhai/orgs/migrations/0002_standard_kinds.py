"""The standard unit kinds and the country, the root of every tree."""

from django.db import migrations


def seed(apps, schema_editor):
    from trienkhai.orgs.kinds import ensure_standard_data

    ensure_standard_data(apps)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
