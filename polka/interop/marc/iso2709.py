"""ISO 2709 (the MARC exchange format): a tolerant streaming reader and a writer.

The reader trusts the bytes over the numbers: records are split on the record terminator, fields
on the field terminator, and the leader's lengths and the directory are checked against them.
Whatever had to be repaired is reported in `ParsedRecord.repairs` as "reason: details".
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from polka.interop.marc.charsets import (
    MARC8,
    UTF8,
    FieldDecoder,
    detect_encoding,
    normalise_encoding,
)
from polka.interop.marc.flavour import detect_flavour, flavour_of_tags
from polka.interop.marc.normalise import make_exportable
from polka.interop.marc.record import Field, MarcFlavour, MarcRecord, ParsedRecord, Subfield

RECORD_TERMINATOR = b"\x1d"
FIELD_TERMINATOR = b"\x1e"
SUBFIELD_DELIMITER = b"\x1f"

_CHUNK = 1 << 20
# The longest record ISO 2709 can describe, twice, plus slack: a stretch this long without a
# record terminator means terminators are missing, so look for where the next leader starts.
_MAX_SPAN = 2 * 99_999 + 1024
# Between records some files put line breaks (one record per line), NULs or a DOS EOF byte.
_SEPARATORS = b"\r\n\x00\x1a"
_PADDING = _SEPARATORS + b" \t"
# A leader (digits where ISO 2709 puts numbers) followed by a first directory entry.
_LEADER = rb"\d{5}[\x20-\x7e]{7}\d{5}[\x20-\x7e]{7}[0-9A-Za-z]{3}\d{9}"
# A field terminator (and maybe line breaks) directly followed by a leader: a record boundary
# whose record terminator is missing.
_GLUED = re.compile(rb"\x1e[\r\n]*(?=" + _LEADER + rb")")


class Iso2709WriteError(ValueError):
    """The record cannot be expressed in ISO 2709 (a field or the record is too long)."""


class Iso2709TooLong(Iso2709WriteError):
    """A field over 9,999 bytes or a record over 99,999: ISO 2709's length digits cannot say it."""


def read_iso2709(
    data: bytes | BinaryIO,
    *,
    flavour: MarcFlavour | None = None,
    encoding: str | None = None,
) -> Iterator[ParsedRecord]:
    """Every record of an ISO 2709 file, in order, repaired where it can be.

    `flavour` and `encoding` override detection (per record otherwise). Memory stays bounded:
    the stream is read in chunks and one record is parsed at a time.
    """
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    forced_encoding = normalise_encoding(encoding) if encoding else None
    for number, (offset, raw, repairs) in enumerate(split_records(stream), start=1):
        yield parse_record(
            raw,
            number=number,
            offset=offset,
            flavour=flavour,
            encoding=forced_encoding,
            repairs=repairs,
        )


def split_records(stream: BinaryIO) -> Iterator[tuple[int, bytes, list[str]]]:
    """(file offset, record bytes, repairs so far) for each record in the stream."""
    buf = b""
    base = 0  # file offset of buf[0]
    pos = 0
    eof = False
    while True:
        end = buf.find(RECORD_TERMINATOR, pos, pos + _MAX_SPAN)
        if end < 0 and not eof and len(buf) - pos < _MAX_SPAN:
            chunk = stream.read(_CHUNK)
            if chunk:
                buf = buf[pos:] + chunk
                base += pos
                pos = 0
            else:
                eof = True
            continue
        if end >= 0:
            stop = end + 1
        elif len(buf) - pos > _MAX_SPAN:
            # No terminator in reach: cut at the next leader, or give up on this stretch.
            found = _GLUED.search(buf, pos + 24, pos + _MAX_SPAN)
            stop = found.start() + 1 if found else pos + _MAX_SPAN
        else:
            stop = len(buf)  # the tail of the file
            if stop == pos:
                return
        yield from _pieces(buf[pos:stop], base + pos)
        pos = stop


def _pieces(chunk: bytes, offset: int) -> Iterator[tuple[int, bytes, list[str]]]:
    """One chunk ending at a record terminator is usually one record; split it where records
    were glued together (their terminator lost), and skip separators between records."""
    start = 0
    while start < len(chunk):
        repairs: list[str] = []
        rest = chunk[start:]
        if not rest.strip(_PADDING + RECORD_TERMINATOR):
            return  # padding at the end of a file or between records, not a record
        skipped = len(rest) - len(rest.lstrip(_SEPARATORS))
        if skipped:
            repairs.append(f"separator before record: {skipped} byte(s) skipped")
            start += skipped
            rest = chunk[start:]
        stop = len(rest)
        declared = rest[:5]
        if not (declared.isdigit() and int(declared) == stop):
            glued = _GLUED.search(rest, 24)
            if glued is not None:
                stop = glued.start() + 1
        yield offset + start, rest[:stop], repairs
        start += stop


