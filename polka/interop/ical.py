"""iCalendar (RFC 5545) files for event feeds: plain data in, bytes out (no Django here).

Times are written in the event's own time zone (TZID with its VTIMEZONE), so calendar apps
show the library's local time wherever the reader is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    title: str
    starts_at: dt.datetime  # aware, in the zone to show
    ends_at: dt.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    updated_at: dt.datetime | None = None


def calendar_bytes(*, name: str, events: Iterable[CalendarEvent], stamp: dt.datetime) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONEs they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Polka//library events//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in events:
        if item.starts_at.tzinfo is None or item.ends_at.tzinfo is None:
            raise ValueError("calendar events need aware datetimes")
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.updated_at is not None:
            event.add("last-modified", item.updated_at)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
