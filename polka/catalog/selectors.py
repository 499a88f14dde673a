"""Every read of the catalogue: the public pages (a record with its people and shown copies,
new arrivals, where copies stand), the editor's pages (a record's history with the lines each
change made, a copy's history, recent changes and imports) and what an export takes."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from polka.catalog.marc_lines import to_lines
from polka.catalog.models import (
    ImportRun,
    Item,
    ItemEvent,
    ItemStatus,
    Person,
    Record,
    RecordAuthor,
    RecordRevision,
    work_digest,
)
from polka.catalog.source import read_source_or_none
from polka.core.prepared import Prepared, Statement, prefetched, prepared_cursor
from polka.org.models import Branch

# --- the public pages -------------------------------------------------------------------

# Copies a reader never sees: written off.
HIDDEN_STATUSES = (ItemStatus.WITHDRAWN,)


def records_with_people() -> QuerySet[Record]:
    """Records with their authorships and persons fetched in two more queries, not one per row."""
    people = RecordAuthor.objects.select_related("person").order_by("position")
    return Record.objects.prefetch_related(Prefetch("authorships", queryset=people))


def _shown_copies() -> QuerySet[Item]:
    return (
        Item.objects.exclude(status__in=HIDDEN_STATUSES)
        .select_related("branch")
        .order_by("branch__name", "shelf_mark", "barcode")
    )


# The record page's own three queries, compiled once (polka.core.prepared): compiling them
# cost more than running them (1.4 of the page's 2.3 ms for the record, its people and copies).
_RECORD = Prepared(lambda pk: Record.objects.filter(pk=pk)[:1], pk=int)
_AUTHORSHIPS = Prepared(
    lambda record_id: (
        RecordAuthor.objects.filter(record_id=record_id)
        .select_related("person")
        .order_by("position")
    ),
    record_id=int,
)
_COPIES = Prepared(lambda record_id: _shown_copies().filter(record_id=record_id), record_id=int)


def record_public(*, record_id: int) -> Record:
    """One record for its public page, with its authorships (and persons) and shown copies
    (and branches) as records_with_people() and a Prefetch of the copies would give them;
    raises Record.DoesNotExist."""
    found = _RECORD.rows(pk=record_id)
    if not found:
        raise Record.DoesNotExist(f"no record {record_id}")
    record = found[0]
    prefetched([record], "authorships", _AUTHORSHIPS.rows(record_id=record_id), by="record")
    prefetched([record], "items", _COPIES.rows(record_id=record_id), by="record")
    return record


def record_copies_version(*, record_id: int) -> Statement:
    """What the record page shows of its copies (branch, status, shelf mark), as a statement
    the page cache reads with the kept page: the page's version (polka.core.pagecache), which a
    loan changes."""
    return _COPY_PLACES.statement(record_id=record_id)


# Read on every record page, the kept ones too: compiled once (polka.core.prepared).
_COPY_PLACES = Prepared(
    lambda record_id: (
        Item.objects.filter(record_id=record_id)
        .exclude(status__in=HIDDEN_STATUSES)
        .order_by("pk")
        .values_list("branch_id", "status", "shelf_mark")
    ),
    record_id=int,
)


def records_latest() -> QuerySet[Record]:
    return records_with_people().order_by("-created_at", "-pk")


def records_newest(*, limit: int) -> list[Record]:
    """The newest records for a short list (title, statement of responsibility, year): one
    query read off the created_at index, no people, no source MARC."""
    newest = Record.objects.order_by("-created_at", "-pk")
    # links: the 856 cover link the list shows (deferred, it would cost a query per record)
    return list(newest.only("pk", "title", "responsibility", "year", "links", "isbns")[:limit])


def records_in_order(*, ids: Sequence[int]) -> list[Record]:
    """The records with these ids, in the order given (ids that no longer exist are skipped)."""
    found = {r.pk: r for r in records_with_people().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def person_record_ids(*, person_id: int) -> QuerySet[Any]:
    """The keys of a person's records, newest first, the undated last, then the latest
    catalogued (an author page): read off catalog_author_person_year (RecordAuthor.year), so a
    page costs the same for an author of three records and one of 96,460. A person named
    twice in one record (author and illustrator) counts it once."""
    return (
        RecordAuthor.objects.filter(person_id=person_id)
        .order_by(F("year").desc(nulls_last=True), "-record_id")
        .values_list("record_id", flat=True)
        .distinct()
    )


# An author page counts a person's records only this far: the distinct count of every
# authorship of the largest heading of the 1,000,000-record bench (96,460 records) took 35 ms
# on PostgreSQL and 40 on SQLite, on every visit. Past it the page names no total and pages on
# without one (polka.core.paging), as the catalogue's browse page does.
AUTHOR_COUNTED = 10_000


def person_record_count(*, person_id: int) -> int | None:
    """How many records name the person, or None when more than AUTHOR_COUNTED do: one query
    that reads at most AUTHOR_COUNTED + 1 of person_record_ids() in the index's order."""
    counted = person_record_ids(person_id=person_id)[: AUTHOR_COUNTED + 1].count()
    return counted if counted <= AUTHOR_COUNTED else None


