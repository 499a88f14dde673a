"""Reads behind the public catalogue pages: a record with its people and shown copies."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet

from polka.catalog.models import Item, ItemStatus, Record, RecordAuthor

# Copies a reader never sees: written off.
HIDDEN_STATUSES = (ItemStatus.WITHDRAWN,)


def records_with_people() -> QuerySet[Record]:
    """Records with their authorships and persons fetched in two more queries, not one per row."""
    people = RecordAuthor.objects.select_related("person").order_by("position")
    return Record.objects.prefetch_related(Prefetch("authorships", queryset=people))


def record_public(*, record_id: int) -> Record:
    """One record for its public page; raises Record.DoesNotExist."""
    shown = (
        Item.objects.exclude(status__in=HIDDEN_STATUSES)
        .select_related("branch")
        .order_by("branch__name", "shelf_mark", "barcode")
    )
    return (
        records_with_people().prefetch_related(Prefetch("items", queryset=shown)).get(pk=record_id)
    )


def records_latest() -> QuerySet[Record]:
    return records_with_people().order_by("-created_at", "-pk")


def records_in_order(*, ids: Sequence[int]) -> list[Record]:
    """The records with these ids, in the order given (ids that no longer exist are skipped)."""
    found = {r.pk: r for r in records_with_people().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
