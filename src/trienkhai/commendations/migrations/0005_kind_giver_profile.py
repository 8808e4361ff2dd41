"""A kind records whether a Party body or a State one gives it (decision 0057): the
common kinds get theirs (``commendations.kinds.PROFILES``), the district Standing
Committee's Giấy khen is added; a kind an admin added stays empty (either) until edited."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from trienkhai.commendations.kinds import PROFILES, ensure

    ensure(apps)
    Kind = apps.get_model("commendations", "Kind")
    for code, profile in PROFILES.items():
        Kind.objects.filter(code=code, giver_profile="").update(giver_profile=profile)


class Migration(migrations.Migration):
    dependencies = [("commendations", "0004_award_document")]

    operations = [
        migrations.AddField(
            model_name="kind",
            name="giver_profile",
            field=models.CharField(
                blank=True,
                choices=[("state", "Nhà nước / State"), ("party", "Đảng / Party")],
                help_text="Given by a Party body or a State one (decision 0057); empty: either.",
                max_length=10,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
