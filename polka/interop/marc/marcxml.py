"""MARCXML: a streaming reader (MARC21 slim, UNIMARC slim, MarcXchange) and a writer.

The reader walks records with lxml's iterparse and frees each one after use, so files of any
size read in bounded memory. The writer emits MARC21 slim for MARC21 and UNISlim (the UNIMARC
schema of the National Library of Russia and the National Library of Florence) for RUSMARC,
both valid against their XSDs in ../shared/schemas.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from polka.interop.marc.flavour import detect_flavour
from polka.interop.marc.normalise import (
    clean_indicator,
    clean_leader,
    clean_tag,
    make_exportable,
)
from polka.interop.marc.record import Field, MarcFlavour, MarcRecord, ParsedRecord, Subfield
from polka.interop.marc.streams import Prefixed

MARC21_NS = "http://www.loc.gov/MARC21/slim"
UNIMARCSLIM_NS = "http://www.bncf.firenze.sbn.it/unimarc/slim"
MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v1"

# Element and attribute names: MARC21 slim / UNISlim / MarcXchange use the long ones,
# Florence's UNIMARC slim the short ones.
_LEADER = {"leader", "lab"}
_CONTROL = {"controlfield", "cf"}
_DATA = {"datafield", "df"}
_SUBFIELD = {"subfield", "sf"}
_WRAPPER = b"polka-xml-wrapper"
# Characters XML 1.0 cannot carry (C0 controls other than tab, LF, CR; lone surrogates; FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_marcxml(
    data: bytes | BinaryIO,
    *,
    flavour: MarcFlavour | None = None,
) -> Iterator[ParsedRecord]:
    """Every <record> (or UNIMARC slim <rec>) in the document, at any depth, in order.

    The document is cut into records first and each record is parsed on its own, so damage
    costs only the record it is in: that record is reported (with its byte offset and the
    parser's message) and reading goes on with the next one; a file cut short reports the
    record it ends in. A document that is a bare sequence of records without a root element
    is read too. Documents with a DOCTYPE (entities could be declared there) or in UTF-16 are
    read whole by iterparse instead, which stops at the first damage.
    """
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    head = stream.read(_SPLIT_CHUNK)
    if b"<!DOCTYPE" in head or head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        yield from _read_whole(Prefixed(head, stream), flavour)
        return
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        yield ParsedRecord(
            number=1,
            offset=0,
            raw=head[:_RAW_KEPT],
            flavour=flavour or "marc21",
            encoding="utf-8",
            error="not XML: the file does not start with '<'",
        )
        return
    number = 0
    for offset, chunk, error in _split_records(head, stream):
        number += 1
        if error is None:
            try:
                element = _parse_record(chunk.body, chunk.prolog)
            except etree.XMLSyntaxError as exc:
                error = f"XML not well-formed in this record, reading goes on after it: {exc}"
            else:
                parsed = _parsed(element, number, flavour)
                parsed.offset = offset
                yield parsed
                continue
        yield ParsedRecord(
            number=number,
            offset=offset,
            raw=chunk.body[:_RAW_KEPT],
            flavour=flavour or "marc21",
            encoding="utf-8",
            error=f"{error} (record at byte {offset})",
        )


_SPLIT_CHUNK = 1 << 20
_RAW_KEPT = 4096
# A record's start or end tag, any namespace prefix; group 1 "/" for an end tag, group 3 "/"
# for an empty element.
_RECORD_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(record|rec)(?=[\s/>])[^<>]*?(/?)>")
_XMLNS = re.compile(rb"""\s(xmlns(?::[\w.-]+)?)\s*=\s*("[^"]*"|'[^']*')""")
_DECLARATION = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(slots=True)
class _Chunk:
    body: bytes  # the record element's bytes
    prolog: bytes  # the XML declaration and a wrapper start tag with the namespaces in scope


