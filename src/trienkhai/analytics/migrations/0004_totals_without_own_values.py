"""Totals no longer hold a unit's own values (decision 0013): reads add them from the values.

Totals stored before hold them; they are recomputed once, from the values, by the code
of this version (a migration cannot say it in SQL: minimums, maximums and "last"
totals do not subtract). A database without totals — a new one — has nothing to do.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    Total = apps.get_model("analytics", "Total")
    if not Total.objects.exists():
        return
    from trienkhai.analytics import rebuild

    rebuild.rebuild_all(closure=False)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_total_without_db_constraints"),
        ("reporting", "0006_reference_checks"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
