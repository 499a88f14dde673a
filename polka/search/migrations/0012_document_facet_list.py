"""search_document gains facet_list, the record's search_facet rows as one text ("field" 0x1f
"value", joined by 0x1e: polka.search.documents.Document.facet_list), filled here in SQL from
search_facet: no rebuild. The column is added by ALTER TABLE on both engines (Django would copy
the whole table on SQLite to add a column that is not null)."""

from typing import Any

from django.db import migrations, models

# A value's separators become spaces, as documents._build makes them.
ENTRY = "s.field || chr(31) || replace(replace(s.value, chr(30), ' '), chr(31), ' ')"
FILL = {
    "sqlite": (
        "UPDATE search_document SET facet_list = coalesce(("  # noqa: S608
        f"SELECT group_concat({ENTRY}, char(30)) FROM search_facet s "
        "WHERE s.record_id = search_document.record_id), '')"
    ).replace("chr(", "char("),
    "postgresql": (
        "UPDATE search_document d SET facet_list = f.list FROM ("  # noqa: S608
        f"SELECT s.record_id, string_agg({ENTRY}, chr(30)) AS list FROM search_facet s "
        "GROUP BY s.record_id) f WHERE d.record_id = f.record_id"
    ),
}


def _add(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(
        "ALTER TABLE search_document ADD COLUMN facet_list text NOT NULL DEFAULT ''"
    )
    fill = FILL.get(schema_editor.connection.vendor)
    if fill:
        schema_editor.execute(fill)
    if schema_editor.connection.vendor == "postgresql":
        # Every row moved, so the GIN index has a new entry for each waiting in its pending
        # list, which every search reads through until merged (as migration 0011 does).
        schema_editor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
            "WHERE c.oid = to_regclass('search_document_tsv') "
            "AND pg_has_role(c.relowner, 'USAGE')"
        )


def _drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("ALTER TABLE search_document DROP COLUMN facet_list")


class Migration(migrations.Migration):
    dependencies = [("search", "0011_facets_in_the_tsvector")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_add, _drop)],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="facet_list",
                    field=models.TextField(db_default="", default=""),
                )
            ],
        )
    ]
