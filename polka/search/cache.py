"""A query result cache in front of the search engine, as Solr's queryResultCache does.

Readers repeat searches (the same title, the school reading list); a cached answer costs a
cache read instead of a ranked full-text query with facet counts. Every index change bumps a
generation number after its transaction commits, and the generation is part of each key, so a
cached answer never outlives the index it came from. The cache is Django's default cache: a
file cache under var/ shared by the server's worker processes (config/settings/base.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest, SearchResults

GENERATION_KEY = "polka:search:generation"


def _seconds() -> int:
    return int(getattr(settings, "POLKA_SEARCH_CACHE_SECONDS", 300))


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 0, None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (expired, cache cleared): any new value invalidates
        cache.set(GENERATION_KEY, 1, None)


def search_cache_invalidate() -> None:
    """Forget every cached answer once the current transaction commits."""
    transaction.on_commit(_bump)


def cached_query(request: SearchRequest) -> SearchResults:
    """The engine's answer to `request`, from the cache when the index has not changed since."""
    seconds = _seconds()
    backend = get_backend()
    if seconds <= 0:
        return backend.query(request)
    digest = hashlib.sha256(repr(request).encode()).hexdigest()[:32]
    key = f"polka:search:{backend.name}:{_generation()}:{digest}"
    results: SearchResults | None = cache.get(key)
    if results is None:
        results = backend.query(request)
        cache.set(key, results, seconds)
    return results


def results_fragment_key(*, query: Mapping[str, list[str]], staff: bool) -> tuple[int, str]:
    """(seconds, key) for caching the rendered results of a search page: its query string,
    public or staff view, and the index generation (the template adds the language)."""
    canonical = urlencode(sorted((k, v) for k, values in query.items() for v in values))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return _seconds(), f"{get_backend().name}:{_generation()}:{int(staff)}:{digest}"
