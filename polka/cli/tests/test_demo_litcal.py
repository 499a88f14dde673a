"""The demo's literary calendar has round dates in every month of every year."""

from __future__ import annotations

import datetime as dt

from polka.catalog.models import Person
from polka.cli.demo import vocabulary as v
from polka.cli.demo.generator import demo_load
from polka.cli.demo.litcal import ADDED
from polka.litcal.selectors import anniversaries_for_month, step

AT = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def test_the_demo_writers_dates_agree_with_their_years_and_cover_every_month_of_a_cycle():
    for author in v.AUTHORS:
        born, died = v.LIFE_DATES[(author.surname, author.initials)]
        assert (int(born[:4]), int(died[:4])) == (author.birth, author.death), author.surname
    days = [dt.date.fromisoformat(d) for pair in v.LIFE_DATES.values() for d in pair]
    days += [dt.date.fromisoformat(d) for _n, _o, born, died, _note in ADDED for d in (born, died)]
    for residue in range(5):  # the anniversary step is five years
        months = {d.month for d in days if d.year % 5 == residue}
        assert months == set(range(1, 13)), (residue, set(range(1, 13)) - months)


def test_the_loaded_demo_dates_its_authors_and_fills_every_month_of_this_year_and_the_next(db):
    demo_load(seed=1, records=400, at=AT)
    # Every writer with years of life now has days too (the invented authors have no dates).
    assert Person.objects.filter(corporate=False, birth_date__isnull=False).count() > 40
    assert not Person.objects.filter(birth_year__isnull=False, birth_date__isnull=True).exists()
    assert step() == 5
    for year in (2026, 2027):
        for month in range(1, 13):
            assert anniversaries_for_month(year=year, month=month), (year, month)
