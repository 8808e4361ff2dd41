"""The indicators of the inspections' figures (decision 0039)."""

from django.db import migrations


def create(apps, schema_editor):
    from trienkhai.activities.figures import ensure_indicators

    ensure_indicators(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_inspections"),
        ("reporting", "0012_indicator_source"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
