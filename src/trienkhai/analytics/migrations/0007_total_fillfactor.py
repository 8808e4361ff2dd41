"""Room on each page of ``Total`` for its rows' next versions (PostgreSQL only).

Every save, submission and approval updates the same totals of the units above (a
district's, a province's, the country's): an approval of a 60 × 6 report rewrites 1,080
of them. With full pages each update wrote a new row version on another page and an
entry in both indexes; with a fill factor of 70 the new version stays on its page (a
HOT update: no index entry; the columns updated are not indexed), which halved the
server's CPU of an approval (bench/statuses.py, 06/12/2026). SQLite has no such
setting.
"""

from django.db import migrations

FILL = 70


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE analytics_total SET (fillfactor = {FILL})")


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE analytics_total RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("analytics", "0006_total_per_status")]

    operations = [migrations.RunPython(fill, unfill, elidable=True)]
