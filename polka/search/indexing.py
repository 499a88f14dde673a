"""Keep the search index in step with the catalogue. Catalogue services call these inside the
same transaction as the record write, so the index never drifts from the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from polka.catalog.models import Record
from polka.core.bulk import collector_paused
from polka.search.analysis import ANALYSIS_VERSION
from polka.search.backends import get_backend
from polka.search.backends.base import chunked
from polka.search.cache import search_cache_invalidate
from polka.search.content import content_reindex
from polka.search.models import SearchIndexState


def index_records(record_ids: Iterable[int]) -> None:
    """(Re)index these records; ids of records that no longer exist are removed."""
    get_backend().index(record_ids)
    search_cache_invalidate()


def unindex_records(record_ids: Iterable[int]) -> None:
    get_backend().remove(record_ids)
    search_cache_invalidate()


def reindex_all(*, progress: Callable[[int], None] | None = None, batch: int | None = None) -> int:
    """Rebuild the whole index in one transaction (searches meanwhile see the old index): the
    catalogue's records, then the other texts (news, answered questions), with today's
    analysis.

    Returns the number of records indexed; `progress` is told how many each batch added.
    Batches are of `batch` records, by default the engine's own size.
    """
    backend = get_backend()
    ids = list(Record.objects.order_by("id").values_list("id", flat=True))
    # Outside any transaction every record is committed: the engine may read them elsewhere.
    committed = connection.get_autocommit() and not connection.in_atomic_block
    batches = chunked(ids, batch or backend.rebuild_batch)
    with collector_paused(), transaction.atomic():
        count = backend.rebuild(batches, progress, committed=committed)
        content_reindex()
        search_cache_invalidate()
        SearchIndexState.objects.filter(pk=1).update(analysis=ANALYSIS_VERSION)
    backend.optimize()
    return count


def index_analysis_current() -> bool:
    """Whether the index was built with today's analysis (true of an index never built)."""
    built = SearchIndexState.objects.filter(pk=1).values_list("analysis", flat=True).first()
    return built is None or built == ANALYSIS_VERSION
