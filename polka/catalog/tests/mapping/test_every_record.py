"""Every record of the real data files maps without an exception and with a title."""

import logging

import pytest

from polka.catalog.mapping import map_record
from polka.catalog.tests.mapping.records import FILES, XML_FILES, read_iso, read_xml


@pytest.fixture(autouse=True)
def _quiet_pymarc():
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.parametrize(("path", "flavour", "options"), FILES, ids=[f[0] for f in FILES])
def test_every_record_in_the_file_maps(path, flavour, options):
    records = list(read_iso(path, **options))
    assert records
    for record in records:
        mapped = map_record(record, flavour)
        assert mapped.title or mapped.warnings
        assert all(len(isbn) == 13 for isbn in mapped.isbns)
        assert mapped.year is None or 1000 <= mapped.year <= 2100


@pytest.mark.parametrize("path", XML_FILES)
def test_every_record_in_the_xml_file_maps(path):
    for record in read_xml(path):
        map_record(record, "marc21")
