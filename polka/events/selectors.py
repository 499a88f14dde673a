"""Reads of library events for the public portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from polka.events.models import Event, Registration, RegistrationState
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


def events_between(
    *,
    start: dt.date,
    end: dt.date,
    branch: Branch | None = None,
    audience: str | None = None,
    event_type: str | None = None,
    age_mark: str | None = None,
) -> QuerySet[Event]:
    """Published events starting on a day in [start, end] (local time), in order."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    events = Event.objects.filter(is_published=True, starts_at__gte=first, starts_at__lt=after)
    if branch is not None:
        events = events.filter(branch=branch)
    if audience:
        events = events.filter(audience=audience)
    if event_type:
        events = events.filter(event_type=event_type)
    if age_mark:
        events = events.filter(age_mark=age_mark)
    return events.select_related("branch").order_by("starts_at", "pk")


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    events: list[Event]


def calendar_weeks(*, month: dt.date, events: Iterable[Event]) -> list[list[CalendarDay]]:
    """A month grid, Monday first: weeks of days with their events."""
    first = month.replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    end = last + dt.timedelta(days=6 - last.weekday())
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localdate(event.starts_at), []).append(event)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    cells = [CalendarDay(d, d.month == first.month, by_day.get(d, [])) for d in days]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def registration_by_token(*, token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return Registration.objects.filter(token=token).select_related("event", "event__branch").first()


def event_seats(*, event: Event) -> tuple[int, int | None]:
    """(seats taken, seats left or None when the event has no limit)."""
    taken = event.registrations.filter(state=RegistrationState.REGISTERED).count()
    return taken, (max(event.capacity - taken, 0) if event.capacity is not None else None)
