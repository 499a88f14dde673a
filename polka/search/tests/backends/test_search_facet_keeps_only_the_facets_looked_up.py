"""search_facet holds rows of the facets read by a lookup only (branch filters, SRU's scan of
authors and subjects); the others live in facet_list and the text match. Migration 0014 drops
the others' rows and, back, writes them again from facet_list."""

import importlib

import pytest
from django.db import connection

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.documents import FIELD_SEPARATOR, TABLE_FACETS, facet_pairs
from polka.search.models import SearchDocument, SearchFacet
from polka.search.tests.factories import ON_SHELF, MigrationEditor, make_record

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("polka.search.migrations.0014_facet_rows_only_looked_up")


def _catalogue() -> None:
    make_record(
        "Сборник рассказов",
        authors=("Толстой, Лев Николаевич",),
        subjects=("Русская проза",),
        year=1886,
        copies=(("central", ON_SHELF),),
        age_mark="12+",
    )
    make_record("Сборник пьес", subjects=("Драма",), languages=("eng",), material_type="score")


def _rows() -> set[tuple[int, str, str]]:
    return set(SearchFacet.objects.values_list("record", "field", "value"))


def _listed() -> set[tuple[int, str, str]]:
    return {
        (record_id, *pair.split(FIELD_SEPARATOR))  # type: ignore[misc]
        for record_id, facet_list in SearchDocument.objects.values_list("record", "facet_list")
        for pair in facet_pairs(facet_list)
    }


def test_only_branches_authors_and_subjects_have_rows() -> None:
    _catalogue()
    assert {"author", "subject", "branch"} == TABLE_FACETS
    assert {field for _, field, _ in _rows()} == {"author", "subject", "branch"}
    assert _rows() == {row for row in _listed() if row[1] in TABLE_FACETS}
    assert {"language", "decade", "material", "age"} <= {field for _, field, _ in _listed()}


def test_every_filter_and_facet_still_works() -> None:
    _catalogue()
    backend = get_backend()
    for name, value, title in (
        ("language", "eng", "Сборник пьес"),
        ("decade", "1880", "Сборник рассказов"),
        ("material", "score", "Сборник пьес"),
        ("age", "12+", "Сборник рассказов"),
        ("branch", "central", "Сборник рассказов"),
        ("author", "Толстой, Лев Николаевич", "Сборник рассказов"),
    ):
        results = backend.query(SearchRequest(text="сборник", filters={name: [value]}))
        assert results.total == 1, (name, value)
        found = SearchDocument.objects.get(record_id=results.hits[0].record_id)
        assert found.title_sort.startswith(title.lower()[:7]), (name, found.title_sort)
    facets = backend.query(SearchRequest(text="сборник")).facets
    assert [(f.value, f.count) for f in facets["language"]] == [("eng", 1), ("rus", 1)]


def test_the_migration_drops_the_others_rows_and_writes_them_back() -> None:
    _catalogue()
    if connection.vendor == "postgresql":  # the test's rows were written in this transaction
        MigrationEditor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    kept = _rows()
    MIGRATION._write_rows(None, MigrationEditor())
    assert _rows() == _listed()  # every facet, as before the migration
    MIGRATION._drop_rows(None, MigrationEditor())
    assert _rows() == kept
