"""Reads of library events for the public portal."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from polka.events.models import Event
from polka.org.models import Branch


def events_upcoming(
    *,
    on: dt.datetime,
    branch: Branch | None = None,
    audience: str | None = None,
    limit: int | None = None,
) -> QuerySet[Event]:
    """Published events that have not ended by `on`, soonest first, with their branch."""
    events = Event.objects.filter(is_published=True, ends_at__gt=on).select_related("branch")
    if branch is not None:
        events = events.filter(branch=branch)
    if audience:
        events = events.filter(audience=audience)
    events = events.order_by("starts_at", "pk")
    return events[:limit] if limit is not None else events


def event_public(*, event_id: int) -> Event | None:
    """One published event with its branch, or None."""
    return Event.objects.filter(pk=event_id, is_published=True).select_related("branch").first()
