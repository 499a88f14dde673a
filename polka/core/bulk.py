"""Bulk work: Python's cyclic garbage collector paused, the database's log kept by its thread.

The collector runs after every 700 new containers (lists, dicts, tuples …) and now and then
walks every container the process holds, the stemmer's 200,000-entry cache among them. A full
reindex makes a few dozen containers a record, none of them in a cycle: on 100,000 records the
collector took 28% of the analysis (6.3 CPU-seconds with it, 4.5 without). Reference counting
still frees everything at once; only cycles wait, and one collection of the young generations at
the end takes them.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections

_guard = threading.Lock()
_holders = 0  # nested or concurrent pauses: the collector resumes when the last one ends
_resume = False  # whether it ran before the first pause


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    global _holders, _resume
    with _guard:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _guard:
            _holders -= 1
            last = _holders == 0
            if last and _resume:
                gc.enable()
        if last:
            # The two younger generations hold everything made during the pause (each
            # young_collected moves its survivors to the middle one, and nothing collected it
            # on to the oldest): walking them frees the pause's cycles. The whole heap (the
            # stemmer's cache, Django itself) would cost 0.1 s more, 6% of a 3,000-record import.
            gc.collect(1)


def young_collected() -> None:
    """For a long pause, once per batch: the cycles among the containers made since the last
    call are freed. Only those are walked; the survivors move on and are not walked again."""
    gc.collect(0)


@contextlib.contextmanager
def writes_in_bulk(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """For a long run of large transactions (an import's batches): on SQLite each commit leaves
    the write-ahead log to the backend's checkpointer thread instead of copying it back itself
    (polka.core.sqlite.base). Other engines need nothing."""
    hook = getattr(connections[using], "bulk_writes", None)
    with hook() if hook is not None else contextlib.nullcontext():
        yield
