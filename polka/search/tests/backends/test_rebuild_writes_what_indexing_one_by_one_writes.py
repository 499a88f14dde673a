"""A full rebuild (reindex_all, the bulk path) leaves exactly the rows that indexing the records
one at a time leaves: documents, facets, vocabulary and the engine's text index."""

from typing import Any

import pytest
from django.db import connection

from polka.search.indexing import index_records, reindex_all
from polka.search.tests.factories import ON_LOAN, ON_SHELF, make_record

pytestmark = pytest.mark.django_db

# Per engine, how its text index reads back as comparable rows.
_TEXT_ROWS = {
    "postgresql": "SELECT record_id, tsv::text FROM search_document ORDER BY record_id",
    "sqlite": "SELECT rowid, title, authors, subjects, other FROM search_fts ORDER BY rowid",
}
_FIELD_ROWS = {
    "sqlite": (
        "SELECT rowid, title FROM search_fts_title ORDER BY rowid",
        "SELECT rowid, authors FROM search_fts_authors ORDER BY rowid",
    ),
}
_SHARED_ROWS = (
    "SELECT record_id, title_sort, year, available FROM search_document ORDER BY record_id",
    "SELECT record_id, field, value FROM search_facet ORDER BY record_id, field, value",
    "SELECT term, stem, length, head, tail, freq FROM search_term ORDER BY term",
)


def index_rows() -> list[list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        tables = []
        for sql in (
            *_SHARED_ROWS,
            _TEXT_ROWS[connection.vendor],
            *_FIELD_ROWS.get(connection.vendor, ()),
        ):
            cursor.execute(sql)
            tables.append([tuple(row) for row in cursor.fetchall()])
        return tables


def make_catalogue() -> list[int]:
    """Records touching every part of a document, with characters COPY and tsvector literals
    must escape (quotes, backslashes, tabs, newlines) in text, facet values and ISBNs."""
    records = [
        make_record(
            "Война и мир : роман-эпопея",
            authors=("Толстой, Лев Николаевич", "Обломов, Иван"),
            subjects=("Русская литература", "Русская литература", "Tab\there; new\nline."),
            year=1869,
            isbns=("978-5-389-06256-6", "12\\34'5\tx"),
            annotation="Ёлка, O'Brien и \\обратная\\ косая черта",
            copies=(("central", ON_SHELF), ("north", ON_SHELF), ("east", ON_LOAN)),
            index=False,
        ),
        make_record(
            "The Master and Margarita",
            authors=("Bulgakov, Mikhail", "Издательство «Правда»"),
            languages=("eng", "rus"),
            year=1967,
            material_type="ebook",
            age_mark="16+",
            index=False,
        ),
        make_record(
            "Мёртвые души " + "а" * 120,
            authors=("Гоголь, Николай Васильевич",),
            subjects=("Сатира",),
            publisher="O'Reilly \\ Sons",
            index=False,
        ),
        make_record("", index=False),
    ]
    return [record.id for record in records]


def test_rebuild_writes_the_rows_indexing_records_one_by_one_writes():
    ids = make_catalogue()
    for record_id in ids:
        index_records([record_id])
    one_by_one = index_rows()
    assert all(one_by_one), "every table has rows to compare"

    assert reindex_all() == len(ids)
    assert index_rows() == one_by_one

    # A second rebuild replaces the first one's rows instead of adding to them.
    assert reindex_all(batch=2) == len(ids)
    assert index_rows() == one_by_one


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_any_transaction_writes_the_same_rows():
    """Outside a transaction the engine may prepare batches on another connection."""
    # A transactional test's flush empties the models' tables but not SQLite's FTS5 table:
    # start from an empty index, whatever tests ran before in this process.
    reindex_all()
    ids = make_catalogue()
    for record_id in ids:
        index_records([record_id])
    one_by_one = index_rows()

    assert reindex_all(batch=1) == len(ids)
    assert index_rows() == one_by_one
