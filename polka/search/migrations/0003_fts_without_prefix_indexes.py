"""SQLite: rebuild search_fts without prefix indexes, which tripled indexing work for the few
prefix queries that suggestions make (FTS5 answers those from the main index quickly)."""

from django.db import migrations

COPY = [
    "CREATE VIRTUAL TABLE search_fts_new USING fts5("
    "title, authors, subjects, other, tokenize = 'unicode61 remove_diacritics 0'{prefix})",
    "INSERT INTO search_fts_new (rowid, title, authors, subjects, other) "
    "SELECT rowid, title, authors, subjects, other FROM search_fts",
    "DROP TABLE search_fts",
    "ALTER TABLE search_fts_new RENAME TO search_fts",
]


def _rebuild(prefix):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in COPY:
            schema_editor.execute(statement.replace("{prefix}", prefix))

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_index")]

    operations = [migrations.RunPython(_rebuild(""), _rebuild(", prefix = '2 3'"))]
