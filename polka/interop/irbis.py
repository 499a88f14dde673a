"""ИРБИС records in its text exchange format: one "#tag: value" line per field, records separated
by a line of five asterisks, subfields marked "^a". Pure: text in, dataclasses out.

ИРБИС's ISO 2709 export gives the same records (`read_irbis_iso`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from polka.interop.marc.iso2709 import FIELD_TERMINATOR, SUBFIELD_DELIMITER, split_records
from polka.interop.marc.record import Field, MarcRecord, Subfield

RECORD_SEPARATOR = "*****"
_LINE = re.compile(r"^#(\d{1,4}):\s?(.*)$")


@dataclass(frozen=True, slots=True)
class IrbisField:
    tag: int
    value: str

    @property
    def text(self) -> str:
        """The value before its first subfield (fields such as 10 "surname" have no subfields)."""
        return self.value.split("^", 1)[0].strip()

    def subfield(self, code: str) -> str | None:
        for part in self.value.split("^")[1:]:
            if part and part[0].lower() == code.lower():
                return part[1:].strip()
        return None

    def subfields(self) -> list[tuple[str, str]]:
        return [(p[0].lower(), p[1:].strip()) for p in self.value.split("^")[1:] if p]


@dataclass(slots=True)
class IrbisRecord:
    number: int  # 1-based position in the file
    line: int  # line on which the record starts (text format), 0 for ISO 2709
    fields: list[IrbisField] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def first(self, tag: int) -> IrbisField | None:
        return next((f for f in self.fields if f.tag == tag), None)

    def text(self, tag: int) -> str:
        found = self.first(tag)
        return found.text if found is not None else ""

    def all(self, tag: int) -> list[IrbisField]:
        return [f for f in self.fields if f.tag == tag]


def decode(data: bytes) -> str:
    """ИРБИС64 writes UTF-8 or Windows-1251; ИРБИС32 writes Windows-1251."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def read_irbis_text(text: str) -> Iterator[IrbisRecord]:
    """Every record of a text exchange file, in order; lines that are not fields are reported in
    the record's `errors`, never dropped silently."""
    record: IrbisRecord | None = None
    number = 0
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.strip() == RECORD_SEPARATOR:
            if record is not None and (record.fields or record.errors):
                yield record
            record = None
            continue
        if record is None:
            number += 1
            record = IrbisRecord(number=number, line=line_no)
        match = _LINE.match(line.lstrip("\ufeff"))
        if match is None:
            record.errors.append(f"line {line_no}: not a field: {line[:40]!r}")
            continue
        record.fields.append(IrbisField(int(match.group(1)), match.group(2)))
    if record is not None and (record.fields or record.errors):
        yield record


def read_irbis_iso(data: bytes) -> Iterator[IrbisRecord]:
    """Every record of ИРБИС's ISO 2709 export. Fields are read by the directory; a field's
    subfield delimiters become "^" again, and the two blank indicators ИРБИС may write are
    dropped. A record whose directory cannot be read is returned with its `errors`."""
    for number, (_offset, raw, _repairs) in enumerate(split_records(io.BytesIO(data)), start=1):
        record = IrbisRecord(number=number, line=0)
        try:
            base = int(raw[12:17])
        except ValueError:
            record.errors.append("the leader has no base address")
            yield record
            continue
        directory = raw[24 : base - 1] if raw[base - 1 : base] == FIELD_TERMINATOR else raw[24:base]
        for pos in range(0, len(directory) - len(directory) % 12, 12):
            entry = directory[pos : pos + 12]
            try:
                tag, length, start = entry[:3].decode("ascii"), int(entry[3:7]), int(entry[7:12])
            except (UnicodeDecodeError, ValueError):
                record.errors.append(f"directory entry {pos // 12 + 1} is unreadable")
                continue
            body = raw[base + start : base + start + length].rstrip(FIELD_TERMINATOR)
            if body[:2] == b"  " and body[2:3] in (SUBFIELD_DELIMITER, b""):
                body = body[2:]
            value = decode(body).replace(SUBFIELD_DELIMITER.decode(), "^")
            if not tag.isdigit():
                record.errors.append(f"tag {tag!r} is not a number")
                continue
            record.fields.append(IrbisField(int(tag), value))
        yield record


# A RUSMARC leader for a monograph: the record's length and base are filled when serialised.
RUSMARC_LEADER = "00000nam0 2200000   450 "


def to_marc(record: IrbisRecord) -> tuple[MarcRecord, list[str]]:
    """The record in RUSMARC shape: ИРБИС's field layout is RUSMARC's (200 title, 700 author,
    210 publication, 010 ISBN, 910 copies…), with subfield codes in either case and some fields
    written without a subfield (101 "rus" is 101 $a). Four-digit service tags have no place in
    MARC and are dropped; the notes say which."""
    notes: list[str] = []
    fields: list[Field] = []
    dropped: set[int] = set()
    for f in record.fields:
        if f.tag > 999:
            dropped.add(f.tag)
            continue
        tag = f"{f.tag:03d}"
        if f.tag < 10:
            fields.append(Field(tag=tag, data=f.value))
            continue
        pairs = f.subfields()
        head = f.text
        subfields = ([Subfield("a", head)] if head else []) + [
            Subfield(code, value) for code, value in pairs if code.strip()
        ]
        if subfields:
            fields.append(Field(tag=tag, subfields=subfields))
    if dropped:
        notes.append("ИРБИС service fields dropped: " + ", ".join(str(t) for t in sorted(dropped)))
    fields.sort(key=lambda fld: fld.tag)
    return MarcRecord(leader=RUSMARC_LEADER, fields=fields), notes
