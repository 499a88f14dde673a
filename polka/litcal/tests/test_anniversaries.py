"""Round anniversaries are computed from the authorities' dates: leap days, unknown days,
pseudonyms, corporate bodies, staff notes and additions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from polka.catalog.models import Person, Record, RecordAuthor
from polka.litcal.models import ExtraPerson, PersonNote
from polka.litcal.selectors import anniversaries_for_month, anniversaries_for_year

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _person(
    name,
    *,
    born=None,
    born_year=None,
    died=None,
    died_year=None,
    forms=(),
    corporate=False,
    books=1,
):
    person = Person.objects.create(
        name=name, name_forms=list(forms), corporate=corporate,
        birth_date=born, birth_year=born_year or (born.year if born else None),
        death_date=died, death_year=died_year or (died.year if died else None),
    )  # fmt: skip
    for n in range(books):
        record = Record.objects.create(
            format="marc21", source=b"", title=f"{name} {n}", created_at=AT, updated_at=AT
        )
        RecordAuthor.objects.create(record=record, person=person, position=0)
    return person


def test_round_birth_and_death_anniversaries_land_on_their_days():
    _person("Пушкин, Александр Сергеевич", born=dt.date(1799, 6, 6), died=dt.date(1837, 2, 10))
    _person("Не круглый, Автор", born=dt.date(1801, 6, 6))
    june = anniversaries_for_month(year=2029, month=6)
    assert [(a.name, a.kind, a.years, a.on) for a in june] == [
        ("Пушкин, Александр Сергеевич", "birth", 230, dt.date(2029, 6, 6))
    ]
    february = anniversaries_for_month(year=2027, month=2)
    assert [(a.kind, a.years, a.books) for a in february] == [("death", 190, 1)]


def test_a_leap_day_birthday_is_shown_on_28_february_in_other_years():
    _person("Родившийся, Високосный", born=dt.date(1896, 2, 29))
    assert [a.on for a in anniversaries_for_month(year=2026, month=2)] == [dt.date(2026, 2, 28)]
    assert [a.on for a in anniversaries_for_month(year=2036, month=2)] == [dt.date(2036, 2, 29)]


def test_a_birth_known_only_by_year_is_on_the_year_page_not_in_a_month():
    _person("Годов, Только", born_year=1926)
    (entry,) = anniversaries_for_year(year=2026)
    assert entry.on is None and entry.years == 100
    assert all(anniversaries_for_month(year=2026, month=m) == [] for m in range(1, 13))


def test_a_pseudonym_and_the_real_name_appear_once_with_both_names():
    born = dt.date(1860, 1, 29)
    _person("Чехов, Антон Павлович", born=born, forms=["Чехонте, Антоша"], books=3)
    _person("Чехонте, Антоша", born=born, books=1)
    (entry,) = anniversaries_for_month(year=2030, month=1)
    assert entry.name == "Чехов, Антон Павлович" and "Чехонте, Антоша" in entry.other_names
    assert entry.books == 4


def test_corporate_bodies_and_hidden_persons_never_appear_and_staff_add_people():
    _person("Издательство «Наука»", born_year=1926, corporate=True)
    hidden = _person("Скрытый, Автор", born=dt.date(1926, 5, 1))
    PersonNote.objects.create(person=hidden, hidden=True)
    ExtraPerson.objects.create(
        name="Местный поэт", birth_date=dt.date(1951, 10, 20), birth_year=1951, note="Наш земляк"
    )
    assert [(a.name, a.years, a.note) for a in anniversaries_for_year(year=2026)] == [
        ("Местный поэт", 75, "Наш земляк")
    ]


def test_staff_notes_are_shown_and_pages_are_generated(client):
    noted = _person("Есенин, Сергей Александрович", born=dt.date(1895, 10, 3))
    PersonNote.objects.create(person=noted, note="Выставка в ЦГБ")
    (entry,) = anniversaries_for_month(year=2025, month=10)
    assert (entry.years, entry.note) == (130, "Выставка в ЦГБ")
    year_page = client.get(reverse("litcal:year", args=[2025])).content.decode()
    assert "Юбилеи писателей 2025" in year_page and "130 лет со дня рождения" in year_page
    month_page = client.get(reverse("litcal:month", args=[2025, 10])).content.decode()
    assert "Есенин" in month_page and reverse("catalog:author", args=[noted.pk]) in month_page
    assert client.get(reverse("litcal:month", args=[2025, 13])).status_code == 404


def test_a_year_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for n in range(30):
        _person(f"Автор {n}, Имя", born=dt.date(1926, 1 + n % 12, 1 + n % 28))
    with django_assert_max_num_queries(8):
        assert len(anniversaries_for_year(year=2026)) == 30
