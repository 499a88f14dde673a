"""On PostgreSQL a drawn record page's raw statements, the authors' other books and the write
of the kept page, are prepared once a connection like the ORM's hot queries (polka.core.prepared):
planned anew on every page, the other books cost the server as much to plan as to run."""

import pytest
from django.core.management import call_command
from django.db import connection

from polka.catalog.models import RecordAuthor
from polka.catalog.services import record_create
from polka.catalog.tests.services.test_work_keys import AT, marc21

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
    pytest.mark.django_db,
]


def _prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return int(cursor.fetchone()[0])


def test_the_other_books_and_the_kept_page_write_are_prepared(client, settings):
    settings.POLKA_PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {"BACKEND": "polka.core.dbcache.DatabaseCache", "LOCATION": "polka_test_kept"}
    }
    call_command("createcachetable", verbosity=0)
    books = [
        record_create(marc=marc21(title, author="Пушкин, Александр Сергеевич", year=year),
                      flavour="marc21", at=AT)
        for title, year in (("Евгений Онегин", "1999"), ("Дубровский", "2001"))
    ]  # fmt: skip
    assert RecordAuthor.objects.filter(record=books[0]).exists()
    response = client.get(f"/catalog/records/{books[0].pk}/")
    assert response.status_code == 200
    assert "Дубровский" in response.content.decode()  # the other book was read
    assert _prepared("work_digest <> $") == 1
    assert _prepared('INSERT INTO "polka_test_kept"') == 1