def _leader_repairs(leader: str, *, length: int, base: int, repairs: list[str]) -> str:
    """The leader with its structural positions made true, each change reported."""
    actual_length = f"{min(length, 99_999):05d}"
    actual_base = f"{base:05d}"
    if (
        leader[0:5] == actual_length
        and leader[10:17] == "22" + actual_base
        and leader[20:22] == "45"
        and leader.isascii()
        and leader.isprintable()
    ):
        return leader  # the usual case, checked in one go
    chars = list(leader.ljust(24)[:24])
    # (start, stop, what it must be, reason). Only 20-21 of the entry map matter to a reader;
    # a blank in 22-23 is common and harmless, and kept so the record is written back as it came.
    checks = (
        (0, 5, actual_length, "record length"),
        (10, 12, "22", "leader digits: indicator/subfield code counts"),
        (12, 17, actual_base, "base address"),
        (20, 22, "45", "leader digits: entry map"),
    )
    for start, stop, actual, reason in checks:
        if leader[start:stop] != actual:
            repairs.append(f"{reason}: {leader[start:stop]!r} in leader, actual {actual}")
            chars[start:stop] = actual
    for i, char in enumerate(chars):
        if not (" " <= char <= "~"):
            repairs.append(f"leader: byte {ord(char):#04x} at position {i} replaced by a blank")
            chars[i] = " " if i != 23 else "0"
    return "".join(chars)


def _directory(directory: bytes, repairs: list[str]) -> list[tuple[str, int, int]]:
    """(tag, length, offset) per entry; -1 where a number is unreadable."""
    extra = len(directory) % 12
    if extra:
        repairs.append(
            f"directory: length {len(directory)} is not a multiple of 12, last {extra} byte(s)"
            " ignored"
        )
    text = directory[: len(directory) - extra].decode("latin-1")
    if text.isascii() and text.isalnum():
        try:
            return [
                (text[i : i + 3], int(text[i + 3 : i + 7]), int(text[i + 7 : i + 12]))
                for i in range(0, len(text), 12)
            ]
        except ValueError:
            pass  # letters where numbers belong: go entry by entry
    entries = []
    for i in range(0, len(directory) - extra, 12):
        entry = directory[i : i + 12]
        tag = entry[0:3].decode("latin-1")
        if not (tag.isascii() and tag.isalnum()):
            repairs.append(f"tag: {tag!r} in directory entry {i // 12 + 1} is not letters/digits")
        try:
            length = int(entry[3:7])
        except ValueError:
            length = -1
        try:
            start = int(entry[7:12])
        except ValueError:
            start = -1
        entries.append((tag, length, start))
    return entries


def _field_bytes(
    entries: list[tuple[str, int, int]], data: bytes, repairs: list[str]
) -> list[tuple[str, bytes]]:
    """Each directory entry's field bytes (without terminator), from the directory if it is
    right, else from splitting the data area on field terminators."""
    parts = data.split(FIELD_TERMINATOR)
    count = len(entries)
    # Happy path: fields stored in directory order, each ending in its terminator.
    if len(parts) == count + 1 and not parts[-1]:
        expected = 0
        for (_tag, length, start), part in zip(entries, parts, strict=False):
            if length != len(part) + 1 or start != expected:
                break
            expected += length
        else:
            return [(entry[0], part) for entry, part in zip(entries, parts, strict=False)]
    # Fields stored out of directory order are legal: believe a directory that fits the data.
    sliced = []
    for tag, length, start in entries:
        stop = start + length
        if (
            start < 0
            or length < 1
            or stop > len(data)
            or data[stop - 1] != 0x1E
            or data.find(FIELD_TERMINATOR, start, stop - 1) >= 0
        ):
            break
        sliced.append((tag, data[start : stop - 1]))
    else:
        if data[-1:] == FIELD_TERMINATOR or not data:
            unreferenced = len(data) - sum(length for _tag, length, _start in entries)
            if unreferenced > 0:
                repairs.append(
                    f"data area: {unreferenced} byte(s) not referenced by the directory ignored"
                )
            return sliced
    if parts and not parts[-1]:
        parts.pop()
    if len(parts) == count:
        repairs.append(
            "directory: lengths/offsets do not match the field terminators,"
            f" {count} field(s) split on terminators"
        )
        return [(entry[0], part) for entry, part in zip(entries, parts, strict=False)]
    return _fields_by_offsets(entries, data, parts, repairs)


