"""A record's stored source, read back through the catalogue's seam onto the MARC codecs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from polka.catalog.marcio import marc21_slim, marc_parse_source
from polka.catalog.models import Record
from polka.interop.marc.record import MarcFlavour, MarcRecord

# Records just stored, as their writer parsed them, by id. What listens to the write (the
# protocols' MARCXML) reads them without parsing the bytes a second time (a seventh of an
# import's time). Parsing the stored bytes again gives the same MARCXML: checked over the 3,273
# records of the ISO 2709 files and twenty MARCXML files of ../shared/data, and by
# polka/protocols/tests/test_marcxml_written_from_the_parsed_import.py on every kind of file.


@dataclass(frozen=True, slots=True)
class StoredSource:
    """What a row was just given (source, encoding, format) and the record parsed from it.

    An import that reads ahead in a second process hands over the record's MARC21 slim XML
    (`slim`) instead of the parsed record (`marc` None): sending the parsed fields from one
    process to the other would cost nearly what parsing them again does.
    """

    source: bytes
    encoding: str
    format: str
    marc: MarcRecord | None
    slim: str | None = None

    def marc21_slim(self) -> str | None:
        """The MARC21 slim <record> (no namespace), as rendered ahead or from `marc`."""
        if self.slim is not None:
            return self.slim
        return None if self.marc is None else marc21_slim(self.marc)

    def holds(self, record: Record) -> bool:
        """Does the row still hold these bytes, this encoding and this format?"""
        return (self.encoding, self.format) == (
            record.source_encoding,
            record.format,
        ) and self.source == bytes(record.source)


_just_stored: ContextVar[Mapping[int, StoredSource] | None] = ContextVar(
    "polka_just_stored", default=None
)


@contextlib.contextmanager
def sources_stored(stored: Mapping[int, StoredSource]) -> Iterator[None]:
    """Within the block, read_source() of these records gives the parsed record when the row
    still holds those bytes, that encoding and that format."""
    token = _just_stored.set(stored)
    try:
        yield
    finally:
        _just_stored.reset(token)


def just_stored() -> Mapping[int, StoredSource]:
    """The records the enclosing sources_stored block names, by id (empty outside one)."""
    return _just_stored.get() or {}


def read_source(record: Record) -> MarcRecord:
    """The record as stored; raises ValueError when the stored bytes cannot be read."""
    known = (_just_stored.get() or {}).get(record.pk)
    if known is not None and known.marc is not None and known.holds(record):
        return known.marc
    flavour: MarcFlavour = "rusmarc" if record.format == "rusmarc" else "marc21"
    return marc_parse_source(
        bytes(record.source), flavour=flavour, encoding=record.source_encoding or "utf-8"
    )


def read_source_or_none(record: Record) -> MarcRecord | None:
    """For display: a record without a readable source is shown from its fields alone."""
    if not record.source:
        return None
    try:
        return read_source(record)
    except (ValueError, IndexError, StopIteration):
        return None
