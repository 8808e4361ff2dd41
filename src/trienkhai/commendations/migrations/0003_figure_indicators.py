"""The indicators of the commendation figures (decisions 0039, 0054)."""

from django.db import migrations


def create(apps, schema_editor):
    from trienkhai.commendations.figures import ensure_indicators

    ensure_indicators(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("commendations", "0002_common_kinds"),
        ("reporting", "0012_indicator_source"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