def person_records(*, ids: Iterable[int]) -> list[Record]:
    """The records of a page of person_record_ids() (a sliced queryset, read as a sub-query), with
    their people, in that page's order: one query, as the author page made before."""
    records = records_with_people().filter(pk__in=ids)
    return list(records.order_by(F("year").desc(nulls_last=True), "-pk"))


def records_other_editions(*, record: Record, limit: int) -> list[Record]:
    """A record page's "other editions of this work" (same work key), newest first: one query
    read off the work-key index."""
    if not record.work_key:
        return []
    prepared = _EDITIONS.get(limit)
    if prepared is None:
        prepared = _EDITIONS[limit] = Prepared(
            lambda work_key, pk: _other_editions(work_key, pk, limit), work_key=str, pk=int
        )
    return prepared.rows(work_key=record.work_key, pk=record.pk)


def _other_editions(work_key: str, pk: int, limit: int) -> QuerySet[Record]:
    editions = Record.objects.filter(work_key=work_key).exclude(pk=pk)
    fields = ("pk", "title", "year", "publisher", "edition", "material_type")
    # Newest first, the undated last, the latest catalogued first within a year: the (work key,
    # year) index read backwards on SQLite, and on PostgreSQL its own index in this order
    # (catalog migration 0010), give exactly that order, so the first `limit` are read and
    # nothing is sorted (by year and then the oldest catalogued, the editions of a work repeated
    # 6,625 times on the 1,000,000-record bench were all read and sorted: 2.6 ms a page).
    newest = (F("year").desc(nulls_last=True), F("pk").desc())
    return editions.order_by(*newest).only(*fields)[:limit]


# Compiled once per limit.
_EDITIONS: dict[int, Prepared[Record]] = {}


# How many of each author's records of other works, the newest by year first (RecordAuthor.year
# and work_digest), a record page reads to show ten: a network's catalogue holds thousands of
# Пушкин, and reading them all to show ten took 175 ms for one heading of 96,460 records on the
# 1,000,000-record bench. The editions of the record's own work are passed over inside the
# index (they are listed apart); 200 leaves room for the record itself and a digest shared by
# two works.
OTHERS_SCAN = 200
# The people of a record whose other books are looked for: its first eight named (a
# conference's proceedings may name dozens; each costs one index range).
OTHERS_PEOPLE = 8
# Books read for each one shown: another work is shown once, and a popular author's newest
# books are often several editions of a few works (Андерсен's «Сказки» again and again).
OTHERS_EDITIONS = 4


def records_other_by_people(
    *, people: Sequence[int], exclude: int, limit: int, work_key: str = ""
) -> list[Record]:
    """A record page's "other books by these authors": title and year only, one query, each
    other work once (its newest edition); the editions of the record's own work (`work_key`)
    are listed apart, so they are left out.
    Newest by year first, then the latest catalogued, picked among each author's OTHERS_SCAN
    newest records of other works, read in that order off the (person, year, record) index."""
    people = list(dict.fromkeys(people))[:OTHERS_PEOPLE]
    if not people or limit <= 0:
        return []
    read = limit * len(people) * OTHERS_EDITIONS
    sql = _others_sql(len(people), bool(work_key), read, OTHERS_SCAN)
    if work_key:
        digest = work_digest(work_key)
        ranges: list[Any] = [value for person in people for value in (person, digest)]
        params = [*ranges, exclude, work_key]
    else:
        params = [*people, exclude]
    alias = router.db_for_read(Record)
    # Prepared: PostgreSQL planned these ranges anew on every drawn record page, 0.2 ms of its
    # time, as long as running them.
    with prepared_cursor(connections[alias]) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # A book by two of the people comes once from each, and another work's editions once:
    # its newest, whose page lists the rest (a heading repeated in many editions filled the
    # list with one title).
    found: dict[object, Record] = {}
    for pk, title, year, key in rows:
        group = key or pk
        if group not in found:
            found[group] = Record.from_db(alias, ["id", "title", "year"], (pk, title, year))
    return list(found.values())[:limit]


