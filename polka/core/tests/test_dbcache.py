"""The database cache production uses (polka.core.dbcache): one statement a write, culled all
the same, unlogged on PostgreSQL."""

import hashlib

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.core.models import ContentState
from polka.core.pagecache import content_changed

pytestmark = pytest.mark.django_db

TABLE = "polka_test_dbcache"


@pytest.fixture
def db_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "polka.core.dbcache.DatabaseCache",
            "LOCATION": TABLE,
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2},
        }
    }
    call_command("createcachetable", verbosity=0)
    yield
    with connection.cursor() as cursor:  # a transactional test's table outlives it otherwise
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_write_is_one_statement_and_a_second_write_replaces_the_first(db_cache):
    """Outside a transaction, as the page cache writes (inside one, a savepoint wraps it)."""
    cache.set("first", "counted")  # a process's first write also counts the table
    with CaptureQueriesContext(connection) as ctx:
        cache.set("page", (b"text/html", b"<p>one</p>"), 60)
        cache.set("page", (b"text/html", b"<p>two</p>"), 60)
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]
    assert cache.get("page") == (b"text/html", b"<p>two</p>")
    assert _entries() == 2


def test_an_expired_entry_is_not_served(db_cache):
    cache.set("gone", "stale", -1)
    cache.set("kept", "fresh", 60)
    assert cache.get("gone") is None and cache.get("kept") == "fresh"


def test_the_table_is_culled_past_its_size(db_cache, monkeypatch):
    monkeypatch.setattr("polka.core.dbcache.CULL_EVERY", 1)
    for n in range(30):
        cache.set(f"key-{n}", n, 60)
    assert _entries() <= 11
    assert cache.get("key-29") == 29


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_the_table_writes_no_write_ahead_log_and_compresses_with_lz4(db_cache):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        (lz4,) = cursor.fetchone()
        cursor.execute(
            "SELECT c.relpersistence, a.attcompression FROM pg_class c JOIN pg_attribute a "
            "ON a.attrelid = c.oid AND a.attname = 'value' WHERE c.oid = to_regclass(%s)",
            [TABLE],
        )
        persistence, compression = cursor.fetchone()
        assert persistence == "u" and (compression == "l") == lz4
    call_command("createcachetable", verbosity=0)  # again: nothing to change, no error


def test_a_write_that_fails_loses_the_entry_not_the_page_nor_the_transaction(db_cache):
    from polka.core.models import ContentState

    cache.set("first", "counted")  # the count runs on this one
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    cache.set("page", "lost")  # no error
    # The test's transaction is still usable (on PostgreSQL a failed statement aborts it).
    ContentState.objects.update_or_create(pk=1, defaults={"generation": "after"})
    assert ContentState.objects.get(pk=1).generation == "after"


def test_a_kept_page_and_the_generation_its_key_names_are_read_in_one_query(db_cache):
    generation = content_changed()
    cache.set(f"polka:page:{generation}:abc", ("text/html", b"<p>kept</p>"), 60)
    cache.set("polka:page:an-older-generation:abc", ("text/html", b"<p>old</p>"), 60)
    with CaptureQueriesContext(connection) as ctx:
        found = cache.get_in_generation("polka:page:{generation}:abc")
        missing = cache.get_in_generation("polka:page:{generation}:other")
    assert found == (generation, ("text/html", b"<p>kept</p>"), "")
    assert missing == (generation, None, "")
    assert len(ctx.captured_queries) == 2


def test_a_pages_version_is_read_in_the_same_query_as_the_page(db_cache):
    """A page's own version (the record page: its copies) comes with the kept page in one
    statement, as one text of its rows that any change to a row changes."""
    from polka.core.prepared import Prepared

    rows = Prepared(
        lambda least: (
            ContentState.objects.filter(pk__gte=least)
            .order_by("pk")
            .values_list("id", "generation")
        ),
        least=int,
    )
    generation = content_changed()
    cache.set(f"polka:page:{generation}:r", ("text/html", b"<p>kept</p>", "x"), 60)
    texts = []
    for change in (
        lambda: None,
        lambda: ContentState.objects.create(pk=7, generation="a:b"),
        lambda: ContentState.objects.filter(pk=7).update(generation="a"),
        lambda: ContentState.objects.filter(pk=7).update(generation=""),
        lambda: ContentState.objects.filter(pk=7).delete(),
    ):
        change()
        version = rows.statement(least=2)
        with CaptureQueriesContext(connection) as ctx:
            found = cache.get_in_generation("polka:page:{generation}:r", version)
        assert len(ctx.captured_queries) == 1
        assert found is not None
        assert found[:2] == (generation, ("text/html", b"<p>kept</p>", "x"))
        assert found[2] == version.read_text()  # the same text read on its own
        texts.append(found[2])
    assert texts == ["", "7:a:b", "7:a", "7:", ""]


def test_an_expired_page_is_not_read_with_its_generation(db_cache):
    generation = content_changed()
    cache.set(f"polka:page:{generation}:abc", ("text/html", b"<p>stale</p>"), -1)
    assert cache.get_in_generation("polka:page:{generation}:abc") == (generation, None, "")


def test_without_a_generation_or_with_keys_rewritten_the_caller_reads_them_apart(
    db_cache, settings
):
    ContentState.objects.all().delete()
    assert cache.get_in_generation("polka:page:{generation}:abc") is None
    content_changed()
    settings.CACHES["default"]["KEY_FUNCTION"] = "polka.core.tests.test_dbcache.hashed_key"
    del caches["default"]  # the next use builds it with the new settings
    assert caches["default"].get_in_generation("polka:page:{generation}:abc") is None


def hashed_key(key: str, key_prefix: str, version: int) -> str:
    return hashlib.sha256(f"{key_prefix}:{version}:{key}".encode()).hexdigest()


def test_a_kept_page_is_read_by_its_key_whatever_the_statistics_say_of_expiry(db_cache):
    """Under steady traffic the statistics of the last ANALYZE say every entry has expired
    while every entry read is live: the read must still go by the key, not walk the live
    entries (PostgreSQL walked the expiry index when the query compared `expires` in SQL)."""
    generation = content_changed()
    keys = [f"polka:page:{generation}:{n}" for n in range(300)]
    for key in keys:
        cache.set(key, ("text/html", b"<p>old</p>"), -60)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    for key in keys:
        cache.set(key, ("text/html", b"<p>kept</p>"), 60)
    with CaptureQueriesContext(connection) as ctx:
        assert cache.get_in_generation("polka:page:{generation}:7") == (
            generation,
            ("text/html", b"<p>kept</p>"),
            "",
        )
    (query,) = [q["sql"] for q in ctx.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {query}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Cond: ((cache_key)" in plan, plan
            assert "Rows Removed" not in plan, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "(cache_key=?)" in plan, plan
