"""The record page lists the other editions of its work, and keeps them out of "other books"."""

import pytest
from django.urls import reverse

from polka.catalog.services import record_create
from polka.catalog.tests.services.test_work_keys import AT, marc21

pytestmark = pytest.mark.django_db

TOLSTOY = "Толстой, Лев Николаевич"


def test_record_page_lists_the_other_editions_of_its_work_apart_from_other_books(client):
    first, second, third = (
        record_create(marc=marc21("Война и мир", author=TOLSTOY, year=y), flavour="marc21", at=AT)
        for y in ("1957", "2012", "2020")
    )
    other_book = record_create(
        marc=marc21("Анна Каренина", author=TOLSTOY), flavour="marc21", at=AT
    )
    namesake = record_create(
        marc=marc21("Война и мир", author="Прудон, Пьер Жозеф"), flavour="marc21", at=AT
    )
    text = client.get(reverse("catalog:record", args=[first.pk])).text
    editions, others = text.split('id="editions-heading"')[1].split('id="others-heading"')
    assert reverse("catalog:record", args=[third.pk]) in editions
    assert editions.index(", 2020, Эксмо") < editions.index(", 2012, Эксмо")  # newest first
    assert reverse("catalog:record", args=[other_book.pk]) not in editions
    assert reverse("catalog:record", args=[namesake.pk]) not in text
    assert reverse("catalog:record", args=[second.pk]) not in others
    assert reverse("catalog:record", args=[other_book.pk]) in others


def test_a_record_alone_in_its_work_has_no_editions_section(client):
    record = record_create(marc=marc21("Война и мир", author=TOLSTOY), flavour="marc21", at=AT)
    assert "editions-heading" not in client.get(reverse("catalog:record", args=[record.pk])).text


def test_editions_come_newest_first_the_undated_last_on_either_engine(client):
    # PostgreSQL sorts NULL first when descending, SQLite last: the order is said outright.
    page, undated, dated = (
        record_create(marc=marc21("Война и мир", author=TOLSTOY, year=y), flavour="marc21", at=AT)
        for y in ("2020", "[б. г.]", "1957")
    )
    assert undated.year is None
    text = client.get(reverse("catalog:record", args=[page.pk])).text
    editions = text.split('id="editions-heading"')[1].split("</section>")[0]
    dated_at = editions.index(reverse("catalog:record", args=[dated.pk]))
    assert dated_at < editions.index(reverse("catalog:record", args=[undated.pk]))


def test_editions_of_one_year_come_latest_catalogued_first_read_off_the_index_unsorted():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from polka.catalog import selectors

    page, *same_year = (
        record_create(
            marc=marc21("Война и мир", author=TOLSTOY, year="2012"), flavour="marc21", at=AT
        )
        for _ in range(4)
    )
    with CaptureQueriesContext(connection) as queries:
        found = selectors.records_other_editions(record=page, limit=2)
    assert [r.pk for r in found] == [same_year[2].pk, same_year[1].pk]
    (sql,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
            assert "catalog_record_work" in plan and "TEMP B-TREE" not in plan, plan
        else:
            # Sorting forbidden: a plan that must sort keeps its Sort node all the same (the
            # (work key, year) index alone left an Incremental Sort on the id).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql)
            plan = " / ".join(str(row[0]) for row in cursor.fetchall())
            assert "catalog_record_work" in plan and "Sort" not in plan, plan
