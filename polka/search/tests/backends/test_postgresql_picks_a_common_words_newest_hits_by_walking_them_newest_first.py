"""PostgreSQL ranks a huge hit list's newest RANK_LIMIT hits only. For a word in a large share of
the documents it reads them whole while walking the documents newest first; for a rarer one it
picks their keys out of every hit and reads their rows again. Which way is only a matter of
speed: both rank the same hits in the same order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import get_backend, postgresql
from polka.search.backends.base import SearchRequest
from polka.search.tests.factories import make_record

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]

BY_THE_KEYS = "JOIN search_document d ON d.record_id = n.record_id"


def _ranked(text: str) -> tuple[list[int], list[str]]:
    with CaptureQueriesContext(connection) as queries:
        results = get_backend().query(SearchRequest(text=text, exact_total=False))
    assert results.ranked_limit == 3
    ranking = [q["sql"] for q in queries.captured_queries if "AS newest" in q["sql"]]
    assert len(ranking) == 1
    return [hit.record_id for hit in results.hits], ranking


def test_both_ways_rank_the_same_newest_hits_and_a_common_word_is_walked(monkeypatch):
    monkeypatch.setattr("polka.search.backends.base.RANK_LIMIT", 3)
    for n in range(6):
        make_record(f"Сборник {'стихов ' * n}{n}", year=2000 + n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    # Every document has the word: the planner's statistics say so.
    assert postgresql._estimated_share("'сборник'") > 0.9

    walked, statements = _ranked("сборник")
    assert BY_THE_KEYS not in statements[0]
    monkeypatch.setattr(postgresql, "_WALKED_SHARE", 1.1)  # never walked
    by_the_keys, statements = _ranked("сборник")
    assert BY_THE_KEYS in statements[0]
    assert walked == by_the_keys and len(walked) == 3
