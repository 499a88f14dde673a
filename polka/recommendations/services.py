"""Changes to reading lists; editors need news.publish (the portal's publishing right)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from polka.catalog.models import Record
from polka.core.sanitize import clean_html, clean_text
from polka.org.policies import AnyUser, staff_require
from polka.recommendations.models import ListItem, ReadingList


def _require(by: AnyUser) -> None:
    staff_require(user=by, action="news.publish")


@transaction.atomic
def list_save(
    *, reading_list: ReadingList | None, by: AnyUser, at: dt.datetime, **fields: Any
) -> ReadingList:
    _require(by)
    reading_list = reading_list or ReadingList()
    for name, value in fields.items():
        if name == "intro":
            value = clean_html(value)
        elif isinstance(value, str) and name not in ("slug", "audience"):
            value = clean_text(value, multiline=False)
        setattr(reading_list, name, value)
    reading_list.updated_at = at
    reading_list.save()
    return reading_list


@transaction.atomic
def item_add(
    *, reading_list: ReadingList, record: Record, annotation: str, by: AnyUser, at: dt.datetime
) -> ListItem:
    """Add a book (or change its annotation when it is already on the list)."""
    _require(by)
    last = reading_list.items.order_by("-position").first()
    item, _created = ListItem.objects.get_or_create(
        reading_list=reading_list,
        record=record,
        defaults={"position": (last.position + 1) if last else 1},
    )
    item.annotation = clean_html(annotation)
    item.save(update_fields=["annotation"])
    reading_list.updated_at = at
    reading_list.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def item_remove(*, item: ListItem, by: AnyUser) -> None:
    _require(by)
    item.delete()
