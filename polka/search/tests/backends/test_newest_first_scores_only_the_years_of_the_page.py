"""Newest first: relevance orders the hits of one year among themselves, so only the hits from
the year of the page's last hit up are scored, and the pages are those of scoring them all."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db


def _page(page: int, per_page: int = 2, **options) -> list[int]:
    request = SearchRequest(text="сказки", sort="newest", page=page, per_page=per_page, **options)
    return [hit.record_id for hit in get_backend().query(request).hits]


@pytest.fixture
def records():
    # Within 2010, the title that says "сказки" twice ranks first; then 2001 and the undated.
    made = [
        make_record(title, year=year)
        for title, year in (
            ("Сказки леса", 2001),
            ("Сказки моря", 2010),
            ("Сказки и ещё сказки", 2010),
            ("Сказки без года", None),
            ("Сказки полей", 1999),
        )
    ]
    return {record.title: record.id for record in made}


def test_newest_first_pages_are_those_of_scoring_every_hit(records):
    everything = _page(1, per_page=10)
    assert everything[:2] == [records["Сказки и ещё сказки"], records["Сказки моря"]]
    assert everything[2:] == [
        records[t] for t in ("Сказки леса", "Сказки полей", "Сказки без года")
    ]
    assert [*_page(1), *_page(2), *_page(3)] == everything  # two to a page
    assert _page(2, year_from=2000) == [records["Сказки леса"]]  # a reader's own years kept


def test_only_the_hits_from_the_year_of_the_pages_last_hit_are_scored(records):
    with CaptureQueriesContext(connection) as queries:
        assert _page(1)  # its last hit is of 2010
    scored = [
        q["sql"] for q in queries.captured_queries if re.search(r"ORDER BY year DESC", q["sql"])
    ]
    assert len(scored) == 2, scored  # the page's last year, then the page
    assert "d.year >= 2010" in scored[-1], scored[-1]
