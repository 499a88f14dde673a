"""Real MARC files for the mapping tests, read with pymarc and turned into MarcRecord.

The mapping is tested apart from the project's ISO 2709 reader: these tests must not fail
because a codec is being worked on.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pymarc

from polka.interop.marc.record import Field, MarcFlavour, MarcRecord, Subfield

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "marc"
if not DATA.is_dir():  # the worktree lives in /work/wt/NAME, the data in /work/shared
    DATA = Path("/work/shared/data/marc")


def from_pymarc(record: pymarc.Record) -> MarcRecord:
    fields = []
    for fld in record.fields:
        if fld.is_control_field():
            fields.append(Field(fld.tag, data=fld.data))
        else:
            indicators = "".join(i or " " for i in fld.indicators)[:2].ljust(2)
            subfields = [Subfield(sf.code, sf.value) for sf in fld.subfields]
            fields.append(Field(fld.tag, indicators, subfields))
    return MarcRecord(leader=str(record.leader), fields=fields)


# path relative to DATA, flavour, pymarc reading options
FILES: list[tuple[str, MarcFlavour, dict[str, object]]] = [
    ("managedirbis/TestData/TEST1.ISO", "rusmarc", {"file_encoding": "cp1251"}),
    ("pymarc/1251.dat", "marc21", {"file_encoding": "cp1251"}),
    ("pymarc/testunimarc.dat", "rusmarc", {}),
    ("evergreen/FSL.marc", "marc21", {"force_utf8": True}),
    ("evergreen/jazz_1k.mrc", "marc21", {}),
    ("evergreen/lul_fre_500.mrc", "marc21", {}),
    ("evergreen/nepali.marc", "marc21", {"force_utf8": True}),
    ("evergreen/hebrew.marc", "marc21", {}),
    ("evergreen/oss.marc", "marc21", {}),
    ("evergreen/map_data.mrc", "marc21", {}),
    ("evergreen/sample_acq_order.mrc", "marc21", {}),
    ("qa-catalogue/general/BooksAll.2014.part01-0001.mrc", "marc21", {}),
    ("qa-catalogue/unimarc/serial.bnr.1993.mrc", "rusmarc", {}),
    ("qa-catalogue/unimarc/short.bnr.1993.mrc", "rusmarc", {}),
    ("qa-catalogue/unimarc/short.firenze.1977.mrc", "rusmarc", {}),
    ("pymarc/marc.dat", "marc21", {}),
    ("pymarc/regression45.dat", "marc21", {}),
    ("pymarc/test.dat", "marc21", {}),
    ("pymarc/multi_isbn.dat", "marc21", {}),
    ("dnb-marc21-rs/tests/data/minna.mrc", "marc21", {}),
    ("zebra-examples/sample-marc.gz", "marc21", {}),
]
XML_FILES: list[str] = ["evergreen/badisbns.xml", "pymarc/batch.xml", "evergreen/serials_mfhd.xml"]


def read_iso(path: str, **options: object) -> Iterator[MarcRecord]:
    full = DATA / path
    opener = gzip.open if full.suffix == ".gz" else open
    with opener(full, "rb") as handle:
        reader = pymarc.MARCReader(handle, to_unicode=True, permissive=True, **options)
        for record in reader:
            if record is not None:
                yield from_pymarc(record)


def read_xml(path: str) -> list[MarcRecord]:
    return [from_pymarc(r) for r in pymarc.parse_xml_to_array(str(DATA / path)) if r]


def first_where(path: str, predicate: object, **options: object) -> MarcRecord:
    for record in read_iso(path, **options):
        if predicate(record):  # type: ignore[operator]
            return record
    raise LookupError(path)
