"""Writers' anniversaries for a year or a month, computed from the person authorities' dates.

Rules (docs/litcal.md):
- a round anniversary is every POLKA_ANNIVERSARY_STEP years (default 5) of birth or of death;
- a date known only by its year is listed on the year page under "day unknown", never in a month;
- someone born on 29 February is listed on 28 February in a year without that day;
- corporate bodies never appear; the same person under several names (a pseudonym and the real
  name, two authority rows with the same dates and each other's name among their forms) appears
  once, under the heading name, with the other forms shown;
- staff notes are shown, hidden persons are not; staff-added people join the computed ones.
The work is a few queries over the year columns, not a scan of every person.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from polka.catalog.models import Person
from polka.events.models import Event
from polka.litcal.models import ExtraPerson, PersonNote
from polka.programmes.models import Exhibition

BIRTH, DEATH = "birth", "death"


def step() -> int:
    return int(getattr(settings, "POLKA_ANNIVERSARY_STEP", 5))


@dataclass
class Anniversary:
    name: str
    kind: str  # BIRTH or DEATH
    years: int
    on: dt.date | None  # the day in the calendar year; None when only the year is known
    original: dt.date | None  # the day it happened (None: only the year is known)
    year: int  # the year it happened
    person_id: int | None = None  # a catalogue person (author page, books)
    books: int = 0
    other_names: list[str] = field(default_factory=list)
    note: str = ""
    events: list[Event] = field(default_factory=list)
    exhibitions: list[Exhibition] = field(default_factory=list)


def _day_in(year: int, original: dt.date) -> dt.date:
    if original.month == 2 and original.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return original.replace(year=year)


def _round(year: int, column: str) -> Q:
    return Q(**{f"{column}__lt": year}) & Q(**{f"{column}__isnull": False})


# The earliest year a round anniversary is looked for (the calendar's oldest writers).
EARLIEST_YEAR = -3000


def _people(year: int, kind: str) -> QuerySet[Person]:
    column = "birth_year" if kind == BIRTH else "death_year"
    hidden = PersonNote.objects.filter(hidden=True).values("person_id")
    people = Person.objects.filter(_round(year, column), corporate=False).exclude(pk__in=hidden)
    if step() > 1:
        # The round years as a list, which the column's index answers: the remainder of
        # (year - column) / step had every person read on each visit of the calendar.
        rounds = range(year - step(), EARLIEST_YEAR - 1, -step())
        people = people.filter(**{f"{column}__in": list(rounds)})
    return people.annotate(books=Count("authorships__record", distinct=True))


def _key(names: Iterable[str]) -> set[str]:
    return {" ".join(n.lower().replace(",", " ").split()) for n in names if n}


def _merge(entries: list[Anniversary]) -> list[Anniversary]:
    """One entry per person: rows with the same dates whose names overlap (a pseudonym and the
    real name) are merged under the first heading, keeping the other names."""
    merged: list[Anniversary] = []
    for entry in entries:
        names = _key([entry.name, *entry.other_names])
        twin = next(
            (
                m
                for m in merged
                if m.kind == entry.kind
                and m.year == entry.year
                and m.original == entry.original
                and names & _key([m.name, *m.other_names])
            ),
            None,
        )
        if twin is None:
            merged.append(entry)
            continue
        twin.other_names = sorted(
            set(twin.other_names) | {entry.name, *entry.other_names} - {twin.name}
        )
        twin.books += entry.books
        twin.note = twin.note or entry.note
    return merged


def anniversaries_for_year(*, year: int) -> list[Anniversary]:
    """Every round anniversary in `year`, in calendar order (unknown days last)."""
    entries: list[Anniversary] = []
    notes = dict(PersonNote.objects.values_list("person_id", "note"))
    for kind in (BIRTH, DEATH):
        date_field = "birth_date" if kind == BIRTH else "death_date"
        year_field = "birth_year" if kind == BIRTH else "death_year"
        for person in _people(year, kind):
            original = getattr(person, date_field)
            happened = getattr(person, year_field)
            entries.append(
                Anniversary(
                    name=person.name,
                    kind=kind,
                    years=year - happened,
                    on=_day_in(year, original) if original else None,
                    original=original,
                    year=happened,
                    person_id=person.pk,
                    books=person.books,  # type: ignore[attr-defined]
                    other_names=[n for n in person.name_forms if n != person.name],
                    note=notes.get(person.pk, ""),
                )
            )
        extra = ExtraPerson.objects.filter(_round(year, year_field), hidden=False)
        for added in extra:
            happened = getattr(added, year_field)
            if (year - happened) % step():
                continue
            original = getattr(added, date_field)
            entries.append(
                Anniversary(
                    name=added.name,
                    kind=kind,
                    years=year - happened,
                    on=_day_in(year, original) if original else None,
                    original=original,
                    year=happened,
                    other_names=[n.strip() for n in added.other_names.split(";") if n.strip()],
                    note=added.note,
                )
            )
    entries = _merge(entries)
    entries.sort(key=lambda a: (a.on is None, a.on or dt.date.max, a.name))
    _link(entries, year)
    return entries


def anniversaries_for_month(*, year: int, month: int) -> list[Anniversary]:
    return [
        a for a in anniversaries_for_year(year=year) if a.on is not None and a.on.month == month
    ]


def _surname(name: str) -> str:
    return name.split(",")[0].split()[0] if name.strip() else ""


def _link(entries: list[Anniversary], year: int) -> None:
    """Events and exhibitions of that year whose title names the writer (by surname)."""
    if not entries:
        return
    surnames = {_surname(e.name) for e in entries if len(_surname(e.name)) > 3}
    if not surnames:
        return
    title_q = Q()
    for surname in surnames:
        title_q |= Q(title__icontains=surname[:-1])  # «Пушкин» also finds «Пушкинский праздник»
    events = list(Event.objects.filter(title_q, is_published=True, starts_at__year=year))
    exhibitions = list(
        Exhibition.objects.filter(title_q, is_published=True).filter(
            Q(starts_on__year=year) | Q(ends_on__year=year)
        )
    )
    for entry in entries:
        stem = _surname(entry.name)[:-1].lower()
        if len(stem) < 3:
            continue
        entry.events = [e for e in events if stem in e.title.lower()]
        entry.exhibitions = [x for x in exhibitions if stem in x.title.lower()]
