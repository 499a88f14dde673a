from django.db import migrations, models

# The analysis version this migration introduces (search.analysis.ANALYSIS_VERSION then): a
# record's facet values once each.
INTRODUCED = 3


def mark_empty_index(apps, schema_editor):
    """An empty index has nothing to rebuild; a built one keeps its version, so that
    `polka upgrade` rebuilds it."""
    State = apps.get_model("search", "SearchIndexState")
    documents = apps.get_model("search", "SearchDocument")
    contents = apps.get_model("search", "ContentDocument")
    if not (documents.objects.exists() or contents.objects.exists()):
        State.objects.filter(pk=1).update(analysis=INTRODUCED)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_index_analysis"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchindexstate",
            name="analysis",
            field=models.PositiveSmallIntegerField(default=INTRODUCED),
        ),
        migrations.RunPython(mark_empty_index, migrations.RunPython.noop),
    ]
