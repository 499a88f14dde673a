"""The MARCXML SRU and OAI-PMH send is written when a record is imported or saved and kept in
MarcxmlCache; a row no longer written from the record's source is never sent."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from polka.catalog.services import record_delete, record_update
from polka.catalog.source import read_source
from polka.interop.marc.record import Subfield
from polka.protocols.models import MarcxmlCache
from polka.protocols.records import marcxml, source_digest
from polka.protocols.tests.conftest import AT

pytestmark = pytest.mark.django_db


def oai_marcxml(client, record) -> str:
    params = {"verb": "GetRecord", "metadataPrefix": "marcxml",
              "identifier": f"oai:polka.library:{record.pk}"}  # fmt: skip
    return client.get("/oai", params).content.decode()


def test_the_import_writes_every_records_marcxml(catalogue):
    rows = dict(MarcxmlCache.objects.values_list("record_id", "xml"))
    assert len(rows) == len(catalogue)
    for record in catalogue:
        assert rows[record.pk] == marcxml(record)


def test_a_saved_record_is_sent_as_it_is_now(client, catalogue, cataloguer):
    record = catalogue[3]
    marc = read_source(record)
    title = marc.first_field("245") or marc.first_field("200")
    assert title is not None
    title.subfields.insert(0, Subfield("a", "Совсем новое заглавие"))
    record_update(record=record, marc=marc, by=cataloguer, at=AT, summary="test")
    record.refresh_from_db()
    assert MarcxmlCache.objects.get(record_id=record.pk).digest == source_digest(record)
    assert "Совсем новое заглавие" in oai_marcxml(client, record)


def test_a_row_written_from_another_source_is_written_again(client, catalogue):
    record = catalogue[0]
    MarcxmlCache.objects.filter(record_id=record.pk).update(digest="0" * 32, xml="<stale/>")
    body = oai_marcxml(client, record)
    assert "<stale/>" not in body and "<leader>" in body
    assert MarcxmlCache.objects.get(record_id=record.pk).xml == marcxml(record)
    sru = client.get("/sru", {"query": f"rec.id = {record.pk}"}).content.decode()
    assert "<stale/>" not in sru


def test_a_cache_that_cannot_be_stored_does_not_stop_the_answer(client, catalogue, monkeypatch):
    record = catalogue[1]
    MarcxmlCache.objects.filter(record_id=record.pk).delete()

    def busy(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr("polka.protocols.records._cache_store", busy)
    assert "<leader>" in oai_marcxml(client, record)
    assert not MarcxmlCache.objects.filter(record_id=record.pk).exists()


def test_a_deleted_record_leaves_no_marcxml(catalogue, cataloguer):
    record = catalogue[2]
    record_delete(record=record, by=cataloguer, at=AT)
    assert not MarcxmlCache.objects.filter(record_id=record.pk).exists()
