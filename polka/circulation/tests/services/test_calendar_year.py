"""Nothing depends on the day it runs: over every day of a year (with holidays and sanitary
days), a lend on an open day falls due on an open day at least the period ahead."""

import datetime as dt

import pytest

from polka.circulation import services
from polka.circulation.errors import BranchClosed
from polka.org import services as org
from polka.org.selectors import branch_calendar

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_every_day_of_a_year_gives_an_open_due_date_or_a_clear_refusal(branch_a):
    org.network_holidays_load(year=2026, at=AT)
    org.network_holidays_load(year=2027, at=AT)
    start = dt.date(2026, 1, 1)
    calendar = branch_calendar(branch=branch_a, start=start, end=dt.date(2027, 3, 31))
    for offset in range(365):
        today = start + dt.timedelta(days=offset)
        if not calendar.is_open(today):
            with pytest.raises(BranchClosed):
                services._open_then_due(branch=branch_a, today=today, days=30)
            continue
        due = services._open_then_due(branch=branch_a, today=today, days=30)
        assert due >= today + dt.timedelta(days=30) and calendar.is_open(due), today
        assert (due - today).days <= 30 + 14, today
