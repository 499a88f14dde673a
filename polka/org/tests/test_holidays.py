from datetime import date

import pytest

from polka.org.holidays import fixed_holidays, holiday_name, is_fixed_holiday, nth_weekday_of_month


def test_fixed_holidays_are_the_fourteen_days_of_labour_code_article_112():
    days = [h.day for h in fixed_holidays(2027)]
    assert len(days) == 14
    assert days[:8] == [date(2027, 1, d) for d in range(1, 9)]
    assert days[8:] == [
        date(2027, 2, 23),
        date(2027, 3, 8),
        date(2027, 5, 1),
        date(2027, 5, 9),
        date(2027, 6, 12),
        date(2027, 11, 4),
    ]


def test_christmas_and_unity_day_are_named_and_an_ordinary_day_is_not_a_holiday():
    assert str(holiday_name(date(2026, 1, 7))) == "Рождество Христово"
    assert str(holiday_name(date(2026, 11, 4))) == "День народного единства"
    assert not is_fixed_holiday(date(2026, 11, 5))


def test_nth_weekday_of_month_finds_the_last_and_the_first_thursday():
    assert nth_weekday_of_month(year=2026, month=4, weekday=3, n=-1) == date(2026, 4, 30)
    assert nth_weekday_of_month(year=2026, month=4, weekday=3, n=1) == date(2026, 4, 2)
    with pytest.raises(ValueError):
        nth_weekday_of_month(year=2026, month=2, weekday=3, n=5)
