"""The engine-specific text index: created only on the engine it belongs to."""

from django.db import migrations

SQLITE_CREATE = [
    # Text arrives pre-stemmed (polka.search.analysis), so the plain unicode61 tokenizer
    # only splits on spaces; prefix indexes serve suggestions as you type.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, authors, subjects, other, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Weights A–D: title, authors, subjects, everything else (same pre-stemmed terms as
    # SQLite, built with the 'simple' configuration's literal syntax).
    "ALTER TABLE search_document ADD COLUMN tsv tsvector",
    "CREATE INDEX search_document_tsv ON search_document USING GIN (tsv)",
    "CREATE INDEX search_term_trgm ON search_term USING GIN (term gin_trgm_ops)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_term_trgm",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
