"""PostgreSQL full-text engine: a weighted tsvector column on search_document (migration 0002)
with a GIN index; words for "did you mean" come from a pg_trgm index on the vocabulary.

The tsvector holds the same Snowball stems as SQLite's FTS5 table (written as a tsvector
literal, the 'simple' way), so both engines match exactly the same records. It also holds the
record's facet values (every facet, the branches with a copy on the shelf too) as words
without positions, so that a facet filter is part of the match (the GIN index intersects it)
while ts_rank, given the text's query alone, never sees them: «piano» in Russian, no such
record, took 1,011 ms filtered through search_facet at 1,000,000 records.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from polka.search.backends.base import (
    DOCUMENT_COLUMNS,
    RANK_LIMIT,
    Prepared,
    SearchBackend,
    read_ahead,
)
from polka.search.documents import FACET_FIELDS, TEXT_FIELDS, Document, facet_token
from polka.search.query import Clause

_WEIGHT = {"title": "A", "authors": "B", "subjects": "C", "other": "D"}
# ts_rank weights in {D, C, B, A} order.
_RANK_WEIGHTS = "'{0.1, 0.3, 0.8, 1.0}'"
_MAX_POSITION = 16383
# The GIN indexes a rebuild fills (migration 0002).
_GIN_INDEXES = ["search_document_tsv", "search_term_trgm"]
# From this share of the documents up, a query's newest hits are read whole by walking the
# documents newest first, which meets them soon (10,000 of «jazz», 26%, after 38,000 rows).
# Below it the planner may sort every hit instead, which whole rows with their tsvectors
# turn into a sort on disk: only the keys are picked, and their rows read again. At
# 1,000,000 records: «jazz» 22-29 ms whole against 38-60 ms by the keys, «music» (13%) 37-64
# against 127-193.
_WALKED_SHARE = 0.08
# Every facet is a word of the tsvector, the branches with a copy on the shelf too (migration
# 0015): a loan that changes them rewrites the document anyway (circulation), and ts_rank,
# given the text's query alone and no length normalisation, never sees them. A branch
# filtered outside the match read every record on the shelf there: «jazz» in a branch holding
# a twentieth of the catalogue 316 ms at 1,000,000 records.
_TSV_FACETS = frozenset(FACET_FIELDS)
# The advisory lock a full rebuild takes exclusively and every single-record write shares.
_WRITER_LOCK = 0x706F6C6B61  # "polka"


def _lexeme(stem: str) -> str:
    if "'" in stem or "\\" in stem:
        stem = stem.replace("\\", "\\\\").replace("'", "''")
    return "'" + stem + "'"


@functools.cache
def _marks(weight: str) -> tuple[str, ...]:
    """`1A`, `2A`, … for every position of a field with this weight: a reindex writes
    millions of them, and looking one up costs less than formatting it."""
    return tuple(f"{position}{weight}" for position in range(_MAX_POSITION + 1))


def _tsvector(fields: Sequence[tuple[Sequence[str], str]]) -> str:
    """Stems with positions and weights, e.g. `'войн':3A 'толст':5B`, from (stems, weight)."""
    positions: dict[str, list[str]] = {}
    position = 1
    for stems, weight in fields:
        marks = _marks(weight)
        for stem in stems:
            mark = marks[min(position, _MAX_POSITION)]
            if stem in positions:
                positions[stem].append(mark)
            else:
                positions[stem] = [mark]
            position += 1
        position += 1  # a gap, so that a phrase never spans two fields
    return " ".join(
        [
            f"{_lexeme(stem)}:{','.join(marks[:256]) if len(marks) > 1 else marks[0]}"
            for stem, marks in positions.items()
        ]
    )


def tsvector_literal(document: Document) -> str:
    """The document's stems with positions and field weights, then its facet tokens."""
    text = _tsvector([(document.text[name], _WEIGHT[name]) for name in TEXT_FIELDS])
    return " ".join([text, *map(_lexeme, document.facet_tokens(_TSV_FACETS))]).strip()


def _foreign_keys(cursor: CursorWrapper) -> str:
    """The search tables' deferred foreign keys, as a SET CONSTRAINTS list ("" if none)."""
    cursor.execute(
        "SELECT quote_ident(conname) FROM pg_constraint WHERE contype = 'f' AND condeferred "
        "AND conrelid = ANY(CAST(%s AS regclass[])) ORDER BY 1",
        [["search_document", "search_facet"]],
    )
    return ", ".join(name for (name,) in cursor.fetchall())


def _variant(stems: Sequence[str], weight: str, prefix: bool) -> str:
    suffix = ":" + ("*" if prefix else "") + weight if (weight or prefix) else ""
    lexemes = [_lexeme(s) + suffix for s in stems]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def tsquery_text(clauses: Sequence[Clause], prefix: bool = False) -> str:
    parts = []
    for index, clause in enumerate(clauses):
        weight = _WEIGHT[clause.field] if clause.field else ""
        last = prefix and index == len(clauses) - 1
        variants = [_variant(v, weight, last) for v in clause.variants]
        parts.append(variants[0] if len(variants) == 1 else "(" + " | ".join(variants) + ")")
    return " & ".join(parts)


