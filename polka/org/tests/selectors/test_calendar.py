from datetime import date, time

import pytest

from polka.org import services
from polka.org.errors import BranchNeverOpen
from polka.org.models import ExceptionKind
from polka.org.selectors import (
    branch_add_open_days,
    branch_hours_on,
    branch_is_open,
    branch_next_open_day,
    branch_open_days,
    branch_open_on_or_after,
    branches_calendars,
)
from polka.org.testing import AT

pytestmark = pytest.mark.django_db

# 2026: 1 Jan is a Thursday; 8 Jan a Thursday; 12 Jan a Monday.
SATURDAY = date(2026, 3, 14)
MONDAY = date(2026, 3, 16)


def test_branch_is_open_on_a_weekday_with_hours_and_closed_at_the_weekend(branch_a):
    assert branch_is_open(branch=branch_a, on=MONDAY)
    assert branch_hours_on(branch=branch_a, on=MONDAY) == (time(10), time(19))
    assert not branch_is_open(branch=branch_a, on=SATURDAY)
    assert branch_hours_on(branch=branch_a, on=SATURDAY) is None


def test_a_loaded_public_holiday_closes_every_branch(branch_a, branch_b):
    services.network_holidays_load(year=2026, at=AT)
    labour_day = date(2026, 5, 1)  # Friday
    assert not branch_is_open(branch=branch_a, on=labour_day)
    assert not branch_is_open(branch=branch_b, on=labour_day)
    assert branch_is_open(branch=branch_a, on=date(2026, 5, 4))


def test_a_branch_specific_open_day_beats_a_network_wide_closure(branch_a, branch_b):
    day = date(2026, 6, 11)  # Thursday
    services.calendar_exception_add(branch=None, on=day, reason="Субботник", by=None, at=AT)
    services.calendar_exception_add(
        branch=branch_b, on=day, is_open=True, opens=time(12), closes=time(16), by=None, at=AT
    )
    assert not branch_is_open(branch=branch_a, on=day)
    assert branch_hours_on(branch=branch_b, on=day) == (time(12), time(16))


def test_a_network_wide_closure_beats_weekly_hours_and_a_branch_closure_beats_a_network_opening(
    branch_a,
):
    services.calendar_exception_add(
        branch=None, on=SATURDAY, is_open=True, opens=time(10), closes=time(14), by=None, at=AT
    )
    services.calendar_exception_add(branch=branch_a, on=SATURDAY, by=None, at=AT)
    assert not branch_is_open(branch=branch_a, on=SATURDAY)
    services.calendar_exception_add(branch=None, on=MONDAY, by=None, at=AT)
    assert not branch_is_open(branch=branch_a, on=MONDAY)


def test_a_saturday_worked_by_decree_takes_the_hours_of_the_weekday_it_replaces(branch_a):
    services.opening_hours_set(
        branch=branch_a,
        week={0: (time(11), time(20)), 1: (time(10), time(19))},
        by=None,
        at=AT,
    )
    services.network_transfer_day_add(on=SATURDAY, is_open=True, hours_as_weekday=0, at=AT)
    assert branch_hours_on(branch=branch_a, on=SATURDAY) == (time(11), time(20))


def test_next_open_day_skips_the_new_year_holidays_and_the_weekend(branch_a):
    services.network_holidays_load(year=2026, at=AT)
    # 31 Dec 2025 is a Wednesday; 1–8 Jan are holidays, 9 Jan a Friday.
    assert branch_next_open_day(branch=branch_a, after=date(2025, 12, 31)) == date(2026, 1, 9)
    assert branch_next_open_day(branch=branch_a, after=date(2026, 1, 9)) == date(2026, 1, 12)


def test_next_open_day_is_strictly_after_the_given_day(branch_a):
    assert branch_next_open_day(branch=branch_a, after=MONDAY) == date(2026, 3, 17)


def test_next_open_day_of_a_branch_that_never_opens_is_a_clear_error(branch_a):
    services.opening_hours_set(branch=branch_a, week={}, by=None, at=AT)
    with pytest.raises(BranchNeverOpen) as error:
        branch_next_open_day(branch=branch_a, after=MONDAY)
    assert "a" in str(error.value)


def test_add_open_days_counts_only_open_days(branch_a):
    services.network_holidays_load(year=2026, at=AT)
    friday = date(2026, 3, 6)
    # Mon 9 Mar counts; Sun 8 Mar is both a holiday and a weekend.
    assert branch_add_open_days(branch=branch_a, start=friday, days=3) == date(2026, 3, 11)
    assert branch_add_open_days(branch=branch_a, start=friday, days=0) == friday
    assert branch_add_open_days(branch=branch_a, start=date(2025, 12, 30), days=2) == date(
        2026, 1, 9
    )
    # Far ahead: more than one loading window.
    assert branch_add_open_days(branch=branch_a, start=friday, days=100).weekday() < 5


def test_open_days_lists_the_open_days_of_a_range(branch_a):
    services.branch_sanitary_days_load(branch=branch_a, year=2026, at=AT)
    days = branch_open_days(branch=branch_a, start=date(2026, 3, 23), end=date(2026, 3, 29))
    # The last Thursday of March 2026 is the 26th: sanitary day.
    assert days == [date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 25), date(2026, 3, 27)]


def test_a_calendar_over_a_year_is_loaded_in_two_queries(
    branch_a, branch_b, django_assert_num_queries
):
    services.network_holidays_load(year=2026, at=AT)
    with django_assert_num_queries(2):
        calendars = branches_calendars(
            branches=[branch_a, branch_b], start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        open_count = sum(
            calendars[branch_a.pk].is_open(day) for day in calendars[branch_a.pk].days()
        )
    assert 230 < open_count < 255


def test_holidays_loaded_twice_are_recorded_once(network):
    assert services.network_holidays_load(year=2026, at=AT) == 14
    assert services.network_holidays_load(year=2026, at=AT) == 0


def test_sanitary_days_are_closures_of_one_branch_only(branch_a, branch_b):
    assert services.branch_sanitary_days_load(branch=branch_a, year=2026, at=AT) == 12
    day = date(2026, 3, 26)
    assert not branch_is_open(branch=branch_a, on=day)
    assert branch_is_open(branch=branch_b, on=day)
    exc = branch_a.exceptions.get(date=day)
    assert exc.kind == ExceptionKind.SANITARY


def test_a_due_date_on_a_closed_day_moves_to_the_next_open_day_and_an_open_one_stays(branch_a):
    services.network_holidays_load(year=2026, at=AT)
    assert branch_open_on_or_after(branch=branch_a, day=date(2026, 1, 3)) == date(2026, 1, 9)
    assert branch_open_on_or_after(branch=branch_a, day=MONDAY) == MONDAY
