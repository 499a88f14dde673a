"""The work key: how the editions of one work are known to belong together.

A work is its uniform title (MARC21 130/240, RUSMARC 500) when the record gives one, else the
title proper with its part; plus the name of its first author. Both are compared without case,
punctuation or the ё/е difference. A record with neither an author nor a uniform title gets
no key: anonymous titles such as «Сборник задач» are too often different books.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from polka.catalog.gost import AUTHOR_ROLES
from polka.catalog.mapping import MappedAuthor, MappedRecord
from polka.catalog.models import work_digest

WORK_KEY_LENGTH = 255
_NOT_WORD = re.compile(r"[\W_]+")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.split(text)).strip()


def first_author(authors: Sequence[MappedAuthor]) -> str:
    """The name of the first person or body named as author (not an editor or translator)."""
    for author in authors:
        if author.role.strip().lower() in AUTHOR_ROLES or not author.role.strip():
            return author.name
    return ""


def work_key(*, title: str, parts: str = "", uniform_title: str = "", author: str = "") -> str:
    """`title|author` normalised, or "" when the record cannot be placed in a work."""
    name = _normal(uniform_title) or _normal(f"{title} {parts}")
    who = _normal(author)
    if not name or not (who or _normal(uniform_title)):
        return ""
    return f"{name}|{who}"[:WORK_KEY_LENGTH]


def mapped_work_key(mapped: MappedRecord) -> str:
    return work_key(
        title=mapped.title,
        parts=mapped.parts,
        uniform_title=mapped.uniform_title,
        author=first_author(mapped.authors),
    )


def stored_work_key(*, source: bytes, flavour: str, encoding: str) -> str | None:
    """The work key of a stored source, or None when the source cannot be read."""
    from polka.catalog.marcio import marc_map, marc_parse_source

    if not source:
        return None
    try:
        marc = marc_parse_source(
            source, flavour="rusmarc" if flavour == "rusmarc" else "marc21", encoding=encoding
        )
    except (ValueError, IndexError, StopIteration):
        return None
    return mapped_work_key(marc_map(marc, flavour))


def work_keys_refresh(
    records: QuerySet[Any],
    authorships: QuerySet[Any],
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 1000,
) -> int:
    """Recompute the work key of `records` from their stored sources (a source that cannot be
    read: from the title and the first authorship); returns how many keys changed. Takes
    querysets so that migrations can pass their historical models."""
    fields = ("id", "format", "source", "source_encoding", "title", "parts", "work_key")
    # Plain UPDATEs: bulk_update's CASE expressions cost more than the parsing.
    keys = f"UPDATE {records.model._meta.db_table} SET work_key = %s WHERE id = %s"  # noqa: S608
    # The authorships carry the key's digest (catalog 0014; an earlier migration's models do not).
    digests = None
    if any(f.name == "work_digest" for f in authorships.model._meta.get_fields()):
        table = authorships.model._meta.db_table
        digests = f"UPDATE {table} SET work_digest = %s WHERE record_id = %s"  # noqa: S608
    changed: list[tuple[str, int]] = []
    count = 0
    for number, record in enumerate(records.only(*fields).order_by("id").iterator(batch), 1):
        key = stored_work_key(
            source=bytes(record.source or b""),
            flavour=record.format,
            encoding=record.source_encoding or "utf-8",
        )
        if key is None:
            first = authorships.filter(record_id=record.id).order_by("position")
            name = first.values_list("person__name", flat=True).first()
            key = work_key(title=record.title, parts=record.parts, author=name or "")
        if key != record.work_key:
            changed.append((key, record.id))
        if len(changed) >= batch or (changed and number % batch == 0):
            count += _write(keys, digests, changed)
            changed = []
        if progress and number % batch == 0:
            progress(batch)
    return count + _write(keys, digests, changed)


def _write(keys: str, digests: str | None, changed: list[tuple[str, int]]) -> int:
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany(keys, changed)
            if digests is not None:
                cursor.executemany(digests, [(work_digest(k), pk) for k, pk in changed])
    return len(changed)
