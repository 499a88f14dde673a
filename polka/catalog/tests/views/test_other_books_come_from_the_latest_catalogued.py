"""A record page picks "other books by these authors" among the authors' latest catalogued
records (selectors.OTHERS_SCAN), read off the (person, record) index, instead of reading every
record of a prolific author."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.catalog import selectors
from polka.catalog.models import RecordAuthor
from polka.catalog.services import record_create
from polka.catalog.tests.services.test_work_keys import AT, marc21

pytestmark = pytest.mark.django_db

AUTHOR = "Пушкин, Александр Сергеевич"


def test_other_books_are_the_newest_among_the_latest_catalogued(monkeypatch):
    years = ("2020", "1990", "1991", "1992", "1993")  # the first catalogued is the newest
    books = [
        record_create(marc=marc21(f"Книга {n}", author=AUTHOR, year=y), flavour="marc21", at=AT)
        for n, y in enumerate(years)
    ]
    person = RecordAuthor.objects.get(record=books[0]).person_id
    page = books[-1]

    def others() -> list[int]:
        found = selectors.records_other_by_people(people=[person], exclude=page.pk, limit=2)
        return [record.pk for record in found]

    assert others() == [books[0].pk, books[3].pk]  # 2020, then 1992
    monkeypatch.setattr(selectors, "OTHERS_SCAN", 3)
    # The three latest catalogued are 1991, 1992 and the page's own record.
    assert others() == [books[3].pk, books[2].pk]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_authors_records_are_read_off_the_person_record_index():
    book = record_create(marc=marc21("Книга", author=AUTHOR, year="2001"), flavour="marc21", at=AT)
    person = RecordAuthor.objects.get(record=book).person_id
    with CaptureQueriesContext(connection) as queries:
        selectors.records_other_by_people(people=[person], exclude=0, limit=10)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX catalog_author_person_record" in plan, plan
