"""The literary calendar of the demo: the authors' days of life, and a few writers added by
staff so that every month of any year has a round date (the catalogue alone leaves gaps)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Person
from polka.catalog.services import person_dates_set
from polka.cli.demo import vocabulary as v
from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.litcal.models import ExtraPerson
from polka.litcal.services import extra_person_save

# Writers the demo catalogue has no books of: name, other names, born, died, note.
ADDED = (
    (
        "Аксёнов, Василий Павлович",
        "",
        "1932-08-20",
        "2009-07-06",
        "Прозаик, автор «Звёздного билета».",
    ),
    (
        "Вознесенский, Андрей Андреевич",
        "",
        "1933-05-12",
        "2010-06-01",
        "Поэт, автор «Юноны и Авось».",
    ),
    (
        "Айтматов, Чингиз Торекулович",
        "",
        "1928-12-12",
        "2008-06-10",
        "Писал на киргизском и русском.",
    ),
    (
        "Купер, Джеймс Фенимор",
        "Cooper, James Fenimore",
        "1789-09-15",
        "1851-09-14",
        "Автор «Последнего из могикан».",
    ),
)


def _initials(forenames: str) -> str:
    parts = forenames.split()
    return " ".join(p[:2] + "." if p.startswith("Дж") else p[0] + "." for p in parts)


def load(context: DemoContext) -> int:
    dated = 0
    for person in Person.objects.filter(corporate=False, birth_year__isnull=False):
        surname, _sep, forenames = person.name.partition(",")
        dates = v.LIFE_DATES.get((surname.strip(), _initials(forenames)))
        if dates is None or int(dates[0][:4]) != person.birth_year:
            continue
        born, died = (dt.date.fromisoformat(d) for d in dates)
        person_dates_set(person=person, birth_date=born, death_date=died, by=None)
        dated += 1
    metodist = get_user_model().objects.get(username="metodist")
    for name, other_names, birth, death, note in ADDED:
        extra_person_save(
            person=None,
            by=metodist,
            name=name,
            other_names=other_names,
            birth_date=dt.date.fromisoformat(birth),
            death_date=dt.date.fromisoformat(death),
            note=note,
        )
    return dated + len(ADDED)


def wipe() -> None:
    ExtraPerson.objects.all().delete()
    Person.objects.update(birth_date=None, death_date=None)


EXTRA = DemoExtra(
    name="litcal",
    label=_("писателей в литературном календаре"),
    load=load,
    wipe=wipe,
)
