"""The demo schedule only ever uses open days and hours, whatever day `polka demo` runs.

Planned for every day of two whole years against the branches' real calendars (public
holidays, the New Year break, sanitary days, 29 February, the change of a year): moving any
demo date back onto a closed day fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polka.cli.demo import vocabulary as v
from polka.cli.demo.generator import store_closed_days, store_network
from polka.cli.demo.schedule import COURSE_SESSIONS, Calendars, Schedule, demo_schedule
from polka.events.models import EventType
from polka.org.calendar import BranchCalendar
from polka.org.selectors import branches_calendars

FIRST_DAY = dt.date(2027, 1, 1)
LAST_DAY = dt.date(2028, 12, 31)
AT = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def calendars(db) -> Calendars:
    """The demo branches' calendars from before FIRST_DAY to well after LAST_DAY."""
    branches = store_network(AT)  # closed days of 2027 and 2028
    store_closed_days(branches, years=(2026, 2029), at=AT)
    loaded = branches_calendars(
        branches=list(branches.values()), start=dt.date(2026, 12, 1), end=dt.date(2029, 6, 30)
    )
    return {code: loaded[branch.pk] for code, branch in branches.items()}


def _every_day():
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += dt.timedelta(days=1)


def _inside_hours(calendar: BranchCalendar, starts: dt.datetime, ends: dt.datetime) -> bool:
    zone = timezone.get_current_timezone()
    starts, ends = starts.astimezone(zone), ends.astimezone(zone)
    hours = calendar.hours_on(starts.date())
    return (
        hours is not None
        and starts.date() == ends.date()
        and hours[0] <= starts.time()
        and ends.time() <= hours[1]
    )


def _plan(day: dt.date, calendars: Calendars) -> Schedule:
    return demo_schedule(
        seed=1, today=day, zone=timezone.get_current_timezone(), calendars=calendars
    )


def test_every_event_and_course_session_falls_on_open_hours_on_every_day_of_two_years(calendars):
    skipped_closed_days = 0
    for today in _every_day():
        schedule = _plan(today, calendars)
        assert schedule.events, today
        for event in schedule.events:
            assert event.starts_at.date() > today, (today, event)
            assert _inside_hours(calendars[event.branch_code], event.starts_at, event.ends_at), (
                today,
                event.spec.title,
                event.starts_at,
            )
        assert len(schedule.course_sessions) == COURSE_SESSIONS, today
        for session in schedule.course_sessions:
            assert session.starts_at.date() > today
            assert session.starts_at.weekday() < 5
            assert _inside_hours(calendars[session.branch_code], session.starts_at, session.ends_at)
        # A weekly club whose weekday is a holiday or a sanitary day skips that week.
        planned = {(e.spec.title, e.branch_code, e.starts_at.date()) for e in schedule.events}
        for spec in (s for s in v.EVENTS if s.weekday is not None):
            for code in spec.branch_codes:
                for n in range(1, v.EVENT_WEEKS * 7 + 1):
                    day = today + dt.timedelta(days=n)
                    if day.weekday() == spec.weekday and (spec.title, code, day) not in planned:
                        assert not calendars[code].is_open(day), (spec.title, day)
                        skipped_closed_days += 1
    # The calendars really do close: the sweep met holidays and sanitary days on club days.
    assert skipped_closed_days > 0


def test_the_schedule_holds_every_kind_of_event_the_filter_offers(calendars):
    for today in (FIRST_DAY, dt.date(2027, 5, 1), dt.date(2028, 2, 29), LAST_DAY):
        kinds = {e.spec.event_type for e in _plan(today, calendars).events}
        assert kinds == set(EventType.values), today


def test_the_same_day_and_seed_plan_the_same_schedule(calendars):
    day = dt.date(2027, 3, 8)
    assert _plan(day, calendars) == _plan(day, calendars)