def _split_records(head: bytes, stream: BinaryIO) -> Iterator[tuple[int, _Chunk, str | None]]:
    """(byte offset, record bytes, error or None) for each top-level record element.

    Namespace declarations met outside records (on <collection>, say) are carried into each
    record's prolog. A record start met inside a record that has no open UNIMARC <s1> means
    the record before lost its end tag: it is cut there (and will not parse)."""
    buffer = head
    base = 0  # file offset of buffer[0]
    pos = 0
    eof = not head
    declaration_match = _DECLARATION.match(head)
    declaration = declaration_match.group(1) if declaration_match else b""
    namespaces: dict[bytes, bytes] = {}
    start = -1  # buffer index of the open record's start tag
    depth = 0

    def prolog() -> bytes:
        attrs = b"".join(b" " + k + b"=" + v for k, v in namespaces.items())
        return declaration + b"<" + _WRAPPER + attrs + b">"

    while True:
        found = _RECORD_TAG.search(buffer, pos)
        if found is None:
            if eof:
                if depth:
                    chunk = _Chunk(buffer[start:], prolog())
                    yield base + start, chunk, "XML ends inside this record: the file is cut short"
                return
            if not depth:
                # Outside a record: note its namespaces, keep a tail a tag may straddle.
                keep = max(pos, len(buffer) - 4096)
                namespaces.update(_XMLNS.findall(buffer, pos, keep))
                pos = keep
            cut = start if depth else pos
            more = stream.read(_SPLIT_CHUNK)
            eof = not more
            buffer = buffer[cut:] + more
            base += cut
            pos -= cut
            start -= cut if depth else 0
            continue
        closing, empty = found.group(1), found.group(3)
        if not closing:
            if depth and not _inside_s1(buffer[start : found.start()]):
                # The open record never ended: report it and start afresh here.
                chunk = _Chunk(buffer[start : found.start()], prolog())
                yield base + start, chunk, "XML not well-formed: the record has no end tag"
                depth = 0
            if not depth:
                namespaces.update(_XMLNS.findall(buffer, pos, found.start()))
                start = found.start()
            if empty and not depth:
                yield base + start, _Chunk(found.group(0), prolog()), None
            elif not empty:
                depth += 1
        elif depth:
            depth -= 1
            if not depth:
                yield base + start, _Chunk(buffer[start : found.end()], prolog()), None
        pos = found.end()


def _inside_s1(text: bytes) -> bool:
    """Is a UNIMARC <s1> (embedded field) open at the end of this record text?"""
    return text.count(b"<s1") > text.count(b"</s1")


def _parse_record(body: bytes, prolog: bytes) -> etree._Element:
    root = etree.fromstring(prolog + body + b"</" + _WRAPPER + b">", _PARSER)
    return next(iter(root))


