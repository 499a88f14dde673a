"""The reader's list of selected records, kept in the session (no account needed)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "catalog_selection"
# Enough for any bibliography a reader makes by hand; keeps the session row small.
MAX_SELECTED = 500


def selection_ids(session: SessionBase) -> list[int]:
    raw = session.get(SESSION_KEY, [])
    return [i for i in raw if isinstance(i, int)] if isinstance(raw, list) else []


def selection_add(session: SessionBase, ids: Iterable[int]) -> None:
    current = selection_ids(session)
    current.extend(i for i in ids if i not in current)
    session[SESSION_KEY] = current[:MAX_SELECTED]


def selection_remove(session: SessionBase, ids: Iterable[int]) -> None:
    gone = set(ids)
    session[SESSION_KEY] = [i for i in selection_ids(session) if i not in gone]


def selection_clear(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
