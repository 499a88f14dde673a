"""MARC codecs (ISO 2709, MARCXML, MARC-in-JSON; MARC21 and RUSMARC/UNIMARC). No Django here."""

from polka.interop.marc.formats import normalise_format, read_any, sniff_format
from polka.interop.marc.iso2709 import (
    Iso2709TooLong,
    Iso2709WriteError,
    read_iso2709,
    write_iso2709,
)
from polka.interop.marc.marcjson import read_marcjson, records_to_marcjson
from polka.interop.marc.marcxml import read_marcxml, records_to_marcxml

__all__ = [
    "Iso2709TooLong",
    "Iso2709WriteError",
    "normalise_format",
    "read_any",
    "read_iso2709",
    "read_marcjson",
    "read_marcxml",
    "records_to_marcjson",
    "records_to_marcxml",
    "sniff_format",
    "write_iso2709",
]
