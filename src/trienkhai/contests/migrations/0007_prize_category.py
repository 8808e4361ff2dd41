# Written for decision 0064: a prize may belong to one category of the contest, and is then
# given down the ranking of that category's entries only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0006_prize_certificate_revoked"),
    ]

    operations = [
        migrations.AlterField(
            model_name="prizecertificate",
            name="prize_name",
            field=models.CharField(
                help_text="As printed: the prize and its category (decision 0064).",
                max_length=410,
            ),
        ),
        migrations.AddField(
            model_name="prize",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="prizes",
                to="contests.category",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="prize",
            name="prize_unique_name",
        ),
        migrations.AddConstraint(
            model_name="prize",
            constraint=models.UniqueConstraint(
                condition=models.Q(("category__isnull", True)),
                fields=("round", "name"),
                name="prize_unique_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="prize",
            constraint=models.UniqueConstraint(
                condition=models.Q(("category__isnull", False)),
                fields=("round", "category", "name"),
                name="prize_unique_name_in_category",
            ),
        ),
    ]
