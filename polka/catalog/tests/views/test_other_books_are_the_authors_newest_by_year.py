"""A record page's "other books by these authors" and an author page read a person's records
newest first off the (person, year, record) index (RecordAuthor.year): a prolific author's
other records are never all read, and the newest are never missed for being catalogued early."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.catalog import selectors
from polka.catalog.models import Record, RecordAuthor
from polka.catalog.services import record_create, record_update
from polka.catalog.tests.services.test_work_keys import AT, marc21

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
