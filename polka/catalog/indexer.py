"""Where catalogue writes tell the search index what changed. Search sits above catalog, so it
registers its functions here at start-up (SearchConfig.ready), as notices producers do."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

RecordIds = Iterable[int]

_index: Callable[[list[int]], object] | None = None
_unindex: Callable[[list[int]], object] | None = None


def register_indexer(
    *, index: Callable[[list[int]], object], unindex: Callable[[list[int]], object]
) -> None:
    global _index, _unindex
    _index, _unindex = index, unindex


def _registered(hook: Callable[[list[int]], object] | None) -> Callable[[list[int]], object]:
    if hook is None:
        raise ImproperlyConfigured("No search indexer is registered (polka.search not loaded?)")
    return hook


def index_records(record_ids: RecordIds) -> None:
    _registered(_index)(list(record_ids))


def unindex_records(record_ids: RecordIds) -> None:
    _registered(_unindex)(list(record_ids))
