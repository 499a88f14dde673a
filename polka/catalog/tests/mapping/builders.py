"""Synthetic records for the cases the real files lack (Koha items, IRBIS copies, age marks)."""

from __future__ import annotations

from polka.interop.marc.record import Field, MarcRecord, Subfield


def data_field(tag: str, *pairs: str, indicators: str = "  ") -> Field:
    """data_field("245", "a", "Title", "c", "Author") — code/value pairs in order."""
    codes, values = pairs[::2], pairs[1::2]
    return Field(tag, indicators, [Subfield(c, v) for c, v in zip(codes, values, strict=True)])


def control_field(tag: str, data: str) -> Field:
    return Field(tag, data=data)


def record(*fields: Field, leader: str = "00000nam a2200000 i 4500") -> MarcRecord:
    return MarcRecord(leader=leader, fields=list(fields))
