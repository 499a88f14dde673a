"""Reads of the catalogue that carry meaning: what an export takes, a record's history."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from polka.catalog.models import ImportRun, Item, ItemEvent, Record, RecordAuthor, RecordRevision
from polka.org.models import Branch

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


def record_or_none(*, record_id: int | None) -> Record | None:
    """The record a form names by its number, or None (no such record, or no number)."""
    return Record.objects.filter(pk=record_id or 0).first()


def record_history(*, record: Record) -> QuerySet[RecordRevision]:
    """Who changed the record and when, newest first."""
    return record.revisions.select_related("user").defer("source_before")


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
