"""A query result cache in front of the search engine, as Solr's queryResultCache does.

Readers repeat searches (the same title, the school reading list); a cached answer costs a
cache read instead of a ranked full-text query with facet counts. Every key holds the
database's identity (engine, host, port, name) and the index generation, a random token kept
in the database itself (SearchIndexState) and replaced in the same transaction as every index
change, and by `polka restore`. So a cached answer never outlives the index it came from, is
never served for another database that shares the cache folder (a second installation, a test
database beside a working one), and a rolled-back change leaves no answer behind under a
generation that could come again. The cache is Django's default cache: a file cache under
var/ shared by the server's worker processes (config/settings/base.py).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from polka.core.pagecache import content_changed
from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest, SearchResults
from polka.search.models import SearchIndexState


def _seconds() -> int:
    return int(getattr(settings, "POLKA_SEARCH_CACHE_SECONDS", 300))


def _database_identity() -> str:
    db = connection.settings_dict
    where = f"{connection.vendor}|{db.get('HOST')}|{db.get('PORT')}|{db.get('NAME')}"
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def index_generation() -> str:
    """This database's identity and its index generation: the prefix of every cache key."""
    token = SearchIndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    if token is None:  # a database flushed or restored from before the table existed
        token = search_cache_invalidate()
    return f"{_database_identity()}:{token}"


def search_cache_invalidate() -> str:
    """Start a new index generation, inside the caller's transaction: it becomes visible to
    other connections exactly when the index change commits, and disappears if it rolls back.
    Returns the new generation token."""
    token = uuid.uuid4().hex
    if not SearchIndexState.objects.filter(pk=1).update(generation=token):
        SearchIndexState.objects.get_or_create(pk=1, defaults={"generation": token})
    content_changed()  # the public pages show the catalogue too (an import sends no signal)
    return token


def cached_query(request: SearchRequest) -> SearchResults:
    """The engine's answer to `request`, from the cache when the index has not changed since."""
    seconds = _seconds()
    backend = get_backend()
    if seconds <= 0:
        return backend.query(request)
    digest = hashlib.sha256(repr(request).encode()).hexdigest()[:32]
    key = f"polka:search:{backend.name}:{index_generation()}:{digest}"
    results: SearchResults | None = cache.get(key)
    if results is None:
        results = backend.query(request)
        cache.set(key, results, seconds)
    return results


def results_fragment_key(*, query: Mapping[str, list[str]], staff: bool) -> tuple[int, str]:
    """(seconds, key) for caching the rendered results of a search page: its query string,
    public or staff view, and the index generation (the template adds the language). With
    the cache off (0 seconds) there is no key: the page does not read the generation."""
    seconds = _seconds()
    if seconds <= 0:
        return 0, ""
    canonical = urlencode(sorted((k, v) for k, values in query.items() for v in values))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return seconds, f"{get_backend().name}:{index_generation()}:{int(staff)}:{digest}"
