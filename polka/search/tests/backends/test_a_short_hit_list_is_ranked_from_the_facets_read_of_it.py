"""A query with fewer hits than the facet sample has every hit read once, for its facets. On an
engine that ranks from that read (PostgreSQL), they are scored there, and the page ordered from
it (score, then a copy on the shelf, then record id, as the engine orders them) instead of by a
second statement reading them all again; on the others the page is read as for any query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.tests.factories import ON_LOAN, ON_SHELF, make_record

pytestmark = pytest.mark.django_db


def _pages(text: str) -> tuple[list[list[int]], int]:
    """The record ids of pages 1-3 (two hits a page), and the statements they took."""
    pages = []
    with CaptureQueriesContext(connection) as queries:
        for page in (1, 2, 3):
            results = get_backend().query(SearchRequest(text=text, page=page, per_page=2))
            assert results.total == 5 and results.ranked_limit is None
            pages.append([hit.record_id for hit in results.hits])
    return pages, len(queries.captured_queries)


def test_the_page_is_the_one_the_engine_orders_with_a_statement_fewer(monkeypatch):
    # Equal scores that the shelf and then the record id must order, and a better-scoring
    # title (the word twice, and the whole phrase) above them.
    for copies in ((("main", ON_LOAN),), (("main", ON_SHELF),), (), (("main", ON_SHELF),)):
        make_record("Повести о море", copies=copies)
    make_record("Море, море: повести о море")

    read_once, statements = _pages("повести море")
    shown = [record for page in read_once for record in page]
    assert len(shown) == len(set(shown)) == 5
    # A sample of one hit: the total is counted, and the page read with the engine's ORDER BY.
    monkeypatch.setattr("polka.search.backends.base.FACET_SAMPLE", 1)
    by_the_engine, statements_then = _pages("повести море")
    assert read_once == by_the_engine
    # Counted and read again (3 pages): without a sample, the count; ranked from it, the page.
    saved = 2 if get_backend().ranks_from_sample else 1
    assert statements_then - statements == saved * 3
