"""A record page's "other books by these authors" and an author page read a person's records
newest first off the (person, year, record) index (RecordAuthor.year): a prolific author's
other records are never all read, and the newest are never missed for being catalogued early."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.catalog import selectors
from polka.catalog.models import Record, RecordAuthor, work_digest
from polka.catalog.services import record_create, record_update
from polka.catalog.tests.services.test_work_keys import AT, marc21
from polka.catalog.works import work_keys_refresh
from polka.interop.marc.record import Field, Subfield

pytestmark = pytest.mark.django_db

AUTHOR = "Пушкин, Александр Сергеевич"


def _books(years: tuple[str, ...]) -> list[Record]:
    return [
        record_create(marc=marc21(f"Книга {n}", author=AUTHOR, year=y), flavour="marc21", at=AT)
        for n, y in enumerate(years)
    ]


def test_other_books_are_the_newest_by_year_however_few_are_read(monkeypatch):
    books = _books(("2020", "1990", "1991", "1992", "1993"))  # the first catalogued is the newest
    person = RecordAuthor.objects.get(record=books[0]).person_id
    page = books[-1]

    def others() -> list[int]:
        found = selectors.records_other_by_people(people=[person], exclude=page.pk, limit=2)
        return [record.pk for record in found]

    assert others() == [books[0].pk, books[3].pk]  # 2020, then 1992
    # Three read: the three newest by year (2020, the page's own 1993, 1992), not the three
    # latest catalogued, which would have missed 2020.
    monkeypatch.setattr(selectors, "OTHERS_SCAN", 3)
    assert others() == [books[0].pk, books[3].pk]


def test_an_authorship_keeps_its_records_year_when_the_record_changes():
    (book,) = _books(("1999",))
    assert RecordAuthor.objects.get(record=book).year == 1999
    record_update(record=book, marc=marc21("Книга 0", author=AUTHOR, year="2004"), by=None, at=AT)
    assert RecordAuthor.objects.get(record=book).year == 2004
    person = RecordAuthor.objects.get(record=book).person_id
    assert list(selectors.person_record_ids(person_id=person)) == [book.pk]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        else:
            # A test's few rows are cheaper to sort: these say which plan a large catalogue
            # gets, where a Sort remains only if no index gives the order.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sql)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_authors_records_are_read_in_order_off_the_person_year_index():
    (book,) = _books(("2001",))
    person = RecordAuthor.objects.get(record=book).person_id
    with CaptureQueriesContext(connection) as queries:
        selectors.records_other_by_people(people=[person], exclude=0, limit=10)
    (others,) = [q["sql"] for q in queries.captured_queries]
    assert "catalog_author_person_year" in _plan(others)
    # The author page's keys come in the index's order: no sort of the person's records.
    plan = _plan(str(selectors.person_record_ids(person_id=person)[20:40].query))
    assert "catalog_author_person_year" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_two_authors_books_come_newest_first_and_a_shared_book_once():
    solo = _books(("1990", "2010"))
    other = "Гоголь, Николай Васильевич"
    theirs = [
        record_create(marc=marc21(f"Повесть {n}", author=other, year=y), flavour="marc21", at=AT)
        for n, y in enumerate(("2000", "2020"))
    ]
    both = marc21("Сборник", author=AUTHOR, year="2015")
    both.fields.append(Field("700", "1 ", [Subfield("a", other)]))
    shared = record_create(marc=both, flavour="marc21", at=AT)
    people = [RecordAuthor.objects.get(record=solo[0]).person_id]
    people.append(RecordAuthor.objects.get(record=theirs[0]).person_id)
    found = selectors.records_other_by_people(people=people, exclude=solo[0].pk, limit=10)
    expected = [theirs[1], shared, solo[1], theirs[0]]  # 2020, 2015, 2010, 2000
    assert [(r.pk, r.title, r.year) for r in found] == [(r.pk, r.title, r.year) for r in expected]
    assert [r.pk for r in selectors.records_other_by_people(
        people=people, exclude=solo[0].pk, limit=2
    )] == [theirs[1].pk, shared.pk]  # fmt: skip


def test_each_authors_records_are_read_off_the_index_in_its_own_range():
    books = _books(("2001",))
    other = record_create(
        marc=marc21("Повесть", author="Гоголь, Николай Васильевич", year="2002"),
        flavour="marc21",
        at=AT,
    )
    people = [RecordAuthor.objects.get(record=r).person_id for r in (books[0], other)]
    with CaptureQueriesContext(connection) as queries:
        selectors.records_other_by_people(people=people, exclude=0, limit=10)
    (others,) = [q["sql"] for q in queries.captured_queries]
    plan = _plan(others)
    # One ordered range a person (an IN list of people has no order: every authorship of all
    # of them was read and sorted, 96,460 for one heading of the 1,000,000-record bench).
    assert plan.count("catalog_author_person_year") == 2, plan
    if connection.vendor == "postgresql":  # the ranges merged in order: the join stops early
        assert "Merge Append" in plan and not re.search(r"(^|->)\s*Sort\s", plan), plan


def test_an_author_whose_newest_books_are_one_works_editions_still_shows_the_others(monkeypatch):
    editions = _books_titled("Война и мир", ("2020", "2021", "2022", "2023"))
    others = _books_titled("Анна Каренина", ("1991",)) + _books_titled("Детство", ("1990",))
    person = RecordAuthor.objects.get(record=editions[0]).person_id
    # Three read a person: the three newest of other works, not three editions left out.
    monkeypatch.setattr(selectors, "OTHERS_SCAN", 3)
    found = selectors.records_other_by_people(
        people=[person], exclude=editions[0].pk, limit=10, work_key=editions[0].work_key
    )
    assert [r.pk for r in found] == [others[0].pk, others[1].pk]


def test_an_authorships_work_digest_follows_its_records_work_key():
    (book,) = _books(("1999",))

    def digests() -> set[int]:
        return set(RecordAuthor.objects.filter(record=book).values_list("work_digest", flat=True))

    book.refresh_from_db()
    assert book.work_key and digests() == {work_digest(book.work_key)}
    record_update(
        record=book, marc=marc21("Другая книга", author=AUTHOR, year="1999"), by=None, at=AT
    )
    book.refresh_from_db()
    assert digests() == {work_digest(book.work_key)}
    # A key recomputed in bulk (`polka reindex --work-keys`, migrations) rewrites the digest.
    key = book.work_key
    Record.objects.filter(pk=book.pk).update(work_key="stale")
    RecordAuthor.objects.filter(record=book).update(work_digest=work_digest("stale"))
    work_keys_refresh(Record.objects.filter(pk=book.pk), RecordAuthor.objects.all())
    assert digests() == {work_digest(key)}


def _books_titled(title: str, years: tuple[str, ...]) -> list[Record]:
    return [
        record_create(marc=marc21(title, author=AUTHOR, year=y), flavour="marc21", at=AT)
        for y in years
    ]


def test_another_works_editions_are_listed_once_by_the_newest():
    (page,) = _books_titled("Детство", ("1990",))
    editions = _books_titled("Анна Каренина", ("2001", "2011", "2005"))
    (single,) = _books_titled("Отрочество", ("2008",))
    person = RecordAuthor.objects.get(record=page).person_id
    found = selectors.records_other_by_people(
        people=[person], exclude=page.pk, limit=10, work_key=page.work_key
    )
    assert [(r.pk, r.year) for r in found] == [(editions[1].pk, 2011), (single.pk, 2008)]


def test_other_books_show_as_many_works_as_asked_when_the_newest_are_editions_of_a_few():
    (page,) = _books_titled("Детство", ("1990",))
    tales = _books_titled("Сказки", ("2020", "2021", "2022"))
    novels = _books_titled("Анна Каренина", ("2017", "2018", "2019"))
    (older,) = _books_titled("Отрочество", ("2001",))
    person = RecordAuthor.objects.get(record=page).person_id
    found = selectors.records_other_by_people(
        people=[person], exclude=page.pk, limit=3, work_key=page.work_key
    )
    assert [r.pk for r in found] == [tales[2].pk, novels[2].pk, older.pk]
