"""The public pages beyond the main five (test_page_queries): each within a pinned number of
queries for an anonymous visitor, and none walks a big table.

An upper bound, not an exact count: what the demo shows depends on the day it is made (a month
without a course session, a news item without comments), and Django skips a prefetch with
nothing to fetch. A query per listed row would pass the bound at once: the demo lists 5-20 rows
on each of these pages.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from polka.catalog.models import RecordAuthor
from polka.courses.models import Course
from polka.events.models import Event
from polka.news.models import NewsItem
from polka.programmes.models import Programme
from polka.recommendations.models import ReadingList
from polka.web.tests.test_page_queries import (  # noqa: F401 - demo is a fixture
    counted_queries,
    demo,
    scanning_queries,
)

# The most queries each page may take, with the page cache off (as measured on both engines
# on 6 December 2026: news 5, item 7, lists 2, a list 6, calendar 8, projects 5, programme 3,
# courses 3, course 6, ask 2, archive 4, e-library 4, event 4, author 5, new arrivals 3,
# browse 4, branches 4, partners 2).
AT_MOST = {
    "news": 5,
    "news item": 7,
    "reading lists": 2,
    "reading list": 6,
    "calendar": 8,
    "projects": 5,
    "programme": 3,
    "courses": 3,
    "course": 6,
    "ask": 2,
    "ask archive": 4,
    "e-library": 4,
    "event": 4,
    "author": 5,
    "new arrivals": 3,
    "browse": 4,
    "branches": 4,
    "partners": 2,
}


def _first(model):  # type: ignore[no-untyped-def]
    found = model.objects.order_by("pk").first()
    assert found is not None, f"the demo made no {model.__name__}"
    return found


def _pages() -> dict[str, str]:
    today = timezone.localdate()
    authorship = _first(RecordAuthor)
    return {
        "news": "/news/",
        "news item": f"/news/{_first(NewsItem).pk}/",
        "reading lists": "/recommends/",
        "reading list": f"/recommends/{_first(ReadingList).slug}/",
        "calendar": f"/calendar/{today.year}/{today.month}/",
        "projects": "/projects/",
        "programme": f"/projects/programmes/{_first(Programme).slug}/",
        "courses": "/courses/",
        "course": f"/courses/{_first(Course).slug}/",
        "ask": "/ask/",
        "ask archive": "/ask/archive/",
        "e-library": "/elibrary/",
        "event": f"/events/{_first(Event).pk}/",
        "author": f"/catalog/authors/{authorship.person_id}/",
        "new arrivals": "/catalog/new/",
        "browse": "/catalog/",
        "branches": "/branches/",
        "partners": "/partners/",
    }


@pytest.mark.usefixtures("demo")
def test_each_other_public_page_keeps_within_its_pinned_queries(client):
    counted = counted_queries(client, _pages())
    over = {name: n for name, n in counted.items() if n > AT_MOST[name]}
    assert not over, (over, counted)


@pytest.mark.usefixtures("demo")
def test_no_other_public_page_query_scans_a_big_table(client):
    found = scanning_queries(client, _pages().values())
    assert not found, found