@functools.cache
def _others_sql(people: int, by_work: bool, read: int, scan: int) -> str:
    """One ordered, bounded range of the (person, year, record) index per person, joined in
    that order to the records. The people's ranges are separate on purpose: `person_id IN
    (...)` has no order to read, so both engines read and sorted every authorship of all the
    people (a co-author of the 96,460-record heading: 22-30 ms of PostgreSQL's time a page).
    With one person the join keeps the index's order and stops at the `read`-th book. The
    editions of the record's own work are passed over inside the index, by their digest; the
    join checks the key itself, which a digest only stands for."""
    author, record = RecordAuthor._meta.db_table, Record._meta.db_table
    newest = "year DESC NULLS LAST, record_id DESC"
    other_work = " AND work_digest <> %s" if by_work else ""
    ranges = " UNION ALL ".join(
        f"SELECT record_id, year FROM (SELECT record_id, year FROM {author} "  # noqa: S608
        f"WHERE person_id = %s{other_work} ORDER BY {newest} LIMIT {scan}) AS p{n}"
        for n in range(people)
    )
    work = " AND r.work_key <> %s" if by_work else ""
    return (
        f"SELECT r.id, r.title, a.year, r.work_key FROM ({ranges}) AS a "  # noqa: S608
        f"JOIN {record} r ON r.id = a.record_id WHERE r.id <> %s{work} "
        f"ORDER BY a.{newest.replace(', ', ', a.')} LIMIT {read}"
    )


def person_public(*, person_id: int) -> Person:
    """A person for their author page; raises Person.DoesNotExist."""
    return Person.objects.get(pk=person_id)


def new_arrivals(
    *, branch: Branch | None = None, since: dt.date | None = None, limit: int | None = 20
) -> QuerySet[Record]:
    """Records whose first copy (in `branch`, or anywhere) arrived most recently, on or after
    `since` when given (which keeps the work to the recent copies on a large catalogue).

    A copy arrived on its acquisition date, or the day it was entered if that is unknown; a
    record counts from its first copy, so a second copy of an old book is no new arrival.
    Withdrawn copies still count for when the book first came.
    """
    copies = Item.objects.all() if branch is None else Item.objects.filter(branch=branch)
    copies = copies.annotate(arrived=Coalesce("acquired_on", TruncDate("created_at")))
    item_filter = Q(items__branch=branch) if branch is not None else Q()
    arrived = Coalesce("items__acquired_on", TruncDate("items__created_at"))
    records = records_with_people()
    if since is not None:
        recent = copies.filter(arrived__gte=since).values("record_id")
        records = records.filter(pk__in=recent)
    else:
        records = records.filter(Exists(copies.filter(record=OuterRef("pk"))))
    records = (
        records.annotate(arrived_on=Min(arrived, filter=item_filter), last=Max("items__pk"))
        .filter(arrived_on__isnull=False)
        .order_by("-arrived_on", "-last")
    )
    if since is not None:
        records = records.filter(arrived_on__gte=since)
    return records[:limit] if limit is not None else records


@dataclass(frozen=True)
class ShelfCopies:
    branch: str
    on_shelf: int
    total: int


