"""Pick the search engine for the configured database (see polka.search.engines)."""

from __future__ import annotations

import functools

from polka.search.backends.base import SearchBackend
from polka.search.engines import search_engine_name


@functools.cache
def _backend(name: str) -> SearchBackend:
    if name == "postgresql-fts":
        from polka.search.backends.postgresql import PostgresBackend

        return PostgresBackend()
    from polka.search.backends.sqlite import SqliteBackend

    return SqliteBackend()


def get_backend() -> SearchBackend:
    return _backend(search_engine_name())
