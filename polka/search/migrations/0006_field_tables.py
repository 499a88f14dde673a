"""SQLite: titles and authors in full-text tables of their own, filled from search_fts (see
polka/search/backends/sqlite.py: a column filter reads the word's list for every column)."""

from django.db import migrations

FIELDS = {"title": "search_fts_title", "authors": "search_fts_authors"}
CREATE = (
    "CREATE VIRTUAL TABLE {table} USING fts5({field}, tokenize = 'unicode61 remove_diacritics 0')"
)
FILL = "INSERT INTO {table} (rowid, {field}) SELECT rowid, {field} FROM search_fts"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for field, table in FIELDS.items():
        schema_editor.execute(CREATE.format(table=table, field=field))
        schema_editor.execute(FILL.format(table=table, field=field))


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in FIELDS.values():
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_index_state")]

    operations = [migrations.RunPython(_create, _drop)]
