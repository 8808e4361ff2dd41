from django.db import migrations


def seed(apps, schema_editor):
    from trienkhai.documents.types import ensure_standard_types

    ensure_standard_types(apps)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
