"""Reads of library events for the public portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
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
    pushkin: bool = False,
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
    if pushkin:
        events = events.filter(pushkin_card=True)
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


@dataclass(frozen=True)
class EventTotals:
    held: int  # events that took place and have their attendance recorded
    participants: int  # registered who came plus walk-ins
    children: int
    youth: int
    adults: int
    registered_came: int


def event_totals(*, events: QuerySet[Event]) -> EventTotals:
    """Totals for a set of events (a project, a programme, a month) for reports and 6-NK."""
    recorded = events.filter(attendance_recorded_at__isnull=False)
    sums = recorded.aggregate(
        held=Count("pk", distinct=True),
        children=Sum("walk_in_children"),
        youth=Sum("walk_in_youth"),
        adults=Sum("walk_in_adults"),
    )
    came = Registration.objects.filter(event__in=recorded, attended=True).count()
    children, youth, adults = (sums[k] or 0 for k in ("children", "youth", "adults"))
    return EventTotals(
        held=sums["held"] or 0,
        participants=came + children + youth + adults,
        children=children,
        youth=youth,
        adults=adults,
        registered_came=came,
    )


def events_for_staff(
    *, branches: QuerySet[Branch], start: dt.date, end: dt.date
) -> QuerySet[Event]:
    """Every event (published or not) of these branches starting in [start, end]."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return (
        Event.objects.filter(branch__in=branches, starts_at__gte=first, starts_at__lt=after)
        .select_related("branch")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)
            ),
            came=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("starts_at", "pk")
    )


def period_bounds(*, period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The month or the quarter containing `on`."""
    if period == "quarter":
        first_month = (on.month - 1) // 3 * 3 + 1
        start = on.replace(month=first_month, day=1)
        end_month = first_month + 2
    else:
        start = on.replace(day=1)
        end_month = on.month
    after = (start.replace(month=end_month, day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, after - dt.timedelta(days=1)