def _fields_by_offsets(
    entries: list[tuple[str, int, int]], data: bytes, parts: list[bytes], repairs: list[str]
) -> list[tuple[str, bytes]]:
    """The directory and the terminators disagree on the number of fields: take each field
    where the directory says it starts and end it at the first terminator or at its length."""
    fields = []
    used = 0
    for index, (tag, length, start) in enumerate(entries):
        if start < 0 or start >= len(data):
            # Unreadable offset: the field after the previous one, up to its terminator.
            start = used
        if start >= len(data):
            repairs.append(f"directory: field {tag} (entry {index + 1}) has no data, dropped")
            continue
        terminator = data.find(FIELD_TERMINATOR, start)
        declared_stop = start + length - 1 if length > 0 else -1
        if terminator < 0 or (0 <= declared_stop < terminator):
            stop = declared_stop if 0 <= declared_stop <= len(data) else len(data)
            repairs.append(f"missing field terminator: field {tag} (entry {index + 1})")
            fields.append((tag, data[start:stop]))
            used = stop
        else:
            if declared_stop != terminator:
                repairs.append(
                    f"directory: field {tag} (entry {index + 1}) length {length}, actual"
                    f" {terminator - start + 1}"
                )
            fields.append((tag, data[start:terminator]))
            used = terminator + 1
    if used < len(data) and data[used:].strip(FIELD_TERMINATOR + b" "):
        repairs.append(f"data area: {len(data) - used} byte(s) after the last field ignored")
    return fields


def parse_record(
    raw: bytes,
    *,
    number: int,
    offset: int,
    flavour: MarcFlavour | None = None,
    encoding: str | None = None,
    repairs: list[str] | None = None,
) -> ParsedRecord:
    """One record's bytes (terminator included if it had one) → ParsedRecord."""
    repairs = [] if repairs is None else repairs
    body = raw[:-1] if raw[-1:] == RECORD_TERMINATOR else raw
    if len(body) == len(raw):
        repairs.append("missing record terminator: record ends without 0x1D")
    unreadable = ParsedRecord(
        number=number,
        offset=offset,
        raw=raw,
        flavour=flavour or "marc21",
        encoding=encoding or UTF8,
        repairs=repairs,
    )
    directory_end = body.find(FIELD_TERMINATOR, 24)
    if len(body) < 24 or directory_end < 0:
        why = "shorter than a leader" if len(body) < 24 else "no field terminator after leader"
        unreadable.error = f"nothing readable: {why} ({len(raw)} byte(s))"
        return unreadable
    leader = _leader_repairs(
        body[:24].decode("latin-1"),
        length=len(body) + 1,
        base=directory_end + 1,
        repairs=repairs,
    )
    entries = _directory(body[24:directory_end], repairs)
    raw_fields = _field_bytes(entries, body[directory_end + 1 :], repairs)
    if not raw_fields:
        unreadable.error = "nothing readable: no fields"
        return unreadable
    if flavour is None:
        flavour = flavour_of_tags((tag for tag, _ in raw_fields), leader)
    if encoding is None:
        encoding, note = detect_encoding(
            leader=leader,
            body=body,
            flavour=flavour,
            unimarc_100a=_unimarc_100a(raw_fields) if flavour == "rusmarc" else None,
        )
        if note:
            repairs.append(note)
    record = MarcRecord(
        leader=leader, fields=_decode_fields(raw_fields, FieldDecoder(encoding), repairs)
    )
    make_exportable(record, repairs)
    return ParsedRecord(
        number=number,
        offset=offset,
        raw=raw,
        flavour=flavour,
        encoding=encoding,
        record=record,
        repairs=repairs,
    )


def _unimarc_100a(raw_fields: list[tuple[str, bytes]]) -> str | None:
    for tag, data in raw_fields:
        if tag == "100":
            start = data.find(b"\x1fa")
            if start >= 0:
                return data[start + 2 :].split(SUBFIELD_DELIMITER, 1)[0].decode("latin-1")
    return None


def _decode_fields(
    raw_fields: list[tuple[str, bytes]], decoder: FieldDecoder, repairs: list[str]
) -> list[Field]:
    fields = []
    decode = decoder.decode
    texts = decoder.decode_all([data for _tag, data in raw_fields])
    for index, (tag, data) in enumerate(raw_fields):
        text = texts[index] if texts is not None else decode(data, tag, repairs)
        if tag < "010" and tag.isdigit():
            fields.append(Field(tag=tag, data=text))
            continue
        indicators, *chunks = text.split("\x1f")
        if len(indicators) != 2:
            repairs.append(f"indicators: field {tag} has {indicators!r}, expected 2 characters")
            indicators = (indicators + "  ")[:2]
        try:
            subfields = [Subfield(chunk[0], chunk[1:]) for chunk in chunks]
        except IndexError:
            repairs.append(f"empty subfield: field {tag}, dropped")
            subfields = [Subfield(chunk[0], chunk[1:]) for chunk in chunks if chunk]
        if not text.isascii():
            _check_codes(tag, subfields, repairs)
        fields.append(Field(tag=tag, indicators=indicators, subfields=subfields))
    return fields


