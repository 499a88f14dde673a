"""PostgreSQL: each search document's tsvector gains its facet values as words without
positions (polka.search.documents.facet_token, computed here in SQL), so that a facet filter is
part of the match (polka/search/backends/postgresql.py). No rebuild."""

from collections.abc import Callable
from typing import Any

from django.db import migrations

# '\ue000' and the first 16 hex digits of sha256(field, 0x1f, value): documents.facet_token.
TOKEN = (
    "chr(57344) || left(encode(sha256(convert_to(s.field || chr(31) || s.value, 'UTF8')), "
    "'hex'), 16)"
)


def _on_postgresql(*statements: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


_with_facets = _on_postgresql(
    "UPDATE search_document d SET tsv = d.tsv || f.tokens FROM ("  # noqa: S608
    f"SELECT s.record_id, array_to_tsvector(array_agg(DISTINCT {TOKEN})) AS tokens "
    "FROM search_facet s WHERE s.field <> 'branch' GROUP BY s.record_id) f "
    "WHERE d.record_id = f.record_id",
    # The new GIN entries wait in the index's pending list, which every search reads through
    # until it is merged (as after a rebuild, polka/search/backends/postgresql.py).
    "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
    "WHERE c.oid = to_regclass('search_document_tsv') AND pg_has_role(c.relowner, 'USAGE')",
)
_without_facets = _on_postgresql(
    "UPDATE search_document SET tsv = ts_delete(tsv, ARRAY("
    "SELECT lexeme FROM unnest(tsv) WHERE left(lexeme, 1) = chr(57344)))"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0010_facets_in_the_text_index")]

    operations = [migrations.RunPython(_with_facets, _without_facets)]
