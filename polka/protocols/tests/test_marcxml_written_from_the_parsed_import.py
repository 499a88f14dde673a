"""An import writes each record's MARCXML from the record it has just parsed, not by parsing the
stored bytes again (catalog.source.sources_stored): the XML is the same as from the stored
bytes, for every kind of real file (MARC-8, UTF-8 with and without the leader flag, CP1251
RUSMARC, MARCXML, MARC-in-JSON), and only a row still holding those bytes is read that way."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.catalog import source
from polka.catalog.importing import catalog_import
from polka.catalog.models import Record
from polka.catalog.source import StoredSource, read_source, sources_stored
from polka.protocols.models import MarcxmlCache
from polka.protocols.records import marcxml
from polka.shared_data import marc_data_dir

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
FILES = (
    "pymarc/marc8.dat",
    "pymarc/utf8_with_leader_flag.dat",
    "pymarc/utf8_without_leader_flag.dat",
    "pymarc/testunimarc.dat",
    "pymarc/batch.xml",
    "pymarc/batch.json",
    "managedirbis/TestData/TEST1.ISO",
)


def _counting_parses(monkeypatch) -> list[int]:
    calls: list[int] = []
    parse = source.marc_parse_source

    def counted(*args, **kwargs):
        calls.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(source, "marc_parse_source", counted)
    return calls


def test_the_xml_written_at_import_is_the_xml_of_the_stored_bytes(monkeypatch):
    parses = _counting_parses(monkeypatch)
    summary = catalog_import(paths=[marc_data_dir() / name for name in FILES], at=AT)
    assert summary.created > 80 and not parses  # no stored source was parsed again
    written = dict(MarcxmlCache.objects.values_list("record_id", "xml"))
    records = list(Record.objects.order_by("pk"))
    assert len(written) == len(records) == summary.created
    for record in records:  # outside the import: read from the stored bytes
        assert written[record.pk] == marcxml(record), record.pk
    assert len(parses) == len(records)


def test_a_row_that_no_longer_holds_the_parsed_bytes_is_read_from_its_own(monkeypatch):
    catalog_import(paths=[marc_data_dir() / "pymarc/one.dat"], at=AT)
    record = Record.objects.get()
    stored = read_source(record)
    stale = read_source(record)
    stale.fields = stale.fields[:1]
    parses = _counting_parses(monkeypatch)
    known = {
        record.pk: StoredSource(bytes(record.source), record.source_encoding, record.format, stale)
    }
    with sources_stored(known):
        assert read_source(record) is stale
        assert not parses
        record.source = bytes(record.source) + b" "
        assert read_source(record) is not stale and len(parses) == 1
    record.refresh_from_db()
    assert read_source(record).fields == stored.fields  # the block is over