def _check_codes(tag: str, subfields: list[Subfield], repairs: list[str]) -> None:
    for subfield in subfields:
        code = subfield.code
        if not code.isascii():
            plain = unicodedata.normalize("NFKD", code)[0]
            if plain.isascii() and plain.isalnum():
                repairs.append(f"subfield code: {code!r} in field {tag} read as {plain!r}")
                subfield.code = plain


def write_iso2709(
    record: MarcRecord, *, encoding: str = UTF8, flavour: MarcFlavour | None = None
) -> bytes:
    """One record in ISO 2709, with the leader's lengths and base address computed.

    For MARC21, leader/09 says whether the data is UTF-8 ("a") or not (blank); RUSMARC keeps
    its leader as it is (its charset is in field 100). MARC-8 output is not supported.
    """
    encoding = _writable(encoding)
    directory = []
    data = []
    position = 0
    for tag, encoded in _encoded_fields(record, encoding):
        directory.append(f"{tag}{len(encoded):04d}{position:05d}")
        data.append(encoded)
        position += len(encoded)
    leader = _leader(record, encoding, flavour, fields=len(data), data_length=position)
    head = leader.encode("ascii", "replace") + "".join(directory).encode("latin-1")
    return head + FIELD_TERMINATOR + b"".join(data) + RECORD_TERMINATOR


def iso2709_leader(
    record: MarcRecord, *, encoding: str = UTF8, flavour: MarcFlavour | None = None
) -> str:
    """The leader write_iso2709 would write, without assembling the record (MARCXML needs
    only the leader: this is a tenth of an import's time otherwise)."""
    encoding = _writable(encoding)
    # Where an ASCII character is one byte, ASCII text (Python knows it is, without a scan)
    # needs no encoding to be measured.
    ascii_bytes = encoding in _ASCII_COMPATIBLE
    data_length = 0
    for field in record.fields:
        if field.data is not None:
            text = field.data
            extra = 1
        else:
            # One byte a subfield delimiter; these codecs encode (and replace) character by
            # character, so the parts' lengths add up to the whole's.
            subfields = field.subfields
            text = field.indicators + "".join([sf.code + sf.value for sf in subfields])
            extra = len(subfields) + 1
        if ascii_bytes and text.isascii():
            length = len(text) + extra
        else:
            length = len(text.encode(encoding, "replace")) + extra
        tag = field.tag
        if length > 9999 or len(tag) != 3 or not tag.isascii():
            _check_field(tag, length)
        data_length += length
    fields = len(record.fields)
    leader = _leader(record, encoding, flavour, fields=fields, data_length=data_length)
    return leader.encode("ascii", "replace").decode("ascii")  # as written: "?" for the rest


_ASCII_COMPATIBLE = frozenset({UTF8, "cp1251", "cp866", "koi8-r", "iso8859-1", "iso8859-5"})


def _writable(encoding: str) -> str:
    encoding = normalise_encoding(encoding)
    if encoding == MARC8:
        raise Iso2709WriteError("writing MARC-8 is not supported; write UTF-8")
    return encoding


def _encoded_fields(record: MarcRecord, encoding: str) -> Iterator[tuple[str, bytes]]:
    """(tag, field bytes with terminator) per field, each checked against ISO 2709's limits."""
    for field in record.fields:
        if field.data is not None:
            text = field.data
        else:
            text = field.indicators + "".join(f"\x1f{sf.code}{sf.value}" for sf in field.subfields)
        encoded = text.encode(encoding, "replace") + FIELD_TERMINATOR
        _check_field(field.tag, len(encoded))
        yield field.tag, encoded


def _check_field(tag: str, length: int) -> None:
    """A field ISO 2709 can say: a tag of three single-byte characters (the reader decodes
    directory tags as Latin-1, so a damaged tag can be written back), at most 9,999 bytes."""
    if len(tag) != 3 or max(tag) > "\xff":
        raise Iso2709WriteError(f"tag {tag!r} is not three single-byte characters")
    if length > 9999:
        raise Iso2709TooLong(f"field {tag} is {length} bytes, ISO 2709 allows 9999")


def _leader(
    record: MarcRecord,
    encoding: str,
    flavour: MarcFlavour | None,
    *,
    fields: int,
    data_length: int,
) -> str:
    base = 24 + 12 * fields + 1
    length = base + data_length + 1
    if length > 99_999:
        raise Iso2709TooLong(f"record is {length} bytes, ISO 2709 allows 99999")
    leader = record.leader.ljust(24)[:24]
    if (flavour or detect_flavour(record)) == "marc21":
        leader = leader[:9] + ("a" if encoding == UTF8 else " ") + leader[10:]
    return f"{length:05d}{leader[5:10]}22{base:05d}{leader[17:20]}45{leader[22:24]}"
