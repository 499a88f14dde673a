"""A hit list's facets are counted from its documents' facet_list: the same values and counts
search_facet holds, written by indexing and by migration 0012 alike."""

import importlib
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import base, get_backend
from polka.search.backends.base import SearchRequest
from polka.search.documents import FIELD_SEPARATOR, TABLE_FACETS, facet_pairs
from polka.search.models import SearchDocument, SearchFacet
from polka.search.tests.factories import ON_SHELF, MigrationEditor, make_record

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("polka.search.migrations.0012_document_facet_list")
FEWER_ROWS = importlib.import_module("polka.search.migrations.0014_facet_rows_only_looked_up")


def _catalogue() -> None:
    make_record(
        "Сборник рассказов",
        authors=("Толстой, Лев Николаевич", "Толстой, Лев Николаевич"),
        subjects=("Русская проза -- 19 в.", "Русская проза -- 19 в.."),
        year=1886,
        copies=(("central", ON_SHELF),),
    )
    make_record("Сборник стихов", authors=("Пушкин, А. С.",), year=1830, age_mark="6+")
    make_record("Сборник пьес", subjects=("Драма",), languages=("eng",), material_type="score")
    make_record("Сборник задач", year=1999)


def _lists() -> dict[int, list[tuple[str, str]]]:
    """Each document's facet_list read back as sorted (field, value) pairs."""
    return {
        record_id: sorted(tuple(p.split(FIELD_SEPARATOR)) for p in facet_pairs(facet_list))
        for record_id, facet_list in SearchDocument.objects.values_list("record", "facet_list")
    }


def _facet_rows() -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {}
    for record_id, field, value in SearchFacet.objects.values_list("record", "field", "value"):
        rows.setdefault(record_id, []).append((field, value))
    return {record_id: sorted(pairs) for record_id, pairs in rows.items()}


def test_each_document_lists_its_facet_values_once_each() -> None:
    _catalogue()
    lists = _lists()
    looked_up = {k: [p for p in v if p[0] in TABLE_FACETS] for k, v in lists.items()}
    assert {k: v for k, v in looked_up.items() if v} == _facet_rows()
    tolstoy = next(pairs for pairs in lists.values() if ("decade", "1880") in pairs)
    assert Counter(pairs for pairs in tolstoy).most_common(1)[0][1] == 1
    assert ("branch", "central") in tolstoy


def test_counts_and_their_order_are_those_of_the_hits() -> None:
    _catalogue()
    results = get_backend().query(SearchRequest(text="сборник"))
    assert results.total == 4 and not results.facets_sampled
    decades = [(f.value, f.count) for f in results.facets["decade"]]
    assert decades == [("1830", 1), ("1880", 1), ("1990", 1)]  # ties by value
    assert [(f.value, f.count) for f in results.facets["material"]] == [("book", 3), ("score", 1)]
    narrowed = get_backend().query(SearchRequest(text="сборник", filters={"decade": ["1880"]}))
    assert [(f.value, f.count) for f in narrowed.facets["author"]] == [
        ("Толстой, Лев Николаевич", 1)
    ]
    assert set(narrowed.facets) == {"author", "subject", "language", "decade", "material", "branch"}


def test_a_value_never_carries_the_lists_separators() -> None:
    make_record("Сборник", subjects=("Проза\x1eпоэзия\x1fдрама",))
    (pairs,) = _lists().values()
    assert ("subject", "Проза поэзия драма") in pairs
    assert SearchFacet.objects.filter(value="Проза поэзия драма").exists()
    facets = get_backend().query(SearchRequest(text="сборник")).facets
    assert [f.value for f in facets["subject"]] == ["Проза поэзия драма"]


def _counts(request: SearchRequest) -> tuple[base.SearchResults, int]:
    """The answer and how many COUNT statements it took."""
    with CaptureQueriesContext(connection) as queries:
        results = get_backend().query(request)
    return results, sum("COUNT(*)" in q["sql"] for q in queries.captured_queries)


def test_a_long_hit_list_is_counted_on_its_sample_and_scaled(monkeypatch) -> None:
    for n in range(3):
        make_record(f"Сборник {n}", year=2001)
    results, counts = _counts(SearchRequest(text="сборник"))
    assert (results.total, counts, results.facets_sampled) == (3, 0, False)  # every hit read
    monkeypatch.setattr(base, "FACET_SAMPLE", 2)
    results, counts = _counts(SearchRequest(text="сборник"))
    assert (results.total, counts, results.facets_sampled) == (3, 1, True)
    assert [(f.value, f.count) for f in results.facets["decade"]] == [("2000", 3)]  # 2 x 3/2
    results, counts = _counts(SearchRequest(text="сборник", facets=False))
    assert (results.total, counts, results.facets) == (3, 1, {})


def test_the_migration_fills_what_indexing_writes() -> None:
    _catalogue()
    written, rows = _lists(), _facet_rows()
    if connection.vendor == "postgresql":  # the test's rows were written in this transaction
        MigrationEditor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Migration 0014 back first: 0012 fills facet_list from every facet's rows.
    FEWER_ROWS._write_rows(None, MigrationEditor())
    MIGRATION._drop(None, MigrationEditor())
    MIGRATION._add(None, MigrationEditor())
    assert _lists() == written
    FEWER_ROWS._drop_rows(None, MigrationEditor())
    assert _facet_rows() == rows
    assert get_backend().query(SearchRequest(text="сборник")).facets["age"][0].value == "6+"
