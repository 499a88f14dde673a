"""A facet filter finds the records whose facet_list has the value: both engines intersect
it inside their text match (SQLite: the `facets` column of search_fts; PostgreSQL: words
without positions in the tsvector). The branches with a copy on the shelf too on PostgreSQL;
on SQLite they are looked up in search_facet (a word more would lengthen the record to bm25)."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.documents import FIELD_SEPARATOR, facet_pairs
from polka.search.models import SearchDocument
from polka.search.tests.factories import ON_LOAN, ON_SHELF, MigrationEditor, make_record

pytestmark = pytest.mark.django_db
MIGRATIONS = [
    importlib.import_module(f"polka.search.migrations.{name}")
    for name in ("0010_facets_in_the_text_index", "0011_facets_in_the_tsvector")
]
FEWER_ROWS = importlib.import_module("polka.search.migrations.0014_facet_rows_only_looked_up")
BRANCHES = importlib.import_module("polka.search.migrations.0015_branches_in_the_tsvector")


def _catalogue() -> None:
    make_record(
        "Сборник рассказов",
        authors=("Толстой, Лев Николаевич", 'О"Генри'),
        subjects=("Русская проза -- 19 в.",),
        year=1886,
        copies=(("central", ON_SHELF),),
    )
    make_record("Сборник стихов", authors=("Пушкин, А. С.",), year=1830, age_mark="6+")
    make_record("Сборник пьес", subjects=("Драма",), languages=("eng",), material_type="score")
    make_record("Сборник задач", year=1999, copies=(("north", ON_LOAN),))


def _facets() -> list[tuple[int, str, str]]:
    """(record, facet, value) of every facet every document lists."""
    return [
        (record_id, *pair.split(FIELD_SEPARATOR, 1))  # type: ignore[misc]
        for record_id, facet_list in SearchDocument.objects.values_list("record", "facet_list")
        for pair in facet_pairs(facet_list)
    ]


def _by_facet_table(field: str, value: str) -> list[int]:
    return sorted(r for r, f, v in _facets() if (f, v) == (field, value))


def _found(text: str = "сборник", **filters: list[str]) -> list[int]:
    results = get_backend().query(SearchRequest(text=text, filters=filters, per_page=50))
    assert results.total == len(results.hits)
    return sorted(hit.record_id for hit in results.hits)


def _every_filter_finds_what_search_facet_holds() -> int:
    """With words (every record of the catalogue is a «сборник») and without."""
    checked = 0
    for field, value in sorted({(f, v) for _, f, v in _facets()}):
        for text in ("сборник", ""):
            found = _found(text, **{field: [value]})
            assert found == _by_facet_table(field, value), (field, value, text)
        checked += 1
    return checked


def test_every_facet_value_filters_to_the_records_that_have_it() -> None:
    _catalogue()
    assert _every_filter_finds_what_search_facet_holds() >= 12
    # Two values of one facet: both required; a value no record has: nothing.
    assert _found(author=["Толстой, Лев Николаевич", 'О"Генри']) == _by_facet_table(
        "author", 'О"Генри'
    )
    assert _found(author=["Толстой, Лев Николаевич", "Пушкин, А. С."]) == []
    assert _found(subject=["нет такой темы"]) == []


def _tokens() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT * FROM search_fts LIMIT 0")
            if "facets" not in [column[0] for column in cursor.description]:
                return []  # the table as it was before migration 0010
            cursor.execute("SELECT facets FROM search_fts")
            return [t for (text,) in cursor.fetchall() for t in text.split()]
        cursor.execute("SELECT lexeme FROM search_document, unnest(tsv) WHERE positions IS NULL")
        return [lexeme for (lexeme,) in cursor.fetchall()]


def test_facets_are_filtered_in_the_match_and_branches_where_the_engine_carries_them() -> None:
    _catalogue()
    for text in ("сборник", ""):
        with CaptureQueriesContext(connection) as queries:
            assert _found(text, decade=["1880"], language=["rus"])
        assert not any("FROM search_facet f WHERE" in q["sql"] for q in queries.captured_queries)
    carried = "branch" in get_backend().matched_facets
    assert carried == (connection.vendor == "postgresql")
    with CaptureQueriesContext(connection) as queries:
        assert _found(branch=["central"])
    looked_up = any("FROM search_facet f WHERE" in q["sql"] for q in queries.captured_queries)
    assert looked_up != carried
    # A facet's token is no word a reader can type or a prefix can reach, and never ranks.
    assert not get_backend().suggest("\ue000")
    tokens = _tokens()
    branches = sum(f == "branch" for _, f, _ in _facets())
    assert len(tokens) == len(_facets()) - (0 if carried else branches) and branches
    assert all(t.startswith("\ue000") and len(t) == 17 for t in tokens)


def test_the_migrations_add_the_facets_to_a_built_index_without_a_rebuild() -> None:
    _catalogue()
    made = _tokens()
    BRANCHES._without_branches(None, MigrationEditor())
    # Migration 0014 back first: 0010 and 0011 read every facet's rows in search_facet.
    FEWER_ROWS._write_rows(None, MigrationEditor())
    for migration in reversed(MIGRATIONS):
        migration._without_facets(None, MigrationEditor())
    assert not _tokens()
    assert get_backend().query(SearchRequest(text="толстой")).total == 1
    for migration in MIGRATIONS:
        migration._with_facets(None, MigrationEditor())
    BRANCHES._with_branches(None, MigrationEditor())
    assert sorted(_tokens()) == sorted(made)
    assert _every_filter_finds_what_search_facet_holds() >= 12
    assert get_backend().query(SearchRequest(text="толстой")).total == 1
