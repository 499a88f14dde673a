"""The catalogue services keep the index in step, inside their own transactions."""

import datetime as dt

import pytest
from django.db import transaction

from polka.catalog import services
from polka.catalog.tests.standins import marc
from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def titles(text):
    from polka.catalog.models import Record

    hits = get_backend().query(SearchRequest(text=text)).hits
    return [Record.objects.get(pk=hit.record_id).title for hit in hits]


def test_a_created_record_is_found_and_a_rolled_back_one_is_not():
    services.record_create(marc=marc("Хроники Нарнии", author="Льюис, Клайв"),
                           flavour="marc21", at=AT)  # fmt: skip
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_create(marc=marc("Хроники Амбера"), flavour="marc21", at=AT)
        raise RuntimeError("the catalogue write failed")
    assert titles("хроники") == ["Хроники Нарнии"]
    assert titles("автор:льюис") == ["Хроники Нарнии"]


def test_a_deleted_record_is_no_longer_found():
    record = services.record_create(marc=marc("Остров сокровищ"), flavour="marc21", at=AT)
    services.record_delete(record=record, by=None, at=AT)
    assert titles("остров") == []


def test_a_deleted_record_leaves_no_facets_behind_though_the_database_does_not_check_them():
    from polka.catalog.models import Record
    from polka.search.models import SearchFacet

    kept = services.record_create(marc=marc("Остров сокровищ", author="Стивенсон, Роберт"),
                                  flavour="marc21", at=AT)  # fmt: skip
    gone = services.record_create(marc=marc("Чёрная стрела", author="Стивенсон, Роберт"),
                                  flavour="marc21", at=AT)  # fmt: skip
    assert SearchFacet.objects.filter(record_id=gone.pk, field="author").exists()
    services.record_delete(record=gone, by=None, at=AT)
    assert not SearchFacet.objects.filter(record_id=gone.pk).exists()
    # A record deleted through the ORM alone takes its facets with it too.
    Record.objects.filter(pk=kept.pk).delete()
    assert not SearchFacet.objects.exists()
