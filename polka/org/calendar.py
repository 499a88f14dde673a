"""A branch's opening calendar over a loaded date range: weekly hours plus exception rows.

Precedence: a branch-specific CalendarException beats a network-wide one, which beats the
weekly OpeningHours. This module does no queries; selectors load the rows and build it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, time, timedelta

from polka.org.models import CalendarException, OpeningHours

Hours = tuple[time, time]


class BranchCalendar:
    """Answers "open on D?" and "which hours on D?" for days within [start, end]."""

    def __init__(
        self,
        *,
        branch_id: int,
        start: date,
        end: date,
        weekly: Iterable[OpeningHours],
        exceptions: Iterable[CalendarException],
    ) -> None:
        self.branch_id = branch_id
        self.start = start
        self.end = end
        self.weekly: dict[int, Hours] = {h.weekday: (h.opens, h.closes) for h in weekly}
        self._branch: dict[date, CalendarException] = {}
        self._network: dict[date, CalendarException] = {}
        for exc in exceptions:
            if exc.branch_id is None:
                self._network[exc.date] = exc
            elif exc.branch_id == branch_id:
                self._branch[exc.date] = exc

    def exception_on(self, day: date) -> CalendarException | None:
        """The exception row that decides `day` (the branch's own first), if any."""
        self._check_loaded(day)
        return self._branch.get(day) or self._network.get(day)

    def hours_on(self, day: date) -> Hours | None:
        exc = self.exception_on(day)
        if exc is None:
            return self.weekly.get(day.weekday())
        if not exc.is_open:
            return None
        if exc.opens is not None and exc.closes is not None:
            return (exc.opens, exc.closes)
        # An open exception without its own hours borrows weekly hours (of the decreed
        # weekday for a transfer); a branch with no such hours stays closed that day.
        weekday = exc.hours_as_weekday if exc.hours_as_weekday is not None else day.weekday()
        return self.weekly.get(weekday)

    def is_open(self, day: date) -> bool:
        return self.hours_on(day) is not None

    def is_unusually_closed(self, day: date) -> bool:
        """Closed on a day the weekly hours say it would be open (holiday, sanitary day...)."""
        return day.weekday() in self.weekly and not self.is_open(day)

    def days(self) -> Iterator[date]:
        return days_between(self.start, self.end)

    def _check_loaded(self, day: date) -> None:
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the loaded range {self.start}..{self.end}")


def days_between(start: date, end: date) -> Iterator[date]:
    """Every day from start to end, both included."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
