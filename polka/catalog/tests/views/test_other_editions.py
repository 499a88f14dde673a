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
