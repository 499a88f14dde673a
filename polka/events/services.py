"""Changes to library events."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from polka.events.errors import EventEndsBeforeStart
from polka.events.models import Event
from polka.org.models import Branch


def _require_aware(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("event times must be aware datetimes")


@transaction.atomic
def event_create(
    *,
    title: str,
    branch: Branch,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    audience: str,
    age_mark: str,
    at: dt.datetime,
    description: str = "",
    place: str = "",
    capacity: int | None = None,
    is_published: bool = True,
) -> Event:
    """Plan an event at a branch. `at` is when it was planned (kept for the audit trail)."""
    _require_aware(starts_at, ends_at, at)
    if ends_at < starts_at:
        raise EventEndsBeforeStart()
    return Event.objects.create(
        title=title,
        description=description,
        branch=branch,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        age_mark=age_mark,
        capacity=capacity,
        is_published=is_published,
    )
