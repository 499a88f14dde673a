"""Keeping the search index in step with the catalogue; the search issue fills these in.

Catalogue services call them inside the transaction that changes the records, so the index
never sees a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable


def index_records(ids: Iterable[int]) -> None:
    """(Re)index the records with these ids. A no-op until the search engines arrive."""


def unindex_records(ids: Iterable[int]) -> None:
    """Drop the records with these ids from the index. A no-op until the search engines arrive."""
