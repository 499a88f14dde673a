"""A process-local cache of what every desk scan reads and staff rarely change: the rules
matrix and the branches' opening calendars (three queries of every lend otherwise).

A change to a LoanRule, CalendarException or OpeningHours row (a save or delete through the ORM)
empties the cache of the process that made it at once and again when it commits; the server's
other worker processes read the change within POLKA_CIRCULATION_CACHE_SECONDS (default 60), the
longest an entry lives, which also bounds writes that send no signal (bulk_create, a restore).
0 turns the cache off (the test settings do: a test's rolled-back rows send no signal).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction

T = TypeVar("T")

_entries: dict[Hashable, tuple[float, Any]] = {}
_lock = threading.Lock()


def cache_seconds() -> float:
    return float(getattr(settings, "POLKA_CIRCULATION_CACHE_SECONDS", 60))


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s value, from this process's cache while it is fresh."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        if len(_entries) > 1000:  # one day's calendars per branch and the matrix: never near
            _entries.clear()
        _entries[key] = (now + seconds, value)
    return value


def circulation_cache_clear(**_signal: Any) -> None:
    """Empty the cache now and once more after the current transaction commits (another
    thread of this process may refill it from the rows as they were before the commit)."""
    with _lock:
        _entries.clear()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_entries.clear)
