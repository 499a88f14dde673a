"""PostgreSQL: each search document's tsvector gains the branches with a copy on the shelf as
words without positions (polka.search.documents.facet_token, computed here in SQL from
search_facet's branch rows), so that a branch filter is part of the match as the other facets
are since 0011 (polka/search/backends/postgresql.py). No rebuild."""

import importlib

from django.db import migrations

# 0011's: its statements run on PostgreSQL only.
_on_postgresql = importlib.import_module(
    "polka.search.migrations.0011_facets_in_the_tsvector"
)._on_postgresql

# As 0011: '\ue000' and the first 16 hex digits of sha256(field, 0x1f, value).
TOKENS = (
    "SELECT s.record_id, array_agg(DISTINCT chr(57344) || left(encode(sha256(convert_to("
    "s.field || chr(31) || s.value, 'UTF8')), 'hex'), 16)) AS tokens "
    "FROM search_facet s WHERE s.field = 'branch' GROUP BY s.record_id"
)

_with_branches = _on_postgresql(
    "UPDATE search_document d SET tsv = d.tsv || array_to_tsvector(f.tokens) "  # noqa: S608
    f"FROM ({TOKENS}) f WHERE d.record_id = f.record_id",
    # The new GIN entries wait in the index's pending list, which every search reads through
    # until it is merged (as after a rebuild, polka/search/backends/postgresql.py).
    "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
    "WHERE c.oid = to_regclass('search_document_tsv') AND pg_has_role(c.relowner, 'USAGE')",
)
_without_branches = _on_postgresql(
    "UPDATE search_document d SET tsv = ts_delete(d.tsv, f.tokens) "  # noqa: S608
    f"FROM ({TOKENS}) f WHERE d.record_id = f.record_id"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0014_facet_rows_only_looked_up")]

    operations = [migrations.RunPython(_with_branches, _without_branches)]
