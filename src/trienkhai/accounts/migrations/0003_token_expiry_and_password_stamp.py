"""API tokens expire and end with a password change: existing tokens get 30 days and
the stamp of their user's current password."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    from trienkhai.accounts.models import password_stamp

    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=30)
    for token in ApiToken.objects.select_related("user"):
        token.expires = expires
        token.password_stamp = password_stamp(token.user.password)
        token.save(update_fields=["expires", "password_stamp"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(help_text="The token stops working at this time."),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(
                help_text="password_stamp(user) when the token was issued.", max_length=64
            ),
        ),
    ]
