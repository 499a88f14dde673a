"""PostgreSQL: each search document's tsvector gains the branches with a copy on the shelf as
words without positions (polka.search.documents.facet_token, computed here in SQL from
search_facet's branch rows), so that a branch filter is part of the match as the other facets
are since 0011 (polka/search/backends/postgresql.py). No rebuild."""

from typing import Any

from django.db import migrations

# As 0011: '\ue000' and the first 16 hex digits of sha256(field, 0x1f, value).
TOKENS = (
    "SELECT s.record_id, array_agg(DISTINCT chr(57344) || left(encode(sha256(convert_to("
    "s.field || chr(31) || s.value, 'UTF8')), 'hex'), 16)) AS tokens "
    "FROM search_facet s WHERE s.field = 'branch' GROUP BY s.record_id"
)


def _with_branches(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_document d SET tsv = d.tsv || array_to_tsvector(f.tokens) "  # noqa: S608
        f"FROM ({TOKENS}) f WHERE d.record_id = f.record_id"
    )
    # The new GIN entries wait in the index's pending list, which every search reads through
    # until it is merged (as after a rebuild, polka/search/backends/postgresql.py).
    schema_editor.execute(
        "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
        "WHERE c.oid = to_regclass('search_document_tsv') AND pg_has_role(c.relowner, 'USAGE')"
    )


def _without_branches(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_document d SET tsv = ts_delete(d.tsv, f.tokens) "  # noqa: S608
        f"FROM ({TOKENS}) f WHERE d.record_id = f.record_id"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0014_facet_rows_only_looked_up")]

    operations = [migrations.RunPython(_with_branches, _without_branches)]
