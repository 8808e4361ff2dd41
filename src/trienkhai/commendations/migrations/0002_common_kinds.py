"""The common kinds of commendation and the level that gives each (decision 0054): the
list is ``commendations.kinds.KINDS``."""

from django.db import migrations


def seed(apps, schema_editor):
    from trienkhai.commendations.kinds import ensure

    ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("commendations", "0001_kinds_nominations_awards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