def _estimated_rows(
    queries: Sequence[str], conditions: tuple[str, list[Any]] | None = None
) -> tuple[list[float], float]:
    """The planner's estimates of the documents matching each of `queries` (tsqueries) and
    `conditions` (on the document `d`), and of all the documents, from its statistics of the
    tsvector's words and the columns. They decide only how a page is read, never which hits it
    shows."""
    where, values = conditions or ("1 = 1", [])
    branch = (
        f"SELECT 1 FROM search_document d WHERE tsv @@ CAST(%s AS tsquery) AND {where} UNION ALL "  # noqa: S608 - the backend's own conditions
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) {branch * len(queries)}SELECT 1 FROM search_document",  # noqa: S608
            [value for query in queries for value in (query, *values)],
        )
        (plan,) = cursor.fetchone()
    rows = [
        float(node["Plan Rows"])
        for node in (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plans"]
    ]
    return rows[:-1], rows[-1]


def _estimated_share(query: str, conditions: tuple[str, list[Any]] | None = None) -> float:
    """The planner's estimate of the share of documents matching `query` and `conditions`;
    0 for an empty table."""
    (matched,), everything = _estimated_rows([query], conditions)
    return matched / everything if everything else 0.0


class PostgresBackend(SearchBackend):
    name = "postgresql-fts"
    matched_facets = _TSV_FACETS
    # Fewer, larger COPYs: each one is a round trip and a wait for the server to finish it.
    rebuild_batch = 5_000
    # A second read of every hit visits each one's heap page again; ts_rank on a long list's
    # sample of 1,001 costs less. The bench's 500 queries at 1,000,000 records, in process,
    # alternately: 45.3 / 50.5 -> 43.2 / 45.6 ms a search (SQLite: 28-32 -> 36, bm25 on
    # the sample costing more than the read it saves there).
    ranks_from_sample = True
    # The count to RANK_LIMIT + 1 before the ranking visited every hit's heap page that the
    # ranking then visited again: 14-39 ms of a long list's 30-94 at 1,000,000 records, where
    # counting the ranked ids costs 2-4 ms (counted_top_sql).
    counts_while_ranking = True
    long_from = RANK_LIMIT

    # The tsvector goes in with the document row: one write per document instead of two.
    document_columns = (*SearchBackend.document_columns, "tsv")

    def document_row(self, document: Document) -> tuple[Any, ...]:
        return (*super().document_row(document), tsvector_literal(document))

    def write_rows(
        self,
        cursor: CursorWrapper,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        # COPY streams the rows in one statement; the server parses the tsvector literals.
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def write_text(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None:
        """The tsvector was written with the document row (document_row)."""

    def writer_lock(self, cursor: CursorWrapper, *, rebuild: bool) -> None:
        # Held to the end of the transaction: a record saved while a rebuild runs waits for it,
        # then replaces the rebuild's document of itself instead of adding a second one.
        shared = "" if rebuild else "_shared"
        cursor.execute(f"SELECT pg_advisory_xact_lock{shared}(%s)", [_WRITER_LOCK])

    @contextlib.contextmanager
    def bulk_mode(self, cursor: CursorWrapper) -> Iterator[None]:
        # A rebuild's record references are checked as each COPY ends, while the next batch
        # is being prepared, instead of all at commit with nothing else to do meanwhile.
        keys = _foreign_keys(cursor)
        if keys:
            cursor.execute(f"SET CONSTRAINTS {keys} IMMEDIATE")
        yield
        if keys:
            cursor.execute(f"SET CONSTRAINTS {keys} DEFERRED")
        # New GIN entries wait in the index's pending list, which every search reads through
        # until it is merged (a 100k-record rebuild left searches 5 times slower at p50):
        # merge it before the rebuild commits. Only an index's owner may.
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.oid IN "
            "(SELECT to_regclass(name) FROM unnest(CAST(%s AS text[])) AS name) "
            "AND pg_has_role(c.relowner, 'USAGE')",
            [_GIN_INDEXES],
        )

    def prepared(self, batches: Iterable[Sequence[int]], committed: bool) -> Iterator[Prepared]:
        # The analysis of the next batches (Python) runs while the server takes this one's
        # COPY: most of a reindex is one of the two waiting for the other otherwise.
        batches_prepared = super().prepared(batches, committed)
        return read_ahead(batches_prepared) if committed else batches_prepared

    def content_write(
        self, cursor: CursorWrapper, doc_id: int, title: Sequence[str], body: Sequence[str]
    ) -> None:
        cursor.execute(
            "UPDATE search_content SET tsv = CAST(%s AS tsvector) WHERE id = %s",
            [_tsvector([(title, "A"), (body, "D")]), doc_id],
        )

    def content_delete(self, cursor: CursorWrapper, doc_ids: Sequence[int]) -> None:
        """The text lives in the content row, which the caller deletes."""

    def content_match_sql(self, clauses: Sequence[Clause]) -> tuple[str, list[Any]]:
        query = tsquery_text([replace(c, field=None) for c in clauses])
        return (
            f"SELECT id, ts_rank({_RANK_WEIGHTS}, tsv, CAST(%s AS tsquery)) AS score "  # noqa: S608
            "FROM search_content WHERE tsv @@ CAST(%s AS tsquery)",
            [query, query],
        )

    def delete_text(self, cursor: CursorWrapper, record_ids: Sequence[int]) -> None:
        """The text lives in the document row, which the shared code deletes."""

    def clear_text(self, cursor: CursorWrapper) -> None:
        """As delete_text: nothing of its own to clear."""

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
        query = tsquery_text(clauses, prefix)
        score, params = "0", list[Any]()
        if scored:
            score = f"ts_rank({_RANK_WEIGHTS}, tsv, CAST(%s AS tsquery))"
            params.append(query)
        if phrase and scored:
            score += " * (CASE WHEN tsv @@ CAST(%s AS tsquery) THEN 2 ELSE 1 END)"
            params.append(_variant(phrase, "", False))
        # The facets are matched, never ranked: ts_rank above has the text's query alone.
        parts = [query, *(_lexeme(facet_token(*f)) for f in facets)]
        if any_facets:
            parts.append("(" + " | ".join(_lexeme(facet_token(*f)) for f in any_facets) + ")")
        matched = " & ".join(filter(None, parts))
        params.append(matched)
        source = "search_document d WHERE tsv @@ CAST(%s AS tsquery)"
        if conditions:  # inside the pick of the newest: the newest hits that meet them
            source += f" AND {conditions[0]}"
            params += conditions[1]
        if newest and _estimated_share(matched, conditions) >= _WALKED_SHARE:
            # A common word: the walk newest first reads each of its newest hits once.
            source = (
                f"(SELECT tsv, {DOCUMENT_COLUMNS} FROM {source} "  # noqa: S608
                f"ORDER BY record_id DESC LIMIT {int(newest)}) AS newest"
            )
        elif newest:
            # Rank only the newest matches: their keys are picked first and only their rows
            # read again. Picking whole rows sorted every hit with its tsvector («jazz
            # ensemble», 127,413 hits at 1,000,000 records: a 58 MB sort on disk, 260-340 ms
            # a query; by the keys 160-190 ms).
            columns = ", ".join(f"d.{c}" for c in DOCUMENT_COLUMNS.split(", "))
            source = (
                f"(SELECT d.tsv, {columns} FROM (SELECT record_id FROM {source} "  # noqa: S608
                f"ORDER BY record_id DESC LIMIT {int(newest)}) n "
                "JOIN search_document d ON d.record_id = n.record_id) AS newest"
            )
        # The match reads search_document itself: its sort and filter columns come along
        # (hits_sql), where a join back to the table made PostgreSQL hash all of it.
        sql = f"SELECT record_id AS id, {score} AS score, {DOCUMENT_COLUMNS} FROM {source}"  # noqa: S608
        return sql, params

    def estimated_hits(
        self, clauses: Sequence[Clause], facets: Sequence[tuple[str, str]]
    ) -> float | None:
        # The fewest of the parts' own matches: an AND has no more hits than any of its
        # parts. The planner's estimate of the AND itself multiplies the parts' shares, which
        # undercounts words that go together: 31 of the bench's 78 queries with more than
        # 10,000 hits were estimated at fewer («saxophone jazz ensemble»: 904), none so.
        parts = [tsquery_text([clause]) for clause in clauses]
        parts += [_lexeme(facet_token(*facet)) for facet in facets]
        return min(_estimated_rows(parts)[0]) if parts else None

    def hits_sql(self, match: str, conditions: str) -> str:
        # No join: a hit's row of search_document is the match's own row (match_sql). Joined
        # back by record_id, a query with thousands of hits read and hashed the whole table
        # (334 ms for «ensemble» on 1,000,000 records).
        return (
            "SELECT d.id, d.score, d.available, d.year, d.title_sort, d.facet_list "  # noqa: S608
            f"FROM ({match}) d "
            f"WHERE {conditions}"
        )

    def spelling_candidates(self, word: str) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            # Short words with one typo share few trigrams: a lower threshold than the default.
            cursor.execute("SELECT set_limit(0.2)")
            cursor.execute(
                "SELECT term, freq FROM search_term WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC LIMIT 200",
                [word, word],
            )
            return [(term, int(freq)) for term, freq in cursor.fetchall()]
