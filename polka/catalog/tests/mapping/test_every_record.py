"""Every readable record of the shared real data maps without an exception."""

import pytest

from polka.catalog.mapping import map_record
from polka.catalog.tests.mapping.records import data_files, read_records

FILES = data_files()


def test_the_data_set_is_there():
    assert len(FILES) > 50


@pytest.mark.parametrize("path", FILES)
def test_every_record_in_the_file_maps(path):
    for record, flavour in read_records(path):
        mapped = map_record(record, flavour)
        assert mapped.title or mapped.warnings
        assert all(len(isbn) == 13 and isbn.isdigit() for isbn in mapped.isbns)
        assert mapped.year is None or 1000 <= mapped.year <= 2999
        assert mapped.age_mark in ("", "0+", "6+", "12+", "16+", "18+")
