"""A record's stored source, read back through the catalogue's seam onto the MARC codecs."""

from __future__ import annotations

from polka.catalog.marcio import marc_parse_source
from polka.catalog.models import Record
from polka.interop.marc.record import MarcFlavour, MarcRecord


def read_source(record: Record) -> MarcRecord:
    """The record as stored; raises ValueError when the stored bytes cannot be read."""
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
