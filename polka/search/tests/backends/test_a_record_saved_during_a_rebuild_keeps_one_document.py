"""A record saved while a full rebuild runs waits for the rebuild to commit, then replaces the
rebuild's document of itself: one document, the new words, no error. (On SQLite one writer runs
at a time anyway; on PostgreSQL the save used to add a second document and fail on its key.)"""

import threading

import pytest
from django.db import connection, connections, transaction

from polka.catalog.models import Record
from polka.search.backends import get_backend
from polka.search.indexing import index_records
from polka.search.tests.factories import make_record

pytestmark = pytest.mark.django_db(transaction=True)


def rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def test_a_record_saved_during_a_rebuild_keeps_one_document():
    war = make_record("Война и мир", authors=("Толстой, Лев Николаевич",), year=1869)
    other = make_record("Анна Каренина", authors=("Толстой, Лев Николаевич",), year=1878)
    rebuilding, finish = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def rebuild() -> None:
        def halfway(_count: int) -> None:
            rebuilding.set()
            finish.wait(10)

        try:
            with transaction.atomic():
                get_backend().rebuild([[war.pk, other.pk]], halfway)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    def save() -> None:
        try:
            with transaction.atomic():
                Record.objects.filter(pk=war.pk).update(title="Война и мир. Том первый")
                index_records([war.pk])
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    assert rebuilding.wait(10)
    saver = threading.Thread(target=save)
    saver.start()
    saver.join(0.5)
    if connection.vendor == "postgresql":
        assert saver.is_alive(), "the save must wait for the rebuild's transaction"
    finish.set()
    rebuilder.join(30)
    saver.join(30)
    assert not failures, failures
    assert rows("SELECT count(*) FROM search_document WHERE record_id = %s", [war.pk]) == [(1,)]
    found = get_backend().suggest("Война и мир. Том перв")
    assert war.pk in found
    facets = rows(
        "SELECT field, value, count(*) FROM search_facet WHERE record_id = %s "
        "GROUP BY field, value HAVING count(*) > 1",
        [war.pk],
    )
    assert facets == []
