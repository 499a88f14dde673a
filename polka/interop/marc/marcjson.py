"""MARC-in-JSON (the format of pymarc's and ruby-marc's .json files): reader and writer.

A file is one record object, an array of them, or one object per line; the reader decodes one
record at a time from a buffer, so a large array does not have to fit in memory.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from polka.interop.marc.flavour import detect_flavour
from polka.interop.marc.normalise import (
    clean_indicator,
    clean_leader,
    clean_tag,
    make_exportable,
)
from polka.interop.marc.record import Field, MarcFlavour, MarcRecord, ParsedRecord, Subfield

_CHUNK = 1 << 20
# A record object larger than this that still does not decode is broken, not incomplete.
_MAX_RECORD_TEXT = 16 << 20
_SKIP = " \t\r\n,"


def read_marcjson(
    data: bytes | BinaryIO, *, flavour: MarcFlavour | None = None
) -> Iterator[ParsedRecord]:
    """Every record object of the file. Damage costs only the record it is in: that record is
    reported with its line and character position, and reading goes on at the next record
    object (one that starts with a "leader" or "fields" key)."""
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    for number, (value, error) in enumerate(_json_values(stream), start=1):
        if error is not None:
            yield ParsedRecord(
                number=number,
                offset=0,
                raw=b"",
                flavour=flavour or "marc21",
                encoding="utf-8",
                error=error,
            )
            continue
        yield _parsed(value, number, flavour)


# Where reading can start again after damage: the start of a record object.
_RECORD_START = re.compile(r'\{\s*"(?:leader|fields)"\s*:')


def _json_values(stream: BinaryIO) -> Iterator[tuple[Any, str | None]]:
    """Top-level record objects: the elements of an outer array, or the objects themselves
    (one file, JSON Lines, or concatenated); (None, reason) for a damaged stretch."""
    decoder = json.JSONDecoder(strict=False)  # control characters do occur inside values
    text_decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    buffer = ""
    pos = 0
    consumed = 0  # characters dropped from the front of buffer
    lines = 1  # the line buffer[0] is on
    eof = False
    in_array = None  # unknown until the first non-blank character
    while True:
        while pos < len(buffer) and buffer[pos] in _SKIP:
            pos += 1
        if pos < len(buffer) and in_array is None:
            in_array = buffer[pos] == "["
            if in_array:
                pos += 1
                continue
        if pos < len(buffer) and in_array and buffer[pos] == "]":
            return
        if pos < len(buffer):
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                # Damage well inside what has been read (not just a record cut by the
                # buffer's end): skip to the next record object.
                damaged = exc.pos + 1024 < len(buffer) and not exc.msg.startswith("Unterminated")
                if eof or damaged or len(buffer) - pos > _MAX_RECORD_TEXT:
                    where = (
                        f"line {lines + buffer.count(chr(10), 0, exc.pos)},"
                        f" character {consumed + exc.pos + 1}"
                    )
                    resume = _RECORD_START.search(buffer, max(exc.pos, pos + 1))
                    if resume is None and not eof and len(buffer) - pos <= _MAX_RECORD_TEXT:
                        pass  # the next record has not been read yet: read on
                    else:
                        then = "reading goes on at the next record" if resume else "file ends"
                        yield None, f"JSON not well-formed at {where}: {exc.msg}; {then}"
                        if resume is None:
                            return
                        pos = resume.start()
                        continue
            else:
                yield value, None
                pos = end
                continue
        if eof:
            return
        chunk = stream.read(_CHUNK)
        eof = not chunk
        lines += buffer.count("\n", 0, pos)
        consumed += pos
        buffer = buffer[pos:] + text_decoder.decode(chunk, final=eof)
        pos = 0


def _parsed(value: Any, number: int, flavour: MarcFlavour | None) -> ParsedRecord:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8")
    repairs: list[str] = []
    unreadable = ParsedRecord(
        number=number, offset=0, raw=raw, flavour=flavour or "marc21", encoding="utf-8",
        repairs=repairs,
    )  # fmt: skip
    if not isinstance(value, dict) or not isinstance(value.get("fields", []), list):
        unreadable.error = "nothing readable: not a MARC-in-JSON record object"
        return unreadable
    leader = value.get("leader")
    fields = []
    for key in value.keys() - {"leader", "fields"}:
        repairs.append(f"record: key {str(key)[:40]!r} is not leader or fields, ignored")
    for item in value.get("fields", []):
        if not isinstance(item, dict) or len(item) != 1:
            repairs.append(f"field: {str(item)[:40]!r} is not a one-key object, ignored")
            continue
        ((tag, content),) = item.items()
        tag = clean_tag(tag, repairs)
        if isinstance(content, dict):
            fields.append(_data_field(tag, content, repairs))
        else:
            fields.append(Field(tag=tag, data="" if content is None else str(content)))
    record = MarcRecord(
        leader=clean_leader(leader if isinstance(leader, str) else None, repairs), fields=fields
    )
    make_exportable(record, repairs)
    if not fields:
        unreadable.error = "nothing readable: no fields"
        return unreadable
    return ParsedRecord(
        number=number,
        offset=0,
        raw=raw,
        flavour=flavour or detect_flavour(record),
        encoding="utf-8",
        record=record,
        repairs=repairs,
    )


def _data_field(tag: str, content: dict[str, Any], repairs: list[str]) -> Field:
    indicators = clean_indicator(content.get("ind1"), tag, repairs) + clean_indicator(
        content.get("ind2"), tag, repairs
    )
    subfields = []
    for sub in content.get("subfields") or []:
        if isinstance(sub, dict) and len(sub) == 1:
            ((code, text),) = sub.items()
            subfields.append(Subfield(str(code), "" if text is None else str(text)))
        else:
            repairs.append(f"subfield: {str(sub)[:40]!r} in field {tag} ignored")
    return Field(tag=tag, indicators=indicators, subfields=subfields)


def record_to_marcjson(record: MarcRecord) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for field in record.fields:
        if field.data is not None:
            fields.append({field.tag: field.data})
        else:
            fields.append(
                {
                    field.tag: {
                        "ind1": field.indicators[0:1] or " ",
                        "ind2": field.indicators[1:2] or " ",
                        "subfields": [{sf.code: sf.value} for sf in field.subfields],
                    }
                }
            )
    return {"leader": record.leader, "fields": fields}


def records_to_marcjson(records: Iterable[MarcRecord]) -> bytes:
    """A JSON array of records, one per line."""
    return b"".join(iter_marcjson(records))


def iter_marcjson(records: Iterable[MarcRecord]) -> Iterator[bytes]:
    yield b"["
    separator = b"\n"
    for record in records:
        yield separator + json.dumps(record_to_marcjson(record), ensure_ascii=False).encode()
        separator = b",\n"
    yield b"\n]\n"
