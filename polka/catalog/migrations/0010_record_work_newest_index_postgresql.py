"""A work's editions newest first with the undated last, read off an index on PostgreSQL.

PostgreSQL sorts NULL above every year, so the (work key, year, id) index read backwards put
undated editions first; said outright (NULLS LAST) it could not serve the order at all and
sorted every edition of the work. This index is in that order. SQLite's own order for a
descending year already puts NULL last, so its index serves the query as it is, and SQLite
indexes cannot say NULLS LAST: the index is PostgreSQL's alone, outside the model's Meta."""

from django.db import migrations

NAME = "catalog_record_work_newest"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON catalog_record "
            "(work_key, year DESC NULLS LAST, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_record_work_index_with_id")]

    operations = [migrations.RunPython(create, drop)]
