"""The one search interface: index records, remove them, query with filters, facets, sort and
paging. Engines (sqlite.py, postgresql.py) supply only their text index and its SQL; the
document, facet and vocabulary tables and the query flow are shared here in portable SQL.
"""

from __future__ import annotations

import contextlib
import heapq
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from queue import Empty, Queue
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from polka.search.analysis import (
    edit_distance,
    name_key,
    script_of,
    stem,
    transliterate_variants,
)
from polka.search.documents import (
    FACET_FIELDS,
    FACET_SEPARATOR,
    FIELD_SEPARATOR,
    TABLE_FACETS,
    Document,
    build_documents,
    facet_pairs,
)
from polka.search.models import SearchTerm
from polka.search.query import (
    Clause,
    ParsedQuery,
    parse_query,
    respelling_words,
    with_respellings,
    with_words,
)

SORTS = ("relevance", "newest", "title")
BATCH = 1000
# Above this many hits facets are counted on the first FACET_SAMPLE and scaled (shown "≈").
# On the 1,000,000-record bench, against exact counts over 200 queries: the top five values of
# a facet were the same 96.1% of the time (97.3% with 3,000), counts off by 3.4% at p90 (1.9%),
# for 4.0 ms of facets a query instead of 9.0.
FACET_SAMPLE = 1_000
RANK_LIMIT = 10_000
# A closed range of years over at most this many decades is also matched as "one of these
# decades" (SearchBackend.matches_decades): the index intersects the words with them before any
# hit is read or scored. A wider range's decades hold most of the catalogue.
DECADES_MATCHED = 4
# A document's columns that filters, sort orders and facet counts read (on `d`).
DOCUMENT_COLUMNS = "record_id, available, year, title_sort, facet_list"
# Cyrillic spellings of a Latin word tried for "did you mean".
_RESPELLINGS = 3
_FACET_COLUMNS = ("record_id", "field", "value")
_TERM_COLUMNS = ("term", "stem", "length", "head", "tail", "freq")


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    # Facet field → values a hit must all have (author, subject, language, decade, material,
    # branch with a copy on the shelf, age, ebook).
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    facet_limit: int = 10
    # False: hits are counted only up to RANK_LIMIT, the most a reader can page through; above
    # it the total is "more than RANK_LIMIT" (SearchResults.total_more). Counting every hit of
    # «jazz» (261,473 of 1,000,000 records) took PostgreSQL 130-190 ms, its first 10,001 30 ms.
    exact_total: bool = True


@dataclass(frozen=True)
class SearchHit:
    record_id: int
    score: float


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]]
    page: int
    per_page: int
    # The query the hits are for when it is not what was typed (layout, alphabet, typo fixed).
    query_used: str | None = None
    # "Did you mean": a corrected spelling of what was typed.
    suggestion: str | None = None
    # Facet counts are estimates from a sample of the hits (very large result lists).
    facets_sampled: bool = False
    # Relevance was computed for the newest `ranked_limit` hits only (a huge unfiltered list).
    ranked_limit: int | None = None
    # There are more hits than `total` (SearchRequest.exact_total off): the facet counts are
    # then per cent of the sampled hits, not numbers of hits.
    total_more: bool = False