def _read_whole(source: io.RawIOBase, flavour: MarcFlavour | None) -> Iterator[ParsedRecord]:
    """iterparse over the whole document (see read_marcxml for when)."""
    context = etree.iterparse(
        _Wrapped(io.BufferedReader(source)),
        events=("end",),
        tag=("{*}record", "{*}rec"),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    number = 0
    try:
        for _event, element in context:
            if _is_nested(element):
                continue
            number += 1
            yield _parsed(element, number, flavour)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except (etree.LxmlError, ValueError) as exc:
        yield ParsedRecord(
            number=number + 1,
            offset=0,
            raw=b"",
            flavour=flavour or "marc21",
            encoding="utf-8",
            error=f"XML not well-formed, reading stopped: {exc}",
        )


def _is_nested(element: etree._Element) -> bool:
    """UNIMARC embedded fields (s1) are not records of their own."""
    parent = element.getparent()
    while parent is not None:
        if _local(parent.tag) in {"record", "rec", "s1"}:
            return True
        parent = parent.getparent()
    return False


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parsed(element: etree._Element, number: int, flavour: MarcFlavour | None) -> ParsedRecord:
    repairs: list[str] = []
    leader = None
    fields = []
    attr = element.get
    for child in element:
        name = _local(child.tag)
        get = child.get
        if name in _CONTROL:
            tag = clean_tag(get("tag", get("t")), repairs)
            fields.append(Field(tag=tag, data=child.text or ""))
        elif name in _DATA:
            tag = clean_tag(get("tag", get("t")), repairs)
            indicators = clean_indicator(get("ind1", get("i1")), tag, repairs) + clean_indicator(
                get("ind2", get("i2")), tag, repairs
            )
            subfields = []
            for sub in child:
                if _local(sub.tag) in _SUBFIELD:
                    code = sub.get("code", sub.get("c")) or ""
                    if len(code) != 1:
                        repairs.append(f"subfield code: {code!r} in field {tag}")
                        code = (code + " ")[0]
                    subfields.append(Subfield(code, sub.text or ""))
                elif _local(sub.tag) == "s1":
                    repairs.append(f"embedded fields: field {tag} has UNIMARC s1, not read")
            fields.append(Field(tag=tag, indicators=indicators, subfields=subfields))
        elif name in _LEADER:
            leader = child.text or ""
    record = MarcRecord(leader=clean_leader(leader, repairs), fields=fields)
    make_exportable(record, repairs)
    if flavour is None:
        namespace = element.tag.partition("}")[0].lstrip("{") if "}" in element.tag else ""
        declared = (attr("format") or "").upper()
        if namespace == UNIMARCSLIM_NS or "UNIMARC" in declared or "RUSMARC" in declared:
            flavour = "rusmarc"
        elif declared == "MARC21":
            flavour = "marc21"
        else:
            flavour = detect_flavour(record)
    raw = etree.tostring(element, encoding="unicode", with_tail=False).encode("utf-8")
    return ParsedRecord(
        number=number,
        offset=0,
        raw=raw,
        flavour=flavour,
        encoding="utf-8",
        record=record,
        repairs=repairs,
    )


class _Wrapped(io.RawIOBase):
    """The document inside one synthetic root element, so that files holding a bare sequence
    of <record>s (no collection) are well-formed. The XML declaration stays in front, and a
    document with a DOCTYPE is passed through untouched (it could not be wrapped)."""

    def __init__(self, stream: BinaryIO) -> None:
        head = stream.read(4096)
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"<?xml"):
            while b"?>" not in head and len(head) < 65536:
                more = stream.read(4096)
                if not more:
                    break
                head += more
        # The declaration must stay first: the synthetic root goes after it.
        declaration_end = head.find(b"?>") if stripped.startswith(b"<?xml") else -1
        prolog_end = declaration_end + 2 if declaration_end >= 0 else 0
        if b"<!DOCTYPE" in head:
            self._parts = [head]
            self._tail = b""
        else:
            self._parts = [head[:prolog_end], b"<" + _WRAPPER + b">", head[prolog_end:]]
            self._tail = b"</" + _WRAPPER + b">"
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._parts and not self._parts[0]:
            self._parts.pop(0)
        if self._parts:
            chunk = self._parts.pop(0)
        else:
            chunk = self._stream.read(len(buffer)) or self._tail
            if chunk is self._tail:
                self._tail = b""
        size = min(len(chunk), len(buffer))
        buffer[:size] = chunk[:size]
        if size < len(chunk):
            self._parts.insert(0, chunk[size:])
        return size


# --- writing ---------------------------------------------------------------------------------

