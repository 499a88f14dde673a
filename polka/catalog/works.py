"""The work key: how the editions of one work are known to belong together.

A work is its uniform title (MARC21 130/240, RUSMARC 500) when the record gives one, else the
title proper with its part; plus the name of its first author. Both are compared without case,
punctuation or the ё/е difference. A record with neither an author nor a uniform title gets
no key: anonymous titles such as «Сборник задач» are too often different books.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from polka.catalog.gost import AUTHOR_ROLES
from polka.catalog.mapping import MappedAuthor, MappedRecord

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
