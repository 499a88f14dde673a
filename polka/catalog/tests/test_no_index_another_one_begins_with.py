"""Each index an import writes costs a page at random a row once the catalogue is large: an
index that another one begins with is dropped, and lookups by its column still use an index."""

import pytest
from django.db import connection

from polka.catalog.models import RecordAuthor, RecordIsbn

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in found.values() if c["index"] or c["unique"]]


@pytest.mark.parametrize(
    ("model", "column", "wider"),
    [
        (RecordAuthor, "person_id", ["person_id", "year", "record_id"]),
        (RecordIsbn, "record_id", ["record_id", "isbn"]),
    ],
)
def test_a_column_another_index_begins_with_has_no_index_of_its_own(model, column, wider):
    indexes = _indexes(model._meta.db_table)
    # (SQLite's authorship index has the work digest as a fourth column: catalog 0014)
    assert any(columns[: len(wider)] == wider for columns in indexes), indexes
    assert [column] not in indexes


def test_a_persons_records_are_still_found_through_an_index():
    sql, params = (
        RecordAuthor.objects.filter(person_id=1).values("record_id").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "catalog_author_person_year" in plan
