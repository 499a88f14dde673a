"""The search page counts hits only up to RANK_LIMIT, the most a reader can page through
(SearchRequest.exact_total off): above it the total is "more than RANK_LIMIT" and the facets
are shares of the sampled hits. Other callers (SRU, the command line) still get exact totals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polka.search.backends import base, get_backend
from polka.search.backends.base import SearchRequest
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "RANK_LIMIT", 3)
    monkeypatch.setattr(base, "FACET_SAMPLE", 2)
    for year in (1991, 1992, 2001, 2002, 2003):
        make_record(f"Сборник {year}", year=year)
    make_record("Альманах", year=1995)


def _query(**kwargs: object) -> tuple[base.SearchResults, list[str]]:
    """The results, and the statements that counted the hits: a count before the ranking, or
    on an engine that counts while ranking (counted_top_sql) the ranking itself."""
    with CaptureQueriesContext(connection) as queries:
        results = get_backend().query(SearchRequest(**kwargs))  # type: ignore[arg-type]
    counting = ("COUNT(*)", "count(*) OVER ()")
    return results, [
        q["sql"] for q in queries.captured_queries if any(c in q["sql"] for c in counting)
    ]


def test_above_the_limit_the_count_stops_and_says_there_are_more(five_hits: None) -> None:
    results, counts = _query(text="сборник", exact_total=False)
    assert (results.total, results.total_more, results.ranked_limit) == (3, True, 3)
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    assert len(results.hits) == 3  # the newest three, ranked
    # Per cent of the two sampled hits, not a number of hits scaled to a total not counted.
    assert sum(f.count for f in results.facets["decade"]) == 100
    assert all(f.count in (50, 100) for f in results.facets["decade"])
    unfaceted, counts = _query(text="сборник", exact_total=False, facets=False)
    assert (unfaceted.total, unfaceted.total_more, unfaceted.facets) == (3, True, {})
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_exact_totals_for_everyone_else(five_hits: None) -> None:
    results, counts = _query(text="сборник")
    assert (results.total, results.total_more, results.ranked_limit) == (5, False, 3)
    assert "LIMIT" not in counts[0]
    # Scaled from the sample: its two hits stand for five. Which two are sampled is the scan's
    # order (PostgreSQL's may vary): one decade (2 × 2.5) or two (1 × 2.5 each, rounded to even).
    assert sorted(f.count for f in results.facets["decade"]) in ([5], [2, 2])


def test_at_or_below_the_limit_the_total_is_exact(five_hits: None) -> None:
    few, _ = _query(text="альманах", exact_total=False)
    assert (few.total, few.total_more) == (1, False)
    for kwargs in ({"year_from": 2001}, {"filters": {"decade": ["2000"]}}):
        three, _ = _query(text="сборник", exact_total=False, **kwargs)
        assert (three.total, three.total_more) == (3, False)


def test_the_page_says_more_than_and_shows_shares(client, settings, five_hits: None) -> None:
    page = client.get(reverse("search:search"), {"q": "сборник"})
    assert "Найдено больше 3 записей" in page.text
    assert "&nbsp;%)" in page.text and "Страница 1 из" not in page.text
    few = client.get(reverse("search:search"), {"q": "альманах"})
    assert "Найдена 1 запись" in few.text and "&nbsp;%" not in few.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("search:search"), {"q": "сборник"})
    assert "More than 3 records found" in english.text
