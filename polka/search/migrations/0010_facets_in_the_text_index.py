"""SQLite: search_fts gains a `facets` column, each facet value of a record one token (but the
branches with a copy on the shelf), so that a facet filter is intersected inside the full-text
match (polka/search/backends/sqlite.py). The table is made anew and filled from the old one and
search_facet, in SQL: no rebuild."""

import hashlib

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE {table} USING fts5("
    "title, authors, subjects, other{facets}, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)


def facet_token(field: str, value: str) -> str:
    # Frozen copy of polka.search.documents.facet_token.
    digest = hashlib.sha256(f"{field}\x1f{value}".encode()).hexdigest()[:16]
    return f"\ue000{digest}"


def _with_facets(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.connection.ensure_connection()
    schema_editor.connection.connection.create_function(
        "polka_facet_token", 2, facet_token, deterministic=True
    )
    schema_editor.execute(CREATE.format(table="search_fts_new", facets=", facets"))
    schema_editor.execute(
        "INSERT INTO search_fts_new (rowid, title, authors, subjects, other, facets) "
        "SELECT f.rowid, f.title, f.authors, f.subjects, f.other, "
        "(SELECT group_concat(polka_facet_token(s.field, s.value), ' ') "
        "FROM search_facet s WHERE s.record_id = f.rowid AND s.field != 'branch') "
        "FROM search_fts f ORDER BY f.rowid"
    )
    schema_editor.execute("DROP TABLE search_fts")
    schema_editor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")
    # One segment per word list, as a rebuild leaves them (1.8 s at 1,000,000 records).
    schema_editor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def _without_facets(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE.format(table="search_fts_old", facets=""))
    schema_editor.execute(
        "INSERT INTO search_fts_old (rowid, title, authors, subjects, other) "
        "SELECT rowid, title, authors, subjects, other FROM search_fts ORDER BY rowid"
    )
    schema_editor.execute("DROP TABLE search_fts")
    schema_editor.execute("ALTER TABLE search_fts_old RENAME TO search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_facets_once_each")]

    operations = [migrations.RunPython(_with_facets, _without_facets)]