def copies_by_branch(*, record_ids: Sequence[int]) -> dict[int, list[ShelfCopies]]:
    """For each record, its copies per branch: how many, how many on the shelf now (one
    query; written-off copies do not count)."""
    counts: dict[int, dict[str, list[int]]] = {}
    rows = (
        Item.objects.filter(record_id__in=list(record_ids))
        .exclude(status__in=HIDDEN_STATUSES)
        .values("record_id", "branch__name", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        slot = counts.setdefault(row["record_id"], {}).setdefault(row["branch__name"], [0, 0])
        slot[1] += row["n"]
        if row["status"] == ItemStatus.AVAILABLE:
            slot[0] += row["n"]
    return {
        record_id: [ShelfCopies(b, s, t) for b, (s, t) in sorted(branches.items())]
        for record_id, branches in counts.items()
    }


@dataclass(frozen=True, slots=True)
class BranchCopies:
    """A record's shown copies in one branch, for "where is it" at a glance."""

    branch: Branch
    on_shelf: int
    total: int
    shelf_marks: tuple[str, ...]


def record_availability(*, record: Record) -> list[BranchCopies]:
    """Per branch: how many shown copies are on the shelf, out of how many (from the copies
    record_public prefetched; no query)."""
    by_branch: dict[int, list[Item]] = {}
    for item in record.items.all():
        by_branch.setdefault(item.branch_id, []).append(item)
    rows = [
        BranchCopies(
            branch=items[0].branch,
            on_shelf=sum(1 for i in items if i.status == ItemStatus.AVAILABLE),
            total=len(items),
            shelf_marks=tuple(dict.fromkeys(i.shelf_mark for i in items if i.shelf_mark)),
        )
        for items in by_branch.values()
    ]
    return sorted(rows, key=lambda row: (row.on_shelf == 0, row.branch.name))


# --- the editor's pages and exports -----------------------------------------------------

EXPORT_COLUMNS = ("id", "format", "source", "source_encoding", "edited")


def records_for_export(
    *, branch: Branch | None = None, query: str = "", flavour: str | None = None
) -> QuerySet[Record]:
    """Records to export, lightest columns only, in id order (stream with .iterator()).

    `query` is, until the search engines arrive, a case-insensitive substring of the title or
    of an author's name.
    """
    records = Record.objects.only(*EXPORT_COLUMNS).order_by("pk")
    if branch is not None:
        records = records.filter(pk__in=Item.objects.filter(branch=branch).values("record_id"))
    if flavour:
        records = records.filter(format=flavour)
    if query:
        records = records.filter(_text_contains(query))
    return records


def _text_contains(query: str) -> Q:
    # SQLite's LIKE folds case for ASCII only, so "булгаков" would miss "Булгаков": try the
    # usual capitalisations too. The search engines replace this with real full-text search.
    title = Q()
    author = Q()
    for variant in {query, query.lower(), query.upper(), query.capitalize(), query.title()}:
        title |= Q(title__icontains=variant)
        author |= Q(person__name__icontains=variant)
    return title | Q(pk__in=RecordAuthor.objects.filter(author).values("record_id"))


@dataclass(frozen=True)
class CatalogueSize:
    records: int
    items: int  # copies not written off


def catalogue_size() -> CatalogueSize:
    return CatalogueSize(
        Record.objects.count(), Item.objects.exclude(status=ItemStatus.WITHDRAWN).count()
    )


def items_with_branch() -> QuerySet[Item]:
    return Item.objects.select_related("branch")


def branches_by_name() -> QuerySet[Branch]:
    """Every branch, for the new-arrivals filter (closed ones too: their copies still count)."""
    return Branch.objects.order_by("name")


def record_or_none(*, record_id: int | None) -> Record | None:
    """The record a form names by its number, or None (no such record, or no number)."""
    return Record.objects.filter(pk=record_id or 0).first()


def item_history(*, item: Item) -> QuerySet[ItemEvent]:
    return item.events.select_related("user", "from_branch", "to_branch")


def import_runs_recent(*, limit: int = 50) -> QuerySet[ImportRun]:
    return ImportRun.objects.all()[:limit]


def revisions_recent(*, limit: int = 20) -> QuerySet[RecordRevision]:
    """The latest changes to any record, for the cataloguer's desk."""
    return (
        RecordRevision.objects.select_related("record", "user")
        .defer("source_before", "record__source")
        .order_by("-at", "-id")[:limit]
    )


@dataclass(slots=True)
class HistoryEntry:
    revision: RecordRevision
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def can_revert(self) -> bool:
        return self.revision.source_before is not None

    @property
    def action(self) -> str:
        return self.revision.action

    @property
    def at(self) -> dt.datetime:
        return self.revision.at


def _lines(record: Record, source: bytes | None, encoding: str) -> list[str]:
    if source is None:
        return []
    state = Record(format=record.format, source=bytes(source), source_encoding=encoding)
    marc = read_source_or_none(state)
    return to_lines(marc).splitlines() if marc else []


def record_history(*, record: Record) -> list[HistoryEntry]:
    """Who changed the record, when, and which lines each change made, newest first: each
    change is the difference between the source before it and after it."""
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