_MARC21_LEADER_ALLOWED = (
    [set("0123456789 ")] * 5
    + [set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")]
    + [set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    + [set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")] * 3
)
_MARC21_CODES = set(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?{}_^`~[]\\"
)
_MARC21_INDICATORS = set("0123456789abcdefghijklmnopqrstuvwxyz ")


def _xml_leader(record: MarcRecord, flavour: MarcFlavour) -> str:
    """The leader as write_iso2709 would compute it, made to fit the schema's pattern."""
    from polka.interop.marc.iso2709 import Iso2709WriteError, iso2709_leader

    try:
        leader = iso2709_leader(record, flavour=flavour)
    except Iso2709WriteError:
        leader = record.leader.ljust(24)[:24]
    chars = [c if " " <= c <= "~" else " " for c in leader]
    if flavour == "marc21":
        for position, allowed in enumerate(_MARC21_LEADER_ALLOWED):
            if chars[position] not in allowed:
                chars[position] = "a" if position == 6 else " "
        chars[10:12] = "22"
        chars[17:20] = [c if c.isalnum() or c == " " else " " for c in chars[17:20]]
        chars[20:24] = "4500"
        for position in range(12, 17):
            if not chars[position].isdigit():
                chars[position] = "0"
    else:
        # UNISlim wants digits in 0-4, 10-16 and 20-22.
        for position in (*range(5), *range(10, 17), 20, 21, 22):
            if not chars[position].isdigit():
                chars[position] = "0"
    return "".join(chars)


# Anything _text must change: XML's special characters and what XML cannot carry.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    # Most subfield values need nothing done: one scan instead of four (OAI-PMH and SRU write
    # thousands of records a second through here).
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return escape(_NOT_XML.sub("", value))


@functools.lru_cache(maxsize=4096)
def _tag(tag: str) -> str:
    return quoteattr(_NOT_XML.sub("", tag))


@functools.lru_cache(maxsize=1024)
def _quoted(value: str) -> str:
    return quoteattr(value)


def _indicator(value: str, flavour: MarcFlavour) -> str:
    if flavour == "marc21":
        value = value.lower()
        return value if value in _MARC21_INDICATORS else " "
    return value if value.isascii() and " " <= value <= "~" else " "


def _code(value: str, flavour: MarcFlavour) -> str:
    if flavour == "marc21":
        return value if value in _MARC21_CODES else "?"
    return value if value.isascii() and "!" <= value <= "~" else "?"


@functools.lru_cache(maxsize=4096)
def _datafield_open(tag: str, indicators: str, flavour: MarcFlavour) -> str:
    ind1 = _indicator(indicators[0:1] or " ", flavour)
    ind2 = _indicator(indicators[1:2] or " ", flavour)
    return f"  <datafield tag={_tag(tag)} ind1={_quoted(ind1)} ind2={_quoted(ind2)}>"


@functools.lru_cache(maxsize=1024)
def _subfield_open(code: str, flavour: MarcFlavour) -> str:
    return f"    <subfield code={_quoted(_code(code, flavour))}>"


def record_to_marcxml(record: MarcRecord, flavour: MarcFlavour | None = None) -> str:
    """One <record> element (no namespace declaration: the collection carries it)."""
    flavour = flavour or detect_flavour(record)
    # Both schemas want every control field before the first data field.
    control = [field for field in record.fields if field.data is not None]
    data = [field for field in record.fields if field.data is None and field.subfields]
    # Most records hold nothing to escape: one scan of their text instead of one per value.
    whole = "".join(
        [*(field.data or "" for field in control), *(sf.value for f in data for sf in f.subfields)]
    )
    text = _text if _NEEDS_ESCAPE.search(whole) is not None else str
    lines = [f"<record>\n  <leader>{_text(_xml_leader(record, flavour))}</leader>"]
    lines += [
        f"  <controlfield tag={_tag(field.tag)}>{text(field.data or '')}</controlfield>"
        for field in control
    ]
    for field in data:
        lines.append(_datafield_open(field.tag, field.indicators, flavour))
        lines += [
            f"{_subfield_open(sf.code, flavour)}{text(sf.value)}</subfield>"
            for sf in field.subfields
        ]
        lines.append("  </datafield>")
    lines.append("</record>")
    return "\n".join(lines)


def records_to_marcxml(records: Iterable[MarcRecord], flavour: MarcFlavour) -> bytes:
    """A <collection> of records: MARC21 slim for MARC21, UNISlim (no namespace) for RUSMARC."""
    return b"".join(iter_marcxml(records, flavour))


def iter_marcxml(records: Iterable[MarcRecord], flavour: MarcFlavour) -> Iterator[bytes]:
    """The same document in pieces, for writing a large export without holding it."""
    namespace = f' xmlns="{MARC21_NS}"' if flavour == "marc21" else ""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<collection{namespace}>\n'.encode()
    for record in records:
        yield record_to_marcxml(record, flavour).encode("utf-8") + b"\n"
    yield b"</collection>\n"
