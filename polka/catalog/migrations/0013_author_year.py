"""The record's year on its authorships, for a person's records read off an index in year
order (RecordAuthor.year), filled from the records. The index is the model's on SQLite, whose
descending order already puts NULL last; PostgreSQL's says the order the pages ask for (year
DESC NULLS LAST), which its backward read of the plain index could not give, as
catalog_record_work_newest (0010) for a work's editions. One index of that name either way.
It replaces (person, record), which only "other books" read, in the latest catalogued order."""

from django.db import migrations, models

NAME = "catalog_author_person_year"
INDEX = models.Index(fields=["person", "year", "record"], name=NAME)
OLD = "catalog_author_person_record"


def fill(apps, schema_editor):
    schema_editor.execute(
        "UPDATE catalog_recordauthor SET year = "
        "(SELECT r.year FROM catalog_record r WHERE r.id = catalog_recordauthor.record_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON catalog_recordauthor "
            "(person_id, year DESC NULLS LAST, record_id DESC)"
        )
    else:
        schema_editor.add_index(apps.get_model("catalog", "RecordAuthor"), INDEX)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_author_and_isbn_indexes_covered")]

    operations = [
        migrations.AddField(
            model_name="recordauthor",
            name="year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="recordauthor", index=INDEX)],
            database_operations=[migrations.RunPython(fill, drop)],
        ),
        migrations.RemoveIndex(model_name="recordauthor", name=OLD),
    ]
