"""SQLite FTS5 engine: the search_fts virtual table (migration 0002) holds pre-stemmed text in
four columns whose bm25 weights make title and author matches beat subject and note matches.

Titles and authors are also kept in tables of their own (migration 0006): FTS5 keeps one list
per word for all columns, so a column filter (`title : "new"`) reads every record with the
word anywhere — each one published in New York — to find the few with it in the title. A
match that is all title (or all author) words and needs no ranking reads those tables instead
(SRU and the counts of fielded searches): the same records, a fraction of the reading.

A fifth column, `facets`, holds the record's facet values (documents.MATCHED_FACETS) as one
token each (documents.facet_token), so a facet filter is one more list FTS5 intersects in the
match: counting «jazz» in the 1990s took 127 ms through search_facet (every hit looked up), 8 ms
so (1,000,000 records). Its bm25 weight is 0 (bm25 still counts the column in a record's
length, which is why the branches on the shelf stay out).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from django.db.backends.utils import CursorWrapper

from polka.search.backends.base import SearchBackend, _placeholders
from polka.search.documents import MATCHED_FACETS, TEXT_FIELDS, Document, facet_token
from polka.search.query import Clause

# As created by migration 0010 (which keeps its own frozen copy).
CREATE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, authors, subjects, other, facets, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
_COLUMNS = {"title": "title", "authors": "authors", "subjects": "subjects", "other": "other"}
# As created by migration 0006 (which keeps its own frozen copy): one field's words each.
FIELD_TABLES = {"title": "search_fts_title", "authors": "search_fts_authors"}
_TEXT_TABLES = ("search_fts", *FIELD_TABLES.values())
CREATE_FIELD = (
    "CREATE VIRTUAL TABLE {table} USING fts5({field}, tokenize = 'unicode61 remove_diacritics 0')"
)
# bm25 weights in TEXT_FIELDS order: title, authors, subjects, other; then facets.
_WEIGHTS = "10.0, 8.0, 3.0, 1.0, 0.0"


def _quote(stems: Sequence[str]) -> str:
    return '"' + " ".join(s.replace('"', '""') for s in stems) + '"'


def _clause(clause: Clause, prefix: bool) -> str:
    variants = [_quote(v) + (" *" if prefix else "") for v in clause.variants]
    expression = variants[0] if len(variants) == 1 else "(" + " OR ".join(variants) + ")"
    if clause.field:
        return f"{_COLUMNS[clause.field]} : {expression}"
    return expression


class SqliteBackend(SearchBackend):
    name = "sqlite-fts5"
    matched_facets = MATCHED_FACETS
    # FTS5 scores every match of the words before a join meets the years: matched as their
    # decades too, «jazz» newest first 67 -> 29 ms at 1,000,000 records.
    matches_decades = True

    def write_text(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, authors, subjects, other, facets) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    d.record_id,
                    *(" ".join(d.text[name]) for name in TEXT_FIELDS),
                    " ".join(d.facet_tokens()),
                )
                for d in documents
            ],
        )
        for field, table in FIELD_TABLES.items():
            cursor.executemany(
                f"INSERT INTO {table} (rowid, {field}) VALUES (%s, %s)",  # noqa: S608 - fixed names
                [(d.record_id, " ".join(d.text[field])) for d in documents],
            )

    def content_write(
        self, cursor: CursorWrapper, doc_id: int, title: Sequence[str], body: Sequence[str]
    ) -> None:
        cursor.execute("DELETE FROM search_content_fts WHERE rowid = %s", [doc_id])
        cursor.execute(
            "INSERT INTO search_content_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [doc_id, " ".join(title), " ".join(body)],
        )

    def content_delete(self, cursor: CursorWrapper, doc_ids: Sequence[int]) -> None:
        cursor.execute(
            f"DELETE FROM search_content_fts WHERE rowid IN ({_placeholders(len(doc_ids))})",  # noqa: S608
            list(doc_ids),
        )

    def content_match_sql(self, clauses: Sequence[Clause]) -> tuple[str, list[Any]]:
        expression = " AND ".join(_clause(replace(c, field=None), False) for c in clauses)
        return (
            "SELECT rowid AS id, -bm25(search_content_fts, 5.0, 1.0) AS score "
            "FROM search_content_fts WHERE search_content_fts MATCH %s",
            [expression],
        )

    def delete_text(self, cursor: CursorWrapper, record_ids: Sequence[int]) -> None:
        marks = _placeholders(len(record_ids))
        for table in _TEXT_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", list(record_ids))  # noqa: S608

    def clear_text(self, cursor: CursorWrapper) -> None:
        # Deleting row by row makes FTS5 read back every row's tokens; a new table is instant.
        cursor.execute("DROP TABLE search_fts")
        cursor.execute(CREATE_FTS)
        for field, table in FIELD_TABLES.items():
            cursor.execute(f"DROP TABLE {table}")
            cursor.execute(CREATE_FIELD.format(table=table, field=field))

    @contextlib.contextmanager
    def bulk_mode(self, cursor: CursorWrapper) -> Iterator[None]:
        # A larger page cache keeps the facet indexes in memory while they grow.
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")

    def optimize(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for table in _TEXT_TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608

    def match_sql(
        self,
        clauses: Sequence[Clause],
        phrase: Sequence[str] | None,
        prefix: bool = False,
        scored: bool = True,
        newest: int | None = None,
        facets: Sequence[tuple[str, str]] = (),
        conditions: tuple[str, list[Any]] | None = None,
        any_facets: Sequence[tuple[str, str]] = (),
    ) -> tuple[str, list[Any]]:
        fields = {c.field or "" for c in clauses}
        # Unranked and all one field with a table of its own: that table, no column filter.
        own = (
            FIELD_TABLES.get(fields.pop())
            if len(fields) == 1 and not (scored or facets or conditions or any_facets)
            else None
        )
        table = own or "search_fts"
        parts = [
            *(
                _clause(replace(c, field=None) if own else c, prefix and i == len(clauses) - 1)
                for i, c in enumerate(clauses)
            ),
            *(_quote([facet_token(name, value)]) for name, value in facets),
        ]
        if any_facets:
            parts.append("(" + " OR ".join(_quote([facet_token(*f)]) for f in any_facets) + ")")
        expression = " AND ".join(parts)
        score = f"-bm25(search_fts, {_WEIGHTS})" if scored else "0"
        params: list[Any] = []
        if phrase and scored:
            score += (
                " * (CASE WHEN rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
                " THEN 2 ELSE 1 END)"
            )
            params.append(_quote(phrase))
        params.append(expression)
        sql = f"SELECT rowid AS id, {score} AS score FROM {table} WHERE {table} MATCH %s"  # noqa: S608
        if conditions:
            # Checked on each match as FTS5 walks them, before it is scored: the newest
            # below are the newest that meet them.
            sql += (
                " AND EXISTS (SELECT 1 FROM search_document d "  # noqa: S608
                f"WHERE d.record_id = {table}.rowid AND {conditions[0]})"
            )
            params += conditions[1]
        if newest:  # FTS5 walks its matches by rowid, so this scores only `newest` rows
            sql += f" ORDER BY rowid DESC LIMIT {int(newest)}"
        return sql, params

    def top_sql(self, match: str, through: int) -> str:
        # Only the hits scoring at least the page's last score (ties included, so the order
        # is the same) look up their search_document row for the shelf tie-break: joining
        # every hit was a third of a ranked query at 1,000,000 records (10.4 -> 8.7 ms).
        return (
            f"WITH h AS MATERIALIZED ({match}) "  # noqa: S608
            "SELECT h.id, h.score FROM h JOIN search_document d ON d.record_id = h.id "
            "WHERE h.score >= coalesce((SELECT score FROM h ORDER BY score DESC "
            f"LIMIT 1 OFFSET {max(int(through), 1) - 1}), -1e308) "
            "ORDER BY h.score DESC, d.available DESC, h.id LIMIT %s OFFSET %s"
        )

    def spelling_candidates(self, word: str) -> list[tuple[str, int]]:
        from polka.search.models import SearchTerm

        # One typo leaves either the first two or the last two letters intact.
        rows = SearchTerm.objects.filter(
            length__gte=len(word) - 1, length__lte=len(word) + 1
        ).filter(head=word[:2]) | SearchTerm.objects.filter(
            length__gte=len(word) - 1, length__lte=len(word) + 1, tail=word[-2:]
        )
        return list(rows.values_list("term", "freq")[:2000])
