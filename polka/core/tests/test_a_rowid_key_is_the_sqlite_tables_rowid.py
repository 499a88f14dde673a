"""RowidOneToOneField: on SQLite the key is the table's rowid, so a lookup by it is one search
of the table (search_document, looked up for each hit a search ranks or counts)."""

import pytest
from django.db import connection

from polka.core.fields import RowidOneToOneField
from polka.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_the_key_is_declared_integer_on_sqlite_and_as_django_would_elsewhere() -> None:
    field = SearchDocument._meta.get_field("record")
    assert isinstance(field, RowidOneToOneField)
    if connection.vendor == "sqlite":
        assert field.db_type(connection) == "integer"
    else:
        plain = SearchDocument._meta.get_field("record").target_field.rel_db_type(connection)
        assert field.db_type(connection) == plain == "bigint"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the rowid is SQLite's")
def test_a_search_document_is_found_by_its_rowid() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT facet_list FROM search_document WHERE record_id = 1"
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INTEGER PRIMARY KEY" in plan, plan
