"""Pages of a list too long to count on every visit: the whole catalogue, newest first.

Django's Paginator counts the list to number its pages: on the catalogue's browse page that was
a COUNT over every record (its smallest index walked end to end on SQLite, the table read on
PostgreSQL) on each visit, for "page 1 of 50,000". An open page reads one row more than it
shows instead, to know whether a next page exists, and names its number only. It offers the
methods of Django's Page that the pager template uses (catalog/_pager.html).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# Reading a page deep in a list walks every row before it: pages past this one are not served
# (20 to a page, the newest 20,000 records; older ones are found by searching).
MOST_PAGES = 1_000


@dataclass(frozen=True)
class OpenPage:
    object_list: Sequence[Any]
    number: int
    size: int
    more: bool
    open: bool = True  # the pager names no total

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.object_list else 0


def open_page(rows: QuerySet[Any], number: str | None, size: int) -> OpenPage:
    """Page `number` (as given in the address; anything but a page number in range gives the
    first page, as Django's get_page does for what is not a number) of `rows`."""
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    if not 1 <= wanted <= MOST_PAGES:
        wanted = 1
    start = (wanted - 1) * size
    found = list(rows[start : start + size + 1])
    if not found and wanted > 1:
        return open_page(rows, None, size)  # past the end: the first page
    more = len(found) > size and wanted < MOST_PAGES
    return OpenPage(object_list=found[:size], number=wanted, size=size, more=more)
