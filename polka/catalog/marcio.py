"""The catalogue's one seam onto the MARC codecs and mappings (polka.interop.marc, .mapping).

Every place in the catalogue that parses, serialises or maps MARC goes through these
functions, so the codecs stay pure and a test can stand in for them in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from polka.catalog.mapping import MappedRecord
from polka.interop.marc.record import MarcFlavour, MarcRecord, ParsedRecord


def marc_map(record: MarcRecord, flavour: str) -> MappedRecord:
    from polka.catalog.mapping import map_record

    return map_record(record, "rusmarc" if flavour == "rusmarc" else "marc21")


def marc_serialise(record: MarcRecord, *, encoding: str = "utf-8") -> bytes:
    """The record as stored: ISO 2709, or, for a record ISO 2709 cannot hold (a field over
    9,999 bytes or the record over 99,999), one MARC-in-JSON object in UTF-8, so that nothing
    is dropped. marc_parse_source reads both; marc_source_is_iso2709 tells them apart."""
    from polka.interop.marc.iso2709 import Iso2709TooLong, write_iso2709
    from polka.interop.marc.marcjson import record_to_marcjson

    try:
        data: bytes = write_iso2709(record, encoding=encoding)
    except Iso2709TooLong:
        return json.dumps(record_to_marcjson(record), ensure_ascii=False).encode("utf-8")
    return data


def marc21_slim(record: MarcRecord) -> str:
    """One MARC21 slim <record> element, without the namespace (what harvests serve)."""
    from polka.interop.marc.marcxml import record_to_marcxml

    return record_to_marcxml(record, "marc21")


def marc_source_is_iso2709(source: bytes) -> bool:
    """ISO 2709 starts with five digits, a MARC-in-JSON object with a brace."""
    return source.lstrip()[:1] != b"{"


def marc_parse_source(source: bytes, *, flavour: MarcFlavour, encoding: str) -> MarcRecord:
    """Read back a stored source (one record); it was readable when it was stored."""
    from polka.interop.marc.iso2709 import read_iso2709
    from polka.interop.marc.marcjson import read_marcjson

    if marc_source_is_iso2709(source):
        reader = read_iso2709(source, flavour=flavour, encoding=encoding)
    else:
        reader = read_marcjson(source, flavour=flavour)
    parsed: ParsedRecord = next(iter(reader))
    if parsed.record is None:
        raise ValueError(parsed.error or "unreadable stored record")
    return parsed.record


def marc_reads_cleanly(raw: bytes, *, flavour: MarcFlavour, encoding: str) -> bool:
    """Do these ISO 2709 bytes read without any repair once their encoding is known?"""
    from polka.interop.marc.iso2709 import read_iso2709

    parsed = next(iter(read_iso2709(raw, flavour=flavour, encoding=encoding)), None)
    return parsed is not None and parsed.record is not None and not parsed.repairs


def _flavour(name: str | None) -> MarcFlavour | None:
    return "rusmarc" if name == "rusmarc" else "marc21" if name == "marc21" else None


def marc_read_file(
    path: Path, *, format: str | None, flavour: str | None, encoding: str | None
) -> Iterator[ParsedRecord]:
    from polka.interop.marc import read_any

    if format == "irbis" or (format is None and path.suffix.lower() == ".mst"):
        from polka.interop.irbis_master import read_master_parsed

        return read_master_parsed(path)
    records: Iterator[ParsedRecord] = read_any(
        path, format=format, flavour=_flavour(flavour), encoding=encoding
    )
    return records


def marc_write(
    records: Iterable[MarcRecord], *, format: str, flavour: MarcFlavour, out: BinaryIO
) -> None:
    """Write records as one MARCXML collection (MARC21 slim, or UNIMARC slim for RUSMARC) or
    one MARC-in-JSON array, piece by piece."""
    from polka.interop.marc.marcjson import iter_marcjson
    from polka.interop.marc.marcxml import iter_marcxml

    pieces = iter_marcxml(records, flavour) if format == "marcxml" else iter_marcjson(records)
    for piece in pieces:
        out.write(piece)
