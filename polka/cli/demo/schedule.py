"""Where the demo places things in time.

Every date comes from the branches' real calendars (weekly hours, public holidays, sanitary
days) as the product itself reads them, never from a fixed offset that can land on a closed
day: `polka demo` must work whatever day it runs. Pure functions over loaded calendars, so a
test can plan the demo for every day of two years in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

from polka.cli.demo import vocabulary as v
from polka.org.calendar import BranchCalendar, days_between
from polka.org.models import Branch
from polka.org.selectors import branches_calendars

# How far around "today" the demo places things: events run EVENT_WEEKS ahead, the course
# starts two weeks ahead, news reach back a fortnight.
PAST_DAYS = 30
HORIZON_DAYS = v.EVENT_WEEKS * 7 + 60
COURSE_BRANCH = "cgb"
COURSE_SESSIONS = 4
COURSE_LEAD_DAYS = 14
COURSE_START = dt.time(11, 0)
COURSE_HOURS = 3

Calendars = Mapping[str, BranchCalendar]  # by branch code


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    spec: v.EventSpec
    branch_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PlannedSession:
    branch_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Schedule:
    events: list[PlannedEvent]
    course_sessions: list[PlannedSession]


def demo_calendars(*, branches: Mapping[str, Branch], today: dt.date) -> dict[str, BranchCalendar]:
    """The demo branches' calendars around `today`, by branch code (two queries)."""
    return demo_calendars_between(
        branches=branches,
        start=today - dt.timedelta(days=PAST_DAYS),
        end=today + dt.timedelta(days=HORIZON_DAYS),
    )


def demo_calendars_between(
    *, branches: Mapping[str, Branch], start: dt.date, end: dt.date
) -> dict[str, BranchCalendar]:
    loaded = branches_calendars(branches=list(branches.values()), start=start, end=end)
    return {code: loaded[branch.pk] for code, branch in branches.items()}


def clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def fits(calendar: BranchCalendar, day: dt.date, start: dt.time, minutes: int) -> bool:
    """Whether [start, start + minutes] lies inside the branch's hours that day (closed: no)."""
    hours = calendar.hours_on(day)
    if hours is None:
        return False
    end = dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)
    return hours[0] <= start and end.date() == day and end.time() <= hours[1]


def _event_fits(spec: v.EventSpec, calendar: BranchCalendar, day: dt.date) -> bool:
    return fits(calendar, day, clock(spec.start), spec.minutes)


def plan_events(
    *, seed: int, today: dt.date, zone: dt.tzinfo, calendars: Calendars
) -> list[PlannedEvent]:
    """Weekly clubs and one-off events over the weeks after `today` (never on `today`).

    A club's meeting that would fall on a holiday or sanitary day does not happen that week;
    a one-off event is only ever placed on a day its branch is open long enough.
    """
    rng = random.Random(f"polka-demo-events-{seed}")  # noqa: S311 - reproducible, not secret
    days = [today + dt.timedelta(days=n) for n in range(1, v.EVENT_WEEKS * 7 + 1)]
    return _events_on(rng, days, v.ONE_OFF_EVENTS, zone, calendars)


# Events held before today: about one every two weeks across the network.
PAST_EVENT_EVERY_DAYS = 14


def plan_past_events(
    *, seed: int, start: dt.date, end: dt.date, zone: dt.tzinfo, calendars: Calendars
) -> list[PlannedEvent]:
    """The one-off events held over [start, end] (the weekly clubs are this season's new
    ones), each on a day its branch was open long enough."""
    rng = random.Random(f"polka-demo-past-events-{seed}")  # noqa: S311 - reproducible, not secret
    days = list(days_between(start, end)) if start <= end else []
    count = len(days) // PAST_EVENT_EVERY_DAYS
    return _events_on(rng, days, count, zone, calendars, clubs=False)


def _events_on(
    rng: random.Random,
    days: list[dt.date],
    one_off_count: int,
    zone: dt.tzinfo,
    calendars: Calendars,
    *,
    clubs: bool = True,
) -> list[PlannedEvent]:
    chosen: list[tuple[v.EventSpec, str, dt.date]] = []
    for spec in (s for s in v.EVENTS if s.weekday is not None and clubs):
        for code in spec.branch_codes:
            chosen += [
                (spec, code, d)
                for d in days
                if d.weekday() == spec.weekday and _event_fits(spec, calendars[code], d)
            ]
    one_offs = [s for s in v.EVENTS if s.weekday is None]
    for number in range(one_off_count):
        # Cycle through the one-off kinds so each appears; the random part is where and when.
        spec = one_offs[number % len(one_offs)]
        code = rng.choice(spec.branch_codes)
        fitting = [d for d in days if _event_fits(spec, calendars[code], d)]
        if fitting:
            chosen.append((spec, code, rng.choice(fitting)))
    events = []
    for spec, code, day in sorted(chosen, key=lambda c: (c[2], c[0].start, c[1], c[0].title)):
        starts = dt.datetime.combine(day, clock(spec.start), tzinfo=zone)
        events.append(PlannedEvent(spec, code, starts, starts + dt.timedelta(minutes=spec.minutes)))
    return events


def plan_course_sessions(
    *, today: dt.date, zone: dt.tzinfo, calendars: Calendars
) -> list[PlannedSession]:
    """The course's sessions: consecutive open weekdays of the central library from two weeks
    ahead, each inside that day's hours (a shortened pre-holiday day is skipped)."""
    calendar = calendars[COURSE_BRANCH]
    minutes = COURSE_HOURS * 60
    sessions: list[PlannedSession] = []
    day = today + dt.timedelta(days=COURSE_LEAD_DAYS)
    while len(sessions) < COURSE_SESSIONS:
        if day.weekday() < 5 and fits(calendar, day, COURSE_START, minutes):
            starts = dt.datetime.combine(day, COURSE_START, tzinfo=zone)
            sessions.append(
                PlannedSession(COURSE_BRANCH, starts, starts + dt.timedelta(minutes=minutes))
            )
        day += dt.timedelta(days=1)
    return sessions


def demo_schedule(*, seed: int, today: dt.date, zone: dt.tzinfo, calendars: Calendars) -> Schedule:
    """Everything the demo places on a branch's calendar, planned for `today`."""
    return Schedule(
        events=plan_events(seed=seed, today=today, zone=zone, calendars=calendars),
        course_sessions=plan_course_sessions(today=today, zone=zone, calendars=calendars),
    )
