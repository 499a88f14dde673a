"""Closed-day names Polka writes itself speak the visitor's language; a librarian's own stays."""

from datetime import date

import pytest
from django.utils import translation

from polka.org import services
from polka.org.models import CalendarException, ExceptionKind
from polka.org.selectors import branches_overview
from polka.org.testing import AT

pytestmark = pytest.mark.django_db

# 2027: 1 Jan is a Friday; the branch is open on weekdays.
NEW_YEAR_EVE = date(2026, 12, 31)


def _reasons(*, on: date, code: str, language: str) -> list[str]:
    with translation.override(language):
        (overview,) = branches_overview(on=on, code=code)
        return [closed.reason for closed in overview.closed_days]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("ru", "Новогодние каникулы"),
        ("en", "New Year holidays"),
        ("uz", "Yangi yil taʼtillari"),
        ("tg", "Таътили солинавӣ"),
        ("ky", "Жаңы жылдык эс алуу күндөрү"),
    ],
)
def test_the_new_year_holidays_are_named_in_the_language_chosen(branch_a, language, name):
    services.network_holidays_load(year=2027, at=AT)
    assert name in _reasons(on=NEW_YEAR_EVE, code=branch_a.code, language=language)


def test_holidays_are_stored_in_russian_whatever_language_loaded_them(network):
    with translation.override("en"):
        services.network_holidays_load(year=2027, at=AT)
    christmas = CalendarException.objects.get(branch=None, date=date(2027, 1, 7))
    assert christmas.reason == "Рождество Христово"


def test_the_sanitary_day_is_translated_and_a_reason_typed_by_a_librarian_is_shown_as_written(
    branch_a,
):
    services.branch_sanitary_days_load(branch=branch_a, year=2026, at=AT)  # 26 March, Thursday
    services.calendar_exception_add(
        branch=branch_a,
        on=date(2026, 3, 24),
        kind=ExceptionKind.CLOSURE,
        reason="Ремонт читального зала",
        by=None,
        at=AT,
    )
    reasons = _reasons(on=date(2026, 3, 23), code=branch_a.code, language="tg")
    assert reasons == ["Ремонт читального зала", "рӯзи санитарӣ"]
