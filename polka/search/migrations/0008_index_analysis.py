import uuid

from django.db import migrations, models

# The analysis an index built before versions were kept has: `polka upgrade` rebuilds it.
BEFORE_VERSIONS = 1
# The version this migration introduces (search.analysis.ANALYSIS_VERSION then).
INTRODUCED = 2


def mark_existing_index(apps, schema_editor):
    """An index holding anything was built before versions were kept (its state row may not
    exist yet); an empty one has nothing to rebuild."""
    State = apps.get_model("search", "SearchIndexState")
    documents = apps.get_model("search", "SearchDocument")
    contents = apps.get_model("search", "ContentDocument")
    built = documents.objects.exists() or contents.objects.exists()
    if not State.objects.filter(pk=1).exists():
        if built:
            State.objects.create(pk=1, generation=uuid.uuid4().hex, analysis=BEFORE_VERSIONS)
        return
    State.objects.filter(pk=1).update(analysis=BEFORE_VERSIONS if built else INTRODUCED)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_rebuild_without_facet_key_and_like_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchindexstate",
            name="analysis",
            field=models.PositiveSmallIntegerField(default=BEFORE_VERSIONS),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="searchindexstate",
            name="analysis",
            field=models.PositiveSmallIntegerField(default=INTRODUCED),
        ),
        migrations.RunPython(mark_existing_index, migrations.RunPython.noop),
    ]
