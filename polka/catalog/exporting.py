"""`polka export`: the catalogue (or a branch's or a query's part of it) as MARC, streamed.

ISO 2709 is the stored source itself: byte for byte what was imported for a record nobody
edited, and the editor's re-serialisation for one that was. A record ISO 2709 cannot hold (a
field over 9,999 bytes, the record over 99,999; stored as MARC-in-JSON) is left out of an
ISO 2709 export and reported through `skipped`; MARCXML and MARC-in-JSON carry it. MARCXML
and MARC-in-JSON are written from the source parsed back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from polka.catalog.errors import ExportMixedFlavours
from polka.catalog.marcio import marc_parse_source, marc_source_is_iso2709, marc_write
from polka.catalog.models import Record
from polka.catalog.selectors import records_for_export
from polka.interop.marc.record import MarcFlavour, MarcRecord
from polka.org.models import Branch

EXPORT_FORMATS = ("iso2709", "marcxml", "json")
CHUNK = 500
TOO_LONG_FOR_ISO2709 = (
    "too long for ISO 2709 (a field over 9,999 bytes or the record over 99,999):"
    " export it as MARCXML or JSON"
)


def _flavour(record: Record) -> MarcFlavour:
    return "rusmarc" if record.format == "rusmarc" else "marc21"


def _parsed(records: Iterator[Record]) -> Iterator[MarcRecord]:
    for record in records:
        yield marc_parse_source(
            bytes(record.source), flavour=_flavour(record), encoding=record.source_encoding
        )


def export_flavour(*, branch: Branch | None, query: str, flavour: str | None) -> MarcFlavour:
    """The one flavour a MARCXML document can carry: the selection's, or --flavour's."""
    if flavour in ("marc21", "rusmarc"):
        return "rusmarc" if flavour == "rusmarc" else "marc21"
    formats = set(
        records_for_export(branch=branch, query=query)
        .order_by()
        .values_list("format", flat=True)
        .distinct()
    )
    if len(formats) > 1:
        raise ExportMixedFlavours()
    return "rusmarc" if formats == {"rusmarc"} else "marc21"


def catalog_export(
    *,
    out: BinaryIO,
    format: str = "iso2709",
    branch: Branch | None = None,
    query: str = "",
    flavour: str | None = None,
    progress: Callable[[int], None] | None = None,
    skipped: Callable[[Record, str], None] | None = None,
) -> int:
    """Write the selected records to `out`; returns how many were written. A record the
    format cannot hold is passed to `skipped` with the reason instead."""
    marc_flavour: MarcFlavour = "marc21"
    if format == "marcxml":
        marc_flavour = export_flavour(branch=branch, query=query, flavour=flavour)
    records = records_for_export(branch=branch, query=query, flavour=flavour).iterator(
        chunk_size=CHUNK
    )
    count = 0

    def counted() -> Iterator[Record]:
        nonlocal count
        for record in records:
            count += 1
            if progress is not None:
                progress(1)
            yield record

    if format == "iso2709":
        for record in counted():
            source = bytes(record.source)
            if marc_source_is_iso2709(source):
                out.write(source)
                continue
            count -= 1
            if skipped is not None:
                skipped(record, TOO_LONG_FOR_ISO2709)
    else:
        marc_write(_parsed(counted()), format=format, flavour=marc_flavour, out=out)
    return count
