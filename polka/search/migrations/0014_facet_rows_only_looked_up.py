"""search_facet keeps the rows of the facets read by a lookup only (documents.TABLE_FACETS):
the branches, filtered outside the match, and the authors and subjects SRU scans. The others
(languages, decades, materials, age marks, e-books) are counted from search_document's
facet_list and filtered inside the match: their rows, half the table at 1,000,000 records,
were written on every import and never read. Back, they are written again from facet_list."""

from typing import Any

from django.db import migrations

# Frozen here: the code's TABLE_FACETS may change, this migration's meaning may not.
KEPT = ("author", "subject", "branch")
FACET_SEPARATOR, FIELD_SEPARATOR = "\x1e", "\x1f"
CHUNK = 5_000


def _drop_rows(apps: Any, schema_editor: Any) -> None:
    marks = ", ".join(["%s"] * len(KEPT))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_facet WHERE field NOT IN ({marks})", list(KEPT))  # noqa: S608


def _write_rows(apps: Any, schema_editor: Any) -> None:
    """The rows of the other facets again, from each document's facet_list, in chunks."""
    last = -1
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT record_id, facet_list FROM search_document WHERE record_id > %s "
                "ORDER BY record_id LIMIT %s",
                [last, CHUNK],
            )
            documents = cursor.fetchall()
            if not documents:
                return
            rows = [
                (record_id, field, value)
                for record_id, facet_list in documents
                for field, _, value in (
                    pair.partition(FIELD_SEPARATOR)
                    for pair in (facet_list.split(FACET_SEPARATOR) if facet_list else [])
                )
                if field not in KEPT
            ]
            if rows:
                cursor.executemany(
                    "INSERT INTO search_facet (record_id, field, value) VALUES (%s, %s, %s)",
                    rows,
                )
            last = documents[-1][0]


class Migration(migrations.Migration):
    dependencies = [("search", "0013_document_key_is_the_rowid")]

    operations = [migrations.RunPython(_drop_rows, _write_rows)]
