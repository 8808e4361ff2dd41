"""Party number series keyed by the ids of the term and the type, not by the term's start
and the type's printed code (both editable: a correction restarted the numbers)."""

from django.db import migrations

DEFAULT_TERM_ANCHOR_MONTH_DAY = (10, 1)


def _default_start(day):
    import datetime as dt

    year = day.year if (day.month, day.day) >= DEFAULT_TERM_ANCHOR_MONTH_DAY else day.year - 1
    start_year = year - (year - 2020) % 5
    return dt.date(start_year, *DEFAULT_TERM_ANCHOR_MONTH_DAY)


def rekey(apps, schema_editor):
    NumberSeries = apps.get_model("documents", "NumberSeries")
    Document = apps.get_model("documents", "Document")
    PartyTerm = apps.get_model("documents", "PartyTerm")
    for series in NumberSeries.objects.filter(scope_key__startswith="term:"):
        document = Document.objects.filter(series=series).order_by("date").first()
        if document is None:
            continue  # never used: the next issue makes the new key
        term = PartyTerm.objects.filter(
            unit_id=document.unit_id, start__lte=document.date, end__gte=document.date
        ).first()
        where = f"{term.pk}" if term else f"default-{_default_start(document.date)}"
        series.scope_key = f"term:{where}:type{document.type_id}"
        series.save(update_fields=["scope_key"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_attachments_search")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
