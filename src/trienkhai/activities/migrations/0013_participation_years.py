# Participation: one row per (organiser, person, group) with the years as bits
# (decision 0055): a span of three years reads a third of the rows.

import django.db.models.deletion
from django.db import migrations, models


def tally(apps, schema_editor):
    """The tallies of the register as it is (0012 made the tables, this migration makes
    their rows); nothing to do when empty, so that a new database never runs today's
    code against an older schema."""
    Event = apps.get_model("activities", "Event")
    if not Event.objects.exists():
        return
    from trienkhai.activities import tallies

    tallies.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0012_figure_tallies'),
        ('orgs', '0004_kinds_in_office_order'),
    ]

    operations = [
        migrations.DeleteModel(name='Participation'),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(blank=True, choices=[('bao_cao_vien', 'Báo cáo viên / lecturers'), ('can_bo', 'Cán bộ / officials'), ('dang_vien', 'Đảng viên / Party members'), ('doan_vien', 'Đoàn viên / Youth Union members'), ('hoi_vien', 'Hội viên / association members'), ('nhan_dan', 'Nhân dân / the public')], max_length=20)),
                ('years', models.BigIntegerField(help_text='Bit n: the year FIRST_YEAR + n.')),
                ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.unit')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.person')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organiser', 'person', 'audience'), name='participation_once')],
            },
        ),
        migrations.RunPython(tally, migrations.RunPython.noop),
    ]
