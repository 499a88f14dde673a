"""Reads of reading lists: the current ones for the home page, a list with availability."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from polka.catalog.gost import describe_parts
from polka.catalog.selectors import ShelfCopies, copies_by_branch
from polka.recommendations.models import ListItem, ReadingList


def lists_all() -> QuerySet[ReadingList]:
    return ReadingList.objects.all()


def list_items(*, reading_list: ReadingList) -> QuerySet[ListItem]:
    return reading_list.items.select_related("record")


def lists_published() -> QuerySet[ReadingList]:
    return ReadingList.objects.filter(is_published=True)


def recommendations_current(*, limit: int = 3) -> list[ReadingList]:
    return list(lists_published()[:limit])


@dataclass(frozen=True)
class ListBook:
    item: ListItem
    copies: list[ShelfCopies]
    gost: object  # the record's ГОСТ description parts (catalog.gost.describe_parts)

    @property
    def on_shelf(self) -> bool:
        return any(c.on_shelf for c in self.copies)


def list_books(*, reading_list: ReadingList) -> list[ListBook]:
    items = list(
        reading_list.items.select_related("record").prefetch_related("record__authorships__person")
    )
    copies = copies_by_branch(record_ids=[i.record_id for i in items])
    return [ListBook(i, copies.get(i.record_id, []), describe_parts(i.record)) for i in items]
