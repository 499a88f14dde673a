"""Russian non-working public holidays (Labour Code art. 112) and monthly dates: pure functions.

Government transfer days (a weekday off, a Saturday worked) change every year by decree, so
they are not computed here: they are recorded as calendar rows (services.network_transfer_day_add).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_noop

# The names are stored in Russian, the source language, on calendar rows (a closed day's
# reason) and translated when shown: gettext_noop marks them for the catalogues.
_ = gettext_noop

SANITARY_DAY = _("санитарный день")
TRANSFER_DAY = _("перенос рабочего дня")

# (month, day, name): art. 112 part 1 of the Labour Code of the Russian Federation.
_FIXED: tuple[tuple[int, int, str], ...] = (
    (1, 1, _("Новогодние каникулы")),
    (1, 2, _("Новогодние каникулы")),
    (1, 3, _("Новогодние каникулы")),
    (1, 4, _("Новогодние каникулы")),
    (1, 5, _("Новогодние каникулы")),
    (1, 6, _("Новогодние каникулы")),
    (1, 7, _("Рождество Христово")),
    (1, 8, _("Новогодние каникулы")),
    (2, 23, _("День защитника Отечества")),
    (3, 8, _("Международный женский день")),
    (5, 1, _("Праздник Весны и Труда")),
    (5, 9, _("День Победы")),
    (6, 12, _("День России")),
    (11, 4, _("День народного единства")),
)
_BY_MONTH_DAY: dict[tuple[int, int], str] = {(m, d): name for m, d, name in _FIXED}
_KNOWN_NAMES = frozenset({name for _m, _d, name in _FIXED} | {SANITARY_DAY, TRANSFER_DAY})


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


def fixed_holidays(year: int) -> list[Holiday]:
    """The fixed non-working holidays of `year`, in date order."""
    return [Holiday(day=date(year, m, d), name=name) for m, d, name in _FIXED]


def holiday_name(day: date) -> str | None:
    """The holiday's name (Russian) if `day` is a fixed non-working holiday, else None."""
    return _BY_MONTH_DAY.get((day.month, day.day))


def closed_day_name(reason: str) -> str:
    """A stored closed-day name in the active language.

    The names Polka writes itself (the holidays above, the sanitary day, a transfer) are
    translated; a name a librarian typed is data and is shown as written.
    """
    return gettext(reason) if reason in _KNOWN_NAMES else reason


def is_fixed_holiday(day: date) -> bool:
    return (day.month, day.day) in _BY_MONTH_DAY


def nth_weekday_of_month(*, year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 = Monday) of the month; n = -1 is the last one, -2 the one before."""
    if not 0 <= weekday <= 6 or n == 0 or not -5 <= n <= 5:
        raise ValueError(f"weekday {weekday}, n {n}")
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    index = n - 1 if n > 0 else n
    try:
        return days[index]
    except IndexError:
        raise ValueError(f"no weekday {weekday} number {n} in {year}-{month:02d}") from None


def monthly_days(*, year: int, weekday: int, n: int) -> list[date]:
    """One date per month by the rule "n-th weekday", e.g. the last Thursday (sanitary day)."""
    return [nth_weekday_of_month(year=year, month=m, weekday=weekday, n=n) for m in range(1, 13)]
