"""Where catalogue writes tell the search index what changed. Search sits above catalog, so it
registers its functions here at start-up (SearchConfig.ready), as notices producers do. Other
apps that keep something derived from records (the protocols' MARCXML) listen here too."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

RecordIds = Iterable[int]

_index: Callable[[list[int]], object] | None = None
_unindex: Callable[[list[int]], object] | None = None
_listeners: list[Callable[[list[int]], object]] = []


def register_indexer(
    *, index: Callable[[list[int]], object], unindex: Callable[[list[int]], object]
) -> None:
    global _index, _unindex
    _index, _unindex = index, unindex


def register_listener(listener: Callable[[list[int]], object]) -> None:
    """`listener(ids)` runs after each index_records, in the same transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def _registered(hook: Callable[[list[int]], object] | None) -> Callable[[list[int]], object]:
    if hook is None:
        raise ImproperlyConfigured("No search indexer is registered (polka.search not loaded?)")
    return hook


def index_records(record_ids: RecordIds) -> None:
    ids = list(record_ids)
    _registered(_index)(ids)
    for listener in _listeners:
        listener(ids)


def unindex_records(record_ids: RecordIds) -> None:
    _registered(_unindex)(list(record_ids))
