"""What the index knows about a record: stemmed text per field, sort keys and facet values.

Built for a batch of records with three flat queries (records, authors, copies) so that a
full reindex runs at thousands of records a second.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from polka.catalog.models import Item, ItemStatus, MaterialType, Person, Record, RecordAuthor
from polka.org.models import Branch
from polka.search.analysis import (
    isbn_tokens,
    stem,
    stem_and_name_key,
    stems_with_name_keys,
    tokenize,
)

# Which record fields feed which index field; title and authors weigh most in ranking.
TEXT_FIELDS = ("title", "authors", "subjects", "other")
FACET_FIELDS = ("author", "subject", "language", "decade", "material", "branch", "age", "ebook")
# Facets whose values are also words of the text index (facet_token), so that a filter is
# intersected inside the match. Not on SQLite the branches with a copy on the shelf: there a
# copy on the shelf would make the record longer to bm25 and rank it below its equal without
# one. PostgreSQL's tsvector carries them too (its ts_rank ignores a document's length).
MATCHED_FACETS = frozenset(FACET_FIELDS) - {"branch"}
# The facets search_facet keeps rows of: those read by a lookup rather than from facet_list or
# the match, the branches (filtered outside the match) and the headings (SRU scans dc.creator
# and dc.subject). Rows of the others were half the table, never read (search migration 0014).
TABLE_FACETS = (frozenset(FACET_FIELDS) - MATCHED_FACETS) | {"author", "subject"}
_VALUE_MAX = 200
# A document's facets as one text (search_document.facet_list): "field<US>value" joined by RS.
FACET_SEPARATOR = "\x1e"
FIELD_SEPARATOR = "\x1f"
# Neither separator may occur in a value (MARC's own separators, which no parsed value keeps).
_NO_SEPARATORS = str.maketrans({FACET_SEPARATOR: " ", FIELD_SEPARATOR: " "})
_ONLINE = {MaterialType.EBOOK.value, MaterialType.ELECTRONIC.value}
_RECORD_COLUMNS = (
    "id", "title", "remainder_of_title", "responsibility", "edition", "place", "publisher",
    "year", "series", "isbns", "issns", "languages", "subjects", "annotation", "age_mark",
    "material_type", "links",
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)  # a rebuild hashes millions, mostly the same few
def facet_token(field: str, value: str) -> str:
    """A facet value as one word of the text index: a private-use character, which both
    engines keep inside a word and no query word carries (the query parser splits on it),
    then a hash of facet and value (search migrations 0010 and 0011 compute the same)."""
    digest = hashlib.sha256(f"{field}{FIELD_SEPARATOR}{value}".encode()).hexdigest()[:16]
    return f"\ue000{digest}"


@dataclass(slots=True)
class Document:
    record_id: int
    text: dict[str, list[str]]  # index field → stems, in order
    title_sort: str
    year: int | None
    available: bool
    facets: list[tuple[str, str]] = field(default_factory=list)
    # Normalised words of title, authors and subjects with their stems: the spelling vocabulary.
    words: dict[str, str] = field(default_factory=dict)

    def facet_tokens(self, fields: frozenset[str] = MATCHED_FACETS) -> list[str]:
        return [facet_token(name, value) for name, value in self.facets if name in fields]

    def facet_list(self) -> str:
        """The facets as search_document.facet_list holds them (facet_pairs reads them back)."""
        return FACET_SEPARATOR.join(
            f"{name}{FIELD_SEPARATOR}{value}" for name, value in self.facets
        )


def facet_pairs(facet_list: str) -> list[str]:
    """The "field<US>value" entries of a facet_list, for counting ("" holds none)."""
    return facet_list.split(FACET_SEPARATOR) if facet_list else []


def _json_list(value: object) -> list[Any]:
    """A JSON list column as fetched by a plain cursor (text on SQLite, maybe parsed on PG)."""
    if isinstance(value, str):
        if value == "[]":  # most lists are empty; json.loads costs more than the rest
            return []
        value = json.loads(value)
    return value if isinstance(value, list) else []


def _build(
    row: Sequence[Any], authors: list[tuple[str, list[str], bool]], branches: set[str]
) -> Document:
    (record_id, title, remainder, responsibility, edition, place, publisher, year, series) = row[:9]
    (isbns, issns, languages, subjects, annotation, age_mark, material_type, links) = row[9:]
    subjects = [str(s) for s in _json_list(subjects)]
    title_words = tokenize(title)
    title_sort = " ".join(title_words)[:_VALUE_MAX]
    # A person's name and its variant forms get the name analysis instead of the stemmer
    # (Snowball would file «Иванов» under «иван»); bodies and the statement of responsibility
    # are free text.
    person_words: list[str] = []
    free_author_words: list[str] = []
    for name, forms, corporate in authors:
        words = tokenize(" ".join([name, *map(str, _json_list(forms))]))
        (free_author_words if corporate else person_words).extend(words)
    free_author_words += tokenize(responsibility)
    title_words += tokenize(remainder)
    subject_words = tokenize(" ".join(subjects))
    # The spelling vocabulary keeps the Snowball stems: "did you mean" compares stems.
    vocabulary: dict[str, str] = {}
    persons = []
    for word in person_words:
        stemmed, key = stem_and_name_key(word)
        persons.append(key or stemmed)
        if len(word) > 2 and not word.isdigit():
            vocabulary[word] = stemmed
    text: dict[str, list[str]] = {
        "title": stems_with_name_keys(title_words, vocabulary),
        "authors": persons + stems_with_name_keys(free_author_words, vocabulary),
        "subjects": stems_with_name_keys(subject_words, vocabulary),
    }
    other = tokenize(f"{series} {edition} {place} {publisher} {annotation}")
    text["other"] = (
        [stem(word) for word in other]
        + isbn_tokens(_json_list(isbns))
        + ["".join(tokenize(str(issn))) for issn in _json_list(issns)]
    )

    facets = [("author", name[:_VALUE_MAX]) for name, _, _ in authors[:10]]
    facets += [("subject", s.strip(" .;,")[:_VALUE_MAX]) for s in subjects[:20]]
    facets += [("language", str(code)) for code in _json_list(languages)]
    if year:
        facets.append(("decade", str(year // 10 * 10)))
    facets.append(("material", material_type))
    facets += [("branch", code) for code in sorted(branches)]
    if age_mark:
        facets.append(("age", age_mark))
    if material_type in _ONLINE or _json_list(links):
        facets.append(("ebook", "1"))
    return Document(
        record_id=record_id,
        text=text,
        title_sort=title_sort,
        year=year or None,
        available=bool(branches),
        # Once each: a person named twice (100 and its 700 =eq, author and editor) or «История»
        # and «История.» would count the record twice in the facet.
        facets=list(
            dict.fromkeys(
                (name, value.translate(_NO_SEPARATORS)) for name, value in facets if value
            )
        ),
        words=vocabulary,
    )


def _among(ids: list[int]) -> tuple[str, list[Any]]:
    """SQL to follow a column that must be one of `ids`, and its parameters: one array on
    PostgreSQL, whose driver would otherwise parse a thousand placeholders for every batch."""
    if connection.vendor == "postgresql":
        return " = ANY(%s)", [ids]
    return f" IN ({', '.join(['%s'] * len(ids))})", ids


def build_documents(record_ids: Sequence[int]) -> list[Document]:
    """Index documents for the given records; records that no longer exist are left out.

    Plain portable SQL rather than the ORM: a full reindex spends its time here, and model
    field converters would cost more than the analysis itself.
    """
    if not record_ids:
        return []
    among, params = _among(list(record_ids))
    authors: dict[int, list[tuple[str, list[str], bool]]] = defaultdict(list)
    shelves: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ra.record_id, p.name, p.name_forms, p.corporate "  # noqa: S608
            f"FROM {RecordAuthor._meta.db_table} ra "
            f"JOIN {Person._meta.db_table} p ON p.id = ra.person_id "
            f"WHERE ra.record_id{among} ORDER BY ra.record_id, ra.position, ra.id",
            params,
        )
        for record_id, name, forms, corporate in cursor.fetchall():
            authors[record_id].append((name, forms, bool(corporate)))
        cursor.execute(
            f"SELECT i.record_id, b.code FROM {Item._meta.db_table} i "  # noqa: S608
            f"JOIN {Branch._meta.db_table} b ON b.id = i.branch_id "
            f"WHERE i.record_id{among} AND i.status = %s",
            [*params, ItemStatus.AVAILABLE.value],
        )
        for record_id, code in cursor.fetchall():
            shelves[record_id].add(code)
        cursor.execute(
            f"SELECT {', '.join(_RECORD_COLUMNS)} FROM {Record._meta.db_table} "  # noqa: S608
            f"WHERE id{among} ORDER BY id",
            params,
        )
        rows = cursor.fetchall()
    return [_build(row, authors.get(row[0], []), shelves.get(row[0], set())) for row in rows]
