"""Full dates of life on a person authority: they must agree with the years and each other."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.catalog.errors import PersonDatesInvalid
from polka.catalog.models import Person
from polka.catalog.services import person_dates_set


@pytest.fixture
def pushkin(db: None) -> Person:
    return Person.objects.create(
        key="пушкин|1799-1837", name="Пушкин, Александр Сергеевич", birth_year=1799, death_year=1837
    )


def test_dates_that_agree_with_the_years_are_stored(pushkin):
    person_dates_set(
        person=pushkin, birth_date=dt.date(1799, 6, 6), death_date=dt.date(1837, 2, 10), by=None
    )
    pushkin.refresh_from_db()
    assert (pushkin.birth_date, pushkin.death_date) == (dt.date(1799, 6, 6), dt.date(1837, 2, 10))


@pytest.mark.parametrize(
    ("born", "died"),
    [
        (dt.date(1800, 6, 6), dt.date(1837, 2, 10)),  # another year than the records give
        (dt.date(1799, 6, 6), dt.date(1836, 2, 10)),
    ],
)
def test_dates_against_the_records_years_are_refused_and_nothing_changes(pushkin, born, died):
    with pytest.raises(PersonDatesInvalid):
        person_dates_set(person=pushkin, birth_date=born, death_date=died, by=None)
    pushkin.refresh_from_db()
    assert pushkin.birth_date is None and pushkin.birth_year == 1799


def test_a_death_before_the_birth_is_refused(db):
    person = Person.objects.create(key="x", name="Иванов, Иван")
    with pytest.raises(PersonDatesInvalid, match="Иванов"):
        person_dates_set(
            person=person, birth_date=dt.date(1900, 1, 2), death_date=dt.date(1899, 1, 1), by=None
        )
    person.refresh_from_db()
    assert person.birth_year is None
