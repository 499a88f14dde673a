"""A reader's search (SearchRequest.exact_total off) with more hits than the facet sample needs
their number only up to RANK_LIMIT. On an engine that counts while ranking (PostgreSQL) the
statement that ranks the page counts them too, instead of a count reading every hit first: the
newest RANK_LIMIT + 1 when the engine expects more than RANK_LIMIT, else any RANK_LIMIT + 1,
ranked again newest first when there were more. Only the work differs: the pages, totals and
facets are those of a count and a ranking."""

from dataclasses import astuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import base, get_backend
from polka.search.backends.base import SearchRequest
from polka.search.tests.factories import ON_SHELF, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """«сборник»: 7 hits, more than RANK_LIMIT; «альманах»: 3, more than the sample only."""
    monkeypatch.setattr(base, "RANK_LIMIT", 4)
    monkeypatch.setattr(base, "FACET_SAMPLE", 2)
    for n in range(7):
        copies = (("main", ON_SHELF),) if n % 3 == 0 else ()
        make_record(f"Сборник {'сборник ' * (n == 2)}{n}", year=1990 + n, copies=copies)
    for n in range(3):
        make_record(f"Альманах {n}", year=2000 + n)


def _read(text: str, page: int, counting: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    backend = get_backend()
    monkeypatch.setattr(type(backend), "counts_while_ranking", counting)
    with CaptureQueriesContext(connection) as queries:
        results = backend.query(SearchRequest(text=text, page=page, per_page=2, exact_total=False))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    return astuple(results), counts


@pytest.mark.parametrize("expected", ["the engine's", "none", "too many"])
def test_the_pages_are_those_of_a_count_and_a_ranking(lists, monkeypatch, expected):
    backend = type(get_backend())
    if expected == "none":  # no estimate: any RANK_LIMIT + 1, ranked again when more
        monkeypatch.setattr(backend, "estimated_hits", lambda self, clauses, facets: None)
    elif expected == "too many":  # the newest RANK_LIMIT + 1 of a short list: all of it
        monkeypatch.setattr(backend, "estimated_hits", lambda self, clauses, facets: 1e6)
    for text, pages in (("сборник", (1, 2, 3)), ("альманах", (1, 2, 3))):
        for page in pages:
            counted, counts = _read(text, page, True, monkeypatch)
            if counted[0] or page == 1:  # past the last hit only a count can say how many
                assert counts == [], (text, page)
            assert counted == _read(text, page, False, monkeypatch)[0], (text, page)
    long, _ = _read("сборник", 1, True, monkeypatch)
    hits, total, more, ranked = long[0], long[1], long[-1], long[-2]
    assert (total, more, ranked) == (4, True, 4) and len(hits) == 2
    short, _ = _read("альманах", 2, True, monkeypatch)
    assert (short[1], short[-1], short[-2], len(short[0])) == (3, False, None, 1)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_ranks_and_counts_a_long_list_in_one_statement(lists, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    with CaptureQueriesContext(connection) as queries:
        results = get_backend().query(SearchRequest(text="сборник", exact_total=False))
    ranking = [q["sql"] for q in queries.captured_queries if "count(*) OVER ()" in q["sql"]]
    assert len(ranking) == 1 and "AS newest" in ranking[0]
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert (results.total, results.total_more, results.ranked_limit) == (4, True, 4)
