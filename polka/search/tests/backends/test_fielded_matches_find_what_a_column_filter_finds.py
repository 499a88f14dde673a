"""A match on title or author words alone, unranked (SRU, counts), may read the field's own
full-text table instead of filtering the all-columns one by column (SQLite): it must find
exactly the records the column filter finds, through edits and removals."""

import pytest
from django.db import connection

from polka.catalog.models import Record
from polka.search.analysis import stem
from polka.search.backends import get_backend
from polka.search.indexing import index_records, unindex_records
from polka.search.query import Clause
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db


def clause(text: str, field: str | None, *, phrase: bool = False) -> Clause:
    words = tuple(text.split())
    stems = tuple(stem(w) for w in words)
    return Clause(text, words, (stems,), field=field, phrase=phrase)


QUERIES = [
    [clause("new", "title")],
    [clause("new", "title"), clause("york", "title")],
    [clause("new york", "title", phrase=True)],
    [clause("jazz", "title")],
    [clause("jazz", "authors")],
    [clause("armstrong", "authors"), clause("louis", "authors")],
    [clause("jazz", "title"), clause("armstrong", "authors")],  # two fields: all-columns table
    [clause("jazz", "subjects")],  # a field without a table of its own
    [clause("jazz", None)],
]


def ids(clauses: list[Clause], *, scored: bool, prefix: bool = False) -> set[int]:
    sql, params = get_backend().match_sql(clauses, None, prefix=prefix, scored=scored)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def assert_same_records() -> None:
    for clauses in QUERIES:
        # Ranked matches always read the all-columns table with its column filters.
        assert ids(clauses, scored=False) == ids(clauses, scored=True), clauses
    prefixed = [clause("new", "title"), clause("yo", "title")]
    assert ids(prefixed, scored=False, prefix=True) == ids(prefixed, scored=True, prefix=True)


def test_title_and_author_matches_find_the_records_a_column_filter_finds():
    new_york = make_record("New York jazz", authors=("Armstrong, Louis",), subjects=("Jazz",))
    make_record("Jazz", authors=("Ellington, Duke",), publisher="New York : Columbia")
    make_record("Paris blues", authors=("Jazz, Louis",), subjects=("Jazz -- New York",))
    make_record("York Minster", annotation="new jazz armstrong")
    make_record("Новый Йорк", authors=("Armstrong, New",))

    assert len(ids([clause("new", "title")], scored=False)) == 1
    assert ids([clause("new", "title"), clause("york", "title")], scored=False) == {new_york.pk}
    assert_same_records()

    # A record retitled and one removed leave the field tables in step.
    new_york.title = "Old Orleans jazz"
    new_york.save()
    index_records([new_york.pk])
    assert ids([clause("new", "title")], scored=False) == set()
    removed = Record.objects.get(title="Jazz")
    unindex_records([removed.pk])
    assert removed.pk not in ids([clause("jazz", "title")], scored=False)
    assert_same_records()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_on_sqlite_an_unranked_title_match_reads_the_title_table():
    backend = get_backend()
    title_only, _ = backend.match_sql([clause("new", "title")], None, scored=False)
    ranked, _ = backend.match_sql([clause("new", "title")], None, scored=True)
    two_fields, _ = backend.match_sql(
        [clause("new", "title"), clause("armstrong", "authors")], None, scored=False
    )
    assert "search_fts_title" in title_only
    assert "search_fts_title" not in ranked and "search_fts_title" not in two_fields
