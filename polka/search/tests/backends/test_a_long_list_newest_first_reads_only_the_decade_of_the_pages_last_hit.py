"""Newest first, a long list finds the decade of its page's last hit by counting the decades
newest first in the index (the words' hits intersected with each decade's), then that hit's
year among the decade's hits only; and a closed range of a few decades is matched as those
decades on an engine whose match cannot meet the year index (SQLite). Only the work differs:
the pages are those of sorting every hit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.documents import facet_token
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db

YEARS = (1987, 1994, 1994, 1999, 2003, None, 2011, 2011, 2017, 2001, None, 1990)


@pytest.fixture
def long_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(get_backend()), "long_from", 2)  # every list here is a long one
    for n, year in enumerate(YEARS):
        make_record(f"Сказки {'и сказки ' * (n % 3)}{n}", year=year)


def _pages(per_page: int = 3, **options) -> list[list[int]]:
    backend = get_backend()
    pages = []
    for page in range(1, len(YEARS) // per_page + 2):
        request = SearchRequest(text="сказки", page=page, per_page=per_page, **options)
        pages.append([hit.record_id for hit in backend.query(request).hits])
    return pages


def _unprobed(monkeypatch: pytest.MonkeyPatch, **options) -> list[list[int]]:
    backend = type(get_backend())
    with monkeypatch.context() as patched:
        patched.setattr(backend, "_pages_last_decade", lambda self, *args: None)
        patched.setattr(backend, "matches_decades", False)
        return _pages(**options)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"per_page": 2},
        {"per_page": 5},
        {"year_to": 2005},
        {"year_from": 1990, "year_to": 1999},
        {"year_from": 1995},
        {"filters": {"decade": ["1990"]}},
    ],
)
def test_the_pages_are_those_of_sorting_every_hit(long_list, monkeypatch, options):
    options = {"sort": "newest", **options}
    probed = _pages(**options)
    assert probed == _unprobed(monkeypatch, **options)
    assert any(probed)


def test_only_the_decade_of_the_pages_last_hit_is_sorted_by_year(long_list):
    # Newest first: 2017, 2011, 2011 | 2003, 2001, 1999 | ... — page 2 ends in the 1990s.
    request = SearchRequest(text="сказки", sort="newest", page=2, per_page=3)
    with CaptureQueriesContext(connection) as queries:
        hits = get_backend().query(request).hits
    assert len(hits) == 3
    sorted_by_year = [
        q for q in queries.captured_queries if "ORDER BY year DESC NULLS LAST LIMIT 1" in q["sql"]
    ]
    assert len(sorted_by_year) == 1
    assert facet_token("decade", "1990") in sorted_by_year[0]["sql"]
    assert facet_token("decade", "2010") not in sorted_by_year[0]["sql"]


def test_a_closed_range_of_few_decades_is_matched_as_them_where_the_engine_needs_it(
    long_list, monkeypatch
):
    backend = get_backend()
    options = {"year_from": 1993, "year_to": 2011}
    with CaptureQueriesContext(connection) as queries:
        found = _pages(**options)
    matched = "\n".join(q["sql"] for q in queries.captured_queries)
    decades = [facet_token("decade", str(d)) for d in (1990, 2000, 2010)]
    assert all((d in matched) == backend.matches_decades for d in decades)
    assert facet_token("decade", "1980") not in matched
    assert found == _unprobed(monkeypatch, **options)
    # Too many decades to name: the years alone filter.
    with CaptureQueriesContext(connection) as queries:
        _pages(year_from=1950, year_to=2020)
    assert facet_token("decade", "1990") not in "\n".join(
        q["sql"] for q in queries.captured_queries
    )
