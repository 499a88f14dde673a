"""Cached search answers never outlive the index they came from."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from polka.search.backends.base import SearchRequest
from polka.search.indexing import index_records, unindex_records
from polka.search.selectors import search_records
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.POLKA_SEARCH_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _ids(text):
    return [hit.record_id for hit in search_records(request=SearchRequest(text=text)).hits]


def test_a_repeated_search_is_answered_from_the_cache(django_assert_num_queries):
    record = make_record("Тихий Дон")
    assert _ids("тихий дон") == [record.id]
    with django_assert_num_queries(1):  # the index generation, read from the database
        assert _ids("тихий дон") == [record.id]


def test_a_new_record_is_found_as_soon_as_its_transaction_commits():
    first = make_record("Тихий Дон")
    assert _ids("дон") == [first.id]
    second = make_record("Над Доном")
    assert sorted(_ids("дон")) == sorted([first.id, second.id])


def test_a_removed_record_disappears_from_cached_answers():
    record = make_record("Поднятая целина")
    assert _ids("целина") == [record.id]
    with transaction.atomic():
        unindex_records([record.id])
    assert _ids("целина") == []


def test_an_index_change_that_rolls_back_keeps_the_cached_answer_valid():
    record = make_record("Судьба человека")
    assert _ids("судьба") == [record.id]
    with pytest.raises(RuntimeError), transaction.atomic():
        index_records([record.id])
        raise RuntimeError
    assert _ids("судьба") == [record.id]


def test_the_rendered_results_are_reused_until_the_index_changes(client, monkeypatch):
    from polka.search import views

    calls = []
    real = views.search_page
    monkeypatch.setattr(views, "search_page", lambda **kw: calls.append(1) or real(**kw))
    make_record("Тихий Дон")
    assert "Тихий Дон" in client.get("/search/", {"q": "дон"}).content.decode()
    assert "Тихий Дон" in client.get("/search/", {"q": "дон"}).content.decode()
    assert len(calls) == 1
    make_record("Над Доном")
    page = client.get("/search/", {"q": "дон"}).content.decode()
    assert "Над Доном" in page and len(calls) == 2
    client.get("/search/", {"q": "дон", "lang": "x"})  # another query string, another entry
    assert len(calls) == 3


# --- issue 15, defect 7: the cache key belongs to the database ------------------------------


def test_another_database_sharing_the_cache_does_not_get_this_ones_answers(monkeypatch):
    """Two databases (two installations, a test database beside a working one) share the
    cache folder: the key holds the database's identity and its own generation."""
    from polka.search.cache import index_generation

    record = make_record("Война и мир")
    assert _ids("война") == [record.id]
    here = index_generation()
    monkeypatch.setitem(connection.settings_dict, "NAME", "another-database")
    assert index_generation() != here
    # The other database's index has no such record: the cached answer must not be served.
    monkeypatch.setattr(
        "polka.search.backends.base.SearchBackend.query", lambda self, request: _empty()
    )
    assert _ids("война") == []


def test_the_generation_lives_in_the_database_and_moves_with_its_transaction():
    from polka.search.cache import index_generation
    from polka.search.models import SearchIndexState

    record = make_record("Тихий Дон")
    before = index_generation()
    assert before.endswith(SearchIndexState.objects.get().generation)
    with pytest.raises(RuntimeError), transaction.atomic():
        index_records([record.id])
        inside = index_generation()
        raise RuntimeError
    assert index_generation() == before != inside
    with transaction.atomic():
        index_records([record.id])
    assert index_generation() not in (before, inside)


@pytest.mark.skipif("connection.vendor != 'sqlite'")  # pg_restore is tested in polka/cli
def test_a_restore_never_serves_answers_cached_before_it(tmp_path):
    from polka.cli.backup import backup_create, backup_restore

    make_record("Тихий Дон")
    backup = backup_create(output=tmp_path / "b.sqlite3", at=_now()).path
    added = make_record("Война и мир")
    assert _ids("война") == [added.id]
    backup_restore(source=backup)
    assert _ids("война") == []


def _now():
    from django.utils import timezone

    return timezone.now()


def _empty():
    from polka.search.backends.base import SearchResults

    return SearchResults(hits=[], total=0, facets={}, page=1, per_page=20)


@pytest.mark.parametrize("seconds", [0, 300])
def test_with_the_cache_off_the_search_page_never_asks_the_cache_table(client, settings, seconds):
    """The database cache (production's) answered every search page three queries and a write
    even with caching off (POLKA_SEARCH_CACHE_SECONDS=0)."""
    from django.core.management import call_command
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "polka_test_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    settings.POLKA_SEARCH_CACHE_SECONDS = seconds
    make_record("Тихий Дон")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/search/?q=дон")
    assert page.status_code == 200 and "Тихий Дон" in page.content.decode()
    asked = [q["sql"] for q in ctx.captured_queries if "polka_test_cache" in q["sql"]]
    assert bool(asked) == (seconds > 0), asked