def chunked(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Prepared:
    """A batch of records ready to write: their documents and the rows they become."""

    record_ids: Sequence[int]
    documents: list[Document]
    document_rows: list[tuple[Any, ...]]
    facet_rows: list[tuple[int, str, str]]


_Item = TypeVar("_Item")


def read_ahead(items: Iterator[_Item], depth: int = 2) -> Iterator[_Item]:
    """`items`, produced up to `depth` ahead by a thread with its own database connection
    (Django's are per thread), which it closes when done."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                queue.put((False, item))
            queue.put((True, None))
        except BaseException as error:  # handed to the consumer, which raises it
            queue.put((True, error))
        finally:
            connection.close()

    producer = threading.Thread(target=produce, name="search-read-ahead", daemon=True)
    producer.start()
    try:
        while True:
            done, item = queue.get()
            if isinstance(item, BaseException):
                raise item
            if done:
                return
            yield item
    finally:
        stop.set()
        while producer.is_alive():  # a producer blocked on a full queue needs room to stop
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)
        producer.join()


def _facet_filters(request: SearchRequest) -> list[tuple[str, str]]:
    """(facet, value) for every value a hit must have."""
    return [
        (name, value)
        for name, values in request.filters.items()
        if name in FACET_FIELDS
        for value in values
    ]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


class SearchBackend(ABC):
    name: str = ""
    # Facets whose filters go into the text match (match_sql's `facets`), where the engine
    # intersects its own lists of records, instead of a condition on every hit.
    matched_facets: frozenset[str] = frozenset()
    # Records per batch of a full rebuild.
    rebuild_batch: int = BATCH
    # Whether the facet sample scores its hits, so that a hit list shorter than the sample is
    # ranked from it instead of read again (_run). Engines where scoring the sample of a long
    # list costs more than the second read saves keep it off.
    ranks_from_sample: bool = False
    # Whether a list longer than the facet sample is counted (up to RANK_LIMIT) by the
    # statement that ranks its page (counted_top_sql) instead of by a count before it. On
    # engines whose count reads every hit again (PostgreSQL visits each one's heap page).
    counts_while_ranking: bool = False
    # From how many hits up a list sorted newest first finds its page's decade first
    # (_pages_last_decade): each decade counted intersects the words' lists in the index
    # again, which costs FTS5 0.1-1.2 ms and PostgreSQL's GIN 1-5 ms, against reading the
    # year of every hit («jazz histoire», 1,330 hits: 35 -> 60 ms on PostgreSQL).
    long_from: int = FACET_SAMPLE
    # Whether a closed range of a few decades is matched as those decades too (_decades):
    # for an engine whose match cannot meet the year index. PostgreSQL's planner intersects
    # the text and the year indexes itself, and the decades there only misled its estimates
    # («jazz» in the 1990s 68 -> 90 ms).
    matches_decades: bool = False

    # --- the text index: what each engine provides ------------------------------------------

    @abstractmethod
    def write_text(self, cursor: CursorWrapper, documents: Sequence[Document]) -> None:
        """Add the documents' text to the engine's index (their old text is already gone)."""

    @abstractmethod
    def delete_text(self, cursor: CursorWrapper, record_ids: Sequence[int]) -> None: ...

    # --- other texts (polka.search.content): one row per object, title and body ------------

    @abstractmethod
    def content_write(
        self, cursor: CursorWrapper, doc_id: int, title: Sequence[str], body: Sequence[str]
    ) -> None:
        """Replace the stems of content document `doc_id`."""

    @abstractmethod
    def content_delete(self, cursor: CursorWrapper, doc_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def content_match_sql(self, clauses: Sequence[Clause]) -> tuple[str, list[Any]]:
        """SQL selecting (id, score) of content documents matching every clause (any field)."""

    @abstractmethod
    def clear_text(self, cursor: CursorWrapper) -> None: ...

    @abstractmethod
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
        """SQL selecting (id, score) of records matching every clause, higher score better
        (score 0 when not `scored`); a record that also has `phrase` (stems in order) scores
        higher; with `prefix` the last clause matches as a word prefix (suggestions); with
        `facets` (of `matched_facets`), only records with every (facet, value), and with
        `any_facets`, only records with at least one of those; with
        `conditions` (SQL on the record's search_document row `d`, and its parameters), only
        records that meet them; with `newest`, only that many of all those with the highest
        record ids."""

    @abstractmethod
    def spelling_candidates(self, word: str) -> list[tuple[str, int]]:
        """Vocabulary words (with frequency) that may be `word` with one typo."""

    def optimize(self) -> None:  # noqa: B027 - an optional hook, not an abstract one
        """Tidy the index after a bulk rebuild (engines that benefit override this)."""

    # --- writing -----------------------------------------------------------------------------

    def index(self, record_ids: Iterable[int]) -> None:
        ids = sorted(set(record_ids))
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            self.writer_lock(cursor, rebuild=False)
            for chunk in chunked(ids, BATCH):
                self._delete(cursor, chunk)
                self.write_documents(cursor, self.prepare(chunk))

    def remove(self, record_ids: Iterable[int]) -> None:
        ids = sorted(set(record_ids))
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            self.writer_lock(cursor, rebuild=False)
            for chunk in chunked(ids, BATCH):
                self._delete(cursor, chunk)

    def writer_lock(self, cursor: CursorWrapper, *, rebuild: bool) -> None:  # noqa: B027
        """Make a full rebuild and the writers of single records wait for each other until
        the end of their transactions. Nothing to do where the database lets one writer in at a
        time (SQLite); engines whose writers run side by side override this: a record saved
        during a rebuild would otherwise find the rebuild's rows only after deleting its own
        old ones, and then add a second document for itself."""

    def clear(self) -> None:
        with connection.cursor() as cursor:
            self.clear_text(cursor)
            for table in ("search_facet", "search_document", "search_term"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def _delete(self, cursor: CursorWrapper, ids: Sequence[int]) -> None:
        self.delete_text(cursor, ids)
        marks = _placeholders(len(ids))
        cursor.execute(f"DELETE FROM search_facet WHERE record_id IN ({marks})", list(ids))  # noqa: S608
        cursor.execute(f"DELETE FROM search_document WHERE record_id IN ({marks})", list(ids))  # noqa: S608

    # The columns of search_document every engine fills; engines add their own (document_row).
    document_columns: tuple[str, ...] = (
        "record_id",
        "title_sort",
        "year",
        "available",
        "facet_list",
    )

    def document_row(self, document: Document) -> tuple[Any, ...]:
        return (
            document.record_id,
            document.title_sort,
            document.year,
            document.available,
            document.facet_list(),
        )

    def write_rows(
        self,
        cursor: CursorWrapper,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """Append rows to one of the search tables (engines may have a faster way)."""
        if rows:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed names
                f"VALUES ({_placeholders(len(columns))})",
                rows,
            )

    def prepare(self, record_ids: Sequence[int]) -> Prepared:
        documents = build_documents(record_ids)
        return Prepared(
            record_ids,
            documents,
            list(map(self.document_row, documents)),
            [
                (d.record_id, name, value)
                for d in documents
                for name, value in d.facets
                if name in TABLE_FACETS
            ],
        )

    def prepared(self, batches: Iterable[Sequence[int]], committed: bool) -> Iterator[Prepared]:
        """Every batch prepared; when every record is `committed`, an engine may prepare the
        next batches on another connection while this one writes."""
        return map(self.prepare, batches)

    def write_documents(
        self,
        cursor: CursorWrapper,
        batch: Prepared,
        vocabulary: dict[str, list[Any]] | None = None,
    ) -> None:
        """Write the documents; their words go into `vocabulary` when given (a rebuild writes
        the vocabulary once at the end), else straight into search_term."""
        documents = batch.documents
        if not documents:
            return
        self.write_rows(cursor, "search_document", self.document_columns, batch.document_rows)
        self.write_rows(cursor, "search_facet", _FACET_COLUMNS, batch.facet_rows)
        words = {} if vocabulary is None else vocabulary
        for document in documents:
            for word, stemmed in document.words.items():
                if word in words:
                    words[word][-1] += 1
                elif len(word) <= 100:
                    words[word] = [word, stemmed, len(word), word[:2], word[-2:], 1]
        if vocabulary is None:
            self._write_vocabulary(cursor, words)
        self.write_text(cursor, documents)

    def _write_vocabulary(self, cursor: CursorWrapper, words: dict[str, list[Any]]) -> None:
        cursor.executemany(
            f"INSERT INTO search_term ({', '.join(_TERM_COLUMNS)}) "  # noqa: S608 - fixed names
            f"VALUES ({_placeholders(len(_TERM_COLUMNS))}) "
            "ON CONFLICT (term) DO UPDATE SET freq = search_term.freq + excluded.freq",
            list(words.values()),
        )

    def rebuild(
        self,
        batches: Iterable[Sequence[int]],
        progress: Callable[[int], None] | None = None,
        *,
        committed: bool = False,
    ) -> int:
        """Empty the index and add every batch of records (call inside a transaction);
        `committed`: the transaction has changed no record, so others may read them."""
        with connection.cursor() as cursor:
            self.writer_lock(cursor, rebuild=True)
        self.clear()
        count = 0
        vocabulary: dict[str, list[Any]] = {}
        with connection.cursor() as cursor, self.bulk_mode(cursor):
            for batch in self.prepared(batches, committed):
                self.write_documents(cursor, batch, vocabulary)
                count += len(batch.record_ids)
                if progress:
                    progress(len(batch.record_ids))
            # clear() emptied search_term: the words need no merging with older ones.
            self.write_rows(cursor, "search_term", _TERM_COLUMNS, list(vocabulary.values()))
        return count

    @contextlib.contextmanager
    def bulk_mode(self, cursor: CursorWrapper) -> Iterator[None]:
        """Engine settings for writing many documents at once (none by default)."""
        yield

    # --- reading -----------------------------------------------------------------------------

    def query(self, request: SearchRequest) -> SearchResults:
        parsed = parse_query(request.text)
        request = replace(
            request,
            year_from=request.year_from or parsed.year_from,
            year_to=request.year_to or parsed.year_to,
        )
        results = self._run(parsed, request)
        respellable = [c for c in parsed.active_clauses() if not c.literal]
        if results.total or not respellable:
            return results
        # Nothing found: the reader may have typed in the wrong layout or in Latin letters.
        respelled = self._run(with_respellings(parsed), request)
        if respelled.total:
            respelled.query_used = self._describe_respelling(parsed)
            return respelled
        corrections = self._corrections(parsed)
        if corrections:
            corrected = with_words(parsed, corrections)
            fixed = self._run(corrected, request)
            fixed.suggestion = corrected.text()
            if fixed.total:
                fixed.query_used = fixed.suggestion
                return fixed
            results.suggestion = fixed.suggestion
        return results

    def suggest(self, text: str, limit: int = 8) -> list[int]:
        """Record ids for suggestions as you type: the last word counts as a prefix."""
        clauses = parse_query(text).active_clauses()
        if not clauses or not clauses[-1].words or len(clauses[-1].words[-1]) < 2:
            return []
        match, params = self.match_sql(clauses, None, prefix=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM ({self.hits_sql(match, '1 = 1')}) x "  # noqa: S608
                "ORDER BY score DESC, available DESC, id LIMIT %s",
                [*params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def _hits_sql(
        self,
        parsed: ParsedQuery,
        request: SearchRequest,
        *,
        scored: bool,
        newest: int | None = None,
        counting: bool = False,
    ) -> tuple[str, list[Any]]:
        """SQL for (id, score, available, year, title_sort) of every hit, or of the `newest`
        hits only; for `counting`, only (id, 0) when the match alone decides: relevance and
        sort keys would be wasted work there."""
        if parsed.active_clauses() or self._facets(request, matched=True) or self._decades(request):
            match, params = self._match(parsed, request, scored=scored, newest=newest)
        else:
            match, params = (
                f"SELECT record_id AS id, 0 AS score, {DOCUMENT_COLUMNS} FROM search_document",  # noqa: S608
                [],
            )
        if counting and not self._filtered_outside(request):
            return match, params
        conditions, condition_params = self._conditions(
            request, self._facets(request, matched=False)
        )
        return self.hits_sql(match, conditions), params + condition_params

    def _facets(self, request: SearchRequest, *, matched: bool) -> list[tuple[str, str]]:
        """The facet filters the match carries (`matched`; without words the match is these
        alone), or the others."""
        return [(n, v) for n, v in _facet_filters(request) if (n in self.matched_facets) == matched]

    def _decades(self, request: SearchRequest) -> list[tuple[str, str]]:
        """The decades of the request's years, when they are closed and few and the match
        carries decades: matched as one of them, so that the words' hits in other decades are
        never read. The years themselves are still checked on each hit (_conditions)."""
        if not (self.matches_decades and request.year_from and request.year_to):
            return []
        first, last = request.year_from // 10 * 10, request.year_to // 10 * 10
        if not first <= last < first + DECADES_MATCHED * 10:
            return []
        return [("decade", str(decade)) for decade in range(first, last + 1, 10)]

    def _filtered_outside(self, request: SearchRequest) -> bool:
        """Whether a hit must meet conditions outside the match: years, or facets the
        match does not carry."""
        return bool(request.year_from or request.year_to or self._facets(request, matched=False))

    def _match(
        self,
        parsed: ParsedQuery,
        request: SearchRequest,
        *,
        scored: bool,
        newest: int | None,
        filtered: bool = False,
    ) -> tuple[str, list[Any]]:
        """The match of the query's words and the facets it carries; `filtered`: of the
        request's other conditions too (years, facets outside the match), so that `newest`
        picks the newest hits that meet them."""
        clauses = parsed.active_clauses()
        plain = [c for c in clauses if not (c.field or c.phrase or c.literal)]
        phrase = [c.variants[0][0] for c in plain] if scored and len(plain) > 1 else None
        facets = self._facets(request, matched=True)
        scored = scored and bool(clauses)  # facets alone: every hit scores 0
        conditions = None
        if filtered and self._filtered_outside(request):
            conditions = self._conditions(request, self._facets(request, matched=False))
        return self.match_sql(
            clauses,
            phrase,
            scored=scored,
            newest=newest,
            facets=facets,
            conditions=conditions,
            any_facets=self._decades(request),
        )

    def top_sql(self, match: str, through: int) -> str:
        """(id, score) of a page of the matches of `match` by relevance (the match meets every
        condition itself: _match(filtered)): the statement takes the match's parameters, then
        LIMIT and OFFSET; `through` is the page's last position (OFFSET + LIMIT)."""
        return (
            f"SELECT id, score FROM ({self.hits_sql(match, '1 = 1')}) x "  # noqa: S608
            "ORDER BY score DESC, available DESC, id LIMIT %s OFFSET %s"
        )

    def counted_top_sql(self, match: str, most: int) -> str:
        """top_sql that counts too: (id, score, picked) of a page of the first `most` + 1
        matches of `match` ranked, `picked` being how many were read (`most` + 1: there are
        more). Of `most` + 1 the oldest (the lowest id) is left out, so that a match of the
        newest `most` + 1 ranks exactly the newest `most`. The read is fenced (OFFSET 0), so
        that only ids and scores are kept for the count, not the rows they were scored from."""
        return (
            "SELECT id, score, picked FROM (SELECT id, score, available, "  # noqa: S608
            "count(*) OVER () AS picked, min(id) OVER () AS oldest FROM "
            f"(SELECT id, score, available FROM ({self.hits_sql(match, '1 = 1')}) h "
            f"LIMIT {int(most) + 1} OFFSET 0) h) w WHERE picked <= {int(most)} OR id > oldest "
            "ORDER BY score DESC, available DESC, id LIMIT %s OFFSET %s"
        )

    def estimated_hits(
        self, clauses: Sequence[Clause], facets: Sequence[tuple[str, str]]
    ) -> float | None:
        """The engine's estimate of how many documents match (None: it has none). It decides
        only how a page is read, never which hits it shows."""
        return None

    def hits_sql(self, match: str, conditions: str) -> str:
        """(id, score, available, year, title_sort, facet_list) of the matches of `match`
        (match_sql's SQL) that meet `conditions` (on `d`, the hit's search_document row)."""
        return (
            "SELECT h.id, h.score, d.available, d.year, d.title_sort, d.facet_list "  # noqa: S608
            f"FROM ({match}) h "
            f"JOIN search_document d ON d.record_id = h.id WHERE {conditions}"
        )

    def _run(self, parsed: ParsedQuery, request: SearchRequest) -> SearchResults:
        page = max(request.page, 1)
        # Scoring every hit of a query that matches a large share of the catalogue is the
        # slowest part of search: only the newest RANK_LIMIT are ranked, of the hits that
        # meet the years and facets too (the ranking's match carries them: _match(filtered)).
        plain_relevance = request.sort == "relevance" and bool(parsed.active_clauses())
        sample_scored = plain_relevance and self.ranks_from_sample
        limits = [request.per_page, (page - 1) * request.per_page]
        with connection.cursor() as cursor:
            # The hits with their search_document rows: their facet_list is counted, and
            # when every hit is read so, scored, their scores order the page.
            sample = self._sample(
                cursor, lambda: self._hits_sql(parsed, request, scored=sample_scored), request
            )
            # Every hit read (most queries have fewer than FACET_SAMPLE): they are the total.
            every_hit = (
                [row[1:] for row in sample]
                if sample is not None and len(sample) <= FACET_SAMPLE
                else None
            )
            rows: Sequence[Sequence[Any]] | None = None
            if every_hit is not None:
                total, more = len(every_hit), False
            elif plain_relevance and self.counts_while_ranking and not request.exact_total:
                rows, total, more = self._counted_page(cursor, parsed, request, limits)
            else:
                total, more = self._total(cursor, parsed, request)
            facets, sampled = self._facet_counts(sample or [], total, more, request)
            bounded = plain_relevance and (more or total > RANK_LIMIT)
            newest = RANK_LIMIT if bounded else None
            if rows is not None:
                pass  # ranked while counted
            elif sample_scored and every_hit is not None and not bounded:
                # Every hit was read and scored with the facets: ordered here as top_sql
                # orders them, instead of reading them again.
                every_hit.sort(key=lambda hit: (-hit[1], -hit[2], hit[0]))
                rows = every_hit[limits[1] : limits[1] + limits[0]]
            elif plain_relevance and (bounded or not self._filtered_outside(request)):
                # Filtered but within the bound, the hits are read with their conditions
                # outside the match (below): inside it, SQLite looked up the row of every
                # match of the words, 92 -> 150 ms for «jazz» from 2005 (266 of 261,473).
                match, match_params = self._match(
                    parsed, request, scored=True, newest=newest, filtered=True
                )
                cursor.execute(self.top_sql(match, sum(limits)), [*match_params, *limits])
                rows = cursor.fetchall()
            else:
                ordered = request
                if request.sort == "newest" and (more or total >= sum(limits)):
                    ordered = self._from_the_pages_last_year(
                        cursor, parsed, request, sum(limits), long=more or total > self.long_from
                    )
                hits_sql, hits_params = self._hits_sql(
                    parsed, ordered, scored=request.sort != "title", newest=newest
                )
                order = {
                    "newest": "year DESC NULLS LAST, score DESC, id",
                    "title": "title_sort, id",
                }.get(request.sort, "score DESC, available DESC, id")
                cursor.execute(
                    f"SELECT id, score FROM ({hits_sql}) x ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608
                    [*hits_params, *limits],
                )
                rows = cursor.fetchall()
            hits = [SearchHit(int(row[0]), float(row[1])) for row in rows]
        return SearchResults(
            hits,
            total,
            facets,
            page,
            request.per_page,
            facets_sampled=sampled,
            ranked_limit=RANK_LIMIT if bounded else None,
            total_more=more,
        )

    def _counted_page(
        self,
        cursor: CursorWrapper,
        parsed: ParsedQuery,
        request: SearchRequest,
        limits: Sequence[int],
    ) -> tuple[list[tuple[Any, ...]] | None, int, bool]:
        """A plain relevance page ranked and its hits counted (up to RANK_LIMIT, as
        SearchRequest.exact_total off counts them) by one statement (counted_top_sql), for a
        list longer than the facet sample: of the newest RANK_LIMIT + 1 hits when the engine
        expects more than RANK_LIMIT, else of any RANK_LIMIT + 1. Returns (rows, total, more);
        the rows are None when they must be ranked again: more hits than expected, so the ones
        ranked were not the newest."""
        expected = self.estimated_hits(parsed.active_clauses(), self._facets(request, matched=True))
        newest = RANK_LIMIT + 1 if expected is not None and expected > RANK_LIMIT else None
        match, params = self._match(parsed, request, scored=True, newest=newest, filtered=True)
        cursor.execute(self.counted_top_sql(match, RANK_LIMIT), [*params, *limits])
        found = cursor.fetchall()
        if not found:  # a page past the last hit: nothing was read to count
            total, more = self._total(cursor, parsed, request)
            return [], total, more
        picked = int(found[0][2])
        more = picked > RANK_LIMIT
        rows = None if more and newest is None else [row[:2] for row in found]
        return rows, min(picked, RANK_LIMIT), more

    def _from_the_pages_last_year(
        self,
        cursor: CursorWrapper,
        parsed: ParsedQuery,
        request: SearchRequest,
        through: int,
        *,
        long: bool = False,
    ) -> SearchRequest:
        """The request narrowed to the years from that of the page's last hit (newest first)
        up: the same page, as every hit before it or tied with it is in those years, but only
        their hits scored. Relevance only orders the hits of one year among themselves, and
        scoring all 261,473 hits of "jazz" at 1,000,000 records to do so took 280 ms on SQLite;
        the year of the `through`-th hit, unscored, takes 50. For a `long` list its decade is
        found first (_pages_last_decade), and only that decade's hits are sorted by year."""
        decade = self._pages_last_decade(cursor, parsed, request, through) if long else None
        if decade == ():
            return request  # the page reaches the undated hits, or its end
        read, newest_year = request, request.year_to
        if decade:
            read, through, newest_year = decade
        sql, params = self._hits_sql(parsed, read, scored=False)
        cursor.execute(
            f"SELECT year FROM ({sql}) x ORDER BY year DESC NULLS LAST LIMIT 1 OFFSET %s",  # noqa: S608
            [*params, through - 1],
        )
        row = cursor.fetchone()
        if row is None or row[0] is None:  # the page reaches the undated hits, or its end
            return request
        # Closed by the newest year when it is known, which leaves no hit out: the few
        # decades between are then matched too (_decades).
        return replace(
            request, year_from=max(request.year_from or 0, int(row[0])), year_to=newest_year
        )

    def _pages_last_decade(
        self, cursor: CursorWrapper, parsed: ParsedQuery, request: SearchRequest, through: int
    ) -> tuple[SearchRequest, int, int] | tuple[()] | None:
        """The request narrowed to the decade of its `through`-th hit newest first, that hit's
        place among the decade's hits, and the newest year of any hit; () when fewer than
        `through` hits have a year; None when the engine's match carries no decades. The
        decades are counted newest first, each up to the hits still wanted: the words' list
        intersected with the decade's in the index, no row read beyond those counted. «jazz»
        at 1,000,000 records: three decades in 2.8 ms on SQLite and 6 on PostgreSQL, against
        49 and 71 ms for the year of its 20th hit among all 261,473."""
        if "decade" not in self.matched_facets:
            return None
        # Two subqueries: SQLite reads a lone min() or max() off the index, not both at once.
        cursor.execute(
            "SELECT (SELECT min(year) FROM search_document), "
            "(SELECT max(year) FROM search_document)"
        )
        low, high = cursor.fetchone()
        if high is None:
            return ()
        high = min(high, request.year_to or high)
        low = max(low, request.year_from or low)
        chosen = [int(value) for value in request.filters.get("decade", []) if value.isdigit()]
        if chosen:  # the reader's own decades: no other one can hold a hit
            high, low = min(high, max(chosen) + 9), max(low, min(chosen))
        seen = 0
        for decade in range(high // 10 * 10, low // 10 * 10 - 1, -10):
            # A hit has one decade: added to the request's own (if any), the lists intersect.
            decades = [*request.filters.get("decade", []), str(decade)]
            probe = replace(request, filters={**request.filters, "decade": decades})
            sql, params = self._hits_sql(parsed, probe, scored=False, counting=True)
            cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT %s) x", [*params, through - seen])  # noqa: S608
            found = int(cursor.fetchone()[0])
            if seen + found >= through:
                return probe, through - seen, high
            seen += found
        return ()

    def _conditions(
        self, request: SearchRequest, facets: Sequence[tuple[str, str]]
    ) -> tuple[str, list[Any]]:
        """Conditions on a hit's search_document row `d`: the years, and the `facets` the
        match does not carry."""
        conditions: list[str] = ["1 = 1"]
        params: list[Any] = []
        if request.year_from:
            conditions.append("d.year >= %s")
            params.append(request.year_from)
        if request.year_to:
            conditions.append("d.year <= %s")
            params.append(request.year_to)
        for name, value in facets:
            # Looked up hit by hit (SQLite's branches): as `IN (SELECT ...)` each statement
            # first gathered every record on the shelf there, 333,000 for a branch holding a
            # third of 1,000,000 records (16 branch searches: 2.6 -> 1.2 s in all, though
            # a common word in a small branch pays more: «jazz» 193 -> 312 ms).
            conditions.append(
                "EXISTS (SELECT 1 FROM search_facet f WHERE f.record_id = d.record_id "
                "AND f.field = %s AND f.value = %s)"
            )
            params += [name, value]
        return " AND ".join(conditions), params

    def _sample(
        self,
        cursor: CursorWrapper,
        documents: Callable[[], tuple[str, list[Any]]],
        request: SearchRequest,
    ) -> list[tuple[Any, ...]] | None:
        """(facet_list, id, score, available) of the first FACET_SAMPLE + 1 hits (`documents`:
        SQL of the hits with their facet_list), for the facets (None when none are asked)."""
        if not request.facets:
            return None
        hits_sql, params = documents()
        cursor.execute(
            f"SELECT facet_list, id, score, available FROM ({hits_sql}) x LIMIT %s",  # noqa: S608
            [*params, FACET_SAMPLE + 1],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows

    def _total(
        self, cursor: CursorWrapper, parsed: ParsedQuery, request: SearchRequest
    ) -> tuple[int, bool]:
        """The number of hits, and whether there are more than it (SearchRequest.exact_total
        off: counted up to RANK_LIMIT), read off the cheapest shape of the hits' SQL."""
        count_sql, params = self._hits_sql(parsed, request, scored=False, counting=True)
        limit = None if request.exact_total else RANK_LIMIT
        hits = count_sql if limit is None else f"{count_sql} LIMIT {limit + 1}"
        cursor.execute(f"SELECT COUNT(*) FROM ({hits}) x", params)  # noqa: S608
        counted = int(cursor.fetchone()[0])
        if limit is not None and counted > limit:
            return limit, True
        return counted, False

    def _facet_counts(
        self, sample: Sequence[tuple[Any, ...]], total: int, more: bool, request: SearchRequest
    ) -> tuple[dict[str, list[FacetCount]], bool]:
        """The top values of every facet, and whether they were counted on a sample: above
        FACET_SAMPLE hits they are counted on the first FACET_SAMPLE (by record id) and
        scaled, so that a one-common-word query costs no more than a rarer one; above an
        uncounted total they are per cent of the sample. They are counted from the sampled
        hits' facet_list (_sample): reading one text per hit took half the time SQL took to
        look each hit up in search_facet and group what it found."""
        facets: dict[str, list[FacetCount]] = {}
        if not total or not sample:
            return facets, False
        sampled = total > FACET_SAMPLE
        # One text of every sampled hit's facets, split and counted in C.
        lists = [row[0] for row in sample[:FACET_SAMPLE]]
        counted = Counter(facet_pairs(FACET_SEPARATOR.join(filter(None, lists))))
        by_field: dict[str, list[tuple[int, str]]] = {}
        for pair, hits in counted.items():
            name, _, value = pair.partition(FIELD_SEPARATOR)
            by_field.setdefault(name, []).append((-hits, value))
        scale = (100 if more else total) / FACET_SAMPLE if sampled else 1
        for name, values in by_field.items():
            # The most frequent first, ties by value (code point order, the same on both engines).
            facets[name] = [
                FacetCount(value, max(1, round(-negative * scale)))
                for negative, value in heapq.nsmallest(request.facet_limit, values)
            ]
            facets[name].sort(key=lambda facet: (-facet.count, facet.value))  # once scaled
        return facets, sampled

    # --- respelling and "did you mean" -----------------------------------------------------

    def _known_stems(self, stems: Iterable[str]) -> set[str]:
        return set(SearchTerm.objects.filter(stem__in=set(stems)).values_list("stem", flat=True))

    def _describe_respelling(self, parsed: ParsedQuery) -> str:
        """The respelling most likely meant: the first whose words are all in the index."""
        chosen: dict[int, list[str]] = {}
        for index, clause in enumerate(parsed.clauses):
            if clause.literal or clause.is_stopword:
                continue
            stems_known = self._known_stems(stem(w) for w in clause.words)
            if all(stem(w) in stems_known for w in clause.words):
                continue
            for words in respelling_words(clause):
                # A name in another case is known by its name key: чехова by чехов.
                known = self._known_stems(s for w in words for s in _stems_of(w))
                if words and all(known.intersection(_stems_of(w)) for w in words):
                    chosen[index] = words
                    break
        return with_words(parsed, chosen).text()

    def _corrections(self, parsed: ParsedQuery) -> dict[int, list[str]]:
        """Clause position → words with each unknown word replaced by its nearest known one.
        A Latin word is also tried in Cyrillic: transliteration loses the soft sign
        (svetilnik is светильник, one edit from светилник)."""
        words = {w for c in parsed.active_clauses() if not c.literal for w in c.words}
        known = self._known_stems(stem(w) for w in words)
        fixes: dict[str, str] = {}
        for word in words:
            if stem(word) in known or len(word) < 4 or word.isdigit():
                continue
            spellings = [word]
            if script_of(word) == "latin":
                spellings += transliterate_variants(word)[:_RESPELLINGS]
                cyrillic = self._known_stems(stem(w) for w in spellings[1:])
                exact = [w for w in spellings[1:] if stem(w) in cyrillic]
                if exact:
                    fixes[word] = exact[0]
                    continue
            best = min(
                (self._nearest(spelling, loose=spelling != word) for spelling in spellings),
                key=lambda found: found or (99, 0, ""),
            )
            if best:
                fixes[word] = best[2]
        return {
            index: [fixes.get(w, w) for w in clause.words]
            for index, clause in enumerate(parsed.clauses)
            if not clause.literal and any(w in fixes for w in clause.words)
        }

    def _nearest(self, word: str, loose: bool = False) -> tuple[int, int, str] | None:
        """(edits, -frequency, term) of the vocabulary word nearest to `word`, if close;
        `loose` compares stems without soft and hard signs (a transliterated word)."""
        limit = 1 if len(word) < 8 else 2
        shape = _loose if loose else str
        target = shape(word)
        scored = [
            (edit_distance(target, shape(term), limit), -freq, term)
            for term, freq in self.spelling_candidates(word)
        ]
        return min((s for s in scored if s[0] <= limit), default=None)


def _stems_of(word: str) -> tuple[str, ...]:
    """The vocabulary stems a word is known by: its own, and its name key's."""
    key = name_key(word)
    return (stem(word), stem(key)) if key else (stem(word),)


def _loose(word: str) -> str:
    """A word's name key or stem without ь and ъ, which Latin spellings leave out."""
    return (name_key(word) or stem(word)).replace("ь", "").replace("ъ", "")
