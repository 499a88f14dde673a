"""A record's history for the editor: who changed it, when, and which lines changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from polka.catalog.marc_lines import to_lines
from polka.catalog.models import Record, RecordRevision
from polka.catalog.source import read_source_or_none


@dataclass(slots=True)
class HistoryEntry:
    revision: RecordRevision
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def can_revert(self) -> bool:
        return self.revision.source_before is not None


def _lines(record: Record, source: bytes | None, encoding: str) -> list[str]:
    if source is None:
        return []
    state = Record(format=record.format, source=bytes(source), source_encoding=encoding)
    marc = read_source_or_none(state)
    return to_lines(marc).splitlines() if marc else []


def record_history(*, record: Record) -> list[HistoryEntry]:
    """Newest first; each change is the difference between the source before it and after it."""
    revisions = list(record.revisions.select_related("user").order_by("-at", "-id"))
    after = _lines(record, bytes(record.source), record.source_encoding)
    entries = []
    for revision in revisions:
        encoding = getattr(revision, "encoding_before", "") or "utf-8"
        stored = revision.source_before
        before = _lines(record, bytes(stored) if stored is not None else None, encoding)
        entry = HistoryEntry(revision)
        if revision.source_before is not None:
            diff = list(difflib.ndiff(before, after))
            entry.removed = [line[2:] for line in diff if line.startswith("- ")]
            entry.added = [line[2:] for line in diff if line.startswith("+ ")]
            after = before
        entries.append(entry)
    return entries
